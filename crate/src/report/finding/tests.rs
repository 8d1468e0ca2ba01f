//! The boxed words against the shape they replaced: the same JSON bytes (serde_json's and
//! `report::compact`'s), the same finding read back, no box for a fact.

use super::*;
use crate::report::compact;

/// `Finding` as it was before its words were boxed (docs/performance-log.md, "liveFold, tenth
/// pass"): every field its own, the same serde attributes.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Flat {
    id: String,
    severity: Severity,
    title: String,
    detail: String,
    fix: Vec<String>,
    commands: Vec<Command>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    docs_url: Option<String>,
    evidence: Vec<Evidence>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    okta_cause: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    action: Option<Action>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    todo: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    why: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    quote: Option<Quote>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reported_by: Option<ReportedBy>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    folded: Vec<String>,
    #[serde(default, skip_serializing_if = "Params::is_empty")]
    params: Params,
}

fn flat(f: &Finding) -> Flat {
    let w: &Words = f;
    Flat {
        id: f.id.clone(),
        severity: f.severity,
        title: w.title.clone(),
        detail: w.detail.clone(),
        fix: w.fix.clone(),
        commands: w.commands.clone(),
        docs_url: w.docs_url.clone(),
        evidence: f.evidence.clone(),
        okta_cause: f.okta_cause.clone(),
        action: w.action.clone(),
        todo: w.todo.clone(),
        why: w.why.clone(),
        quote: f.quote.clone(),
        reported_by: f.reported_by,
        folded: f.folded.clone(),
        params: f.params.clone(),
    }
}

/// A fact, a fact with every data field, a finding with every word, one with a title only,
/// one whose words were given and emptied.
fn cases() -> Vec<Finding> {
    let fact = Finding::fact("okta_error.E0000047", Severity::Warning)
        .with("status", 429i64)
        .with("errorId", "oaeX\"1\u{7}");
    let mut data = Finding::fact("rate_limit.exceeded", Severity::Error)
        .evidence("header", "X-Rate-Limit-Limit", "600")
        .quote("Okta said (errorSummary)", "API call exceeded rate limit");
    data.okta_cause = Some("user_not_assigned".into());
    data.reported_by = Some(ReportedBy::Page);
    data.folded = vec!["okta_error.E0000047".into()];
    let mut worded = Finding::new("jwt.expired", Severity::Error, "Token expired")
        .detail("exp is past.\n")
        .fix("Refresh it.")
        .command("Decode", "okta-medic 'x'")
        .docs("https://developer.okta.com/")
        .evidence("claim", "exp", "1");
    worded.action = Some(Action {
        kind: "verify_signature".into(),
        label: "Verify".into(),
        origin: Some("https://dev-1.okta.com/*".into()),
    });
    worded.todo = Some("Sign in again.".into());
    worded.why = Some("It expired.".into());
    let mut emptied = Finding::fact("http.error_status", Severity::Info);
    emptied.title = "x".into();
    emptied.title.clear();
    vec![
        fact,
        data,
        worded,
        Finding::new("cors.origin_not_trusted", Severity::Ok, "Title only"),
        emptied,
    ]
}

#[test]
fn boxed_words_write_the_flat_findings_bytes() {
    for f in cases() {
        let was = serde_json::to_string(&flat(&f)).unwrap();
        assert_eq!(serde_json::to_string(&f).unwrap(), was, "{}", f.id);
        assert_eq!(
            compact::to_json(&f).as_deref(),
            Some(was.as_str()),
            "{}",
            f.id
        );
        let back: Finding = serde_json::from_str(&was).unwrap();
        assert_eq!(back, f, "{}", f.id);
        assert_eq!(serde_json::to_string(&back).unwrap(), was, "{}", f.id);
        // Read back, words that say nothing are no box.
        assert_eq!(back.words.is_some(), *back != NONE, "{}", f.id);
    }
}

#[test]
fn a_fact_has_no_words_and_reading_them_gives_none() {
    let mut f = Finding::fact("okta_error.E0000011", Severity::Warning).with("status", 401i64);
    assert!(f.words.is_none() && !f.is_worded() && f.fix.is_empty());
    f.each_string(&mut |s| s.push('!'));
    assert!(f.words().is_none(), "sealing a fact gave it words");
    assert!(
        std::mem::size_of::<Finding>() < 200,
        "{}",
        std::mem::size_of::<Finding>()
    );
    f.title = "Worded".into();
    assert!(f.is_worded() && f.words().is_some());
}

/// The core's quote labels (the three `Okta said (…)` the analysis writes) are what the seal
/// would leave: skipping a borrowed one writes the same.
#[test]
fn the_seal_keeps_the_core_quote_labels() {
    for label in [
        "Okta said (errorSummary)",
        "Okta said (message)",
        "Okta said (error_description)",
    ] {
        let owned = Finding::fact("http.error_status", Severity::Error)
            .quote(label.to_string(), "API call exceeded rate limit");
        let borrowed = Finding::fact("http.error_status", Severity::Error)
            .quote(label, "API call exceeded rate limit");
        for mut f in [owned, borrowed] {
            crate::redact::seal_finding(&mut f);
            assert_eq!(f.quote.as_ref().map(|q| q.label.as_ref()), Some(label));
        }
    }
}
