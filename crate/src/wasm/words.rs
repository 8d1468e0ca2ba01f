//! The UI module's words: the explain layer over the analysis answered as data (analysis.rs).
//! Every report, view and export the user reads is worded here, its commands naming
//! `trustedHosts` (the user's custom domains) besides Okta's hosts.

use wasm_bindgen::prelude::*;

use super::fields::exchange_fields_export;
use super::{epoch, from_js, read_js, to_js, trusted};
use crate::report::Report;

/// A report as shown: worded, settled, sealed (`null` for anything that is not a report).
fn shown(report: JsValue, trusted_hosts: JsValue) -> Option<Report> {
    let mut report = read_js::<Report>(report)?;
    crate::explain::show(&mut report, &trusted(trusted_hosts));
    Some(report)
}

/// Any report answered as data (or stored by a tab) as the user reads it.
#[wasm_bindgen(js_name = explain)]
pub fn explain(report: JsValue, trusted_hosts: JsValue) -> JsValue {
    shown(report, trusted_hosts).map_or(JsValue::NULL, |r| to_js(&r))
}

/// Pasted text analysed at `nowEpochSeconds` and shown, in one call: what the popup's paste box
/// and its page-storage list render. The same report as
/// `explain(analyzeText(text, now))`, without handing the data report to JS and reading it
/// back (bench/core.mjs measures both).
#[wasm_bindgen(js_name = showText)]
pub fn show_text(text: &str, now_epoch_seconds: f64, trusted_hosts: JsValue) -> JsValue {
    to_js(&crate::analyze_text_trusting(
        text,
        epoch(now_epoch_seconds),
        &trusted(trusted_hosts),
    ))
}

exchange_fields_export! {
    /// One observed exchange analysed and shown, in one call: the words over
    /// `analyzeExchangeFields`' report (the same fields, `fields.rs`), the data never crossing to
    /// JS and back. No page analyses a lone exchange (the live capture folds it, the panel adds
    /// it to a session): issue 14's analyzeExchange bench row and the contract tests call it.
    #[wasm_bindgen(js_name = showExchangeFields)]
    pub fn show_exchange_fields([fields], trusted_hosts: JsValue) -> JsValue {
        let read = fields.read();
        let trusted = trusted(trusted_hosts);
        let report = match read {
            Ok(exchange) => crate::show_owned_exchange(exchange, &trusted),
            Err(reason) => {
                let mut report = crate::http::malformed_exchange(&reason);
                crate::explain::show(&mut report, &trusted);
                report
            }
        };
        to_js(&report)
    }
}

/// A tab view (`tabView`) with its finding groups worded.
#[wasm_bindgen(js_name = explainView)]
pub fn explain_view(view: JsValue, trusted_hosts: JsValue) -> JsValue {
    let Some(mut view) = from_js(view) else {
        return JsValue::NULL;
    };
    crate::explain::show_groups(&mut view, &trusted(trusted_hosts));
    to_js(&view)
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
