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
//! 32 bytes where a `Value` (an order-keeping map's size) is 72 — docs/performance-log.md,
//! "liveFold, sixth pass".

use serde::{
    de::{MapAccess, Visitor},
    ser::SerializeMap,
    Deserialize, Deserializer, Serialize, Serializer,
};
use serde_json::{Map, Value};

use crate::report::Severity;

/// The parameter under which a finding keeps the facts of the findings folded into it
/// (`cause::fold`): [`Param::Facts`].
pub const FOLDED: &str = "folded";

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
    /// A text, boxed (16 bytes, not a `String`'s 24: docs/performance-log.md, "liveFold, ninth
    /// pass").
    Text(Box<str>),
    /// One of the core's own words ([`Word`]): not copied, and nothing for the seal to read.
    Word(&'static str),
    /// A list, an object (or a `null` read back from a stored finding).
    Json(Box<Value>),
    /// The facts of the findings folded into this one ([`FOLDED`]), typed: written as the list
    /// of `{id, severity, params}` objects they were kept as, without building that JSON on
    /// every fold, comparing it by hashing, or walking it in the seal (docs/performance-log.md,
    /// "liveFold, seventh pass"). Boxed, as a text is.
    Facts(Box<[Fact]>),
}

/// A finding folded into another (`cause::fold`), not yet worded: its id, severity and
/// parameters (its own [`FOLDED`] facts taken out: the survivor keeps them flat).
#[derive(Clone, Debug)]
pub struct Fact {
    pub id: String,
    pub severity: Severity,
    pub params: Params,
}

impl PartialEq for Fact {
    fn eq(&self, other: &Fact) -> bool {
        same(&self.id, &other.id) && self.severity == other.severity && self.params == other.params
    }
}

impl Fact {
    /// Facts read back from a stored list, when it is exactly what [`Param::Facts`] writes
    /// (each `{id, severity, params}`, in that order); anything else stays a JSON value, so
    /// it writes again as it was read.
    fn read_all(v: &Value) -> Option<Vec<Fact>> {
        v.as_array()?.iter().map(Fact::read).collect()
    }

    fn read(v: &Value) -> Option<Fact> {
        let mut fields = v.as_object()?.iter();
        let (Some(("id", id)), Some(("severity", sev)), Some(("params", params)), None) = (
            fields.next().map(|(k, v)| (k.as_str(), v)),
            fields.next().map(|(k, v)| (k.as_str(), v)),
            fields.next().map(|(k, v)| (k.as_str(), v)),
            fields.next(),
        ) else {
            return None;
        };
        let severity = match sev.as_str()? {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            "info" => Severity::Info,
            "ok" => Severity::Ok,
            _ => return None,
        };
        Some(Fact {
            id: id.as_str()?.to_string(),
            severity,
            params: params.is_object().then(|| Params::from_object(params))?,
        })
    }

    fn into_value(self) -> Value {
        let mut fact = Map::new();
        fact.insert("id".into(), Value::String(self.id));
        fact.insert(
            "severity".into(),
            Value::String(severity_name(self.severity).into()),
        );
        fact.insert("params".into(), self.params.into_object());
        Value::Object(fact)
    }
}

/// A severity's name as the Report writes it.
pub fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::Ok => "ok",
        Severity::Info => "info",
        Severity::Warning => "warning",
        Severity::Error => "error",
    }
}

