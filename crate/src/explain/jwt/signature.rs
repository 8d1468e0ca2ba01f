//! The words of a token's signature: `jwt.signature_not_checked` (decoded only; or the check
//! could not be made), and what checking it against the issuer's keys found
//! (`jwt.signature_valid`, `jwt.signature_invalid`, `jwt.key_not_found`).

use super::{issuer, to_issuer};
use crate::{
    command,
    jwt::clip,
    report::{Action, Finding},
};

/// Words `f` when it is a signature finding; false for any other id.
pub(super) fn word(f: &mut Finding) -> bool {
    let p = &f.params;
    let w = &mut **f.words.get_or_insert_with(Box::default);
    let kid = || p.text("kid").map(clip).unwrap_or_else(|| "(no kid)".into());
    match &*f.id {
        "jwt.signature_not_checked" => not_checked(f),
        "jwt.signature_valid" => {
            w.title = "Signature valid".into();
            w.detail = format!(
                "The {} signature verifies with key {} from {}'s JWKS: the claims are exactly what the issuer signed. Your API must still check iss, aud and exp.",
                p.str("alg"),
                kid(),
                p.text("issuer").map(clip).unwrap_or_else(|| "the issuer".into())
            );
        }
        "jwt.signature_invalid" => {
            w.title = "Signature does not match".into();
            w.detail = format!(
                "The {} signature does not verify with key {}. The header or claims were changed after signing (a hand-edited or forged token), or the token was cut and rejoined. Every validator rejects it with invalid_token.",
                p.str("alg"),
                kid()
            );
            w.fix = vec![
                "Do not use this token. Get a fresh one from the authorization server and copy it unchanged.".into(),
                "If your code builds or edits tokens, sign them again after any change.".into(),
            ];
        }
        "jwt.key_not_found" => key_not_found(f),
        _ => return false,
    }
    true
}

/// `why`: absent for a token only decoded (then `issuer` and `online`: whether the popup may
/// fetch its keys), `unsupported` (`alg`) or `unavailable` (`reason`) for a check that could
/// not be made.
fn not_checked(f: &mut Finding) {
    let p = &f.params;
    let the_issuer = issuer(f);
    let w = &mut **f.words.get_or_insert_with(Box::default);
    match p.str("why") {
        "unsupported" => {
            w.title = format!(
                "Signature not checked: algorithm {} is not supported",
                clip(p.str("alg"))
            );
            w.detail = "Okta Medic verifies RS256, RS384, RS512, ES256 and ES384. Okta signs its tokens with RS256; an HMAC (HS*) token can only be checked with the shared secret, which should never be pasted anywhere.".into();
            return;
        }
        "unavailable" => {
            w.title = "Signature not checked: the issuer's keys could not be fetched".into();
            w.detail = format!("{}.", clip(p.str("reason")));
            w.fix = vec![
                "Check that the issuer URL is reachable from this browser, then try again.".into(),
            ];
            return;
        }
        _ => {}
    }
    w.title = "Signature not checked".into();
    w.detail = "Decoding shows what the token claims, not that it is genuine: anyone can write a token with these claims. Only a check against the issuer's published keys (JWKS), or Okta's /introspect endpoint, proves it. The signature itself is not kept or shown.".into();
    w.fix = vec!["Validate in your API with Okta's JWT verifier (or any library) against the issuer's JWKS, checking iss, aud, exp and the algorithm.".into()];
    w.docs_url = Some("https://developer.okta.com/docs/guides/validate-access-tokens/main/".into());
    let Some(iss) = the_issuer else {
        return;
    };
    let online = f.params.flag("online");
    if online {
        w.detail.push_str(&format!(
            " In the extension, Verify checks it against {}'s published keys: two requests to {} (its discovery document and /keys), nothing else, once you allow that origin; in the terminal, use the commands below.",
            clip(&iss.url),
            clip(&iss.origin())
        ));
    } else {
        w.detail.push_str(&format!(
            " Okta Medic fetches an issuer's keys only over HTTPS, so it offers no online check for {}: use the commands below.",
            clip(&iss.url)
        ));
    }
    w.fix.push("In the terminal: save the keys, then run okta-medic --jwks keys.json on the token (commands below).".into());
    let keys = format!("\"{}{}\"", command::ISSUER, iss.endpoint_path("keys"));
    w.commands.push(to_issuer(
        &iss,
        "List the issuer's signing keys (match kid)",
        format!("curl -g -s {keys}"),
    ));
    w.commands.push(to_issuer(
        &iss,
        "Verify the signature offline",
        format!("curl -g -s {keys} > keys.json && okta-medic --jwks keys.json token.txt"),
    ));
    if online {
        w.action = Some(Action {
            kind: "verify_signature".into(),
            label: format!("Verify with {}'s keys", clip(&iss.host())),
            origin: Some(format!("{}/*", iss.origin())),
        });
    }
}

/// `kid` (absent: the token names none), `available` (the kids published), `org_access`
/// (an org authorization server's access token), `issuer` for the command.
fn key_not_found(f: &mut Finding) {
    let p = &f.params;
    let the_issuer = issuer(f);
    let w = &mut **f.words.get_or_insert_with(Box::default);
    let kid = p.text("kid");
    let likely = if p.flag("org_access") {
        "Most likely cause: this is an access token from the org authorization server. Okta does not publish the keys that sign those, so no JWKS will ever contain its kid. Validate it with /introspect instead."
    } else if kid.is_none() {
        "The token has no kid and the key set has more than one usable key, so the signing key can't be chosen."
    } else {
        "Likely causes, most common first: the signing key was rotated out (old token, or your cached JWKS is stale — Okta rotates keys about four times a year); the token comes from a different authorization server than these keys (compare iss with the JWKS URL: /oauth2/default and the org server have different keys); or the token was not signed by this issuer at all."
    };
    let available = p.texts("available");
    w.title = format!(
        "Signing key {} not in the issuer's JWKS",
        kid.map(clip).unwrap_or_else(|| "(no kid)".into())
    );
    w.detail = format!(
        "{likely} Keys published: {}.",
        if available.is_empty() {
            "none".to_string()
        } else {
            available
                .iter()
                .map(|k| clip(k))
                .collect::<Vec<_>>()
                .join(", ")
        }
    );
    w.docs_url = Some("https://developer.okta.com/docs/concepts/key-rotation/".into());
    if let Some(iss) = the_issuer {
        w.commands.push(to_issuer(
            &iss,
            "List the issuer's current keys",
            format!(
                "curl -g -s \"{}{}\"",
                command::ISSUER,
                iss.endpoint_path("keys")
            ),
        ));
    }
}
