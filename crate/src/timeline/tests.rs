use super::*;
use crate::http::Header;

const T0: i64 = 1_750_000_000_000;

fn ex(at_ms: i64, method: &str, url: &str, status: u16, headers: &[(&str, String)]) -> Exchange {
    Exchange {
        observed_at: Some(at_ms as f64),
        method: Some(method.into()),
        url: Some(url.into()),
        status_code: Some(status),
        response_headers: headers
            .iter()
            .map(|(n, v)| Header {
                name: n.to_string(),
                value: Some(v.clone()),
            })
            .collect(),
        ..Exchange::default()
    }
}

fn rl(limit: u64, remaining: u64, reset: i64) -> Vec<(&'static str, String)> {
    vec![
        ("X-Rate-Limit-Limit", limit.to_string()),
        ("X-Rate-Limit-Remaining", remaining.to_string()),
        ("X-Rate-Limit-Reset", reset.to_string()),
    ]
}

#[test]
fn folds_a_burst_into_a_gauge_with_projection() {
    let reset = T0 / 1000 + 60;
    let mut t = Timeline::default();
    // 10 requests, one per second, Remaining falling 10 per second (other clients too).
    for i in 0..10 {
        let e = ex(
            T0 + i * 1000,
            "GET",
            "https://dev-1.okta.com/api/v1/users?limit=20",
            200,
            &rl(600, 500 - 10 * i as u64, reset),
        );
        t = fold(t, &e);
    }
    let v = view(&t, T0 + 9_000);
    let b = &v.buckets[0];
    assert_eq!(
        (b.bucket.as_str(), b.host.as_str()),
        ("/api/v1/users", "dev-1.okta.com")
    );
    assert_eq!((b.requests, b.requests_per_minute), (10, 10));
    assert_eq!((b.limit, b.remaining), (Some(600), Some(410)));
    assert_eq!(b.used_percent, Some(31.7));
    assert_eq!(b.consumption_per_minute, Some(600.0));
    assert_eq!(b.projected_exhaustion_seconds, Some(41));
    assert_eq!(b.seconds_to_reset, Some(51));
    assert!(b.exhausts_before_reset);
    assert_eq!(b.severity, Severity::Warning);
    assert!(
        b.detail
            .contains("runs out in about 41 s, before it resets in 51 s"),
        "{}",
        b.detail
    );
    assert_eq!(b.reset_at_ms, Some(reset * 1000));
    assert_eq!(v.summary, "/api/v1/users: 410 of 600 left (31.7% used)");
    // A minute later the window is over and the numbers are history.
    let later = view(&t, T0 + 70_000);
    assert!(later.buckets[0].window_over);
    assert_eq!(later.buckets[0].remaining, None);
    assert_eq!(later.buckets[0].requests_per_minute, 0);
}

#[test]
fn server_date_offset_moves_the_countdown_to_local_time() {
    // The browser's clock is 30 s ahead of Okta's.
    let okta_now = T0 / 1000 - 30;
    let mut headers = rl(600, 0, okta_now + 20);
    headers.push(("Date", timestamp_http(okta_now)));
    let t = fold(
        Timeline::default(),
        &ex(
            T0,
            "POST",
            "https://dev-1.okta.com/oauth2/default/v1/token",
            429,
            &headers,
        ),
    );
    let b = &view(&t, T0).buckets[0];
    assert_eq!(b.bucket, "/oauth2/{authorizationServerId}/v1/token");
    assert_eq!(b.reset_at_ms, Some(T0 + 20_000));
    assert_eq!(b.seconds_to_reset, Some(20));
    assert_eq!((b.rate_limited, b.severity), (1, Severity::Error));
}

fn timestamp_http(epoch: i64) -> String {
    // IMF-fixdate from the ISO form: "2025-06-15T14:06:10Z" → "Sun, 15 Jun 2025 14:06:10 GMT".
    let iso = timestamp::iso8601(epoch);
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let m: usize = iso[5..7].parse().unwrap();
    format!(
        "Mon, {} {} {} {} GMT",
        &iso[8..10],
        months[m - 1],
        &iso[0..4],
        &iso[11..19]
    )
}

#[test]
fn windows_follow_the_reset_and_keep_the_smallest_remaining() {
    let r1 = T0 / 1000 + 30;
    let mut t = Timeline::default();
    for (at, rem, reset) in [
        (0, 100, r1),
        (2000, 90, r1),
        (1000, 95, r1),
        (3000, 99, r1 - 60),
        (40_000, 600, r1 + 60),
    ] {
        t.add(&ex(
            T0 + at,
            "GET",
            "https://dev-1.okta.com/api/v1/groups",
            200,
            &rl(600, rem, reset),
        ));
        if at == 3000 {
            assert_eq!(t.buckets[0].latest.as_ref().map(|l| l.remaining), Some(90));
        }
    }
    let b = &t.buckets[0];
    assert_eq!(
        b.latest.as_ref().map(|l| (l.remaining, l.reset)),
        Some((600, r1 + 60))
    );
    let times: Vec<i64> = b.trajectory.iter().map(|p| p.at_ms - T0).collect();
    assert_eq!(times, [0, 1000, 2000, 3000, 40_000], "kept in time order");
}

