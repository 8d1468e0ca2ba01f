//! What the user gave us. Recognises every input kind of DESIGN.md (a JWT, an SSWS or opaque
//! token, Okta/OAuth/IDX error JSON, introspection, `okta-token-storage`, an exchange, a HAR,
//! a raw HTTP response, a redirect URL, a SAML message) and hands it to its domain module. Recognition is
//! linear in the input's size and bounded by [`MAX_INPUT_BYTES`].

use serde_json::Value;

use crate::{
    context::Context,
    encoding,
    exchange::{Response, Seen},
    http,
    jwt::clip,
    oauth_error, okta_error, rate_limit,
    recognise::{self, Json},
    redirect,
    report::{Finding, Kind, Report, Severity},
    saml, storage,
};

/// Recognises and analyses a HAR document (the entry points hand it in, so that recognising
/// text never depends on the session modules): `None` when the JSON is not one.
pub type HarHook<'a> = &'a dyn Fn(&Value) -> Option<Report>;

/// Inputs above this size are refused with `input.too_large` (HAR files go through the CLI's
/// `har` command, which streams).
pub const MAX_INPUT_BYTES: usize = 8 * 1024 * 1024;

/// Analyses any pasted text at time `now`; a JSON document goes to `har` first.
pub fn analyze(text: &str, now: i64, har: HarHook) -> Report {
    if let Some(r) = refused(text) {
        return r;
    }
    let t = text.trim();
    if is_bare_jwt(t) {
        // What pasting a token nearly always gives: no other recogniser can take it (each
        // needs a byte it lacks: `{`, `<`, `:`, `=`, `%`, `+`, `/` or a space), so go straight
        // to the credential (a test checks this against the full path). Nothing wraps it, so
        // it is its own extracted value (`jwt::extract`).
        let c = recognise::pasted_jwt(t, None, now);
        return Report::new(c.kind, c.summary, c.findings).with_token(Some(c.view));
    }
    recognised(t, now, har)
}

/// Every recogniser in turn, for trimmed text that is not refused.
fn recognised(t: &str, now: i64, har: HarHook) -> Report {
    if let Some(rest) = t.strip_prefix("okta-token-storage") {
        if let Some(r) = storage_assignment(rest, now) {
            return r;
        }
    }
    if t.starts_with('{') || t.starts_with('[') {
        return match crate::json::from_str(t) {
            Ok(v) => match har(&v) {
                Some(r) => r,
                None => analyze_json(&v, now),
            },
            Err(e) => unknown(
                Finding::fact("input.json_invalid", Severity::Warning)
                    .with("error", clip(&e.to_string())),
            ),
        };
    }
    if let Some(r) = recorded_response(t) {
        return http::analyze(Seen::from_response(&r, now));
    }
    if http::looks_like_response(t) {
        if let Some(r) = http::parse_response(t) {
            return http::analyze(Seen::from_response(&r, now));
        }
    }
    // Before the URL branches: a URL carrying `SAMLRequest=` is a SAML message first.
    if let Some(p) = saml::parse(t) {
        return Report::titled_by_first(Kind::Saml, saml::findings(&p, now));
    }
    url_or_value(t, now)
}

/// A redirect's target URL (the live fold's `redirect_url`, from webRequest's
/// onBeforeRedirect) analysed at `now`: what [`analyze`] answers for a URL, without the
/// branches only pasted text can take (a JSON document, `okta-token-storage`, a recorded or raw
/// HTTP response), so the service worker's module links no paste recognition. Text that is not
/// a URL but starts like those is read by the URL branches only.
pub fn analyze_redirect_target(url: &str, now: i64) -> Report {
    refused(url).unwrap_or_else(|| url_or_value(url.trim(), now))
}

/// The report refusing `text` (too large, or empty once trimmed); `None` to read it.
fn refused(text: &str) -> Option<Report> {
    if text.len() > MAX_INPUT_BYTES {
        return Some(unknown(
            Finding::fact("input.too_large", Severity::Warning)
                .with("bytes", text.len())
                .with("limit", MAX_INPUT_BYTES),
        ));
    }
    text.trim()
        .is_empty()
        .then(|| unknown(Finding::fact("input.empty", Severity::Info)))
}

