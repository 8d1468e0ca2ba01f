//! What the live fold says of exchanges the browser shows it around a SAML sign-in: a
//! redirect whose target is an Okta URL (the dashboard tile's `/home/…` → 302 →
//! `/app/…/sso/saml`) is not a token; the POST to the app's ACS is the app's request, not
//! Okta's; the browser's own favicon fetch answered 404 is no finding; a SAMLResponse too large
//! for the listener to keep is said, with its size.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use base64::{engine::general_purpose::STANDARD, Engine};
use okta_medic::{exchange::Header, live::Tab, Exchange};

fn header(name: &str, value: &str) -> Header {
    Header {
        name: name.into(),
        value: Some(value.into()),
    }
}

/// The ids of every finding the tab keeps (its stored snapshot, as data).
fn kept(tab: &Tab) -> String {
    serde_json::to_string(&tab.snapshot()).unwrap()
}

#[test]
fn a_redirect_to_an_okta_url_is_not_read_as_a_jwt() {
    let target = "https://dev-1234.okta.com/app/a/b/sso/saml";
    let ex = Exchange {
        observed_at: Some(1_750_000_000_000.0),
        method: Some("GET".into()),
        url: Some("https://dev-1234.okta.com/home/dev-1234_app_1/0oa1/aln1".into()),
        status_code: Some(302),
        response_headers: vec![header("location", target)].into(),
        kind: Some("main_frame".into()),
        ..Exchange::default()
    };
    let mut tab = Tab::default();
    let folded = tab.fold_live(&ex, Some(target));
    let stored = kept(&tab);
    assert!(!stored.contains("jwt."), "{stored}");
    assert!(!folded.kept, "{folded:?} {stored}");
    // The same target pasted: not a token either.
    let pasted = okta_medic::input::analyze_redirect_target(target, 1_750_000_000);
    assert!(
        pasted.findings.iter().all(|f| !f.id.starts_with("jwt.")),
        "{pasted:?}"
    );
}

/// A SAML Response posted by Okta's page to the app's ACS (the constructed fixture's).
fn acs_post(at: f64) -> Exchange {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let response = std::fs::read_to_string(root.join("saml-response-unsigned/input.txt")).unwrap();
    Exchange {
        observed_at: Some(at),
        method: Some("POST".into()),
        url: Some("https://app.example.com/saml/acs".into()),
        status_code: Some(302),
        kind: Some("main_frame".into()),
        request_form: vec![okta_medic::exchange::FormField {
            name: "SAMLResponse".into(),
            value: STANDARD.encode(response.trim()),
        }],
        ..Exchange::default()
    }
}

#[test]
fn the_acs_post_is_counted_as_the_apps_request_not_oktas() {
    let okta_page = Exchange {
        observed_at: Some(1_750_000_000_000.0),
        method: Some("GET".into()),
        url: Some("https://dev-1234.okta.com/app/dev-1234_app_1/exk1/sso/saml".into()),
        status_code: Some(200),
        response_headers: vec![header("x-okta-request-id", "req1")].into(),
        kind: Some("main_frame".into()),
        ..Exchange::default()
    };
    let mut tab = Tab::default();
    tab.fold_live(&okta_page, None);
    tab.fold_live(&acs_post(1_750_000_001_000.0), None);
    let summary = tab.view(1_750_000_002_000, 10).summary;
    assert!(
        summary.starts_with("1 request to Okta and 1 to the app · "),
        "{summary}"
    );
    let report = tab.digest.report(None);
    assert!(
        report
            .summary
            .starts_with("1 Okta request seen and 1 to the app, "),
        "{}",
        report.summary
    );
    // Stored and read back by hand, the app's count survives.
    let snapshot = serde_json::to_value(tab.snapshot()).unwrap();
    let back = Tab::restore(
        &snapshot["digest"],
        &snapshot["timeline"],
        &snapshot["reports"],
    );
    assert_eq!(back.digest.app, 1);
    assert_eq!(back.digest.okta_requests(), 1);
}

