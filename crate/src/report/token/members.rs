//! A JWT's decoded header or claims: the members of one JSON object, in the order the token
//! holds them, as a flat list. It replaces a `serde_json::Map` (an `IndexMap` SipHashing every
//! name into an index table: a third of a pasted token's decoding, docs/performance-log.md,
//! "analyzeText, eighth pass") — a token's dozen members are found by a scan, and a member is
//! reached by its place ([`Members::at`]). Written and read as a `Map` is: the same JSON bytes,
//! and a name that occurs twice keeps its first place and its last value (`IndexMap::insert`).

use serde::{ser::SerializeMap, Serialize, Serializer};
use std::borrow::Cow;

use serde_json::{Map, Value};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Members {
    /// A known name is kept as [`KNOWN`]'s text (no allocation for it), any other owned.
    list: Vec<(Cow<'static, str>, Value)>,
    /// Where each of the [`KNOWN`] names is, found as the members were added: its place + 1,
    /// `0` when absent, [`FAR`] when past that many (then scanned for). The analysis looks
    /// these names up about forty times a token, and a scan was ~150 instructions each.
    known: [u8; KNOWN.len()],
}

/// The names the analysis looks up (claims, then header parameters).
pub(crate) const KNOWN: [&str; 18] = [
    "iss",
    "aud",
    "cid",
    "uid",
    "sub",
    "scp",
    "exp",
    "iat",
    "nbf",
    "jti",
    "ver",
    "idp",
    "amr",
    "cnf",
    "scope",
    "auth_time",
    "alg",
    "kid",
];

/// A known name's place past 253: scanned for.
const FAR: u8 = u8::MAX;

/// A name the analysis looks up, by its place in [`KNOWN`] ([`name`]): found by its slot,
/// with no comparison of names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Name(usize);

/// The [`KNOWN`] names, for [`Members::known`].
pub mod name {
    use super::Name;
    pub const ISS: Name = Name(0);
    pub const AUD: Name = Name(1);
    pub const CID: Name = Name(2);
    pub const UID: Name = Name(3);
    pub const SUB: Name = Name(4);
    pub const SCP: Name = Name(5);
    pub const EXP: Name = Name(6);
    pub const IAT: Name = Name(7);
    pub const NBF: Name = Name(8);
    pub const JTI: Name = Name(9);
    pub const VER: Name = Name(10);
    pub const IDP: Name = Name(11);
    pub const AMR: Name = Name(12);
    pub const CNF: Name = Name(13);
    pub const SCOPE: Name = Name(14);
    pub const AUTH_TIME: Name = Name(15);
    pub const ALG: Name = Name(16);
    pub const KID: Name = Name(17);
}

/// The index of `name` in [`KNOWN`]: a three-letter name compared as one word with the
/// packed ones (a `match` on the names was 800 bytes of wasm).
fn known(name: &str) -> Option<usize> {
    match *name.as_bytes() {
        [a, b, c] => {
            let word = u32::from_le_bytes([a, b, c, 0]);
            PACKED.iter().position(|k| *k == word)
        }
        _ => KNOWN
            .iter()
            .position(|k| k.len() > 3 && k.as_bytes() == name.as_bytes()),
    }
}

/// [`KNOWN`]'s three-letter names packed as [`known`] packs one (`u32::MAX`, which no packed
/// name is, for the longer ones). Indexing here is evaluated when compiling: out of bounds
/// would fail the build, never a run.
#[allow(clippy::indexing_slicing)]
const PACKED: [u32; KNOWN.len()] = {
    let mut packed = [u32::MAX; KNOWN.len()];
    let mut i = 0;
    while i < KNOWN.len() {
        if let [a, b, c] = *KNOWN[i].as_bytes() {
            packed[i] = u32::from_le_bytes([a, b, c, 0]);
        }
        i += 1;
    }
    packed
};

impl Members {
    pub(super) fn with_capacity(n: usize) -> Self {
        Members {
            list: Vec::with_capacity(n),
            known: [0; KNOWN.len()],
        }
    }

    /// The value under `name` (the first byte compared before the whole name: most differ there).
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.place(name).and_then(|i| self.at(i)).map(|(_, v)| v)
    }

    /// Where `name` is in the list.
    pub fn place(&self, name: &str) -> Option<usize> {
        match known(name) {
            Some(k) => self.slot(Name(k)),
            None => self.scan(name),
        }
    }

    /// The value under a known name: read from its slot.
    pub fn known(&self, name: Name) -> Option<&Value> {
        self.slot(name).and_then(|i| self.at(i)).map(|(_, v)| v)
    }

    /// Where a known name is: its slot, or a scan when it is past the slots' reach.
    fn slot(&self, name: Name) -> Option<usize> {
        match self.known.get(name.0) {
            Some(0) => None,
            Some(&FAR) | None => KNOWN.get(name.0).and_then(|n| self.scan(n)),
            Some(&at) => Some(usize::from(at) - 1),
        }
    }

    /// [`Members::place`] by comparing names (the first byte before the whole name: most
    /// names differ there).
    fn scan(&self, name: &str) -> Option<usize> {
        let first = name.as_bytes().first();
        self.list
            .iter()
            .position(|(k, _)| k.len() == name.len() && k.as_bytes().first() == first && k == name)
    }

    /// Adds a member whose name is not in the list yet.
    fn push(&mut self, name: String, value: Value) {
        let k = known(&name);
        self.push_known(k, Cow::Owned(name), value);
    }

    /// Adds a member whose name (known as `k`) is not in the list yet: a known name as
    /// [`KNOWN`]'s text.
    fn push_known(&mut self, k: Option<usize>, name: Cow<'static, str>, value: Value) {
        if cfg!(target_arch = "wasm32") {
            // Pushed as `null`, then filled: the member's 48-byte value is moved once, from the
            // caller into its place. Pushed whole, it was moved to a tuple on the stack first,
            // held across the vector's growth: two `memory.copy` a member, each a call out of
            // the wasm code in V8 (docs/performance-log.md, "analyzeText, twelfth pass";
            // natively the whole push is the cheaper, its copies inline). The contract tier
            // reads every golden token through the wasm build.
            if let Some(slot) = self.push_null(k, name) {
                *slot = value;
            }
        } else {
            let name = self.noted(k, name);
            self.list.push((name, value));
        }
    }

    /// Adds a member whose name (known as `k`) is not in the list yet, holding `null`: its
    /// value's place, for the scan to read the value into.
    fn push_null(&mut self, k: Option<usize>, name: Cow<'static, str>) -> Option<&mut Value> {
        let name = self.noted(k, name);
        self.list.push((name, Value::Null));
        self.list.last_mut().map(|(_, v)| v)
    }

    /// A new member's name, its place noted when it is known (`k`): then [`KNOWN`]'s text.
    fn noted(&mut self, k: Option<usize>, name: Cow<'static, str>) -> Cow<'static, str> {
        match k.and_then(|k| Some((self.known.get_mut(k)?, KNOWN.get(k)?))) {
            Some((slot, text)) => {
                *slot = u8::try_from(self.list.len() + 1).unwrap_or(FAR);
                Cow::Borrowed(*text)
            }
            None => name,
        }
    }

    /// The member at place `i`.
    pub fn at(&self, i: usize) -> Option<(&str, &Value)> {
        self.list.get(i).map(|(k, v)| (&**k, v))
    }

    /// Which of the first 64 places hold one of the [`KNOWN`] names (bit `i` for place `i`):
    /// the seal knows none of them is a secret's name.
    pub(crate) fn known_places(&self) -> u64 {
        self.known
            .iter()
            .filter(|&&at| at != 0 && at != FAR)
            .map(|&at| usize::from(at) - 1)
            .filter(|&i| i < 64)
            .fold(0, |bits, i| bits | 1 << i)
    }

    pub fn contains_key(&self, name: &str) -> bool {
        self.place(name).is_some()
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.list.iter().map(|(k, v)| (&**k, v))
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&str, &mut Value)> {
        self.list.iter_mut().map(|(k, v)| (&**k, v))
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.list.iter().map(|(k, _)| &**k)
    }

    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut Value> {
        self.list.iter_mut().map(|(_, v)| v)
    }

    /// Where [`Members::insert`] of a name read as text puts its value (`report::token::scan`,
    /// which reads the value straight into it): the name's place when present, else a new
    /// member holding `null` (the name copied only then). Found once.
    pub(super) fn value_of(&mut self, name: &str) -> Option<&mut Value> {
        let k = known(name);
        let at = match k {
            Some(k) => self.slot(Name(k)),
            None => self.scan(name),
        };
        match at {
            Some(at) => self.list.get_mut(at).map(|(_, v)| v),
            None if k.is_some() => self.push_null(k, Cow::Borrowed("")),
            None => self.push_null(None, Cow::Owned(name.to_owned())),
        }
    }

    /// `Map::insert`: a name already present keeps its place and takes the new value.
    pub fn insert(&mut self, name: String, value: Value) {
        match self.place(&name).and_then(|i| self.list.get_mut(i)) {
            Some((_, v)) => *v = value,
            None => self.push(name, value),
        }
    }
}

impl From<Map<String, Value>> for Members {
    fn from(map: Map<String, Value>) -> Self {
        let mut members = Members::with_capacity(map.len());
        for (name, value) in map {
            members.push(name, value);
        }
        members
    }
}

impl<'a> IntoIterator for &'a Members {
    type Item = (&'a str, &'a Value);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (Cow<'static, str>, Value)>,
        fn(&'a (Cow<'static, str>, Value)) -> (&'a str, &'a Value),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.list.iter().map(|(k, v)| (&**k, v))
    }
}

