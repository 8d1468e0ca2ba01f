//! The sign-in flow across requests (issue 16): what one exchange says on its own (here), what
//! it says read with the requests before it (`fold.rs`, the session's flow state), and how an
//! exchange is read for it, secrets digested at once (`read.rs`).
//!
//! On its own: Okta refusing to start a
//! sign-in. RFC 6749 §4.1.2.1: when `redirect_uri` or `client_id` is invalid, the authorization
//! server must not redirect back; Okta renders an error page instead, "The 'redirect_uri'
//! parameter must be a Login redirect URI in the client app settings" (flows.md §2). Webrequest
//! sees the `/authorize` navigation's URL and its 400, not the page's text, so the URL's
//! `redirect_uri` and `client_id` are what the finding names.

use crate::{
    exchange::Seen,
    report::{Finding, Report, Severity},
};

pub mod fold;

pub use crate::digest::flows::State;
pub use crate::exchange::flow as read;
pub use read::form_fields;

/// Folds the exchange `seen` (observed at `at`, epoch ms; redirected to `redirect_url` when
/// the browser said so) into a session's flow state; the flow findings it gives join `report`
/// (its analysis), worst first.
pub fn fold(
    state: &mut State,
    seen: &Seen,
    redirect_url: Option<&str>,
    at: f64,
    report: &mut Report,
) {
    if seen.flow.endpoint == read::Endpoint::None
        && seen.flow.callback.is_none()
        && seen.carried().is_none()
    {
        return;
    }
    let location = seen
        .status()
        .filter(|s| (300..400).contains(s))
        .and_then(|_| seen.header("location"));
    let worst = report
        .findings
        .iter()
        .find(|f| f.severity >= Severity::Warning)
        .map(|f| &*f.id);
    let observed = fold::Observed {
        read: &seen.flow,
        status: seen.status(),
        json: seen.json.as_ref().and_then(|b| b.value()),
        body: seen.body.as_deref(),
        redirect: redirect_url.or(location),
        finding: worst,
        at: if at.is_finite() { at } else { 0.0 },
        saml: seen.carried(),
    };
    let found = state.observe(&observed);
    add(report, found);
}

/// Adds `found` to `report` (those it doesn't have yet), keeping it worst first with the flow's
/// findings leading their severity: read across requests, they name the cause the exchange's
/// own findings only describe (`invalid_grant` is a PKCE mismatch). An error among them
/// explains the failure, so "the status alone" (`http.error_status`) goes, as `cause::fold`
/// drops it for any explained failure.
pub fn add(report: &mut Report, found: Vec<Finding>) {
    let new: Vec<Finding> = found.into_iter().filter(|f| !report.has(&f.id)).collect();
    if new.is_empty() {
        return;
    }
    if new.iter().any(|f| f.severity == Severity::Error) {
        report.findings.retain(|f| f.id != "http.error_status");
    }
    report.findings.splice(0..0, new);
    report.resettle();
}

/// The flow findings one exchange gives on its own.
pub fn findings(seen: &Seen) -> Vec<Finding> {
    authorize_refused(seen)
        .into_iter()
        .chain(token_from_another_server(seen))
        .collect()
}

/// An access token sent to another authorization server's `/userinfo` than the one that
/// issued it (flows.md §10: Okta answers 401 `invalid_token`): its `iss` against the issuer the
/// URL names (`https://{host}/oauth2/{id}`, or `https://{host}` for the org server's
/// `/oauth2/v1`).
fn token_from_another_server(seen: &Seen) -> Option<Finding> {
    let url = seen.url.as_deref()?;
    let base = url.split(['?', '#']).next()?;
    let server = base.strip_suffix("/v1/userinfo")?;
    let endpoint_issuer = server.strip_suffix("/oauth2").unwrap_or(server);
    let iss = seen.jwt.as_ref()?.claim_str("iss")?.trim_end_matches('/');
    if iss.eq_ignore_ascii_case(endpoint_issuer) {
        return None;
    }
    // Another Okta server (an Okta host, or the endpoint's own host: a custom domain); a
    // token that isn't Okta's at all is jwt.not_okta's to explain.
    let iss_host = crate::domain::host_of(iss)?;
    let okta = crate::domain::is_okta_host(&iss_host)
        || crate::domain::host_of(endpoint_issuer).is_some_and(|h| h == iss_host);
    if !okta {
        return None;
    }
    let severity = if seen.status().is_some_and(|s| s >= 400) {
        Severity::Error
    } else {
        Severity::Warning
    };
    Some(
        Finding::fact("flow.issuer_mismatch", severity)
            .with("tokenIssuer", iss.to_string())
            .with("endpointIssuer", endpoint_issuer.to_string())
            .with("status", seen.status())
            .evidence("token", "iss", iss.to_string()),
    )
}

