//! Any bytes, as text, through `analyze_text`: no panic, and the report keeps its invariants.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (clock, text) = data.split_at(data.len().min(8));
    let mut now = [0u8; 8];
    now[..clock.len()].copy_from_slice(clock);
    let now = i64::from_le_bytes(now);
    let text = String::from_utf8_lossy(text);
    let report = okta_medic::analyze_text(&text, now);
    assert_eq!(report.schema_version, 1);
    assert_eq!(report.severity, report.findings.iter().map(|f| f.severity).max().unwrap_or_default());
    assert!(report.findings.iter().all(|f| !f.id.is_empty() && !f.title.is_empty()));
    let json = serde_json::to_string(&report).expect("a report serialises");
    let back: okta_medic::Report = serde_json::from_str(&json).expect("and reads back");
    assert_eq!(back, report);
});
