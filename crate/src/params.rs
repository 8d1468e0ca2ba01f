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

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(transparent)]
pub struct Params(Map<String, Value>);

impl Params {
    /// The parameters as one JSON object (what a folded finding's facts are kept as).
    pub fn into_object(self) -> Value {
        Value::Object(self.0)
    }

    /// Parameters from a JSON object (anything else: none).
    pub fn from_object(v: &Value) -> Params {
        Params(v.as_object().cloned().unwrap_or_default())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Sets `name`; `None` (and JSON null) leaves it unset, so readers see "absent".
    pub fn set(&mut self, name: &str, value: impl Into<Value>) {
        match value.into() {
            Value::Null => {}
            v => {
                self.0.insert(name.to_string(), v);
            }
        }
    }

    /// Removes `name`, answering its value.
    pub fn take(&mut self, name: &str) -> Option<Value> {
        self.0.remove(name)
    }

    pub fn value(&self, name: &str) -> Option<&Value> {
        self.0.get(name)
    }

    pub fn int(&self, name: &str) -> Option<i64> {
        self.0.get(name).and_then(Value::as_i64)
    }

    pub fn num(&self, name: &str) -> Option<f64> {
        self.0.get(name).and_then(Value::as_f64)
    }

    pub fn text(&self, name: &str) -> Option<&str> {
        self.0.get(name).and_then(Value::as_str)
    }

    /// `name` as text, or the empty string when it is absent.
    pub fn str(&self, name: &str) -> &str {
        self.text(name).unwrap_or_default()
    }

    pub fn flag(&self, name: &str) -> bool {
        self.0.get(name).and_then(Value::as_bool).unwrap_or(false)
    }

    /// The strings of the list `name` (non-strings skipped; empty when absent).
    pub fn texts(&self, name: &str) -> Vec<&str> {
        self.0
            .get(name)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }

    /// Every string value, for the redactor (`redact::seal`).
    pub fn strings_mut(&mut self) -> impl Iterator<Item = &mut Value> {
        self.0.values_mut()
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
