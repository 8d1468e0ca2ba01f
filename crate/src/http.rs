//! HTTP as the core meets it: raw responses pasted from `curl -si` or `curl -v` (HTTP/1.x and
//! HTTP/2 status lines, RFC 9112 §4) and exchanges observed by the browser (webRequest's field
//! names). Headers carry the request id and OAuth challenges; the body goes through the same
//! recognisers as pasted JSON. URLs are redacted before they reach a report.

use crate::{
    context::Context,
    endpoint,
    exchange::{body::Body, Origin, Seen},
    jwt::clip,
    oauth_error, okta_error, rate_limit,
    recognise::{self, Json},
    report::{Evidence, Finding, Kind, Report, ReportedBy, Request, Severity, Token},
    token,
};

pub use crate::exchange::{BodySource, Exchange, Header, HeaderRef, Headers, Response};

/// The evidence line every finding read from a page-relayed body carries.
pub const PAGE_BODY_NOTE: &str = "This response body was relayed by a script running in the page (error-body capture for this site), not read by the browser from the network: a script on the page could have written it.";

/// Marks findings read from a body the page relayed (`BodySource::Page`), in place.
fn mark_source(findings: &mut [Finding], source: Option<BodySource>) {
    if source != Some(BodySource::Page) {
        return;
    }
    for f in findings {
        f.reported_by = Some(ReportedBy::Page);
        // The page relayed this text: it is what the page says Okta said, no more.
        if let Some(q) = &mut f.quote {
            if let Some(rest) = q.label.strip_prefix("Okta said") {
                q.label = format!("The page says Okta said{rest}").into();
            }
        }
        f.evidence.push(Evidence {
            source: "page".into(),
            name: "reported by".into(),
            value: PAGE_BODY_NOTE.into(),
        });
    }
}

/// `HTTP/1.1 401 Unauthorized`, `HTTP/2 429`, `HTTP/ 1.1 400 Bad Request` and the docs'
/// `HTTP 401 Unauthorized` → 401/429/400/401.
fn status_line(line: &str) -> Option<u16> {
    let line = line.trim();
    let rest = line
        .strip_prefix("HTTP/")
        .or_else(|| line.strip_prefix("HTTP "))?;
    let mut words = rest.split_whitespace();
    let first = words.next()?;
    let code = if first.contains('.') || first.len() == 1 {
        words.next()?
    } else {
        first
    };
    let status: u16 = code.parse().ok()?;
    (100..=599).contains(&status).then_some(status)
}

/// Does this text start like a raw HTTP response (`curl -si`) or a `curl -v` transcript?
pub fn looks_like_response(text: &str) -> bool {
    text.lines().take(64).any(|l| {
        let l = l.trim_start();
        status_line(l.strip_prefix("< ").unwrap_or(l)).is_some()
    })
}

