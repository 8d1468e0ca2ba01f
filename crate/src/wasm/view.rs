//! A stored tab, as data: the service worker's module answers its toolbar badge (`tabBadge`, for
//! a tab it does not hold resident), the UI's module its whole view (`tabView`, the popup's live
//! view, worded by `words.rs`).

use wasm_bindgen::prelude::*;

use super::{epoch, from_js, to_js};

/// A stored tab's session (`digest`, `timeline`; `null` or unreadable parts start afresh).
fn stored_session(digest: JsValue, timeline: JsValue) -> crate::session::Session {
    let value = |v: JsValue| from_js(v).unwrap_or_default();
    crate::session::Session::restore(&value(digest), &value(timeline), &serde_json::Value::Null)
}

/// A stored tab's toolbar badge at `nowEpochMs` (`digest` and `timeline` as stored, `null` for
/// none), as `liveBadge` answers it for a resident tab. The worker reads nothing else of a stored
/// tab, so its module carries the badge alone, not the view (−2.4 KB gzip: docs/performance-log.md,
/// "The lead, fourteenth session").
#[cfg(feature = "sw")]
#[wasm_bindgen(js_name = tabBadge)]
pub fn tab_badge(digest: JsValue, timeline: JsValue, now_epoch_ms: f64) -> JsValue {
    let session = stored_session(digest, timeline);
    to_js(&session.badge(
        epoch(now_epoch_ms),
        crate::rate_limit::DEFAULT_LOW_THRESHOLD_PERCENT,
    ))
}

/// A stored tab as the popup shows it at `nowEpochMs` (`digest` and `timeline` as stored,
/// `null` for none): its badge, summary line, finding groups split into problems and quiet
/// ones (their findings as data), failed requests (newest first) and the rate-limit view.
#[cfg(feature = "ui")]
#[wasm_bindgen(js_name = tabView)]
pub fn tab_view(digest: JsValue, timeline: JsValue, now_epoch_ms: f64) -> JsValue {
    let session = stored_session(digest, timeline);
    to_js(&session.view(
        epoch(now_epoch_ms),
        crate::rate_limit::DEFAULT_LOW_THRESHOLD_PERCENT,
    ))
}
