//! CORS between a web page and Okta, judged from what the browser saw of one exchange: the
//! request's `Origin`, a preflight's `Access-Control-Request-Method`, the response's
//! `Access-Control-Allow-Origin` (Fetch standard §3.2.5, the CORS check) and the browser's own
//! error. Okta adds CORS headers only for its Trusted Origins with the CORS scope (Security → API
//! → Trusted Origins, flows.md §1.1); the page itself learns nothing but "CORS error", so these
//! findings name what the page can't see: the origin to trust, the API token that must not be in
//! a browser, the real error Okta answered without CORS headers.
//!
//! Not judged: navigations (no CORS check applies), same-origin requests (an Okta-hosted page
//! calling its own org), `Origin: null` (an opaque origin can't be trusted by name), and which
//! endpoints support CORS at all (okta.md/flows.md give a partial list only).

use crate::{
    cause,
    exchange::Seen,
    report::{Finding, Severity},
};

/// One browser request to Okta as CORS sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct Cors<'a> {
    /// The page's origin (the request's `Origin`).
    pub origin: &'a str,
    /// A preflight's `Access-Control-Request-Method`.
    pub preflight: Option<&'a str>,
    /// The response's `Access-Control-Allow-Origin`.
    pub allow_origin: Option<&'a str>,
    /// Whether the response carried any `Access-Control-*` header.
    pub any_cors_header: bool,
    pub status: Option<u16>,
    /// The browser's error for the request (onErrorOccurred), quoted as it came.
    pub error: Option<&'a str>,
}

impl Cors<'_> {
    /// The CORS check of a non-credentialed request: the response allows this origin.
    fn allows(&self) -> bool {
        self.allow_origin
            .map(str::trim)
            .is_some_and(|a| a == "*" || a.eq_ignore_ascii_case(self.origin))
    }
}

/// The CORS view of a cross-origin, non-navigation browser request; `None` otherwise.
pub fn parse(seen: &Seen) -> Option<Cors<'_>> {
    let req = &seen.cors;
    let origin = req.origin.as_deref().filter(|o| o.contains("://"))?;
    if req.navigation {
        return None;
    }
    if seen
        .ctx
        .origin
        .as_deref()
        .is_some_and(|own| own.eq_ignore_ascii_case(origin))
    {
        return None;
    }
    let preflight = req.preflight_method.as_deref().filter(|_| {
        seen.method
            .as_deref()
            .is_some_and(|m| m.eq_ignore_ascii_case("OPTIONS"))
    });
    Some(Cors {
        origin,
        preflight,
        allow_origin: seen.header("access-control-allow-origin"),
        any_cors_header: seen.headers().iter().any(|(n, _)| {
            n.len() > 15
                && n.get(..15)
                    .is_some_and(|p| p.eq_ignore_ascii_case("access-control-"))
        }),
        status: seen.status(),
        error: req.error.as_deref(),
    })
}

/// The CORS findings of one exchange; `others` are the findings the rest of the analysis gave
/// it (already folded), among which `cors.error_hidden` names the real error.
pub fn findings(c: &Cors, seen: &Seen, others: &[Finding]) -> Vec<Finding> {
    let mut out = Vec::new();
    let host = seen.ctx.origin.as_deref();
    let path = seen.ctx.path.as_deref();
    if seen.ctx.is_ssws() && c.preflight.is_none() {
        out.push(
            Finding::fact("cors.api_token_in_browser", Severity::Error)
                .with("origin", c.origin)
                .with("okta", host)
                .with("path", path)
                .with("method", seen.method.as_deref())
                .evidence("request", "Origin", c.origin),
        );
    }
    let failed = c.status.is_some_and(|s| s >= 400);
    // A preflight passes only with an ok status as well (Fetch §4.8, CORS-preflight fetch).
    let ok = c.status.is_some_and(|s| (200..300).contains(&s));
    if c.allows() && (c.preflight.is_none() || ok) {
        return out;
    }
    let real = others
        .iter()
        .find(|f| !f.id.starts_with("cors.") && cause::explains_failure(f));
    let finding = match (c.preflight, real) {
        // A preflight refused (an error status) or answered without this origin.
        (Some(method), _) => Finding::fact("cors.origin_not_trusted", Severity::Error)
            .with("preflight", true)
            .with("requestMethod", method),
        // An error answered with no CORS header at all: the page sees only "CORS".
        (None, Some(real)) if failed && !c.any_cors_header => {
            Finding::fact("cors.error_hidden", Severity::Warning).with("cause", real.id.as_str())
        }
        _ => Finding::fact("cors.origin_not_trusted", Severity::Error).with("preflight", false),
    };
    let mut f = finding
        .with("origin", c.origin)
        .with("okta", host)
        .with("path", path)
        .with("method", seen.method.as_deref())
        .with("status", c.status)
        .with("allowOrigin", c.allow_origin)
        .evidence("request", "Origin", c.origin);
    f = match c.allow_origin {
        Some(a) => f.evidence("header", "Access-Control-Allow-Origin", a),
        None => f.evidence("header", "Access-Control-Allow-Origin", "(absent)"),
    };
    if let Some(e) = c.error {
        f = f.with("browserError", e).evidence("browser", "error", e);
    }
    out.push(f);
    out
}

#[cfg(test)]
mod tests {
    use crate::exchange::{Exchange, Header};

    const APP: &str = "http://localhost:8080";

