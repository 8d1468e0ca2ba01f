//! CORS between a web page and Okta, judged from what the browser saw of one exchange: the
//! request's `Origin`, a preflight's `Access-Control-Request-Method`, the response's
//! `Access-Control-Allow-Origin` (Fetch standard §3.2.5, the CORS check) and the browser's own
//! error. Okta adds CORS headers only for its Trusted Origins with the CORS scope (Security → API
//! → Trusted Origins, flows.md §1.1); the page itself learns nothing but "CORS error", so these
//! findings name what the page can't see: the origin to trust, the API token that must not be in
//! a browser, the real error Okta answered without CORS headers.
//!
//! Some endpoints don't support CORS at all (Okta's OpenAPI spec marks the ones that do with
//! `x-okta-lifecycle.isCorsEnabled`, flows.md §1.1; the partial list is `data/cors_endpoints.tsv`):
//! a cookie or SSWS call to one fails whatever the Trusted Origins, so it is
//! `cors.endpoint_not_cors_enabled` instead of `cors.origin_not_trusted`. OAuth bearer-token calls
//! get CORS headers regardless of the flag (Okta 2020.04.0), so they stay `origin_not_trusted`.
//!
//! Not judged: navigations (no CORS check applies), same-origin requests (an Okta-hosted page
//! calling its own org), `Origin: null` (an opaque origin can't be trusted by name), and
//! endpoints the list doesn't name.

use crate::{
    catalogue, cause,
    endpoint::{fit, segments},
    exchange::Seen,
    report::{Finding, Severity},
};

const ENDPOINTS: &str = catalogue::data!("cors_endpoints.tsv");

/// The path template of `data/cors_endpoints.tsv` that `method` on `path` (query ignored) is, if
/// that operation is not CORS-enabled; the best fit wins (a literal segment beats a placeholder,
/// so `/api/v1/sessions/me` is not `/api/v1/sessions/{sessionId}`).
pub fn not_cors_enabled(method: &str, path: &str) -> Option<&'static str> {
    let path = crate::context::path_of(path)?;
    let segs = segments(&path);
    catalogue::rows(ENDPOINTS)
        .filter_map(|r| Some((*r.first()?, *r.get(1)?, *r.get(2)? == "no")))
        .filter(|(m, _, _)| *m == "*" || m.eq_ignore_ascii_case(method))
        .filter_map(|(_, t, no)| fit(t, &segs).map(|f| (f, t, no)))
        .max_by(|(a, _, _), (b, _, _)| a.cmp(b))
        .and_then(|(_, t, no)| no.then_some(t))
}

