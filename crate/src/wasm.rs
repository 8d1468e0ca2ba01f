//! The WebAssembly boundary: convert, call, convert. The only file that names wasm_bindgen.
//!
//! Reports cross as one JSON string turned into a JS object by `JSON.parse`: it is faster than
//! building the object field by field, and a claim named `__proto__` stays an own property
//! instead of becoming the object's prototype. The result survives `runtime.sendMessage` and
//! `storage` unchanged.
//!
//! Signature verification is the one place with I/O: the issuer's discovery document and JWKS
//! are fetched (gloo-net, same origin as the issuer only, cached per Cache-Control) and the
//! signature is checked with WebCrypto. The extension calls it only after the user consented.

use std::{cell::RefCell, collections::HashMap};

use js_sys::{Object, Promise, Reflect, JSON};
use wasm_bindgen::{prelude::*, JsCast};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Crypto, CryptoKey};

use crate::{
    http::Exchange,
    jwks::{self, Alg, Outcome, Plan},
    report::Report,
};

/// A Report is plain data: encoding cannot fail, but never trap if it somehow does.
fn to_js(report: &Report) -> JsValue {
    json_to_js(report)
}

/// `now` arrives as a JS number; NaN and infinities become 0 rather than a trap.
fn epoch(now: f64) -> i64 {
    if now.is_finite() {
        now as i64
    } else {
        0
    }
}

/// The optional `trustedHosts` argument of the analysis entry points: the user's custom domains
/// as stored by the options page (match patterns or host names), which commands may name
/// besides Okta's hosts. Absent or not an array of strings: none.
fn trusted(hosts: JsValue) -> crate::Trusted {
    // Most calls pass none: asking serde-wasm-bindgen to read `undefined` as a sequence costs
    // a third of a small exchange's analysis (it probes for an iterator across the boundary).
    if !js_sys::Array::is_array(&hosts) {
        return crate::Trusted::default();
    }
    let list: Vec<String> = serde_wasm_bindgen::from_value(hosts).unwrap_or_default();
    crate::Trusted::parse(&list)
}

#[wasm_bindgen(js_name = analyzeText)]
pub fn analyze_text(text: &str, now_epoch_seconds: f64, trusted_hosts: JsValue) -> JsValue {
    to_js(&crate::analyze_text_trusting(
        text,
        epoch(now_epoch_seconds),
        &trusted(trusted_hosts),
    ))
}

/// A HAR document of any size (a DevTools session, a dropped file) → its timeline report.
#[wasm_bindgen(js_name = analyzeHar)]
pub fn analyze_har(text: &str, trusted_hosts: JsValue) -> JsValue {
    to_js(&crate::analyze_har_trusting(text, &trusted(trusted_hosts)))
}

#[wasm_bindgen(js_name = analyzeExchange)]
pub fn analyze_exchange(exchange: JsValue, trusted_hosts: JsValue) -> JsValue {
    let report = match serde_wasm_bindgen::from_value::<Exchange>(exchange) {
        Ok(exchange) => crate::analyze_exchange_trusting(&exchange, &trusted(trusted_hosts)),
        Err(err) => crate::http::malformed_exchange(&err.to_string()),
    };
    to_js(&report)
}

/// The storage key prefix under which okta-auth-js keeps a page's tokens.
#[wasm_bindgen(js_name = tokenStorageKey)]
pub fn token_storage_key() -> String {
    crate::storage::KEY_PREFIX.to_string()
}

#[wasm_bindgen(js_name = coreVersion)]
pub fn core_version() -> String {
    crate::VERSION.to_string()
}

/// Folds one analysed exchange (a Report from `analyzeExchange`) into a tab's digest, which
/// the caller keeps in `storage.session`; `digest` may be `null` for a fresh one.
#[wasm_bindgen(js_name = digestAdd)]
pub fn digest_add(digest: JsValue, report: JsValue, observed_at_ms: f64) -> JsValue {
    let mut d: crate::digest::Digest = from_js(&digest).unwrap_or_default();
    if let Some(r) = from_js::<Report>(&report) {
        d.add(&r, observed_at_ms);
    }
    json_to_js(&d)
}

