//! The WebAssembly boundary: convert, call, convert. Only this folder names wasm_bindgen.
//!
//! One conversion style each way. Values going out ([`to_js`]) cross as one JSON string turned
//! into a JS object by `JSON.parse`: it is faster than building the object field by field, and
//! a claim named `__proto__` stays an own property instead of becoming the object's prototype.
//! The result survives `runtime.sendMessage` and `storage` unchanged. Values coming in: an
//! exchange and the trusted hosts by serde-wasm-bindgen; stored values ([`from_js`]) as JSON
//! text (why: see there).
//!
//! The tab and panel stores are in `store.rs`; the consented issuer fetch in `fetch.rs`;
//! WebCrypto, the browser's [`crate::signature::Verifier`], in `webcrypto.rs`.

use js_sys::Reflect;
use wasm_bindgen::prelude::*;

use crate::{exchange::Exchange, report::Report};

mod fetch;
mod store;
mod webcrypto;

/// Rust → JS: any value the core answers. Encoding plain data cannot fail, but never trap if
/// it somehow does (`null`).
fn to_js<T: serde::Serialize>(v: &T) -> JsValue {
    serde_json::to_string(v)
        .ok()
        .and_then(|s| js_sys::JSON::parse(&s).ok())
        .unwrap_or(JsValue::NULL)
}

/// JS → Rust for stored values (reports, digests, timelines, HAR entries): `None` for `null`,
/// `undefined` or a value that does not fit `T`. They cross as `JSON.stringify` text read by
/// serde_json, whose deserializers for these types the core has anyway. Reading them with
/// serde-wasm-bindgen instead compiles a second deserializer per type: measured with
/// `node bench/size-budget.mjs` after `./build.sh`, the service worker's wasm grows from
/// 426,613 to 442,918 B gzip (typed directly) or 447,073 B (through one `serde_json::Value`),
/// past the budget. The exchange and the trusted hosts, read only here, use serde-wasm-bindgen.
fn from_js<T: serde::de::DeserializeOwned>(v: JsValue) -> Option<T> {
    if v.is_null() || v.is_undefined() {
        return None;
    }
    let text = js_sys::JSON::stringify(&v).ok()?.as_string()?;
    serde_json::from_str(&text).ok()
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

/// An exchange as the background observed it, or why it could not be read, with its
/// `observedAt` (NaN when absent) so that the unreadable exchange still has a time.
fn exchange(value: JsValue) -> Result<Exchange, (String, f64)> {
    let at = || {
        Reflect::get(&value, &"observedAt".into())
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or(f64::NAN)
    };
    match serde_wasm_bindgen::from_value::<Exchange>(value.clone()) {
        Ok(exchange) => Ok(exchange),
        Err(err) => Err((err.to_string(), at())),
    }
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
        Err(err) => {
            let mut report = crate::http::malformed_exchange(&err.to_string());
            crate::explain::show(&mut report, &trusted(trusted_hosts));
            report
        }
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

/// A stored tab's session (`digest`, `timeline`; `null` or unreadable parts start afresh).
fn stored_session(digest: JsValue, timeline: JsValue) -> crate::session::Session {
    let value = |v: JsValue| from_js::<serde_json::Value>(v).unwrap_or_default();
    crate::session::Session::restore(&value(digest), &value(timeline), &serde_json::Value::Null)
}

/// A stored tab as the popup shows it at `nowEpochMs` (`digest` and `timeline` as stored,
/// `null` for none): its badge, summary line, finding groups split into problems and quiet
/// ones, failed requests (newest first) and the rate-limit view.
/// The finding groups are worded here, their commands naming `trustedHosts` besides Okta's.
#[wasm_bindgen(js_name = tabView)]
pub fn tab_view(
    digest: JsValue,
    timeline: JsValue,
    now_epoch_ms: f64,
    trusted_hosts: JsValue,
) -> JsValue {
    let session = stored_session(digest, timeline);
    to_js(&session.view(
        epoch(now_epoch_ms),
        crate::rate_limit::DEFAULT_LOW_THRESHOLD_PERCENT,
        &trusted(trusted_hosts),
    ))
}

/// Whether a HAR entry is Okta traffic (judged on its URL and headers; nothing is analysed).
#[wasm_bindgen(js_name = entryIsOkta)]
pub fn entry_is_okta(entry: JsValue) -> bool {
    from_js::<serde_json::Value>(entry)
        .and_then(|v| crate::har::exchange(&v))
        .is_some_and(|ex| crate::har::is_okta(&ex))
}

/// A tab's session as one report — its findings grouped with counts, failed requests' ids, and
/// the rate-limit buckets as of `nowEpochMs` — for the tab's support snippet and JSON export.
#[wasm_bindgen(js_name = digestReport)]
pub fn digest_report(
    digest: JsValue,
    timeline: JsValue,
    now_epoch_ms: f64,
    trusted_hosts: JsValue,
) -> JsValue {
    let trusted = trusted(trusted_hosts);
    let stored: crate::digest::Digest = from_js(digest).unwrap_or_default();
    let d = crate::session::worded(&stored, &trusted);
    let stored: serde_json::Value = from_js(timeline).unwrap_or_default();
    let rate_limits =
        crate::timeline::parse(&stored).map(|t| crate::timeline::view(&t, epoch(now_epoch_ms)));
    let mut report = d.report(rate_limits);
    crate::explain::show(&mut report, &trusted);
    to_js(&report)
}

/// A report as shown: a stored one may hold findings as data (a tab's kept reports), which are
/// worded here with commands naming `trusted_hosts` besides Okta's.
fn shown(report: JsValue, trusted_hosts: JsValue) -> Option<Report> {
    let mut report = from_js::<Report>(report)?;
    crate::explain::show(&mut report, &trusted(trusted_hosts));
    Some(report)
}

/// A Markdown support snippet for any report (no credentials; attacker text escaped).
#[wasm_bindgen(js_name = exportMarkdown)]
pub fn export_markdown(report: JsValue, trusted_hosts: JsValue) -> String {
    shown(report, trusted_hosts)
        .map(|r| crate::export::markdown(&r))
        .unwrap_or_default()
}

/// The JSON export of a report, with its redaction note, as a JSON string.
#[wasm_bindgen(js_name = exportJson)]
pub fn export_json(report: JsValue, trusted_hosts: JsValue) -> String {
    shown(report, trusted_hosts)
        .map(|r| crate::export::json_text(&r))
        .unwrap_or_default()
}

/// Sanitises a HAR document: `{har: string, receipt: {redactions: [{location, what}]}}`, or
/// `{error}` when the text is not a HAR.
#[wasm_bindgen(js_name = redactHar)]
pub fn redact_har(text: &str) -> JsValue {
    to_js(&match crate::redact::har_text(text) {
        Ok((har, receipt)) => serde_json::json!({ "har": har, "receipt": receipt }),
        Err(error) => serde_json::json!({ "error": error }),
    })
}
