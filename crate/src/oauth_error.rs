//! OAuth 2.0 / OIDC errors (RFC 6749 §5.2, OIDC Core §3.1.2.6) as Okta returns them: a JSON
//! body `{error, error_description}`, redirect parameters, or a `WWW-Authenticate` challenge
//! (RFC 6750 §3, RFC 9449 §7.1) — okta.md §2.1 and §2.4.

use serde_json::Value;

use crate::{
    jwt::clip,
    report::{Finding, Severity},
};

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Error {
    pub error: String,
    pub description: Option<String>,
    /// Where it came from: `body`, `redirect`, `WWW-Authenticate`.
    pub source: &'static str,
    /// `WWW-Authenticate` extras (RFC 6750 §3): scheme, scope, resource, realm.
    pub params: Vec<(String, String)>,
}

/// RFC 6749 §5.2: `error` is a printable ASCII token. Anything else gets a neutral id.
fn id_for(error: &str) -> String {
    let ok = !error.is_empty()
        && error.len() <= 64
        && error
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.');
    if ok {
        format!("oauth_error.{error}")
    } else {
        "oauth_error.invalid".to_string()
    }
}

/// A JSON body with a string `error`. `None` when it is something else.
pub fn parse(v: &Value) -> Option<Error> {
    let obj = v.as_object()?;
    let error = obj.get("error")?.as_str()?;
    Some(Error {
        error: error.to_string(),
        description: obj
            .get("error_description")
            .and_then(Value::as_str)
            .map(str::to_string),
        source: "body",
        params: Vec::new(),
    })
}

/// Parses a `WWW-Authenticate` challenge: a scheme and `key="value"`/`key=value` pairs
/// (quoted values may hold commas). `None` when it carries no `error`.
pub fn parse_challenge(header: &str) -> Option<Error> {
    let header = header.trim();
    let (scheme, rest) = header
        .split_once(char::is_whitespace)
        .unwrap_or((header, ""));
    let mut params = vec![("scheme".to_string(), scheme.to_string())];
    let mut chars = rest.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace() || *c == ',').is_some() {}
        let key: String =
            std::iter::from_fn(|| chars.next_if(|c| *c != '=' && *c != ',')).collect();
        if key.trim().is_empty() {
            break;
        }
        if chars.next_if_eq(&'=').is_none() {
            continue;
        }
        let value = if chars.next_if_eq(&'"').is_some() {
            let mut v = String::new();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => v.extend(chars.next()),
                    '"' => break,
                    c => v.push(c),
                }
            }
            v
        } else {
            std::iter::from_fn(|| chars.next_if(|c| *c != ','))
                .collect::<String>()
                .trim()
                .to_string()
        };
        params.push((key.trim().to_ascii_lowercase(), value));
    }
    let get = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let error = get("error")?;
    let description = get("error_description");
    Some(Error {
        error,
        description,
        source: "WWW-Authenticate",
        params: params
            .into_iter()
            .filter(|(k, _)| k != "error" && k != "error_description")
            .collect(),
    })
}

pub fn findings(e: &Error, status: Option<u16>) -> Vec<Finding> {
    let description = e.description.as_deref().map(clip);
    let title = match &description {
        Some(d) => format!("{}: {d}", clip(&e.error)),
        None => clip(&e.error),
    };
    let mut detail = format!(
        "The authorization server returned the OAuth error \"{}\"{}{}.",
        clip(&e.error),
        match e.source {
            "body" => " in the response body".to_string(),
            "redirect" => " in the redirect back to the app".to_string(),
            other => format!(" in the {other} header"),
        },
        status
            .map(|s| format!(" with HTTP {s}"))
            .unwrap_or_default()
    );
    if let Some(d) = &description {
        detail.push_str(&format!(" Description: \"{d}\"."));
    }
    let mut f = Finding::new(id_for(&e.error), Severity::Error, title)
        .detail(detail)
        .fix("Read error_description: Okta puts the specific cause there (the error value alone is generic).")
        .docs("https://developer.okta.com/docs/reference/error-codes/#oauth-2-0-and-openid-connect-errors")
        .evidence(e.source, "error", clip(&e.error));
    if let Some(d) = &description {
        f = f.evidence(e.source, "error_description", d.clone());
    }
    for (k, v) in &e.params {
        f = f.evidence(e.source, clip(k), clip(v));
    }
    vec![f]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn challenge_parsing_table() {
        let cases = [
            (
                r#"Bearer error="invalid_token", error_description="The access token is invalid""#,
                Some(("invalid_token", Some("The access token is invalid"))),
            ),
            (
                r#"Bearer authorization_uri="http://x.okta.com/oauth2/v1/authorize", realm="http://dev.okta.com", scope="okta.groups.read", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", resource="/api/v1/groups/12345""#,
                Some((
                    "insufficient_scope",
                    Some("The access token provided does not contain the required scopes."),
                )),
            ),
            (
                r#"DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof""#,
                Some((
                    "use_dpop_nonce",
                    Some("Resource server requires nonce in DPoP proof"),
                )),
            ),
            (
                r#"Bearer realm="x", error=insufficient_authentication_context, max_age=900"#,
                Some(("insufficient_authentication_context", None)),
            ),
            (r#"Oktadevicejwt realm="Okta Device""#, None),
            ("", None),
            (
                r#"Bearer error="unterminated"#,
                Some(("unterminated", None)),
            ),
        ];
        for (h, want) in cases {
            let got = parse_challenge(h);
            assert_eq!(
                got.as_ref()
                    .map(|e| (e.error.as_str(), e.description.as_deref())),
                want,
                "{h}"
            );
        }
        let e = parse_challenge(cases[1].0);
        let scope = e.and_then(|e| e.params.into_iter().find(|(k, _)| k == "scope"));
        assert_eq!(scope.map(|(_, v)| v).as_deref(), Some("okta.groups.read"));
    }

    #[test]
    fn ids_are_sanitised() {
        assert_eq!(id_for("invalid_client"), "oauth_error.invalid_client");
        assert_eq!(id_for("<img src=x>"), "oauth_error.invalid");
        assert_eq!(id_for(""), "oauth_error.invalid");
        let f = parse(&json!({"error": "invalid_client", "error_description": "No client credentials found."}))
            .map(|e| findings(&e, Some(401)))
            .unwrap_or_default();
        assert_eq!(f[0].title, "invalid_client: No client credentials found.");
    }
}
