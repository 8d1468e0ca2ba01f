//! Okta-aware triage of a decoded token (okta.md §5.1–5.3): access token or ID token (jti
//! `AT.`/`ID.`, `ver`, `cid`, `uid`, `scp`, `amr`, `idp`, `at_hash`), which authorization
//! server minted it (org, `default`, custom — also behind a custom URL domain), whether it is
//! Okta's at all, DPoP binding (`cnf.jkt`, RFC 9449) and lifetime against Okta's policies.

use serde_json::{json, Value};

use super::{clip, Jwt};
use crate::{
    command, domain,
    issuer::{self, Server},
    report::{Finding, Severity},
    shell, timestamp,
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
    pub signals: Vec<(&'static str, String)>,
}

fn has(jwt: &Jwt, claim: &str) -> bool {
    jwt.claim(claim).is_some()
}

pub fn classify(jwt: &Jwt) -> Classification {
    let mut signals = Vec::new();
    let jti = jwt.claim_str("jti").unwrap_or_default();
    let mut access = 0;
    let mut id = 0;
    if jti.starts_with("AT.") {
        access += 3;
        signals.push(("jti", "starts with AT.".to_string()));
    } else if jti.starts_with("ID.") {
        id += 3;
        signals.push(("jti", "starts with ID.".to_string()));
    }
    for (claim, weight_access, weight_id) in [
        ("scp", 2, 0),
        ("cid", 2, 0),
        ("uid", 1, 0),
        ("cnf", 1, 0),
        ("amr", 0, 1),
        ("idp", 0, 1),
        ("at_hash", 0, 2),
        ("nonce", 0, 2),
    ] {
        if has(jwt, claim) {
            access += weight_access;
            id += weight_id;
            signals.push((claim, "present".to_string()));
        }
    }
    let token_type = match access.cmp(&id) {
        std::cmp::Ordering::Greater => Some(TokenType::Access),
        std::cmp::Ordering::Less => Some(TokenType::Id),
        std::cmp::Ordering::Equal => None,
    };
    let issuer = jwt.issuer();
    let okta_host = jwt
        .claim_str("iss")
        .and_then(domain::host_of)
        .is_some_and(|h| domain::is_okta_host(&h));
    let okta_claims = jwt.claim("ver").and_then(Value::as_i64) == Some(1)
        && (jti.starts_with("AT.")
            || jti.starts_with("ID.")
            || has(jwt, "cid")
            || has(jwt, "uid")
            || has(jwt, "idp"));
    Classification {
        token_type,
        issuer,
        okta: okta_host || okta_claims,
        signals,
    }
}

/// Okta's lifetime rules (okta.md §5.1): custom and default servers mint access tokens of
/// 5 min–24 h by policy; the org server's access tokens and every ID token last 1 h.
fn lifetime_range(t: TokenType, server: &Server) -> (i64, i64, &'static str) {
    match (t, server) {
        (TokenType::Access, Server::Org) => (
            3600,
            3600,
            "the org authorization server issues 1-hour access tokens",
        ),
        (TokenType::Access, _) => (300, 86_400, "access policies allow 5 minutes to 24 hours"),
        (TokenType::Id, _) => (3600, 3600, "Okta ID tokens last 1 hour"),
    }
}

fn server_phrase(server: &Server) -> String {
    match server {
        Server::Org => "the org authorization server".to_string(),
        Server::Default => "the \"default\" custom authorization server".to_string(),
        Server::Custom(id) => format!("custom authorization server {}", clip(id)),
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
pub fn view(jwt: &Jwt, c: &Classification) -> Value {
    let (server, server_id) = match c.issuer.as_ref().map(|i| &i.server) {
        Some(Server::Org) => (Some("org"), None),
        Some(Server::Default) => (Some("default"), Some("default".to_string())),
        Some(Server::Custom(id)) => (Some("custom"), Some(id.clone())),
        None => (None, None),
    };
    json!({
        "okta": c.okta,
        "tokenType": match c.token_type {
            Some(TokenType::Access) => Some("access_token"),
            Some(TokenType::Id) => Some("id_token"),
            None => None,
        },
        "authorizationServer": server,
        "authorizationServerId": server_id,
        "clientId": jwt.claim_str("cid").or_else(|| (c.token_type == Some(TokenType::Id)).then(|| jwt.claim_str("aud")).flatten()),
        "userId": jwt.claim_str("uid").or_else(|| jwt.claim_str("sub").filter(|s| s.starts_with("00u"))),
        "scopes": list(jwt.claim("scp").or_else(|| jwt.claim("scope"))),
        "lifetimeSeconds": lifetime(jwt),
        "dpopBound": dpop_thumbprint(jwt).is_some(),
    })
}

fn lifetime(jwt: &Jwt) -> Option<i64> {
    let exp = jwt.claim("exp").and_then(timestamp::numeric_date)?;
    let iat = jwt.claim("iat").and_then(timestamp::numeric_date)?;
    Some(exp.saturating_sub(iat))
}

fn dpop_thumbprint(jwt: &Jwt) -> Option<&str> {
    jwt.claim("cnf")?.get("jkt")?.as_str()
}

/// Okta-specific findings for a decoded token.
pub fn findings(jwt: &Jwt) -> Vec<Finding> {
    if jwt.claims.is_none() || jwt.encrypted {
        return Vec::new();
    }
    let c = classify(jwt);
    let mut out = Vec::new();
    if !c.okta {
        let iss = jwt
            .claim_str("iss")
            .map(clip)
            .unwrap_or_else(|| "(no iss claim)".into());
        out.push(
            Finding::new("jwt.not_okta", Severity::Info, "Not an Okta token")
                .detail(format!(
                    "The issuer is {iss}: not an Okta domain, and the token lacks Okta's claims (ver 1 with an AT./ID. jti, cid, uid). Okta-specific advice below may not apply; an app's own session token or another identity provider's token looks like this."
                ))
                .fix("If you expected an Okta token, the app may be sending the wrong one (its own session JWT, or a token from another provider). Check where the Authorization header is set.")
                .evidence("claim", "iss", iss),
        );
        return out;
    }
    let server = c.issuer.as_ref().map(|i| i.server.clone());
    match c.token_type {
        Some(TokenType::Access) => out.push(access_token(jwt, &c)),
        Some(TokenType::Id) => out.push(id_token(jwt, &c)),
        None => {}
    }
    if let (Some(TokenType::Access), Some(Server::Org)) = (c.token_type, &server) {
        out.push(org_server(jwt, &c));
    }
    if let (Some(t), Some(server), Some(life)) = (c.token_type, &server, lifetime(jwt)) {
        let (min, max, rule) = lifetime_range(t, server);
        if life < min || life > max {
            out.push(
                Finding::new(
                    "jwt.lifetime_unusual",
                    Severity::Warning,
                    format!("Lifetime of {} is outside Okta's range", timestamp::human(life)),
                )
                .detail(format!(
                    "iat → exp spans {} ({life} s), but {rule}. A real Okta server did not mint this token as-is: it is a test fixture, a mock, or was re-signed by something else.",
                    timestamp::human(life)
                ))
                .fix("Check which service issued the token; validate it against the issuer's JWKS before trusting it."),
            );
        }
    }
    if let Some(jkt) = dpop_thumbprint(jwt) {
        out.push(
            Finding::new("jwt.dpop_bound", Severity::Info, "DPoP-bound token (cnf.jkt)")
                .detail(format!(
                    "The token is bound to the client's key with thumbprint {} (RFC 9449). It must be sent as \"Authorization: DPoP <token>\" together with a fresh \"DPoP: <proof>\" header signed by that key, whose ath claim hashes this token. As a plain Bearer token it is rejected.",
                    clip(jkt)
                ))
                .fix("Send it with the DPoP scheme and a new proof per request (okta-auth-js does this when dpop: true).")
                .docs("https://developer.okta.com/docs/guides/dpop/main/"),
        );
        if jwt.scheme.as_deref() == Some("Bearer") {
            out.push(crate::token::scheme_mismatch(
                "A DPoP-bound token sent with the Bearer scheme",
                "The token carries cnf.jkt, so resource servers require \"Authorization: DPoP <token>\" plus a DPoP proof header; sent as Bearer it fails with 401 invalid_token (or invalid_dpop_proof).",
                "Send \"Authorization: DPoP <token>\" with a \"DPoP: <proof>\" header.",
            ));
        }
    } else if jwt.scheme.as_deref() == Some("DPoP") && c.token_type == Some(TokenType::Access) {
        out.push(crate::token::scheme_mismatch(
            "DPoP scheme with a token that is not DPoP-bound",
            "The token has no cnf.jkt claim, so it was issued as a plain Bearer token (DPoP was not enabled on the app, or the token request carried no DPoP proof). Resource servers expect \"Authorization: Bearer <token>\" for it.",
            "Send it as \"Authorization: Bearer <token>\", or enable \"Require DPoP\" on the app and request the token with a DPoP proof.",
        ));
    }
    if c.token_type == Some(TokenType::Id)
        && matches!(jwt.scheme.as_deref(), Some("Bearer") | Some("DPoP"))
    {
        out.push(
            Finding::new("jwt.id_token_as_bearer", Severity::Warning, "An ID token sent as a bearer token")
                .detail("ID tokens tell the client app who signed in; their audience is the app's client id, not your API. APIs validating access tokens reject them (wrong aud, no scp), and /userinfo answers 401 invalid_token.")
                .fix("Send the access token instead (okta-auth-js: authState.accessToken.accessToken, or getAccessToken()).")
                .docs("https://developer.okta.com/docs/guides/validate-id-tokens/main/"),
        );
    }
    out
}

fn access_token(jwt: &Jwt, c: &Classification) -> Finding {
    let server = c
        .issuer
        .as_ref()
        .map(|i| server_phrase(&i.server))
        .unwrap_or_else(|| "an unknown authorization server".into());
    let scopes = list(jwt.claim("scp"));
    let mut detail = format!("An access token from {server}");
    if let Some(cid) = jwt.claim_str("cid") {
        detail.push_str(&format!(", requested by client {}", clip(cid)));
    }
    match jwt.claim_str("uid") {
        Some(uid) => detail.push_str(&format!(" for user {}", clip(uid))),
        None => detail.push_str(" without a user (client_credentials)"),
    }
    detail.push('.');
    if !scopes.is_empty() {
        detail.push_str(&format!(" Scopes: {}.", scopes.join(" ")));
    }
    if let Some(aud) = jwt.claim_str("aud") {
        detail.push_str(&format!(" Audience: {}", clip(aud)));
        if aud == "api://default" {
            detail.push_str(" (the default server's standard audience; your API's validator must expect exactly this)");
        }
        detail.push('.');
    }
    if let Some(life) = lifetime(jwt) {
        detail.push_str(&format!(" Lifetime {}.", timestamp::human(life)));
    }
    if let Some(i) = &c.issuer {
        detail.push_str(&format!(
            " An API must validate it with issuer {} exactly; a validator configured with {} rejects it.",
            clip(&i.url),
            match i.server {
                Server::Org => "a /oauth2/default or custom-server issuer".to_string(),
                _ => "the org URL (without /oauth2/…)".to_string(),
            }
        ));
    }
    let mut f = Finding::new(
        "jwt.okta_access_token",
        Severity::Info,
        format!("Okta access token from {server}"),
    )
    .detail(detail)
    .docs("https://developer.okta.com/docs/guides/validate-access-tokens/main/");
    for (claim, why) in &c.signals {
        f = f.evidence("claim", *claim, why.clone());
    }
    f
}

fn id_token(jwt: &Jwt, c: &Classification) -> Finding {
    let server = c
        .issuer
        .as_ref()
        .map(|i| server_phrase(&i.server))
        .unwrap_or_else(|| "an unknown authorization server".into());
    let mut detail = format!("An ID token from {server}");
    if let Some(aud) = jwt.claim_str("aud") {
        detail.push_str(&format!(" for app {}", clip(aud)));
    }
    if let Some(sub) = jwt.claim_str("sub") {
        detail.push_str(&format!(", user {}", clip(sub)));
    }
    detail.push('.');
    let amr = list(jwt.claim("amr"));
    if !amr.is_empty() {
        let explained: Vec<String> = amr
            .iter()
            .map(|v| {
                format!(
                    "{v} ({})",
                    super::claims::amr(v).unwrap_or("unknown method")
                )
            })
            .collect();
        detail.push_str(&format!(" Signed in with: {}.", explained.join(", ")));
    }
    if let Some(idp) = jwt.claim_str("idp") {
        detail.push_str(&format!(
            " idp {} is {}.",
            clip(idp),
            if idp.starts_with("00o") {
                "the Okta org itself (a local sign-in)"
            } else {
                "an identity provider: the user came through social login or inbound federation"
            }
        ));
    }
    if has(jwt, "at_hash") {
        detail.push_str(" at_hash: an access token was issued together with it.");
    }
    detail
        .push_str(" ID tokens are for the app to learn who signed in; never send them to an API.");
    let mut f = Finding::new(
        "jwt.okta_id_token",
        Severity::Info,
        format!("Okta ID token from {server}"),
    )
    .detail(detail)
    .docs("https://developer.okta.com/docs/guides/validate-id-tokens/main/");
    for (claim, why) in &c.signals {
        f = f.evidence("claim", *claim, why.clone());
    }
    f
}

fn org_server(jwt: &Jwt, c: &Classification) -> Finding {
    let okta_scopes: Vec<String> = list(jwt.claim("scp"))
        .into_iter()
        .filter(|s| s.starts_with("okta."))
        .collect();
    let mut f = Finding::new(
        "jwt.org_authorization_server",
        Severity::Warning,
        "Org authorization server token: your API can't validate it locally",
    )
    .detail(format!(
        "iss is the org URL, so the org authorization server minted this token. Okta does not publish the keys that sign these access tokens and may change their contents without notice: only Okta can validate them. Use them for Okta's own APIs (only the org server mints okta.* scopes{}); for your own API, create a custom authorization server (or use \"default\") and validate its tokens with its JWKS, or call /introspect.",
        if okta_scopes.is_empty() { String::new() } else { format!("; this one has {}", okta_scopes.join(" ")) }
    ))
    .fix("For your own API: request the token from https://{yourOktaDomain}/oauth2/default (or a custom server) instead of /oauth2/v1.")
    .fix("To check an org-server token, introspect it (command below).")
    .docs("https://developer.okta.com/docs/concepts/auth-servers/");
    if let Some(i) = &c.issuer {
        let client = jwt
            .claim_str("cid")
            .filter(|s| shell::printable(s))
            .map(shell::quote)
            .unwrap_or_else(|| "\"$CLIENT_ID\"".into());
        f.commands.push(command::sent_to(
            Some(command::Target::issuer(i)),
            "Introspect the token at the org authorization server",
            format!(
                "curl -g -s -X POST \"{}{}\" -d client_id={client} -d \"token=$ACCESS_TOKEN\" -d token_type_hint=access_token",
                command::ISSUER,
                i.endpoint_path("introspect")
            ),
        ));
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jwt::decode;
    use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};

    fn jwt(claims: Value, scheme: Option<&str>) -> Jwt {
        let t = format!(
            "{}.{}.c2ln",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256"}"#),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        decode(&t, scheme.map(String::from))
    }

    fn ids(j: &Jwt) -> Vec<String> {
        findings(j).into_iter().map(|f| f.id).collect()
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
        assert_eq!(v["tokenType"], "access_token");
        assert_eq!(v["authorizationServer"], "custom");
        assert_eq!(v["authorizationServerId"], "aus8aus76q8iphupD0h7");
        assert_eq!(v["clientId"], "0oa1");
        assert_eq!(v["userId"], "00u1");
        assert_eq!(v["scopes"], json!(["a", "b"]));
        assert_eq!(v["lifetimeSeconds"], 3600);
    }
}
