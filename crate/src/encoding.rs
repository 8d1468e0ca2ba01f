//! Lenient decoders for text pasted from anywhere: base64url as RFC 7515 §2 defines it for
//! JWS segments, accepting also the standard alphabet (RFC 4648 §4) and any padding, and
//! percent-decoding (RFC 3986 §2.1) for tokens copied out of URLs.

use base64::{
    alphabet,
    engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig},
    Engine,
};

const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// Decodes base64url or standard base64, with or without `=` padding. The error says, in
/// words, which character or length is wrong.
pub fn base64url(segment: &str) -> Result<Vec<u8>, String> {
    decode_fast(segment).map_or_else(|| base64url_checked(segment), Ok)
}

/// The value of each base64 character in either alphabet (`-`/`+` 62, `_`/`/` 63); 0xFF for
/// any other byte. Indexing here is evaluated at compile time: out of bounds would not build.
#[allow(clippy::indexing_slicing)]
const SEXTETS: [u8; 256] = {
    let mut t = [0xFF; 256];
    let mut i = 0;
    while i < 26 {
        t[b'A' as usize + i] = i as u8;
        t[b'a' as usize + i] = 26 + i as u8;
        i += 1;
    }
    let mut d = 0;
    while d < 10 {
        t[b'0' as usize + d] = 52 + d as u8;
        d += 1;
    }
    t[b'-' as usize] = 62;
    t[b'+' as usize] = 62;
    t[b'_' as usize] = 63;
    t[b'/' as usize] = 63;
    t
};

/// [`base64url`] for a well-formed segment, in one pass into a buffer of the exact size (a
/// JWT's header and claims; the general decoder copied the text to map the alphabet first).
/// `None` for anything it would reject, which [`base64url_checked`] then words. Trailing bits
/// are ignored, as the lenient engine ignores them. A character outside both alphabets is
/// noticed once, at the end: its table value 0xFF sets a bit no sextet has, so each
/// character costs a lookup and an OR rather than a branch.
fn decode_fast(segment: &str) -> Option<Vec<u8>> {
    let body = segment.trim_end_matches('=').as_bytes();
    if body.len() % 4 == 1 {
        return None;
    }
    let quads = body.chunks_exact(4);
    let rest = quads.remainder();
    let tail = rest.len().saturating_sub(1);
    let mut out = vec![0u8; body.len() / 4 * 3 + tail];
    let (whole, last) = out.split_at_mut(body.len() / 4 * 3);
    let mut seen = 0u8;
    for (q, o) in quads.zip(whole.chunks_exact_mut(3)) {
        if let ([a, b, c, d], [x, y, z]) = (q, o) {
            let (a, b, c, d) = (value(*a), value(*b), value(*c), value(*d));
            seen |= a | b | c | d;
            let n = u32::from(a) << 18 | u32::from(b) << 12 | u32::from(c) << 6 | u32::from(d);
            (*x, *y, *z) = ((n >> 16) as u8, (n >> 8) as u8, n as u8);
        }
    }
    let mut n = 0u32;
    for b in rest {
        let v = value(*b);
        seen |= v;
        n = (n << 6) | u32::from(v);
    }
    if seen & 0xC0 != 0 {
        return None;
    }
    // The 1 or 2 bytes of 2 or 3 characters, left-aligned in their 12 or 18 bits.
    let n = n << (6 * (4 - rest.len() as u32) % 24);
    for (k, o) in last.iter_mut().enumerate() {
        *o = (n >> (16 - 8 * k)) as u8;
    }
    Some(out)
}

/// A character's [`SEXTETS`] value (0xFF when it is in neither alphabet).
fn value(b: u8) -> u8 {
    SEXTETS.get(usize::from(b)).copied().unwrap_or(0xFF)
}

/// [`base64url`] through the lenient engine, with the error in words.
fn base64url_checked(segment: &str) -> Result<Vec<u8>, String> {
    let body = segment.trim_end_matches('=');
    // One pass over the bytes: check the alphabet and map the standard one onto base64url.
    let mut normalised = Vec::with_capacity(body.len());
    for (i, b) in body.bytes().enumerate() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' => normalised.push(b),
            b'+' => normalised.push(b'-'),
            b'/' => normalised.push(b'_'),
            b'=' => return Err("'=' padding appears before the end".to_string()),
            _ => {
                let c = segment
                    .get(i..)
                    .and_then(|r| r.chars().next())
                    .unwrap_or('?');
                return Err(format!(
                    "{} at position {} is not in the base64url alphabet",
                    printable(c),
                    segment.get(..i).map_or(i, |p| p.chars().count()) + 1
                ));
            }
        }
    }
    if normalised.len() % 4 == 1 {
        return Err(format!(
            "its length ({}) is impossible for base64 (a character too many, or a truncated copy)",
            normalised.len()
        ));
    }
    LENIENT.decode(&normalised).map_err(|e| format!("{e}"))
}