fn json_to_js<T: serde::Serialize>(v: &T) -> JsValue {
    serde_json::to_string(v)
        .ok()
        .and_then(|s| JSON::parse(&s).ok())
        .unwrap_or(JsValue::NULL)
}

/// Folds one exchange into a tab's rate-limit timeline (kept by the caller in
/// `storage.session`; `null` or anything unreadable starts a fresh one).
#[wasm_bindgen(js_name = timelineFold)]
pub fn timeline_fold(timeline: JsValue, exchange: JsValue) -> JsValue {
    let stored: serde_json::Value = from_js(&timeline).unwrap_or_default();
    let folded = match from_js::<Exchange>(&exchange) {
        Some(ex) => crate::timeline::fold_stored(&stored, &ex),
        None => crate::timeline::parse(&stored).unwrap_or_default(),
    };
    json_to_js(&folded)
}

thread_local! {
    /// Tabs' live capture while the worker runs (live.rs); the extension's storage stays the truth.
    static LIVE: RefCell<crate::live::Tabs> = RefCell::new(crate::live::Tabs::default());
}

/// A tab id as the browser gives it (an integer), `None` for anything else.
fn tab_id(id: f64) -> Option<i64> {
    (id.is_finite() && id.fract() == 0.0 && id.abs() < 9e15).then_some(id as i64)
}

/// Makes a tab resident from its stored `digest`, `timeline` and `reports` (`null` or anything
/// unreadable starts that part afresh), replacing what was resident.
#[wasm_bindgen(js_name = liveRestore)]
pub fn live_restore(tab: f64, digest: JsValue, timeline: JsValue, reports: JsValue) {
    let Some(id) = tab_id(tab) else { return };
    let value = |v: &JsValue| from_js::<serde_json::Value>(v).unwrap_or_default();
    let restored = crate::live::Tab::restore(&value(&digest), &value(&timeline), &value(&reports));
    LIVE.with(|l| l.borrow_mut().insert(id, restored));
}

#[wasm_bindgen(js_name = liveHas)]
pub fn live_has(tab: f64) -> bool {
    tab_id(tab).is_some_and(|id| LIVE.with(|l| l.borrow().has(id)))
}

/// Folds one exchange (and the target of its redirect, if any) into the resident tab (a fresh
/// one when not resident). Answers `{severity, findings, kept}`; the state stays here.
#[wasm_bindgen(js_name = liveFold)]
pub fn live_fold(
    tab: f64,
    exchange: JsValue,
    redirect_url: Option<String>,
    trusted_hosts: JsValue,
) -> JsValue {
    let Some(id) = tab_id(tab) else {
        return JsValue::NULL;
    };
    let trusted = trusted(trusted_hosts);
    let read = serde_wasm_bindgen::from_value::<Exchange>(exchange.clone());
    let folded = LIVE.with(|l| {
        let mut tabs = l.borrow_mut();
        let live = tabs.tab(id);
        match &read {
            Ok(ex) => live.fold_trusting(ex, redirect_url.as_deref(), &trusted),
            Err(err) => {
                let at = Reflect::get(&exchange, &"observedAt".into())
                    .ok()
                    .and_then(|v| v.as_f64())
                    .unwrap_or(f64::NAN);
                live.fold_unreadable(&err.to_string(), at, redirect_url.as_deref())
            }
        }
    });
    json_to_js(&folded)
}

/// The resident tab as stored: `{digest, timeline, reports}`, or `null` when not resident.
#[wasm_bindgen(js_name = liveSnapshot)]
pub fn live_snapshot(tab: f64) -> JsValue {
    let Some(id) = tab_id(tab) else {
        return JsValue::NULL;
    };
    LIVE.with(|l| {
        l.borrow()
            .get(id)
            .map_or(JsValue::NULL, |t| json_to_js(&t.snapshot()))
    })
}

