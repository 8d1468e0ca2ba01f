//! Credentials that are not JWTs, and where browsers keep tokens: Okta SSWS API tokens
//! (okta.md §5.4), opaque tokens such as refresh tokens, and okta-auth-js's
//! Secrets are masked before they reach a report.

use serde_json::{json, Value};

use crate::report::{Finding, Severity};

/// The shape secret scanners use for Okta API tokens: `00` + 40 of `[A-Za-z0-9_-]`.
pub fn is_ssws(value: &str) -> bool {
    value.len() == 42
        && value.starts_with("00")
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// A bearer-style string that is not a JWT: one word of token characters, 20–4096 long,
/// with letters and digits (so ordinary words and numbers are not mistaken for tokens).
pub fn is_opaque(value: &str) -> bool {
    (20..=4096).contains(&value.len())
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._~+/=".contains(c))
        && value.chars().any(|c| c.is_ascii_digit())
        && value.chars().any(|c| c.is_ascii_alphabetic())
}

/// `00ig…z0`: enough to tell two tokens apart, useless to an attacker.
pub fn mask(secret: &str) -> String {
    let n = secret.chars().count();
    if n <= 8 {
        return "…".to_string();
    }
    let head: String = secret.chars().take(4).collect();
    let tail: String = secret.chars().skip(n - 2).collect();
    format!("{head}…{tail}")
}

pub fn view(format: &str, secret: &str, scheme: Option<&str>) -> Value {
    let mut v = json!({ "format": format, "masked": mask(secret), "length": secret.len() });
    if let (Some(s), Some(o)) = (scheme, v.as_object_mut()) {
        o.insert("scheme".into(), json!(s));
    }
    v
}

pub fn ssws_findings(secret: &str, scheme: Option<&str>) -> Vec<Finding> {
    let mut out = vec![Finding::new("token.ssws", Severity::Info, "Okta API token (SSWS)")
        .detail(format!(
            "{} has the shape of an Okta API token. It acts with the full privileges of the admin who created it, expires after 30 days without use (the window slides with each use), and by default may use 50% of each rate-limit bucket. It is masked here and never stored.",
            mask(secret)
        ))
        .fix("Send it as \"Authorization: SSWS <token>\" to /api/v1/* endpoints only; OAuth endpoints and resource servers do not accept it.")
        .fix("If it was pasted somewhere shared, revoke it: Admin Console → Security → API → Tokens.")
        .fix("Prefer an OAuth 2.0 service app with scoped okta.* permissions for automation.")
        .command(
            "Check the token works (prints your admin user)",
            "curl -s \"https://$OKTA_DOMAIN/api/v1/users/me\" -H \"Authorization: SSWS $OKTA_API_TOKEN\" -H 'Accept: application/json'",
        )
        .docs("https://developer.okta.com/docs/guides/create-an-api-token/main/")];
    if scheme.is_some_and(|s| s != "SSWS") {
        out.push(scheme_mismatch("ssws_as_bearer"));
    }
    out
}

/// `auth.scheme_mismatch`: a credential sent with the wrong `Authorization` scheme; `why`
/// names which mix-up (`ssws_as_bearer`, `jwt_as_ssws`, `dpop_bound_as_bearer`,
/// `unbound_as_dpop`), each worded by `explain`.
pub fn scheme_mismatch(why: &'static str) -> Finding {
    Finding::fact("auth.scheme_mismatch", Severity::Error).with("why", why)
}

pub fn opaque_findings(secret: &str) -> Vec<Finding> {
    vec![Finding::new("token.opaque", Severity::Info, "Opaque token (not a JWT)")
        .detail(format!(
            "{} is a single opaque string of {} characters: a refresh token, an authorization code, a session token or an access token from a server that does not use JWTs. It cannot be decoded; only the authorization server that issued it can say what it is and whether it is active.",
            mask(secret),
            secret.len()
        ))
        .fix("Ask the issuer: POST it to the authorization server's /introspect endpoint with the client's credentials (command below).")
        .command(
            "Introspect the token (set OKTA_ISSUER, CLIENT_ID, CLIENT_SECRET and TOKEN first)",
            "curl -s -X POST \"$OKTA_ISSUER/v1/introspect\" -u \"$CLIENT_ID:$CLIENT_SECRET\" -d \"token=$TOKEN\" -d token_type_hint=refresh_token",
        )
        .docs("https://developer.okta.com/docs/reference/api/oidc/#introspect")]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        let cases = [
            ("00igKrTNyNLHCw0wYSIsoDF28cN4B3KZPETBz9pqz0", true, true),
            ("00igKrTNyNLHCw0wYSIsoDF28cN4B3KZPETBz9pqz", false, true),
            ("NrJBJ5-89k9CHZ7CJz4Q42yNqoIjm7BclN-1TH_B7z0", false, true),
            ("hello", false, false),
            ("abcdefghijklmnopqrstuvwxyz", false, false),
            ("123456789012345678901234", false, false),
        ];
        for (v, ssws, opaque) in cases {
            assert_eq!(is_ssws(v), ssws, "{v}");
            assert_eq!(is_opaque(v), opaque, "{v}");
        }
    }

    #[test]
    fn masking_hides_the_secret() {
        assert_eq!(
            mask("00igKrTNyNLHCw0wYSIsoDF28cN4B3KZPETBz9pqz0"),
            "00ig…z0"
        );
        assert_eq!(mask("short"), "…");
        let v = view(
            "ssws",
            "00igKrTNyNLHCw0wYSIsoDF28cN4B3KZPETBz9pqz0",
            Some("Bearer"),
        );
        assert!(!v.to_string().contains("KrTNyNLH"));
    }

    #[test]
    fn bearer_ssws_is_a_scheme_mismatch() {
        let ids = |s: Option<&str>| -> Vec<String> {
            ssws_findings("00igKrTNyNLHCw0wYSIsoDF28cN4B3KZPETBz9pqz0", s)
                .into_iter()
                .map(|f| f.id)
                .collect()
        };
        assert_eq!(ids(Some("Bearer")), ["token.ssws", "auth.scheme_mismatch"]);
        assert_eq!(ids(Some("SSWS")), ["token.ssws"]);
        assert_eq!(ids(None), ["token.ssws"]);
    }
}
