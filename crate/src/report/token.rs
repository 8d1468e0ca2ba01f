//! `report.token`: a credential as a report shows it. A JWT decoded (header, claims, times,
//! the signature's size — never the signature), an SSWS or opaque token masked, or
//! okta-auth-js's token storage entry by entry. Built by `jwt`, `token` and `storage`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::each_string_in;

/// The three shapes a report's `token` takes, told apart by their `format`. Written as the
/// inner object (untagged: serialising it buffers nothing); read back through [`Wire`], one
/// flat struct, rather than by trying each shape on a buffered copy.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(untagged, try_from = "Wire")]
pub enum Token {
    /// Boxed: a JWT's view is ten times a masked secret's.
    Jwt(Box<Jwt>),
    Secret(Secret),
    Storage(Storage),
}

/// A decoded (or partly decoded) JWT. `header` and `claims` are what the token holds, as it
/// holds them: arbitrary JSON, `null` when the part did not decode.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Jwt {
    pub format: JwtFormat,
    pub header: Option<Map<String, Value>>,
    pub claims: Option<Map<String, Value>>,
    #[serde(default)]
    pub times: Times,
    #[serde(default)]
    pub signature: Signature,
    /// The `Authorization` scheme it came with (`Bearer`, `DPoP`, `SSWS`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<Notes>,
    /// What the token says about Okta, when its claims decoded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub okta: Option<Okta>,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
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
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub struct Times {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exp: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_time: Option<Time>,
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
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Time {
    pub epoch: i64,
    pub iso: String,
    pub relative_seconds: i64,
}

impl Time {
    pub fn at(epoch: i64, now: i64) -> Self {
        Time {
            epoch,
            iso: crate::timestamp::iso8601(epoch),
            relative_seconds: epoch.saturating_sub(now),
        }
    }
}

/// The signature's size: its bytes are counted, never kept.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub struct Signature {
    pub present: bool,
    pub bytes: usize,
    /// Always `false`: said so the reader doesn't have to wonder.
    pub kept: bool,
}

/// One sentence per header parameter and claim the core knows, under its name.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub struct Notes {
    pub header: Map<String, Value>,
    pub claims: Map<String, Value>,
}

/// An Okta token's classification: its type, authorization server, client, user, scopes.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
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

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum OktaTokenType {
    AccessToken,
    IdToken,
}

/// Which kind of authorization server issued the token.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Server {
    Org,
    Default,
    Custom,
}

/// A credential that can't be decoded, masked (`00ig…z0`) with its length.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Secret {
    pub format: SecretFormat,
    pub masked: String,
    pub length: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SecretFormat {
    /// An Okta API token.
    Ssws,
    /// An opaque token (a refresh token, an opaque access token).
    Opaque,
}

/// okta-auth-js's `okta-token-storage`: each stored token under its key.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Storage {
    pub format: StorageFormat,
    pub entries: Vec<Stored>,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum StorageFormat {
    #[serde(rename = "okta-token-storage")]
    OktaTokenStorage,
}

/// One stored token: its `expiresAt` and `scopes` as okta-auth-js keeps them, and the token
/// itself decoded (`jwt`) or masked (`refreshToken`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Stored {
    pub key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<Time>,
    /// As stored (okta-auth-js writes an array of strings; a page may write anything).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<Secret>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwt: Option<Jwt>,
}

/// Every shape's fields side by side: what a stored `token` is read as before it becomes a
/// [`Token`] by its `format`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Wire {
    format: String,
    #[serde(default)]
    header: Option<Map<String, Value>>,
    #[serde(default)]
    claims: Option<Map<String, Value>>,
    #[serde(default)]
    times: Times,
    #[serde(default)]
    signature: Signature,
    #[serde(default)]
    scheme: Option<String>,
    #[serde(default)]
    notes: Option<Notes>,
    #[serde(default)]
    okta: Option<Okta>,
    #[serde(default)]
    masked: String,
    #[serde(default)]
    length: usize,
    #[serde(default)]
    entries: Vec<Stored>,
}

impl TryFrom<Wire> for Token {
    type Error = String;