/// Chromium's favicon fetch for Okta's page, answered 404 (webRequest type `image`, the
/// page's origin as initiator): the browser's own request, not the app's or Okta's failure.
fn favicon(kind: &str, status: u16) -> Exchange {
    Exchange {
        observed_at: Some(1_750_000_000_000.0),
        method: Some("GET".into()),
        url: Some("https://dev-1234.okta.com/favicon.ico".into()),
        status_code: Some(status),
        response_headers: vec![
            header("content-type", "text/html"),
            header("x-okta-request-id", "req2"),
        ]
        .into(),
        kind: Some(kind.into()),
        initiator: Some("https://dev-1234.okta.com".into()),
        ..Exchange::default()
    }
}

#[test]
fn a_browsers_favicon_404_is_not_a_finding() {
    for kind in ["image", "other"] {
        let report = okta_medic::analyze_exchange(&favicon(kind, 404));
        let ids: Vec<_> = report.findings.iter().map(|f| &*f.id).collect();
        assert_eq!(ids, ["http.request_id"], "{kind}");
        assert!(report.severity < okta_medic::Severity::Warning, "{kind}");
        let mut tab = Tab::default();
        let folded = tab.fold_live(&favicon(kind, 404), None);
        assert!(!folded.kept, "{kind}: {folded:?}");
        assert_eq!(tab.view(1_750_000_001_000, 10).badge.count, 0, "{kind}");
    }
    // Any other path answered 404 on Okta's host still is one.
    let mut other = favicon("image", 404);
    other.url = Some("https://dev-1234.okta.com/favicon.png".into());
    let report = okta_medic::analyze_exchange(&other);
    assert!(
        report.findings.iter().any(|f| f.id == "http.error_status"),
        "{report:?}"
    );
    // A 5xx on the favicon is Okta's failure: still said.
    let report = okta_medic::analyze_exchange(&favicon("image", 503));
    assert!(
        report.findings.iter().any(|f| f.id == "http.server_error"),
        "{report:?}"
    );
}

#[test]
fn a_saml_response_too_large_to_capture_is_said_with_its_size() {
    // What the listener hands over for a SAMLResponse over its 64 KiB per form value: the name
    // and the length, never the value.
    let ex: Exchange = serde_json::from_value(serde_json::json!({
        "observedAt": 1_750_000_001_000.0_f64,
        "method": "POST",
        "url": "https://app.example.com/saml/acs",
        "statusCode": 302,
        "type": "main_frame",
        "requestForm": [{"name": "RelayState", "value": "/home"}],
        "requestFormOmitted": [{"name": "SAMLResponse", "length": 90_000}],
    }))
    .unwrap();
    assert!(
        okta_medic::har::is_read(&ex),
        "a SAML POST to the app is read"
    );
    let find = |r: &okta_medic::Report| {
        r.findings
            .iter()
            .find(|f| f.id == "saml.malformed")
            .cloned()
            .unwrap_or_else(|| panic!("{:?}", r.findings))
    };
    // As data: the problem, the size and the listener's limit.
    let seen = okta_medic::exchange::Seen::from_exchange(&ex, None);
    let f = find(&okta_medic::http::analyze(seen));
    assert_eq!(f.params.str("problem"), "too_large");
    assert_eq!(f.params.int("bytes"), Some(90_000));
    assert_eq!(f.params.int("limit"), Some(65_536));
    assert!(f.params.flag("omitted"));
    // Worded.
    let f = find(&okta_medic::analyze_exchange(&ex));
    assert_eq!(f.title, "SAMLResponse seen but too large to check");
    assert!(f.detail.contains("90000 bytes"), "{}", f.detail);
    // On the live tab it is kept and counted as the app's request.
    let mut tab = Tab::default();
    let folded = tab.fold_live(&ex, None);
    assert!(folded.kept, "{folded:?}");
    assert!(kept(&tab).contains("saml.malformed"));
    assert_eq!(tab.digest.app, 1);
}
