//! okta-auth-js's token storage (okta.md §5.5; AJS `lib/constants.ts`, `lib/oidc/types/Token.ts`):
//! the `okta-token-storage` localStorage value and its per-token cookie form. Every stored
//! token is analysed on its own, `expiresAt` is judged against now, and the report says
//! what the app will do next: renew with the refresh token, renew silently, or fail.

use serde_json::{Map, Value};

/// Where okta-auth-js keeps tokens in a page: this key in localStorage or sessionStorage, or
/// `okta-token-storage_<name>` cookies (AJS `TOKEN_STORAGE_NAME`). The extension reads the
/// page's storage for names with this prefix, on the user's request only.
#[cfg_attr(not(feature = "ui"), allow(dead_code))]
pub const KEY_PREFIX: &str = "okta-token-storage";

use crate::{
    jwt::{self, clip},
    report::{
        token::{self as view, SecretFormat, StorageFormat, Token},
        Evidence, Finding, Severity,
    },
    timestamp, token,
};

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
pub fn parse(v: &Value) -> Option<Vec<Stored>> {
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

/// How a stored token stands against `now`, judged by `expiresAt` as okta-auth-js does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Valid,
    ExpiringSoon,
    Expired,
}

fn state(s: &Stored, now: i64) -> Option<State> {
    let exp = s.expires_at()?;
    Some(if exp <= now {
        State::Expired
    } else if exp.saturating_sub(now) <= jwt::EXPIRING_SOON_SECONDS {
        State::ExpiringSoon
    } else {
        State::Valid
    })
}

/// The parameter of a finding about one stored token that names its storage key; the words
/// put it in front of the finding's title (`idToken: Token expired …`).
pub const STORED_UNDER: &str = "storedUnder";

/// Each stored token analysed on its own (each finding records which one), then what the app
/// will do next.
pub fn findings(stored: &[Stored], now: i64) -> Vec<Finding> {
    let mut out = Vec::new();
    for s in stored {
        let label = clip(&s.key);
        match s.secret() {
            Some(("refreshToken", secret)) => {
                out.push(
                    Finding::fact("token.refresh_token", Severity::Info)
                        .with("key", label)
                        .with("masked", token::mask(secret)),
                );
            }
            Some((_, value)) => {
                let decoded = jwt::decode(&jwt::extract(value).value, None);
                for mut f in jwt::findings(&decoded, now) {
                    f.params.set(STORED_UNDER, label.as_str());
                    f.evidence.insert(
                        0,
                        Evidence {
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
    out.push(next_step(stored, now));
    out
}

/// What okta-auth-js's token manager does next with these tokens (autoRenew is on by default):
/// nothing yet when no token has passed its `expiresAt` or is about to (`Ok`); otherwise renew
/// the stale ones (`stale`: their keys, `staleIn`: seconds each has left, negative when past)
/// with the refresh token (`Info`, POSTed to `tokenUrl`), or, without one, through the Okta
/// session cookie (`Warning`).
fn next_step(stored: &[Stored], now: i64) -> Finding {
    let refresh = stored
        .iter()
        .find(|s| matches!(s.secret(), Some(("refreshToken", _))));
    let (stale, stale_in): (Vec<String>, Vec<i64>) = stored
        .iter()
        .filter(|s| !matches!(s.secret(), Some(("refreshToken", _))))
        .filter_map(|s| {
            let st = state(s, now)?;
            let left = s.expires_at().unwrap_or_default().saturating_sub(now);
            (st != State::Valid).then(|| (clip(&s.key), left))
        })
        .unzip();
    let token_url = refresh
        .and_then(|r| r.fields.get("tokenUrl"))
        .and_then(Value::as_str)
        .map(clip);
    let severity = match (stale.is_empty(), refresh.is_some()) {
        (true, _) => Severity::Ok,
        (false, true) => Severity::Info,
        (false, false) => Severity::Warning,
    };
    let mut f =
        Finding::fact("token_storage.next_step", severity).with("refresh", refresh.is_some());
    if !stale.is_empty() {
        f = f
            .with("stale", stale)
            .with("staleIn", stale_in)
            .with("tokenUrl", token_url);
    }
    f
}

/// `report.token` for okta-token-storage: each stored token under its key, decoded or masked.
pub fn view(stored: &[Stored], now: i64) -> Token {
    let entries = stored
        .iter()
        .map(|s| {
            let (mut refresh_token, mut jwt) = (None, None);
            match s.secret() {
                Some(("refreshToken", secret)) => {
                    refresh_token = Some(token::view(SecretFormat::Opaque, secret, None));
                }
                Some((_, value)) => {
                    jwt = Some(jwt::decode(&jwt::extract(value).value, None).view(now));
                }
                None => {}
            }
            view::Stored {
                key: s.key.clone(),
                expires_at: s.expires_at().map(|exp| view::Time::at(exp, now)),
                scopes: s.fields.get("scopes").cloned(),
                refresh_token,
                jwt,
            }
        })
        .collect();
    Token::Storage(view::Storage {
        format: StorageFormat::OktaTokenStorage,
        entries,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn storage_forms() {
        let whole = json!({"accessToken": {"accessToken": "x.y.z", "expiresAt": 1}, "refreshToken": {"refreshToken": "abc", "expiresAt": 1}});
        assert_eq!(parse(&whole).map(|s| s.len()), Some(2));
        let cookie = json!({"idToken": "a.b.c", "expiresAt": 1, "claims": {}});
        assert_eq!(
            parse(&cookie).map(|s| s[0].key.clone()),
            Some("idToken".into())
        );
        assert_eq!(parse(&json!({"a": 1})), None);
        assert_eq!(
            parse(&json!({"accessToken": {"accessToken": "x"}, "other": 1})),
            None
        );
    }

    #[test]
    fn next_step_table() {
        let at =
            |exp: i64| json!({"accessToken": "eyJhbGciOiJSUzI1NiJ9.e30.c2ln", "expiresAt": exp});
        let rt = json!({"refreshToken": "NrJBJ5-89k9CHZ7CJz4Q42yNqoIjm7BclN-1TH_B7z0", "expiresAt": 1, "tokenUrl": "https://dev-1.okta.com/oauth2/v1/token"});
        let cases = [
            (
                json!({"accessToken": at(50)}),
                Severity::Warning,
                "No refresh token",
            ),
            (
                json!({"accessToken": at(50), "refreshToken": rt}),
                Severity::Info,
                "renewed with the refresh token",
            ),
            (json!({"accessToken": at(5000)}), Severity::Ok, "current"),
            (
                json!({"accessToken": at(200)}),
                Severity::Warning,
                "No refresh token",
            ),
        ];
        for (v, severity, title) in cases {
            let stored = parse(&v).unwrap();
            let f = findings(&stored, 100);
            let step = f
                .iter()
                .find(|f| f.id == "token_storage.next_step")
                .unwrap();
            assert_eq!(step.severity, severity, "{v}");
            let mut step = step.clone();
            crate::explain::finding(&mut step);
            assert!(step.title.contains(title), "{}", step.title);
        }
        let f = findings(
            &parse(&json!({"accessToken": at(50), "refreshToken": rt})).unwrap(),
            100,
        );
        let text = serde_json::to_string(&f).unwrap();
        assert!(
            !text.contains("CHZ7CJz4Q42y"),
            "refresh token leaked: {text}"
        );
        assert!(text.contains("https://dev-1.okta.com/oauth2/v1/token"));
    }
}