    fn try_from(w: Wire) -> Result<Self, String> {
        let jwt = |format| {
            Token::Jwt(Box::new(Jwt {
                format,
                header: w.header,
                claims: w.claims,
                times: w.times,
                signature: w.signature,
                scheme: w.scheme.clone(),
                notes: w.notes,
                okta: w.okta,
            }))
        };
        let secret = |format| {
            Token::Secret(Secret {
                format,
                masked: w.masked,
                length: w.length,
                scheme: w.scheme.clone(),
            })
        };
        Ok(match w.format.as_str() {
            "jws" => jwt(JwtFormat::Jws),
            "jwe" => jwt(JwtFormat::Jwe),
            "malformed" => jwt(JwtFormat::Malformed),
            "ssws" => secret(SecretFormat::Ssws),
            "opaque" => secret(SecretFormat::Opaque),
            "okta-token-storage" => Token::Storage(Storage {
                format: StorageFormat::OktaTokenStorage,
                entries: w.entries,
            }),
            other => return Err(format!("unknown token format {other:?}")),
        })
    }
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
    pub fn claims(&self) -> Option<&Map<String, Value>> {
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

    /// Every string in the view (what the redactor seals); object keys untouched.
    pub fn each_string(&mut self, f: &mut dyn FnMut(&mut String)) {
        match self {
            Token::Jwt(j) => j.each_string(f),
            Token::Secret(s) => s.each_string(f),
            Token::Storage(s) => {
                for e in &mut s.entries {
                    f(&mut e.key);
                    if let Some(t) = &mut e.expires_at {
                        f(&mut t.iso);
                    }
                    if let Some(v) = &mut e.scopes {
                        each_string_in(v, f);
                    }
                    if let Some(r) = &mut e.refresh_token {
                        r.each_string(f);
                    }
                    if let Some(j) = &mut e.jwt {
                        j.each_string(f);
                    }
                }
            }
        }
    }
}

impl Jwt {
    fn each_string(&mut self, f: &mut dyn FnMut(&mut String)) {
        let maps = [&mut self.header, &mut self.claims].into_iter().flatten();
        let notes = self
            .notes
            .iter_mut()
            .flat_map(|n| [&mut n.header, &mut n.claims]);
        for map in maps.chain(notes) {
            map.values_mut().for_each(|v| each_string_in(v, f));
        }
        let t = &mut self.times;
        for time in [&mut t.exp, &mut t.nbf, &mut t.iat, &mut t.auth_time]
            .into_iter()
            .flatten()
        {
            f(&mut time.iso);
        }
        if let Some(s) = &mut self.scheme {
            f(s);
        }
        if let Some(o) = &mut self.okta {
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

    /// Each shape reads back as itself, from the JSON every earlier version wrote.
    #[test]
    fn every_shape_reads_back_by_its_format() {
        let cases = [
            json!({"format": "ssws", "masked": "00ig…z0", "length": 42, "scheme": "SSWS"}),
            json!({"format": "opaque", "masked": "NrJB…z0", "length": 43}),
            json!({"format": "malformed", "header": null, "claims": null, "times": {},
                   "signature": {"present": false, "bytes": 0, "kept": false}}),
            json!({"format": "jws", "header": {"alg": "RS256"}, "claims": {"jti": "AT.1", "exp": 5},
                   "times": {"exp": {"epoch": 5, "iso": "1970-01-01T00:00:05Z", "relativeSeconds": -5}},
                   "signature": {"present": true, "bytes": 3, "kept": false}, "scheme": "Bearer",
                   "notes": {"header": {}, "claims": {}},
                   "okta": {"okta": true, "tokenType": "access_token", "authorizationServer": "org",
                            "authorizationServerId": null, "clientId": null, "userId": null,
                            "scopes": [], "lifetimeSeconds": null, "dpopBound": false}}),
            json!({"format": "okta-token-storage", "entries": [
                {"key": "refreshToken", "refreshToken": {"format": "opaque", "masked": "…", "length": 5}},
                {"key": "idToken", "scopes": ["openid"], "jwt": {"format": "jwe", "header": {"alg": "RSA-OAEP"},
                  "claims": null, "times": {}, "signature": {"present": false, "bytes": 0, "kept": false}}}]}),
        ];
        for v in cases {
            let text = v.to_string();
            let token: Token = serde_json::from_str(&text).unwrap();
            assert_eq!(serde_json::to_string(&token).unwrap(), text);
        }
        assert!(serde_json::from_str::<Token>(r#"{"format":"pgp"}"#).is_err());
    }

    #[test]
    fn keys_and_expiry() {
        let read = |v: Value| serde_json::from_value::<Token>(v).unwrap();
        let jwt = read(
            json!({"format": "jws", "header": {}, "claims": {"iss": "i", "iat": 7},
            "times": {"exp": {"epoch": 100, "iso": "", "relativeSeconds": 0}}}),
        );
        assert_eq!(jwt.key().as_deref(), Some("\"i\"||7"));
        assert_eq!(jwt.expires_in(160_000.0), Some(-60));
        let broken = read(json!({"format": "malformed", "header": null, "claims": null}));
        assert_eq!(broken.key().as_deref(), Some("||"));
        assert_eq!(broken.expires_in(0.0), None);
        let ssws = read(json!({"format": "ssws", "masked": "00ig…z0", "length": 42}));
        assert_eq!(ssws.key().as_deref(), Some("00ig…z0"));
        assert_eq!(
            read(json!({"format": "okta-token-storage", "entries": []})).key(),
            None
        );
    }
}
