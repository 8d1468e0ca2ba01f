//! A report (or any answer) as compact JSON text, the way it crosses to JS (`wasm::to_js`).
//! The same bytes as `serde_json::to_string`, written faster by a serializer of its own:
//! serde_json checks each byte of each string against its escape table one at a time (most of
//! a pasted token's serialising), where [`plain`] tests eight bytes at once and copies each
//! run of plain bytes in one piece; and every quote, colon, comma and brace is a byte pushed,
//! not a piece handed to an `io::Write`. Floats and 128-bit integers, which reports do not
//! hold, are written by serde_json itself, so their digits cannot differ.

use serde::ser::{self, Serialize};

/// `v` as compact JSON; `None` only if serialising fails (plain data never does; a map key
/// that is not a string, a number or a bool fails as it does in serde_json, and serde_json's
/// `RawValue`, which no answer holds, is refused).
pub fn to_json<T: Serialize + ?Sized>(v: &T) -> Option<String> {
    let mut out = Writer(Vec::with_capacity(2048));
    v.serialize(&mut out).ok()?;
    String::from_utf8(out.0).ok()
}

/// Why serialising stopped (the caller only learns that it did).
#[derive(Debug)]
pub struct Error;

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not serialisable as compact JSON")
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Error
    }
}

type Result<T = ()> = std::result::Result<T, Error>;

struct Writer(Vec<u8>);

/// Bytes a JSON string escapes: controls, `"` and `\` (serde_json's table; `/` and DEL stay).
fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each of the eight bytes of `x` that [`needs_escape`] — nonzero exactly when
/// one does (the classic "has a byte less than n" and "has a zero byte" tests: a bit may also
/// be set above a byte that does, never in a word where none does; bytes ≥ 0x80 never count).
fn escapes_in(x: u64) -> u64 {
    let below_space = x.wrapping_sub(ONES * 0x20) & !x;
    let q = x ^ (ONES * u64::from(b'"'));
    let quote = q.wrapping_sub(ONES) & !q;
    let s = x ^ (ONES * u64::from(b'\\'));
    let backslash = s.wrapping_sub(ONES) & !s;
    (below_space | quote | backslash) & HIGHS
}

#[cfg(test)]
fn chunk_needs_escape(x: u64) -> bool {
    escapes_in(x) != 0
}

fn word(chunk: &[u8]) -> u64 {
    chunk.try_into().map_or(0, u64::from_le_bytes)
}

/// Whether no byte of `bytes` [`needs_escape`] (nearly every string a report holds): byte by
/// byte when shorter than eight, else eight at a time and the last eight again for a tail.
fn plain(bytes: &[u8]) -> bool {
    let Some(from) = bytes.len().checked_sub(8) else {
        return !bytes.iter().any(|b| needs_escape(*b));
    };
    let mut chunks = bytes.chunks_exact(8);
    let mut found = 0;
    for chunk in chunks.by_ref() {
        found |= escapes_in(word(chunk));
    }
    if !chunks.remainder().is_empty() {
        found |= escapes_in(word(bytes.get(from..).unwrap_or_default()));
    }
    found == 0
}

/// The bytes of a string of at most eight as one little-endian word, zero above them: two
/// overlapping four-byte loads (or three single bytes) and no loop; `None` when longer. A
/// byte left out would read as zero, which [`escapes_in`] counts: the string then takes the
/// general path.
fn short_word(b: &[u8]) -> Option<u64> {
    let byte = |i: usize| u64::from(b.get(i).copied().unwrap_or(0)) << (8 * i);
    let four = |i: usize| {
        let w = b.get(i..i + 4).and_then(|w| <[u8; 4]>::try_from(w).ok());
        u64::from(w.map_or(0, u32::from_le_bytes)) << (8 * i)
    };
    let n = b.len();
    match n {
        0 => Some(0),
        1..4 => Some(byte(0) | byte(n / 2) | byte(n - 1)),
        4..=8 => Some(four(0) | four(n - 4)),
        _ => None,
    }
}

