//! liveFold's cost, for callgrind (docs/performance-log.md, "liveFold, fourth pass"): folds N storm
//! exchanges (half 429 E0000047 on /api/v1/users, half 401 E0000011 on /api/v1/users/me, the
//! shape bench/core.mjs folds) into one tab through `live::Tabs::fold`, as the service worker
//! does. Instructions per fold = (Ir(N = 12,000) − Ir(N = 10,000)) / 2,000:
//!
//!   cargo build --release --example live_fold
//!   valgrind --tool=callgrind target/release/examples/live_fold 10000
//!   valgrind --tool=callgrind target/release/examples/live_fold 12000
//!
//! With `precheck` after N, each fold is preceded by the sw module's SAML pre-check.
use okta_medic::http::{Exchange, Headers};

const NOW: i64 = 1_750_000_000;
const E47: &str = r#"{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests.","errorLink":"E0000047","errorId":"oaetdtoG383SIGVNZ0UKgtRug","errorCauses":[]}"#;
const E11: &str = r#"{"errorCode":"E0000011","errorSummary":"Invalid token provided","errorLink":"E0000011","errorId":"oae6nt1xXA2SmSjkYK4cL1-tA","errorCauses":[]}"#;

/// The response headers joined as the glue joins them (the reset is `NOW + 42`).
const RESPONSE_HEADERS: &str =
    "Date\0Sun, 15 Jun 2025 15:06:40 GMT\0Content-Type\0application/json\0\
    X-Rate-Limit-Limit\x00600\0X-Rate-Limit-Remaining\x000\0X-Rate-Limit-Reset\x001750000042\0\
    X-Okta-Request-Id\0reqVy8wsvmBQN27h4soUE3ZEnA";

/// Headers as the service worker's glue hands them over (`name\0value\0…`, one string),
/// which the fold keeps as they are (crate/src/context/headers.rs).
fn joined(text: String) -> Headers {
    Headers::from_joined(text).unwrap_or_default()
}

fn storm(i: u64) -> Exchange {
    let (status, body, path) = if i.is_multiple_of(2) {
        (429, E47, "/api/v1/users?limit=200")
    } else {
        (401, E11, "/api/v1/users/me")
    };
    Exchange {
        observed_at: Some((NOW * 1000) as f64 + i as f64),
        method: Some("GET".into()),
        url: Some(format!("https://dev-123456.okta.com{path}")),
        status_code: Some(status),
        request_headers: joined("Accept\0application/json".into()),
        response_headers: joined(RESPONSE_HEADERS.to_string()),
        body: Some(body.into()),
        ..Exchange::default()
    }
}

fn main() {
    let n: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(12_000);
    // `precheck` as the second argument: each exchange first goes through the service worker
    // module's SAML pre-check (`exchange::saml::mentions_saml`, which that module calls before
    // folding), so its cost is the difference with a run without it.
    let precheck = std::env::args().nth(2).is_some_and(|a| a == "precheck");
    let mut tabs = okta_medic::live::Tabs::default();
    let mut findings = 0usize;
    for i in 0..n {
        let exchange = storm(i);
        if precheck
            && okta_medic::exchange::saml::mentions_saml(std::hint::black_box(&exchange), None)
        {
            continue;
        }
        // Handed over, as the wasm boundary does with the exchange it read.
        let folded = tabs.fold_owned(1, exchange, None);
        findings += std::hint::black_box(folded.findings);
    }
    println!("{n} folds, {findings} findings");
}
