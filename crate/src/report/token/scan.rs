//! A token's header or claims read by a byte scan straight into [`Members`], without serde's
//! reader (docs/performance-log.md, "analyzeText, ninth pass"). It reads the JSON a token holds —
//! one object of plain strings (no escape), integers, `true`, `false`, `null`, and arrays and
//! objects of those — and answers `None` for anything else (an escape, a fraction or exponent,
//! an integer past 18 digits, deep nesting, more than [`SCANNED`] members,
//! any syntax error): the caller then reads the text as it did before, with serde_json, so
//! every such payload keeps serde_json's members and its words for an error. What it does read
//! is what serde_json's `Value` reading gives, member for member (test
//! `jwt::tests::scanned_members_are_the_value_reading`).

use serde_json::{Map, Number, Value};

use super::members::Members;

/// Up to this many members a repeated name is found by a scan; past it the object is left to
/// serde_json's `Map` (whose index finds a repeated name: a hostile payload of many thousand
/// members must not cost their square).
const SCANNED: usize = 32;

/// A member whose name is this, first in an object, makes serde_json's `Value` reader (its
/// `raw_value` feature) read the object as a `RawValue`: the scan leaves any object with a
/// member of that name, at any depth, to serde_json, so such a payload keeps that reading.
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

/// The members of the JSON object `text` is, when the scan reads it whole; `None` for
/// anything it leaves to serde_json.
pub(crate) fn members(text: &str) -> Option<Members> {
    let mut s = Scan { t: text, at: 0 };
    s.space();
    s.eat(b'{')?;
    // A member takes ~30 bytes of a token's JSON (an Okta access token's ten claims, 312):
    // room for them in one allocation, counted at 24 bytes each so that a token of shorter
    // members is not moved to a second one (at 32, those ten claims were).
    let mut members = Members::with_capacity((text.len() / 24).clamp(2, 16));
    s.space();
    if s.eat(b'}').is_none() {
        loop {
            if members.len() >= SCANNED {
                return None;
            }
            let name = s.name()?;
            s.value_into(members.value_of(name)?)?;
            if s.next_member()? {
                break;
            }
        }
    }
    s.space();
    (s.at == text.len()).then_some(members)
}

/// Nesting past this is left to serde_json (its own limit is 128).
const DEPTH: usize = 16;

struct Scan<'a> {
    t: &'a str,
    at: usize,
}

impl<'a> Scan<'a> {
    fn peek(&self) -> Option<u8> {
        self.t.as_bytes().get(self.at).copied()
    }

    /// JSON's whitespace (RFC 8259 §2).
    fn space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn eat(&mut self, b: u8) -> Option<()> {
        (self.peek() == Some(b)).then(|| self.at += 1)
    }

    /// After a member or an element: `true` at the closing `close`, `false` after a `,`.
    fn next_in(&mut self, close: u8) -> Option<bool> {
        self.space();
        match self.peek()? {
            b',' => {
                self.at += 1;
                Some(false)
            }
            b if b == close => {
                self.at += 1;
                Some(true)
            }
            _ => None,
        }
    }

    fn next_member(&mut self) -> Option<bool> {
        self.next_in(b'}')
    }

    /// A member's name and its colon, whitespace around both.
    fn name(&mut self) -> Option<&'a str> {
        self.space();
        let name = self.plain().filter(|n| *n != RAW_VALUE_TOKEN)?;
        self.space();
        self.eat(b':')?;
        self.space();
        Some(name)
    }

    /// The plain string here (no escape, no control character: its text is its bytes).
    fn plain(&mut self) -> Option<&'a str> {
        let (text, after) = crate::encoding::json_plain_string(self.t, self.at)?;
        self.at = after;
        Some(text)
    }

    /// A member's value (whitespace before it already skipped) read into its place: a string
    /// is built there, not returned and moved (a 48-byte `memory.copy` a member in wasm,
    /// docs/performance-log.md, "analyzeText, thirteenth pass").
    fn value_into(&mut self, slot: &mut Value) -> Option<()> {
        if self.peek()? == b'"' {
            *slot = Value::String(self.plain()?.to_owned());
        } else {
            *slot = self.value(0)?;
        }
        Some(())
    }

    /// One value (whitespace before it already skipped), at nesting `depth`.
    fn value(&mut self, depth: usize) -> Option<Value> {
        match self.peek()? {
            b'"' => self.plain().map(|s| Value::String(s.to_owned())),
            b'-' | b'0'..=b'9' => self.integer(),
            b't' => self.word("true", Value::Bool(true)),
            b'f' => self.word("false", Value::Bool(false)),
            b'n' => self.word("null", Value::Null),
            b'[' if depth < DEPTH => {
                self.at += 1;
                let mut list = Vec::new();
                self.space();
                if self.eat(b']').is_none() {
                    loop {
                        self.space();
                        list.push(self.value(depth + 1)?);
                        if self.next_in(b']')? {
                            break;
                        }
                    }
                }
                Some(Value::Array(list))
            }
            b'{' if depth < DEPTH => {
                self.at += 1;
                let mut map = Map::new();
                self.space();
                if self.eat(b'}').is_none() {
                    loop {
                        let name = self.name()?;
                        let value = self.value(depth + 1)?;
                        map.insert(name.to_owned(), value);
                        if self.next_member()? {
                            break;
                        }
                    }
                }
                Some(Value::Object(map))
            }
            _ => None,
        }
    }

    fn word(&mut self, word: &str, value: Value) -> Option<Value> {
        let end = self.at + word.len();
        (self.t.as_bytes().get(self.at..end)? == word.as_bytes()).then(|| {
            self.at = end;
            value
        })
    }

    /// An integer of at most 18 digits (no fraction, no exponent, no leading zero but `0`
    /// itself, not `-0`): the `u64` or `i64` serde_json reads it as. Anything else is `None`.
    fn integer(&mut self) -> Option<Value> {
        let b = self.t.as_bytes();
        let negative = self.peek() == Some(b'-');
        let start = self.at + usize::from(negative);
        let mut end = start;
        let mut n: u64 = 0;
        while let Some(d @ b'0'..=b'9') = b.get(end).copied() {
            n = n * 10 + u64::from(d - b'0');
            end += 1;
            if end - start > 18 {
                return None;
            }
        }
        let digits = end - start;
        if digits == 0
            || (digits > 1 && b.get(start) == Some(&b'0'))
            || matches!(b.get(end), Some(b'.' | b'e' | b'E'))
        {
            return None;
        }
        self.at = end;
        if negative {
            // 18 digits fit an i64; `-0` is serde_json's float.
            let n = i64::try_from(n).ok().filter(|&n| n != 0)?;
            Some(Value::Number(Number::from(-n)))
        } else {
            Some(Value::Number(Number::from(n)))
        }
    }
}
