//! The hand-written reader of stored tabs (digest/stored.rs): whatever storage hands back (any
//! JSON, three lines: digest, timeline, reports) is read without panicking, and what it reads
//! stores and reads back to the same tab.
#![no_main]

use libfuzzer_sys::fuzz_target;
use okta_medic::live::Tab;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.split('\n');
    let mut stored = || -> Value { serde_json::from_str(lines.next().unwrap_or("")).unwrap_or_default() };
    let (digest, timeline, reports) = (stored(), stored(), stored());
    let tab = Tab::restore(&digest, &timeline, &reports);
    let snapshot = serde_json::to_value(tab.snapshot()).expect("a tab serialises");
    let back = Tab::restore(&snapshot["digest"], &snapshot["timeline"], &snapshot["reports"]);
    assert_eq!(back.digest, tab.digest, "a stored digest reads back as it was");
    assert_eq!(back.timeline, tab.timeline, "a stored timeline reads back as it was");
    assert_eq!(back.reports.len(), tab.reports.len());
});
