//! An exchange entering as its fields, one argument each: the reader every field-wise export
//! shares (`liveFoldFields` in the service worker's module; `analyzeExchangeFields` and
//! `showExchangeFields` in the UI pages'). `extension/lib/exchange-args.js`'s `exchangeArgs`
//! spreads the webRequest-shaped object into these arguments: each typed (a string, a number,
//! a flag, or left out), the two header lists each one string of names and values joined by NUL
//! (`name\0value\0name\0value`; no header can hold NUL), the rare form fields
//! (`{requestForm, requestFormOmitted}`) an object or `undefined`, and last the bits of the fields
//! that were of the wrong type. Walking the whole object with serde-wasm-bindgen cost ~19 % of a
//! fold and ~14 % of an analysed exchange, and reading each field back out of JS as a `JsValue`
//! ~10 % of the fold's instructions in Node (docs/performance-log.md). A field of the wrong type
//! makes the exchange unreadable: the reason names the field (`exchange.malformed`).

use wasm_bindgen::prelude::*;

use crate::exchange::{BodySource, Exchange, FormField, Headers, OmittedField};

/// The exchange's fields as the exports receive them, in `exchangeArgs`' order: each typed, so
/// wasm-bindgen's glue copies a string into the module as it calls (no call back into JS per
/// field, as reading a `JsValue` with `as_string` was), and `wrong` the fields that were there
/// but of the wrong type (`exchangeArgs` passes such a field as `undefined` and sets its bit,
/// [`Wrong`]), so the reason still names the first of them in reading order.
pub(super) struct Fields {
    pub observed_at: Option<f64>,
    pub method: Option<String>,
    pub url: Option<String>,
    pub status_code: Option<f64>,
    pub request_headers: Option<String>,
    pub response_headers: Option<String>,
    pub body: Option<String>,
    pub body_source: Option<String>,
    pub kind: Option<String>,
    pub error: Option<String>,
    pub initiator: Option<String>,
    pub third_party: Option<bool>,
    pub form: JsValue,
    pub wrong: u32,
}

/// The bit of each field in `Fields::wrong`, as `extension/lib/exchange-args.js` sets them: the
/// field's place in `exchangeArgs`' order.
#[derive(Clone, Copy)]
enum Wrong {
    ObservedAt = 0,
    Method,
    Url,
    StatusCode,
    RequestHeaders,
    ResponseHeaders,
    Body,
    BodySource,
    Kind,
    Error,
    Initiator,
    ThirdParty,
}

impl Wrong {
    /// The field's name, as the reason gives it.
    fn name(self) -> &'static str {
        match self {
            Wrong::ObservedAt => "observedAt",
            Wrong::Method => "method",
            Wrong::Url => "url",
            Wrong::StatusCode => "statusCode",
            Wrong::RequestHeaders => "requestHeaders",
            Wrong::ResponseHeaders => "responseHeaders",
            Wrong::Body => "body",
            Wrong::BodySource => "bodySource",
            Wrong::Kind => "type",
            Wrong::Error => "error",
            Wrong::Initiator => "initiator",
            Wrong::ThirdParty => "thirdParty",
        }
    }
}

