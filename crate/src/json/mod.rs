//! JSON text into a `serde_json::Value`: the service worker's module reads with a reader of the
//! core's own ([`read`]), every other build with serde_json's ([`from_str`] is the one entry
//! point, so each call site is written once).
//!
//! Why: serde_json's parser (and the `<f64 as Display>` its error messages link) weighs ~12 KB
//! gzip in the `sw` module, which only ever reads JSON into a `Value` (docs/performance-log.md,
//! "Size, ninth pass" and "tenth pass"). The `ui` module, the CLI and the tests keep serde_json's
//! parser: they also read JSON into derived types.
//!
//! [`read`] answers exactly what `serde_json::from_str::<Value>` 1.0.154 answers (with this
//! crate's features `preserve_order` and `raw_value`, without `float_roundtrip`): the same
//! `Value` (numbers u64, else i64, else f64 as serde_json builds it, `-0` a float; a repeated
//! key keeps its first place and its last value; an object whose first key is
//! `$serde_json::private::RawValue` is its string read again), and for text it refuses the
//! same `Display` (message, then ` at line L column C`, C in bytes from the line's start).
//! json/tests.rs and the `json_reader` fuzz target hold it to that. Nesting stops at 128
//! arrays or objects, as serde_json's does; no input panics or overflows.

mod number;

use serde_json::{Map, Value};
use std::borrow::Cow;
use std::fmt;

/// `format!("{f}")` without `Display` (what [`f64_text`] is in the `sw` module); public for
/// the tests and the fuzz target.
pub use number::display as f64_display;
pub(crate) use number::f64_text;

/// A refusal: serde_json's message and the position it gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Syntax {
    msg: Cow<'static, str>,
    line: usize,
    column: usize,
}

impl fmt::Display for Syntax {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at line {} column {}",
            self.msg, self.line, self.column
        )
    }
}

/// What [`from_str`] refuses with: [`Syntax`] in the `sw` module, serde_json's error elsewhere
/// (the same `Display`).
#[cfg(all(feature = "sw", not(feature = "ui")))]
pub type Error = Syntax;
/// What [`from_str`] refuses with: [`Syntax`] in the `sw` module, serde_json's error elsewhere
/// (the same `Display`).
#[cfg(not(all(feature = "sw", not(feature = "ui"))))]
pub type Error = serde_json::Error;

/// JSON text (the whole of it, whitespace around allowed) as a `Value`: [`read`] in the `sw`
/// module, `serde_json::from_str` in every other build.
pub fn from_str(text: &str) -> Result<Value, Error> {
    #[cfg(all(feature = "sw", not(feature = "ui")))]
    let reader = read;
    #[cfg(not(all(feature = "sw", not(feature = "ui"))))]
    let reader = serde_json::from_str;
    reader(text)
}

/// The core's own reader: what `serde_json::from_str::<Value>(text)` answers.
pub fn read(text: &str) -> Result<Value, Syntax> {
    let mut r = Reader {
        text,
        b: text.as_bytes(),
        i: 0,
        depth: 128,
    };
    let v = r.value()?;
    match r.ws() {
        Some(_) => Err(r.peek_error(TRAILING_CHARACTERS)),
        None => Ok(v),
    }
}

const EOF_LIST: &str = "EOF while parsing a list";
const EOF_OBJECT: &str = "EOF while parsing an object";
const EOF_STRING: &str = "EOF while parsing a string";
const EOF_VALUE: &str = "EOF while parsing a value";
const EXPECTED_COLON: &str = "expected `:`";
const EXPECTED_IDENT: &str = "expected ident";
const EXPECTED_VALUE: &str = "expected value";
const INVALID_ESCAPE: &str = "invalid escape";
const INVALID_NUMBER: &str = "invalid number";
const OUT_OF_RANGE: &str = "number out of range";
const KEY_NOT_STRING: &str = "key must be a string";
const LONE_SURROGATE: &str = "lone leading surrogate in hex escape";
const TRAILING_COMMA: &str = "trailing comma";
const TRAILING_CHARACTERS: &str = "trailing characters";

/// serde_json's `$serde_json::private::RawValue` token (its `raw_value` feature).
const RAW_VALUE: &str = "$serde_json::private::RawValue";

struct Reader<'a> {
    text: &'a str,
    b: &'a [u8],
    /// The next byte's index.
    i: usize,
    /// Arrays and objects that may still open (serde_json's `remaining_depth`).
    depth: u8,
}

