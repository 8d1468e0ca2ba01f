//! Credentials that are not JWTs, and where browsers keep tokens: Okta SSWS API tokens
//! (okta.md §5.4), opaque tokens such as refresh tokens, and okta-auth-js's
//! `okta-token-storage` value (okta.md §5.5). Secrets are masked before they reach a report.

use serde_json::{json, Map, Value};

use crate::{
    jwt::{self, clip},
    report::{Finding, Severity},
    timestamp,
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
        out.push(scheme_mismatch(
            "An SSWS API token sent with the Bearer scheme",
            "Okta API tokens must be sent as \"Authorization: SSWS <token>\". With \"Bearer\", Okta tries to read it as an OAuth access token and answers 401 E0000011 \"Invalid token provided\".",
            "Change the header to \"Authorization: SSWS <token>\".",
        ));
    }
    out
}

pub fn scheme_mismatch(title: &str, detail: &str, fix: &str) -> Finding {
    Finding::new("auth.scheme_mismatch", Severity::Error, title)
        .detail(detail)
        .fix(fix)
        .docs("https://developer.okta.com/docs/reference/core-okta-api/#authentication")
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

/// One token kept by okta-auth-js, under its storage key (`accessToken`, `idToken`, …).
#[derive(Clone, Debug, PartialEq)]
pub struct Stored {
    pub key: String,
    pub fields: Map<String, Value>,
}

/// The fields okta-auth-js stores a token's value under (`lib/oidc/types/Token.ts`).
const VALUE_FIELDS: [&str; 3] = ["accessToken", "idToken", "refreshToken"];

/// An `okta-token-storage` value: either the whole map (`{"idToken": {...}, …}`) or one
/// token object (the per-token cookie form). `None` when the JSON is something else.
pub fn parse_storage(v: &Value) -> Option<Vec<Stored>> {
    let obj = v.as_object()?;
    if let Some(field) = VALUE_FIELDS
        .iter()
        .find(|f| obj.get(**f).is_some_and(Value::is_string))
    {
        return Some(vec![Stored {
            key: (*field).to_string(),
            fields: obj.clone(),
        }]);
    }
    let stored: Vec<Stored> = obj
        .iter()
        .filter_map(|(k, v)| {
            let fields = v.as_object()?;
            VALUE_FIELDS
                .iter()
                .any(|f| fields.get(*f).is_some_and(Value::is_string))
                .then(|| Stored {
                    key: k.clone(),
                    fields: fields.clone(),
                })
        })
        .collect();
    (!stored.is_empty() && stored.len() == obj.len()).then_some(stored)
}

impl Stored {
    fn secret(&self) -> Option<(&'static str, &str)> {
        VALUE_FIELDS
            .iter()
            .find_map(|f| Some((*f, self.fields.get(*f)?.as_str()?)))
    }

    fn expires_at(&self) -> Option<i64> {
        self.fields
            .get("expiresAt")
            .and_then(timestamp::numeric_date)
    }
}

/// Each stored token analysed on its own; titles say which token a finding is about.
pub fn storage_findings(stored: &[Stored], now: i64) -> Vec<Finding> {
    let mut out = Vec::new();
    for s in stored {
        let label = clip(&s.key);
        match s.secret() {
            Some(("refreshToken", secret)) => {
                let mut f = Finding::new(
                    "token.refresh_token",
                    Severity::Info,
                    format!("{label}: refresh token present"),
                )
                .detail(format!(
                    "A refresh token ({}) is stored in the browser, so the app can renew its tokens without a new sign-in. It is masked here.",
                    mask(secret)
                ));
                if let Some(exp) = s.expires_at() {
                    f = f.evidence("okta-token-storage", "expiresAt", timestamp::iso8601(exp));
                }
                out.push(f);
            }
            Some((_, token)) => {
                let jwt = jwt::decode(&jwt::extract(token).value, None);
                for mut f in jwt::findings(&jwt, now) {
                    f.title = format!("{label}: {}", f.title);
                    f.evidence.insert(
                        0,
                        crate::report::Evidence {
                            source: "okta-token-storage".into(),
                            name: "key".into(),
                            value: label.clone(),
                        },
                    );
                    out.push(f);
                }
            }
            None => {}
        }
    }
    out
}

pub fn storage_view(stored: &[Stored], now: i64) -> Value {
    let entries: Vec<Value> = stored
        .iter()
        .map(|s| {
            let mut e = json!({ "key": s.key });
            if let Some(o) = e.as_object_mut() {
                if let Some(exp) = s.expires_at() {
                    o.insert("expiresAt".into(), timestamp::view(exp, now));
                }
                if let Some(scopes) = s.fields.get("scopes") {
                    o.insert("scopes".into(), scopes.clone());
                }
                match s.secret() {
                    Some(("refreshToken", secret)) => {
                        o.insert("refreshToken".into(), view("opaque", secret, None));
                    }
                    Some((_, token)) => {
                        o.insert(
                            "jwt".into(),
                            jwt::decode(&jwt::extract(token).value, None).view(now),
                        );
                    }
                    None => {}
                }
            }
            e
        })
        .collect();
    json!({ "format": "okta-token-storage", "entries": entries })
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

    #[test]
    fn storage_forms() {
        let whole = json!({"accessToken": {"accessToken": "x.y.z", "expiresAt": 1}, "refreshToken": {"refreshToken": "abc", "expiresAt": 1}});
        assert_eq!(parse_storage(&whole).map(|s| s.len()), Some(2));
        let cookie = json!({"idToken": "a.b.c", "expiresAt": 1, "claims": {}});
        assert_eq!(
            parse_storage(&cookie).map(|s| s[0].key.clone()),
            Some("idToken".into())
        );
        assert_eq!(parse_storage(&json!({"a": 1})), None);
        assert_eq!(
            parse_storage(&json!({"accessToken": {"accessToken": "x"}, "other": 1})),
            None
        );
    }
}
