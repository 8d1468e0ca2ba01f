//! The words of what Okta minted a token as: `jwt.okta_access_token`, `jwt.okta_id_token`,
//! `jwt.org_authorization_server`, `jwt.not_okta`, `jwt.lifetime_unusual`, `jwt.dpop_bound`,
//! `jwt.id_token_as_bearer`.

use super::{issuer, to_issuer};
use crate::{
    command,
    issuer::{Issuer, Server},
    jwt::{claims, clip},
    report::Finding,
    shell, timestamp,
};

/// Words `f` when it is one of Okta's token findings; false for any other id.
pub(super) fn word(f: &mut Finding) -> bool {
    let p = &f.params;
    let w = &mut **f.words.get_or_insert_with(Box::default);
    match &*f.id {
        "jwt.okta_access_token" => access_token(f),
        "jwt.okta_id_token" => id_token(f),
        "jwt.org_authorization_server" => org_server(f),
        "jwt.not_okta" => {
            let iss = p
                .text("iss")
                .map(clip)
                .unwrap_or_else(|| "(no iss claim)".into());
            w.title = "Not an Okta token".into();
            w.detail = format!(
                "The issuer is {iss}: not an Okta domain, and the token lacks Okta's claims (ver 1 with an AT./ID. jti, cid, uid). Okta-specific advice below may not apply; an app's own session token or another identity provider's token looks like this."
            );
            w.fix = vec!["If you expected an Okta token, the app may be sending the wrong one (its own session JWT, or a token from another provider). Check where the Authorization header is set.".into()];
        }
        "jwt.lifetime_unusual" => {
            let life = p.int("lifetime").unwrap_or_default();
            let rule = match p.str("rule") {
                "org_access" => "the org authorization server issues 1-hour access tokens",
                "id" => "Okta ID tokens last 1 hour",
                _ => "access policies allow 5 minutes to 24 hours",
            };
            w.title = format!(
                "Lifetime of {} is outside Okta's range",
                timestamp::human(life)
            );
            w.detail = format!(
                "iat → exp spans {} ({life} s), but {rule}. A real Okta server did not mint this token as-is: it is a test fixture, a mock, or was re-signed by something else.",
                timestamp::human(life)
            );
            w.fix = vec!["Check which service issued the token; validate it against the issuer's JWKS before trusting it.".into()];
        }
        "jwt.dpop_bound" => {
            w.title = "DPoP-bound token (cnf.jkt)".into();
            w.detail = format!(
                "The token is bound to the client's key with thumbprint {} (RFC 9449). It must be sent as \"Authorization: DPoP <token>\" together with a fresh \"DPoP: <proof>\" header signed by that key, whose ath claim hashes this token. As a plain Bearer token it is rejected.",
                clip(p.str("jkt"))
            );
            w.fix = vec!["Send it with the DPoP scheme and a new proof per request (okta-auth-js does this when dpop: true).".into()];
            w.docs_url = Some("https://developer.okta.com/docs/guides/dpop/main/".into());
        }
        "jwt.id_token_as_bearer" => {
            w.title = "An ID token sent as a bearer token".into();
            w.detail = "ID tokens tell the client app who signed in; their audience is the app's client id, not your API. APIs validating access tokens reject them (wrong aud, no scp), and /userinfo answers 401 invalid_token.".into();
            w.fix = vec!["Send the access token instead (okta-auth-js: authState.accessToken.accessToken, or getAccessToken()).".into()];
            w.docs_url =
                Some("https://developer.okta.com/docs/guides/validate-id-tokens/main/".into());
        }
        _ => return false,
    }
    true
}

/// The authorization server that minted a token, as a sentence names it.
fn server_phrase(iss: Option<&Issuer>) -> String {
    match iss.map(|i| &i.server) {
        Some(Server::Org) => "the org authorization server".to_string(),
        Some(Server::Default) => "the \"default\" custom authorization server".to_string(),
        Some(Server::Custom(id)) => format!("custom authorization server {}", clip(id)),
        None => "an unknown authorization server".to_string(),
    }
}

