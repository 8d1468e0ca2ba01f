//! Signature verification, the pure half: JSON Web Key Sets (RFC 7517), choosing the key for
//! a JWS by `kid` and `alg` (RFC 7515 §4.1.4, RFC 7518 §3.3–3.4), and turning the outcome
//! into findings. The cryptography runs behind `signature::Verifier`: WebCrypto in the browser,
//! ring in the CLI. Both get the same [`Plan`].

use serde::Deserialize;
use serde_json::Value;

use crate::{
    encoding, issuer,
    jwt::{self, clip, okta},
    report::{Finding, Report, Severity},
};

/// One public key, as Okta publishes them at `/v1/keys`. Private members are never read.
#[derive(Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct Key {
    pub kty: String,
    pub kid: Option<String>,
    pub alg: Option<String>,
    #[serde(rename = "use")]
    pub use_: Option<String>,
    pub n: Option<String>,
    pub e: Option<String>,
    pub crv: Option<String>,
    pub x: Option<String>,
    pub y: Option<String>,
}

#[derive(Deserialize)]
struct Set {
    keys: Vec<Value>,
}

/// Parses a JWKS document. Keys that are not objects of known shape are skipped.
pub fn parse(text: &str) -> Result<Vec<Key>, String> {
    let set: Set = serde_json::from_str(text).map_err(|e| format!("not a JWKS document: {e}"))?;
    Ok(set
        .keys
        .into_iter()
        .filter_map(|k| serde_json::from_value::<Key>(k).ok())
        .collect())
}

/// The algorithms Okta signs with and WebCrypto verifies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Alg {
    Rs256,
    Rs384,
    Rs512,
    Es256,
    Es384,
}

impl Alg {
    pub fn parse(alg: &str) -> Option<Alg> {
        Some(match alg {
            "RS256" => Alg::Rs256,
            "RS384" => Alg::Rs384,
            "RS512" => Alg::Rs512,
            "ES256" => Alg::Es256,
            "ES384" => Alg::Es384,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Alg::Rs256 => "RS256",
            Alg::Rs384 => "RS384",
            Alg::Rs512 => "RS512",
            Alg::Es256 => "ES256",
            Alg::Es384 => "ES384",
        }
    }

    /// `RSA` or `EC`, and for EC the curve the key must be on.
    fn key_type(self) -> (&'static str, Option<&'static str>) {
        match self {
            Alg::Es256 => ("EC", Some("P-256")),
            Alg::Es384 => ("EC", Some("P-384")),
            _ => ("RSA", None),
        }
    }

    /// The hash WebCrypto names for this algorithm.
    pub fn hash(self) -> &'static str {
        match self {
            Alg::Rs256 | Alg::Es256 => "SHA-256",
            Alg::Rs384 | Alg::Es384 => "SHA-384",
            Alg::Rs512 => "SHA-512",
        }
    }
}

/// Everything a verifier needs: the algorithm, the key, the bytes that were signed
/// (`base64url(header).base64url(payload)`) and the signature's bytes.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub alg: Alg,
    pub key: Key,
    pub signing_input: Vec<u8>,
    pub signature: Vec<u8>,
}

/// What a verification attempt came to.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Valid {
        alg: Alg,
        kid: Option<String>,
    },
    Invalid {
        alg: Alg,
        kid: Option<String>,
    },
    KeyNotFound {
        kid: Option<String>,
        available: Vec<String>,
    },
    Unsupported {
        alg: String,
    },
    /// The keys could not be had or used (network, bad JWKS, key import failure).
    Unavailable {
        reason: String,
    },
}