    fn ex(
        method: &str,
        path: &str,
        status: u16,
        req: &[(&str, &str)],
        resp: &[(&str, &str)],
    ) -> Exchange {
        let h = |l: &[(&str, &str)]| {
            l.iter()
                .map(|(n, v)| Header {
                    name: (*n).into(),
                    value: Some((*v).into()),
                })
                .collect()
        };
        Exchange {
            observed_at: Some(1_750_000_000_000.0),
            method: Some(method.into()),
            url: Some(format!("https://dev-1.okta.com{path}")),
            status_code: Some(status),
            request_headers: h(req),
            response_headers: h(resp),
            ..Exchange::default()
        }
    }

    fn ids(e: &Exchange) -> Vec<String> {
        crate::http::analyze_exchange(e)
            .findings
            .iter()
            .map(|f| f.id.clone())
            .filter(|id| id.starts_with("cors."))
            .collect()
    }

    #[test]
    fn each_case_gives_its_finding() {
        let trusted = [("Access-Control-Allow-Origin", APP)];
        let cases: Vec<(&str, Exchange, &[&str])> = vec![
            (
                "allowed",
                ex("GET", "/api/v1/users/me", 200, &[("Origin", APP)], &trusted),
                &[],
            ),
            (
                "wildcard",
                ex(
                    "GET",
                    "/oauth2/v1/keys",
                    200,
                    &[("Origin", APP)],
                    &[("Access-Control-Allow-Origin", "*")],
                ),
                &[],
            ),
            (
                "no ACAO",
                ex("GET", "/api/v1/users/me", 200, &[("Origin", APP)], &[]),
                &["cors.origin_not_trusted"],
            ),
            (
                "another origin",
                ex(
                    "GET",
                    "/api/v1/users/me",
                    200,
                    &[("Origin", APP)],
                    &[("Access-Control-Allow-Origin", "https://prod.example.com")],
                ),
                &["cors.origin_not_trusted"],
            ),
            (
                "preflight without ACAO",
                ex(
                    "OPTIONS",
                    "/api/v1/users/me",
                    200,
                    &[("Origin", APP), ("Access-Control-Request-Method", "GET")],
                    &[],
                ),
                &["cors.origin_not_trusted"],
            ),
            (
                "preflight refused",
                ex(
                    "OPTIONS",
                    "/api/v1/users/me",
                    403,
                    &[("Origin", APP), ("Access-Control-Request-Method", "GET")],
                    &trusted,
                ),
                &["cors.origin_not_trusted"],
            ),
            (
                "preflight passed",
                ex(
                    "OPTIONS",
                    "/api/v1/users/me",
                    204,
                    &[("Origin", APP), ("Access-Control-Request-Method", "GET")],
                    &trusted,
                ),
                &[],
            ),
            (
                "error without CORS headers",
                ex(
                    "GET",
                    "/api/v1/users/me",
                    401,
                    &[("Origin", APP)],
                    &[("WWW-Authenticate", "Bearer error=\"invalid_token\"")],
                ),
                &["cors.error_hidden"],
            ),
            (
                "ssws from a page",
                ex(
                    "GET",
                    "/api/v1/users/me",
                    401,
                    &[
                        ("Origin", APP),
                        (
                            "Authorization",
                            "SSWS 00abcdefghijklmnopqrstuvwxyz0123456789AB",
                        ),
                    ],
                    &trusted,
                ),
                &["cors.api_token_in_browser"],
            ),
            (
                "no Origin",
                ex("GET", "/api/v1/users/me", 200, &[], &[]),
                &[],
            ),
            (
                "same origin",
                ex(
                    "GET",
                    "/api/v1/users/me",
                    200,
                    &[("Origin", "https://dev-1.okta.com")],
                    &[],
                ),
                &[],
            ),
            (
                "opaque origin",
                ex("POST", "/login/sso", 200, &[("Origin", "null")], &[]),
                &[],
            ),
            (
                "form navigation",
                ex(
                    "POST",
                    "/oauth2/v1/authorize",
                    200,
                    &[("Origin", APP), ("Sec-Fetch-Mode", "navigate")],
                    &[],
                ),
                &[],
            ),
        ];
        for (name, e, want) in cases {
            assert_eq!(ids(&e), want.to_vec(), "{name}");
        }
    }

    #[test]
    fn a_navigation_by_type_is_not_cors() {
        let mut e = ex("POST", "/oauth2/v1/authorize", 200, &[("Origin", APP)], &[]);
        e.kind = Some("main_frame".into());
        assert!(ids(&e).is_empty());
    }

    #[test]
    fn error_hidden_names_the_real_error_and_the_browser_error_is_quoted() {
        let mut e = ex("GET", "/api/v1/users/me", 401, &[("Origin", APP)], &[]);
        e.body = Some(r#"{"errorCode":"E0000011","errorSummary":"Invalid token provided"}"#.into());
        e.error = Some("net::ERR_FAILED".into());
        let r = crate::http::analyze_exchange(&e);
        let f = r
            .findings
            .iter()
            .find(|f| f.id == "cors.error_hidden")
            .unwrap();
        assert_eq!(f.params.text("cause"), Some("okta_error.E0000011"));
        assert_eq!(f.params.int("status"), Some(401));
        assert_eq!(f.params.text("browserError"), Some("net::ERR_FAILED"));
        assert!(
            r.has("okta_error.E0000011"),
            "the real error keeps its own finding"
        );
    }

    #[test]
    fn a_refused_preflight_is_the_cause_not_its_status() {
        let e = ex(
            "OPTIONS",
            "/api/v1/users/me",
            403,
            &[("Origin", APP), ("Access-Control-Request-Method", "GET")],
            &[],
        );
        let r = crate::http::analyze_exchange(&e);
        assert!(r.has("cors.origin_not_trusted"));
        assert!(!r.has("http.error_status"), "{:?}", r.findings);
    }
}
