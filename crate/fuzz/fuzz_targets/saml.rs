//! Any bytes through the SAML path of `analyze_text`: as raw XML (alone and inside a SAML
//! root), base64 in a `SAMLResponse=` form (HTTP-POST), DEFLATE + base64 in a `SAMLRequest=`
//! query (HTTP-Redirect, both the bytes deflated and the bytes taken as a DEFLATE stream).
//! No panic, every finding worded, and the report never carries the encoded message. Then the
//! same bytes through the session fold (issue 17): an AuthnRequest (the bytes as its ID and as
//! a DEFLATE stream) sent to Okta and a Response posted to an ACS, as a live tab folds them
//! and as a HAR analysis does: the SAML state and the story stay bounded, survive a snapshot,
//! and neither the snapshot nor the worded report carries the posted message.
#![no_main]

use base64::{engine::general_purpose::STANDARD, Engine};
use libfuzzer_sys::fuzz_target;
use okta_medic::{exchange::FormField, live::Tab, Exchange};

/// The bytes' message folded into a tab: an AuthnRequest by HTTP-Redirect, then the Response
/// posted to the ACS, then the Response again as an IdP-initiated one.
fn fold(text: &str, posted: &str, stream: &str) {
    let request = format!(
        "<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"{}\" AssertionConsumerServiceURL=\"https://app/acs\"><saml:Issuer xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\">{text}</saml:Issuer></samlp:AuthnRequest>",
        text.replace('"', "")
    );
    let deflated = STANDARD.encode(miniz_oxide::deflate::compress_to_vec(request.as_bytes(), 1));
    let redirect = |q: &str, at: f64| Exchange {
        observed_at: Some(at),
        method: Some("GET".into()),
        url: Some(format!("https://dev-1.okta.com/app/a/exk1/sso/saml?SAMLRequest={}", q.replace('+', "%2B").replace('/', "%2F").replace('=', "%3D"))),
        status_code: Some(302),
        ..Exchange::default()
    };
    let post = |value: &str, at: f64| Exchange {
        observed_at: Some(at),
        method: Some("POST".into()),
        url: Some(format!("https://app/{}", text.chars().take(40).collect::<String>())),
        status_code: Some(403),
        request_form: vec![FormField { name: "SAMLResponse".into(), value: value.to_string() }],
        ..Exchange::default()
    };
    let mut tab = Tab::default();
    let mut har = okta_medic::har::Analysis::default();
    for (i, ex) in [redirect(&deflated, 1.0e12), redirect(stream, 1.0e12 + 1.0), post(posted, 1.0e12 + 2.0), post(stream, 1.0e12 + 3.0)]
        .into_iter()
        .enumerate()
    {
        let _ = tab.fold_live(&ex, None);
        let entry = serde_json::json!({
            "startedDateTime": "2026-11-27T10:00:00.000Z",
            "request": {"method": ex.method, "url": ex.url, "headers": [],
                        "postData": {"mimeType": "application/x-www-form-urlencoded",
                                     "params": ex.request_form.iter().map(|f| serde_json::json!({"name": f.name, "value": f.value})).collect::<Vec<_>>()}},
            "response": {"status": ex.status_code, "headers": []}
        });
        let _ = i;
        har.add_entry(&entry);
    }
    let flows = &tab.digest.flows;
    assert!(flows.flows.len() <= okta_medic::report::flow::MAX_FLOWS);
    assert!(flows.saml.requests.len() <= okta_medic::digest::saml::MAX_REQUESTS);
    let snapshot = serde_json::to_value(tab.snapshot()).expect("a tab serialises");
    let back = Tab::restore(&snapshot["digest"], &snapshot["timeline"], &snapshot["reports"]);
    assert_eq!(back.digest.flows.saml, flows.saml, "the SAML state survives a snapshot");
    let mut report = har.finish();
    okta_medic::explain::show(&mut report, &Default::default());
    for step in report.flows.iter().flatten().flat_map(|f| f.steps.iter()) {
        assert!(step.label.is_some() && step.detail.is_some(), "every step is worded");
    }
    if posted.len() >= 80 {
        let stored = snapshot.to_string();
        let shown = serde_json::to_string(&report).expect("a report serialises");
        assert!(!stored.contains(&posted[..80]), "the tab stores the message");
        assert!(!shown.contains(&posted[..80]), "the HAR report carries the message");
    }
}

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
    fold(&text, &posted, &stream);
});
