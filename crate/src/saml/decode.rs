//! From pasted text to a SAML message's XML, as the bindings encode it (SAML 2.0 Bindings,
//! §3.4 HTTP-Redirect: DEFLATE → base64 → URL-encode; §3.5 HTTP-POST: base64 in a form
//! field): the raw XML, a bare base64 or URL-encoded value, or a whole form or query string
//! (`SAMLResponse=…&RelayState=…`, a URL carrying `SAMLRequest=…`). Every step is bounded:
//! the inflated or decoded XML may not exceed [`MAX_XML_BYTES`].

use base64::{engine::general_purpose::STANDARD, Engine};

use super::Malformed;
use crate::encoding;

/// The most XML a message may decode to. Okta's Responses are a few kilobytes (tens with
/// many attributes); a megabyte leaves room and bounds the inflate and the XML reader.
pub const MAX_XML_BYTES: usize = 1024 * 1024;

/// A SAML message found in pasted text: where it came from and its XML, or why it could not
/// be decoded.
#[derive(Clone, Debug)]
pub struct Pasted {
    /// `SAMLResponse` or `SAMLRequest` when the text named the field.
    pub field: Option<&'static str>,
    /// The form or query string also carried `RelayState`.
    pub relay_state: bool,
    /// The query string carried a detached `Signature` (HTTP-Redirect's signed request).
    pub query_signature: bool,
    /// The steps that decoded: `url`, `base64`, `inflate` (none for raw XML).
    pub steps: Vec<&'static str>,
    pub xml: Result<String, Malformed>,
}

/// The SAML message `text` holds; `None` when it holds none (not mine).
pub fn pasted(text: &str) -> Option<Pasted> {
    let t = text.trim();
    if t.starts_with('<') {
        return is_saml_xml(t).then(|| Pasted {
            field: None,
            relay_state: false,
            query_signature: false,
            steps: Vec::new(),
            xml: bounded(t.to_string()),
        });
    }
    if t.contains("SAMLResponse=") || t.contains("SAMLRequest=") {
        return Some(form(t));
    }
    bare(t)
}

/// A form field's value as the browser sent it (HTTP-POST binding; already form-decoded, as
/// webRequest's `formData` and a HAR's `postData.params` give it).
pub fn field(name: &'static str, value: &str, relay_state: bool) -> Pasted {
    let mut steps = Vec::new();
    let xml = value_xml(value, &mut steps, true);
    Pasted {
        field: Some(name),
        relay_state,
        query_signature: false,
        steps,
        xml,
    }
}

/// The text looks like a SAML message's XML: it names a SAML 2.0 namespace.
fn is_saml_xml(t: &str) -> bool {
    t.contains("urn:oasis:names:tc:SAML:2.0:")
}

fn bounded(xml: String) -> Result<String, Malformed> {
    if xml.len() > MAX_XML_BYTES {
        return Err(Malformed::new("too_large").with_bytes(xml.len()));
    }
    Ok(xml)
}

/// `SAMLResponse=…&RelayState=…` (a form body) or a URL whose query carries `SAMLRequest=…`.
fn form(t: &str) -> Pasted {
    let query = match t.split_once('?') {
        Some((head, q)) if head.contains("://") || head.starts_with('/') => q,
        _ => t,
    };
    let query = query.split('#').next().unwrap_or_default();
    let mut field = None;
    let mut value = "";
    let mut relay_state = false;
    let mut query_signature = false;
    for pair in query.split(['&', '\n']) {
        let (name, v) = pair.trim().split_once('=').unwrap_or((pair.trim(), ""));
        match name {
            "SAMLResponse" if field.is_none() => (field, value) = (Some("SAMLResponse"), v),
            "SAMLRequest" if field.is_none() => (field, value) = (Some("SAMLRequest"), v),
            "RelayState" => relay_state = true,
            "Signature" => query_signature = true,
            _ => {}
        }
    }
    let mut steps = Vec::new();
    let xml = value_xml(value, &mut steps, true);
    Pasted {
        field,
        relay_state,
        query_signature,
        steps,
        xml,
    }
}

/// A bare value: base64 of XML (HTTP-POST) or of raw DEFLATE (HTTP-Redirect), possibly
/// URL-encoded and wrapped over lines. Anything else is not mine.
fn bare(t: &str) -> Option<Pasted> {
    let mut steps = Vec::new();
    let xml = value_xml(t, &mut steps, false).ok()?;
    Some(Pasted {
        field: None,
        relay_state: false,
        query_signature: false,
        steps,
        xml: Ok(xml),
    })
}