/// The kinds a URL or a one-line value may be: a `WWW-Authenticate` challenge, an SDK's error
/// message, a redirect carrying an OAuth error, a credential; else unrecognised.
fn url_or_value(t: &str, now: i64) -> Report {
    if let Some(e) = challenge(t) {
        let findings = oauth_error::findings(&e, &Context::default());
        return Report::titled_by_first(Kind::OauthError, findings);
    }
    if let Some((status, e)) = okta_error::parse_sdk_message(t) {
        let findings = okta_error::findings(&e, &Context::with_status(Some(status)));
        return Report::titled_by_first(Kind::OktaError, findings).with_request(Some(
            crate::report::Request {
                status_code: Some(status),
                ..Default::default()
            },
        ));
    }
    if let Some(r) = redirect::parse(t) {
        let findings = oauth_error::findings(&r.error, &Context::default());
        let summary = format!("Redirect carrying OAuth error {}.", clip(&r.error.error));
        return Report::new(Kind::RedirectUrl, summary, findings).with_request(Some(
            crate::report::Request {
                url: Some(crate::redact::report_url(t)),
                ..Default::default()
            },
        ));
    }
    credential(t, now)
}

/// A credential's report, or `input.unrecognised`.
fn credential(t: &str, now: i64) -> Report {
    match recognise::credential(t, now) {
        Some(c) => Report::new(c.kind, c.summary, c.findings).with_token(Some(c.view)),
        None => unknown(unrecognised(t)),
    }
}

/// A compact JWS or JWE as pasted bare: `eyJ`, then only base64url characters and dots.
fn is_bare_jwt(t: &str) -> bool {
    // Every byte looked up and the answers ANDed, without a branch each: a pasted token is
    // nearly always all of it.
    t.starts_with("eyJ")
        && t.bytes().fold(1, |ok, b| {
            ok & BARE.get(usize::from(b)).copied().unwrap_or(0)
        }) == 1
}

/// The bytes of a bare compact JWT (1): base64url's alphabet and `.`.
#[allow(clippy::indexing_slicing)] // evaluated at compile time: out of bounds would not build
const BARE: [u8; 256] = {
    let mut t = [0; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() || c == b'-' || c == b'_' || c == b'.' {
            t[b] = 1;
        }
        b += 1;
    }
    t
};

/// A `WWW-Authenticate` challenge pasted alone: the header line, or its value when it starts
/// with a scheme and carries `error=` (a bare `Bearer <token>` is a credential, not this).
fn challenge(t: &str) -> Option<oauth_error::Error> {
    let line = t.lines().next()?.trim();
    let value = match line.split_once(':') {
        Some((name, v)) if name.trim().eq_ignore_ascii_case("www-authenticate") => v,
        _ if line.contains("error=") && t.lines().count() == 1 => line,
        _ => return None,
    };
    oauth_error::parse_challenge(value)
}

/// A recorded response as okta-auth-js's test fixtures (quoted in okta.md §8.1, §8.3) hold
/// them: `module.exports = {"status": 401, "headers": {…}, "response": {…}};`.
fn recorded_response(t: &str) -> Option<Response> {
    let json = t
        .strip_prefix("module.exports")?
        .trim_start()
        .strip_prefix('=')?
        .trim()
        .trim_end_matches(';')
        .trim_end();
    let v = crate::json::from_str(json).ok()?;
    let status = v
        .get("status")?
        .as_u64()
        .and_then(|s| u16::try_from(s).ok())
        .filter(|s| (100..=599).contains(s))?;
    let headers = v
        .get("headers")
        .and_then(Value::as_object)
        .map(|h| {
            h.iter()
                .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
                .collect()
        })
        .unwrap_or_default();
    Some(Response {
        status,
        headers,
        body: v.get("response").map(Value::to_string).unwrap_or_default(),
        ..Response::default()
    })
}

/// `okta-token-storage=<json>` or `okta-token-storage_<key>=<json>` (cookie form), the
/// value possibly %-encoded.
fn storage_assignment(rest: &str, now: i64) -> Option<Report> {
    let value = rest.split_once(['=', ':']).map(|(_, v)| v.trim())?;
    let decoded = if value.starts_with('%') {
        encoding::percent_decode(value)?
    } else {
        value.to_string()
    };
    let v = crate::json::from_str(decoded.trim_end_matches(';')).ok()?;
    let stored = storage::parse(&v)?;
    Some(storage_report(&stored, now))
}

fn storage_report(stored: &[storage::Stored], now: i64) -> Report {
    let findings = storage::findings(stored, now);
    let keys: Vec<String> = stored.iter().map(|s| clip(&s.key)).collect();
    let summary = format!("okta-token-storage with {}.", keys.join(", "));
    Report::new(Kind::TokenStorage, summary, findings).with_token(Some(storage::view(stored, now)))
}

