use super::*;
use crate::report::Severity;

/// 2021-01-01T00:00:00Z, the reset in okta.md §8.4's samples.
const RESET: i64 = 1_609_459_200;
/// 41 s before it: `Thu, 31 Dec 2020 23:59:19 GMT`.
const DATE: &str = "Thu, 31 Dec 2020 23:59:19 GMT";

fn hs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect()
}

fn run(pairs: &[(&str, &str)], status: u16, clock: Clock) -> (Vec<Finding>, Option<RateLimit>) {
    worded(analyze(&hs(pairs), &Context::new(Some(status), clock)))
}

/// The findings worded (`explain`), as the user reads them.
fn worded<T>((mut f, view): (Vec<Finding>, T)) -> (Vec<Finding>, T) {
    f.iter_mut().for_each(crate::explain::finding);
    (f, view)
}

fn ids(f: &[Finding]) -> Vec<&str> {
    f.iter().map(|f| &*f.id).collect()
}

#[test]
fn numbers_table() {
    let cases = [
        ("600", Ok(600)),
        (" 42 ", Ok(42)),
        ("+7", Ok(7)),
        ("0", Ok(0)),
        ("", Err("empty")),
        ("   ", Err("empty")),
        ("-1", Err("negative")),
        ("-", Err("not a whole number")),
        ("1.5", Err("not a whole number")),
        ("abc", Err("not a whole number")),
        ("1e9", Err("not a whole number")),
        ("١٢٣", Err("not a whole number")),
        ("99999999999999999999999", Err("too large")),
        ("18446744073709551615", Ok(u64::MAX)),
    ];
    for (raw, want) in cases {
        assert_eq!(number(raw), want, "{raw:?}");
    }
}

#[test]
fn parse_is_case_insensitive_and_counts_every_value() {
    let h = parse(&hs(&[
        ("x-rate-limit-limit", "600"),
        ("X-RATE-LIMIT-REMAINING", "598"),
        ("X-Rate-Limit-Reset", "1609459260, 1609459200"),
        ("x-rate-limit-reset", "1609459230"),
        ("Date", DATE),
        ("Link", "<https://x.okta.com/api/v1/users?limit=200>; rel=\"self\", <https://x.okta.com/api/v1/users?after=00u1abc&limit=200>; rel=\"next\""),
    ]))
    .unwrap();
    assert_eq!(h.limit.values, [600]);
    assert_eq!(h.remaining.values, [598]);
    assert_eq!(
        h.reset.values,
        [1_609_459_260, 1_609_459_200, 1_609_459_230]
    );
    assert_eq!((h.reset.count, h.reset.min), (3, Some(1_609_459_200)));
    assert_eq!(h.date, Some(RESET - 41));
    assert!(h.next_page);
    assert_eq!(h.next_after.as_deref(), Some("00u1abc"));
    assert_eq!(parse(&hs(&[("Date", DATE), ("Content-Type", "x")])), None);
    assert!(parse(&hs(&[("Retry-After", "30")])).is_some());
}

