//! analyzeExchange's and showExchange's cost, for callgrind (docs/performance-log.md,
//! "analyzeExchange, sixth pass"): analyses bench/core.mjs's exchange (a 429 with
//! X-Rate-Limit-* and an E0000047 body) N times as the ui module does, then writes the answer
//! with `report::compact::to_json`. Modes: `data` (`facts_of_owned_exchange`, what
//! analyzeExchangeFields calls), `show` (`show_owned_exchange`, showExchangeFields), and
//! `data-borrowed` / `show-borrowed` (`facts_of_exchange` / `analyze_exchange_trusting`, the
//! path before: the exchange copied into the reading, the shown report sealed whole twice).
//! The exchange is built afresh each call, as the boundary reads one. Instructions per call =
//! (Ir(N = 1,200) − Ir(N = 200)) / 1,000:
//!
//!   cargo build --release --example analyze_exchange
//!   valgrind --tool=callgrind target/release/examples/analyze_exchange 200 data
//!   valgrind --tool=callgrind target/release/examples/analyze_exchange 1200 data
use okta_medic::exchange::{Exchange, Header};

const NOW: i64 = 1_750_000_000;

/// bench/core.mjs's exchange.
fn exchange() -> Exchange {
    let header = |name: &str, value: &str| Header {
        name: name.to_string(),
        value: Some(value.to_string()),
    };
    Exchange {
        observed_at: Some((NOW * 1000) as f64),
        method: Some("GET".into()),
        url: Some("https://dev-123456.okta.com/api/v1/users?limit=200".into()),
        status_code: Some(429),
        request_headers: vec![header("Accept", "application/json")].into(),
        response_headers: vec![
            header("Date", "Sun, 15 Jun 2025 15:06:40 GMT"),
            header("Content-Type", "application/json"),
            header("X-Rate-Limit-Limit", "600"),
            header("X-Rate-Limit-Remaining", "0"),
            header("X-Rate-Limit-Reset", &(NOW + 42).to_string()),
            header("X-Okta-Request-Id", "reqVy8wsvmBQN27h4soUE3ZEnA"),
        ].into(),
        body: Some(r#"{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests.","errorLink":"E0000047","errorId":"oaetdtoG383SIGVNZ0UKgtRug","errorCauses":[]}"#.into()),
        ..Exchange::default()
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(1_200);
    let mode = args.next().unwrap_or_else(|| "data".into());
    let trusted = okta_medic::Trusted::default();
    let mut bytes = 0usize;
    for _ in 0..n {
        let ex = std::hint::black_box(exchange());
        let report = match mode.as_str() {
            "show" => okta_medic::show_owned_exchange(ex, &trusted),
            "data-borrowed" => okta_medic::facts_of_exchange(&ex),
            "show-borrowed" => okta_medic::analyze_exchange_trusting(&ex, &trusted),
            _ => okta_medic::facts_of_owned_exchange(ex),
        };
        bytes += okta_medic::report::compact::to_json(&report).map_or(0, |s| s.len());
    }
    println!("{n} calls ({mode}), {bytes} bytes of report");
}