#[test]
fn what_is_tracked_and_what_is_ignored() {
    let mut t = Timeline::default();
    let cases = [
        ex(T0, "GET", "https://app.example.com/main.js", 200, &[]),
        ex(T0, "GET", "https://dev-1.okta.com/oauth2/v1/keys", 200, &[]),
        ex(
            T0,
            "GET",
            "https://login.acme.com/api/v1/users/me",
            200,
            &rl(40, 39, T0 / 1000 + 10),
        ),
        ex(
            T0,
            "GET",
            "https://api.example.com/things",
            429,
            &rl(10, 0, T0 / 1000 + 10),
        ),
    ];
    for e in &cases {
        t.add(e);
    }
    assert_eq!((t.exchanges, t.ignored), (4, 1));
    let names: Vec<(&str, bool)> = t
        .buckets
        .iter()
        .map(|b| (b.name.as_str(), b.known))
        .collect();
    assert_eq!(
        names,
        [
            ("/oauth2/v1/keys", true),
            ("/api/v1/users/me", true),
            ("/things", false)
        ]
    );
}

#[test]
fn ten_thousand_exchanges_keep_exact_counts_in_bounded_space() {
    let hosts = ["dev-1.okta.com", "dev-2.okta.com"];
    let paths = [
        ("GET", "/api/v1/users?limit=200"),
        ("GET", "/api/v1/users/00u1qqxig80SMWArY0g7"),
        ("POST", "/oauth2/default/v1/token"),
        ("GET", "/oauth2/v1/userinfo"),
        ("GET", "/api/v1/logs"),
        ("GET", "/api/v1/groups/00g1emaKYZTWRYYRRTSK/users"),
    ];
    let mut t = Timeline::default();
    let mut expected_429 = 0u64;
    let mut ignored = 0u64;
    let mut unknown_paths = 0u64;
    for i in 0..10_000i64 {
        let at = T0 + i * 37;
        if i % 10 == 9 {
            t.add(&ex(at, "GET", "https://cdn.example.com/app.js", 200, &[]));
            ignored += 1;
            continue;
        }
        if i % 97 == 0 {
            // Rate-limited traffic to unknown paths: one bucket each, until the bound.
            t.add(&ex(
                at,
                "GET",
                &format!("https://api.example.com/v{i}/x"),
                200,
                &rl(10, 5, at / 1000 + 30),
            ));
            unknown_paths += 1;
            continue;
        }
        let (method, path) = paths[(i as usize) % paths.len()];
        let host = hosts[(i as usize / 7) % hosts.len()];
        let reset = at / 1000 - (at / 1000) % 60 + 60;
        let remaining = 600 - (i % 600) as u64;
        let status = if remaining < 10 { 429 } else { 200 };
        if status == 429 {
            expected_429 += 1;
        }
        t = fold(
            t,
            &ex(
                at,
                method,
                &format!("https://{host}{path}"),
                status,
                &rl(600, remaining, reset),
            ),
        );
    }
    assert_eq!(t.exchanges, 10_000);
    assert_eq!(t.ignored, ignored);
    assert_eq!(t.buckets.len(), MAX_BUCKETS);
    let tracked: u64 = t.buckets.iter().map(|b| b.requests).sum();
    assert_eq!(tracked + t.ignored + t.untracked, 10_000);
    assert!(t.untracked > 0 && t.untracked < unknown_paths);
    assert_eq!(
        t.buckets.iter().map(|b| b.rate_limited).sum::<u64>(),
        expected_429
    );
    for b in &t.buckets {
        assert!(b.trajectory.len() <= MAX_POINTS);
        assert!(b.per_second.len() <= 60);
        assert_eq!(b.dropped_points + b.trajectory.len() as u64, b.with_headers);
    }
    let users = t
        .buckets
        .iter()
        .find(|b| b.key == "dev-1.okta.com /api/v1/users")
        .unwrap();
    assert!(users.requests > 500, "{}", users.requests);
    let json = serde_json::to_string(&t).unwrap();
    assert!(json.len() < 96 * 1024, "{} bytes", json.len());
    // It survives storage: the JSON round-trips, and folding on continues the counts.
    let back = parse(&serde_json::from_str::<Value>(&json).unwrap()).unwrap();
    assert_eq!(back, t);
    let view_json = serde_json::to_string(&view(&back, T0 + 10_000 * 37)).unwrap();
    assert!(view_json.len() < 256 * 1024, "{} bytes", view_json.len());
}