/// Parses the last response in the text (earlier ones are redirects or `100 Continue`).
pub fn parse_response(text: &str) -> Option<Response> {
    let verbose = text
        .lines()
        .any(|l| l.starts_with("< HTTP/") || l.starts_with("> "));
    let mut resp: Option<Response> = None;
    let mut in_headers = false;
    // The first header line's indentation: lines indented deeper are folded continuations (a
    // transcript copied indented as a whole is not folded; its status line may arrive trimmed).
    let mut base_indent: Option<usize> = None;
    let mut body = String::new();
    let (mut method, mut path, mut host) = (None, None, None);
    let mut request_headers: Vec<(String, String)> = Vec::new();
    for raw in text.lines() {
        let line = raw.trim_end_matches('\r');
        if verbose {
            if let Some(req) = line.strip_prefix("> ") {
                if req.starts_with([' ', '\t']) && !req.trim().is_empty() {
                    // A folded request header: it continues the previous one.
                    if let Some((_, v)) = request_headers.last_mut() {
                        v.push(' ');
                        v.push_str(req.trim());
                    }
                    continue;
                }
                if let Some((n, v)) = req
                    .split_once(':')
                    .filter(|(n, _)| !n.is_empty() && !n.contains(char::is_whitespace))
                {
                    request_headers.push((n.to_string(), v.trim().to_string()));
                }
                let mut w = req.split_whitespace();
                match (w.next(), w.next()) {
                    (Some(h), Some(v)) if h.eq_ignore_ascii_case("host:") => {
                        host = Some(v.to_string())
                    }
                    (Some(m), Some(p))
                        if p.starts_with('/') && m.chars().all(|c| c.is_ascii_uppercase()) =>
                    {
                        method = Some(m.to_string());
                        path = Some(p.to_string());
                    }
                    _ => {}
                }
                continue;
            }
            if line.starts_with("* ")
                || line.starts_with("{ ")
                || line.starts_with("} ")
                || line == "*"
            {
                continue;
            }
        }
        let content = if verbose {
            line.strip_prefix("< ")
                .or_else(|| (line == "<").then_some(""))
        } else {
            None
        };
        let header_line = content.unwrap_or(line);
        if let Some(status) = status_line(header_line) {
            base_indent = None;
            resp = Some(Response {
                status,
                ..Response::default()
            });
            body.clear();
            in_headers = true;
            continue;
        }
        let Some(r) = resp.as_mut() else { continue };
        if in_headers && header_line.trim_start().starts_with(['{', '[']) {
            // Some transcripts (Okta's docs among them) omit the blank line before the body.
            in_headers = false;
        }
        if in_headers {
            if header_line.trim().is_empty() {
                in_headers = false;
            } else if base_indent.is_some_and(|b| indent(header_line) > b) {
                // A header folded over several lines (obs-fold, or a terminal or log wrapping a
                // long WWW-Authenticate): it continues the previous header's value.
                if let Some((_, v)) = r.headers.last_mut() {
                    v.push(' ');
                    v.push_str(header_line.trim());
                }
            } else if let Some((n, v)) = header_line.split_once(':') {
                base_indent.get_or_insert(indent(header_line));
                r.headers.push((n.trim().to_string(), v.trim().to_string()));
            }
        } else if content.is_none() {
            if !body.is_empty() {
                body.push('\n');
            }
            body.push_str(line);
        }
    }
    let mut r = resp?;
    r.body = body.trim().to_string();
    r.method = method;
    r.request_headers = request_headers;
    r.url = match (host, path) {
        (Some(h), Some(p)) => Some(format!("https://{h}{p}")),
        (None, Some(p)) => Some(p),
        _ => None,
    };
    Some(r)
}

/// Leading spaces and tabs of `line`.
fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '\t']).len()
}

/// Findings every response gives, whatever its body: request id, 5xx, OAuth challenges;
/// pushed onto `out` (the exchange's list: a list of their own was one more allocation of
/// ~1,600 bytes a fold, docs/performance-log.md, "liveFold, ninth pass").
fn header_findings(ctx: &Context, out: &mut Vec<Finding>) {
    let (status, headers) = (ctx.status, &ctx.headers);
    if let Some(id) = ctx.request_id.as_deref() {
        // The org (origin or host) the System Log command is sent to, once settled. Set in
        // place: `Finding::with` moves the whole finding each call.
        let mut f = Finding::fact("http.request_id", Severity::Info);
        f.params.set("requestId", id);
        f.params.set("origin", ctx.origin.as_deref());
        f.params.set("domain", ctx.domain.as_deref());
        f.evidence.push(Evidence {
            source: "header".into(),
            name: "X-Okta-Request-Id".into(),
            value: id.into(),
        });
        out.push(f);
    }
    if let Some(s) = status.filter(|s| *s >= 500) {
        out.push(Finding::fact("http.server_error", Severity::Error).with("status", s));
    }
    for h in headers.iter() {
        let (name, value) = (h.name, h.value.unwrap_or_default());
        if name.eq_ignore_ascii_case("www-authenticate") {
            if let Some(e) = oauth_error::parse_challenge(value) {
                out.extend(oauth_error::findings(&e, ctx));
            }
        }
        // /authorize answers errors with a redirect back to the app (RFC 6749 §4.1.2.1).
        if name.eq_ignore_ascii_case("location") && status.is_some_and(|s| (300..400).contains(&s))
        {
            if let Some(r) = crate::redirect::parse(value) {
                out.extend(oauth_error::findings(&r.error, ctx));
            }
        }
    }
}

