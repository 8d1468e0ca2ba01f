//! `report.token`: a credential as a report shows it. A JWT decoded (header, claims, times,
//! the signature's size — never the signature), an SSWS or opaque token masked, or
//! okta-auth-js's token storage entry by entry. Built by `jwt`, `token` and `storage`.

use serde::Serialize;
use serde_json::{Map, Value};

use super::{each_string_in, Strings};

mod members;
mod scan;
#[cfg(test)]
pub(crate) use members::KNOWN;
pub use members::{name, Members, Name};
pub(crate) use scan::members as scanned_members;

/// The three shapes a report's `token` takes, told apart by their `format`. Written as the
/// inner object (untagged: serialising it buffers nothing). Never read back as itself: a
/// stored report's token is kept as it was written ([`super::Kept`]).
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(untagged)]
pub enum Token {
    /// Boxed: a JWT's view is ten times a masked secret's.
    Jwt(Box<Jwt>),
    Secret(Secret),
    Storage(Storage),
}

/// A decoded (or partly decoded) JWT. `header` and `claims` are what the token holds, as it
/// holds them: arbitrary JSON, `null` when the part did not decode.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Jwt {
    pub format: JwtFormat,
    pub header: Option<Members>,
    pub claims: Option<Members>,
    pub times: Times,
    pub signature: Signature,
    /// The `Authorization` scheme it came with (`Bearer`, `DPoP`, `SSWS`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheme: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<Notes>,
    /// What the token says about Okta, when its claims decoded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub okta: Option<Okta>,
}

#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum JwtFormat {
    /// Signed, every part decoded.
    Jws,
    /// Encrypted: only the header can be read.
    Jwe,
    /// Something did not decode (the findings say what).
    Malformed,
}

/// The token's times, each against the `now` the report was made at.
#[derive(Serialize, Clone, Debug, Default, PartialEq)]
pub struct Times {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exp: Option<Time>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nbf: Option<Time>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iat: Option<Time>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_time: Option<Time>,
    /// The moment the times are measured from when it is not now (a recording's request,
    /// `crate::moment`): the UI shows its label where "now" would be, and does not count on.
    #[serde(rename = "asOf", skip_serializing_if = "Option::is_none")]
    pub as_of: Option<AsOf>,
}

/// A moment other than now, with the words that name it.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct AsOf {
    pub epoch: i64,
    pub iso: String,
    /// "the request (recorded 2026-11-06)".
    pub label: String,
}

impl Times {
    /// The time under its claim name (`exp`, `nbf`, `iat`, `auth_time`).
    pub fn get(&self, claim: &str) -> Option<&Time> {
        match claim {
            "exp" => self.exp.as_ref(),
            "nbf" => self.nbf.as_ref(),
            "iat" => self.iat.as_ref(),
            "auth_time" => self.auth_time.as_ref(),
            _ => None,
        }
    }
}

/// An epoch-seconds time, in ISO 8601 too, and how far it is from now (negative: past).
#[derive(Serialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Time {
    pub epoch: i64,
    pub iso: String,
    pub relative_seconds: i64,
    /// `relative_seconds` in words when it is not from now ("1 h before the request"), for a
    /// view measured [`Times::as_of`] another moment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relative_text: Option<String>,
}

impl Time {
    pub fn at(epoch: i64, now: i64) -> Self {
        Time {
            epoch,
            iso: crate::timestamp::iso8601(epoch),
            relative_seconds: epoch.saturating_sub(now),
            relative_text: None,
        }
    }
}

/// The signature's size: its bytes are counted, never kept.
#[derive(Serialize, Clone, Debug, Default, PartialEq)]
pub struct Signature {
    pub present: bool,
    pub bytes: usize,
    /// Always `false`: said so the reader doesn't have to wonder.
    pub kept: bool,
}

/// One sentence per header parameter and claim the core knows, under its name.
#[derive(Serialize, Clone, Debug, Default, PartialEq)]
pub struct Notes {
    pub header: Map<String, Value>,
    pub claims: Map<String, Value>,
}

/// An Okta token's classification: its type, authorization server, client, user, scopes.
#[derive(Serialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Okta {
    pub okta: bool,
    pub token_type: Option<OktaTokenType>,
    pub authorization_server: Option<Server>,
    pub authorization_server_id: Option<String>,
    pub client_id: Option<String>,
    pub user_id: Option<String>,
    pub scopes: Vec<String>,
    pub lifetime_seconds: Option<i64>,
    pub dpop_bound: bool,
}

