//! The DevTools panel's sessions (the inspected tab, a loaded HAR file; `har::Analysis`) kept
//! by id between calls. Only the UI pages load this (feature `ui`).

use std::{cell::RefCell, collections::HashMap};

use wasm_bindgen::prelude::*;

use super::{from_js, to_js, trusted};

thread_local! {
    /// The DevTools panel's sessions (the inspected tab, a loaded HAR file) by id.
    static PANEL: RefCell<(u32, HashMap<u32, crate::har::Analysis>)> = RefCell::new((0, HashMap::new()));
}

/// Opens a panel session (a HAR being read entry by entry); answers its id.
#[wasm_bindgen(js_name = sessionOpen)]
pub fn session_open() -> u32 {
    let analysis = crate::har::Analysis::default();
    PANEL.with(|p| {
        let mut p = p.borrow_mut();
        p.0 = p.0.wrapping_add(1);
        let id = p.0;
        p.1.insert(id, analysis);
        id
    })
}

/// One HAR entry folded into panel session `id`: its row and report, when it is Okta traffic.
fn added(id: u32, entry: JsValue) -> Option<crate::session::Added> {
    let value = from_js(entry).unwrap_or_default();
    PANEL.with(|p| {
        let mut p = p.borrow_mut();
        let (row, report) = p.1.get_mut(&id)?.add_entry_row(&value)?;
        Some(crate::session::Added { row, report })
    })
}

/// Folds one HAR entry into panel session `id` and shows it, in one call: its table row led by
/// its worst finding's title, with its full report worded (`{row, report}`), when it is Okta
/// traffic; else `null` (counted as another entry). What the panel calls per entry
/// (extension/lib/core.js): the entry is analysed once and its data never crosses to JS.
#[wasm_bindgen(js_name = sessionAddShown)]
pub fn session_add_shown(id: u32, entry: JsValue, trusted_hosts: JsValue) -> JsValue {
    added(id, entry).map_or(JsValue::NULL, |mut a| {
        crate::session::show_added(&mut a, &trusted(trusted_hosts));
        to_js(&a)
    })
}

/// The HAR entries a SAML-tracer export records (`har::tracer`), for the panel to load like a
/// HAR's; `null` when `doc` is not one.
#[wasm_bindgen(js_name = traceEntries)]
pub fn trace_entries(doc: JsValue) -> JsValue {
    let value = from_js(doc).unwrap_or_default();
    if !crate::har::tracer::is_export(&value) {
        return JsValue::NULL;
    }
    crate::har::tracer::to_har(&value)
        .and_then(|h| h.pointer("/log/entries").cloned())
        .map_or(JsValue::NULL, |e| to_js(&e))
}

/// Panel session `id` as one report (`input.kind` = `har`), as data: what `okta-medic har FILE`
/// prints once worded.
#[wasm_bindgen(js_name = sessionReport)]
pub fn session_report(id: u32) -> JsValue {
    PANEL.with(|p| {
        p.borrow().1.get(&id).map_or(JsValue::NULL, |a| {
            let mut report = a.report_data();
            crate::redact::seal(&mut report);
            to_js(&report)
        })
    })
}

#[wasm_bindgen(js_name = sessionClose)]
pub fn session_close(id: u32) {
    PANEL.with(|p| p.borrow_mut().1.remove(&id));
}
