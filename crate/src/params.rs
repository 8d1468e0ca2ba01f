//! The values a finding's wording needs, kept with the finding as data.
//!
//! Domain modules decide *what* is wrong and record it as a finding with an id, a severity,
//! evidence and these parameters; the explain layer (`explain/`) turns them into the title,
//! detail, fix steps and commands only when a report is shown, printed or exported. The live
//! listener folds findings without building any text, and a stored finding can be worded later
//! by any version that knows its id.
//!
//! Parameters are named JSON values (numbers, strings, lists of strings, booleans), written
//! and read as one JSON object through the same serde code as the rest of the Report; the
//! wording reads them by name with the accessors below. Kept typed ([`Param`]: a flag, a
//! number, a string, or a boxed JSON value for lists and objects), not as `serde_json::Value`s:
//! a rate-limit usage finding records ~25 of them on every live fold, and a typed value is
//! 32 bytes where a `Value` (an order-keeping map's size) is 72 — README § Benchmarks,
//! "liveFold, sixth pass".

use std::borrow::Cow;

use serde::{
    de::{MapAccess, Visitor},
    ser::SerializeMap,
    Deserialize, Deserializer, Serialize, Serializer,
};
use serde_json::Value;

/// The parameter of a finding that stands for a group seen more than once (a session's
/// digest): its title counts the repeats when worded.
pub const REPEATS: &str = "repeats";

/// One parameter's value, as the JSON value it is written as: numbers keep serde_json's
/// distinctions (a whole number that fits `i64`, one past it, a float), so a value reads,
/// compares and writes as the `Value` it was set from did.
#[derive(Clone, Debug)]
pub enum Param {
    Flag(bool),
    Int(i64),
    /// A whole number past `i64::MAX`.
    Big(u64),
    Float(f64),
    Text(String),
    /// One of the core's own words ([`Word`]): not copied, and nothing for the seal to read.
    Word(&'static str),
    /// A list, an object (or a `null` read back from a stored finding).
    Json(Box<Value>),
}

/// A text parameter that is one of the core's own words, compiled in (a signal's name, the
/// moment, a bucket's catalogue name, `listing`): kept borrowed, and skipped by the seal, which
/// looks for what an exchange brought in. It reads, compares and writes as the same text.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Word(pub &'static str);

/// What [`Params::set`] takes: anything that becomes a JSON value, or a [`Word`].
pub trait IntoParam {
    /// `None` leaves the parameter unset.
    fn into_param(self) -> Option<Param>;
}

impl<T: Into<Value>> IntoParam for T {
    fn into_param(self) -> Option<Param> {
        Param::of(self.into())
    }
}

impl IntoParam for Word {
    fn into_param(self) -> Option<Param> {
        Some(Param::Word(self.0))
    }
}

impl PartialEq for Param {
    fn eq(&self, other: &Param) -> bool {
        match (self, other) {
            (Param::Flag(a), Param::Flag(b)) => a == b,
            (Param::Int(a), Param::Int(b)) => a == b,
            (Param::Big(a), Param::Big(b)) => a == b,
            (Param::Float(a), Param::Float(b)) => a == b,
            (Param::Json(a), Param::Json(b)) => a == b,
            // A word and a text read back from a stored finding are the same text.
            (a, b) => matches!((a.as_str(), b.as_str()), (Some(a), Some(b)) if a == b),
        }
    }
}

impl Param {
    /// `None` for JSON null (an unset parameter). One copy, not one per type set from.
    #[inline(never)]
    fn of(value: Value) -> Option<Param> {
        Some(match value {
            Value::Null => return None,
            Value::Bool(b) => Param::Flag(b),
            Value::String(s) => Param::Text(s),
            // Without serde_json's arbitrary_precision a number is one of the three.
            Value::Number(n) => match (n.as_i64(), n.as_u64()) {
                (Some(i), _) => Param::Int(i),
                (None, Some(u)) => Param::Big(u),
                (None, None) => Param::Float(n.as_f64().unwrap_or_default()),
            },
            other => Param::Json(Box::new(other)),
        })
    }

    /// A stored value as it was read, `null` included.
    fn read(value: Value) -> Param {
        Param::of(value).unwrap_or_else(|| Param::Json(Box::new(Value::Null)))
    }