#[wasm_bindgen(js_name = liveForget)]
pub fn live_forget(tab: f64) {
    if let Some(id) = tab_id(tab) {
        LIVE.with(|l| l.borrow_mut().forget(id));
    }
}

/// The per-bucket view of a timeline at `nowEpochMs`: gauges, countdowns, projections, and
/// every word the popup shows. `lowThresholdPercent` defaults to 90.
#[wasm_bindgen(js_name = timelineView)]
pub fn timeline_view(
    timeline: JsValue,
    now_epoch_ms: f64,
    low_threshold_percent: Option<u8>,
) -> JsValue {
    let stored: serde_json::Value = from_js(&timeline).unwrap_or_default();
    let t = crate::timeline::parse(&stored).unwrap_or_default();
    let now = if now_epoch_ms.is_finite() {
        now_epoch_ms as i64
    } else {
        0
    };
    let view = crate::timeline::view_with_threshold(&t, now, low_threshold_percent.unwrap_or(90));
    json_to_js(&view)
}

/// A tab's session as one report — its findings grouped with counts, failed requests' ids, and
/// the rate-limit buckets as of `nowEpochMs` — for the tab's support snippet and JSON export.
#[wasm_bindgen(js_name = digestReport)]
pub fn digest_report(digest: JsValue, timeline: JsValue, now_epoch_ms: f64) -> JsValue {
    let d: crate::digest::Digest = from_js(&digest).unwrap_or_default();
    let stored: serde_json::Value = from_js(&timeline).unwrap_or_default();
    let rate_limits = crate::timeline::parse(&stored).map(|t| {
        let now = if now_epoch_ms.is_finite() {
            now_epoch_ms as i64
        } else {
            0
        };
        serde_json::to_value(crate::timeline::view(&t, now)).unwrap_or_default()
    });
    let mut report = d.report(rate_limits);
    crate::redact::seal(&mut report);
    to_js(&report)
}

/// A Markdown support snippet for any report (no credentials; attacker text escaped).
#[wasm_bindgen(js_name = exportMarkdown)]
pub fn export_markdown(report: JsValue) -> String {
    from_js::<Report>(&report)
        .map(|r| crate::export::markdown(&r))
        .unwrap_or_default()
}

/// The JSON export of a report, with its redaction note, as a JSON string.
#[wasm_bindgen(js_name = exportJson)]
pub fn export_json(report: JsValue) -> String {
    from_js::<Report>(&report)
        .and_then(|r| serde_json::to_string_pretty(&crate::export::json(&r)).ok())
        .unwrap_or_default()
}

/// Sanitises a HAR document: `{har: string, receipt: {redactions: [{location, what}]}}`, or
/// `{error}` when the text is not a HAR.
#[wasm_bindgen(js_name = redactHar)]
pub fn redact_har(text: &str) -> JsValue {
    let result = match serde_json::from_str::<serde_json::Value>(text) {
        Ok(mut v) if crate::har::parse(&v).is_some() => {
            let receipt = crate::redact::har_document(&mut v);
            serde_json::json!({ "har": v.to_string(), "receipt": receipt })
        }
        Ok(_) => serde_json::json!({ "error": "not a HAR file: it has no log.entries array" }),
        Err(e) => serde_json::json!({ "error": format!("not a readable HAR file: {e}") }),
    };
    JSON::parse(&result.to_string()).unwrap_or(JsValue::NULL)
}

/// JS object → Rust through `JSON.stringify` (the inverse of `to_js`), `None` if it doesn't fit.
fn from_js<T: serde::de::DeserializeOwned>(v: &JsValue) -> Option<T> {
    if v.is_null() || v.is_undefined() {
        return None;
    }
    let text = JSON::stringify(v).ok()?.as_string()?;
    serde_json::from_str(&text).ok()
}