impl Serialize for Fact {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("id", &self.id)?;
        map.serialize_entry("severity", severity_name(self.severity))?;
        map.serialize_entry("params", &self.params)?;
        map.end()
    }
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
            (Param::Facts(a), Param::Facts(b)) => a == b,
            // A word and a text read back from a stored finding are the same text.
            (a, b) => matches!((a.as_str(), b.as_str()), (Some(a), Some(b)) if same(a, b)),
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
            Value::String(s) => Param::Text(s.into_boxed_str()),
            // Without serde_json's arbitrary_precision a number is one of the three.
            Value::Number(n) => match (n.as_i64(), n.as_u64()) {
                (Some(i), _) => Param::Int(i),
                (None, Some(u)) => Param::Big(u),
                (None, None) => Param::Float(n.as_f64().unwrap_or_default()),
            },
            other => Param::Json(Box::new(other)),
        })
    }

    /// A stored value as it was read, `null` included; [`FOLDED`] facts typed when they are
    /// what [`Param::Facts`] writes.
    fn read(name: &str, value: Value) -> Param {
        if name == FOLDED {
            if let Some(facts) = Fact::read_all(&value) {
                return Param::Facts(facts.into_boxed_slice());
            }
        }
        Param::of(value).unwrap_or_else(|| Param::Json(Box::new(Value::Null)))
    }

    fn into_value(self) -> Value {
        match self {
            Param::Flag(b) => Value::Bool(b),
            Param::Int(i) => Value::from(i),
            Param::Big(u) => Value::from(u),
            Param::Float(f) => Value::from(f),
            Param::Text(s) => Value::String(s.into_string()),
            Param::Word(w) => Value::String(w.to_string()),
            Param::Json(v) => *v,
            Param::Facts(facts) => {
                Value::Array(facts.into_vec().into_iter().map(Fact::into_value).collect())
            }
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
            Param::Facts(facts) => facts.serialize(serializer),
        }
    }
}

/// Named values, in the order they were set. A short list with the names the core writes as
/// `&'static str` (no hashing, no allocated keys: every analysed exchange builds a few and the
/// live fold copies them); written and read as one JSON object. The second field has the
/// [`mark`] of every name set (and may keep one taken out): a name whose mark is not there is
/// not set, so [`Params::put`] adds it without looking at the others (a usage finding's ~20
/// names, each looked for among those before: docs/performance-log.md, "liveFold, ninth pass").
#[derive(Clone, Debug, Default)]
pub struct Params(Vec<(Name, Param)>, u64);

/// One of 64 bits for a name, from its length and its first and last bytes: the same name,
/// the same bit.
#[inline]
fn mark(name: &str) -> u64 {
    let b = name.as_bytes();
    let (first, last) = (b.first().copied(), b.last().copied());
    let h = b.len() ^ (usize::from(first.unwrap_or(0)) * 7) ^ (usize::from(last.unwrap_or(0)) * 13);
    1u64 << (h % 64)
}

impl Params {
    /// `entries` (names unique) with their marks.
    fn of(entries: Vec<(Name, Param)>) -> Params {
        let marks = entries.iter().fold(0, |m, (n, _)| m | mark(n.as_str()));
        Params(entries, marks)
    }
}

/// Equal when the values are, in order: the marks only speed up [`Params::put`].
impl PartialEq for Params {
    fn eq(&self, other: &Params) -> bool {
        self.0 == other.0
    }
}

/// A parameter's name: one of the core's (`&'static str`), or one read back from a stored
/// finding, boxed twice so that a name is 16 bytes and a parameter 40, not a `Cow`'s 24 and
/// 56: a usage finding's ~20 values then fit one block of glibc's thread cache (≤ 1,032
/// bytes), sized once (docs/performance-log.md, "liveFold, ninth pass").
#[derive(Clone, Debug)]
enum Name {
    Core(&'static str),
    Read(Box<Box<str>>),
}

impl Name {
    #[inline]
    fn as_str(&self) -> &str {
        match self {
            Name::Core(n) => n,
            Name::Read(n) => n,
        }
    }
}

impl PartialEq for Name {
    #[inline]
    fn eq(&self, other: &Name) -> bool {
        same(self.as_str(), other.as_str())
    }
}

impl PartialEq<str> for Name {
    #[inline]
    fn eq(&self, other: &str) -> bool {
        same(self.as_str(), other)
    }
}

impl Params {
    /// The parameters as one JSON object (what a folded finding's facts are kept as).
    pub fn into_object(self) -> Value {
        Value::Object(
            self.0
                .into_iter()
                .map(|(k, v)| (k.as_str().to_string(), v.into_value()))
                .collect(),
        )
    }

