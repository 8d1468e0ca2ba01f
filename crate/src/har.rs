//! HAR 1.2 archives (<http://www.softwareishard.com/blog/har-12-spec/>) as browsers export
//! them: each entry becomes an [`Exchange`], and Okta's are folded into a [`Session`]. [`Analysis`] takes one entry at a time, so the CLI can stream a 200 MB file through it
//! in bounded memory while the extension feeds it a parsed document: both give the same report.

use serde_json::Value;

use crate::{
    domain, encoding,
    http::{Exchange, Headers},
    report::{self, Finding, Kind, Report, Severity},
    session::{Row, Session},
    timeline, timestamp,
};

#[cfg(test)]
mod headers_tests;
pub mod tracer;

/// Response bodies larger than this are not analysed (Okta's error bodies are tiny).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Sanitises a HAR document's text, or a SAML-tracer export's as the HAR it records (what
/// `okta-medic har --redact` writes for one): the sanitised HAR 1.2 text and the receipt, or why
/// the text is neither. A HAR, not SAML-tracer's format, because the markers and the receipt are
/// HAR's (`SAMLResponse` values replaced by what was there), every browser's DevTools and the
/// CLI read it back, and a ticket's reader needs no SAML-tracer to open it.
pub fn redact_text(text: &str) -> Result<(String, crate::redact::Receipt), String> {
    crate::redact::har_text(text).or_else(|not_har| {
        let doc: Value = serde_json::from_str(text).map_err(|_| not_har.clone())?;
        if !tracer::is_export(&doc) {
            return Err(not_har);
        }
        let har = tracer::to_har(&doc).ok_or(not_har)?;
        crate::redact::har_text(&har.to_string())
    })
}

/// `None` unless the JSON has `log.entries` as an array.
pub fn parse(v: &Value) -> Option<&Vec<Value>> {
    v.pointer("/log/entries")?.as_array()
}

fn headers(v: Option<&Value>) -> Headers {
    let mut list = Headers::default();
    for h in v.and_then(Value::as_array).into_iter().flatten() {
        if let Some(name) = h.get("name").and_then(Value::as_str) {
            list.add(name, h.get("value").and_then(Value::as_str));
        }
    }
    list
}

/// The response body as text: `content.text`, base64-decoded when `encoding` says so.
fn body(content: Option<&Value>) -> Option<String> {
    let content = content?;
    let text = content.get("text")?.as_str()?;
    if text.len() > MAX_BODY_BYTES {
        return None;
    }
    if content.get("encoding").and_then(Value::as_str) == Some("base64") {
        let bytes = encoding::base64url(text).ok()?;
        return String::from_utf8(bytes).ok();
    }
    Some(text.to_string())
}

/// The request body's form fields (`postData.params`, else `postData.text` when its mimeType is
/// `application/x-www-form-urlencoded`, parsed here): what the sign-in flow reads of `/token`.
fn form(post: Option<&Value>) -> Vec<crate::exchange::FormField> {
    let Some(post) = post else {
        return Vec::new();
    };
    let params = post.get("params").and_then(Value::as_array);
    if let Some(params) = params.filter(|p| !p.is_empty()) {
        return params
            .iter()
            .filter_map(|p| {
                Some(crate::exchange::FormField {
                    name: p.get("name")?.as_str()?.to_string(),
                    value: p
                        .get("value")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string(),
                })
            })
            .collect();
    }
    let mime = post.get("mimeType").and_then(Value::as_str).unwrap_or("");
    let text = post.get("text").and_then(Value::as_str).unwrap_or("");
    if !mime
        .to_ascii_lowercase()
        .starts_with("application/x-www-form-urlencoded")
        || text.len() > MAX_BODY_BYTES
    {
        return Vec::new();
    }
    crate::flow::form_fields(text)
}

/// One HAR entry as the exchange the browser saw. `None` when it has no request URL.
pub fn exchange(entry: &Value) -> Option<Exchange> {
    let request = entry.get("request")?;
    let response = entry.get("response");
    Some(Exchange {
        observed_at: entry
            .get("startedDateTime")
            .and_then(Value::as_str)
            .and_then(timestamp::parse_rfc3339_ms),
        method: request
            .get("method")
            .and_then(Value::as_str)
            .map(str::to_string),
        url: Some(request.get("url")?.as_str()?.to_string()),
        // HAR uses status 0 for requests that got no response.
        status_code: response
            .and_then(|r| r.get("status"))
            .and_then(Value::as_u64)
            .and_then(|s| u16::try_from(s).ok())
            .filter(|s| *s > 0),
        request_headers: headers(request.get("headers")),
        response_headers: headers(response.and_then(|r| r.get("headers"))),
        body: body(response.and_then(|r| r.get("content"))),
        body_source: None,
        recorded: false,
        kind: None,
        // Chromium's HAR records a request the browser failed (a CORS block) as `_error`.
        error: response
            .and_then(|r| r.get("_error"))
            .and_then(Value::as_str)
            .filter(|e| !e.is_empty())
            .map(str::to_string),
        request_form: form(request.get("postData")),
        // A HAR keeps the whole body: nothing was left out.
        request_form_omitted: Vec::new(),
        // Chromium's HAR names the document that started the request (`_initiator.url`).
        initiator: entry
            .pointer("/_initiator/url")
            .and_then(Value::as_str)
            .map(str::to_string),
        third_party: None,
    })
}