#[test]
fn waits_table() {
    use crate::report::rate_limit::WaitFrom as W;
    type Case<'a> = (&'a [(&'a str, &'a str)], Clock, Option<i64>, Option<W>);
    let cases: &[Case] = &[
        // okta.md §8.4 "Org-wide limit exceeded" plus a Date 41 s before the reset.
        (
            &[
                ("X-Rate-Limit-Limit", "600"),
                ("X-Rate-Limit-Remaining", "0"),
                ("X-Rate-Limit-Reset", "1609459200"),
                ("Date", DATE),
            ],
            Clock::Caller(0),
            Some(42),
            Some(W::ResetMinusDate),
        ),
        // No Date: the caller's clock stands in (and the view says so).
        (
            &[("X-Rate-Limit-Reset", "1609459200")],
            Clock::Caller(RESET - 30),
            Some(31),
            Some(W::ResetMinusNow),
        ),
        (
            &[("X-Rate-Limit-Reset", "1609459200")],
            Clock::Observed(RESET - 10),
            Some(11),
            Some(W::ResetMinusObservedAt),
        ),
        // Duplicates: the smallest reset.
        (
            &[
                ("X-Rate-Limit-Reset", "1609459260,1609459200"),
                ("Date", DATE),
            ],
            Clock::Unknown,
            Some(42),
            Some(W::ResetMinusDate),
        ),
        (
            &[
                ("X-Rate-Limit-Reset", "1609459260"),
                ("X-Rate-Limit-Reset", "1609459200"),
                ("Date", DATE),
            ],
            Clock::Unknown,
            Some(42),
            Some(W::ResetMinusDate),
        ),
        // Retry-After is honoured when present; the longer wait wins.
        (
            &[
                ("X-Rate-Limit-Reset", "1609459200"),
                ("Date", DATE),
                ("Retry-After", "120"),
            ],
            Clock::Unknown,
            Some(120),
            Some(W::RetryAfter),
        ),
        (
            &[
                ("X-Rate-Limit-Reset", "1609459200"),
                ("Date", DATE),
                ("Retry-After", "5"),
            ],
            Clock::Unknown,
            Some(42),
            Some(W::ResetMinusDate),
        ),
        (
            &[
                ("Retry-After", "Thu, 31 Dec 2020 23:59:49 GMT"),
                ("Date", DATE),
            ],
            Clock::Unknown,
            Some(30),
            Some(W::RetryAfter),
        ),
        // A reset already past: at least 1 s (Okta's Java SDK).
        (
            &[("X-Rate-Limit-Reset", "1609459100"), ("Date", DATE)],
            Clock::Unknown,
            Some(1),
            Some(W::ResetMinusDate),
        ),
        // Unusable: milliseconds, absurd, no clock at all.
        (
            &[("X-Rate-Limit-Reset", "1609459200000"), ("Date", DATE)],
            Clock::Unknown,
            None,
            None,
        ),
        (
            &[("X-Rate-Limit-Reset", "99999999999"), ("Date", DATE)],
            Clock::Unknown,
            None,
            None,
        ),
        (
            &[("X-Rate-Limit-Reset", "1609459200")],
            Clock::Unknown,
            None,
            None,
        ),
        (
            &[("X-Rate-Limit-Reset", "18446744073709551615")],
            Clock::Caller(0),
            None,
            None,
        ),
    ];
    for (pairs, clock, want, from) in cases {
        let (_, view) = run(pairs, 429, *clock);
        let view = view.unwrap();
        assert_eq!(view.wait_seconds, *want, "{pairs:?}");
        assert_eq!(view.wait_from, *from, "{pairs:?}");
    }
}

#[test]
fn usage_and_threshold_table() {
    // (limit, remaining, threshold) → (usedPercent, low)
    let cases = [
        (600, 598, 90, Some(0.3), false),
        (600, 60, 90, Some(90.0), true),
        (600, 61, 90, Some(89.8), false),
        (600, 0, 90, Some(100.0), true),
        (600, 300, 50, Some(50.0), true),
        (600, 600, 0, Some(0.0), true),
        (600, 0, 101, Some(100.0), false),
        (600, 700, 90, Some(0.0), false),
        (0, 0, 90, None, false),
        (u64::MAX, 0, 90, Some(100.0), true),
        (3, 1, 90, Some(66.7), false),
    ];
    for (limit, remaining, threshold, pct, low) in cases {
        let h = Headers {
            limit: Field {
                values: vec![limit].into(),
                count: 1,
                min: Some(limit),
                ..Field::default()
            },
            remaining: Field {
                values: vec![remaining].into(),
                count: 1,
                min: Some(remaining),
                ..Field::default()
            },
            ..Headers::default()
        };
        let ctx = Context {
            low_threshold_percent: threshold,
            ..Context::new(Some(200), Clock::Unknown)
        };
        let r = read(&h, &ctx);
        assert_eq!(
            (r.used_percent(), r.low),
            (pct, low),
            "{limit}/{remaining}@{threshold}"
        );
    }
}

