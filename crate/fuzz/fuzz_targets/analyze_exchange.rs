//! Any JSON as a browser exchange through `analyze_exchange`, and folded into a digest.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(ex) = serde_json::from_slice::<okta_medic::Exchange>(data) {
        let report = okta_medic::analyze_exchange(&ex);
        let mut digest = okta_medic::digest::Digest::default();
        digest.add(&report, ex.observed_at.unwrap_or(0.0));
        digest.add(&report, f64::NAN);
        assert!(digest.exchanges == 2);
    }
});