#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum OktaTokenType {
    AccessToken,
    IdToken,
}

/// Which kind of authorization server issued the token.
#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Server {
    Org,
    Default,
    Custom,
}

/// A credential that can't be decoded, masked (`00ig…z0`) with its length.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct Secret {
    pub format: SecretFormat,
    pub masked: String,
    pub length: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheme: Option<String>,
}

#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SecretFormat {
    /// An Okta API token.
    Ssws,
    /// An opaque token (a refresh token, an opaque access token).
    Opaque,
}

/// okta-auth-js's `okta-token-storage`: each stored token under its key.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct Storage {
    pub format: StorageFormat,
    pub entries: Vec<Stored>,
}

#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum StorageFormat {
    #[serde(rename = "okta-token-storage")]
    OktaTokenStorage,
}

/// One stored token: its `expiresAt` and `scopes` as okta-auth-js keeps them, and the token
/// itself decoded (`jwt`) or masked (`refreshToken`).
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Stored {
    pub key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<Time>,
    /// As stored (okta-auth-js writes an array of strings; a page may write anything).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<Secret>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jwt: Option<Jwt>,
}

impl Token {
    /// The key a token is counted under across requests: `jti`, else `iss|sub|iat` (each as
    /// JSON, empty when absent), or an SSWS/opaque token's masked form. `None` for a storage.
    pub fn key(&self) -> Option<String> {
        match self {
            Token::Secret(s) => Some(s.masked.clone()),
            Token::Storage(_) => None,
            Token::Jwt(j) => {
                let claim = |k: &str| j.claims.as_ref().and_then(|c| c.get(k));
                if let Some(jti) = claim("jti").and_then(Value::as_str) {
                    return Some(jti.to_string());
                }
                let part = |k: &str| claim(k).map(Value::to_string).unwrap_or_default();
                Some(format!("{}|{}|{}", part("iss"), part("sub"), part("iat")))
            }
        }
    }

    /// Seconds from the token's `exp` to `at` (epoch ms): negative when it had expired.
    pub fn expires_in(&self, at: f64) -> Option<i64> {
        let Token::Jwt(j) = self else { return None };
        let exp = j.times.exp.as_ref()?.epoch;
        Some(exp.saturating_sub((at / 1000.0).floor() as i64))
    }

    /// A JWT's decoded claims.
    pub fn claims(&self) -> Option<&Members> {
        match self {
            Token::Jwt(j) => j.claims.as_ref(),
            _ => None,
        }
    }

    /// A JWT's times.
    pub fn times(&self) -> Option<&Times> {
        match self {
            Token::Jwt(j) => Some(&j.times),
            _ => None,
        }
    }
}

impl Strings for Token {
    fn each_string(&mut self, f: &mut dyn FnMut(&mut String)) {
        self.each_part(&mut |part| match part {
            Part::Jwt(j) => j.each_string(f),
            Part::String(s) => f(s),
        });
    }
}

/// A piece of a token view: a decoded JWT's view (the token's, or a stored one's), or any
/// other string it holds.
pub(crate) enum Part<'t> {
    Jwt(&'t mut Jwt),
    String(&'t mut String),
}

impl Token {
    /// Every JWT view and every other string of the view, once each (the seal judges a JWT's
    /// members by name and remembers its clean claims; the rest it scrubs).
    pub(crate) fn each_part(&mut self, f: &mut dyn FnMut(Part)) {
        match self {
            Token::Jwt(j) => f(Part::Jwt(j)),
            Token::Secret(s) => s.each_string(&mut |s| f(Part::String(s))),
            Token::Storage(s) => {
                for e in &mut s.entries {
                    f(Part::String(&mut e.key));
                    if let Some(t) = &mut e.expires_at {
                        f(Part::String(&mut t.iso));
                    }
                    if let Some(v) = &mut e.scopes {
                        each_string_in(v, &mut |s| f(Part::String(s)));
                    }
                    if let Some(r) = &mut e.refresh_token {
                        r.each_string(&mut |s| f(Part::String(s)));
                    }
                    if let Some(j) = &mut e.jwt {
                        f(Part::Jwt(j));
                    }
                }
            }
        }
    }
}

impl Jwt {
    fn each_string(&mut self, f: &mut dyn FnMut(&mut String)) {
        let (header, claims, mut rest) = self.split();
        for members in [header, claims].into_iter().flatten() {
            members.values_mut().for_each(|v| each_string_in(v, f));
        }
        rest.each_string(f);
    }

    /// The decoded header and claims, and the rest of the view beside them (the seal
    /// remembers what it found clean in the first two while it scrubs the rest).
    pub(crate) fn split(&mut self) -> (&mut Option<Members>, &mut Option<Members>, Undecoded<'_>) {
        let rest = Undecoded {
            notes: &mut self.notes,
            times: &mut self.times,
            scheme: &mut self.scheme,
            okta: &mut self.okta,
        };
        (&mut self.header, &mut self.claims, rest)
    }
}

/// A JWT view's parts other than its decoded header and claims: notes, times, scheme and
/// classification.
pub(crate) struct Undecoded<'v> {
    notes: &'v mut Option<Notes>,
    times: &'v mut Times,
    scheme: &'v mut Option<String>,
    okta: &'v mut Option<Okta>,
}

