//! An [`Exchange`] read by hand from the JSON value it came as (a response body that is itself
//! an exchange object, a pasted one: `recognise::json`), with the stored tabs' reader
//! (`digest::stored::Read`) instead of serde's derived deserialiser.
//!
//! Why: that deserialiser was the last serde-derived reader in the service worker's module
//! (a live body can be an exchange object), −6.2 KB gzip (ui −5.7 KB) with its serde_json `Value`
//! deserialisers (docs/performance-log.md, "Size, eighth pass"). It reads exactly what the derived
//! one reads — unknown members skipped, a member left out its default, `null` an absent
//! option, a header or form field also as an array of its members in order, an enum variant as
//! its name or as `{"name": null}` — and anything else makes the whole exchange unreadable
//! (`None`); the tests compare the two on every golden exchange with each member removed,
//! nulled and mistyped. The exchange itself is an object (serde would also read an array of its
//! members in order; `recognise::json` hands over objects only).

use serde_json::Value;

use super::{BodySource, Exchange, FormField, Header, Headers, OmittedField};
use crate::digest::stored::{Fields, Read};

impl Read for Exchange {
    fn read(v: &Value) -> Option<Self> {
        let f = Fields::of(v)?;
        Some(Exchange {
            observed_at: f.opt("observedAt")?,
            method: f.opt("method")?,
            url: f.opt("url")?,
            status_code: f.opt("statusCode")?,
            request_headers: f.or_default("requestHeaders")?,
            response_headers: f.or_default("responseHeaders")?,
            body: f.opt("body")?,
            body_source: f.opt("bodySource")?,
            recorded: false,
            kind: f.opt("type")?,
            error: f.opt("error")?,
            request_form: f.or_default("requestForm")?,
            request_form_omitted: f.or_default("requestFormOmitted")?,
            initiator: f.opt("initiator")?,
            third_party: f.opt("thirdParty")?,
        })
    }
}

/// A two-member struct with both members defaulted, as serde reads one: an object by member
/// names, or an array of at most two elements in member order.
fn pair<A: Read + Default, B: Read + Default>(v: &Value, a: &str, b: &str) -> Option<(A, B)> {
    if let Some(items) = v.as_array() {
        let mut items = items.iter();
        let first = items.next().map_or(Some(A::default()), A::read)?;
        let second = items.next().map_or(Some(B::default()), B::read)?;
        return items.next().is_none().then_some((first, second));
    }
    let f = Fields::of(v)?;
    Some((f.or_default(a)?, f.or_default(b)?))
}

impl Read for Header {
    fn read(v: &Value) -> Option<Self> {
        let (name, value) = pair::<String, Optional<String>>(v, "name", "value")?;
        Some(Header {
            name,
            value: value.0,
        })
    }
}

/// A header list, as `Vec<Header>` was read: an array of headers (or the default when left
/// out), each read by [`Header`]'s reader.
impl Read for Headers {
    fn read(v: &Value) -> Option<Self> {
        let mut list = Headers::default();
        for item in v.as_array()? {
            let h = Header::read(item)?;
            list.push(h);
        }
        Some(list)
    }
}

impl Read for FormField {
    fn read(v: &Value) -> Option<Self> {
        let (name, value) = pair(v, "name", "value")?;
        Some(FormField { name, value })
    }
}

impl Read for OmittedField {
    fn read(v: &Value) -> Option<Self> {
        let (name, length) = pair(v, "name", "length")?;
        Some(OmittedField { name, length })
    }
}

impl Read for BodySource {
    fn read(v: &Value) -> Option<Self> {
        let name = match v {
            Value::String(s) => s.as_str(),
            Value::Object(m) if m.len() == 1 => match m.iter().next()? {
                (name, Value::Null) => name.as_str(),
                _ => return None,
            },
            _ => return None,
        };
        match name {
            "network" => Some(BodySource::Network),
            "page" => Some(BodySource::Page),
            _ => None,
        }
    }
}

/// An `Option` member inside [`pair`]: `null` is `None`, as serde reads an option.
#[derive(Default)]
struct Optional<T>(Option<T>);

impl<T: Read> Read for Optional<T> {
    fn read(v: &Value) -> Option<Self> {
        match v {
            Value::Null => Some(Optional(None)),
            v => T::read(v).map(|t| Optional(Some(t))),
        }
    }
}

#[cfg(test)]
mod tests;
