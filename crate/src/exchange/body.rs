//! A response body's JSON, read once ([`Body::read`]). An Okta error body of only Okta's own
//! members (`errorCode`, `errorSummary`, `errorLink`, `errorId`, `errorCauses`: every storm
//! exchange the live fold sees) is read straight into the [`OktaError`] its finding reads,
//! without building serde_json's `Value` (an order-keeping map, its keys and values allocated
//! and hashed, then copied out and dropped: ~8,000 instructions an exchange, README §
//! Benchmarks, "liveFold, ninth pass"). Any other body, or one of those members in a shape the
//! typed read does not take (a repeated member, a non-string text, a padded code), is read as
//! a `Value`, as before: what the recogniser, the rate-limit signal and the sign-in flow read
//! of a body is the same either way (`typed_read_is_the_value_read`).

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde_json::Value;

use crate::rate_limit::{self, Signal};

/// An Okta error body (`{"errorCode": …}`), as `okta_error` reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct OktaError {
    pub code: String,
    pub summary: Option<String>,
    pub id: Option<String>,
    /// Each `errorCauses` entry's `errorSummary`.
    pub causes: Vec<String>,
}

/// A body's JSON (only bodies that start with `{`).
#[derive(Clone, Debug)]
pub enum Body {
    /// An Okta error body of Okta's members only: what `okta_error::parse` reads of its
    /// `Value`, the recogniser's answer for it.
    Okta(OktaError),
    /// Any other JSON body.
    Json(Value),
}

impl Body {
    /// `text` (trimmed, starting with `{`) read; `None` when it is not JSON.
    pub fn read(text: &str) -> Option<Body> {
        if let Ok(Typed(Some(e))) = serde_json::from_str::<Typed>(text) {
            return Some(Body::Okta(e));
        }
        serde_json::from_str::<Value>(text).ok().map(Body::Json)
    }

    /// The body as serde_json's value, when it was read as one (an Okta error body of Okta's
    /// members only has nothing else to give: no `error`, no IDX messages).
    pub fn value(&self) -> Option<&Value> {
        match self {
            Body::Json(v) => Some(v),
            Body::Okta(_) => None,
        }
    }

    /// What the body says about rate limits: `rate_limit::signal` of its value.
    pub fn signal(&self) -> Option<Signal> {
        match self {
            Body::Okta(e) => (e.code == "E0000047").then_some(Signal::OktaE0000047),
            Body::Json(v) => rate_limit::signal(v),
        }
    }
}

/// The typed read: `Some` for an Okta error body of Okta's members only, each text a string,
/// none twice, a code that is not blank and not padded (`okta_error::parse` trims it, the
/// rate-limit signal does not); anything else fails the read, and the body is read as a value.
struct Typed(Option<OktaError>);

/// Why the typed read gave way (never shown: the body is then read as a value).
const OTHER: &str = "not an Okta error body of Okta's members only";

impl<'de> de::Deserialize<'de> for Typed {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Typed, D::Error> {
        d.deserialize_map(TypedVisitor)
    }
}

struct TypedVisitor;

enum Member {
    Code,
    Summary,
    Link,
    Id,
    Causes,
}

struct MemberSeed;

impl<'de> DeserializeSeed<'de> for MemberSeed {
    type Value = Member;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Member, D::Error> {
        d.deserialize_str(MemberSeed)
    }
}

impl Visitor<'_> for MemberSeed {
    type Value = Member;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(OTHER)
    }
    fn visit_str<E: de::Error>(self, key: &str) -> Result<Member, E> {
        Ok(match key {
            "errorCode" => Member::Code,
            "errorSummary" => Member::Summary,
            "errorLink" => Member::Link,
            "errorId" => Member::Id,
            "errorCauses" => Member::Causes,
            _ => return Err(E::custom(OTHER)),
        })
    }
}

/// Sets `slot` once; a member seen twice fails the read (a value keeps the last one).
fn once<T, E: de::Error>(slot: &mut Option<T>, value: T) -> Result<(), E> {
    match slot.replace(value) {
        None => Ok(()),
        Some(_) => Err(E::custom(OTHER)),
    }
}

impl<'de> Visitor<'de> for TypedVisitor {
    type Value = Typed;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(OTHER)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Typed, A::Error> {
        let (mut code, mut summary, mut id) = (None, None, None);
        let mut causes: Option<Vec<Value>> = None;
        while let Some(member) = map.next_key_seed(MemberSeed)? {
            match member {
                Member::Code => once(&mut code, map.next_value::<String>()?)?,
                Member::Summary => once(&mut summary, map.next_value::<String>()?)?,
                Member::Id => once(&mut id, map.next_value::<String>()?)?,
                Member::Causes => once(&mut causes, map.next_value::<Vec<Value>>()?)?,
                // Read as a value (a number out of range fails both), then left: serde_json's
                // own reader of values, not one more (the service worker's size).
                Member::Link => map.next_value::<Value>().map(|_| ())?,
            }
        }
        let Some(code) = code.filter(|c| !c.is_empty() && c.trim().len() == c.len()) else {
            return Err(de::Error::custom(OTHER));
        };
        let causes = causes.unwrap_or_default();
        let summaries = causes.iter().filter_map(|c| {
            crate::encoding::member(c, "errorSummary")
                .and_then(Value::as_str)
                .map(str::to_string)
        });
        Ok(Typed(Some(OktaError {
            code,
            summary,
            id,
            causes: summaries.collect(),
        })))
    }
}

#[cfg(test)]
mod tests;