impl Writer {
    /// `s` as a JSON string: quoted, each run of plain bytes copied at once. A plain string of
    /// at most eight bytes (most keys, many values) is checked as one word and written by
    /// [`Writer::short_stored`], or in wasm [`Writer::short_pushed`].
    fn string(&mut self, s: &str) {
        let bytes = s.as_bytes();
        if let Some(w) = short_word(bytes) {
            // The bytes above the string's filled with a plain one, so only its own count.
            let n = bytes.len();
            let fill = (ONES * u64::from(b'a'))
                .checked_shl(8 * n as u32)
                .unwrap_or(0);
            if escapes_in(w | fill) == 0 {
                if cfg!(target_arch = "wasm32") {
                    self.short_pushed(bytes);
                } else {
                    self.short_stored(w, n);
                }
                return;
            }
        }
        self.0.push(b'"');
        if plain(bytes) {
            self.0.extend_from_slice(bytes);
        } else {
            self.escaped(bytes);
        }
        self.0.push(b'"');
    }

    /// A plain string of at most eight bytes, its word `w` and its length `n`, written as ten
    /// bytes — an array, which `Vec::extend` stores inline natively where `extend_from_slice`
    /// of a slice calls a copy — cut to length (docs/performance-log.md, "analyzeText, tenth
    /// pass").
    fn short_stored(&mut self, w: u64, n: usize) {
        let at = self.0.len();
        let [a, b, c, d, e, f, g, h] = w.to_le_bytes();
        self.0.extend([b'"', a, b, c, d, e, f, g, h, b'"']);
        if let Some(end) = self.0.get_mut(at + 1 + n) {
            *end = b'"';
        }
        self.0.truncate(at + 2 + n);
    }

    /// [`Writer::short_stored`] as the wasm build writes it: a byte pushed at a time. In wasm
    /// the array's `extend` is a call to `reserve`, a `memory.copy` of its length (which V8
    /// runs as a call out to C) and a call to `truncate` (docs/performance-log.md,
    /// "analyzeText, eleventh pass").
    fn short_pushed(&mut self, bytes: &[u8]) {
        self.0.push(b'"');
        for &b in bytes {
            self.0.push(b);
        }
        self.0.push(b'"');
    }

    /// A string's bytes, some of which need escaping (rare: the byte rule is enough).
    fn escaped(&mut self, mut bytes: &[u8]) {
        while let Some(i) = bytes.iter().position(|b| needs_escape(*b)) {
            let (run, rest) = bytes.split_at(i);
            self.0.extend_from_slice(run);
            let Some((&b, rest)) = rest.split_first() else {
                return;
            };
            self.escape(b);
            bytes = rest;
        }
        self.0.extend_from_slice(bytes);
    }

    /// One byte's escape, as serde_json writes it (`\u00XX` in lower-case hex).
    fn escape(&mut self, b: u8) {
        let short = match b {
            b'"' => b'"',
            b'\\' => b'\\',
            0x08 => b'b',
            0x0C => b'f',
            b'\n' => b'n',
            b'\r' => b'r',
            b'\t' => b't',
            _ => 0,
        };
        if short != 0 {
            self.0.extend_from_slice(&[b'\\', short]);
        } else {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            let hex = |n: u8| HEX.get(usize::from(n & 0xF)).copied().unwrap_or(b'0');
            self.0
                .extend_from_slice(&[b'\\', b'u', b'0', b'0', hex(b >> 4), hex(b)]);
        }
    }

    fn unsigned(&mut self, n: u64) {
        let mut buf = [0u8; 20];
        self.0
            .extend_from_slice(crate::encoding::decimal_digits(n, &mut buf));
    }

    fn signed(&mut self, n: i64) {
        if n < 0 {
            self.0.push(b'-');
        }
        self.unsigned(n.unsigned_abs());
    }

    /// What serde_json writes for `v` (floats, 128-bit integers: digits it must agree on).
    fn by_serde_json<T: Serialize>(&mut self, v: T) -> Result {
        serde_json::to_writer(&mut self.0, &v).map_err(|_| Error)
    }

    /// `{"variant":` — an enum's variant that carries data, as serde_json tags it.
    fn tag(&mut self, variant: &str) {
        self.0.push(b'{');
        self.string(variant);
        self.0.push(b':');
    }
}

/// A sequence, map or struct being written: `first` until its first member.
pub struct Compound<'a> {
    w: &'a mut Writer,
    first: bool,
    /// What closes it: `]`, `}`, or `]}` / `}}` for a variant's.
    close: &'static [u8],
}