fn analyze_json(v: &Value, now: i64) -> Report {
    let Some(json) = recognise::json(v) else {
        return unknown(Finding::fact("input.unrecognized", Severity::Info).with("json", true));
    };
    match &json {
        Json::Exchange(ex) => return http::analyze(Seen::from_exchange(ex, Some(now))),
        Json::TokenStorage(s) => return storage_report(s, now),
        _ => {}
    }
    let (mut findings, token) = json.findings(None, now);
    // The summary is the first finding's title (not a rate-limit one added below, unless the
    // first finding folds into it: then that cause is the first).
    let titled = !findings.is_empty();
    // A bare 429 body (E0000047, /token's invalid_grant, IDX tooManyRequests) still gets the
    // rate-limit finding, which asks for the headers that carry the wait.
    let clock = rate_limit::Clock::Caller(now);
    let rate = rate_limit::analyze_body(v, &rate_limit::Context::new(None, clock));
    let rate_view = rate.map(|(rate_findings, view)| {
        findings.extend(rate_findings);
        view
    });
    // One cause per request, as for an exchange (`cause::fold`).
    let findings = crate::cause::fold(findings);
    let first = findings.first().filter(|_| titled).map(|f| f.severity);
    Report::new(json.kind(), String::new(), findings)
        .titled_by(first)
        .with_token(token)
        .with_rate_limit(rate_view)
}

fn unrecognised(t: &str) -> Finding {
    let dotted = t.split('.').count() >= 2 && !t.contains(char::is_whitespace);
    Finding::fact("input.unrecognized", Severity::Info).with("dotted", dotted)
}

