//! The service worker's module (feature `sw`): the tabs' live capture (`live::Tabs`) kept
//! resident by tab id, each tab's badge and its view for the popup. The folding is the core's;
//! this file only keeps the values between calls. The extension's storage stays the truth.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

use super::{epoch, from_js, to_js};
use crate::exchange::{BodySource, Exchange, FormField, Header, OmittedField};

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
    let value = |v: JsValue| from_js::<serde_json::Value>(v).unwrap_or_default();
    let restored = crate::live::Tab::restore(&value(digest), &value(timeline), &value(reports));
    LIVE.with(|l| l.borrow_mut().insert(id, restored));
}

#[wasm_bindgen(js_name = liveHas)]
pub fn live_has(tab: f64) -> bool {
    tab_id(tab).is_some_and(|id| LIVE.with(|l| l.borrow().has(id)))
}

/// Folds one exchange (and the target of its redirect, if any) into the resident tab (a fresh
/// one when not resident). Answers `{severity, findings, kept}`; the state stays here.
///
/// The exchange arrives as its fields (`extension/lib/exchange.js`'s `foldCall` spreads the
/// webRequest-shaped object): each a value read once here, the two header lists each one string
/// of names and values joined by NUL (`name\0value\0name\0value`; no header can hold NUL), the
/// rare form fields (`{requestForm, requestFormOmitted}`) an object or `undefined`. Walking the
/// whole object with serde-wasm-bindgen cost ~19 % of a fold (README § Benchmarks). A field of
/// the wrong type makes the exchange unreadable (`exchange.malformed`), as before.
#[wasm_bindgen(js_name = liveFoldFields)]
#[allow(clippy::too_many_arguments)] // one argument per field of the exchange: that is the point
pub fn live_fold_fields(
    tab: f64,
    observed_at: JsValue,
    method: JsValue,
    url: JsValue,
    status_code: JsValue,
    request_headers: JsValue,
    response_headers: JsValue,
    body: JsValue,
    body_source: JsValue,
    kind: JsValue,
    error: JsValue,
    initiator: JsValue,
    third_party: JsValue,
    form: JsValue,
    redirect_url: Option<String>,
) -> JsValue {
    let Some(id) = tab_id(tab) else {
        return JsValue::NULL;
    };
    let read = (|| {
        Ok(Exchange {
            observed_at: number(&observed_at, "observedAt")?,
            method: text(&method, "method")?,
            url: text(&url, "url")?,
            status_code: status(&status_code)?,
            request_headers: headers(&request_headers, "requestHeaders")?,
            response_headers: headers(&response_headers, "responseHeaders")?,
            body: text(&body, "body")?,
            body_source: match text(&body_source, "bodySource")?.as_deref() {
                None => None,
                Some("network") => Some(BodySource::Network),
                Some("page") => Some(BodySource::Page),
                Some(other) => return Err(format!("bodySource: unknown variant `{other}`")),
            },
            kind: text(&kind, "type")?,
            error: text(&error, "error")?,
            initiator: text(&initiator, "initiator")?,
            third_party: flag(&third_party)?,
            ..form_fields(form)?
        })
    })();
    let folded = LIVE.with(|l| {
        let mut tabs = l.borrow_mut();
        match read {
            Ok(ex) => tabs.fold_owned(id, ex, redirect_url.as_deref()),
            Err(reason) => {
                let at = observed_at.as_f64().unwrap_or(f64::NAN);
                tabs.tab(id)
                    .fold_unreadable(&reason, at, redirect_url.as_deref())
            }
        }
    });
    to_js(&folded)
}

/// `None` for `undefined` or `null` (a field left out), else what `read` makes of it.
fn field<T>(
    v: &JsValue,
    read: impl FnOnce(&JsValue) -> Option<T>,
    what: &str,
) -> Result<Option<T>, String> {
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    read(v)
        .map(Some)
        .ok_or_else(|| format!("{what}: invalid type"))
}

fn text(v: &JsValue, what: &str) -> Result<Option<String>, String> {
    field(v, JsValue::as_string, what)
}

fn number(v: &JsValue, what: &str) -> Result<Option<f64>, String> {
    field(v, JsValue::as_f64, what)
}

fn flag(v: &JsValue) -> Result<Option<bool>, String> {
    field(v, JsValue::as_bool, "thirdParty")
}

/// An HTTP status: an integer 0–65535, as serde read it into a `u16`.
fn status(v: &JsValue) -> Result<Option<u16>, String> {
    match number(v, "statusCode")? {
        None => Ok(None),
        Some(n) if n.fract() == 0.0 && (0.0..=65535.0).contains(&n) => Ok(Some(n as u16)),
        Some(n) => Err(format!("statusCode: invalid value {n}, expected u16")),
    }
}

/// `name\0value\0…` → the header list (`""`: none).
fn headers(v: &JsValue, what: &str) -> Result<Vec<Header>, String> {
    let Some(joined) = text(v, what)? else {
        return Ok(Vec::new());
    };
    let mut list = Vec::new();
    if joined.is_empty() {
        return Ok(list);
    }
    let mut parts = joined.split('\0');
    while let Some(name) = parts.next() {
        let Some(value) = parts.next() else {
            return Err(format!("{what}: a name without a value"));
        };
        list.push(Header {
            name: name.to_string(),
            value: Some(value.to_string()),
        });
    }
    Ok(list)
}

/// The request's form fields, when it had a form body (`{requestForm, requestFormOmitted}`).
fn form_fields(form: JsValue) -> Result<Exchange, String> {
    #[derive(serde::Deserialize, Default)]
    #[serde(rename_all = "camelCase", default)]
    struct Form {
        request_form: Vec<FormField>,
        request_form_omitted: Vec<OmittedField>,
    }
    if form.is_undefined() || form.is_null() {
        return Ok(Exchange::default());
    }
    let read: Form = serde_wasm_bindgen::from_value(form).map_err(|e| e.to_string())?;
    Ok(Exchange {
        request_form: read.request_form,
        request_form_omitted: read.request_form_omitted,
        ..Exchange::default()
    })
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
