//! The WebAssembly boundary: convert, call, convert. Only this folder names wasm_bindgen.
//!
//! One conversion style each way. Values going out ([`to_js`]) cross as one JSON string turned
//! into a JS object by `JSON.parse`: it is faster than building the object field by field, and
//! a claim named `__proto__` stays an own property instead of becoming the object's prototype.
//! The result survives `runtime.sendMessage` and `storage` unchanged. Values coming in: an
//! exchange as its fields, one argument each (`fields.rs`: `liveFoldFields`,
//! `analyzeExchangeFields`, `showExchangeFields`), the trusted hosts as an array of strings,
//! stored values ([`from_js`]) as JSON text (why: see there).
//!
//! Two modules are built from this crate (cargo features, see Cargo.toml):
//! - `sw` (`live.rs`, `view.rs`): the tabs' live capture — fold, snapshot, restore, the badge of
//!   a resident or a stored tab. All the service worker calls, so all it loads.
//! - `ui` (`analysis.rs`, `view.rs`: a stored tab's view, `panel.rs`, `words.rs`, `webcrypto.rs`, `fetch.rs`): what
//!   the UI pages call — pasted text and single exchanges analysed as data, the DevTools panel's sessions, the
//!   explain layer (titles, details, fixes, commands), the exports and signature verification.
//!   `extension/lib/core.js` hands the analysis to the words within it.
//!
//! Each links only what its exports reach, so the service worker's module carries no wording,
//! no paste recognition, no HAR reading and no panel. Nor SAML reading (cfg `saml_deferred`, set
//! by crate/build.rs for `sw` without `ui`): its `liveFoldFields` answers `false` for an
//! exchange that mentions SAML, and the worker folds that one in the ui module, which build.sh
//! builds with both features, so it exports the live capture too (`live.rs`).

use wasm_bindgen::prelude::*;

#[cfg(feature = "ui")]
mod analysis;
#[cfg(feature = "ui")]
mod fetch;
#[cfg(any(feature = "sw", feature = "ui"))]
mod fields;
#[cfg(feature = "sw")]
mod live;
#[cfg(feature = "ui")]
mod panel;
#[cfg(any(feature = "sw", feature = "ui"))]
mod view;
#[cfg(feature = "ui")]
mod webcrypto;
#[cfg(feature = "ui")]
mod words;

/// The version the UI pages show (popup, panel, offline page). Only the `ui` module answers it:
/// the service worker never asks, so its module leaves the export out.
#[cfg(feature = "ui")]
#[wasm_bindgen(js_name = coreVersion)]
pub fn core_version() -> String {
    crate::VERSION.to_string()
}

/// Rust → JS: any value the core answers. Encoding plain data cannot fail, but never trap if
/// it somehow does (`null`).
#[allow(dead_code)] // each module uses its share of these
fn to_js<T: serde::Serialize>(v: &T) -> JsValue {
    // Both modules write through `report::compact`, the core's own JSON writer (a pasted
    // token's report, −10 % of analyzeText's instructions; in the sw module it replaces
    // serde_json's writer, −3.7 KB gzip, 323,807 → 320,084 B after `./build.sh`).
    crate::report::compact::to_json(v)
        .and_then(|s| js_sys::JSON::parse(&s).ok())
        .unwrap_or(JsValue::NULL)
}

/// JS → Rust for stored values (reports, digests, timelines, HAR entries): `None` for `null`,
/// `undefined` or text that is not JSON. They cross as `JSON.stringify` text read into a
/// `serde_json::Value` by [`crate::json::from_str`] (the core's own reader in the `sw` module,
/// serde_json's in the `ui` module). Reading them with
/// serde-wasm-bindgen instead compiles a second deserializer per type: measured with
/// `node bench/size-budget.mjs` after `./build.sh`, the service worker's wasm grows from
/// 426,613 to 442,918 B gzip (typed directly) or 447,073 B (through one `serde_json::Value`),
/// past the budget.
#[allow(dead_code)]
fn from_js(v: JsValue) -> Option<serde_json::Value> {
    if v.is_null() || v.is_undefined() {
        return None;
    }
    let text = js_sys::JSON::stringify(&v).ok()?.as_string()?;
    crate::json::from_str(&text).ok()
}

/// JS → Rust for a report (or another value [`crate::digest::stored`] reads by hand) handed
/// back by a page: the JSON text read into the one `serde_json::Value` every stored value
/// crosses as, then the hand reader, which reads exactly what serde's derived deserialiser
/// reads (tests/stored.rs). The derived `Report` deserialiser kept the ui module ~10 KB gzip
/// larger (docs/performance-log.md, "Size, seventh pass").
#[allow(dead_code)]
fn read_js<T: crate::digest::stored::Read>(v: JsValue) -> Option<T> {
    T::read(&from_js(v)?)
}

/// `now` arrives as a JS number; NaN and infinities become 0 rather than a trap.
#[allow(dead_code)]
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
#[allow(dead_code)]
fn trusted(hosts: JsValue) -> crate::Trusted {
    // Read by hand, as serde-wasm-bindgen read it (an element not a string: none at all); the
    // crate is no longer linked into either module (docs/performance-log.md, "Size, eighth pass").
    let Some(hosts) = hosts.dyn_ref::<js_sys::Array>() else {
        return crate::Trusted::default();
    };
    let list: Vec<String> = hosts
        .iter()
        .map(|h| h.as_string())
        .collect::<Option<_>>()
        .unwrap_or_default();
    crate::Trusted::parse(&list)
}
