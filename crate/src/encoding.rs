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
    if let Some((i, c)) = segment
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+' | '/' | '=')))
    {
        return Err(format!(
            "{} at position {} is not in the base64url alphabet",
            printable(c),
            i + 1
        ));
    }
    let body = segment.trim_end_matches('=');
    if body.contains('=') {
        return Err("'=' padding appears before the end".to_string());
    }
    if body.len() % 4 == 1 {
        return Err(format!(
            "its length ({}) is impossible for base64 (a character too many, or a truncated copy)",
            body.len()
        ));
    }
    let normalised: String = body
        .chars()
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            c => c,
        })
        .collect();
    LENIENT
        .decode(normalised.as_bytes())
        .map_err(|e| format!("{e}"))
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn percent_and_form_decoding() {
        assert_eq!(percent_decode("a%2Eb%3D").as_deref(), Some("a.b="));
        assert_eq!(percent_decode("a%2").as_deref(), None);
        assert_eq!(percent_decode("a%zz").as_deref(), None);
        assert_eq!(percent_decode("%FF").as_deref(), None);
        assert_eq!(form_decode("a+b%20c"), "a b c");
        assert_eq!(form_decode("bad%zz+x"), "bad%zz x");
    }
}
