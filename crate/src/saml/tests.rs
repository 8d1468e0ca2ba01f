//! The SAML module's tests: what a message says, and hostile XML answered with
//! `saml.malformed` quickly.

use std::time::Instant;

use base64::{engine::general_purpose::STANDARD, Engine};

use super::*;

const NS: &str = r#"xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion""#;

fn read(xml: &str) -> Result<Message, Malformed> {
    parse(xml).expect("recognised").message
}

fn problem(text: &str) -> &'static str {
    parse(text)
        .expect("recognised")
        .message
        .unwrap_err()
        .problem
}

fn ids(text: &str, now: i64) -> Vec<String> {
    findings(&parse(text).expect("recognised"), now)
        .into_iter()
        .map(|f| f.id.into_owned())
        .collect()
}

#[test]
fn a_response_is_read_without_its_secrets() {
    let xml = format!(
        r#"<samlp:Response {NS} ID="r1" Destination="https://sp/acs"><saml:Issuer>http://www.okta.com/exk1</saml:Issuer>
<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder"><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:AuthnFailed"/></samlp:StatusCode><samlp:StatusMessage>no &amp; never</samlp:StatusMessage></samlp:Status>
<saml:Assertion><saml:Issuer>http://www.okta.com/exk1</saml:Issuer><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignatureValue>SECRETSIG</ds:SignatureValue></ds:Signature>
<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">a@b.c</saml:NameID></saml:Subject>
<saml:AttributeStatement><saml:Attribute Name="groups"><saml:AttributeValue>SECRETVALUE</saml:AttributeValue></saml:Attribute></saml:AttributeStatement></saml:Assertion></samlp:Response>"#
    );
    let Ok(Message::Response(r)) = read(&xml) else {
        panic!("a response")
    };
    assert_eq!(r.issuer.as_deref(), Some("http://www.okta.com/exk1"));
    assert_eq!(r.status_message.as_deref(), Some("no & never"));
    assert_eq!(
        r.sub_status.as_deref(),
        Some("urn:oasis:names:tc:SAML:2.0:status:AuthnFailed")
    );
    assert_eq!(r.name_id.as_deref(), Some("a@b.c"));
    assert_eq!(r.attributes, vec!["groups"]);
    assert!(r.signed_assertion && !r.signed_response && r.assertion);
    assert!(!format!("{r:?}").contains("SECRET"));
    let got = ids(&xml, 0);
    assert_eq!(got, vec!["saml.status_error", "saml.response"]);
}

#[test]
fn signatures_validity_and_encryption_give_their_findings() {
    let assertion = |sig: &str, nb: &str, noa: &str| {
        format!(
            r#"<samlp:Response {NS}><saml:Issuer>i</saml:Issuer>{sig}<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status><saml:Assertion><saml:Conditions NotBefore="{nb}" NotOnOrAfter="{noa}"/></saml:Assertion></samlp:Response>"#
        )
    };
    let sig = "<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"/>";
    // 2025-06-15T15:06:40Z = 1_750_000_000
    let ok = assertion(sig, "2025-06-15T15:01:40Z", "2025-06-15T15:11:40Z");
    assert_eq!(ids(&ok, 1_750_000_000), vec!["saml.response"]);
    assert_eq!(
        ids(&ok, 1_750_000_000 + 300),
        vec!["saml.expired", "saml.response"]
    );
    assert_eq!(
        ids(&ok, 1_750_000_000 - 301),
        vec!["saml.not_yet_valid", "saml.response"]
    );
    let unsigned = assertion("", "2025-06-15T15:01:40Z", "2025-06-15T15:11:40Z");
    assert_eq!(
        ids(&unsigned, 1_750_000_000),
        vec!["saml.unsigned", "saml.response"]
    );
    let encrypted = format!(
        r#"<samlp:Response {NS}>{sig}<saml:EncryptedAssertion><x:CipherValue xmlns:x="e">abc</x:CipherValue></saml:EncryptedAssertion></samlp:Response>"#
    );
    assert_eq!(ids(&encrypted, 0), vec!["saml.encrypted", "saml.response"]);
}

#[test]
fn a_request_is_read() {
    let xml = format!(
        r#"<samlp:AuthnRequest {NS} ID="q" ForceAuthn="true" AssertionConsumerServiceURL="https://sp/acs"><saml:Issuer>https://sp/meta</saml:Issuer><samlp:NameIDPolicy Format="f" AllowCreate="true"/></samlp:AuthnRequest>"#
    );
    let Ok(Message::Request(q)) = read(&xml) else {
        panic!("a request")
    };
    assert_eq!(q.issuer.as_deref(), Some("https://sp/meta"));
    assert_eq!(q.acs_url.as_deref(), Some("https://sp/acs"));
    assert_eq!(q.name_id_policy.as_deref(), Some("f"));
    assert!(q.force_authn && q.allow_create == Some(true));
}

#[test]
fn hostile_xml_is_malformed_quickly() {
    let start = Instant::now();
    let laughs = format!(
        "<!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><samlp:Response {NS}>&b;</samlp:Response>"
    );
    let xxe = format!(
        "<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><samlp:Response {NS}>&x;</samlp:Response>"
    );
    let deep = format!(
        "<samlp:Response {NS}>{}{}</samlp:Response>",
        "<a>".repeat(10_000),
        "</a>".repeat(10_000)
    );
    let wide = format!(
        "<samlp:Response {NS}>{}</samlp:Response>",
        "<a/>".repeat(30_000)
    );
    let big_value = format!(
        "<samlp:Response {NS}><saml:Issuer>{}</saml:Issuer></samlp:Response>",
        "x".repeat(20 * 1024 * 1024)
    );
    let cases = [
        (laughs.clone(), "dtd"),
        (STANDARD.encode(&laughs), "dtd"),
        (xxe, "dtd"),
        (deep, "depth"),
        (wide, "elements"),
        (big_value, "too_large"),
        (
            format!("<samlp:Response {NS}>&undefined;</samlp:Response>"),
            "entity",
        ),
        (
            format!("<samlp:Response {NS}><a></b></samlp:Response>"),
            "xml",
        ),
        (format!("<samlp:Response {NS}><a>"), "xml"),
        (format!("<samlp:LogoutRequest {NS}/>"), "root"),
    ];
    for (text, want) in cases {
        assert_eq!(problem(&text), want, "{}", text.get(..80).unwrap_or(&text));
        let f = findings(&parse(&text).unwrap(), 0);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].id, "saml.malformed");
    }
    assert!(start.elapsed().as_secs() < 5, "{:?}", start.elapsed());
}
