//! The service worker's module (feature `sw`): the tabs' live capture (`live::Tabs`) kept
//! resident by tab id, each tab's badge and its view for the popup. The folding is the core's;
//! this file only keeps the values between calls. The extension's storage stays the truth.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

use super::fields::exchange_fields_export;
use super::{epoch, from_js, to_js};

thread_local! {
    /// Tabs' live capture while the worker runs (live.rs).
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
    let value = |v: JsValue| from_js(v).unwrap_or_default();
    let restored = crate::live::Tab::restore(&value(digest), &value(timeline), &value(reports));
    LIVE.with(|l| l.borrow_mut().insert(id, restored));
}

#[wasm_bindgen(js_name = liveHas)]
pub fn live_has(tab: f64) -> bool {
    tab_id(tab).is_some_and(|id| LIVE.with(|l| l.borrow().has(id)))
}

exchange_fields_export! {
    /// Folds one exchange (and the target of its redirect, if any) into the resident tab (a fresh
    /// one when not resident), and answers `true`. The state stays here, and the background asks
    /// for what it shows (`liveBadge`, `liveSnapshot`, `tabBadge`) when it shows it. Writing a
    /// `{severity, findings, kept}` answer for every exchange, which no caller but the tests read,
    /// cost ~2 % of a fold's instructions in Node (docs/performance-log.md).
    ///
    /// The service worker's module (cfg `saml_deferred`) reads no SAML: an exchange or redirect
    /// target that mentions it (`exchange::saml::mentions_saml`) changes nothing here (no tab
    /// made resident, no clock, no cross-tab memory) and answers `false`: fold it in the full
    /// module (the ui module, which exports these too), after moving the tabs there
    /// (`liveSnapshot`/`liveRestore`, `liveCrossTab`/`liveRestoreCrossTab`). Every other module
    /// folds everything.
    ///
    /// The exchange arrives as its fields (`extension/lib/exchange.js`'s `foldCall` spreads the
    /// webRequest-shaped object; `fields.rs` reads them). A field of the wrong type makes the
    /// exchange unreadable (`exchange.malformed`), as before. A tab id that is not an integer is
    /// ignored (`true`: nothing to fold anywhere).
    #[wasm_bindgen(js_name = liveFoldFields)]
    pub fn live_fold_fields(tab: f64, [fields], redirect_url: Option<String>) -> bool {
        let Some(id) = tab_id(tab) else {
            return true;
        };
        let at = fields.observed_at.unwrap_or(f64::NAN);
        let read = fields.read();
        let redirect = redirect_url.as_deref();
        if cfg!(saml_deferred) {
            use crate::exchange::saml::{mentions_saml, mentions_saml_text};
            // An unreadable exchange's report quotes its reason (which can quote a field).
            let saml = match &read {
                Ok(ex) => mentions_saml(ex, redirect),
                Err(reason) => {
                    mentions_saml_text(reason) || redirect.is_some_and(mentions_saml_text)
                }
            };
            if saml {
                return false;
            }
        }
        LIVE.with(|l| {
            let mut tabs = l.borrow_mut();
            match read {
                Ok(ex) => tabs.fold_owned(id, ex, redirect),
                Err(reason) => tabs.tab(id).fold_unreadable(&reason, at, redirect),
            }
        });
        true
    }
}

/// The tabs' cross-tab memory (`live::Tabs::cross_tab`: refresh-token digests, times and
/// statuses, no secret), to move the resident tabs to another module with their snapshots.
#[wasm_bindgen(js_name = liveCrossTab)]
pub fn live_cross_tab() -> JsValue {
    LIVE.with(|l| to_js(&l.borrow().cross_tab()))
}

/// Replaces the cross-tab memory with what `liveCrossTab` gave (anything unreadable: ignored).
#[wasm_bindgen(js_name = liveRestoreCrossTab)]
pub fn live_restore_cross_tab(memory: JsValue) {
    if let Some(v) = from_js(memory) {
        LIVE.with(|l| l.borrow_mut().restore_cross_tab(&v));
    }
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
            .map_or(JsValue::NULL, |t| to_js(&t.snapshot()))
    })
}

#[wasm_bindgen(js_name = liveForget)]
pub fn live_forget(tab: f64) {
    if let Some(id) = tab_id(tab) {
        LIVE.with(|l| l.borrow_mut().forget(id));
    }
}

/// The toolbar badge of a resident tab at `nowEpochMs`: `{count, severity, low, text, title}`
/// (a tab that is not resident has none: `null`).
#[wasm_bindgen(js_name = liveBadge)]
pub fn live_badge(tab: f64, now_epoch_ms: f64) -> JsValue {
    let Some(id) = tab_id(tab) else {
        return JsValue::NULL;
    };
    let now = epoch(now_epoch_ms);
    LIVE.with(|l| {
        l.borrow().get(id).map_or(JsValue::NULL, |t| {
            to_js(&t.badge(now, crate::rate_limit::DEFAULT_LOW_THRESHOLD_PERCENT))
        })
    })
}