/// A report of one finding whose title is the summary.
fn unknown(f: Finding) -> Report {
    Report::titled_by_first(Kind::Unknown, vec![f])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// As the entry point calls it, HAR hook included.
    fn analyze(text: &str, now: i64) -> Report {
        super::analyze(text, now, &|v| {
            crate::har::analyze(v, &crate::Trusted::default())
        })
    }

    fn kind(text: &str) -> Kind {
        analyze(text, 1_750_000_000).input.kind
    }

    /// The bare-JWT shortcut answers what every recogniser in turn answers, on each golden
    /// fixture's input that takes it and on broken tokens of that shape.
    #[test]
    fn bare_jwt_shortcut_is_the_full_path() {
        let har = |v: &Value| crate::har::analyze(v, &crate::Trusted::default());
        let mut inputs: Vec<String> = [
            "eyJ",
            "eyJ..",
            "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.",
            "eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjF9.c2ln.x.y",
            "eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjF9",
            "eyJhbGciOiJSUzI1NiJ9.bad-_.c2ln",
            "eyJhbGciOiJSUzI1NiJ9.e30.c2lnbmF0dXJl-_",
        ]
        .map(String::from)
        .into();
        let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures");
        for dir in std::fs::read_dir(fixtures).unwrap() {
            if let Ok(text) = std::fs::read_to_string(dir.unwrap().path().join("input.txt")) {
                inputs.push(text);
            }
        }
        let mut taken = 0;
        for text in &inputs {
            let t = text.trim();
            if !is_bare_jwt(t) {
                continue;
            }
            taken += 1;
            for now in [0, 1_750_000_000, 2_000_000_000] {
                let fast = serde_json::to_string(&super::analyze(text, now, &har));
                let full = serde_json::to_string(&recognised(t, now, &har));
                assert_eq!(fast.unwrap(), full.unwrap(), "{t}");
            }
        }
        assert!(taken >= 10, "only {taken} inputs took the shortcut");
    }

    #[test]
    fn every_kind_is_recognised() {
        let cases = [
            ("eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjF9.c2ln", Kind::Jwt),
            (
                "Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjF9.c2ln",
                Kind::Jwt,
            ),
            ("eyJhbGciOiJSUzI1NiJ9.bad!.sig", Kind::Jwt),
            (
                "SSWS 00igKrTNyNLHCw0wYSIsoDF28cN4B3KZPETBz9pqz0",
                Kind::SswsToken,
            ),
            (
                "00igKrTNyNLHCw0wYSIsoDF28cN4B3KZPETBz9pqz0",
                Kind::SswsToken,
            ),
            (
                "NrJBJ5-89k9CHZ7CJz4Q42yNqoIjm7BclN-1TH_B7z0",
                Kind::OpaqueToken,
            ),
            (
                r#"{"errorCode":"E0000011","errorSummary":"Invalid token provided"}"#,
                Kind::OktaError,
            ),
            (
                r#"{"error":"invalid_client","error_description":"No client credentials found."}"#,
                Kind::OauthError,
            ),
            (
                r#"{"version":"1.0.0","stateHandle":"x","messages":{"value":[]}}"#,
                Kind::IdxResponse,
            ),
            (
                "HTTP/2 401\ncontent-type: application/json\n\n{}",
                Kind::HttpResponse,
            ),
            (
                r#"{"statusCode":429,"url":"https://dev-1.okta.com/api/v1/users","responseHeaders":[]}"#,
                Kind::Exchange,
            ),
            (
                "https://app.example.com/cb?error=access_denied&error_description=x",
                Kind::RedirectUrl,
            ),
            (r#"{"active":false}"#, Kind::Introspection),
            (
                r#"{"accessToken":{"accessToken":"a.b.c","expiresAt":1}}"#,
                Kind::TokenStorage,
            ),
            (
                r#"okta-token-storage_accessToken=%7B%22accessToken%22%3A%22a.b.c%22%7D"#,
                Kind::TokenStorage,
            ),
            (r#"{"log":{"entries":[]}}"#, Kind::Har),
            ("", Kind::Unknown),
            ("hello world", Kind::Unknown),
            ("{not json", Kind::Unknown),
            (r#"{"some":"json"}"#, Kind::Unknown),
            ("www.okta.com", Kind::Unknown),
            (
                "Okta HTTP 401 E0000011 Invalid token provided.",
                Kind::OktaError,
            ),
            (
                "OktaApiError: Okta HTTP 404 E0000007 Not found: Resource not found: x (User)\n    at foo (bar.js:1:2)",
                Kind::OktaError,
            ),
            (
                "module.exports = {\"status\": 401, \"headers\": {\"WWW-Authenticate\": \"Bearer error=\\\"invalid_token\\\"\"}, \"response\": {}};",
                Kind::HttpResponse,
            ),
            ("module.exports = {\"response\": {}};", Kind::Unknown),
            (
                "www-authenticate: Bearer scope=\"okta.groups.read\", error=\"insufficient_scope\"",
                Kind::OauthError,
            ),
            (
                "DPoP error=\"use_dpop_nonce\", error_description=\"Resource server requires nonce in DPoP proof\"",
                Kind::OauthError,
            ),
        ];
        for (text, want) in cases {
            assert_eq!(kind(text), want, "{text}");
        }
    }

    #[test]
    fn a_redirect_target_is_read_as_any_pasted_url() {
        let id_token = "eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjF9.c2ln";
        let urls = [
            "https://app.example.com/cb?error=access_denied&error_description=User+is+not+assigned+to+the+client+application.&state=x".to_string(),
            format!("https://app.example.com/cb#id_token={id_token}&state=x"),
            "https://dev-1.okta.com/oauth2/default/v1/authorize?client_id=0oa1".to_string(),
            "https://app.example.com/".to_string(),
            "  ".to_string(),
            String::new(),
        ];
        for url in urls {
            let pasted = serde_json::to_value(analyze(&url, 1_750_000_000)).unwrap();
            let target =
                serde_json::to_value(analyze_redirect_target(&url, 1_750_000_000)).unwrap();
            assert_eq!(target, pasted, "{url}");
        }
    }

    #[test]
    fn hostile_inputs_give_findings() {
        let deep = "[".repeat(10_000);
        let r = analyze(&deep, 0);
        assert!(r.has("input.json_invalid"));
        let big = "a".repeat(MAX_INPUT_BYTES + 1);
        assert!(analyze(&big, 0).has("input.too_large"));
        assert!(analyze("   \n\t ", 0).has("input.empty"));
    }

    #[test]
    fn ssws_with_a_jwt_is_a_scheme_mismatch() {
        let r = analyze("SSWS eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjR9.c2ln", 0);
        assert!(r.has("auth.scheme_mismatch"));
        let r = analyze("Bearer 00igKrTNyNLHCw0wYSIsoDF28cN4B3KZPETBz9pqz0", 0);
        assert!(r.has("auth.scheme_mismatch"));
        assert!(!serde_json::to_string(&r)
            .unwrap_or_default()
            .contains("KrTNyNLH"));
    }
}