/// Picks the key for a pasted token, or says why there is none. `None` when the text holds
/// no decodable signed JWT (nothing to verify).
pub fn select(text: &str, keys: &[Key]) -> Option<Result<Plan, Outcome>> {
    let cred = jwt::extract(text);
    if !jwt::looks_like(&cred.value) {
        return None;
    }
    let decoded = jwt::decode(&cred.value, None);
    if !decoded.problems.is_empty() || decoded.encrypted {
        return None;
    }
    let alg_name = decoded.alg()?.to_string();
    let Some(alg) = Alg::parse(&alg_name) else {
        return Some(Err(Outcome::Unsupported { alg: alg_name }));
    };
    let (signing_input, signature) = cred.value.rsplit_once('.')?;
    let signature = encoding::base64url(signature).ok()?;
    let kid = decoded
        .header
        .as_ref()
        .and_then(|h| h.get("kid"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let (kty, crv) = alg.key_type();
    let usable = |k: &&Key| {
        k.kty == kty
            && crv.is_none_or(|c| k.crv.as_deref() == Some(c))
            && k.alg.as_deref().is_none_or(|a| a == alg.name())
            && k.use_.as_deref().is_none_or(|u| u == "sig")
    };
    let key = match &kid {
        Some(kid) => keys
            .iter()
            .filter(usable)
            .find(|k| k.kid.as_deref() == Some(kid.as_str())),
        // Without a kid, RFC 7515 lets the verifier try its keys; only a lone key is unambiguous.
        None => {
            let candidates: Vec<&Key> = keys.iter().filter(usable).collect();
            match candidates.as_slice() {
                [only] => Some(*only),
                _ => None,
            }
        }
    };
    Some(match key {
        Some(k) => Ok(Plan {
            alg,
            key: k.clone(),
            signing_input: signing_input.as_bytes().to_vec(),
            signature,
        }),
        None => Err(Outcome::KeyNotFound {
            kid,
            available: keys.iter().filter_map(|k| k.kid.clone()).collect(),
        }),
    })
}

/// `max-age` from a JWKS response's Cache-Control (Okta: `max-age=3832304, must-revalidate`);
/// `None` when absent or `no-store`/`no-cache`.
pub fn max_age(cache_control: &str) -> Option<u64> {
    let directives: Vec<String> = cache_control
        .split(',')
        .map(|d| d.trim().to_ascii_lowercase())
        .collect();
    if directives
        .iter()
        .any(|d| d == "no-store" || d == "no-cache")
    {
        return None;
    }
    directives
        .iter()
        .find_map(|d| d.strip_prefix("max-age="))
        .and_then(|v| v.trim_matches('"').parse().ok())
}

/// JWKS documents by URL, each kept until its Cache-Control `max-age` runs out. The clock is
/// the caller's (`now_ms`, ms since the epoch); a response without `max-age` is not kept.
#[derive(Default, Debug)]
pub struct Cache(std::collections::HashMap<String, (f64, String)>);

impl Cache {
    /// The body stored for `url`, if it has not expired at `now_ms`.
    pub fn get(&self, url: &str, now_ms: f64) -> Option<&str> {
        let (expires, body) = self.0.get(url)?;
        (*expires > now_ms).then_some(body.as_str())
    }

    /// Keeps `body` for `url` per `cache_control` (a response header), from `now_ms`.
    pub fn put(&mut self, url: &str, body: &str, cache_control: Option<&str>, now_ms: f64) {
        if let Some(seconds) = cache_control.and_then(max_age) {
            let expires = now_ms + seconds as f64 * 1000.0;
            self.0.insert(url.to_string(), (expires, body.to_string()));
        }
    }
}

/// The issuer of the pasted token and its discovery URL, for the online check.
pub fn issuer_of(text: &str) -> Option<issuer::Issuer> {
    jwt::parse(text)?.issuer()
}

/// Whether the online check may fetch `issuer`'s keys at all: only over https (see
/// [`discovery_url`]).
pub fn fetchable(issuer: &issuer::Issuer) -> bool {
    issuer.url.starts_with("https://")
}

/// The discovery URL the online check may fetch for `issuer`, or why it may not: only an
/// `https:` issuer is fetched (a plain-http one would let anyone on the path swap the keys).
/// The fetch itself (wasm/fetch.rs) follows no redirect and sends no credentials, so this URL and
/// the one [`keys_url`] allows are the only ones contacted.
pub fn discovery_url(issuer: &issuer::Issuer) -> Result<String, String> {
    if !fetchable(issuer) {
        return Err(format!(
            "refused: Okta Medic fetches an issuer's keys over HTTPS only, and {} is not an https: URL",
            clip(&issuer.url)
        ));
    }
    Ok(issuer.discovery())
}

/// The JWKS URL the online check may fetch: the discovery document's `jwks_uri`, only when it
/// is an `https:` URL on the issuer's own origin with nothing a URL parser would rewrite
/// (whitespace, control characters, backslashes, user info); otherwise why it is refused.
pub fn keys_url(issuer: &issuer::Issuer, jwks_uri: &str) -> Result<String, String> {
    let clean = !jwks_uri
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '\\')
        && jwks_uri.len() <= 2048;
    let authority = jwks_uri
        .get("https://".len()..)
        .filter(|_| jwks_uri.starts_with("https://"))
        .and_then(|rest| rest.split(['/', '?', '#']).next());
    if clean && authority.is_some_and(|a| !a.contains('@')) && same_origin(issuer, jwks_uri) {
        return Ok(jwks_uri.to_string());
    }
    // The reason first: the finding shows at most 120 characters of it.
    Err(format!(
        "refused: the discovery document's jwks_uri is not on the issuer's origin {} ({})",
        clip(&issuer.origin()),
        clip(jwks_uri)
    ))
}

/// Keys may only come from the token issuer's own origin: a discovery document that points
/// elsewhere is refused, so verification never becomes a request to a third party.
pub fn same_origin(issuer: &issuer::Issuer, url: &str) -> bool {
    let origin = |u: &str| -> Option<String> {
        let (scheme, rest) = u.split_once("://")?;
        let host = rest.split(['/', '?', '#']).next()?;
        Some(format!(
            "{}://{}",
            scheme.to_ascii_lowercase(),
            host.to_ascii_lowercase()
        ))
    };
    origin(&issuer.url).is_some() && origin(&issuer.url) == origin(url)
}

/// The finding for an outcome of checking the token in `text`: the algorithm and key it
/// names, the issuer the keys came from, or why it was not checked.
pub fn finding(outcome: &Outcome, text: &str) -> Finding {
    let decoded = jwt::parse(text);
    let iss = || decoded.as_ref().and_then(|j| j.issuer()).map(|i| i.url);
    match outcome {
        Outcome::Valid { alg, kid } => Finding::fact("jwt.signature_valid", Severity::Ok)
            .with("alg", alg.name())
            .with("kid", kid.as_deref())
            .with("issuer", iss())
            .evidence("header", "alg", alg.name()),
        Outcome::Invalid { alg, kid } => Finding::fact("jwt.signature_invalid", Severity::Error)
            .with("alg", alg.name())
            .with("kid", kid.as_deref()),
        Outcome::KeyNotFound { kid, available } => {
            key_not_found(decoded.as_ref(), kid.as_deref(), available)
        }
        Outcome::Unsupported { alg } => Finding::fact("jwt.signature_not_checked", Severity::Info)
            .with("why", "unsupported")
            .with("alg", alg.as_str()),
        Outcome::Unavailable { reason } => {
            Finding::fact("jwt.signature_not_checked", Severity::Warning)
                .with("why", "unavailable")
                .with("reason", reason.as_str())
        }
    }
}

/// `jwt.key_not_found`: the `kid` looked for, the kids published, and whether the token is an
/// org authorization server's access token (whose keys Okta never publishes: a warning then,
/// not an error).
fn key_not_found(decoded: Option<&jwt::Jwt>, kid: Option<&str>, available: &[String]) -> Finding {
    let org_access = decoded.is_some_and(|j| {
        let c = okta::classify(j);
        c.token_type == Some(okta::TokenType::Access)
            && c.issuer
                .as_ref()
                .is_some_and(|i| i.server == issuer::Server::Org)
    });
    let severity = if org_access {
        Severity::Warning
    } else {
        Severity::Error
    };
    Finding::fact("jwt.key_not_found", severity)
        .with("kid", kid)
        .with("available", available)
        .with("org_access", org_access)
        .with("issuer", decoded.and_then(|j| j.issuer()).map(|i| i.url))
}

/// Replaces `jwt.signature_not_checked` in a report with the outcome's finding, as data: the
/// caller words it and settles its command for the hosts it trusts (`signature::verified`).
pub fn apply(report: Report, outcome: &Outcome, text: &str) -> Report {
    let mut findings: Vec<Finding> = report
        .findings
        .into_iter()
        .filter(|f| f.id != "jwt.signature_not_checked")
        .collect();
    findings.push(finding(outcome, text));
    Report {
        token: report.token,
        request: report.request,
        rate_limit: report.rate_limit,
        ..Report::new(report.input.kind, report.summary, findings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
    use serde_json::json;

    fn token(header: Value) -> String {
        format!(
            "{}.{}.c2lnbmF0dXJl",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(r#"{"iss":"https://dev-1.okta.com/oauth2/default","exp":1}"#)
        )
    }

    fn keys() -> Vec<Key> {
        parse(
            &json!({"keys": [
                {"kty": "RSA", "kid": "a", "alg": "RS256", "use": "sig", "n": "AQAB", "e": "AQAB"},
                {"kty": "EC", "kid": "b", "crv": "P-256", "x": "AA", "y": "AA"},
                {"kty": "RSA", "kid": "enc", "use": "enc", "n": "AQAB", "e": "AQAB"},
                "garbage"
            ]})
            .to_string(),
        )
        .unwrap_or_default()
    }

    #[test]
    fn selection_table() {
        let cases: &[(Value, &str)] = &[
            (json!({"alg": "RS256", "kid": "a"}), "plan:a"),
            (json!({"alg": "ES256", "kid": "b"}), "plan:b"),
            (json!({"alg": "RS256", "kid": "b"}), "nokey"),
            (json!({"alg": "RS256", "kid": "enc"}), "nokey"),
            (json!({"alg": "RS256", "kid": "zzz"}), "nokey"),
            (json!({"alg": "RS256"}), "plan:a"),
            (json!({"alg": "HS256", "kid": "a"}), "unsupported"),
        ];
        for (header, want) in cases {
            let got = match select(&token(header.clone()), &keys()) {
                Some(Ok(p)) => format!("plan:{}", p.key.kid.unwrap_or_default()),
                Some(Err(Outcome::KeyNotFound { .. })) => "nokey".into(),
                Some(Err(Outcome::Unsupported { .. })) => "unsupported".into(),
                other => format!("{other:?}"),
            };
            assert_eq!(got, *want, "{header}");
        }
        assert_eq!(select("not a token", &keys()), None);
    }

    #[test]
    fn plan_carries_signing_input_and_signature() {
        let t = token(json!({"alg": "RS256", "kid": "a"}));
        let Some(Ok(p)) = select(&format!("Bearer {t}"), &keys()) else {
            panic!("no plan")
        };
        assert_eq!(p.signature, b"signature");
        assert_eq!(
            Some(p.signing_input.as_slice()),
            t.rsplit_once('.').map(|(a, _)| a.as_bytes())
        );
    }

    #[test]
    fn cache_control_and_origin() {
        assert_eq!(max_age("max-age=3832304, must-revalidate"), Some(3_832_304));
        assert_eq!(max_age("no-cache, max-age=5"), None);
        assert_eq!(max_age("public"), None);
        let (mut c, u) = (Cache::default(), "https://dev-1.okta.com/oauth2/v1/keys");
        c.put(u, "{}", Some("max-age=2"), 1000.0);
        c.put("https://x.okta.com/k", "{}", Some("no-store"), 1000.0);
        assert_eq!((c.get(u, 2999.0), c.get(u, 3000.0)), (Some("{}"), None));
        assert_eq!(c.get("https://x.okta.com/k", 1000.0), None);
        let i = issuer::parse("https://dev-1.okta.com/oauth2/default").unwrap();
        assert!(same_origin(
            &i,
            "https://dev-1.okta.com/oauth2/default/v1/keys"
        ));
        assert!(same_origin(&i, "https://DEV-1.okta.com/oauth2/v1/keys"));
        assert!(!same_origin(&i, "https://evil.example/keys"));
        assert!(!same_origin(
            &i,
            "http://dev-1.okta.com/oauth2/default/v1/keys"
        ));
    }

    #[test]
    fn only_https_issuers_and_their_own_keys_are_fetched() {
        let https = issuer::parse("https://dev-1.okta.com/oauth2/default").unwrap();
        assert_eq!(
            discovery_url(&https).as_deref(),
            Ok("https://dev-1.okta.com/oauth2/default/.well-known/openid-configuration")
        );
        let local = issuer::parse("https://127.0.0.1:8443/oauth2/default").unwrap();
        assert!(discovery_url(&local).is_ok());
        for plain in [
            "http://dev-1.okta.com/oauth2/default",
            "http://127.0.0.1:8080/oauth2/default",
        ] {
            let i = issuer::parse(plain).unwrap();
            let why = discovery_url(&i).unwrap_err();
            assert!(why.contains("https:"), "{why}");
        }
        let cases = [
            ("https://dev-1.okta.com/oauth2/default/v1/keys", true),
            ("https://DEV-1.okta.com/oauth2/v1/keys?client_id=x", true),
            ("https://dev-1.okta.com", true),
            ("https://evil.example/keys", false),
            ("http://dev-1.okta.com/oauth2/default/v1/keys", false),
            ("https://dev-1.okta.com:8443/keys", false),
            ("https://dev-1.okta.com.evil.example/keys", false),
            ("https://dev-1.okta.com@evil.example/keys", false),
            ("https://user@dev-1.okta.com/keys", false),
            ("https://evil.example\\@dev-1.okta.com/keys", false),
            ("https://dev-1.okta.com\\evil.example/keys", false),
            ("https://dev-1.okta.com/ke\tys", false),
            ("https://dev-1.okta.com/keys\n", false),
            ("//dev-1.okta.com/keys", false),
            ("/oauth2/default/v1/keys", false),
            ("", false),
        ];
        for (uri, allowed) in cases {
            let got = keys_url(&https, uri);
            assert_eq!(got.is_ok(), allowed, "{uri:?}: {got:?}");
            if let Err(why) = got {
                assert!(
                    why.contains("refused") && why.contains("https://dev-1.okta.com"),
                    "{why}"
                );
            }
        }
    }

    #[test]
    fn outcomes_replace_signature_not_checked() {
        let t = token(json!({"alg": "RS256", "kid": "a"}));
        let report = crate::analyze_text(&t, 0);
        assert!(report.has("jwt.signature_not_checked"));
        for (o, id) in [
            (
                Outcome::Valid {
                    alg: Alg::Rs256,
                    kid: Some("a".into()),
                },
                "jwt.signature_valid",
            ),
            (
                Outcome::Invalid {
                    alg: Alg::Rs256,
                    kid: Some("a".into()),
                },
                "jwt.signature_invalid",
            ),
            (
                Outcome::KeyNotFound {
                    kid: Some("x".into()),
                    available: vec!["a".into()],
                },
                "jwt.key_not_found",
            ),
        ] {
            let r = apply(report.clone(), &o, &t);
            assert!(r.has(id) && !r.has("jwt.signature_not_checked"), "{id}");
        }
    }

    #[test]
    fn org_server_access_tokens_explain_missing_keys() {
        let t = format!(
            "{}.{}.c2ln",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256","kid":"k"}"#),
            URL_SAFE_NO_PAD.encode(r#"{"ver":1,"jti":"AT.x","iss":"https://dev-1.okta.com","cid":"0oa1","scp":["okta.users.read"]}"#)
        );
        let mut f = finding(
            &Outcome::KeyNotFound {
                kid: Some("k".into()),
                available: vec![],
            },
            &t,
        );
        crate::explain::finding(&mut f);
        assert!(
            f.detail.contains("org authorization server"),
            "{}",
            f.detail
        );
    }
}
