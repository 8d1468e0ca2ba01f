//! Signature verification in the browser: the WebCrypto [`Verifier`] and the two exports that
//! use it. Choosing the key and applying the outcome are shared with the CLI
//! ([`crate::signature::verified`]); only the crypto call is here.

use js_sys::{Object, Promise, Reflect, JSON};
use wasm_bindgen::{prelude::*, JsCast};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Crypto, CryptoKey};

use super::{fetch, read_js, to_js, trusted};
use crate::{
    jwks::{self, Alg, Outcome, Plan},
    report::Report,
    signature::{verified, Verifier},
};

/// Verifies a pasted JWT against a JWKS document the caller already has. No network.
/// `report` is the analysis of `text` as data (`analyzeText`); the answer is it shown, its signature
/// finding replaced by the outcome.
#[wasm_bindgen(js_name = verifyWithJwks)]
pub async fn verify_with_jwks(
    text: String,
    report: JsValue,
    jwks_json: String,
    trusted_hosts: JsValue,
) -> JsValue {
    let trusted = trusted(trusted_hosts);
    let Some(report) = read_js::<Report>(report) else {
        return JsValue::NULL;
    };
    let keys = jwks::parse(&jwks_json);
    to_js(&verified(&WebCrypto, report, &text, keys, &trusted).await)
}

/// Verifies a pasted JWT with its issuer's published keys: discovery → `jwks_uri` → WebCrypto.
/// Makes at most two requests, both to the issuer's own origin; none when the keys are cached.
/// `report` is the analysis of `text` as data (`analyzeText`); the answer is it shown.
#[wasm_bindgen(js_name = verifyOnline)]
pub async fn verify_online(text: String, report: JsValue, trusted_hosts: JsValue) -> JsValue {
    let trusted = trusted(trusted_hosts);
    let Some(mut report) = read_js::<Report>(report) else {
        return JsValue::NULL;
    };
    let Some(issuer) = jwks::issuer_of(&text) else {
        crate::explain::show(&mut report, &trusted);
        return to_js(&report);
    };
    let keys = fetch::keys(&issuer).await;
    to_js(&verified(&WebCrypto, report, &text, keys, &trusted).await)
}

fn object(value: &serde_json::Value) -> Result<Object, String> {
    let text = value.to_string();
    JSON::parse(&text)
        .map_err(|_| "cannot build a JS object".to_string())?
        .dyn_into::<Object>()
        .map_err(|_| "not an object".to_string())
}

/// WebCrypto's verification (works in pages, workers, and Node's `globalThis.crypto`).
struct WebCrypto;

impl Verifier for WebCrypto {
    async fn verify(&self, plan: &Plan) -> Outcome {
        match try_verify(plan).await {
            Ok(true) => Outcome::Valid {
                alg: plan.alg,
                kid: plan.key.kid.clone(),
            },
            Ok(false) => Outcome::Invalid {
                alg: plan.alg,
                kid: plan.key.kid.clone(),
            },
            Err(reason) => Outcome::Unavailable { reason },
        }
    }
}

async fn try_verify(plan: &Plan) -> Result<bool, String> {
    let crypto: Crypto = Reflect::get(&js_sys::global(), &"crypto".into())
        .ok()
        .and_then(|c| c.dyn_into().ok())
        .ok_or("WebCrypto is not available here")?;
    let subtle = crypto.subtle();
    let k = &plan.key;
    let (jwk, import_alg, verify_alg) = match plan.alg {
        Alg::Rs256 | Alg::Rs384 | Alg::Rs512 => (
            serde_json::json!({"kty": "RSA", "n": k.n, "e": k.e, "ext": true}),
            serde_json::json!({"name": "RSASSA-PKCS1-v1_5", "hash": plan.alg.hash()}),
            serde_json::json!({"name": "RSASSA-PKCS1-v1_5"}),
        ),
        Alg::Es256 | Alg::Es384 => (
            serde_json::json!({"kty": "EC", "crv": k.crv, "x": k.x, "y": k.y, "ext": true}),
            serde_json::json!({"name": "ECDSA", "namedCurve": k.crv}),
            serde_json::json!({"name": "ECDSA", "hash": plan.alg.hash()}),
        ),
    };
    let usages = js_sys::Array::of1(&"verify".into());
    let imported = subtle
        .import_key_with_object("jwk", &object(&jwk)?, &object(&import_alg)?, false, &usages)
        .map_err(|_| "WebCrypto refused the key".to_string())?;
    let key: CryptoKey = JsFuture::from(imported)
        .await
        .map_err(|e| format!("the key could not be imported ({})", describe(&e)))?
        .dyn_into()
        .map_err(|_| "importKey returned no key".to_string())?;
    let checked: Promise = subtle
        .verify_with_object_and_u8_array_and_u8_array(
            &object(&verify_alg)?,
            &key,
            &plan.signature,
            &plan.signing_input,
        )
        .map_err(|_| "WebCrypto refused to verify".to_string())?;
    let result = JsFuture::from(checked)
        .await
        .map_err(|e| format!("verification failed ({})", describe(&e)))?;
    Ok(result.as_bool() == Some(true))
}

fn describe(e: &JsValue) -> String {
    Reflect::get(e, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_else(|| "unknown error".to_string())
}