/// Written as `Map` writes itself: one JSON object, members in order.
impl Serialize for Members {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.list.len()))?;
        for (k, v) in &self.list {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte scan's reading; what it leaves is `Err`.
    fn read(text: &str) -> Result<Members, String> {
        super::super::scanned_members(text).ok_or_else(|| "left to serde_json".to_string())
    }

    /// What a payload read as a `Value` holds, as members, or its error.
    fn as_map(text: &str) -> Result<Members, String> {
        match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(m)) => Ok(m.into()),
            Ok(other) => Err(format!("not an object: {other}")),
            Err(e) => Err(e.to_string()),
        }
    }

    /// Repeated names, order, nesting: the members the scan reads (and the bytes written back)
    /// are the `Map`'s. A broken object, an escape, a float or an object past the scan is left
    /// to serde_json (`jwt::decode` reads it as a `Value`;
    /// `jwt::tests::scanned_members_are_the_value_reading`).
    #[test]
    fn reads_and_writes_as_a_map_does() {
        let many: String = (0..80)
            .map(|i| format!("\"k{}\":{i}", i % 50))
            .collect::<Vec<_>>()
            .join(",");
        let texts = [
            r#"{"b":1,"a":2,"b":3}"#.to_string(),
            r#"{"a":{"x":1,"x":2},"a":[1,{"y":null}],"c":"\u00e9\n"}"#.to_string(),
            format!("{{{many}}}"),
            format!("{{{many},\"k3\":\"last\"}}"),
            " \t{ } ".to_string(),
            r#"{"a":1,}"#.to_string(),
            r#"{"a":1} x"#.to_string(),
            r#"{"a" 1}"#.to_string(),
            r#"{"a":1"#.to_string(),
            r#"{"a":1e999}"#.to_string(),
            r#"{"a":-0.0,"b":18446744073709551616,"c":1.5e2}"#.to_string(),
            format!("{{\"d\":{}1{}}}", "[".repeat(130), "]".repeat(130)),
        ];
        let mut read_here = 0;
        for text in &texts {
            let ours = read(text);
            match (&ours, as_map(text)) {
                (Ok(ours), theirs) => assert_eq!(Ok(ours.clone()), theirs, "{text}"),
                (Err(_), _) => {}
            }
            read_here += usize::from(ours.is_ok());
            if let (Ok(ours), Ok(Value::Object(map))) = (&ours, serde_json::from_str(text)) {
                assert_eq!(
                    serde_json::to_string(ours).unwrap(),
                    serde_json::to_string(&map).unwrap()
                );
                assert_eq!(
                    crate::report::compact::to_json(ours).unwrap(),
                    serde_json::to_string(&map).unwrap()
                );
            }
        }
        assert_eq!(read_here, 2);
    }

    /// A known name found by its slot is where a scan finds it: near, repeated, absent, and
    /// past the slots' reach (300 members, the known names last).
    #[test]
    fn a_known_names_slot_is_where_the_scan_finds_it() {
        let mut near = Members::default();
        for (k, v) in [("sub", 1), ("iss", 2), ("x", 3), ("sub", 4), ("kid", 5)] {
            near.insert(k.into(), v.into());
        }
        let mut far = Members::default();
        for i in 0..300 {
            far.insert(format!("m{i}"), i.into());
        }
        for (i, name) in KNOWN.iter().enumerate() {
            far.insert((*name).into(), i.into());
        }
        let from_map = Members::from(
            serde_json::from_str::<Map<String, Value>>(&serde_json::to_string(&far).unwrap())
                .unwrap(),
        );
        assert_eq!(from_map, far);
        for m in [&near, &far, &Members::default()] {
            for name in KNOWN.iter().copied().chain(["x", "m7", "m299", "", "is"]) {
                assert_eq!(m.place(name), m.scan(name), "{name}");
            }
            for (i, name) in KNOWN.iter().enumerate() {
                assert_eq!(m.known(Name(i)), m.get(name), "{name}");
            }
        }
        let names = [
            name::ISS,
            name::AUD,
            name::CID,
            name::UID,
            name::SUB,
            name::SCP,
            name::EXP,
            name::IAT,
            name::NBF,
            name::JTI,
            name::VER,
            name::IDP,
            name::AMR,
            name::CNF,
            name::SCOPE,
            name::AUTH_TIME,
            name::ALG,
            name::KID,
        ];
        for (i, (n, text)) in names.iter().zip(KNOWN).enumerate() {
            assert_eq!((n.0, known(text)), (i, Some(i)), "{text}");
        }
        assert_eq!(near.get("sub"), Some(&Value::from(4)));
        assert_eq!(far.place("kid"), Some(317));
    }

    #[test]
    fn insert_keeps_the_first_place_and_the_last_value() {
        let mut m = Members::default();
        for (k, v) in [("a", 1), ("b", 2), ("a", 3)] {
            m.insert(k.into(), v.into());
        }
        assert_eq!(serde_json::to_string(&m).unwrap(), r#"{"a":3,"b":2}"#);
        assert_eq!(m.get("a"), Some(&Value::from(3)));
        assert_eq!((m.place("b"), m.get("c"), m.len()), (Some(1), None, 2));
        assert!(m.contains_key("b") && !m.contains_key(""));
    }
}