/// What the status alone says of a failed response (4xx). `cause::fold` drops it when a body,
/// a header or the credential explains the failure; what remains is an error the person should
/// see when no body was captured and no `WWW-Authenticate` came.
fn status_finding(status: Option<u16>) -> Option<Finding> {
    let s = status.filter(|s| (400..500).contains(s))?;
    Some(Finding::fact("http.error_status", Severity::Error).with("status", s))
}

/// Findings (pushed onto `out`) and token view for a response body (parsed once by
/// [`Seen`]), via the same recogniser as pasted JSON. A body that is itself an exchange object
/// goes through this pipeline again.
fn body_findings(seen: &Seen, out: &mut Vec<Finding>) -> Option<Token> {
    let value = match seen.json.as_ref() {
        // What the recogniser answers for it (`exchange::body`), without reading a value.
        Some(Body::Okta(e)) => {
            out.push(okta_error::finding(e, &seen.ctx));
            return None;
        }
        Some(Body::Json(v)) => v,
        None => return None,
    };
    match recognise::json(value) {
        Some(Json::Exchange(ex)) => {
            let r = analyze(Seen::from_exchange(&ex, Some(seen.now)));
            out.extend(r.findings);
            r.token.and_then(crate::report::Kept::into_built)
        }
        Some(json) => {
            let (findings, token) = json.findings_in(&seen.ctx, seen.now);
            out.extend(findings);
            token
        }
        None => None,
    }
}

/// The credential the request carried (decoded once by [`Seen`]): its findings and view.
fn credential_findings(seen: &Seen) -> (Vec<Finding>, Option<Token>) {
    let (Some(auth), Some(extracted)) = (seen.authorization.as_deref(), seen.credential.as_ref())
    else {
        return (Vec::new(), None);
    };
    match recognise::credential_read(extracted, seen.jwt.as_ref(), seen.now, auth) {
        Some(c) => (c.findings, Some(c.view)),
        None => (Vec::new(), None),
    }
}

/// Analyses a browser-observed exchange; `observedAt` is the clock, else the `Date` header.
pub fn analyze_exchange(ex: &Exchange) -> Report {
    analyze(Seen::from_exchange(ex, None))
}

/// The one exchange pipeline: a live exchange, a HAR entry, a pasted exchange object, a
/// `curl -si`/`curl -v` transcript and a recorded response all come here as a [`Seen`].
pub fn analyze(mut seen: Seen) -> Report {
    analyze_noting(&mut seen, &mut crate::redact::Clean::default())
}

