//! What the live fold says of exchanges the browser shows it around a SAML sign-in: a
//! redirect whose target is an Okta URL (the dashboard tile's `/home/…` → 302 →
//! `/app/…/sso/saml`) is not a token.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

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
        response_headers: vec![header("location", target)],
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
