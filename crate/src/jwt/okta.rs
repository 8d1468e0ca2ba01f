//! Okta-aware triage of a decoded token (okta.md §5.1–5.3): access token or ID token (jti
//! `AT.`/`ID.`, `ver`, `cid`, `uid`, `scp`, `amr`, `idp`, `at_hash`), which authorization
//! server minted it (org, `default`, custom — also behind a custom URL domain), whether it is
//! Okta's at all, DPoP binding (`cnf.jkt`, RFC 9449) and lifetime against Okta's policies.

use serde_json::Value;

use super::{clip, Jwt};
use crate::{
    domain,
    issuer::{self, Server},
    report::{
        token::{self, name},
        Evidence, Finding, Severity,
    },
    timestamp,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenType {
    Access,
    Id,
}

/// What we can tell about where a token comes from.
#[derive(Clone, Debug, PartialEq)]
pub struct Classification {
    pub token_type: Option<TokenType>,
    pub issuer: Option<issuer::Issuer>,
    /// Okta-shaped: an Okta host, or Okta's claims (`ver`, `AT.`/`ID.` jti, `cid`/`uid`).
    pub okta: bool,
    /// The claims that decided the type, for the evidence list.
    pub signals: Signals,
}

/// The claims that decided a token's type and why, in order: at most [`SIGNALS`] (the `jti`
/// and the eight claims [`classify`] weighs), held inline — a vector of them was an
/// allocation a token (docs/performance-log.md, "analyzeText, twelfth pass").
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Signals {
    list: [(&'static str, &'static str); SIGNALS],
    len: usize,
}

/// The most signals a token can give: its `jti`, and each of [`classify`]'s eight claims.
pub const SIGNALS: usize = 9;

impl Signals {
    /// Adds a signal (never past [`SIGNALS`], which [`classify`] cannot reach).
    fn push(&mut self, signal: (&'static str, &'static str)) {
        if let Some(slot) = self.list.get_mut(self.len) {
            *slot = signal;
            self.len += 1;
        }
    }

    pub fn as_slice(&self) -> &[(&'static str, &'static str)] {
        self.list.get(..self.len).unwrap_or_default()
    }
}

fn has(jwt: &Jwt, claim: &str) -> bool {
    jwt.claim(claim).is_some()
}

pub fn classify(jwt: &Jwt) -> Classification {
    let mut signals = Signals::default();
    let jti = jwt.known_str(name::JTI).unwrap_or_default();
    let mut access = 0;
    let mut id = 0;
    if jti.starts_with("AT.") {
        access += 3;
        signals.push(("jti", "starts with AT."));
    } else if jti.starts_with("ID.") {
        id += 3;
        signals.push(("jti", "starts with ID."));
    }
    // By slot where the name is a known one.
    for (claim, known, weight_access, weight_id) in [
        ("scp", Some(name::SCP), 2, 0),
        ("cid", Some(name::CID), 2, 0),
        ("uid", Some(name::UID), 1, 0),
        ("cnf", Some(name::CNF), 1, 0),
        ("amr", Some(name::AMR), 0, 1),
        ("idp", Some(name::IDP), 0, 1),
        ("at_hash", None, 0, 2),
        ("nonce", None, 0, 2),
    ] {
        let present = match known {
            Some(n) => jwt.known(n).is_some(),
            None => has(jwt, claim),
        };
        if present {
            access += weight_access;
            id += weight_id;
            signals.push((claim, "present"));
        }
    }
    let token_type = match access.cmp(&id) {
        std::cmp::Ordering::Greater => Some(TokenType::Access),
        std::cmp::Ordering::Less => Some(TokenType::Id),
        std::cmp::Ordering::Equal => None,
    };
    let issuer = jwt.issuer();
    let okta_host = jwt
        .known_str(name::ISS)
        .and_then(domain::host_of)
        .is_some_and(|h| domain::is_okta_host(&h));
    let okta_claims = jwt.known(name::VER).and_then(Value::as_i64) == Some(1)
        && (jti.starts_with("AT.")
            || jti.starts_with("ID.")
            || jwt.known(name::CID).is_some()
            || jwt.known(name::UID).is_some()
            || jwt.known(name::IDP).is_some());
    Classification {
        token_type,
        issuer,
        okta: okta_host || okta_claims,
        signals,
    }
}

/// Okta's lifetime rules (okta.md §5.1): custom and default servers mint access tokens of
/// 5 min–24 h by policy; the org server's access tokens and every ID token last 1 h. The
/// range, and the key of the rule's wording (`explain`).
fn lifetime_range(t: TokenType, server: &Server) -> (i64, i64, &'static str) {
    match (t, server) {
        (TokenType::Access, Server::Org) => (3600, 3600, "org_access"),
        (TokenType::Access, _) => (300, 86_400, "access"),
        (TokenType::Id, _) => (3600, 3600, "id"),
    }
}

fn list(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).map(clip).collect(),
        Some(Value::String(s)) => s.split_whitespace().map(clip).collect(),
        _ => Vec::new(),
    }
}