/// `GET …/v1/authorize` answered 400: the sign-in never started.
fn authorize_refused(seen: &Seen) -> Option<Finding> {
    if seen.status() != Some(400) {
        return None;
    }
    if seen
        .method
        .as_deref()
        .is_some_and(|m| !m.eq_ignore_ascii_case("GET"))
    {
        return None;
    }
    let url = seen.url.as_deref().filter(|u| u.contains('?'))?;
    let path = read::path_of(url);
    if !path.ends_with("/v1/authorize") {
        return None;
    }
    let params = read::url_params(url);
    let param = |name: &str| read::get(&params, name).map(str::to_string);
    let redirect_uri = param("redirect_uri");
    let client_id = param("client_id");
    let mut f = Finding::fact("flow.redirect_uri_not_registered", Severity::Error)
        .with("redirectUri", redirect_uri.clone())
        .with("clientId", client_id.clone())
        .with("domain", seen.ctx.domain.clone())
        .with("path", path.to_string())
        .evidence("response", "status", "400");
    if let Some(r) = redirect_uri {
        f = f.evidence("url", "redirect_uri", r);
    }
    if let Some(c) = client_id {
        f = f.evidence("url", "client_id", c);
    }
    Some(f)
}

#[cfg(test)]
mod single_exchange_tests {
    use super::*;
    use crate::exchange::Exchange;

    fn seen(method: &str, url: &str, status: u16) -> Seen {
        Seen::from_exchange(
            &Exchange {
                observed_at: Some(1_750_000_000_000.0),
                method: Some(method.into()),
                url: Some(url.into()),
                status_code: Some(status),
                ..Exchange::default()
            },
            None,
        )
    }

    #[test]
    fn a_refused_authorize_names_its_redirect_uri_and_client() {
        let url = "https://dev-1.okta.com/oauth2/default/v1/authorize?client_id=0oa1&redirect_uri=http%3A%2F%2Flocalhost%3A8080%2Flogin%2Fcallback&response_type=code&state=s";
        let f = findings(&seen("GET", url, 400));
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].params.text("redirectUri"),
            Some("http://localhost:8080/login/callback")
        );
        assert_eq!(f[0].params.text("clientId"), Some("0oa1"));
        assert_eq!(f[0].params.text("domain"), Some("dev-1.okta.com"));
        // The org server's /authorize too; not another status, path or method.
        let org = "https://dev-1.okta.com/oauth2/v1/authorize?client_id=0oa1&redirect_uri=x";
        assert_eq!(findings(&seen("GET", org, 400)).len(), 1);
        for (m, u, s) in [
            ("GET", url, 302),
            ("GET", url, 200),
            ("POST", url, 400),
            (
                "GET",
                "https://dev-1.okta.com/oauth2/default/v1/token?x=1",
                400,
            ),
            (
                "GET",
                "https://dev-1.okta.com/oauth2/default/v1/authorize",
                400,
            ),
        ] {
            assert!(findings(&seen(m, u, s)).is_empty(), "{m} {u} {s}");
        }
    }

    #[test]
    fn a_token_sent_to_another_servers_userinfo() {
        let token = |iss: &str| {
            crate::jwt::testing::token(
                serde_json::json!({"alg": "RS256"}),
                serde_json::from_str(&format!(r#"{{"iss":"{iss}","cid":"0oa1"}}"#))
                    .unwrap_or_default(),
            )
        };
        let at = |url: &str, iss: &str| {
            Seen::from_exchange(
                &Exchange {
                    observed_at: Some(1_750_000_000_000.0),
                    method: Some("GET".into()),
                    url: Some(url.into()),
                    status_code: Some(401),
                    request_headers: vec![crate::exchange::Header {
                        name: "Authorization".into(),
                        value: Some(format!("Bearer {}", token(iss))),
                    }]
                    .into(),
                    ..Exchange::default()
                },
                None,
            )
        };
        let custom = "https://dev-1.okta.com/oauth2/default";
        let f = findings(&at("https://dev-1.okta.com/oauth2/v1/userinfo", custom));
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].id, "flow.issuer_mismatch");
        assert_eq!(
            f[0].params.text("endpointIssuer"),
            Some("https://dev-1.okta.com")
        );
        assert_eq!(f[0].params.text("tokenIssuer"), Some(custom));
        // Its own server's endpoint, and the org server's token at the org endpoint: nothing.
        assert!(findings(&at(&format!("{custom}/v1/userinfo"), custom)).is_empty());
        let org = "https://dev-1.okta.com";
        assert!(findings(&at("https://dev-1.okta.com/oauth2/v1/userinfo", org)).is_empty());
    }
}

#[cfg(test)]
mod tests;
