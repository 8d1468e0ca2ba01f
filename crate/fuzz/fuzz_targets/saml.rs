//! Any bytes through the SAML path of `analyze_text`: as raw XML (alone and inside a SAML
//! root), base64 in a `SAMLResponse=` form (HTTP-POST), DEFLATE + base64 in a `SAMLRequest=`
//! query (HTTP-Redirect, both the bytes deflated and the bytes taken as a DEFLATE stream).
//! No panic, every finding worded, and the report never carries the encoded message.
#![no_main]

use base64::{engine::general_purpose::STANDARD, Engine};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let wrapped = format!(
        "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\">{text}</samlp:Response>"
    );
    let posted = STANDARD.encode(wrapped.as_bytes());
    let deflated = STANDARD.encode(miniz_oxide::deflate::compress_to_vec(wrapped.as_bytes(), 1));
    let stream = STANDARD.encode(data);
    let inputs = [
        text.to_string(),
        wrapped.clone(),
        format!("SAMLResponse={posted}&RelayState=r"),
        format!("SAMLRequest={deflated}"),
        format!("https://dev-1.okta.com/app/a/exk1/sso/saml?SAMLRequest={stream}&Signature=s"),
    ];
    for input in inputs {
        let report = okta_medic::analyze_text(&input, 1_750_000_000);
        assert!(report.findings.iter().all(|f| !f.id.is_empty() && !f.title.is_empty()));
        let json = serde_json::to_string(&report).expect("a report serialises");
        if posted.len() >= 80 {
            assert!(!json.contains(&posted[..80]), "the report carries the message");
        }
    }
});
