//! The wordings the golden fixtures don't reach, from facts written out by hand: each case is
//! a finding's parameters and sentences its words must contain.

use serde_json::Value;

use crate::report::{Finding, Severity};

/// The finding worded: title, detail, fix steps and commands, one per line.
fn words(mut f: Finding) -> String {
    crate::explain::finding(&mut f);
    assert!(f.params.is_empty(), "{}: params kept after wording", f.id);
    let f = f.words.map(|w| *w).unwrap_or_default();
    let mut lines = vec![f.title, f.detail];
    lines.extend(f.fix);
    lines.extend(
        f.commands
            .into_iter()
            .map(|c| format!("{}: {}", c.label, c.command)),
    );
    lines.join("\n")
}

fn fact(id: &str, params: &[(&'static str, Value)]) -> Finding {
    params.iter().fold(
        Finding::fact(id.to_string(), Severity::Info),
        |f, (k, v)| f.with(k, v.clone()),
    )
}

fn check(cases: Vec<(Finding, &[&str])>) {
    for (f, want) in cases {
        let (id, text) = (f.id.to_string(), words(f));
        for w in want {
            assert!(text.contains(w), "{id}: {w:?} not in\n{text}");
        }
    }
}

#[test]
fn exceeded_wordings() {
    let reset = || ("reset", Value::from(1_609_459_200));
    check(vec![
        (
            fact("rate_limit.exceeded", &[reset()]),
            &[
                "Rate limit exceeded — wait time unknown (no usable X-Rate-Limit-Reset)",
                "Okta answered HTTP 429 Too Many Requests.",
                "The window resets at 2021-01-01T00:00:00Z (X-Rate-Limit-Reset 1609459200), but without a Date header or a clock the wait can't be measured.",
                "There is no usable Date header, so the wait is measured from the time given as now;",
                "Wait for the limit's window to reset",
                "sleep X-Rate-Limit-Reset − Date + 1 s (the server's Date, not your clock)",
                "System Log: rate-limit and concurrency violations: curl -s \"https://$OKTA_DOMAIN/api/v1/logs?filter=",
            ],
        ),
        (
            fact(
                "rate_limit.exceeded",
                &[
                    reset(),
                    ("reference", 1_609_459_159.into()),
                    ("resetWait", 42.into()),
                    ("wait", 42.into()),
                    ("referenceIsDate", true.into()),
                    ("retryAfter", true.into()),
                    ("retryAfterSeconds", 5.into()),
                ],
            ),
            &[
                "Rate limit exceeded\n",
                "This response carries Retry-After (5 s).",
                "the reset-based wait is longer, so that one wins.",
                "Wait 42 s (until 2021-01-01T00:00:01Z on Okta's clock), then retry.",
                "sleep X-Rate-Limit-Reset − Date + 1 s = 1609459200 − 1609459159 + 1 = 42 s,",
            ],
        ),
        (
            fact(
                "rate_limit.exceeded",
                &[
                    ("retryAfter", true.into()),
                    ("retryAfterInvalid", "soon".into()),
                    ("status", 429.into()),
                ],
            ),
            &["Retry-After is present but unreadable (\"soon\"); it is ignored."],
        ),
        (
            fact("rate_limit.exceeded", &[("retryAfter", true.into())]),
            &["Retry-After is an HTTP date, but there is no Date or clock to measure it from."],
        ),
        (
            fact(
                "rate_limit.exceeded",
                &[
                    ("wait", 120.into()),
                    ("retryAfter", true.into()),
                    ("retryAfterSeconds", 120.into()),
                    ("retryAfterWins", true.into()),
                    reset(),
                ],
            ),
            &["it is the longer wait, so it wins", "Wait 120 s, then retry."],
        ),
        // Pasted an hour after it arrived: judged at now, the window has passed.
        (
            fact(
                "rate_limit.exceeded",
                &[
                    reset(),
                    ("reference", 1_609_459_159.into()),
                    ("resetWait", 42.into()),
                    ("wait", 0.into()),
                    ("referenceIsDate", true.into()),
                    ("windowPassed", true.into()),
                    ("resetAgo", 3562.into()),
                    ("waitAtResponse", 42.into()),
                    ("moment", "now".into()),
                ],
            ),
            &[
                "Rate limit exceeded: window reset 59 min ago — safe to retry\n",
                "(X-Rate-Limit-Reset 1609459200), 59 min ago. Judged at the time given as now,",
                "older than its wait (42 s by Okta's SDKs when it arrived)",
                "Safe to retry now: the window reset 59 min ago",
            ],
        ),
        // A recording: the wait is told as of the request, with the recording's date.
        (
            fact(
                "rate_limit.exceeded",
                &[
                    reset(),
                    ("reference", 1_609_459_159.into()),
                    ("resetWait", 42.into()),
                    ("wait", 42.into()),
                    ("referenceIsDate", true.into()),
                    ("observed", true.into()),
                    ("moment", "request".into()),
                    ("momentAt", 1_609_459_159.into()),
                ],
            ),
            &[
                "Rate limit exceeded\n",
                "the times below are at the request (recorded 2020-12-31), not now.",
                "At the request (recorded 2020-12-31), Okta's SDKs waited 42 s",
            ],
        ),
    ]);
    // No countdown is frozen in a title: the wait stays in the fix and the view's gauge.
    for id in [
        "rate_limit.exceeded",
        "rate_limit.concurrent",
        "rate_limit.low",
        "rate_limit.status",
    ] {
        let mut f = fact(
            id,
            &[
                reset(),
                ("reference", 1_609_459_159.into()),
                ("resetWait", 42.into()),
                ("wait", 42.into()),
                ("referenceIsDate", true.into()),
                ("limit", 600.into()),
                ("remaining", 0.into()),
                ("usedPermille", 1000.into()),
            ],
        );
        crate::explain::finding(&mut f);
        assert!(!f.title.contains("42"), "{id}: {}", f.title);
    }
}

#[test]
fn paging_wordings() {
    let listing = |extra: &[(&'static str, Value)]| {
        let mut p = vec![
            ("bucket", Value::from("/api/v1/users")),
            ("bucketMethod", "GET".into()),
            ("bucketPath", "/api/v1/users".into()),
            ("paging", "listing".into()),
        ];
        p.extend(extra.iter().cloned());
        fact("rate_limit.low", &p)
    };
    check(vec![
        (
            listing(&[("nextPage", true.into())]),
            &[
                "This request uses the default page size: ask for limit=200",
                "The Link header has a rel=\"next\" URL.",
                "List 200 per page and show the next-page link: curl -s -D - -o /dev/null \"https://$OKTA_DOMAIN/api/v1/users?limit=200\"",
                "GET /api/v1/users counts against Okta's bucket /api/v1/users; Okta's last published defaults: 100 (Integrator Free), 600 (One App), 600 (Enterprise), 600 (Workforce Identity) requests per minute.",
            ],
        ),
        (
            fact(
                "rate_limit.exceeded",
                &[
                    ("bucket", "/api/v1/users/{id:.+}".into()),
                    ("bucketMethod", "GET".into()),
                    ("bucketPath", "/api/v1/users/ID".into()),
                    ("paging", "single".into()),
                ],
            ),
            &["Reading users, groups or apps one by one burns this bucket: list them instead"],
        ),
    ]);
    assert!(!words(listing(&[])).contains("rel=\"next\" URL."));
}

#[test]
fn concurrent_and_status_wordings() {
    let authorize = [
        ("bucket", Value::from("/oauth2/v1/authorize")),
        ("bucketMethod", "GET".into()),
        ("bucketPath", "/oauth2/v1/authorize".into()),
    ];
    let with = |id: &str, extra: &[(&'static str, Value)]| {
        let mut p = authorize.to_vec();
        p.extend(extra.iter().cloned());
        fact(id, &p)
    };
    check(vec![
        (
            with("rate_limit.concurrent", &[]),
            &[
                "Concurrency limit hit — too many requests in flight",
                "This endpoint also has a per-client concurrency limit: 5 at once per client_id + IP + device.",
                "Retry after a short, jittered delay",
            ],
        ),
        (
            with(
                "rate_limit.status",
                &[
                    ("limit", 60.into()),
                    ("remaining", 59.into()),
                    ("usedPermille", 17.into()),
                    ("threshold", 90.into()),
                ],
            ),
            &[
                "Rate limit on /oauth2/v1/authorize: 59 of 60 left (1.7% used)",
                "A limit of 60 is the per-client limit, not the org bucket.",
                "Nothing to do yet. This report warns from 90% usage.",
            ],
        ),
        (
            with(
                "rate_limit.status",
                &[
                    ("limit", 5000.into()),
                    ("remaining", 4999.into()),
                    ("reset", 1_609_459_200.into()),
                    ("reference", 1_609_459_190.into()),
                    ("resetWait", 11.into()),
                    ("observed", true.into()),
                ],
            ),
            &[
                "A limit of 5000 differs from the published defaults",
                "The window resets in X-Rate-Limit-Reset − observedAt + 1 s = 1609459200 − 1609459190 + 1 = 11 s.",
                "measured from the moment the browser saw the response (observedAt)",
            ],
        ),
    ]);
}

#[test]
fn invalid_header_wordings() {
    let one = |header: &str, value: &str, reason: &str| {
        vec![
            ("headers", Value::from(vec![header])),
            ("values", Value::from(vec![value])),
            ("reasons", Value::from(vec![reason])),
            ("count", 1.into()),
        ]
    };
    check(vec![
        (
            fact(
                "rate_limit.invalid_header",
                &one("X-Rate-Limit-Limit", "abc", "not a whole number"),
            ),
            &[
                "Unreadable rate-limit header: X-Rate-Limit-Limit \"abc\" (not a whole number)",
                "X-Rate-Limit-Limit: \"abc\" (not a whole number). Okta sends whole numbers",
            ],
        ),
        (
            fact(
                "rate_limit.invalid_header",
                &[
                    ("count", 0.into()),
                    ("remainingAboveLimit", true.into()),
                    ("limit", 600.into()),
                    ("remaining", 700.into()),
                ],
            ),
            &[
                "Implausible rate-limit header",
                "X-Rate-Limit-Remaining (700) is above X-Rate-Limit-Limit (600).",
            ],
        ),
        (
            fact(
                "rate_limit.invalid_header",
                &[
                    ("count", 0.into()),
                    ("retryAfterInvalid", "soon".into()),
                    ("dateInvalid", "yesterday".into()),
                ],
            ),
            &[
                "2 unreadable rate-limit header values",
                "Retry-After \"soon\" is neither a number of seconds nor an HTTP date, so it is ignored.",
                "Date \"yesterday\" is not an HTTP date (like Sun, 06 Nov 1994 08:49:37 GMT).",
            ],
        ),
    ]);
}

#[test]
fn clock_skew_wordings() {
    let skew = |date: i64, now: i64, observed: bool| {
        let f = fact("clock.skew", &[("date", date.into()), ("now", now.into())]);
        if observed {
            f.with("observed", true)
        } else {
            f
        }
    };
    check(vec![
        (
            skew(1_793_957_400, 1_793_957_525, true)
                .with("moment", "request")
                .with("momentAt", 1_793_957_525),
            &[
                "Clock skew (recorded 2026-11-06): the recording browser's clock was 2 min 5 s ahead of Okta's",
                "the browser that recorded this request saw the response at 2026-11-06T09:32:05Z.",
            ],
        ),
        (
            skew(1000, 1125, true),
            &[
                "Clock skew: this computer's clock is 2 min 5 s ahead of Okta's",
                "the browser saw the response at 1970-01-01T00:18:45Z. Token checks use the local clock",
                "Keep the clock synced with NTP",
            ],
        ),
        (
            skew(1125, 1000, false),
            &[
                "Clock skew: this computer's clock is 2 min 5 s behind Okta's",
                "later than the time given as now (1970-01-01T00:16:40Z). A response can't come from the future",
            ],
        ),
        (
            skew(1000, 1125, false),
            &[
                "Okta's Date is 2 min 5 s behind this computer's clock",
                "the time given as now is 1970-01-01T00:18:45Z. If this response was captured just now, this computer's clock is 2 min 5 s ahead",
            ],
        ),
    ]);
}