/// [`analyze`], noting in `clean` the request URL when it is plainly clean (the session's seal
/// then checks it no more: `redact::seal_with`). The report's method, URL and request id are
/// moved out of `seen`, not copied (docs/performance-log.md, "liveFold, thirteenth pass"): after
/// it, `seen.method`, `seen.url` and `seen.ctx.request_id` are `None` (the session's fold reads
/// the time, the JWT and the flow's own reading after it, none of them).
pub fn analyze_noting(seen: &mut Seen, clean: &mut crate::redact::Clean) -> Report {
    let rate = seen.rate_context();
    let (rate_findings, rate_view) = rate_limit::analyze_scanned(&seen.rate, &rate);
    // A rate-limit signal read from the body (e.g. Okta's concurrency message) shapes these
    // findings too, so they carry the body's source.
    let mut findings = rate_findings;
    if seen.signal.is_some() {
        mark_source(&mut findings, seen.body_source);
    }
    header_findings(&seen.ctx, &mut findings);
    let from_body = findings.len();
    let mut token = body_findings(seen, &mut findings);
    mark_source(
        findings.get_mut(from_body..).unwrap_or_default(),
        seen.body_source,
    );
    findings.extend(endpoint::findings(&seen.ctx));
    let (auth_findings, auth_token) = credential_findings(seen);
    findings.extend(auth_findings);
    token = token.or(auth_token);
    let status = seen.status();
    findings.extend(crate::flow::findings(seen));
    if let Some(c) = seen.carried() {
        findings.extend(crate::exchange::saml::exchange_findings(c, seen.now));
    }
    findings.extend(crate::saml::page::finding(
        seen.url.as_deref(),
        seen.header("location"),
        seen.body.as_deref(),
        status,
    ));
    // The browser's own favicon fetch failing is not the page's failure (Chromium asks every
    // page's origin for /favicon.ico): its 4xx alone says nothing.
    if !seen.is_favicon() {
        findings.extend(status_finding(status));
    }
    // A token's lifetime is judged at the exchange's moment (a recording's request, …): say which.
    seen.moment.stamp(&mut findings);
    seen.moment.date_token(token.as_mut());
    // One cause per request: what several parts of the response said alike becomes one finding.
    let mut findings = crate::cause::fold(findings);
    // CORS last: `cors.error_hidden` names the (folded) cause the page could not see, and a
    // refused preflight is itself the cause of its error status.
    if let Some(c) = crate::cors::parse(seen) {
        let cors = crate::cors::findings(&c, seen, &findings);
        if !cors.is_empty() {
            findings.extend(cors);
            findings = crate::cause::fold(findings);
        }
    }
    let request = Request {
        method: seen.method.take(),
        url: seen.url.take().map(|u| clean.checked_report_url(u)),
        status_code: status,
        // The context read it once: the first `X-Okta-Request-Id`, when it is an id.
        request_id: seen.ctx.request_id.take(),
        observed_at: seen.observed_at,
    };
    // The summary (status line and worst finding's title) is written with the words.
    let kind = match seen.origin {
        Origin::Response => Kind::HttpResponse,
        Origin::Exchange => Kind::Exchange,
    };
    // Set in place: each `with_…` moved the whole report (~1 KB in wasm, a `memory.copy`).
    let mut report = Report::new(kind, String::new(), findings);
    report.request = Some(request);
    report.token = token.map(crate::report::Kept::Built);
    report.rate_limit = rate_view.map(crate::report::Kept::Built);
    report
}

/// The report for an exchange object that could not be read at all, worded: the wasm
/// boundary answers it and the session folds it as it is.
pub fn malformed_exchange(reason: &str) -> Report {
    Report::new(
        Kind::Exchange,
        "The exchange could not be read.",
        vec![Finding::fact("exchange.malformed", Severity::Warning).with("reason", clip(reason))],
    )
}