/// The view's `okta` object: type, server, client, user, scopes, lifetime.
pub fn view(jwt: &Jwt, c: &Classification) -> token::Okta {
    let (server, server_id) = match c.issuer.as_ref().map(|i| &i.server) {
        Some(Server::Org) => (Some(token::Server::Org), None),
        Some(Server::Default) => (Some(token::Server::Default), Some("default".to_string())),
        Some(Server::Custom(id)) => (Some(token::Server::Custom), Some(id.clone())),
        None => (None, None),
    };
    let id_token = c.token_type == Some(TokenType::Id);
    token::Okta {
        okta: c.okta,
        token_type: c.token_type.map(|t| match t {
            TokenType::Access => token::OktaTokenType::AccessToken,
            TokenType::Id => token::OktaTokenType::IdToken,
        }),
        authorization_server: server,
        authorization_server_id: server_id,
        client_id: jwt
            .known_str(name::CID)
            .or_else(|| id_token.then(|| jwt.known_str(name::AUD)).flatten())
            .map(str::to_string),
        user_id: jwt
            .known_str(name::UID)
            .or_else(|| jwt.known_str(name::SUB).filter(|s| s.starts_with("00u")))
            .map(str::to_string),
        scopes: list(jwt.known(name::SCP).or_else(|| jwt.known(name::SCOPE))),
        lifetime_seconds: lifetime(jwt),
        dpop_bound: dpop_thumbprint(jwt).is_some(),
    }
}

fn lifetime(jwt: &Jwt) -> Option<i64> {
    let exp = jwt.known(name::EXP).and_then(timestamp::numeric_date)?;
    let iat = jwt.known(name::IAT).and_then(timestamp::numeric_date)?;
    Some(exp.saturating_sub(iat))
}

fn dpop_thumbprint(jwt: &Jwt) -> Option<&str> {
    jwt.known(name::CNF)?.get("jkt")?.as_str()
}

/// Okta-specific findings for a decoded token.
pub fn findings(jwt: &Jwt) -> Vec<Finding> {
    if jwt.claims.is_none() || jwt.encrypted {
        return Vec::new();
    }
    let mut out = Vec::new();
    push_findings(jwt, &classify(jwt), &mut out);
    out
}

/// [`findings`] for a token with readable claims, classified as `c`, pushed onto `out`: the
/// analysis's one vector, with no vector of their own to allocate and move them out of
/// (docs/performance-log.md, "analyzeText, twelfth pass").
pub(crate) fn push_findings(jwt: &Jwt, c: &Classification, out: &mut Vec<Finding>) {
    if !c.okta {
        let iss = jwt.known_str(name::ISS);
        let shown = iss.map(clip).unwrap_or_else(|| "(no iss claim)".into());
        out.push(
            Finding::fact("jwt.not_okta", Severity::Info)
                .with("iss", iss)
                .evidence("claim", "iss", shown),
        );
        return;
    }
    let server = c.issuer.as_ref().map(|i| i.server.clone());
    match c.token_type {
        Some(TokenType::Access) => out.push(access_token(jwt, c)),
        Some(TokenType::Id) => out.push(id_token(jwt, c)),
        None => {}
    }
    if let (Some(TokenType::Access), Some(Server::Org)) = (c.token_type, &server) {
        out.push(org_server(jwt, c));
    }
    if let (Some(t), Some(server), Some(life)) = (c.token_type, &server, lifetime(jwt)) {
        let (min, max, rule) = lifetime_range(t, server);
        if life < min || life > max {
            out.push(
                Finding::fact("jwt.lifetime_unusual", Severity::Warning)
                    .with("lifetime", life)
                    .with("rule", rule),
            );
        }
    }
    if let Some(jkt) = dpop_thumbprint(jwt) {
        out.push(Finding::fact("jwt.dpop_bound", Severity::Info).with("jkt", jkt));
        if jwt.scheme.as_deref() == Some("Bearer") {
            out.push(crate::token::scheme_mismatch("dpop_bound_as_bearer"));
        }
    } else if jwt.scheme.as_deref() == Some("DPoP") && c.token_type == Some(TokenType::Access) {
        out.push(crate::token::scheme_mismatch("unbound_as_dpop"));
    }
    if c.token_type == Some(TokenType::Id)
        && matches!(jwt.scheme.as_deref(), Some("Bearer") | Some("DPoP"))
    {
        out.push(Finding::fact("jwt.id_token_as_bearer", Severity::Warning));
    }
}