    fn into_value(self) -> Value {
        match self {
            Param::Flag(b) => Value::Bool(b),
            Param::Int(i) => Value::from(i),
            Param::Big(u) => Value::from(u),
            Param::Float(f) => Value::from(f),
            Param::Text(s) => Value::String(s),
            Param::Word(w) => Value::String(w.to_string()),
            Param::Json(v) => *v,
        }
    }

    fn as_str(&self) -> Option<&str> {
        match self {
            Param::Text(s) => Some(s),
            Param::Word(w) => Some(w),
            _ => None,
        }
    }

    fn as_i64(&self) -> Option<i64> {
        match self {
            Param::Int(i) => Some(*i),
            _ => None,
        }
    }

    fn as_u64(&self) -> Option<u64> {
        match self {
            Param::Int(i) => u64::try_from(*i).ok(),
            Param::Big(u) => Some(*u),
            _ => None,
        }
    }

    fn as_f64(&self) -> Option<f64> {
        match self {
            Param::Int(i) => Some(*i as f64),
            Param::Big(u) => Some(*u as f64),
            Param::Float(f) => Some(*f),
            _ => None,
        }
    }
}

impl Serialize for Param {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Param::Flag(b) => serializer.serialize_bool(*b),
            Param::Int(i) => serializer.serialize_i64(*i),
            Param::Big(u) => serializer.serialize_u64(*u),
            Param::Float(f) => serializer.serialize_f64(*f),
            Param::Text(s) => serializer.serialize_str(s),
            Param::Word(w) => serializer.serialize_str(w),
            Param::Json(v) => v.serialize(serializer),
        }
    }
}

/// Named values, in the order they were set. A short list with the names the core writes as
/// `&'static str` (no hashing, no allocated keys: every analysed exchange builds a few and the
/// live fold copies them); written and read as one JSON object.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Params(Vec<(Cow<'static, str>, Param)>);

impl Params {
    /// The parameters as one JSON object (what a folded finding's facts are kept as).
    pub fn into_object(self) -> Value {
        Value::Object(
            self.0
                .into_iter()
                .map(|(k, v)| (k.into_owned(), v.into_value()))
                .collect(),
        )
    }

    /// Parameters from a JSON object (anything else: none).
    pub fn from_object(v: &Value) -> Params {
        let entries = v.as_object().into_iter().flatten();
        Params(
            entries
                .map(|(k, v)| (Cow::Owned(k.clone()), Param::read(v.clone())))
                .collect(),
        )
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Sets `name`; `None` (and JSON null) leaves it unset, so readers see "absent".
    pub fn set(&mut self, name: &'static str, value: impl IntoParam) {
        self.put(name, value.into_param());
    }

    /// [`Params::set`]'s work, one copy for every type a value is set from (the wasm modules'
    /// size: README § Benchmarks, "liveFold, sixth pass").
    #[inline(never)]
    fn put(&mut self, name: &'static str, value: Option<Param>) {
        let Some(value) = value else {
            return;
        };
        match self.0.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = value,
            None => {
                // Most findings carry a handful of values (a usage finding ~15): one allocation
                // for the first eight instead of growing 0 → 4 → 8.
                if self.0.capacity() == 0 {
                    self.0.reserve_exact(8);
                }
                self.0.push((Cow::Borrowed(name), value))
            }
        }
    }

    /// Removes `name`, answering its value.
    pub fn take(&mut self, name: &str) -> Option<Value> {
        let at = self.0.iter().position(|(n, _)| n == name)?;
        Some(self.0.remove(at).1.into_value())
    }

    fn get(&self, name: &str) -> Option<&Param> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    pub fn int(&self, name: &str) -> Option<i64> {
        self.get(name).and_then(Param::as_i64)
    }

    /// A whole number that may be past `i64` (one recorded from a header).
    pub fn uint(&self, name: &str) -> Option<u64> {
        self.get(name).and_then(Param::as_u64)
    }

    pub fn num(&self, name: &str) -> Option<f64> {
        self.get(name).and_then(Param::as_f64)
    }

    pub fn text(&self, name: &str) -> Option<&str> {
        self.get(name)?.as_str()
    }

    /// `name` as text, or the empty string when it is absent.
    pub fn str(&self, name: &str) -> &str {
        self.text(name).unwrap_or_default()
    }

    /// `name` as a flag: `None` when it is absent or not a flag.
    pub fn bool(&self, name: &str) -> Option<bool> {
        match self.get(name)? {
            Param::Flag(b) => Some(*b),
            _ => None,
        }
    }

