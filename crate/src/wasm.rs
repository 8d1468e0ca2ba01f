//! The WebAssembly boundary: convert, call, convert. The only file that names wasm_bindgen.
//! Reports cross as plain JS objects (`Serializer::json_compatible()`), so they survive
//! `runtime.sendMessage` and `storage` unchanged.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::{http::Exchange, report::Report};

fn to_js(report: &Report) -> JsValue {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    // A Report is plain data; serialising it cannot fail, but never trap if it somehow does.
    report.serialize(&serializer).unwrap_or(JsValue::NULL)
}

/// `now` arrives as a JS number; NaN and infinities become 0 rather than a trap.
fn epoch(now: f64) -> i64 {
    if now.is_finite() {
        now as i64
    } else {
        0
    }
}

#[wasm_bindgen(js_name = analyzeText)]
pub fn analyze_text(text: &str, now_epoch_seconds: f64) -> JsValue {
    to_js(&crate::analyze_text(text, epoch(now_epoch_seconds)))
}

#[wasm_bindgen(js_name = analyzeExchange)]
pub fn analyze_exchange(exchange: JsValue) -> JsValue {
    let report = match serde_wasm_bindgen::from_value::<Exchange>(exchange) {
        Ok(exchange) => crate::analyze_exchange(&exchange),
        Err(err) => crate::http::malformed_exchange(&err.to_string()),
    };
    to_js(&report)
}

#[wasm_bindgen(js_name = coreVersion)]
pub fn core_version() -> String {
    crate::VERSION.to_string()
}
