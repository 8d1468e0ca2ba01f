//! A decoded token's header and claims judged by name. What is pasted as a token can be any
//! base64 JSON (`{"refresh_token": …}` reads as a malformed JWT whose "header" is shown), and a
//! JWT can carry a custom claim named `client_secret` or `password`: a member under a secret name
//! (`crate/data/secret_names.tsv`) is masked wherever it sits, as in a body. Kept: the ID token's
//! own `nonce` and `sid` at the top of the claims (OpenID Connect Core §2, front-channel logout),
//! which name the token's request and session rather than hold a credential.

use serde_json::Value;

use super::{names, secret, view::scrub_value_changed, Clean, Ctx, Receipt, MASK};
use crate::report::{each_string_in, token::Members};

/// OIDC's claims that share a name with a secret parameter and stay readable in a token view.
pub(super) const TOKEN_CLAIMS: [&str; 2] = ["nonce", "sid"];

/// A token view read back (a stored report's JSON): its decoded header and claims judged by
/// name, as a built view's are ([`seal_noting`]).
pub(crate) fn seal_read(view: &mut Value) {
    let Value::Object(o) = view else {
        return;
    };
    for (part, claims) in [("header", false), ("claims", true)] {
        if let Some(Value::Object(m)) = o.get_mut(part) {
            seal(m.iter_mut().map(|(k, v)| (k.as_str(), v)), claims);
        }
    }
}

/// Masks the secret-named members of a token's header (`claims: false`) or claims, built
/// (`Members`) or read back (a `Map`).
pub(crate) fn seal<'m>(members: impl Iterator<Item = (&'m str, &'m mut Value)>, claims: bool) {
    let mut receipt = Receipt::default();
    let ctx = Ctx::new(&mut receipt, false);
    for (name, value) in members {
        if claims && TOKEN_CLAIMS.contains(&name) {
            continue;
        }
        member(name, value, &ctx);
    }
}

/// [`seal`] of a built view's members and the scrub of every string in them (what the seal's
/// walk of the view's strings did), in one pass. Answers the places (below 64) whose value the
/// two left as it was and is a string or a list of strings: a finding or the view's
/// classification that copies one of those strings holds what the seal would leave.
/// A `report::token::KNOWN` name is no secret's (a test says so): not judged.
pub(crate) fn seal_noting(members: &mut Members, claims: bool, clean: &mut Clean) -> u64 {
    let known = members.known_places();
    let mut receipt = Receipt::default();
    let ctx = Ctx::new(&mut receipt, false);
    let mut kept = 0;
    for (i, (name, value)) in members.iter_mut().enumerate() {
        let bit = 1u64.checked_shl(u32::try_from(i).unwrap_or(u32::MAX));
        let is_known = bit.is_some_and(|b| known & b != 0);
        // No known name is a token claim's (a test says so): not compared (in wasm each
        // comparison of names of one length was a byte-loop `memcmp`).
        let exempt = claims && !is_known && TOKEN_CLAIMS.contains(&name);
        let class = match is_known || exempt {
            true => None,
            false => names::classify(name),
        };
        match class {
            Some(class) => mask(value, class, &ctx),
            None if !exempt => nested(value, &ctx),
            None => {}
        }
        let mut changed = false;
        each_string_in(value, &mut |s| changed |= scrub_value_changed(s, clean));
        let strings = match &*value {
            Value::String(_) => true,
            Value::Array(items) => items.iter().all(Value::is_string),
            _ => false,
        };
        if class.is_none() && !changed && strings {
            kept |= bit.unwrap_or(0);
        }
    }
    kept
}

fn member(name: &str, value: &mut Value, ctx: &Ctx) {
    match names::classify(name) {
        Some(class) => mask(value, class, ctx),
        None => nested(value, ctx),
    }
}

fn nested(value: &mut Value, ctx: &Ctx) {
    match value {
        Value::Object(m) => m.iter_mut().for_each(|(k, v)| member(k, v, ctx)),
        Value::Array(items) => items.iter_mut().for_each(|v| nested(v, ctx)),
        _ => {}
    }
}

/// A secret member's value: a string replaced as any secret is (a JWT keeps its claims), a number,
/// object or array replaced whole; booleans, null and empty values kept (they hold nothing).
fn mask(value: &mut Value, class: names::Secret, ctx: &Ctx) {
    let masked = match value {
        Value::String(s) if !s.is_empty() => secret(s, class, ctx).0,
        Value::Number(_) => MASK.to_string(),
        Value::Object(m) if !m.is_empty() => MASK.to_string(),
        Value::Array(items) if !items.is_empty() => MASK.to_string(),
        _ => return,
    };
    *value = Value::String(masked);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Map};

    fn sealed(v: Value, claims: bool) -> Value {
        let Value::Object(mut m) = v else {
            return Value::Null;
        };
        seal(m.iter_mut().map(|(k, v)| (k.as_str(), v)), claims);
        Value::Object(m)
    }

    #[test]
    fn the_registered_claims_and_header_names_stay_readable() {
        // Every name the claims dictionary explains, and DPoP proofs' own (RFC 9449 §4.2).
        let dictionary = crate::catalogue::data!("claims.tsv");
        let names = dictionary
            .lines()
            .filter_map(|l| l.split('\t').next())
            .filter(|n| !n.is_empty() && !n.starts_with('#'))
            .chain(["htm", "htu", "ath"]);
        let view: Map<String, Value> = names.map(|n| (n.to_string(), json!("v"))).collect();
        assert!(view.len() > 50, "{}", view.len());
        for claims in [true, false] {
            let got = sealed(Value::Object(view.clone()), claims);
            for (name, value) in got.as_object().into_iter().flatten() {
                // An ID token's nonce and sid stay in its claims only.
                let masked = !claims && TOKEN_CLAIMS.contains(&name.as_str());
                assert_eq!(value == "v", !masked, "{name} (claims: {claims})");
            }
        }
    }

    #[test]
    fn a_token_view_read_back_is_sealed_as_a_built_one() {
        let view =
            json!({"header": {"refresh_token": "R1"}, "claims": {"nonce": "n", "password": "p"}});
        let mut v = view;
        seal_read(&mut v);
        assert_eq!(
            v,
            json!({"header": {"refresh_token": "REDACTED"}, "claims": {"nonce": "n", "password": "REDACTED"}})
        );
    }

    #[test]
    fn secret_names_are_masked_at_any_depth() {
        let got = sealed(
            json!({
                "refresh_token": "SEKRET151zq",
                "app": {"client_secret": "s3cr3t", "clientId": "0oa1"},
                "list": [{"password": 1234}],
                "sub": "00u1",
                "empty_token": "",
                "flag_secret": true
            }),
            true,
        );
        assert_eq!(
            got,
            json!({
                "refresh_token": "REDACTED",
                "app": {"client_secret": "REDACTED", "clientId": "0oa1"},
                "list": [{"password": "REDACTED"}],
                "sub": "00u1",
                "empty_token": "",
                "flag_secret": true
            })
        );
    }

    #[test]
    fn the_id_tokens_nonce_and_sid_stay_only_at_the_top_of_the_claims() {
        let claims = sealed(
            json!({"nonce": "n-0S6", "sid": "idx1", "x": {"nonce": "n"}}),
            true,
        );
        assert_eq!(
            claims,
            json!({"nonce": "n-0S6", "sid": "idx1", "x": {"nonce": "REDACTED"}})
        );
        let header = sealed(json!({"nonce": "n-0S6", "alg": "RS256"}), false);
        assert_eq!(header, json!({"nonce": "REDACTED", "alg": "RS256"}));
    }
}