type Res<T> = Result<T, Syntax>;

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.i += 1;
        Some(c)
    }

    /// The next byte that is not whitespace, not consumed.
    fn ws(&mut self) -> Option<u8> {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.peek() {
            self.i += 1;
        }
        self.peek()
    }

    /// serde_json's `error`: at the bytes read so far.
    #[cold]
    fn error(&self, msg: impl Into<Cow<'static, str>>) -> Syntax {
        self.at(self.i, msg.into())
    }

    /// serde_json's `peek_error`: one byte further (the byte peeked), within the text.
    #[cold]
    fn peek_error(&self, msg: &'static str) -> Syntax {
        self.at(
            self.i.saturating_add(1).min(self.b.len()),
            Cow::Borrowed(msg),
        )
    }

    fn at(&self, i: usize, msg: Cow<'static, str>) -> Syntax {
        let before = self.b.get(..i).unwrap_or(self.b);
        let start = before
            .iter()
            .rposition(|&c| c == b'\n')
            .map_or(0, |n| n + 1);
        let lines = before.get(..start).unwrap_or_default();
        Syntax {
            msg,
            line: 1 + lines.iter().filter(|&&c| c == b'\n').count(),
            column: i - start,
        }
    }

    fn value(&mut self) -> Res<Value> {
        let Some(c) = self.ws() else {
            return Err(self.peek_error(EOF_VALUE));
        };
        match c {
            b'n' => self.ident(b"null", Value::Null),
            b't' => self.ident(b"true", Value::Bool(true)),
            b'f' => self.ident(b"false", Value::Bool(false)),
            b'-' | b'0'..=b'9' => Ok(self.number()?.value()),
            b'"' => {
                self.i += 1;
                Ok(Value::String(self.string()?))
            }
            b'[' | b'{' => {
                self.depth -= 1;
                if self.depth == 0 {
                    return Err(self.peek_error("recursion limit exceeded"));
                }
                self.i += 1;
                let v = if c == b'[' {
                    self.array()?
                } else {
                    self.object()?
                };
                self.depth += 1;
                Ok(v)
            }
            _ => Err(self.peek_error(EXPECTED_VALUE)),
        }
    }

    /// `word` (its first byte peeked) read as serde_json's `parse_ident` reads the rest.
    fn ident(&mut self, word: &[u8], v: Value) -> Res<Value> {
        self.i += 1;
        for &want in word.get(1..).unwrap_or_default() {
            match self.next() {
                None => return Err(self.error(EOF_VALUE)),
                Some(c) if c != want => return Err(self.error(EXPECTED_IDENT)),
                Some(_) => {}
            }
        }
        Ok(v)
    }

    /// After `[`, up to and past `]`.
    fn array(&mut self) -> Res<Value> {
        let mut items = Vec::new();
        loop {
            match self.ws() {
                None => return Err(self.peek_error(EOF_LIST)),
                Some(b']') => break,
                Some(_) if items.is_empty() => {}
                Some(b',') => {
                    self.i += 1;
                    match self.ws() {
                        Some(b']') => return Err(self.peek_error(TRAILING_COMMA)),
                        Some(_) => {}
                        None => return Err(self.peek_error(EOF_VALUE)),
                    }
                }
                Some(_) => return Err(self.peek_error("expected `,` or `]`")),
            }
            items.push(self.value()?);
        }
        self.i += 1;
        Ok(Value::Array(items))
    }

    /// After `{`, up to and past `}`.
    fn object(&mut self) -> Res<Value> {
        let mut map = Map::new();
        match self.ws() {
            None => return Err(self.peek_error(EOF_OBJECT)),
            Some(b'}') => {
                self.i += 1;
                return Ok(Value::Object(map));
            }
            Some(b'"') => {}
            Some(_) => return Err(self.peek_error(KEY_NOT_STRING)),
        }
        self.i += 1;
        let key = self.string()?;
        if key == RAW_VALUE {
            return self.raw_value();
        }
        self.colon()?;
        map.insert(key, self.value()?);
        loop {
            match self.ws() {
                None => return Err(self.peek_error(EOF_OBJECT)),
                Some(b'}') => break,
                Some(b',') => {
                    self.i += 1;
                    match self.ws() {
                        Some(b'"') => {}
                        Some(b'}') => return Err(self.peek_error(TRAILING_COMMA)),
                        Some(_) => return Err(self.peek_error(KEY_NOT_STRING)),
                        None => return Err(self.peek_error(EOF_VALUE)),
                    }
                }
                Some(_) => return Err(self.peek_error("expected `,` or `}`")),
            }
            self.i += 1;
            let key = self.string()?;
            self.colon()?;
            let v = self.value()?;
            map.insert(key, v);
        }
        self.i += 1;
        Ok(Value::Object(map))
    }

    fn colon(&mut self) -> Res<()> {
        match self.ws() {
            Some(b':') => {
                self.i += 1;
                Ok(())
            }
            Some(_) => Err(self.peek_error(EXPECTED_COLON)),
            None => Err(self.peek_error(EOF_OBJECT)),
        }
    }

    /// An object whose first key is serde_json's raw-value token: its value must be a string,
    /// read again as JSON (its refusal is the answer, at its own position), and the object
    /// must end there.
    fn raw_value(&mut self) -> Res<Value> {
        self.colon()?;
        let Some(c) = self.ws() else {
            return Err(self.peek_error(EOF_VALUE));
        };
        let inner = if c == b'"' {
            self.i += 1;
            read(&self.string()?)?
        } else {
            let what: Cow<'static, str> = match c {
                b'n' => self.ident(b"null", Value::Null).map(|_| "null".into())?,
                b't' => self
                    .ident(b"true", Value::Null)
                    .map(|_| "boolean `true`".into())?,
                b'f' => self
                    .ident(b"false", Value::Null)
                    .map(|_| "boolean `false`".into())?,
                b'-' | b'0'..=b'9' => self.number()?.unexpected().into(),
                b'[' => "sequence".into(),
                b'{' => "map".into(),
                _ => return Err(self.peek_error(EXPECTED_VALUE)),
            };
            return Err(self.error(format!("invalid type: {what}, expected raw value")));
        };
        match self.ws() {
            Some(b'}') => {
                self.i += 1;
                Ok(inner)
            }
            Some(b',') => Err(self.peek_error(TRAILING_COMMA)),
            Some(_) => Err(self.peek_error(TRAILING_CHARACTERS)),
            None => Err(self.peek_error(EOF_OBJECT)),
        }
    }

    /// After the opening `"`, up to and past the closing one: the string decoded.
    fn string(&mut self) -> Res<String> {
        let mut out = String::new();
        let mut start = self.i;
        loop {
            let Some(n) = special(self.b.get(self.i..).unwrap_or_default()) else {
                self.i = self.b.len();
                return Err(self.error(EOF_STRING));
            };
            self.i += n;
            // `start` and `i` stand before ASCII bytes or past escapes read whole: on char
            // boundaries.
            let Some(piece) = self.text.get(start..self.i) else {
                return Err(self.error(EOF_STRING));
            };
            match self.next() {
                Some(b'"') if out.is_empty() => return Ok(piece.to_string()),
                Some(b'"') => {
                    out.push_str(piece);
                    return Ok(out);
                }
                Some(b'\\') => {
                    out.push_str(piece);
                    self.escape(&mut out)?;
                    start = self.i;
                }
                _ => {
                    return Err(self
                        .error("control character (\\u0000-\\u001F) found while parsing a string"))
                }
            }
        }
    }

    /// After a `\`: the escape, pushed (`\u` escapes as serde_json pairs their surrogates).
    fn escape(&mut self, out: &mut String) -> Res<()> {
        let c = match self.next() {
            None => return Err(self.error(EOF_STRING)),
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\x08',
            Some(b'f') => '\x0c',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => return self.unicode(out),
            Some(_) => return Err(self.error(INVALID_ESCAPE)),
        };
        out.push(c);
        Ok(())
    }

    fn unicode(&mut self, out: &mut String) -> Res<()> {
        let n = u32::from(self.hex4()?);
        let code = if (0xDC00..=0xDFFF).contains(&n) {
            return Err(self.error(LONE_SURROGATE));
        } else if (0xD800..=0xDBFF).contains(&n) {
            for want in [b'\\', b'u'] {
                match self.peek() {
                    None => return Err(self.error(EOF_STRING)),
                    Some(c) => {
                        self.i += 1;
                        if c != want {
                            return Err(self.error("unexpected end of hex escape"));
                        }
                    }
                }
            }
            let low = u32::from(self.hex4()?);
            if !(0xDC00..=0xDFFF).contains(&low) {
                return Err(self.error(LONE_SURROGATE));
            }
            (((n - 0xD800) << 10) | (low - 0xDC00)) + 0x1_0000
        } else {
            n
        };
        match char::from_u32(code) {
            Some(c) => {
                out.push(c);
                Ok(())
            }
            None => Err(self.error(LONE_SURROGATE)),
        }
    }

    /// Four hex digits after `\u` (all four consumed, as serde_json does, even when one is not
    /// a digit).
    fn hex4(&mut self) -> Res<u16> {
        let Some(digits) = self.b.get(self.i..).and_then(|r| r.get(..4)) else {
            self.i = self.b.len();
            return Err(self.error(EOF_STRING));
        };
        self.i += 4;
        let mut n = 0u16;
        for &d in digits {
            let Some(v) = char::from(d).to_digit(16) else {
                return Err(self.error(INVALID_ESCAPE));
            };
            n = (n << 4) | v as u16;
        }
        Ok(n)
    }
}

/// The index of the first `"`, `\\` or control character in `rest`: eight bytes at a time
/// (serde_json's way: a byte's high bit set in each mask where it matches), then one by one.
fn special(rest: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::MAX / 255;
    let mut chunks = rest.chunks_exact(8);
    for (n, chunk) in chunks.by_ref().enumerate() {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let w = u64::from_le_bytes(word);
        let ctrl = w.wrapping_sub(ONES * 0x20) & !w;
        let q = w ^ (ONES * u64::from(b'"'));
        let quote = q.wrapping_sub(ONES) & !q;
        let b = w ^ (ONES * u64::from(b'\\'));
        let backslash = b.wrapping_sub(ONES) & !b;
        let found = (ctrl | quote | backslash) & (ONES << 7);
        if found != 0 {
            return Some(n * 8 + found.trailing_zeros() as usize / 8);
        }
    }
    let tail = chunks.remainder();
    let at = rest.len() - tail.len();
    tail.iter()
        .position(|&c| c == b'"' || c == b'\\' || c < 0x20)
        .map(|n| at + n)
}

#[cfg(test)]
mod tests;
