//! The redactor's span-keeping JSON reader and every body path: never panics, and whenever the
//! input is JSON the output is JSON too — for any JSON text, a HAR document, one streamed entry,
//! and the input as a request or response body of each type. The first byte picks the shape.
#![no_main]

use libfuzzer_sys::fuzz_target;
use okta_medic::redact;
use serde_json::{json, Value};

const MIMES: [&str; 8] = [
    "application/json",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=XyZ",
    "text/html",
    "text/javascript",
    "application/octet-stream",
    "",
    "application/ion+json",
];

/// JSON's grammar, by serde_json's skipping reader: a number past f64's range (`41E112111111111`)
/// is JSON (RFC 8259 sets no range; `JSON.parse` reads it as Infinity) though serde_json will not
/// make it a `Value` ("number out of range"), which made this check fail a number the redactor
/// rightly passed through (found by this target, 2026-12-07).
fn is_json(s: &str) -> bool {
    serde_json::from_str::<serde::de::IgnoredAny>(s).is_ok()
}

fuzz_target!(|data: &[u8]| {
    let Some((which, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let mut receipt = redact::Receipt::default();
    let input_is_json = is_json(text);
    match which % 4 {
        0 => {
            let out = redact::json_text(text, "$", &mut receipt);
            assert!(is_json(&out), "json_text: {out}");
            if input_is_json && receipt.redactions.is_empty() {
                // Nothing to redact: the text passes byte for byte.
                assert_eq!(out, text);
            }
        }
        1 => {
            if let Ok((out, _)) = redact::har_text(text) {
                assert!(is_json(&out), "har_text: {out}");
            }
        }
        2 => {
            let out = redact::har_entry_text(text, 0, &mut receipt);
            assert!(is_json(&out), "har_entry_text: {out}");
        }
        _ => {
            let mime = MIMES[usize::from(*which / 4) % MIMES.len()];
            let doc = json!({"log": {"entries": [{
                "request": {"method": "POST", "url": format!("https://a.okta.com/x?{text}"),
                            "headers": [{"name": "Referer", "value": text}],
                            "postData": {"mimeType": mime, "text": text}},
                "response": {"status": 200, "content": {"mimeType": mime, "text": text}}
            }]}})
            .to_string();
            let (out, _) = redact::har_text(&doc).expect("a HAR built by serde is read");
            let v: Value = serde_json::from_str(&out).expect("the sanitised HAR is JSON");
            assert!(v["log"]["entries"][0]["response"]["content"]["text"].is_string());
        }
    }
});