/// Okta traffic: an Okta host, an Okta-only path (custom domains), or Okta's request id header.
pub fn is_okta(ex: &Exchange) -> bool {
    let url = ex.url.as_deref().unwrap_or_default();
    domain::host_of(url).is_some_and(|h| domain::is_okta_host(&h))
        || domain::is_okta_path(url)
        || ex
            .response_headers
            .iter()
            .any(|h| h.name.eq_ignore_ascii_case("x-okta-request-id"))
}

/// Entries the core reads: Okta traffic, the app's callback carrying a sign-in's answer
/// (`code`+`state`, or an `error`), which the flow fold reads, and a SAML message (the
/// Response posted to the app's ACS).
pub fn is_read(ex: &Exchange) -> bool {
    is_okta(ex)
        || crate::exchange::saml::carries(ex)
        || ex
            .url
            .as_deref()
            .is_some_and(|u| crate::flow::read::callback(u).is_some())
}

/// A HAR being read entry by entry: a [`Session`] (the fold the live listener and the
/// DevTools panel use too), fed the Okta entries and told how many others there were.
#[derive(Clone, Debug, Default)]
pub struct Analysis {
    pub session: Session,
    /// The user's custom domains, which commands may name besides Okta's hosts.
    pub trusted: crate::Trusted,
}

impl Analysis {
    /// Folds one entry; answers whether it was Okta traffic.
    pub fn add_entry(&mut self, entry: &Value) -> bool {
        let Some(ex) = self.okta_exchange(entry) else {
            return false;
        };
        let at = ex.observed_at.unwrap_or(0.0);
        self.session.fold(&ex, at, None);
        true
    }

    /// [`Analysis::add_entry`], answering the entry's table row and full report (as data) when
    /// it is Okta traffic (the DevTools panel's table).
    pub fn add_entry_row(&mut self, entry: &Value) -> Option<(Row, Report)> {
        let ex = self.okta_exchange(entry)?;
        let at = ex.observed_at.unwrap_or(0.0);
        Some(self.session.fold_row(&ex, at, None))
    }

    /// The entry's exchange when it is Okta traffic; otherwise it is counted as another entry.
    fn okta_exchange(&mut self, entry: &Value) -> Option<Exchange> {
        // A HAR (a file, or the DevTools panel's log) is a recording: its answers are as of
        // each request, dated by it, never measured from today.
        // A SAML-tracer export's request (the panel hands its `requests` one at a time) is
        // read as the HAR entry it records.
        let converted = entry
            .get("request")
            .is_none()
            .then(|| tracer::entry(entry))
            .flatten();
        let entry = converted.as_ref().unwrap_or(entry);
        let ex = exchange(entry).map(|ex| Exchange {
            recorded: true,
            ..ex
        });
        match ex {
            // Okta's, or a SAML message on its way to or from Okta: the Response the browser
            // posts to the app's ACS, on the app's own host.
            Some(ex) if is_okta(&ex) || crate::exchange::saml::carries(&ex) => Some(ex),
            // Not Okta's, but perhaps the app's callback carrying the sign-in's answer: HAR
            // files often start there, after Okta's redirect.
            other => {
                if !other.is_some_and(|ex| self.session.fold_callback(&ex)) {
                    self.session.count_other();
                }
                None
            }
        }
    }

    /// The session's report (`input.kind` = `har`), its findings grouped with counts, as data
    /// (the `ui` module's `sessionReport` answers this; `explain::show` words it).
    pub fn report_data(&self) -> Report {
        let s = &self.session;
        let (entries, okta) = (s.entries(), s.digest.okta_requests());
        let span = match s.span {
            Some((f, l)) => format!(
                ", {} → {}",
                timestamp::iso8601((f / 1000.0).floor() as i64),
                timestamp::iso8601((l / 1000.0).floor() as i64)
            ),
            None => String::new(),
        };
        let summary = format!(
            "HAR with {entries} requests: {okta} to Okta{}, {} of them failed{span}.",
            s.digest.app_phrase(),
            s.digest.failed
        );
        let mut findings = vec![overview(entries, okta, s.digest.failed)];
        findings.extend(s.digest.findings());
        // Buckets are viewed as of the last request: a HAR is history, not a live countdown.
        let as_of = s.span.map_or(0, |(_, l)| l as i64);
        let timeline = report::Timeline {
            entries: Some(entries),
            okta_entries: Some(okta),
            digest: s.digest.without_state(),
            rate_limits: Some(report::Kept::Built(timeline::view(&s.timeline, as_of))),
        };
        Report::new(Kind::Har, summary, findings)
            .with_timeline(Some(timeline))
            .with_flows(&s.digest.flows.flows)
    }