#[test]
fn findings_table() {
    let now = RESET - 41;
    type Case<'a> = (&'a [(&'a str, &'a str)], u16, &'a [&'a str]);
    let cases: &[Case] = &[
        (
            &[
                ("X-Rate-Limit-Limit", "600"),
                ("X-Rate-Limit-Remaining", "598"),
                ("X-Rate-Limit-Reset", "1609459200"),
            ],
            200,
            &["rate_limit.status"],
        ),
        (
            &[
                ("X-Rate-Limit-Limit", "600"),
                ("X-Rate-Limit-Remaining", "0"),
                ("X-Rate-Limit-Reset", "1609459200"),
            ],
            429,
            &["rate_limit.exceeded"],
        ),
        (
            &[
                ("X-Rate-Limit-Limit", "0"),
                ("X-Rate-Limit-Remaining", "0"),
                ("X-Rate-Limit-Reset", "1609459200"),
            ],
            429,
            &["rate_limit.concurrent"],
        ),
        (
            &[
                ("X-Rate-Limit-Limit", "600"),
                ("X-Rate-Limit-Remaining", "30"),
                ("X-Rate-Limit-Reset", "1609459200"),
            ],
            200,
            &["rate_limit.low"],
        ),
        (
            &[
                ("X-Rate-Limit-Limit", "600, 100"),
                ("X-Rate-Limit-Remaining", "500, 1"),
                ("X-Rate-Limit-Reset", "1609459230, 1609459200"),
            ],
            200,
            &["rate_limit.low", "rate_limit.duplicate_headers"],
        ),
        (
            &[
                ("X-Rate-Limit-Limit", "abc"),
                ("X-Rate-Limit-Remaining", "5"),
            ],
            200,
            &["rate_limit.invalid_header"],
        ),
        (
            &[
                ("X-Rate-Limit-Limit", "600"),
                ("X-Rate-Limit-Remaining", "-3"),
            ],
            429,
            &["rate_limit.exceeded", "rate_limit.invalid_header"],
        ),
        (
            &[
                ("X-Rate-Limit-Limit", "600"),
                ("X-Rate-Limit-Remaining", "700"),
            ],
            200,
            &["rate_limit.status", "rate_limit.invalid_header"],
        ),
        (
            &[("Date", "Thu, 31 Dec 2020 23:50:00 GMT")],
            200,
            &["clock.skew"],
        ),
        (&[("Date", "Thu, 31 Dec 2020 23:58:20 GMT")], 200, &[]),
        (&[("Date", "yesterday")], 200, &[]),
        (
            &[("Date", "yesterday")],
            429,
            &["rate_limit.exceeded", "rate_limit.invalid_header"],
        ),
        (&[], 429, &["rate_limit.exceeded"]),
        (&[], 200, &[]),
        (
            &[("Retry-After", "soon")],
            503,
            &["rate_limit.invalid_header"],
        ),
    ];
    for (pairs, status, want) in cases {
        let (f, _) = run(pairs, *status, Clock::Caller(now));
        assert_eq!(ids(&f), *want, "{pairs:?} {status}");
    }
}

