//! The `sw` module's own JSON reader (`okta_medic::json::read`) against serde_json's: for any
//! text, the same `Value` (written the same: key order, float bits, number kinds) or the same
//! refusal (`Display`: message, line and column). And the first 8 bytes as an `f64`: its text
//! without `Display` (`okta_medic::json::f64_display`) as `Display` writes it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    if let Some(bytes) = data.get(..8) {
        let f = f64::from_le_bytes(bytes.try_into().unwrap());
        assert_eq!(okta_medic::json::f64_display(f), format!("{f}"), "{f:e}");
    }
    let Ok(text) = std::str::from_utf8(data) else { return };
    let ours = okta_medic::json::read(text);
    let theirs = serde_json::from_str::<Value>(text);
    match (ours, theirs) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a, b, "{text:?}");
            assert_eq!(serde_json::to_string(&a).unwrap(), serde_json::to_string(&b).unwrap(), "{text:?}");
        }
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{text:?}"),
        (a, b) => panic!("{text:?}: ours {a:?}, serde_json {b:?}"),
    }
});