impl Undecoded<'_> {
    pub(crate) fn each_string(&mut self, f: &mut dyn FnMut(&mut String)) {
        let notes = self
            .notes
            .iter_mut()
            .flat_map(|n| [&mut n.header, &mut n.claims]);
        for map in notes {
            map.values_mut().for_each(|v| each_string_in(v, f));
        }
        let t = &mut *self.times;
        for time in [&mut t.exp, &mut t.nbf, &mut t.iat, &mut t.auth_time]
            .into_iter()
            .flatten()
        {
            f(&mut time.iso);
        }
        if let Some(s) = self.scheme {
            f(s);
        }
        if let Some(o) = self.okta {
            let ids = [
                &mut o.authorization_server_id,
                &mut o.client_id,
                &mut o.user_id,
            ];
            ids.into_iter().flatten().for_each(&mut *f);
            o.scopes.iter_mut().for_each(f);
        }
    }
}

impl Secret {
    fn each_string(&mut self, f: &mut dyn FnMut(&mut String)) {
        f(&mut self.masked);
        if let Some(s) = &mut self.scheme {
            f(s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn jwt(claims: Option<Value>, exp: Option<i64>) -> Token {
        Token::Jwt(Box::new(Jwt {
            format: JwtFormat::Jws,
            header: Some(Members::default()),
            claims: claims
                .and_then(|c| c.as_object().cloned())
                .map(Members::from),
            times: Times {
                exp: exp.map(|e| Time::at(e, 0)),
                ..Times::default()
            },
            signature: Signature::default(),
            scheme: None,
            notes: None,
            okta: None,
        }))
    }

    #[test]
    fn keys_and_expiry() {
        let t = jwt(Some(json!({"iss": "i", "iat": 7})), Some(100));
        assert_eq!(t.key().as_deref(), Some("\"i\"||7"));
        assert_eq!(t.expires_in(160_000.0), Some(-60));
        let t = jwt(Some(json!({"jti": "AT.1", "iss": "i"})), None);
        assert_eq!(t.key().as_deref(), Some("AT.1"));
        assert_eq!(t.expires_in(0.0), None);
        let broken = jwt(None, None);
        assert_eq!(broken.key().as_deref(), Some("||"));
        let ssws = Token::Secret(Secret {
            format: SecretFormat::Ssws,
            masked: "00ig…z0".into(),
            length: 42,
            scheme: None,
        });
        assert_eq!(ssws.key().as_deref(), Some("00ig…z0"));
        assert_eq!(ssws.expires_in(0.0), None);
        let storage = Token::Storage(Storage {
            format: StorageFormat::OktaTokenStorage,
            entries: Vec::new(),
        });
        assert_eq!(storage.key(), None);
    }

    /// The JSON every version wrote: `format` first, absent parts `null`, times `{}`.
    #[test]
    fn shapes_serialise_as_the_contract_says() {
        let broken = jwt(None, None);
        assert_eq!(
            serde_json::to_string(&broken).unwrap(),
            r#"{"format":"jws","header":{},"claims":null,"times":{},"signature":{"present":false,"bytes":0,"kept":false}}"#
        );
        let storage = Token::Storage(Storage {
            format: StorageFormat::OktaTokenStorage,
            entries: vec![Stored {
                key: "idToken".into(),
                expires_at: Some(Time::at(5, 0)),
                scopes: Some(json!(["openid"])),
                refresh_token: None,
                jwt: None,
            }],
        });
        assert_eq!(
            serde_json::to_string(&storage).unwrap(),
            r#"{"format":"okta-token-storage","entries":[{"key":"idToken","expiresAt":{"epoch":5,"iso":"1970-01-01T00:00:05Z","relativeSeconds":5},"scopes":["openid"]}]}"#
        );
    }
}
