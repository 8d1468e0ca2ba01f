//! Each parser on its own: JWT, raw HTTP, WWW-Authenticate, redirect URL, JWKS selection,
//! Markdown export, text scrubbing. The first byte picks the parser.
#![no_main]

use libfuzzer_sys::fuzz_target;
use okta_medic::{export, http, jwks, jwt, oauth_error, redact, redirect, timestamp};

fuzz_target!(|data: &[u8]| {
    let Some((which, rest)) = data.split_first() else { return };
    let text = String::from_utf8_lossy(rest);
    match which % 8 {
        0 => {
            if let Some(j) = jwt::parse(&text) {
                let _ = jwt::findings(&j, 1_750_000_000);
                let _ = j.view(i64::MIN);
                let _ = j.summary(i64::MAX);
            }
        }
        1 => {
            if let Some(r) = http::parse_response(&text) {
                let _ = http::analyze(okta_medic::exchange::Seen::from_response(&r, 0));
            }
        }
        2 => {
            if let Some(e) = oauth_error::parse_challenge(&text) {
                // A challenge is only an error when it names one, and every finding, once
                // worded, has a title.
                assert!(!e.error.trim().is_empty());
                let mut found = oauth_error::findings(&e, &okta_medic::context::Context::default());
                found.iter_mut().for_each(okta_medic::explain::finding);
                assert!(found.iter().all(|f| !f.title.trim().is_empty()));
            }
        }
        3 => {
            let _ = redirect::parse(&text);
            let _ = redact::report_url(&text);
        }
        4 => {
            let (token, keys) = text.split_once('\n').unwrap_or((&text, "{\"keys\":[]}"));
            if let Ok(keys) = jwks::parse(keys) {
                let _ = jwks::select(token, &keys);
            }
            let _ = jwks::max_age(&text);
        }
        5 => {
            let (scrubbed, _) = redact::scrub_text(&text);
            assert!(!scrubbed.is_empty() || text.is_empty());
        }
        6 => {
            let _ = export::markdown(&okta_medic::analyze_text(&text, 0));
        }
        _ => {
            let _ = timestamp::parse_http_date(&text);
            let _ = timestamp::parse_rfc3339_ms(&text);
        }
    }
});