#[test]
fn exceeded_names_the_exact_wait_and_the_formula() {
    let pairs = [
        ("X-Rate-Limit-Limit", "600"),
        ("X-Rate-Limit-Remaining", "0"),
        ("X-Rate-Limit-Reset", "1609459200"),
        ("Date", DATE),
    ];
    let ctx = Context::new(Some(429), Clock::Caller(RESET - 41)).request(
        Some("GET"),
        Some("https://dev-1.okta.com/api/v1/users?limit=20"),
    );
    let (f, view) = worded(analyze(&hs(&pairs), &ctx));
    let e = &f[0];
    assert_eq!(e.title, "Rate limit exceeded");
    assert_eq!(view.as_ref().and_then(|v| v.wait_seconds), Some(42));
    assert!(
        e.detail.contains("1609459200 − 1609459159 + 1 = 42 s"),
        "{}",
        e.detail
    );
    assert!(e.detail.contains("no Retry-After header"), "{}", e.detail);
    assert!(e.detail.contains("bucket /api/v1/users"), "{}", e.detail);
    let fixes = e.fix.join("\n");
    assert!(
        fixes.contains("limit=200") && fixes.contains("after="),
        "{fixes}"
    );
    assert!(fixes.contains("limit=20, so it needs 10×"), "{fixes}");
    assert!(fixes.contains("50%"), "{fixes}");
    assert!(
        fixes.contains("Admin Console → Reports → Rate Limits"),
        "{fixes}"
    );
    assert!(e
        .commands
        .iter()
        .any(|c| c.command.contains("system.org.rate_limit.violation")));
    assert!(e
        .commands
        .iter()
        .any(|c| c.command.contains("/api/v1/users?limit=200")));
    let view = view.unwrap();
    assert_eq!(
        view.bucket.map(|b| b.name).as_deref(),
        Some("/api/v1/users")
    );
    assert_eq!(view.wait_until, Some(RESET - 41 + 42));
    assert_eq!(view.used_percent, Some(100.0));
    assert_eq!(
        view.server_date.map(|d| d.iso).as_deref(),
        Some("2020-12-31T23:59:19Z")
    );
}