/// The issuer's URL, for the wording to name its server and its endpoints.
fn issuer_url(c: &Classification) -> Option<&str> {
    c.issuer.as_ref().map(|i| i.url.as_str())
}

/// `jwt.okta_access_token`: who asked for it (`cid`), for whom (`uid`), with which scopes,
/// for which audience, for how long, from which issuer.
fn access_token(jwt: &Jwt, c: &Classification) -> Finding {
    // Set in place: each `Finding::with` moves the whole finding (docs/performance-log.md,
    // "analyzeText, eighth pass").
    let mut f = Finding::fact("jwt.okta_access_token", Severity::Info);
    let p = &mut f.params;
    p.set("issuer", issuer_url(c));
    p.set("cid", jwt.known_str(name::CID));
    p.set("uid", jwt.known_str(name::UID));
    p.set("scopes", list(jwt.known(name::SCP)));
    p.set("aud", jwt.known_str(name::AUD));
    p.set("lifetime", lifetime(jwt));
    signals(&mut f, c);
    f
}

/// The claims that decided the token's type, as evidence.
fn signals(f: &mut Finding, c: &Classification) {
    let signals = c.signals.as_slice();
    f.evidence.reserve(signals.len());
    for (claim, why) in signals {
        f.evidence.push(Evidence {
            source: "claim".into(),
            name: (*claim).into(),
            value: (*why).to_string(),
        });
    }
}

/// `jwt.okta_id_token`: for which app (`aud`) and user (`sub`), how they signed in (`amr`,
/// `idp`), whether an access token came with it (`at_hash`), from which issuer.
fn id_token(jwt: &Jwt, c: &Classification) -> Finding {
    let mut f = Finding::fact("jwt.okta_id_token", Severity::Info)
        .with("issuer", issuer_url(c))
        .with("aud", jwt.known_str(name::AUD))
        .with("sub", jwt.known_str(name::SUB))
        .with("amr", list(jwt.known(name::AMR)))
        .with("idp", jwt.known_str(name::IDP))
        .with("at_hash", has(jwt, "at_hash"));
    signals(&mut f, c);
    f
}