/// The decoded length of a valid base64url segment, without decoding it (for signatures,
/// which are counted, never kept). Same errors as [`base64url`].
pub fn base64url_len(segment: &str) -> Result<usize, String> {
    let body = segment.trim_end_matches('=');
    // Every byte looked up, without a branch each (a stray one sets bits no sextet has).
    let valid = body.bytes().fold(0, |seen, b| seen | value(b)) & 0xC0 == 0;
    if !valid || body.len() % 4 == 1 {
        return base64url(segment).map(|b| b.len());
    }
    Ok(body.len() * 3 / 4)
}

/// How a character is named in a message: visible characters quoted, others as code points.
pub fn printable(c: char) -> String {
    if c.is_control() || c.is_whitespace() {
        format!("U+{:04X}", c as u32)
    } else {
        format!("'{c}'")
    }
}

/// Percent-decodes `%XX` sequences (and nothing else: `+` stays, as in paths). `None` when a
/// sequence is broken or the result is not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hi = bytes.get(i + 1).and_then(|h| (*h as char).to_digit(16))?;
            let lo = bytes.get(i + 2).and_then(|l| (*l as char).to_digit(16))?;
            out.push((hi * 16 + lo) as u8);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Form-decoding (`application/x-www-form-urlencoded`): `+` is a space, then `%XX`.
pub fn form_decode(s: &str) -> String {
    let spaced = s.replace('+', " ");
    percent_decode(&spaced).unwrap_or(spaced)
}

