//! The words of the `jwt.*` and `auth.*` findings: a token's shape and the credential's scheme
//! here, its lifetime in `lifetime.rs`, what Okta minted it as in `okta.rs`, and its signature
//! (not checked, or what checking it found) in `signature.rs`.

mod lifetime;
pub(super) mod notes;
mod okta;
mod signature;
#[cfg(test)]
mod tests;

use crate::{
    command,
    issuer::{self, Issuer},
    report::{Command, Finding},
};

pub(super) fn word(f: &mut Finding) {
    // A token read from okta-token-storage gets its stored key in front of the title from
    // `explain::finding` (token::stored_under), for every family.
    let _ = shape(f) || lifetime::word(f) || okta::word(f) || signature::word(f);
}

/// The issuer a finding recorded (`issuer`: its URL as `jwt::Jwt::issuer` parsed it).
fn issuer(f: &Finding) -> Option<Issuer> {
    f.params.text("issuer").and_then(issuer::parse)
}

/// A command that sends its request to `iss` (settled later: see `command::settle`).
fn to_issuer(iss: &Issuer, label: &str, command: String) -> Command {
    command::sent_to(Some(command::Target::issuer(iss)), label, command)
}

/// The token's shape (`jwt.malformed`, `jwt.encrypted`, `jwt.alg_none`) and the credential's
/// scheme (`auth.scheme_mismatch`); false for any other id.
fn shape(f: &mut Finding) -> bool {
    match &*f.id {
        "jwt.malformed" => malformed(f),
        "jwt.encrypted" => {
            f.title = "Encrypted token (JWE)".into();
            f.detail = "The token has five segments: it is encrypted. Only the header can be read here; the claims need the recipient's private key. Okta issues signed (JWS) access and ID tokens, so an encrypted token usually comes from another issuer or an app's own session.".into();
            f.fix = vec!["Ask the app or API that holds the decryption key to log the decrypted claims, or inspect the token before it is encrypted.".into()];
        }
        "jwt.alg_none" => {
            f.title = "Unsigned token (alg \"none\")".into();
            f.detail = "The header declares alg \"none\": the token carries no signature, so anyone could have written these claims. Okta never issues unsigned tokens, and a resource server must reject them.".into();
            f.fix = vec![
                "Do not trust this token. Find where it was created: a test fixture, a proxy, or an attacker.".into(),
                "Make sure your API's JWT validation has an algorithm allow-list (e.g. RS256 only) so alg \"none\" is refused.".into(),
            ];
        }
        "auth.scheme_mismatch" => scheme_mismatch(f),
        _ => return false,
    }
    true
}

/// `parts` and `reasons`: each problem in order; `header`, `payload`: what decoded anyway.
fn malformed(f: &mut Finding) {
    let p = &f.params;
    let w = &mut **f.words.get_or_insert_with(Box::default);
    let parts = p.texts("parts");
    w.title = match parts.first() {
        Some(&"token") => "Malformed JWT: not three dot-separated parts".to_string(),
        Some(part) => format!("Malformed JWT: the {part} is unreadable"),
        None => "Malformed JWT".to_string(),
    };
    let mut detail = parts
        .iter()
        .zip(p.texts("reasons"))
        .map(|(part, reason)| format!("The {part} {reason}."))
        .collect::<Vec<_>>()
        .join(" ");
    let decoded: Vec<&str> = ["header", "payload"]
        .into_iter()
        .filter(|part| p.flag(part))
        .collect();
    if decoded.is_empty() {
        detail.push_str(" Nothing could be decoded.");
    } else {
        detail.push_str(&format!(
            " What did decode is shown below ({}).",
            decoded.join(" and ")
        ));
    }
    w.detail = detail;
    w.fix = vec![
        "Copy the whole token again: a JWT is three base64url parts joined by dots, usually 700–1,500 characters for an Okta token, starting with \"eyJ\".".into(),
        "If you copied it from a log or a header, make sure nothing was cut off or appended (ellipses, quotes, a trailing \"&state=…\").".into(),
    ];
    w.docs_url = Some("https://www.rfc-editor.org/rfc/rfc7519#section-7.2".into());
}

/// `why`: which scheme was used with which credential.
fn scheme_mismatch(f: &mut Finding) {
    let (title, detail, fix) = match f.params.str("why") {
        "ssws_as_bearer" => (
            "An SSWS API token sent with the Bearer scheme",
            "Okta API tokens must be sent as \"Authorization: SSWS <token>\". With \"Bearer\", Okta tries to read it as an OAuth access token and answers 401 E0000011 \"Invalid token provided\".",
            "Change the header to \"Authorization: SSWS <token>\".",
        ),
        "jwt_as_ssws" => (
            "A JWT sent with the SSWS scheme",
            "\"SSWS\" is for Okta API tokens. An OAuth access token must be sent as \"Authorization: Bearer <token>\" (or \"DPoP <token>\" when DPoP-bound); with SSWS, Okta answers 401 E0000011 \"Invalid token provided\".",
            "Change the header to \"Authorization: Bearer <token>\".",
        ),
        "dpop_bound_as_bearer" => (
            "A DPoP-bound token sent with the Bearer scheme",
            "The token carries cnf.jkt, so resource servers require \"Authorization: DPoP <token>\" plus a DPoP proof header; sent as Bearer it fails with 401 invalid_token (or invalid_dpop_proof).",
            "Send \"Authorization: DPoP <token>\" with a \"DPoP: <proof>\" header.",
        ),
        "unbound_as_dpop" => (
            "DPoP scheme with a token that is not DPoP-bound",
            "The token has no cnf.jkt claim, so it was issued as a plain Bearer token (DPoP was not enabled on the app, or the token request carried no DPoP proof). Resource servers expect \"Authorization: Bearer <token>\" for it.",
            "Send it as \"Authorization: Bearer <token>\", or enable \"Require DPoP\" on the app and request the token with a DPoP proof.",
        ),
        _ => (
            "Credential sent with the wrong Authorization scheme",
            "The Authorization scheme does not fit the credential: SSWS is for Okta API tokens, Bearer for OAuth access tokens, DPoP for DPoP-bound access tokens.",
            "Send the credential with the scheme its type needs.",
        ),
    };
    f.title = title.into();
    f.detail = detail.into();
    f.fix = vec![fix.into()];
    f.docs_url =
        Some("https://developer.okta.com/docs/reference/core-okta-api/#authentication".into());
}
