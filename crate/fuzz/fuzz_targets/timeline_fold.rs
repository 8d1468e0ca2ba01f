//! What a restarted service worker reads back from storage and folds onto (`live::Tab`): the
//! first line is a stored rate-limit timeline, the second a stored digest, the third the stored
//! reports (any JSON: storage may hold an older or damaged shape), every further line an
//! exchange (every other one also treated as a redirect to its own URL). Restoring, folding,
//! viewing at extreme clocks and snapshotting must neither panic nor lose count, and a snapshot
//! must restore to the same tab.
#![no_main]

use libfuzzer_sys::fuzz_target;
use okta_medic::{live::Tab, timeline, Exchange};
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.split('\n');
    let mut stored = || -> Value { serde_json::from_str(lines.next().unwrap_or("")).unwrap_or_default() };
    let (timeline_value, digest_value, reports_value) = (stored(), stored(), stored());
    let mut tab = Tab::restore(&digest_value, &timeline_value, &reports_value);
    let before = tab.digest.exchanges;
    let mut folded = 0u64;
    for (i, line) in lines.enumerate() {
        let Ok(ex) = serde_json::from_str::<Exchange>(line) else { continue };
        let redirect = (i % 2 == 1).then_some(ex.url.as_deref()).flatten();
        let _ = tab.fold_live(&ex, redirect);
        folded += 1;
    }
    if folded == 0 {
        let _ = tab.fold_unreadable("not an exchange", f64::NAN, Some(&text));
        folded = 1;
    }
    assert_eq!(tab.digest.exchanges, before.saturating_add(folded));
    for now in [i64::MIN, -1, 0, 1_750_000_000_000, i64::MAX] {
        let view = timeline::view_with_threshold(&tab.timeline, now, (folded % 256) as u8);
        let _ = serde_json::to_string(&view);
    }
    let snapshot = serde_json::to_value(tab.snapshot()).expect("a tab serialises");
    let back = Tab::restore(&snapshot["digest"], &snapshot["timeline"], &snapshot["reports"]);
    assert_eq!(back.digest.exchanges, tab.digest.exchanges, "a snapshot restores its counts");
    assert_eq!(back.reports.len(), tab.reports.len());
    let _ = tab.digest.report(None);
});
