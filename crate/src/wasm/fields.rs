//! An exchange entering as its fields, one argument each: the reader every field-wise export
//! shares (`liveFoldFields` in the service worker's module; `analyzeExchangeFields` and
//! `showExchangeFields` in the UI pages'). `extension/lib/exchange-args.js`'s `exchangeArgs`
//! spreads the webRequest-shaped object into these arguments: each a value read once here, the two
//! header lists each one string of names and values joined by NUL (`name\0value\0name\0value`;
//! no header can hold NUL), the rare form fields (`{requestForm, requestFormOmitted}`) an object
//! or `undefined`. Walking the whole object with serde-wasm-bindgen cost ~19 % of a fold and
//! ~14 % of an analysed exchange (README § Benchmarks). A field of the wrong type makes the
//! exchange unreadable: the reason names the field (`exchange.malformed`).

use wasm_bindgen::prelude::*;

use crate::exchange::{BodySource, Exchange, FormField, Header, OmittedField};

/// The exchange's fields as the exports receive them, in `exchangeArgs`' order.
pub(super) struct Fields {
    pub observed_at: JsValue,
    pub method: JsValue,
    pub url: JsValue,
    pub status_code: JsValue,
    pub request_headers: JsValue,
    pub response_headers: JsValue,
    pub body: JsValue,
    pub body_source: JsValue,
    pub kind: JsValue,
    pub error: JsValue,
    pub initiator: JsValue,
    pub third_party: JsValue,
    pub form: JsValue,
}

/// An export that takes an exchange as its fields: its own arguments before `[fields]`, the
/// thirteen fields in `exchangeArgs`' order in its place, its own arguments after; the body has
/// them as one [`Fields`] named as given. The one place the field list is spelled out for an
/// export, so the three (`liveFoldFields`, `analyzeExchangeFields`, `showExchangeFields`) cannot
/// drift from each other or from `exchangeArgs`.
macro_rules! exchange_fields_export {
    (
        $(#[$meta:meta])*
        pub fn $name:ident($($before:ident: $before_ty:ty,)* [$fields:ident] $(, $after:ident: $after_ty:ty)* $(,)?) -> JsValue $body:block
    ) => {
        $(#[$meta])*
        #[allow(clippy::too_many_arguments)] // one argument per field of the exchange: that is the point
        pub fn $name(
            $($before: $before_ty,)*
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
            $($after: $after_ty),*
        ) -> JsValue {
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
            };
            $body
        }
    };
}
pub(super) use exchange_fields_export;

impl Fields {
    /// The exchange, or why it cannot be read (the first field of the wrong type).
    pub fn read(self) -> Result<Exchange, String> {
        Ok(Exchange {
            observed_at: number(&self.observed_at, "observedAt")?,
            method: text(&self.method, "method")?,
            url: text(&self.url, "url")?,
            status_code: status(&self.status_code)?,
            request_headers: headers(&self.request_headers, "requestHeaders")?,
            response_headers: headers(&self.response_headers, "responseHeaders")?,
            body: text(&self.body, "body")?,
            body_source: match text(&self.body_source, "bodySource")?.as_deref() {
                None => None,
                Some("network") => Some(BodySource::Network),
                Some("page") => Some(BodySource::Page),
                Some(other) => return Err(format!("bodySource: unknown variant `{other}`")),
            },
            kind: text(&self.kind, "type")?,
            error: text(&self.error, "error")?,
            initiator: text(&self.initiator, "initiator")?,
            third_party: flag(&self.third_party)?,
            ..form_fields(self.form)?
        })
    }
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
/// Read by hand, as the other fields are: serde-wasm-bindgen, which read it before, was the
/// only use of that crate in the service worker's module (−3.9 KB gzip, 315,448 → 311,568 B; README § Benchmarks,
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
