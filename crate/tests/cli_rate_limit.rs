//! A 429 pasted as `curl -si` output into the `okta-medic` binary prints the exact wait in
//! seconds (`X-Rate-Limit-Reset − Date + 1`) when it is fresh, says the window has passed when
//! the time given as now is past it ("window reset … ago — safe to retry", wait 0), and the
//! `--json` report carries the numbers the popup's countdown needs. Titles hold no countdown.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::run;

use serde_json::Value;

/// `curl -si` of a rate-limited `/api/v1/users` call: Date is 41 s before the reset.
const CURL_SI_429: &str = "HTTP/2 429 \r\n\
date: Thu, 31 Dec 2020 23:59:19 GMT\r\n\
content-type: application/json\r\n\
x-okta-request-id: reqWaNHfOyQSES34a2Dw6Phw\r\n\
x-rate-limit-limit: 600\r\n\
x-rate-limit-remaining: 0\r\n\
x-rate-limit-reset: 1609459200\r\n\
\r\n\
{\"errorCode\":\"E0000047\",\"errorSummary\":\"API call exceeded rate limit due to too many requests.\",\"errorLink\":\"E0000047\",\"errorId\":\"oaeWaNHfOyQSES34-a2Dw6Phw\",\"errorCauses\":[]}\r\n";

#[test]
fn human_output_prints_the_exact_wait() {
    // At the moment of the 429: the wait Date decides, in the detail and the fix.
    let text =
        String::from_utf8(run(&["--now", "1609459162"], CURL_SI_429.as_bytes()).stdout).unwrap();
    let first = text.lines().next().unwrap_or_default();
    assert_eq!(first, "ERROR HTTP 429: Rate limit exceeded", "{text}");
    assert!(
        text.contains("X-Rate-Limit-Reset − Date + 1 s = 1609459200 − 1609459159 + 1 = 42 s"),
        "{text}"
    );
    assert!(
        text.contains("Wait 42 s (until 2021-01-01T00:00:01Z"),
        "{text}"
    );
    // One cause: the E0000047 body is folded into the rate limit, its id still printed.
    assert!(
        text.contains("[rate_limit.exceeded; folded: okta_error.E0000047]"),
        "{text}"
    );
    assert!(!text.contains("[okta_error.E0000047]"), "{text}");
    assert!(
        text.contains("Keep the errorId oaeWaNHfOyQSES34-a2Dw6Phw"),
        "{text}"
    );
    // With this machine's real clock, years later: the window has passed.
    let text = String::from_utf8(run(&[], CURL_SI_429.as_bytes()).stdout).unwrap();
    let first = text.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("ERROR HTTP 429: Rate limit exceeded: window reset ")
            && first.ends_with(" ago — safe to retry"),
        "{text}"
    );
    assert!(text.contains("older than its wait (42 s"), "{text}");
}

#[test]
fn an_hour_old_paste_says_the_window_has_passed() {
    let out = run(&["--json", "--now", "1609462759"], CURL_SI_429.as_bytes());
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        r["findings"][0]["title"],
        "Rate limit exceeded: window reset 59 min ago — safe to retry"
    );
    assert_eq!(r["rateLimit"]["waitSeconds"], 0);
    assert_eq!(r["rateLimit"]["waitUntil"], Value::Null);
}

#[test]
fn json_report_carries_the_countdown_inputs() {
    let out = run(&["--json", "--now", "1609459162"], CURL_SI_429.as_bytes());
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["findings"][0]["id"], "rate_limit.exceeded");
    assert_eq!(r["findings"][0]["title"], "Rate limit exceeded");
    let rl = &r["rateLimit"];
    assert_eq!(rl["waitSeconds"], 42);
    assert_eq!(rl["waitFrom"], "resetMinusDate");
    assert_eq!(rl["waitUntil"], 1_609_459_162 + 42);
    assert_eq!(rl["measuredAt"], 1_609_459_162);
    assert_eq!(rl["limit"], 600);
    assert_eq!(rl["remaining"], 0);
    assert_eq!(rl["usedPercent"], 100.0);
    assert_eq!(rl["reset"]["iso"], "2021-01-01T00:00:00Z");
    assert_eq!(rl["exceeded"], true);
}

#[test]
fn without_date_the_wait_is_measured_from_now_and_says_so() {
    let no_date = CURL_SI_429.replace("date: Thu, 31 Dec 2020 23:59:19 GMT\r\n", "");
    let out = run(&["--json", "--now", "1609459190"], no_date.as_bytes());
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["findings"][0]["title"], "Rate limit exceeded");
    assert_eq!(r["rateLimit"]["waitSeconds"], 11);
    assert_eq!(r["rateLimit"]["waitFrom"], "resetMinusNow");
    assert!(r["rateLimit"]["note"]
        .as_str()
        .unwrap()
        .contains("no usable Date header"));
}
