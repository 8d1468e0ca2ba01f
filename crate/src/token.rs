//! Credentials that are not JWTs, and where browsers keep tokens: Okta SSWS API tokens
//! (okta.md §5.4), opaque tokens such as refresh tokens, and okta-auth-js's
//! Secrets are masked before they reach a report.

use crate::report::{
    token::{Secret, SecretFormat},
    Finding, Severity,
};

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

/// A credential that can't be decoded as a report shows it: masked, with its length.
pub fn view(format: SecretFormat, secret: &str, scheme: Option<&str>) -> Secret {
    Secret {
        format,
        masked: mask(secret),
        length: secret.len(),
        scheme: scheme.map(str::to_string),
    }
}

pub fn ssws_findings(secret: &str, scheme: Option<&str>) -> Vec<Finding> {
    let mut out = vec![Finding::fact("token.ssws", Severity::Info).with("masked", mask(secret))];
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
    vec![Finding::fact("token.opaque", Severity::Info)
        .with("masked", mask(secret))
        .with("length", secret.len())]
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
            SecretFormat::Ssws,
            "00igKrTNyNLHCw0wYSIsoDF28cN4B3KZPETBz9pqz0",
            Some("Bearer"),
        );
        let text = serde_json::to_string(&v).unwrap();
        assert_eq!(
            text,
            r#"{"format":"ssws","masked":"00ig…z0","length":42,"scheme":"Bearer"}"#
        );
    }

    #[test]
    fn bearer_ssws_is_a_scheme_mismatch() {
        let ids = |s: Option<&str>| -> Vec<String> {
            ssws_findings("00igKrTNyNLHCw0wYSIsoDF28cN4B3KZPETBz9pqz0", s)
                .into_iter()
                .map(|f| f.id.into_owned())
                .collect()
        };
        assert_eq!(ids(Some("Bearer")), ["token.ssws", "auth.scheme_mismatch"]);
        assert_eq!(ids(Some("SSWS")), ["token.ssws"]);
        assert_eq!(ids(None), ["token.ssws"]);
    }
}
