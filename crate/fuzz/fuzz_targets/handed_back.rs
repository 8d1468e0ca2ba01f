//! What a page hands back to the ui module — a report for `explain`, the exports and the
//! verification (wasm/words.rs, webcrypto.rs) — is any JSON to the core: read by hand as a
//! Report (digest/stored.rs `Read`), worded, settled and sealed (`explain::show`), then written
//! by the core's own JSON writer (report::compact), all without panicking; and that writer
//! writes, for any JSON value and for every report, the text serde_json writes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use okta_medic::digest::stored::Read;
use okta_medic::report::compact;
use okta_medic::{Report, Trusted};
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    assert_eq!(
        compact::to_json(&value),
        serde_json::to_string(&value).ok(),
        "the core's writer writes a JSON value as serde_json does"
    );
    let Some(mut report) = Report::read(&value) else {
        return;
    };
    okta_medic::explain::show(&mut report, &Trusted::default());
    let written = compact::to_json(&report).expect("a report writes");
    assert_eq!(Some(&written), serde_json::to_string(&report).ok().as_ref(), "the same report text");
    let back: Value = serde_json::from_str(&written).expect("the written report is JSON");
    assert!(back.is_object(), "a report writes as a JSON object");
});