/// Masks a credential for display in an exchange's evidence.
pub fn masked_authorization(value: &str) -> String {
    match value.split_once(' ') {
        Some((scheme, secret)) => format!("{scheme} {}", token::mask(secret.trim())),
        None => token::mask(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn status_lines() {
        let cases = [
            ("HTTP/1.1 401 Unauthorized", Some(401)),
            ("HTTP/2 429", Some(429)),
            ("HTTP/2 200 ", Some(200)),
            ("HTTP/ 1.1 400 Bad Request", Some(400)),
            ("HTTP 401 Unauthorized", Some(401)),
            ("    HTTP/ 1.1 400 Bad Request", Some(400)),
            ("HTTP/1.1 999 Nope", None),
            ("HTTPS/1.1 200", None),
            ("GET / HTTP/1.1", None),
        ];
        for (l, want) in cases {
            assert_eq!(status_line(l), want, "{l}");
        }
    }

    #[test]
    fn folded_header_lines_parse_like_unfolded_ones() {
        let one = "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer authorization_uri=\"http://dev-1.okta.com/oauth2/v1/authorize\", realm=\"http://dev-1.okta.com\", scope=\"okta.users.read\", error=\"insufficient_scope\", error_description=\"The access token provided does not contain the required scopes.\", resource=\"/api/v1/users\"\r\nX-Okta-Request-Id: reqFolded\r\n\r\n";
        // The same response as a terminal wraps it, and with obs-fold tabs.
        let wrapped = one
            .replace(", scope=", ",\r\n    scope=")
            .replace(", error_description=", ",\r\n\terror_description=");
        assert_ne!(wrapped, one);
        let (a, b) = (parse_response(one), parse_response(&wrapped));
        assert!(a.is_some());
        assert_eq!(a, b);
        // curl -v: folded `<` response and `>` request lines too.
        let verbose = "> GET /api/v1/users HTTP/1.1\r\n> Host: dev-1.okta.com\r\n> Authorization: Bearer\r\n>    eyJhbGciOiJSUzI1NiJ9.e30.c2ln\r\n>\r\n< HTTP/1.1 401 Unauthorized\r\n< WWW-Authenticate: Bearer error=\"invalid_token\",\r\n<    error_description=\"The token has expired.\"\r\n<\r\n";
        let r = parse_response(verbose).unwrap();
        assert_eq!(
            r.headers,
            [(
                "WWW-Authenticate".to_string(),
                "Bearer error=\"invalid_token\", error_description=\"The token has expired.\""
                    .to_string()
            )]
        );
        assert!(r
            .request_headers
            .iter()
            .any(|(n, v)| n == "Authorization" && v == "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln"));
    }

    #[test]
    fn curl_si_and_curl_v() {
        let si = "HTTP/1.1 302 Found\r\nLocation: /x\r\n\r\nHTTP/2 401 \r\ncontent-type: application/json\r\nx-okta-request-id: reqVy8wsvmBQN27h4soUE3ZEnA\r\n\r\n{\"errorCode\":\"E0000011\",\"errorSummary\":\"Invalid token provided\"}\r\n";
        let r = parse_response(si);
        assert_eq!(r.as_ref().map(|r| r.status), Some(401));
        let headers = r.as_ref().map(|r| Headers::from_pairs(&r.headers));
        let id = headers.as_ref().and_then(|h| h.first("X-Okta-Request-Id"));
        assert_eq!(id, Some("reqVy8wsvmBQN27h4soUE3ZEnA"));
        assert!(r
            .as_ref()
            .is_some_and(|r| r.body.starts_with("{\"errorCode\"")));

        let docs = "HTTP 401 Unauthorized\nContent-Type: application/json;charset=UTF-8\n{\n    \"error\" : \"invalid_client\"\n}";
        let r = parse_response(docs);
        assert_eq!(
            r.as_ref().map(|r| (r.status, r.headers.len())),
            Some((401, 1))
        );
        assert!(r.as_ref().is_some_and(|r| r.body.starts_with('{')));

        let v = "*   Trying 1.2.3.4:443...\n> GET /api/v1/users?limit=2 HTTP/2\n> Host: dev-1.okta.com\n> authorization: SSWS 00abc\n>\n< HTTP/2 429\n< x-rate-limit-limit: 600\n<\n{ [5 bytes data]\n{\"errorCode\":\"E0000047\"}\n* Connection #0 left intact\n";
        let r = parse_response(v);
        assert_eq!(r.as_ref().map(|r| r.status), Some(429));
        assert_eq!(
            r.as_ref().and_then(|r| r.url.clone()).as_deref(),
            Some("https://dev-1.okta.com/api/v1/users?limit=2")
        );
        assert_eq!(
            r.as_ref().map(|r| r.body.as_str()),
            Some("{\"errorCode\":\"E0000047\"}")
        );
        assert!(looks_like_response(v));
        assert!(!looks_like_response("hello"));
    }

    #[test]
    fn masked_authorization_keeps_the_scheme() {
        assert_eq!(
            masked_authorization("SSWS 00igKrTNyNLHCw0wYSIsoDF28cN4B3KZPETBz9pqz0"),
            "SSWS 00ig…z0"
        );
    }

    #[test]
    fn a_redirect_carrying_an_oauth_error_is_a_finding() {
        let ex = Exchange {
            observed_at: Some(1_750_000_000_000.0),
            method: Some("GET".into()),
            url: Some("https://dev-1.okta.com/oauth2/default/v1/authorize?client_id=0oa1&state=s".into()),
            status_code: Some(302),
            response_headers: vec![Header {
                name: "Location".into(),
                value: Some("http://localhost:8080/cb?state=s&error=access_denied&error_description=User+is+not+assigned+to+the+client+application.".into()),
            }].into(),
            ..Exchange::default()
        };
        let r = crate::analyze_exchange(&ex);
        let f = r
            .findings
            .iter()
            .find(|f| f.id == "oauth_error.access_denied");
        assert_eq!(
            f.and_then(|f| f.okta_cause.as_deref()),
            Some("user_not_assigned"),
            "{:?}",
            r.findings
        );
        let mut ok = ex.clone();
        let location = "http://localhost:8080/cb?code=abc&state=s";
        ok.response_headers = Headers::default();
        ok.response_headers.add("Location", Some(location));
        assert!(!crate::analyze_exchange(&ok)
            .findings
            .iter()
            .any(|f| f.id.starts_with("oauth_error")));
    }

    #[test]
    fn exchange_uses_observed_at_and_reads_headers() {
        let ex = Exchange {
            observed_at: Some(1_750_000_000_000.0),
            method: Some("GET".into()),
            url: Some("https://dev-1.okta.com/oauth2/v1/userinfo".into()),
            status_code: Some(401),
            response_headers: vec![
                Header { name: "WWW-Authenticate".into(), value: Some("Bearer error=\"invalid_token\", error_description=\"The access token is invalid\"".into()) },
                Header { name: "X-Okta-Request-Id".into(), value: Some("reqABC".into()) },
            ].into(),
            ..Exchange::default()
        };
        let r = analyze_exchange(&ex);
        let ids: Vec<&str> = r.findings.iter().map(|f| &*f.id).collect();
        assert_eq!(ids, ["oauth_error.invalid_token", "http.request_id"]);
        assert_eq!(
            r.request.and_then(|q| q.request_id).as_deref(),
            Some("reqABC")
        );
    }

    /// Findings read from a page-relayed body carry `reportedBy: page` and the core's note; the
    /// same body read from the network, or pasted, carries neither; header findings never do.
    #[test]
    fn body_findings_say_who_reported_the_body() {
        let base = Exchange {
            observed_at: Some(1_750_000_000_000.0),
            method: Some("POST".into()),
            url: Some("https://dev-1.okta.com/api/v1/authn".into()),
            status_code: Some(401),
            response_headers: Headers::from_pairs(&[("X-Okta-Request-Id".into(), "reqABC".into())]),
            body: Some(
                "{\"errorCode\":\"E0000004\",\"errorSummary\":\"Authentication failed\"}".into(),
            ),
            ..Exchange::default()
        };
        let cases = [
            (None, false),
            (Some(BodySource::Network), false),
            (Some(BodySource::Page), true),
        ];
        for (source, marked) in cases {
            let ex = Exchange {
                body_source: source,
                ..base.clone()
            };
            let r = analyze_exchange(&ex);
            let body = r.findings.iter().find(|f| f.id == "okta_error.E0000004");
            assert!(body.is_some(), "{source:?}: {:?}", r.findings);
            for f in &r.findings {
                let from_body = f.id == "okta_error.E0000004";
                let noted = f
                    .evidence
                    .iter()
                    .any(|e| e.source == "page" && e.value == PAGE_BODY_NOTE);
                assert_eq!(
                    f.reported_by.is_some(),
                    marked && from_body,
                    "{source:?} {}",
                    f.id
                );
                assert_eq!(noted, marked && from_body, "{source:?} {}", f.id);
                if from_body {
                    let label = f.quote.as_ref().map(|q| q.label.as_ref());
                    let want = if marked {
                        "The page says Okta said (errorSummary)"
                    } else {
                        "Okta said (errorSummary)"
                    };
                    assert_eq!(label, Some(want), "{source:?}");
                }
            }
        }
        let json: Result<Exchange, _> =
            serde_json::from_str(r#"{"url":"https://x.okta.com/","bodySource":"page"}"#);
        assert_eq!(
            json.ok().and_then(|e| e.body_source),
            Some(BodySource::Page)
        );
        let marked = analyze_exchange(&Exchange {
            body_source: Some(BodySource::Page),
            ..base
        });
        let v = serde_json::to_value(&marked).unwrap_or_default();
        let reported: Vec<&Value> = v["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| f.get("reportedBy"))
            .collect();
        assert_eq!(reported, [&Value::from("page")]);
    }
}
