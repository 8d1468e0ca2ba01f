//! The values a finding's wording needs, kept with the finding as data.
//!
//! Domain modules decide *what* is wrong and record it as a finding with an id, a severity,
//! evidence and these parameters; the explain layer (`explain/`) turns them into the title,
//! detail, fix steps and commands only when a report is shown, printed or exported. The live
//! listener folds findings without building any text, and a stored finding can be worded later
//! by any version that knows its id.
//!
//! Parameters are named JSON values (numbers, strings, lists of strings, booleans), so a
//! finding stores and restores through the same serde code as the rest of the Report, and the
//! wording reads them by name with the accessors below.

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

/// Named values, in the order they were set. A short list with the names the core writes as
/// `&'static str` (no hashing, no allocated keys: every analysed exchange builds a few and the
/// live fold copies them); written and read as one JSON object.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Params(Vec<(Cow<'static, str>, Value)>);

impl Params {
    /// The parameters as one JSON object (what a folded finding's facts are kept as).
    pub fn into_object(self) -> Value {
        Value::Object(
            self.0
                .into_iter()
                .map(|(k, v)| (k.into_owned(), v))
                .collect(),
        )
    }

    /// Parameters from a JSON object (anything else: none).
    pub fn from_object(v: &Value) -> Params {
        let entries = v.as_object().into_iter().flatten();
        Params(
            entries
                .map(|(k, v)| (Cow::Owned(k.clone()), v.clone()))
                .collect(),
        )
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Sets `name`; `None` (and JSON null) leaves it unset, so readers see "absent".
    pub fn set(&mut self, name: &'static str, value: impl Into<Value>) {
        let value = value.into();
        if value.is_null() {
            return;
        }
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
        Some(self.0.remove(at).1)
    }

    pub fn value(&self, name: &str) -> Option<&Value> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    pub fn int(&self, name: &str) -> Option<i64> {
        self.value(name).and_then(Value::as_i64)
    }

    pub fn num(&self, name: &str) -> Option<f64> {
        self.value(name).and_then(Value::as_f64)
    }

    pub fn text(&self, name: &str) -> Option<&str> {
        self.value(name).and_then(Value::as_str)
    }

    /// `name` as text, or the empty string when it is absent.
    pub fn str(&self, name: &str) -> &str {
        self.text(name).unwrap_or_default()
    }

    pub fn flag(&self, name: &str) -> bool {
        self.value(name).and_then(Value::as_bool).unwrap_or(false)
    }

    /// The strings of the list `name` (non-strings skipped; empty when absent).
    pub fn texts(&self, name: &str) -> Vec<&str> {
        self.value(name)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }

    /// Every value, for the redactor (`redact::seal`).
    pub fn strings_mut(&mut self) -> impl Iterator<Item = &mut Value> {
        self.0.iter_mut().map(|(_, v)| v)
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
                    // A stored finding's later key wins, as in a JSON object.
                    match out
                        .iter_mut()
                        .find(|(n, _): &&mut (Cow<'static, str>, Value)| n == &name)
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
        assert!(p.value("missing").is_none());
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
}