/// One browser request to Okta as CORS sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct Cors<'a> {
    /// The page's origin (the request's `Origin`).
    pub origin: &'a str,
    /// A preflight's `Access-Control-Request-Method`.
    pub preflight: Option<&'a str>,
    /// A preflight asking to send an `Authorization` header.
    pub preflight_authorization: bool,
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
    let preflight_authorization = req.preflight_headers.as_deref().is_some_and(|h| {
        h.split(',')
            .any(|n| n.trim().eq_ignore_ascii_case("authorization"))
    });
    Some(Cors {
        origin,
        preflight,
        preflight_authorization,
        allow_origin: seen.header("access-control-allow-origin"),
        any_cors_header: seen.headers().iter().any(|h| {
            let n = h.name;
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
    // The operation the page meant (a preflight's is the method it asks for) on an endpoint
    // without CORS support, called without an OAuth bearer token (a preflight asking for an
    // Authorization header may be one): no Trusted Origin can help.
    let bearer = seen.ctx.is_bearer() || c.preflight_authorization;
    let not_cors = match (c.preflight.or(seen.method.as_deref()), path) {
        (Some(m), Some(p)) if !bearer => not_cors_enabled(m, p),
        _ => None,
    };
    let untrusted = |preflight: bool| match not_cors {
        Some(template) => Finding::fact("cors.endpoint_not_cors_enabled", Severity::Error)
            .with("preflight", preflight)
            .with("template", template),
        None => {
            Finding::fact("cors.origin_not_trusted", Severity::Error).with("preflight", preflight)
        }
    };
    let finding = match (c.preflight, real) {
        // A preflight refused (an error status) or answered without this origin.
        (Some(method), _) => untrusted(true).with("requestMethod", method),
        // An error answered with no CORS header at all: the page sees only "CORS".
        (None, Some(real)) if failed && !c.any_cors_header => {
            // On an endpoint without CORS the error is still the cause to fix first, but no
            // Trusted Origin will let the page read the answer once it is: the words say so.
            Finding::fact("cors.error_hidden", Severity::Warning)
                .with("cause", &*real.id)
                .with("notCorsEnabled", not_cors)
        }
        _ => untrusted(false),
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
            .map(|f| f.id.to_string())
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
    fn endpoints_without_cors_are_looked_up_by_template() {
        let cases = [
            ("GET", "/api/v1/groups", Some("/api/v1/groups")),
            ("POST", "/api/v1/apps?limit=20", Some("/api/v1/apps")),
            (
                "GET",
                "https://dev-1.okta.com/api/v1/org",
                Some("/api/v1/org"),
            ),
            (
                "GET",
                "/api/v1/users/00u1abc/factors",
                Some("/api/v1/users/{userId}/factors"),
            ),
            (
                "DELETE",
                "/api/v1/sessions/102abc",
                Some("/api/v1/sessions/{sessionId}"),
            ),
            // A literal beats a placeholder: sessions/me is CORS-enabled.
            ("GET", "/api/v1/sessions/me", None),
            ("GET", "/api/v1/users/me", None),
            ("GET", "/api/v1/users", None),
            // Exact templates only: sub-paths are not implied.
            ("GET", "/api/v1/groups/00g1/users", None),
            ("GET", "/oauth2/v1/keys", None),
        ];
        for (method, path, want) in cases {
            assert_eq!(
                super::not_cors_enabled(method, path),
                want,
                "{method} {path}"
            );
        }
    }

    #[test]
    fn an_endpoint_without_cors_replaces_origin_not_trusted_unless_a_bearer_token_could_pass() {
        let bearer = ("Authorization", "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln");
        let cases: Vec<(&str, Exchange, &[&str])> = vec![
            (
                "cookie call to groups",
                ex("GET", "/api/v1/groups", 200, &[("Origin", APP)], &[]),
                &["cors.endpoint_not_cors_enabled"],
            ),
            (
                "bearer call to groups",
                ex(
                    "GET",
                    "/api/v1/groups",
                    200,
                    &[("Origin", APP), bearer],
                    &[],
                ),
                &["cors.origin_not_trusted"],
            ),
            (
                "CORS-enabled endpoint",
                ex("GET", "/api/v1/users/me", 200, &[("Origin", APP)], &[]),
                &["cors.origin_not_trusted"],
            ),
            (
                "preflight of a cookie call",
                ex(
                    "OPTIONS",
                    "/api/v1/apps",
                    200,
                    &[
                        ("Origin", APP),
                        ("Access-Control-Request-Method", "POST"),
                        (
                            "Access-Control-Request-Headers",
                            "content-type,x-okta-user-agent-extended",
                        ),
                    ],
                    &[],
                ),
                &["cors.endpoint_not_cors_enabled"],
            ),
            (
                "preflight of a call with Authorization",
                ex(
                    "OPTIONS",
                    "/api/v1/apps",
                    200,
                    &[
                        ("Origin", APP),
                        ("Access-Control-Request-Method", "GET"),
                        ("Access-Control-Request-Headers", "accept, Authorization"),
                    ],
                    &[],
                ),
                &["cors.origin_not_trusted"],
            ),
            (
                "an SSWS call to org",
                ex(
                    "GET",
                    "/api/v1/org",
                    200,
                    &[
                        ("Origin", APP),
                        (
                            "Authorization",
                            "SSWS 00abcdefghijklmnopqrstuvwxyz0123456789AB",
                        ),
                    ],
                    &[],
                ),
                &[
                    "cors.api_token_in_browser",
                    "cors.endpoint_not_cors_enabled",
                ],
            ),
            (
                "answered with CORS headers after all",
                ex(
                    "GET",
                    "/api/v1/groups",
                    200,
                    &[("Origin", APP)],
                    &[("Access-Control-Allow-Origin", APP)],
                ),
                &[],
            ),
        ];
        for (name, e, want) in cases {
            assert_eq!(ids(&e), want.to_vec(), "{name}");
        }
        let r = crate::http::analyze_exchange(&ex(
            "OPTIONS",
            "/api/v1/sessions/102abc",
            200,
            &[("Origin", APP), ("Access-Control-Request-Method", "DELETE")],
            &[],
        ));
        let f = r
            .findings
            .iter()
            .find(|f| f.id == "cors.endpoint_not_cors_enabled")
            .unwrap();
        assert_eq!(
            f.params.text("template"),
            Some("/api/v1/sessions/{sessionId}")
        );
        assert_eq!(f.params.text("requestMethod"), Some("DELETE"));
        assert_eq!(f.params.text("origin"), Some(APP));
        let mut worded = f.clone();
        crate::explain::finding(&mut worded);
        assert!(
            worded
                .title
                .starts_with("DELETE /api/v1/sessions/{sessionId} does not support CORS"),
            "{}",
            f.title
        );
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