/// An export that takes an exchange as its fields: its own arguments before `[fields]`, the
/// fields in `exchangeArgs`' order in its place (the twelve, the form, then the `wrong` bits),
/// its own arguments after; the body has them as one [`Fields`] named as given. The one place the
/// field list is spelled out for an export, so the three (`liveFoldFields`,
/// `analyzeExchangeFields`, `showExchangeFields`) cannot drift from each other or from
/// `exchangeArgs`.
macro_rules! exchange_fields_export {
    (
        $(#[$meta:meta])*
        pub fn $name:ident($($before:ident: $before_ty:ty,)* [$fields:ident] $(, $after:ident: $after_ty:ty)* $(,)?) $(-> $ret:ty)? $body:block
    ) => {
        $(#[$meta])*
        #[allow(clippy::too_many_arguments)] // one argument per field of the exchange: that is the point
        pub fn $name(
            $($before: $before_ty,)*
            observed_at: Option<f64>,
            method: Option<String>,
            url: Option<String>,
            status_code: Option<f64>,
            request_headers: Option<String>,
            response_headers: Option<String>,
            body: Option<String>,
            body_source: Option<String>,
            kind: Option<String>,
            error: Option<String>,
            initiator: Option<String>,
            third_party: Option<bool>,
            form: JsValue,
            wrong: u32,
            $($after: $after_ty),*
        ) $(-> $ret)? {
            let $fields = $crate::wasm::fields::Fields {
                observed_at,
                method,
                url,
                status_code,
                request_headers,
                response_headers,
                body,
                body_source,
                kind,
                error,
                initiator,
                third_party,
                form,
                wrong,
            };
            $body
        }
    };
}
pub(super) use exchange_fields_export;

impl Fields {
    /// The exchange, or why it cannot be read (the first field of the wrong type).
    pub fn read(self) -> Result<Exchange, String> {
        let wrong = self.wrong;
        let ok = |field: Wrong| {
            if wrong & (1 << field as u32) == 0 {
                Ok(())
            } else {
                Err(format!("{}: invalid type", field.name()))
            }
        };
        ok(Wrong::ObservedAt)?;
        ok(Wrong::Method)?;
        ok(Wrong::Url)?;
        ok(Wrong::StatusCode)?;
        let status_code = status(self.status_code)?;
        ok(Wrong::RequestHeaders)?;
        let request_headers = headers(self.request_headers, "requestHeaders")?;
        ok(Wrong::ResponseHeaders)?;
        let response_headers = headers(self.response_headers, "responseHeaders")?;
        ok(Wrong::Body)?;
        ok(Wrong::BodySource)?;
        let body_source = match self.body_source.as_deref() {
            None => None,
            Some("network") => Some(BodySource::Network),
            Some("page") => Some(BodySource::Page),
            Some(other) => return Err(format!("bodySource: unknown variant `{other}`")),
        };
        ok(Wrong::Kind)?;
        ok(Wrong::Error)?;
        ok(Wrong::Initiator)?;
        ok(Wrong::ThirdParty)?;
        Ok(Exchange {
            observed_at: self.observed_at,
            method: self.method,
            url: self.url,
            status_code,
            request_headers,
            response_headers,
            body: self.body,
            body_source,
            kind: self.kind,
            error: self.error,
            initiator: self.initiator,
            third_party: self.third_party,
            ..form_fields(self.form)?
        })
    }
}

/// An HTTP status: an integer 0–65535, as serde read it into a `u16`.
fn status(n: Option<f64>) -> Result<Option<u16>, String> {
    match n {
        None => Ok(None),
        Some(n) if n.fract() == 0.0 && (0.0..=65535.0).contains(&n) => Ok(Some(n as u16)),
        Some(n) => Err(format!(
            "statusCode: invalid value {}, expected u16",
            crate::json::f64_text(n)
        )),
    }
}

/// `name\0value\0…` → the header list (`""`: none), the string kept as the list's text: no
/// copy of each name and value (`exchange::Headers`).
fn headers(joined: Option<String>, what: &str) -> Result<Headers, String> {
    match joined {
        None => Ok(Headers::default()),
        Some(joined) => {
            Headers::from_joined(joined).ok_or_else(|| format!("{what}: a name without a value"))
        }
    }
}

/// The request's form fields, when it had a form body (`{requestForm, requestFormOmitted}`).
/// Read by hand, as the other fields are: serde-wasm-bindgen, which read it before, was the
/// only use of that crate in the service worker's module (−3.9 KB gzip, 315,448 → 311,568 B; docs/performance-log.md,
/// "Size, eighth pass"). What it accepted, this accepts: each list absent (or `undefined`) is
/// empty, else an array of objects whose `name` / `value` are strings and whose `length` is a
/// non-negative safe integer, a member left out taking its default; anything else is an
/// invalid type, naming the list. (serde-wasm-bindgen also took any iterable for a list and a
/// BigInt for a length, which `exchangeArgs` never hands over.)
fn form_fields(form: JsValue) -> Result<Exchange, String> {
    if form.is_undefined() || form.is_null() {
        return Ok(Exchange::default());
    }
    if !form.is_object() {
        return Err("requestForm: invalid type".to_string());
    }
    let request_form = list(&form, "requestForm", |item| {
        Some(FormField {
            name: member(item, "name", JsValue::as_string)?,
            value: member(item, "value", JsValue::as_string)?,
        })
    })?;
    let request_form_omitted = list(&form, "requestFormOmitted", |item| {
        Some(OmittedField {
            name: member(item, "name", JsValue::as_string)?,
            length: member(item, "length", length)?,
        })
    })?;
    Ok(Exchange {
        request_form,
        request_form_omitted,
        ..Exchange::default()
    })
}

/// The list `form[key]`, each item read by `read` (`None`: of the wrong type).
fn list<T>(
    form: &JsValue,
    key: &str,
    read: impl Fn(&JsValue) -> Option<T>,
) -> Result<Vec<T>, String> {
    let invalid = || format!("{key}: invalid type");
    let value = js_sys::Reflect::get(form, &JsValue::from_str(key)).map_err(|_| invalid())?;
    if value.is_undefined() {
        return Ok(Vec::new());
    }
    let items = value.dyn_ref::<js_sys::Array>().ok_or_else(invalid)?;
    items
        .iter()
        .map(|item| {
            item.is_object()
                .then(|| read(&item))
                .flatten()
                .ok_or_else(invalid)
        })
        .collect()
}

/// An item's member: its default when left out, `None` when of the wrong type.
fn member<T: Default>(item: &JsValue, key: &str, read: fn(&JsValue) -> Option<T>) -> Option<T> {
    let value = js_sys::Reflect::get(item, &JsValue::from_str(key)).ok()?;
    if value.is_undefined() {
        return Some(T::default());
    }
    read(&value)
}

/// A length: a non-negative safe integer (`Number.isSafeInteger`), as serde-wasm-bindgen read
/// a `u64`.
fn length(v: &JsValue) -> Option<u64> {
    const MAX_SAFE: f64 = 9_007_199_254_740_991.0;
    let n = v.as_f64()?;
    (n.fract() == 0.0 && (0.0..=MAX_SAFE).contains(&n)).then_some(n as u64)
}
