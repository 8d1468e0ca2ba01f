//! The words of the `cors.*` findings (crate/src/cors.rs records them): the origin to trust, the
//! endpoint that must be called from a backend, the API token that must leave the page, the real
//! error behind a "CORS error". Okta's facts:
//! flows.md §1 (Trusted Origins, the CORS scope, OAuth for Okta).

use crate::report::Finding;

const TRUSTED_ORIGINS_DOCS: &str = "https://developer.okta.com/docs/guides/enable-cors/main/";
const OAUTH_FOR_OKTA_DOCS: &str =
    "https://developer.okta.com/docs/guides/implement-oauth-for-okta/main/";

pub(super) fn word(f: &mut Finding) {
    let p = &f.params;
    let w = &mut **f.words.get_or_insert_with(Box::default);
    let origin = p.str("origin").to_string();
    let okta = p.text("okta").unwrap_or("your Okta org").to_string();
    let call = match (p.text("method"), p.text("path")) {
        (Some(m), Some(path)) => format!("{m} {path}"),
        (None, Some(path)) => path.to_string(),
        _ => "the request".to_string(),
    };
    let browser = p
        .text("browserError")
        .map(|e| format!(" The browser then failed the request ({e}): the page saw a network error and no response."))
        .unwrap_or_default();
    match &*f.id {
        "cors.origin_not_trusted" => {
            let answered = match p.text("allowOrigin") {
                Some(a) => format!("with Access-Control-Allow-Origin: {a}, another origin"),
                None => "without Access-Control-Allow-Origin".to_string(),
            };
            let status = p.int("status").map(|s| format!(" {s}")).unwrap_or_default();
            if p.flag("preflight") {
                w.title = format!("{origin} is not a Trusted Origin (CORS preflight refused)");
                w.detail = format!(
                    "Before sending {} {} from the page at {origin}, the browser asked {okta} (OPTIONS preflight) whether that origin may call it. Okta answered{status} {answered}, so the browser never sent the real request and the page saw only a CORS error.{browser}",
                    p.text("requestMethod").unwrap_or("the request"),
                    p.text("path").unwrap_or(""),
                );
            } else {
                w.title = format!("{origin} is not a Trusted Origin with CORS");
                w.detail = format!(
                    "The page at {origin} called {call} on {okta}. Okta answered{status} {answered}, so the browser hid the response from the page: it saw a CORS error, whatever Okta said.{browser}"
                );
            }
            w.fix = vec![
                format!("Add {origin} as a Trusted Origin with CORS: Admin Console → Security → API → Trusted Origins → Add Origin, Origin URL exactly {origin} (scheme, host and port, no path, no trailing slash), Type: CORS."),
                "If the call uses an OAuth access token for Okta's own API, Okta answers it with CORS headers whatever the Trusted Origins; an API token (SSWS) or a session cookie needs the Trusted Origin.".into(),
            ];
            w.docs_url = Some(TRUSTED_ORIGINS_DOCS.into());
        }
        "cors.endpoint_not_cors_enabled" => {
            let method = p
                .text("requestMethod")
                .or(p.text("method"))
                .unwrap_or("the call");
            let path = p.text("path").unwrap_or("this endpoint");
            let template = p.text("template").unwrap_or(path);
            let status = p.int("status").map(|s| format!(" {s}")).unwrap_or_default();
            w.title = format!("{method} {template} does not support CORS: call it from a backend");
            let asked = if p.flag("preflight") {
                format!("Before sending {method} {path} from the page at {origin}, the browser asked {okta} (OPTIONS preflight) whether that origin may call it; Okta answered{status} without Access-Control-Allow-Origin, so the real request was never sent.")
            } else {
                format!("The page at {origin} called {method} {path} on {okta}; Okta answered{status} without Access-Control-Allow-Origin, so the browser hid the response and the page saw a CORS error.")
            };
            w.detail = format!(
                "{asked}{browser} Okta's API spec does not mark {method} {template} as CORS-enabled: Okta sends no CORS headers for it to a cookie or API-token call from any origin, so adding {origin} as a Trusted Origin would not help."
            );
            w.fix = vec![
                format!("Call {method} {template} from your backend (a server-side route of your app the page calls), not from the browser."),
                "Or call it from the page with an OAuth access token for Okta's API (OAuth for Okta, Authorization: Bearer …, scoped to what the page needs): Okta answers bearer-token calls with CORS headers whatever the endpoint. Or use an endpoint that supports CORS.".into(),
            ];
            w.docs_url = Some(OAUTH_FOR_OKTA_DOCS.into());
        }
        "cors.api_token_in_browser" => {
            w.title = "An Okta API token (SSWS) is sent from a web page".into();
            w.detail = format!(
                "The page at {origin} sent {call} to {okta} with \"Authorization: SSWS …\". An API token acts with all the privileges of the admin who created it; anyone who opens the page can read it from the page's code or network traffic. Okta's CORS relaxation for bearer tokens covers OAuth access tokens only, not API tokens."
            );
            w.fix = vec![
                "Revoke this API token: Admin Console → Security → API → Tokens; it has been exposed to every visitor of the page.".into(),
                "Call Okta's API from your backend with the token kept on the server, or from the page with an OAuth access token scoped to what it needs (OAuth for Okta).".into(),
            ];
            w.docs_url = Some(OAUTH_FOR_OKTA_DOCS.into());
        }
        "cors.error_hidden" => {
            let status = p.int("status").unwrap_or_default();
            // The cause as the user knows it (Okta's E-code, the OAuth error), never our id; with
            // no body to read (the browser withheld it) the status is all there is.
            let cause = match p.str("cause").split_once('.') {
                Some(("http", _)) | None => None,
                Some((_, name)) => Some(name.to_string()),
            };
            let hidden = cause
                .clone()
                .unwrap_or_else(|| format!("Okta's HTTP {status}"));
            w.title = format!("The page saw a CORS error hiding {hidden}");
            let behind = match &cause {
                Some(c) => format!("The real problem is the error itself: see the {c} finding for this request."),
                None => "The real problem is the error itself, and the browser withheld its body: read it on Okta's side.".to_string(),
            };
            w.detail = format!(
                "The page at {origin} called {call} on {okta}. Okta answered with an error, HTTP {status}, and no Access-Control-* header, so the browser gave the page only a CORS error.{browser} {behind}"
            );
            let first = match &cause {
                Some(c) => format!("Fix the {c} error (its own finding says how); the CORS error goes with it."),
                None => format!("Find why Okta answered HTTP {status}: look this request up in the System Log, or repeat the call with curl -si to see the body."),
            };
            let then = match p.text("notCorsEnabled") {
                // Adding the origin would not help there (flows.md §1.1): the endpoint has no CORS.
                Some(template) => format!("Even then the page can't read {template}: Okta's API doesn't support CORS on it, and no Trusted Origin changes that. Call it from your backend, or with an OAuth for Okta bearer token (Okta answers those with CORS headers on any endpoint)."),
                None => format!("If the page still sees a CORS error once that is fixed, add {origin} as a Trusted Origin with CORS: Admin Console → Security → API → Trusted Origins."),
            };
            w.fix = vec![first, then];
            w.docs_url = Some(TRUSTED_ORIGINS_DOCS.into());
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::report::{Finding, Severity};

    fn worded(mut f: Finding) -> Finding {
        super::super::finding(&mut f);
        f
    }

    #[test]
    fn each_finding_names_the_origin_and_where_to_fix_it() {
        let o = "http://127.0.0.1:8080";
        let untrusted = worded(
            Finding::fact("cors.origin_not_trusted", Severity::Error)
                .with("origin", o)
                .with("okta", "https://dev-1.okta.com")
                .with("preflight", true)
                .with("requestMethod", "GET")
                .with("path", "/api/v1/users/me")
                .with("status", 200),
        );
        assert!(untrusted.title.contains(o) && untrusted.title.contains("preflight"));
        assert!(
            untrusted.fix[0].contains("Security → API → Trusted Origins")
                && untrusted.fix[0].contains(&format!("exactly {o} "))
        );
        let hidden = worded(
            Finding::fact("cors.error_hidden", Severity::Warning)
                .with("origin", o)
                .with("status", 401)
                .with("cause", "okta_error.E0000011")
                .with("browserError", "net::ERR_FAILED"),
        );
        assert_eq!(hidden.title, "The page saw a CORS error hiding E0000011");
        assert!(hidden.detail.contains("net::ERR_FAILED"));
        assert!(hidden.fix[1].contains("Trusted Origin with CORS"));
        // Behind an endpoint without CORS, adding the origin is not the advice.
        let hidden_no_cors = worded(
            Finding::fact("cors.error_hidden", Severity::Warning)
                .with("origin", o)
                .with("status", 403)
                .with("cause", "okta_error.E0000006")
                .with("notCorsEnabled", "/api/v1/groups"),
        );
        assert!(hidden_no_cors.fix[1].contains("backend"));
        assert!(!hidden_no_cors.fix.iter().any(|x| x.contains("add http")));
        let endpoint = worded(
            Finding::fact("cors.endpoint_not_cors_enabled", Severity::Error)
                .with("origin", o)
                .with("okta", "https://dev-1.okta.com")
                .with("preflight", false)
                .with("method", "GET")
                .with("path", "/api/v1/groups")
                .with("template", "/api/v1/groups")
                .with("status", 200),
        );
        assert_eq!(
            endpoint.title,
            "GET /api/v1/groups does not support CORS: call it from a backend"
        );
        assert!(endpoint.detail.contains(o) && endpoint.detail.contains("would not help"));
        assert!(endpoint.fix[0].contains("backend") && endpoint.fix[1].contains("Bearer"));
        let ssws =
            worded(Finding::fact("cors.api_token_in_browser", Severity::Error).with("origin", o));
        assert!(ssws.detail.contains(o) && ssws.fix[0].starts_with("Revoke"));
    }
}
