//! What a redacted SAML message leaves behind (issue 17 §5: a Response is a bearer credential):
//! `[SAMLResponse removed: Response ID=id77, 9,412 bytes]` — the message's kind, its `ID`
//! (what support matches with the SP's and Okta's logs) and its size, never a byte of the
//! message itself. The redactor (crate/src/redact/) writes it wherever a `SAMLResponse` or
//! `SAMLRequest` value goes: form parameters, a form body, a URL's query.

use super::{decode, read, Message};

/// The marker for a `SAMLResponse`/`SAMLRequest` value as sent (form-decoded).
pub fn marker(value: &str) -> String {
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
}
