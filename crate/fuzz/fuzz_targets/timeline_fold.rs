//! What a restarted service worker reads back from storage and folds onto: the first line is a
//! stored rate-limit timeline and the second a stored digest (any JSON: storage may hold an older
//! or damaged shape), every further line an exchange. Folding, viewing at extreme clocks and
//! reporting must neither panic nor lose count.
#![no_main]

use libfuzzer_sys::fuzz_target;
use okta_medic::{digest::Digest, timeline, Exchange};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.split('\n');
    let stored_timeline: serde_json::Value =
        serde_json::from_str(lines.next().unwrap_or("")).unwrap_or_default();
    let mut digest: Digest =
        serde_json::from_str(lines.next().unwrap_or("")).unwrap_or_default();
    let mut t = timeline::parse(&stored_timeline).unwrap_or_default();
    let before = digest.exchanges;
    let mut folded = 0u64;
    for line in lines {
        let Ok(ex) = serde_json::from_str::<Exchange>(line) else { continue };
        t = timeline::fold(t, &ex);
        digest.add(&okta_medic::analyze_exchange(&ex), ex.observed_at.unwrap_or(f64::NAN));
        folded += 1;
    }
    assert_eq!(digest.exchanges, before.saturating_add(folded));
    for now in [i64::MIN, -1, 0, 1_750_000_000_000, i64::MAX] {
        let view = timeline::view_with_threshold(&t, now, (folded % 256) as u8);
        let _ = serde_json::to_string(&view);
    }
    let stored = serde_json::to_value(&t).unwrap_or_default();
    assert!(timeline::parse(&stored).is_some(), "a folded timeline reads back");
    let _ = digest.report(None);
});