/// `n` in decimal digits, written at the end of `buf`: the report writer's numbers and the
/// timestamp words' durations, without `format!`.
pub(crate) fn decimal_digits(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut at = buf.len();
    loop {
        at -= 1;
        if let Some(d) = buf.get_mut(at) {
            *d = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || at == 0 {
            break;
        }
    }
    buf.get(at..).unwrap_or_default()
}

/// The plain string at `at` of `t` (no escape, no control character: its text is its bytes)
/// and where it ends; `None` for anything else. The byte scans of an Okta error body
/// (exchange/body.rs) and of a token's JSON (report/token/scan.rs) read their strings with it.
pub(crate) fn json_plain_string(t: &str, at: usize) -> Option<(&str, usize)> {
    let b = t.as_bytes();
    if b.get(at) != Some(&b'"') {
        return None;
    }
    let start = at + 1;
    let mut end = start;
    // Eight bytes at a time while none of them is a quote, a backslash or a control
    // character (the words' bit tricks: a zero byte of `x ^ "…"`, a byte of `x` under 0x20).
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    while let Some(word) = b
        .get(end..end + 8)
        .and_then(|w| <[u8; 8]>::try_from(w).ok())
    {
        let x = u64::from_le_bytes(word);
        let stop = zero(x ^ (ONES * u64::from(b'"')))
            | zero(x ^ (ONES * u64::from(b'\\')))
            | (x.wrapping_sub(ONES * 0x20) & !x & HIGH);
        if stop != 0 {
            break;
        }
        end += 8;
    }
    loop {
        match *b.get(end)? {
            b'"' => break,
            b'\\' | 0..0x20 => return None,
            _ => end += 1,
        }
    }
    // Both ends are ASCII quotes: char boundaries.
    Some((t.get(start..end)?, end + 1))
}

/// `v[key]` when `v` is an object. An object of a few members (an error body) is scanned:
/// serde_json's map hashes the key with SipHash, ~270 instructions a lookup, where comparing a
/// handful of short keys costs tens; the body probes each exchange's members about eight times
/// (docs/performance-log.md, "liveFold, seventh pass"). Keys are unique, so the answer is the same.
pub fn member<'a>(v: &'a serde_json::Value, key: &str) -> Option<&'a serde_json::Value> {
    let obj = v.as_object()?;
    if obj.len() > 8 {
        return obj.get(key);
    }
    obj.iter().find(|(k, _)| k.as_str() == key).map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one-pass decoder answers what the lenient engine answers, on every length, both
    /// alphabets, padded or not, with trailing bits set, and gives way on anything invalid.
    #[test]
    fn fast_decode_is_the_engine() {
        use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
        let mut checked = 0;
        for len in 0..40usize {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + len * 11) as u8 ^ 0xA5).collect();
            let url = URL_SAFE_NO_PAD.encode(&bytes);
            let std = STANDARD.encode(&bytes);
            let mut tail_bits = url.clone();
            if let Some(last) = tail_bits.pop() {
                // The last character with every bit set: trailing bits the engine ignores.
                tail_bits.push(if url.len().is_multiple_of(4) {
                    last
                } else {
                    '_'
                });
            }
            let broken = [
                format!("{url}A"),
                format!("{url}."),
                format!("a{url}"),
                format!("{url}==x"),
                format!("{url}é"),
                // A stray character inside a whole quad, not only at either end.
                format!("{}!{}", &url[..url.len() / 2], &url[url.len() / 2..]),
                format!("{}é{}", &url[..url.len() / 3], &url[url.len() / 3..]),
            ];
            for text in [url.clone(), std.clone(), tail_bits, format!("{url}==")]
                .into_iter()
                .chain(broken)
            {
                let fast = decode_fast(&text);
                let checked_ = base64url_checked(&text);
                match fast {
                    Some(v) => assert_eq!(Ok(v), checked_, "{text}"),
                    None => assert!(
                        checked_.is_err(),
                        "{text}: fast path gave way on valid text"
                    ),
                }
                assert_eq!(base64url(&text), checked_, "{text}");
                checked += 1;
            }
        }
        assert!(checked >= 440);
    }

    #[test]
    fn base64url_accepts_every_common_variant() {
        let cases = [
            ("eyJhIjoxfQ", "{\"a\":1}"),
            ("eyJhIjoxfQ==", "{\"a\":1}"),
            ("eyJhIjoxfQ=", "{\"a\":1}"),
            ("Pz8-", "??>"),
            ("Pz8+", "??>"),
            ("Pz8_", "??\u{3f}"),
            ("Pz8/", "??\u{3f}"),
            ("", ""),
        ];
        for (input, want) in cases {
            let got = base64url(input).map(|b| String::from_utf8_lossy(&b).into_owned());
            assert_eq!(got.as_deref(), Ok(want), "input {input}");
        }
    }

    #[test]
    fn base64url_errors_name_the_problem() {
        let cases = [
            ("abc!", "'!' at position 4 is not in the base64url alphabet"),
            ("ab=c", "padding appears before the end"),
            ("abcde", "length (5)"),
            ("ab\ncd", "U+000A"),
        ];
        for (input, want) in cases {
            let err = base64url(input).err().unwrap_or_default();
            assert!(err.contains(want), "{input}: {err}");
        }
    }

    #[test]
    fn decoded_length_without_decoding() {
        for input in [
            "", "QQ", "QUI", "QUJD", "QUJDRA", "QUJDRA==", "Pz8+", "abc!", "abcde",
        ] {
            assert_eq!(
                base64url_len(input),
                base64url(input).map(|b| b.len()),
                "{input}"
            );
        }
    }

    #[test]
    fn percent_and_form_decoding() {
        assert_eq!(percent_decode("a%2Eb%3D").as_deref(), Some("a.b="));
        assert_eq!(percent_decode("a%2").as_deref(), None);
        assert_eq!(percent_decode("a%zz").as_deref(), None);
        assert_eq!(percent_decode("%FF").as_deref(), None);
        assert_eq!(form_decode("a+b%20c"), "a b c");
        assert_eq!(form_decode("bad%zz+x"), "bad%zz x");
    }

    /// `member` answers as serde_json's lookup does, on small and large objects and others.
    #[test]
    fn member_is_the_maps_lookup() {
        let big: serde_json::Map<String, serde_json::Value> =
            (0..20).map(|i| (format!("k{i}"), i.into())).collect();
        let values = [
            serde_json::json!({"errorCode": "E0000047", "errorId": "x", "a": null}),
            serde_json::json!({"a": 1, "a": 2}),
            serde_json::Value::Object(big),
            serde_json::json!(["errorCode"]),
            serde_json::json!("errorCode"),
        ];
        for v in &values {
            for key in ["errorCode", "errorId", "a", "k3", "k19", "missing", ""] {
                assert_eq!(member(v, key), v.get(key), "{v} {key}");
            }
        }
    }
}
