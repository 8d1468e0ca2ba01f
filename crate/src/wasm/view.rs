//! A stored tab as the popup shows it, as data: both modules answer it (the service worker for
//! the badge of a tab that is not resident, the popup for its live view, worded by `words.rs`).

use wasm_bindgen::prelude::*;

use super::{epoch, from_js, to_js};

/// A stored tab's session (`digest`, `timeline`; `null` or unreadable parts start afresh).
fn stored_session(digest: JsValue, timeline: JsValue) -> crate::session::Session {
    let value = |v: JsValue| from_js::<serde_json::Value>(v).unwrap_or_default();
    crate::session::Session::restore(&value(digest), &value(timeline), &serde_json::Value::Null)
}

/// A stored tab as the popup shows it at `nowEpochMs` (`digest` and `timeline` as stored,
/// `null` for none): its badge, summary line, finding groups split into problems and quiet
/// ones (their findings as data), failed requests (newest first) and the rate-limit view.
#[wasm_bindgen(js_name = tabView)]
pub fn tab_view(digest: JsValue, timeline: JsValue, now_epoch_ms: f64) -> JsValue {
    let session = stored_session(digest, timeline);
    to_js(&session.view(
        epoch(now_epoch_ms),
        crate::rate_limit::DEFAULT_LOW_THRESHOLD_PERCENT,
    ))
}
