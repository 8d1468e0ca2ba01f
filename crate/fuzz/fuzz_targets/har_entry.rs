//! Any JSON as a HAR entry: conversion to an exchange, analysis, and redaction (in memory and
//! as the streamed entry text), whose output is always JSON.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(mut entry) = serde_json::from_slice::<serde_json::Value>(data) {
        let mut analysis = okta_medic::har::Analysis::default();
        analysis.add_entry(&entry);
        let _ = analysis.finish();
        let mut receipt = okta_medic::redact::Receipt::default();
        if let Ok(text) = std::str::from_utf8(data) {
            let out = okta_medic::redact::har_entry_text(text, 0, &mut receipt);
            assert!(serde_json::from_str::<serde_json::Value>(&out).is_ok(), "{out}");
        }
        okta_medic::redact::har_entry(&mut entry, 0, &mut receipt);
        let mut doc = serde_json::json!({"log": {"entries": [entry]}});
        let _ = okta_medic::redact::har_document(&mut doc);
    }
});
