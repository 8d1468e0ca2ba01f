//! The WebAssembly boundary: convert, call, convert. The only file that names wasm_bindgen.
//!
//! Reports cross as one JSON string turned into a JS object by `JSON.parse`: it is faster than
//! building the object field by field, and a claim named `__proto__` stays an own property
//! instead of becoming the object's prototype. The result survives `runtime.sendMessage` and
//! `storage` unchanged.
//!
//! Signature verification is the one place with I/O: the issuer's discovery document and JWKS
//! are fetched (gloo-net; https: issuers only, the issuer's origin only, no redirect followed,
//! no credentials sent; cached per Cache-Control) and the signature is checked with WebCrypto.
//! The extension calls it only after the user consented.

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

fn json_to_js<T: serde::Serialize>(v: &T) -> JsValue {
    serde_json::to_string(v)
        .ok()
        .and_then(|s| JSON::parse(&s).ok())
        .unwrap_or(JsValue::NULL)
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
            Ok(ex) => live.fold_live_trusting(ex, redirect_url.as_deref(), &trusted),
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

/// A stored tab's session (`digest`, `timeline`; `null` or unreadable parts start afresh).
fn stored_session(digest: &JsValue, timeline: &JsValue) -> crate::session::Session {
    let value = |v: &JsValue| from_js::<serde_json::Value>(v).unwrap_or_default();
    crate::session::Session::restore(&value(digest), &value(timeline), &serde_json::Value::Null)
}

fn epoch_ms(now_epoch_ms: f64) -> i64 {
    if now_epoch_ms.is_finite() {
        now_epoch_ms as i64
    } else {
        0
    }
}

/// The toolbar badge of a resident tab at `nowEpochMs`: `{count, severity, low, text, title}`
/// (a tab that is not resident has none: `null`).
#[wasm_bindgen(js_name = liveBadge)]
pub fn live_badge(tab: f64, now_epoch_ms: f64) -> JsValue {
    let Some(id) = tab_id(tab) else {
        return JsValue::NULL;
    };
    let now = epoch_ms(now_epoch_ms);
    LIVE.with(|l| {
        l.borrow().get(id).map_or(JsValue::NULL, |t| {
            json_to_js(&t.badge(now, crate::rate_limit::DEFAULT_LOW_THRESHOLD_PERCENT))
        })
    })
}

/// A stored tab as the popup shows it at `nowEpochMs` (`digest` and `timeline` as stored,
/// `null` for none): its badge, summary line, finding groups split into problems and quiet
/// ones, failed requests (newest first) and the rate-limit view.
#[wasm_bindgen(js_name = tabView)]
pub fn tab_view(digest: JsValue, timeline: JsValue, now_epoch_ms: f64) -> JsValue {
    let session = stored_session(&digest, &timeline);
    json_to_js(&session.view(
        epoch_ms(now_epoch_ms),
        crate::rate_limit::DEFAULT_LOW_THRESHOLD_PERCENT,
    ))
}

thread_local! {
    /// The DevTools panel's sessions (the inspected tab, a loaded HAR file) by id.
    static PANEL: RefCell<(u32, HashMap<u32, crate::har::Analysis>)> = RefCell::new((0, HashMap::new()));
}

/// Opens a panel session (a HAR being read entry by entry); answers its id.
#[wasm_bindgen(js_name = sessionOpen)]
pub fn session_open(trusted_hosts: JsValue) -> u32 {
    let analysis = crate::har::Analysis {
        trusted: trusted(trusted_hosts),
        ..Default::default()
    };
    PANEL.with(|p| {
        let mut p = p.borrow_mut();
        p.0 = p.0.wrapping_add(1);
        let id = p.0;
        p.1.insert(id, analysis);
        id
    })
}

/// Folds one HAR entry into panel session `id`: its table row with its full report
/// (`{...row, report}`) when it is Okta traffic, else `null` (counted as another entry).
#[wasm_bindgen(js_name = sessionAdd)]
pub fn session_add(id: u32, entry: JsValue) -> JsValue {
    let value = from_js::<serde_json::Value>(&entry).unwrap_or_default();
    PANEL.with(|p| {
        let mut p = p.borrow_mut();
        let Some(analysis) = p.1.get_mut(&id) else {
            return JsValue::NULL;
        };
        analysis
            .add_entry_row(&value)
            .map_or(JsValue::NULL, |(row, report)| {
                json_to_js(&crate::session::Added { row, report })
            })
    })
}

/// Whether a HAR entry is Okta traffic (judged on its URL and headers; nothing is analysed).
#[wasm_bindgen(js_name = entryIsOkta)]
pub fn entry_is_okta(entry: JsValue) -> bool {
    from_js::<serde_json::Value>(&entry)
        .and_then(|v| crate::har::exchange(&v))
        .is_some_and(|ex| crate::har::is_okta(&ex))
}

/// Panel session `id` as one report (`input.kind` = `har`): what `okta-medic har FILE` prints.
#[wasm_bindgen(js_name = sessionReport)]
pub fn session_report(id: u32) -> JsValue {
    PANEL.with(|p| {
        p.borrow().1.get(&id).map_or(JsValue::NULL, |a| {
            let mut report = a.report();
            crate::redact::seal(&mut report);
            to_js(&report)
        })
    })
}

#[wasm_bindgen(js_name = sessionClose)]
pub fn session_close(id: u32) {
    PANEL.with(|p| p.borrow_mut().1.remove(&id));
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
    let result = match crate::redact::har_text(text) {
        Ok((har, receipt)) => serde_json::json!({ "har": har, "receipt": receipt }),
        Err(error) => serde_json::json!({ "error": error }),
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
pub async fn verify_with_jwks(
    text: String,
    now_epoch_seconds: f64,
    jwks_json: String,
    trusted_hosts: JsValue,
) -> JsValue {
    let trusted = trusted(trusted_hosts);
    let report = crate::analyze_text_trusting(&text, epoch(now_epoch_seconds), &trusted);
    to_js(&verified(report, &text, jwks::parse(&jwks_json), &trusted).await)
}

/// Verifies a pasted JWT with its issuer's published keys: discovery → `jwks_uri` → WebCrypto.
/// Makes at most two requests, both to the issuer's own origin; none when the keys are cached.
#[wasm_bindgen(js_name = verifyOnline)]
pub async fn verify_online(
    text: String,
    now_epoch_seconds: f64,
    trusted_hosts: JsValue,
) -> JsValue {
    let trusted = trusted(trusted_hosts);
    let report = crate::analyze_text_trusting(&text, epoch(now_epoch_seconds), &trusted);
    let Some(issuer) = jwks::issuer_of(&text) else {
        return to_js(&report);
    };
    let keys = fetch_keys(&issuer).await;
    to_js(&verified(report, &text, keys, &trusted).await)
}

/// The report with its signature finding replaced by what checking against `keys` found.
async fn verified(
    report: Report,
    text: &str,
    keys: Result<Vec<jwks::Key>, String>,
    trusted: &crate::Trusted,
) -> Report {
    let outcome = match keys {
        Err(reason) => Outcome::Unavailable { reason },
        Ok(keys) => match jwks::select(text, &keys) {
            None => return report,
            Some(Err(o)) => o,
            Some(Ok(plan)) => verify(&plan).await,
        },
    };
    jwks::apply_trusting(report, &outcome, text, trusted)
}

thread_local! {
    /// JWKS documents by URL with their expiry (ms since epoch), per Cache-Control max-age.
    static JWKS_CACHE: RefCell<HashMap<String, (f64, String)>> = RefCell::new(HashMap::new());
}

/// One GET of the consented issuer fetch. No redirect is followed (`manual`: a 3xx comes back
/// as an opaque redirect and is refused here, so no second host is ever contacted), no cookie
/// or HTTP auth is sent (`omit`), nothing comes from or goes to the HTTP cache (`no-store`; the
/// JWKS cache below is our own, per max-age) and no Referer is sent. The URL checks are pure
/// (jwks::discovery_url / keys_url). https://fetch.spec.whatwg.org/#concept-request-redirect-mode
async fn get(url: &str) -> Result<gloo_net::http::Response, String> {
    let response = gloo_net::http::Request::get(url)
        .header("Accept", "application/json")
        .redirect(web_sys::RequestRedirect::Manual)
        .credentials(web_sys::RequestCredentials::Omit)
        .cache(web_sys::RequestCache::NoStore)
        .referrer_policy(web_sys::ReferrerPolicy::NoReferrer)
        .send()
        .await
        .map_err(|e| format!("GET {url} failed: {e}"))?;
    if response.type_() == web_sys::ResponseType::Opaqueredirect || response.redirected() {
        // The reason first: the finding shows at most 120 characters of it.
        return Err(format!(
            "the issuer answered with a redirect, which Okta Medic does not follow (GET {url})"
        ));
    }
    if response.ok() {
        Ok(response)
    } else {
        Err(format!("GET {url} answered HTTP {}", response.status()))
    }
}

async fn fetch_keys(issuer: &crate::issuer::Issuer) -> Result<Vec<jwks::Key>, String> {
    let discovery = get(&jwks::discovery_url(issuer)?).await?;
    let doc: serde_json::Value =
        serde_json::from_str(&discovery.text().await.map_err(|e| e.to_string())?)
            .map_err(|e| format!("the discovery document is not JSON: {e}"))?;
    let uri = doc
        .get("jwks_uri")
        .and_then(serde_json::Value::as_str)
        .ok_or("the discovery document has no jwks_uri")?;
    let uri = jwks::keys_url(issuer, uri)?;
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
