//! The UI module's analysis exports: findings as data, sealed, never worded (`words.rs` words
//! them, composed by extension/lib/core.js). Pasted text, one exchange, a stored tab's digest,
//! HAR entries and sanitising: none of these is the service worker's.

use wasm_bindgen::prelude::*;

use super::fields::exchange_fields_export;
use super::{epoch, from_js, to_js};

/// Anything pasted, analysed at `nowEpochSeconds`: the Report with its findings as data.
#[wasm_bindgen(js_name = analyzeText)]
pub fn analyze_text(text: &str, now_epoch_seconds: f64) -> JsValue {
    to_js(&crate::facts_of_text(text, epoch(now_epoch_seconds)))
}

exchange_fields_export! {
    /// One observed exchange, analysed: the Report as data. The exchange arrives as its fields
    /// (`fields.rs`; `extension/lib/exchange-args.js`'s `exchangeArgs` spreads a webRequest-shaped
    /// object into them); one that cannot be read is `exchange.malformed`.
    #[wasm_bindgen(js_name = analyzeExchangeFields)]
    pub fn analyze_exchange_fields([fields]) -> JsValue {
        let read = fields.read();
        to_js(&match read {
            Ok(exchange) => crate::facts_of_owned_exchange(exchange),
            Err(reason) => crate::http::malformed_exchange(&reason),
        })
    }
}

/// The storage key prefix under which okta-auth-js keeps a page's tokens.
#[wasm_bindgen(js_name = tokenStorageKey)]
pub fn token_storage_key() -> String {
    crate::storage::KEY_PREFIX.to_string()
}

/// Whether the core reads a HAR entry (judged on its URL and headers; nothing is analysed):
/// Okta traffic, or the app's callback carrying a sign-in's answer (the flow reads it).
#[wasm_bindgen(js_name = entryIsOkta)]
pub fn entry_is_okta(entry: JsValue) -> bool {
    from_js(entry)
        .and_then(|v| crate::har::exchange(&v))
        .is_some_and(|ex| crate::har::is_read(&ex))
}

/// A tab's session as one report — its findings grouped with counts, failed requests' ids, and
/// the rate-limit buckets as of `nowEpochMs` — for the tab's support snippet and JSON export.
#[wasm_bindgen(js_name = digestReport)]
pub fn digest_report(digest: JsValue, timeline: JsValue, now_epoch_ms: f64) -> JsValue {
    let stored = from_js(digest).unwrap_or_default();
    let d = crate::digest::Digest::restored(&stored);
    let stored = from_js(timeline).unwrap_or_default();
    let rate_limits =
        crate::timeline::parse(&stored).map(|t| crate::timeline::view(&t, epoch(now_epoch_ms)));
    let mut report = d.report(rate_limits);
    crate::redact::seal(&mut report);
    to_js(&report)
}

/// Sanitises a HAR document, or a SAML-tracer export as the HAR it records (`har::redact_text`):
/// `{har: string, receipt: {redactions: [{location, what}]}}`, or `{error}` when the text is
/// neither.
#[wasm_bindgen(js_name = redactHar)]
pub fn redact_har(text: &str) -> JsValue {
    to_js(&match crate::har::redact_text(text) {
        Ok((har, receipt)) => serde_json::json!({ "har": har, "receipt": receipt }),
        Err(error) => serde_json::json!({ "error": error }),
    })
}