#[test]
fn stored_values_are_checked_and_rebounded() {
    let cases = [
        (Value::Null, false),
        (serde_json::json!("x"), false),
        (serde_json::json!({}), true),
        (serde_json::json!({"version": 99}), false),
        (
            serde_json::json!({"version": 1, "buckets": [{"requests": -1}]}),
            false,
        ),
    ];
    for (v, ok) in cases {
        assert_eq!(parse(&v).is_some(), ok, "{v}");
    }
    let fat = Bucket {
        trajectory: vec![Point::default(); 500],
        per_second: (0..500).map(|at| Second(at, 1)).collect(),
        ..Bucket::default()
    };
    let stored = Timeline {
        buckets: vec![fat; 100],
        ..Timeline::default()
    };
    let t = parse(&serde_json::to_value(&stored).unwrap()).unwrap();
    assert_eq!(t.buckets.len(), MAX_BUCKETS);
    assert_eq!(t.buckets[0].trajectory.len(), MAX_POINTS);
    assert_eq!(t.buckets[0].dropped_points, 500 - MAX_POINTS as u64);
    assert_eq!(t.buckets[0].per_second.len(), 60);
}

/// A stored timeline read back (`null`, an older version or anything unreadable starts a
/// fresh one, as `Session::restore` does) and folded onto.
fn fold_stored(stored: &Value, ex: &Exchange) -> Timeline {
    fold(parse(stored).unwrap_or_default(), ex)
}

#[test]
fn threshold_and_stored_values() {
    let reset = T0 / 1000 + 30;
    let e = ex(
        T0,
        "GET",
        "https://dev-1.okta.com/api/v1/apps",
        200,
        &rl(100, 40, reset),
    );
    let t = fold_stored(&Value::Null, &e);
    assert_eq!(t.exchanges, 1);
    let cases = [
        (90, Severity::Info),
        (60, Severity::Warning),
        (0, Severity::Warning),
        (101, Severity::Info),
    ];
    for (threshold, want) in cases {
        assert_eq!(
            view_with_threshold(&t, T0, threshold).buckets[0].severity,
            want,
            "{threshold}"
        );
    }
    let stored = serde_json::to_value(&t).unwrap();
    assert_eq!(fold_stored(&stored, &e).buckets[0].requests, 2);
    assert_eq!(
        fold_stored(&serde_json::json!({"version": 0}), &e).exchanges,
        1
    );
}

#[test]
fn hostile_exchanges_are_total() {
    let mut t = Timeline::default();
    let weird = [
        Exchange::default(),
        Exchange {
            observed_at: Some(f64::NAN),
            ..Exchange::default()
        },
        Exchange {
            observed_at: Some(f64::INFINITY),
            url: Some("https://x.okta.com/api/v1/users".into()),
            ..Exchange::default()
        },
        Exchange {
            observed_at: Some(-1e300),
            url: Some("::::".into()),
            ..Exchange::default()
        },
        ex(
            i64::MAX,
            "GET",
            "https://x.okta.com/api/v1/users",
            429,
            &rl(u64::MAX, u64::MAX, i64::MAX),
        ),
        ex(
            i64::MIN,
            "GET",
            "https://x.okta.com/api/v1/users",
            200,
            &[
                ("X-Rate-Limit-Limit", "-1".into()),
                ("X-Rate-Limit-Reset", "zzz".into()),
            ],
        ),
        ex(T0, "", "", 0, &rl(0, 0, 0)),
    ];
    for e in &weird {
        t.add(e);
    }
    assert_eq!(t.exchanges, weird.len() as u64);
    for now in [i64::MIN, 0, T0, i64::MAX] {
        let v = view(&t, now);
        assert!(!v.summary.is_empty());
    }
}

/// A bucket's key is compared without being built: the same answers as `format!` and `==`.
#[test]
fn a_bucket_key_is_compared_as_the_built_one() {
    let hosts = ["", "a", "dev-1.okta.com", "dev-1.okta.com x", "é.example"];
    let names = ["", "x", "/api/v1/users", "users x", "é"];
    let keys = [
        "",
        " ",
        "a x",
        "dev-1.okta.com /api/v1/users",
        "dev-1.okta.com x users x",
        "dev-1.okta.com x x",
        "dev-1.okta.comx/api/v1/users",
        "é.example é",
    ];
    for key in keys {
        for host in hosts {
            for name in names {
                let want = key == format!("{host} {name}");
                assert_eq!(
                    super::is_key(key, host, name),
                    want,
                    "{key:?} {host:?} {name:?}"
                );
            }
        }
    }
}
