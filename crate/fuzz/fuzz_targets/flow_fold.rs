//! The sign-in flow fold (issue 16): a HAR document's entries (the flow-har-* fixtures seed
//! it), or else every line an exchange folded into one of three live tabs
//! (so the cross-tab refresh-token table is exercised), every other one redirected to the next
//! line's text (a callback URL when the fuzzer makes one), and every line's URL also read as
//! a HAR entry (the app's callback path). The flow state must stay bounded, survive a snapshot,
//! and its story must be worded when shown; nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use okta_medic::{live::Tabs, Exchange};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let lines: Vec<&str> = text.split('\n').collect();
    let document: Option<serde_json::Value> = serde_json::from_str(&text).ok();
    let exchanges: Vec<Option<Exchange>> = match document.as_ref().and_then(okta_medic::har::parse) {
        Some(entries) => entries.iter().map(okta_medic::har::exchange).collect(),
        None => lines.iter().map(|l| serde_json::from_str::<Exchange>(l).ok()).collect(),
    };
    let mut tabs = Tabs::default();
    let mut har = okta_medic::har::Analysis::default();
    for (i, ex) in exchanges.into_iter().enumerate() {
        let Some(ex) = ex else { continue };
        let redirect = (i % 2 == 1).then(|| lines.get(i + 1).copied()).flatten();
        let _ = tabs.fold((i % 3) as i64, &ex, redirect);
        if let Some(url) = ex.url.as_deref() {
            let entry = serde_json::json!({
                "startedDateTime": "2026-11-27T10:00:00.000Z",
                "request": {"method": ex.method, "url": url, "headers": [],
                            "postData": {"mimeType": "application/x-www-form-urlencoded",
                                         "text": redirect.unwrap_or_default()}},
                "response": {"status": ex.status_code.unwrap_or(0), "headers": []}
            });
            har.add_entry(&entry);
        }
    }
    for id in 0..3 {
        let Some(tab) = tabs.get(id) else { continue };
        let flows = &tab.digest.flows;
        assert!(flows.flows.len() <= okta_medic::report::flow::MAX_FLOWS);
        assert!(flows.flows.iter().all(|f| f.steps.len() <= okta_medic::report::flow::MAX_STEPS));
        let snapshot = serde_json::to_value(tab.snapshot()).expect("a tab serialises");
        let back = okta_medic::live::Tab::restore(&snapshot["digest"], &snapshot["timeline"], &snapshot["reports"]);
        assert_eq!(back.digest.flows.flows, flows.flows, "the story survives a snapshot");
        let mut report = tab.digest.report(None);
        okta_medic::explain::show(&mut report, &Default::default());
        for step in report.flows.iter().flatten().flat_map(|f| f.steps.iter()) {
            assert!(step.label.is_some() && step.detail.is_some(), "every step is worded");
        }
        let view = tab.view(1_750_000_000_000, 90);
        assert_eq!(view.flows.len(), flows.flows.len());
    }
    let report = har.finish();
    assert!(report.flows.iter().flatten().count() <= okta_medic::report::flow::MAX_FLOWS);
});