#[test]
fn signals_table() {
    let cases = [
        (
            r#"{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests."}"#,
            Some(Signal::OktaE0000047),
        ),
        (
            r#"{"error":"invalid_grant","error_description":"API call exceeded rate limit due to too many requests."}"#,
            Some(Signal::TokenRateLimited),
        ),
        (
            r#"{"error":"invalid_grant","error_description":"The refresh token is invalid or expired."}"#,
            None,
        ),
        (
            r#"{"version":"1.0.0","messages":{"type":"array","value":[{"message":"Too many requests","i18n":{"key":"tooManyRequests"},"class":"ERROR"}]}}"#,
            Some(Signal::IdxTooManyRequests),
        ),
        (r#"{"errorCode":"E0000011"}"#, None),
        ("E0000047", None),
        ("{E0000047", None),
        ("", None),
    ];
    for (body, want) in cases {
        assert_eq!(signal_in(body), want, "{body}");
    }
    let v: Value = serde_json::from_str(cases[0].0).unwrap();
    let (f, view) = worded(analyze_body(&v, &Context::new(None, Clock::Caller(0))).unwrap());
    assert_eq!(ids(&f), ["rate_limit.exceeded"]);
    assert!(f[0].title.contains("wait time unknown"));
    assert!(view.note.unwrap().contains("curl -si"));
}

#[test]
fn clock_skew_table() {
    use Severity::{Info, Warning};
    let cases = [
        (1000, Clock::Observed(1000), None),
        (1060, Clock::Observed(1000), None),
        (
            1061,
            Clock::Observed(1000),
            Some((
                Warning,
                "Clock skew: this computer's clock is 1 min 1 s behind Okta's",
            )),
        ),
        (
            1000,
            Clock::Observed(1125),
            Some((
                Warning,
                "Clock skew: this computer's clock is 2 min 5 s ahead of Okta's",
            )),
        ),
        (
            1000,
            Clock::Observed(100_000),
            Some((
                Warning,
                "Clock skew: this computer's clock is 1 day 3 h ahead of Okta's",
            )),
        ),
        // Pasted text: a Date ahead of now is skew; behind may be the capture's age.
        (
            1125,
            Clock::Caller(1000),
            Some((
                Warning,
                "Clock skew: this computer's clock is 2 min 5 s behind Okta's",
            )),
        ),
        (
            1000,
            Clock::Caller(1125),
            Some((
                Info,
                "Okta's Date is 2 min 5 s behind this computer's clock",
            )),
        ),
        (
            1000,
            Clock::Caller(4600),
            Some((Info, "Okta's Date is 1 h behind this computer's clock")),
        ),
        (1000, Clock::Caller(4601), None),
        (
            i64::MAX,
            Clock::Caller(i64::MIN),
            Some((
                Warning,
                "Clock skew: this computer's clock is 292471208677 years behind Okta's",
            )),
        ),
        (
            i64::MIN,
            Clock::Observed(i64::MAX),
            Some((
                Warning,
                "Clock skew: this computer's clock is 292471208677 years ahead of Okta's",
            )),
        ),
    ];
    for (date, clock, want) in cases {
        let now = clock.epoch().unwrap();
        let got = facts::clock_skew(date, now, &Context::new(None, clock)).map(|mut f| {
            crate::explain::finding(&mut f);
            (f.severity, f.title.clone())
        });
        assert_eq!(
            got,
            want.map(|(s, t)| (s, t.to_string())),
            "{date} {clock:?}"
        );
    }
}

/// Judged at the moment that matters: pasted input at now (a window over by more than the skew
/// tolerance has passed: wait 0, and how long ago); live and recorded responses at their own
/// time (the wait as Okta's SDKs computed it).
#[test]
fn the_window_is_judged_at_the_moment_that_matters() {
    use crate::moment::Moment;
    let pairs = [
        ("X-Rate-Limit-Limit", "600"),
        ("X-Rate-Limit-Remaining", "0"),
        ("X-Rate-Limit-Reset", "1609459200"),
        ("Date", DATE),
    ];
    let date = RESET - 41;
    let cases = [
        // (clock, moment, wait, passed, reset ago)
        (Clock::Caller(date), None, Some(42), false, None),
        (Clock::Caller(date + 42 + 60), None, Some(42), false, None),
        (Clock::Caller(date + 42 + 61), None, Some(0), true, Some(62)),
        (Clock::Caller(date + 3600), None, Some(0), true, Some(3559)),
        (Clock::Observed(date), None, Some(42), false, None),
        (
            Clock::Observed(date),
            Some(Moment::Recorded(date)),
            Some(42),
            false,
            None,
        ),
        // A pasted exchange: measured from observedAt, judged at now.
        (
            Clock::Observed(date),
            Some(Moment::Now(date + 3600)),
            Some(0),
            true,
            Some(3559),
        ),
    ];
    for (clock, moment, wait, passed, ago) in cases {
        let mut ctx = Context::new(Some(429), clock);
        if let Some(m) = moment {
            ctx.moment = m;
        }
        let r = read(&parse(&hs(&pairs)).unwrap(), &ctx);
        assert_eq!(
            (r.wait_seconds, r.window_passed, r.reset_ago),
            (wait, passed, ago),
            "{clock:?} {moment:?}"
        );
        assert_eq!(r.wait_until.is_none(), passed, "{clock:?} {moment:?}");
        let (f, view) = analyze(&hs(&pairs), &Context::new(Some(429), clock));
        if moment.is_none() {
            assert_eq!(view.and_then(|v| v.wait_seconds), wait, "{clock:?}");
            let moment = f.first().and_then(|f| f.params.text("moment"));
            let want = if matches!(clock, Clock::Caller(_)) {
                "now"
            } else {
                "live"
            };
            assert_eq!(moment, Some(want), "{clock:?}");
        }
    }
}

#[test]
fn concurrent_says_the_reset_is_an_estimate() {
    let pairs = [
        ("X-Rate-Limit-Limit", "0"),
        ("X-Rate-Limit-Remaining", "0"),
        ("X-Rate-Limit-Reset", "1609459200"),
        ("Date", DATE),
    ];
    let (f, view) = run(&pairs, 429, Clock::Caller(RESET - 41));
    assert_eq!(
        f[0].title,
        "Concurrency limit hit — too many requests in flight"
    );
    assert!(f[0].fix.join(" ").contains("Retry after about 42 s"));
    assert!(f[0].detail.contains("only Okta's estimate"));
    let view = view.unwrap();
    assert!(view.concurrent);
    assert_eq!(view.used_percent, None);
    assert!(view.note.unwrap().contains("estimate"));
}

mod hostile;
