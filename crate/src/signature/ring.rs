//! The native [`Verifier`](super::Verifier) for the CLI (`okta-medic --jwks FILE`): runs a
//! [`Plan`] with ring (RSASSA-PKCS1-v1_5, RFC 8017 §8.2; ECDSA with fixed-size r‖s,
//! RFC 7518 §3.4). The extension runs the same plan with WebCrypto (`wasm/webcrypto.rs`).

use std::future::{ready, Future};

use ring::signature::{self, RsaPublicKeyComponents, UnparsedPublicKey};

use crate::{
    encoding,
    jwks::{Alg, Outcome, Plan},
};

/// ring's verification: answers at once (its future is always ready).
pub struct Ring;

impl super::Verifier for Ring {
    fn verify(&self, plan: &Plan) -> impl Future<Output = Outcome> {
        ready(check(plan))
    }
}

/// Verifies one plan; a key that can't be decoded or used is `Unavailable`, not a panic.
fn check(plan: &Plan) -> Outcome {
    let kid = plan.key.kid.clone();
    let b64 = |field: &Option<String>, name: &str| -> Result<Vec<u8>, Outcome> {
        let text = field.as_deref().ok_or_else(|| Outcome::Unavailable {
            reason: format!(
                "key {} has no \"{name}\"",
                kid.as_deref().unwrap_or("(no kid)")
            ),
        })?;
        encoding::base64url(text).map_err(|e| Outcome::Unavailable {
            reason: format!("key member \"{name}\" is not base64url: {e}"),
        })
    };
    let checked = match plan.alg {
        Alg::Rs256 | Alg::Rs384 | Alg::Rs512 => {
            let (n, e) = match (b64(&plan.key.n, "n"), b64(&plan.key.e, "e")) {
                (Ok(n), Ok(e)) => (n, e),
                (Err(o), _) | (_, Err(o)) => return o,
            };
            let params = match plan.alg {
                Alg::Rs384 => &signature::RSA_PKCS1_2048_8192_SHA384,
                Alg::Rs512 => &signature::RSA_PKCS1_2048_8192_SHA512,
                _ => &signature::RSA_PKCS1_2048_8192_SHA256,
            };
            RsaPublicKeyComponents { n: &n, e: &e }.verify(
                params,
                &plan.signing_input,
                &plan.signature,
            )
        }
        Alg::Es256 | Alg::Es384 => {
            let (x, y) = match (b64(&plan.key.x, "x"), b64(&plan.key.y, "y")) {
                (Ok(x), Ok(y)) => (x, y),
                (Err(o), _) | (_, Err(o)) => return o,
            };
            let mut point = vec![4u8];
            point.extend_from_slice(&x);
            point.extend_from_slice(&y);
            let params = if plan.alg == Alg::Es384 {
                &signature::ECDSA_P384_SHA384_FIXED
            } else {
                &signature::ECDSA_P256_SHA256_FIXED
            };
            UnparsedPublicKey::new(params, &point).verify(&plan.signing_input, &plan.signature)
        }
    };
    match checked {
        Ok(()) => Outcome::Valid { alg: plan.alg, kid },
        Err(_) => Outcome::Invalid { alg: plan.alg, kid },
    }
}

#[cfg(test)]
mod tests {
    use super::super::analyze_with_jwks;
    use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
    use ring::{
        rand::SystemRandom,
        signature::{
            EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_FIXED_SIGNING, ECDSA_P384_SHA384_FIXED_SIGNING,
        },
    };
    use serde_json::json;

    /// A fresh EC key, a token signed with it, and the JWKS that publishes it.
    fn signed(alg: &str, crv: &str) -> (String, String) {
        let rng = SystemRandom::new();
        let signing = if alg == "ES384" {
            &ECDSA_P384_SHA384_FIXED_SIGNING
        } else {
            &ECDSA_P256_SHA256_FIXED_SIGNING
        };
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(signing, &rng).unwrap();
        let pair = EcdsaKeyPair::from_pkcs8(signing, pkcs8.as_ref(), &rng).unwrap();
        let point = pair.public_key().as_ref();
        let half = (point.len() - 1) / 2;
        let jwks = json!({"keys": [{"kty": "EC", "kid": "k1", "crv": crv, "alg": alg, "use": "sig",
            "x": URL_SAFE_NO_PAD.encode(&point[1..1 + half]), "y": URL_SAFE_NO_PAD.encode(&point[1 + half..])}]});
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(json!({"alg": alg, "kid": "k1"}).to_string()),
            URL_SAFE_NO_PAD.encode(
                json!({"iss": "https://dev-1.okta.com/oauth2/default", "exp": 2_000_000_000})
                    .to_string()
            )
        );
        let sig = pair.sign(&rng, input.as_bytes()).unwrap();
        (
            format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig.as_ref())),
            jwks.to_string(),
        )
    }

    fn outcome_id(token: &str, jwks: &str) -> Vec<String> {
        analyze_with_jwks(token, 1_750_000_000, jwks, &Default::default())
            .findings
            .into_iter()
            .map(|f| f.id.into_owned())
            .filter(|id| id.contains("signature") || id.contains("key"))
            .collect()
    }

    #[test]
    fn valid_tampered_and_unknown_kid() {
        for (alg, crv) in [("ES256", "P-256"), ("ES384", "P-384")] {
            let (token, jwks) = signed(alg, crv);
            assert_eq!(outcome_id(&token, &jwks), ["jwt.signature_valid"], "{alg}");
            let mut parts: Vec<&str> = token.split('.').collect();
            let forged = URL_SAFE_NO_PAD.encode(
                json!({"iss": "https://dev-1.okta.com/oauth2/default", "exp": 2_000_000_001})
                    .to_string(),
            );
            parts[1] = &forged;
            assert_eq!(
                outcome_id(&parts.join("."), &jwks),
                ["jwt.signature_invalid"],
                "{alg}"
            );
            let other_kid = jwks.replace("\"k1\"", "\"k2\"");
            assert_eq!(
                outcome_id(&token, &other_kid),
                ["jwt.key_not_found"],
                "{alg}"
            );
        }
    }

    #[test]
    fn bad_keys_and_documents_never_panic() {
        let (token, _) = signed("ES256", "P-256");
        for jwks in [
            "not json",
            r#"{"keys": []}"#,
            r#"{"keys": [{"kty": "EC", "kid": "k1", "crv": "P-256", "x": "!!", "y": "AA"}]}"#,
            r#"{"keys": [{"kty": "EC", "kid": "k1", "crv": "P-256"}]}"#,
            r#"{"keys": [{"kty": "RSA", "kid": "k1", "n": "AQAB", "e": "AQAB"}]}"#,
        ] {
            let r = analyze_with_jwks(&token, 0, jwks, &Default::default());
            assert!(!r.has("jwt.signature_valid"), "{jwks}");
            assert!(
                r.findings
                    .iter()
                    .any(|f| f.id.starts_with("jwt.signature") || f.id == "jwt.key_not_found"),
                "{jwks}"
            );
        }
        let rsa =
            r#"{"keys": [{"kty": "RSA", "kid": "k1", "alg": "RS256", "n": "AQAB", "e": "AQAB"}]}"#;
        let t = format!(
            "{}.e30.c2ln",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256","kid":"k1"}"#)
        );
        assert!(analyze_with_jwks(&t, 0, rsa, &Default::default()).has("jwt.signature_invalid"));
    }
}