/// Decodes a field's value to XML, recording the steps that worked. `named`: the text said
/// it is a SAML field, so every failure is worth a finding (for a bare value, the caller
/// treats any failure as "not SAML").
fn value_xml(value: &str, steps: &mut Vec<&'static str>, named: bool) -> Result<String, Malformed> {
    let unescaped = if value.contains('%') {
        let v = encoding::percent_decode(value).ok_or_else(|| Malformed::new("url"))?;
        steps.push("url");
        v
    } else {
        value.to_string()
    };
    let compact: String = unescaped.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.is_empty() {
        return Err(Malformed::new("empty"));
    }
    if !named
        && (compact.len() < 40
            || !compact
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=')))
    {
        return Err(Malformed::new("base64"));
    }
    // A base64 value four thirds the size of the limit decodes past it: refuse before decoding.
    if compact.len() / 4 * 3 > MAX_XML_BYTES {
        return Err(Malformed::new("too_large").with_bytes(compact.len() / 4 * 3));
    }
    let bytes = STANDARD
        .decode(compact.trim_end_matches('=').to_string() + pad(&compact))
        .map_err(|e| Malformed::new("base64").with_error(&e.to_string()))?;
    steps.push("base64");
    if let Some(xml) = xml_text(&bytes) {
        return bounded(xml);
    }
    let inflated = miniz_oxide::inflate::decompress_to_vec_with_limit(&bytes, MAX_XML_BYTES)
        .map_err(|e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => {
                Malformed::new("too_large").with_bytes(MAX_XML_BYTES + 1)
            }
            _ => Malformed::new("not_xml"),
        })?;
    steps.push("inflate");
    match xml_text(&inflated) {
        Some(xml) => Ok(xml),
        None => Err(Malformed::new("not_xml")),
    }
}

/// The padding a base64 value without its `=` needs.
fn pad(compact: &str) -> &'static str {
    match compact.trim_end_matches('=').len() % 4 {
        2 => "==",
        3 => "=",
        _ => "",
    }
}

/// The bytes as text when they are UTF-8 XML naming a SAML namespace.
fn xml_text(bytes: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(bytes).ok()?;
    let t = text.trim_start_matches('\u{feff}').trim_start();
    (t.starts_with('<') && is_saml_xml(t)).then(|| t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const XML: &str =
        r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="a1"/>"#;

    fn deflated_b64(xml: &str) -> String {
        STANDARD.encode(miniz_oxide::deflate::compress_to_vec(xml.as_bytes(), 6))
    }

    #[test]
    fn every_encoding_decodes_to_the_xml() {
        let b64 = STANDARD.encode(XML);
        let wrapped: String = b64
            .as_bytes()
            .chunks(20)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join("\r\n");
        let redirect = deflated_b64(XML);
        let url_encoded = redirect
            .replace('+', "%2B")
            .replace('/', "%2F")
            .replace('=', "%3D");
        let cases = [
            (XML.to_string(), vec![]),
            (b64.clone(), vec!["base64"]),
            (wrapped, vec!["base64"]),
            (redirect.clone(), vec!["base64", "inflate"]),
            (url_encoded.clone(), vec!["url", "base64", "inflate"]),
            (
                format!("https://dev-1.okta.com/app/x/exk1/sso/saml?SAMLRequest={url_encoded}&RelayState=r&SigAlg=a&Signature=s"),
                vec!["url", "base64", "inflate"],
            ),
            (format!("SAMLResponse={b64}&RelayState=%2Fhome"), vec!["base64"]),
        ];
        for (text, steps) in cases {
            let p = pasted(&text).unwrap_or_else(|| panic!("not recognised: {text}"));
            assert_eq!(p.xml.as_deref().ok(), Some(XML), "{text}");
            assert_eq!(p.steps, steps, "{text}");
        }
        let q = pasted(&format!(
            "x?SAMLRequest={url_encoded}&RelayState=r&Signature=s"
        ))
        .unwrap();
        assert!(q.relay_state && q.query_signature);
    }

    #[test]
    fn other_text_is_not_mine_and_a_named_field_always_answers() {
        for text in [
            "00igKrTNyNLHCw0wYSIsoDF28cN4B3KZPETBz9pqz0",
            "NrJBJ5-89k9CHZ7CJz4Q42yNqoIjm7BclN-1TH_B7z0",
            "<html><body>hi</body></html>",
            &STANDARD.encode("{\"not\":\"xml at all, but long enough to try\"}"),
        ] {
            assert!(pasted(text).is_none(), "{text}");
        }
        for (text, problem) in [
            ("SAMLResponse=", "empty"),
            ("SAMLResponse=!!!notbase64!!!", "base64"),
            ("SAMLResponse=%zz", "url"),
            ("SAMLRequest=aGVsbG8gd29ybGQ=", "not_xml"),
        ] {
            let e = pasted(text).unwrap().xml.unwrap_err();
            assert_eq!(e.problem, problem, "{text}");
        }
    }

    #[test]
    fn a_deflate_bomb_stops_at_the_limit() {
        let huge = format!(
            "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\">{}</samlp:Response>",
            "a".repeat(20 * 1024 * 1024)
        );
        let e = pasted(&format!("SAMLRequest={}", deflated_b64(&huge)))
            .unwrap()
            .xml
            .unwrap_err();
        assert_eq!(e.problem, "too_large");
    }
}