/// Verifies a pasted JWT against a JWKS document the caller already has. No network.
#[wasm_bindgen(js_name = verifyWithJwks)]
pub async fn verify_with_jwks(text: String, now_epoch_seconds: f64, jwks_json: String) -> JsValue {
    let report = crate::analyze_text(&text, epoch(now_epoch_seconds));
    to_js(&verified(report, &text, jwks::parse(&jwks_json)).await)
}

/// Verifies a pasted JWT with its issuer's published keys: discovery → `jwks_uri` → WebCrypto.
/// Makes at most two requests, both to the issuer's own origin; none when the keys are cached.
#[wasm_bindgen(js_name = verifyOnline)]
pub async fn verify_online(text: String, now_epoch_seconds: f64) -> JsValue {
    let report = crate::analyze_text(&text, epoch(now_epoch_seconds));
    let Some(issuer) = jwks::issuer_of(&text) else {
        return to_js(&report);
    };
    let keys = fetch_keys(&issuer).await;
    to_js(&verified(report, &text, keys).await)
}

/// The report with its signature finding replaced by what checking against `keys` found.
async fn verified(report: Report, text: &str, keys: Result<Vec<jwks::Key>, String>) -> Report {
    let outcome = match keys {
        Err(reason) => Outcome::Unavailable { reason },
        Ok(keys) => match jwks::select(text, &keys) {
            None => return report,
            Some(Err(o)) => o,
            Some(Ok(plan)) => verify(&plan).await,
        },
    };
    jwks::apply(report, &outcome, text)
}

thread_local! {
    /// JWKS documents by URL with their expiry (ms since epoch), per Cache-Control max-age.
    static JWKS_CACHE: RefCell<HashMap<String, (f64, String)>> = RefCell::new(HashMap::new());
}

async fn get(url: &str) -> Result<gloo_net::http::Response, String> {
    let response = gloo_net::http::Request::get(url)
        .header("Accept", "application/json")
        .send()
        .await
        .map_err(|e| format!("GET {url} failed: {e}"))?;
    if response.ok() {
        Ok(response)
    } else {
        Err(format!("GET {url} answered HTTP {}", response.status()))
    }
}

async fn fetch_keys(issuer: &crate::issuer::Issuer) -> Result<Vec<jwks::Key>, String> {
    let discovery = get(&issuer.discovery()).await?;
    let doc: serde_json::Value =
        serde_json::from_str(&discovery.text().await.map_err(|e| e.to_string())?)
            .map_err(|e| format!("the discovery document is not JSON: {e}"))?;
    let uri = doc
        .get("jwks_uri")
        .and_then(serde_json::Value::as_str)
        .ok_or("the discovery document has no jwks_uri")?
        .to_string();
    if !jwks::same_origin(issuer, &uri) {
        return Err(format!("jwks_uri {uri} is not on the issuer's origin; Okta Medic only fetches keys from the issuer itself"));
    }
    let now_ms = js_sys::Date::now();
    let cached = JWKS_CACHE.with(|c| {
        c.borrow()
            .get(&uri)
            .filter(|(expires, _)| *expires > now_ms)
            .map(|(_, body)| body.clone())
    });
    let body = match cached {
        Some(body) => body,
        None => {
            let response = get(&uri).await?;
            let max_age = response
                .headers()
                .get("cache-control")
                .as_deref()
                .and_then(jwks::max_age);
            let body = response.text().await.map_err(|e| e.to_string())?;
            if let Some(seconds) = max_age {
                let entry = (now_ms + seconds as f64 * 1000.0, body.clone());
                JWKS_CACHE.with(|c| c.borrow_mut().insert(uri.clone(), entry));
            }
            body
        }
    };
    jwks::parse(&body)
}

fn object(value: &serde_json::Value) -> Result<Object, String> {
    let text = value.to_string();
    JSON::parse(&text)
        .map_err(|_| "cannot build a JS object".to_string())?
        .dyn_into::<Object>()
        .map_err(|_| "not an object".to_string())
}

/// Runs a plan with WebCrypto (works in pages, workers, and Node's `globalThis.crypto`).
async fn verify(plan: &Plan) -> Outcome {
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