    pub fn flag(&self, name: &str) -> bool {
        self.bool(name).unwrap_or(false)
    }

    /// The list `name` (none when absent or not a list).
    pub fn list(&self, name: &str) -> Option<&Vec<Value>> {
        match self.get(name)? {
            Param::Json(v) => v.as_array(),
            _ => None,
        }
    }

    /// The strings of the list `name` (non-strings skipped; empty when absent).
    pub fn texts(&self, name: &str) -> Vec<&str> {
        self.list(name)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }

    /// Every string value, those in lists and objects too: for the redactor (`redact::seal`).
    pub fn each_string(&mut self, f: &mut dyn FnMut(&mut String)) {
        for (_, v) in &mut self.0 {
            match v {
                Param::Text(s) => f(s),
                Param::Json(v) => crate::report::each_string_in(v, f),
                _ => {}
            }
        }
    }
}

impl Serialize for Params {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, value) in &self.0 {
            map.serialize_entry(name.as_ref(), value)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Params {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries;
        impl<'de> Visitor<'de> for Entries {
            type Value = Params;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of parameters")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Params, A::Error> {
                let mut out = Vec::new();
                while let Some((name, value)) = map.next_entry::<String, Value>()? {
                    let value = Param::read(value);
                    // A stored finding's later key wins, as in a JSON object.
                    match out
                        .iter_mut()
                        .find(|(n, _): &&mut (Cow<'static, str>, Param)| n == &name)
                    {
                        Some(slot) => slot.1 = value,
                        None => out.push((Cow::Owned(name), value)),
                    }
                }
                Ok(Params(out))
            }
        }
        deserializer.deserialize_map(Entries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_was_set_and_nothing_else() {
        let mut p = Params::default();
        assert!(p.is_empty());
        p.set("exp", 1_750_000_000i64);
        p.set("iss", "https://dev-1.okta.com");
        p.set("scopes", vec!["openid", "email"]);
        p.set("dpop", true);
        p.set("missing", Option::<String>::None);
        assert_eq!(p.int("exp"), Some(1_750_000_000));
        assert_eq!(p.num("exp"), Some(1_750_000_000.0));
        assert_eq!(p.text("iss"), Some("https://dev-1.okta.com"));
        assert_eq!(p.texts("scopes"), vec!["openid", "email"]);
        assert!(p.flag("dpop"));
        assert!(p.num("missing").is_none() && p.bool("missing").is_none());
        assert_eq!(p.str("absent"), "");
        assert!(!p.flag("absent"));
        assert_eq!(p.int("iss"), None);
    }

    #[test]
    fn round_trips_as_a_json_object() {
        let mut p = Params::default();
        p.set("status", 429u16);
        p.set("bucket", "/api/v1/users");
        let json = serde_json::to_string(&p).unwrap_or_default();
        assert_eq!(json, r#"{"status":429,"bucket":"/api/v1/users"}"#);
        let back: Params = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(back, p);
    }

    /// Typed values write and compare as the `Value`s they were set from: a whole number past
    /// `i64`, a float, a list; a stored `null` reads back and writes again.
    #[test]
    fn typed_values_keep_serde_json_numbers_and_stored_nulls() {
        let mut p = Params::default();
        p.set("big", u64::MAX);
        p.set("neg", -3i64);
        p.set("float", 1.5f64);
        p.set("whole", 2.0f64);
        p.set("nan", f64::NAN);
        p.set("list", vec!["a", "b"]);
        assert_eq!(p.uint("big"), Some(u64::MAX));
        assert_eq!((p.int("big"), p.uint("neg")), (None, None));
        assert_eq!((p.int("float"), p.num("float")), (None, Some(1.5)));
        assert_eq!(p.num("nan"), None);
        let json = serde_json::to_string(&p).unwrap_or_default();
        let want =
            r#"{"big":18446744073709551615,"neg":-3,"float":1.5,"whole":2.0,"list":["a","b"]}"#;
        assert_eq!(json, want);
        let back: Params = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(back, p);
        assert_eq!(
            serde_json::to_string(&back.into_object()).unwrap_or_default(),
            want
        );
        let stored = serde_json::json!({"gone": null, "n": 4});
        let read = Params::from_object(&stored);
        assert_eq!(read.int("n"), Some(4));
        assert_eq!(serde_json::to_value(&read).ok(), Some(stored));
    }
}