    /// Parameters from a JSON object (anything else: none).
    pub fn from_object(v: &Value) -> Params {
        let entries = v.as_object().into_iter().flatten();
        Params::of(
            entries
                .map(|(k, v)| {
                    (
                        Name::Read(Box::new(k.as_str().into())),
                        Param::read(k, v.clone()),
                    )
                })
                .collect(),
        )
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Room for `n` more values, allocated once (a usage finding's ~20: `rate_limit::facts`).
    pub fn reserve(&mut self, n: usize) {
        self.0.reserve_exact(n);
    }

    /// Sets `name`; `None` (and JSON null) leaves it unset, so readers see "absent".
    pub fn set(&mut self, name: &'static str, value: impl IntoParam) {
        self.put(name, value.into_param());
    }

    /// Sets `name` to `facts` (what `cause::fold` keeps of the findings it folded).
    pub fn set_facts(&mut self, name: &'static str, facts: Vec<Fact>) {
        self.put(name, Some(Param::Facts(facts.into_boxed_slice())));
    }

    /// [`Params::set`]'s work, one copy for every type a value is set from (the wasm modules'
    /// size: docs/performance-log.md, "liveFold, sixth pass").
    #[inline(never)]
    fn put(&mut self, name: &'static str, value: Option<Param>) {
        let Some(value) = value else {
            return;
        };
        let m = mark(name);
        let set = match self.1 & m {
            0 => None,
            _ => self.0.iter_mut().find(|(n, _)| *n == *name),
        };
        match set {
            Some(slot) => slot.1 = value,
            None => {
                // Most findings carry a handful of values (a usage finding ~15): one allocation
                // for the first eight instead of growing 0 → 4 → 8.
                if self.0.capacity() == 0 {
                    self.0.reserve_exact(8);
                }
                self.1 |= m;
                self.0.push((Name::Core(name), value))
            }
        }
    }

    /// The facts under `name` (none when absent or not typed facts).
    pub fn facts(&self, name: &str) -> &[Fact] {
        match self.get(name) {
            Some(Param::Facts(facts)) => facts,
            _ => &[],
        }
    }

    /// Removes the facts under `name`, answering them (none when absent or not typed facts).
    pub fn take_facts(&mut self, name: &str) -> Vec<Fact> {
        match self
            .0
            .iter()
            .position(|(n, v)| *n == *name && matches!(v, Param::Facts(_)))
        {
            Some(at) => match self.0.remove(at).1 {
                Param::Facts(facts) => facts.into_vec(),
                _ => Vec::new(),
            },
            None => Vec::new(),
        }
    }

    /// The raw JSON value under `name`, when it is one (a stored list kept as read).
    pub fn json(&self, name: &str) -> Option<&Value> {
        match self.get(name)? {
            Param::Json(v) => Some(v),
            _ => None,
        }
    }

    fn get(&self, name: &str) -> Option<&Param> {
        if self.1 & mark(name) == 0 {
            return None;
        }
        self.0.iter().find(|(n, _)| *n == *name).map(|(_, v)| v)
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
                // Handed over as the `String` it was (no copy), boxed again after: a new
                // allocation only when the redactor changed it.
                Param::Text(s) => {
                    let mut text = String::from(std::mem::take(s));
                    f(&mut text);
                    *s = text.into_boxed_str();
                }
                Param::Json(v) => crate::report::each_string_in(v, f),
                // The severity is the core's word; the id and the parameters are read as
                // they were when the facts were a JSON value.
                Param::Facts(facts) => facts.iter_mut().for_each(|fact| {
                    f(&mut fact.id);
                    fact.params.each_string(f);
                }),
                _ => {}
            }
        }
    }
}

impl Serialize for Params {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, value) in &self.0 {
            map.serialize_entry(name.as_str(), value)?;
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
                    let value = Param::read(&name, value);
                    // A stored finding's later key wins, as in a JSON object.
                    match out
                        .iter_mut()
                        .find(|(n, _): &&mut (Name, Param)| *n == *name)
                    {
                        Some(slot) => slot.1 = value,
                        None => out.push((Name::Read(Box::new(name.into_boxed_str())), value)),
                    }
                }
                Ok(Params::of(out))
            }
        }
        deserializer.deserialize_map(Entries)
    }
}

mod into;
#[cfg(test)]
mod tests;
mod text;
/// `a == b` read a word at a time, a core literal by where it is (params/text.rs): how names,
/// texts, and a repeated finding's strings are compared.
pub(crate) use text::same;
