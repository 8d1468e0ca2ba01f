//! What a redacted SAML message leaves behind (issue 17 §5: a Response is a bearer credential):
//! `[SAMLResponse removed: Response ID=id77, 9,412 bytes]` — the message's kind, its `ID`
//! (what support matches with the SP's and Okta's logs) and its size, never a byte of the
//! message itself. The redactor (crate/src/redact/) writes it wherever a `SAMLResponse` or
//! `SAMLRequest` value goes: form parameters, a form body, a URL's query.

use super::{decode, read, Message};

/// The marker for a `SAMLResponse`/`SAMLRequest` value as sent (form-decoded).
///
/// The service worker's module (cfg `saml_deferred`) decodes no SAML message: it writes
/// [`unread`]'s `[SAML message removed: N bytes]` instead. It gets there only for a name the
/// pre-check (`exchange::saml::mentions_saml`, which hands any exchange mentioning `saml` to
/// the full module) cannot see but the redactor's normalisation makes `samlresponse` or
/// `samlrequest` (`%53AMLResponse`, `\u0053AMLResponse`, `S-A-M-L-Response`): for those
/// names only, a tab folded in the worker's module says less than the full module would.
pub fn marker(value: &str) -> String {
    #[cfg(test)]
    super::decoded::bump();
    if cfg!(saml_deferred) {
        return unread(value);
    }
    let p = read(decode::field("SAMLResponse", value, false));
    let (field, what) = match &p.message {
        Ok(Message::Response(r)) => ("SAMLResponse", format!("Response ID={}", id(&r.id))),
        Ok(Message::Request(q)) => ("SAMLRequest", format!("AuthnRequest ID={}", id(&q.id))),
        Err(m) => ("SAML message", format!("unreadable ({})", m.problem)),
    };
    format!(
        "[{field} removed: {what}, {} bytes]",
        thousands(value.len())
    )
}

/// The marker of a value that is not decoded: its size only, no byte of it.
#[cfg_attr(not(saml_deferred), allow(dead_code))] // the sw module's; every build tests it
pub(crate) fn unread(value: &str) -> String {
    format!("[SAML message removed: {} bytes]", thousands(value.len()))
}

/// An `ID` as the marker shows it: XML's NCName characters only (letters, digits, `_-.`), at
/// most 64, so the marker can't be made to say anything else.
fn id(v: &Option<String>) -> String {
    let shown: String = v
        .as_deref()
        .unwrap_or("")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        .take(64)
        .collect();
    if shown.is_empty() {
        "(none)".into()
    } else {
        shown
    }
}

/// `9412` → `9,412`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::{engine::general_purpose::STANDARD, Engine};

    #[test]
    fn the_marker_says_what_was_there_and_nothing_of_it() {
        let xml = r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="id77&lt;x]"><x>SECRET</x></samlp:Response>"#;
        let v = STANDARD.encode(xml);
        let m = marker(&v);
        assert_eq!(
            m,
            format!(
                "[SAMLResponse removed: Response ID=id77x, {} bytes]",
                v.len()
            )
        );
        let q =
            r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_a1"/>"#;
        let deflated = STANDARD.encode(miniz_oxide::deflate::compress_to_vec(q.as_bytes(), 6));
        assert!(marker(&deflated).starts_with("[SAMLRequest removed: AuthnRequest ID=_a1, "));
        assert_eq!(
            marker("!!!"),
            "[SAML message removed: unreadable (base64), 3 bytes]"
        );
        assert_eq!(thousands(9412), "9,412");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(12), "12");
    }

    #[test]
    fn the_unread_marker_says_the_size_and_no_byte_of_the_value() {
        assert_eq!(unread(""), "[SAML message removed: 0 bytes]");
        assert_eq!(unread("abc"), "[SAML message removed: 3 bytes]");
        let xml = r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="id77"><x>SECRET</x></samlp:Response>"#;
        let big = STANDARD.encode(xml.repeat(100));
        let m = unread(&big);
        assert_eq!(
            m,
            format!("[SAML message removed: {} bytes]", thousands(big.len()))
        );
        assert!(m.contains(','), "{m}");
        // An adversarial value: one that reads like a marker, brackets, digits, a newline.
        let evil = "] 9,999 bytes]\n[SAMLResponse removed: Response ID=x, 1 bytes";
        let m = unread(evil);
        assert_eq!(m, format!("[SAML message removed: {} bytes]", evil.len()));
        // No byte of any value survives: the marker is the same for every value of one size.
        for v in [big.as_str(), evil, "AAAA", "é€"] {
            let same = "x".repeat(v.len());
            assert_eq!(unread(v), unread(&same), "{v}");
        }
    }
}