/// `issuer`, `cid`, `uid`, `scopes`, `aud`, `lifetime`.
fn access_token(f: &mut Finding) {
    let p = &f.params;
    let the_issuer = issuer(f);
    let w = &mut **f.words.get_or_insert_with(Box::default);
    let iss = the_issuer;
    let server = server_phrase(iss.as_ref());
    let mut detail = format!("An access token from {server}");
    if let Some(cid) = p.text("cid") {
        detail.push_str(&format!(", requested by client {}", clip(cid)));
    }
    match p.text("uid") {
        Some(uid) => detail.push_str(&format!(" for user {}", clip(uid))),
        None => detail.push_str(" without a user (client_credentials)"),
    }
    detail.push('.');
    let scopes = p.texts("scopes");
    if !scopes.is_empty() {
        detail.push_str(&format!(" Scopes: {}.", scopes.join(" ")));
    }
    if let Some(aud) = p.text("aud") {
        detail.push_str(&format!(" Audience: {}", clip(aud)));
        if aud == "api://default" {
            detail.push_str(" (the default server's standard audience; your API's validator must expect exactly this)");
        }
        detail.push('.');
    }
    if let Some(life) = p.int("lifetime") {
        detail.push_str(&format!(" Lifetime {}.", timestamp::human(life)));
    }
    if let Some(i) = &iss {
        detail.push_str(&format!(
            " An API must validate it with issuer {} exactly; a validator configured with {} rejects it.",
            clip(&i.url),
            match i.server {
                Server::Org => "a /oauth2/default or custom-server issuer",
                _ => "the org URL (without /oauth2/…)",
            }
        ));
    }
    w.title = format!("Okta access token from {server}");
    w.detail = detail;
    w.docs_url = Some("https://developer.okta.com/docs/guides/validate-access-tokens/main/".into());
}

/// `issuer`, `aud`, `sub`, `amr`, `idp`, `at_hash`.
fn id_token(f: &mut Finding) {
    let p = &f.params;
    let the_issuer = issuer(f);
    let w = &mut **f.words.get_or_insert_with(Box::default);
    let server = server_phrase(the_issuer.as_ref());
    let mut detail = format!("An ID token from {server}");
    if let Some(aud) = p.text("aud") {
        detail.push_str(&format!(" for app {}", clip(aud)));
    }
    if let Some(sub) = p.text("sub") {
        detail.push_str(&format!(", user {}", clip(sub)));
    }
    detail.push('.');
    let amr = p.texts("amr");
    if !amr.is_empty() {
        let explained: Vec<String> = amr
            .iter()
            .map(|v| format!("{v} ({})", claims::amr(v).unwrap_or("unknown method")))
            .collect();
        detail.push_str(&format!(" Signed in with: {}.", explained.join(", ")));
    }
    if let Some(idp) = p.text("idp") {
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
    if p.flag("at_hash") {
        detail.push_str(" at_hash: an access token was issued together with it.");
    }
    detail
        .push_str(" ID tokens are for the app to learn who signed in; never send them to an API.");
    w.title = format!("Okta ID token from {server}");
    w.detail = detail;
    w.docs_url = Some("https://developer.okta.com/docs/guides/validate-id-tokens/main/".into());
}

/// `okta_scopes`; `issuer` and `cid` for the introspection command.
fn org_server(f: &mut Finding) {
    let p = &f.params;
    let the_issuer = issuer(f);
    let w = &mut **f.words.get_or_insert_with(Box::default);
    let okta_scopes = p.texts("okta_scopes");
    w.title = "Org authorization server token: your API can't validate it locally".into();
    w.detail = format!(
        "iss is the org URL, so the org authorization server minted this token. Okta does not publish the keys that sign these access tokens and may change their contents without notice: only Okta can validate them. Use them for Okta's own APIs (only the org server mints okta.* scopes{}); for your own API, create a custom authorization server (or use \"default\") and validate its tokens with its JWKS, or call /introspect.",
        if okta_scopes.is_empty() {
            String::new()
        } else {
            format!("; this one has {}", okta_scopes.join(" "))
        }
    );
    w.fix = vec![
        "For your own API: request the token from https://{yourOktaDomain}/oauth2/default (or a custom server) instead of /oauth2/v1.".into(),
        "To check an org-server token, introspect it (command below).".into(),
    ];
    w.docs_url = Some("https://developer.okta.com/docs/concepts/auth-servers/".into());
    if let Some(i) = the_issuer {
        let client = f
            .params
            .text("cid")
            .filter(|s| shell::printable(s))
            .map(shell::quote)
            .unwrap_or_else(|| "\"$CLIENT_ID\"".into());
        w.commands.push(to_issuer(
            &i,
            "Introspect the token at the org authorization server",
            format!(
                "curl -g -s -X POST \"{}{}\" -d client_id={client} -d \"token=$ACCESS_TOKEN\" -d token_type_hint=access_token",
                command::ISSUER,
                i.endpoint_path("introspect")
            ),
        ));
    }
}