    /// The report as `okta-medic har` prints it: worded, its commands naming the trusted
    /// hosts, sealed.
    pub fn report(&self) -> Report {
        let mut report = self.report_data();
        crate::explain::show(&mut report, &self.trusted);
        report
    }

    pub fn finish(self) -> Report {
        self.report()
    }
}

fn overview(entries: u64, okta: u64, failed: u64) -> Finding {
    let severity = if failed > 0 {
        Severity::Warning
    } else {
        Severity::Info
    };
    Finding::fact("har.summary", severity)
        .with("entries", entries)
        .with("okta", okta)
        .with("failed", failed)
}

/// Analyses a whole HAR document already in memory, worded; commands may name `trusted` hosts.
pub fn analyze(v: &Value, trusted: &crate::Trusted) -> Option<Report> {
    let mut report = analyze_data(v)?;
    crate::explain::show(&mut report, trusted);
    Some(report)
}

/// [`analyze`] as data: the HAR's report before it is worded. A SAML-tracer export is read
/// as the HAR it records (tracer.rs).
pub fn analyze_data(v: &Value) -> Option<Report> {
    let converted = tracer::is_export(v).then(|| tracer::to_har(v)).flatten();
    let entries = parse(converted.as_ref().unwrap_or(v))?;
    let mut a = Analysis::default();
    for e in entries {
        a.add_entry(e);
    }
    Some(a.report_data())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn har() -> Value {
        json!({"log": {"version": "1.2", "entries": [
            {"startedDateTime": "2026-11-27T10:00:00.000Z",
             "request": {"method": "POST", "url": "https://dev-1.okta.com/oauth2/default/v1/token?state=abc", "headers": []},
             "response": {"status": 400, "headers": [{"name": "X-Okta-Request-Id", "value": "reqA"}],
                          "content": {"mimeType": "application/json", "text": "{\"error\":\"invalid_grant\",\"error_description\":\"PKCE verification failed.\"}"}}},
            {"startedDateTime": "2026-11-27T10:00:05.000Z",
             "request": {"method": "GET", "url": "https://login.acme.com/api/v1/users/me", "headers": []},
             "response": {"status": 401, "headers": [],
                          "content": {"mimeType": "application/json", "encoding": "base64",
                                      "text": "eyJlcnJvckNvZGUiOiJFMDAwMDAxMSIsImVycm9yU3VtbWFyeSI6IkludmFsaWQgdG9rZW4gcHJvdmlkZWQifQ=="}}},
            {"startedDateTime": "2026-11-27T10:00:06.000Z",
             "request": {"method": "GET", "url": "https://acme.com/app.js"}, "response": {"status": 500}},
            {"bogus": true}
        ]}})
    }

    #[test]
    fn entries_become_exchanges_and_okta_ones_are_analysed() {
        let r = analyze(&har(), &Default::default()).unwrap_or_else(|| panic!("not a HAR"));
        assert_eq!(r.input.kind, Kind::Har);
        let t = r
            .timeline
            .clone()
            .and_then(report::Kept::into_built)
            .unwrap_or_default();
        assert_eq!(t.entries, Some(4));
        assert_eq!(t.okta_entries, Some(2));
        assert_eq!(t.digest.failed, 2);
        let ids: Vec<&str> = r.findings.iter().map(|f| &*f.id).collect();
        assert!(ids.contains(&"har.summary"));
        assert!(
            ids.iter()
                .any(|i| i.starts_with("oauth_error.invalid_grant")),
            "{ids:?}"
        );
        assert!(
            ids.iter().any(|i| i.starts_with("okta_error.E0000011")),
            "{ids:?}"
        );
        assert!(
            r.summary
                .contains("2026-11-27T10:00:00Z → 2026-11-27T10:00:05Z"),
            "{}",
            r.summary
        );
        assert!(!serde_json::to_string(&r)
            .unwrap_or_default()
            .contains("state=abc"));
    }

    #[test]
    fn hostile_entries_are_skipped_not_fatal() {
        let mut a = Analysis::default();
        for e in [
            json!(null),
            json!(5),
            json!({"request": {"url": 5}}),
            json!({"request": {"url": "https://x.okta.com/"}, "response": {"status": 70000}}),
        ] {
            a.add_entry(&e);
        }
        assert_eq!(a.session.entries(), 4);
        assert_eq!(a.session.digest.exchanges, 1);
        let r = a.finish();
        assert!(r.has("har.summary"));
    }
}