/// `jwt.org_authorization_server`: the token's `okta.*` scopes, and the issuer and client an
/// introspection would use.
fn org_server(jwt: &Jwt, c: &Classification) -> Finding {
    let okta_scopes: Vec<String> = list(jwt.known(name::SCP))
        .into_iter()
        .filter(|s| s.starts_with("okta."))
        .collect();
    Finding::fact("jwt.org_authorization_server", Severity::Warning)
        .with("okta_scopes", okta_scopes)
        .with("issuer", issuer_url(c))
        .with("cid", jwt.known_str(name::CID))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jwt::decode;
    use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
    use serde_json::json;

    fn jwt(claims: Value, scheme: Option<&str>) -> Jwt {
        let t = format!(
            "{}.{}.c2ln",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256"}"#),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        decode(&t, scheme.map(String::from))
    }

    fn ids(j: &Jwt) -> Vec<String> {
        findings(j).into_iter().map(|f| f.id.into_owned()).collect()
    }

    #[test]
    fn classification_table() {
        let cases: &[(Value, Option<&str>, &[&str])] = &[
            (
                json!({"ver": 1, "jti": "AT.x", "iss": "https://dev-1.okta.com/oauth2/default", "cid": "0oa1", "uid": "00u1", "scp": ["openid"], "iat": 0, "exp": 3600}),
                None,
                &["jwt.okta_access_token"],
            ),
            (
                json!({"ver": 1, "jti": "AT.x", "iss": "https://dev-1.okta.com", "cid": "0oa1", "scp": ["okta.users.read"], "iat": 0, "exp": 3600}),
                None,
                &["jwt.okta_access_token", "jwt.org_authorization_server"],
            ),
            (
                json!({"ver": 1, "jti": "ID.x", "iss": "https://dev-1.okta.com", "aud": "0oa1", "amr": ["pwd"], "idp": "00o1", "iat": 0, "exp": 3600}),
                None,
                &["jwt.okta_id_token"],
            ),
            (
                json!({"ver": 1, "jti": "ID.x", "iss": "https://dev-1.okta.com", "aud": "0oa1", "iat": 0, "exp": 3600}),
                Some("Bearer"),
                &["jwt.okta_id_token", "jwt.id_token_as_bearer"],
            ),
            (
                json!({"iss": "https://accounts.google.com", "sub": "1", "aud": "x"}),
                None,
                &["jwt.not_okta"],
            ),
            (
                json!({"ver": 1, "jti": "AT.x", "iss": "https://login.acme.com/oauth2/aus1", "cid": "0oa1", "iat": 0, "exp": 3600 * 48}),
                None,
                &["jwt.okta_access_token", "jwt.lifetime_unusual"],
            ),
            (
                json!({"ver": 1, "jti": "AT.x", "iss": "https://dev-1.okta.com/oauth2/default", "cid": "0oa1", "cnf": {"jkt": "abc"}, "iat": 0, "exp": 3600}),
                Some("Bearer"),
                &[
                    "jwt.okta_access_token",
                    "jwt.dpop_bound",
                    "auth.scheme_mismatch",
                ],
            ),
            (
                json!({"ver": 1, "jti": "AT.x", "iss": "https://dev-1.okta.com/oauth2/default", "cid": "0oa1", "iat": 0, "exp": 3600}),
                Some("DPoP"),
                &["jwt.okta_access_token", "auth.scheme_mismatch"],
            ),
        ];
        for (claims, scheme, want) in cases {
            assert_eq!(ids(&jwt(claims.clone(), *scheme)), *want, "{claims}");
        }
    }

    #[test]
    fn view_names_server_client_user_and_scopes() {
        let j = jwt(
            json!({"ver": 1, "jti": "AT.x", "iss": "https://dev-1.okta.com/oauth2/aus8aus76q8iphupD0h7", "cid": "0oa1", "uid": "00u1", "scp": ["a", "b"], "iat": 10, "exp": 3610}),
            None,
        );
        let v = view(&j, &classify(&j));
        assert_eq!(v.token_type, Some(token::OktaTokenType::AccessToken));
        assert_eq!(v.authorization_server, Some(token::Server::Custom));
        assert_eq!(
            v.authorization_server_id.as_deref(),
            Some("aus8aus76q8iphupD0h7")
        );
        assert_eq!(v.client_id.as_deref(), Some("0oa1"));
        assert_eq!(v.user_id.as_deref(), Some("00u1"));
        assert_eq!(v.scopes, ["a", "b"]);
        assert_eq!(v.lifetime_seconds, Some(3600));
    }

    /// A token with the `jti` and every claim [`classify`] weighs gives [`SIGNALS`] signals,
    /// all kept, in the order the vector held them.
    #[test]
    fn every_signal_is_kept() {
        let j = jwt(
            json!({"jti": "AT.x", "scp": ["a"], "cid": "0oa1", "uid": "00u1", "cnf": {"jkt": "k"}, "amr": ["pwd"], "idp": "00o1", "at_hash": "h", "nonce": "n"}),
            None,
        );
        let c = classify(&j);
        let claims: Vec<&str> = c.signals.as_slice().iter().map(|(n, _)| *n).collect();
        assert_eq!(
            claims,
            ["jti", "scp", "cid", "uid", "cnf", "amr", "idp", "at_hash", "nonce"]
        );
        assert_eq!(c.signals.as_slice().len(), SIGNALS);
        assert_eq!(
            c.signals.as_slice().first(),
            Some(&("jti", "starts with AT."))
        );
    }
}