impl Compound<'_> {
    fn comma(&mut self) {
        if !self.first {
            self.w.0.push(b',');
        }
        self.first = false;
    }

    /// The closing bytes pushed one at a time: in wasm a copy of a slice whose length is not
    /// known when compiling is a `memory.copy`, which V8 runs as a call out to C — thirty of
    /// them a report for one or two bytes (docs/performance-log.md, "analyzeText, twelfth pass").
    fn end(self) -> Result {
        for &b in self.close {
            self.w.0.push(b);
        }
        Ok(())
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result {
        self.comma();
        self.w.string(key);
        self.w.0.push(b':');
        value.serialize(&mut *self.w)
    }
}

impl<'a> ser::Serializer for &'a mut Writer {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, v: bool) -> Result {
        self.0.extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result {
        self.signed(v.into());
        Ok(())
    }
    fn serialize_i16(self, v: i16) -> Result {
        self.signed(v.into());
        Ok(())
    }
    fn serialize_i32(self, v: i32) -> Result {
        self.signed(v.into());
        Ok(())
    }
    fn serialize_i64(self, v: i64) -> Result {
        self.signed(v);
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> Result {
        self.by_serde_json(v)
    }
    fn serialize_u8(self, v: u8) -> Result {
        self.unsigned(v.into());
        Ok(())
    }
    fn serialize_u16(self, v: u16) -> Result {
        self.unsigned(v.into());
        Ok(())
    }
    fn serialize_u32(self, v: u32) -> Result {
        self.unsigned(v.into());
        Ok(())
    }
    fn serialize_u64(self, v: u64) -> Result {
        self.unsigned(v);
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> Result {
        self.by_serde_json(v)
    }
    fn serialize_f32(self, v: f32) -> Result {
        self.by_serde_json(v)
    }
    fn serialize_f64(self, v: f64) -> Result {
        self.by_serde_json(v)
    }
    fn serialize_char(self, v: char) -> Result {
        self.string(v.encode_utf8(&mut [0u8; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result {
        self.string(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result {
        let mut seq = ser::Serializer::serialize_seq(self, Some(v.len()))?;
        for b in v {
            ser::SerializeSeq::serialize_element(&mut seq, b)?;
        }
        seq.end()
    }
    fn serialize_none(self) -> Result {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result {
        self.0.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result {
        self.string(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result {
        self.tag(variant);
        value.serialize(&mut *self)?;
        self.0.push(b'}');
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a>> {
        self.0.push(b'[');
        Ok(Compound {
            w: self,
            first: true,
            close: b"]",
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'a>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Compound<'a>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a>> {
        self.tag(variant);
        self.0.push(b'[');
        Ok(Compound {
            w: self,
            first: true,
            close: b"]}",
        })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'a>> {
        self.0.push(b'{');
        Ok(Compound {
            w: self,
            first: true,
            close: b"}",
        })
    }
    fn serialize_struct(self, name: &'static str, len: usize) -> Result<Compound<'a>> {
        // serde_json writes its RawValue's text unquoted; no answer holds one.
        if name == "$serde_json::private::RawValue" {
            return Err(Error);
        }
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a>> {
        self.tag(variant);
        self.0.push(b'{');
        Ok(Compound {
            w: self,
            first: true,
            close: b"}}",
        })
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        self.comma();
        value.serialize(&mut *self.w)
    }
    fn end(self) -> Result {
        Compound::end(self)
    }
}

impl ser::SerializeTuple for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result {
        Compound::end(self)
    }
}

impl ser::SerializeTupleStruct for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result {
        Compound::end(self)
    }
}

impl ser::SerializeTupleVariant for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result {
        Compound::end(self)
    }
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result {
        self.comma();
        key.serialize(key::Key(&mut *self.w))
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        self.w.0.push(b':');
        value.serialize(&mut *self.w)
    }
    fn end(self) -> Result {
        Compound::end(self)
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result {
        self.field(key, value)
    }
    fn end(self) -> Result {
        Compound::end(self)
    }
}

impl ser::SerializeStructVariant for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result {
        self.field(key, value)
    }
    fn end(self) -> Result {
        Compound::end(self)
    }
}

mod key;
#[cfg(test)]
mod tests;
