//! Hostile and random header values: never a panic, counts stay exact.

use super::*;

/// A deterministic pseudo-random stream (xorshift), so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

/// Arbitrary header values (negative, huge, non-numeric, empty, control characters, long,
/// comma lists): never a panic, and every unreadable value gives a finding that says so.
#[test]
fn arbitrary_header_values_never_panic() {
    const NAMES: [&str; 7] = [
        "X-Rate-Limit-Limit",
        "x-rate-limit-remaining",
        "X-RATE-LIMIT-RESET",
        "Retry-After",
        "Date",
        "Link",
        "X-Other",
    ];
    const VALUES: [&str; 24] = [
        "",
        " ",
        "0",
        "1",
        "-1",
        "-9223372036854775808",
        "600",
        "18446744073709551615",
        "18446744073709551616",
        "9223372036854775807",
        "1609459200",
        "1609459200000",
        "abc",
        "1e9",
        "0x10",
        "1.5",
        ",",
        ",,,",
        "1,2,3",
        "\u{0}\u{1b}[31m",
        "Thu, 31 Dec 2020 23:59:19 GMT",
        "<https://x/?after=a>; rel=\"next\"",
        "٣",
        "NaN",
    ];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for round in 0..3000 {
        let n = (rng.next() % 6) as usize;
        let mut pairs = Vec::new();
        for _ in 0..n {
            let name = rng.pick(&NAMES);
            let value = if rng.next().is_multiple_of(5) {
                let len = (rng.next() % 300) as usize;
                (0..len)
                    .map(|_| char::from_u32((rng.next() % 0x3000) as u32).unwrap_or('?'))
                    .collect()
            } else {
                rng.pick(&VALUES).to_string()
            };
            pairs.push((name.to_string(), value));
        }
        let status = [200u16, 429, 503][(rng.next() % 3) as usize];
        let clock = [
            Clock::Unknown,
            Clock::Caller(rng.next() as i64),
            Clock::Observed(RESET),
        ][(rng.next() % 3) as usize];
        let (f, view) = worded(analyze(&pairs, &Context::new(Some(status), clock)));
        let (h, _) = scan(&crate::context::Headers::from_pairs(&pairs));
        let unreadable = [&h.limit, &h.remaining, &h.reset]
            .iter()
            .any(|f| f.invalid_count > 0)
            || matches!(h.retry_after, Some(RetryAfter::Invalid(_)));
        if unreadable {
            assert!(
                f.iter().any(|f| f.id == "rate_limit.invalid_header"),
                "round {round}: {pairs:?}"
            );
        }
        if status == 429 {
            assert!(
                f.iter()
                    .any(|f| f.id == "rate_limit.exceeded" || f.id == "rate_limit.concurrent"),
                "round {round}: {pairs:?}"
            );
            assert!(view.is_some());
        }
        for finding in &f {
            assert!(
                !finding.title.is_empty() && !finding.title.contains('\u{1b}'),
                "round {round}"
            );
        }
    }
}

#[test]
fn thousands_of_repeats_are_counted_not_stored() {
    let mut pairs: Vec<(String, String)> = (0..5000)
        .map(|i| {
            (
                "X-Rate-Limit-Reset".to_string(),
                format!("{}", RESET + 5000 - i),
            )
        })
        .collect();
    pairs.push((
        "X-Rate-Limit-Remaining".to_string(),
        vec!["7"; 5000].join(","),
    ));
    pairs.push(("X-Rate-Limit-Limit".to_string(), vec!["x"; 5000].join(",")));
    pairs.push(("Date".to_string(), DATE.to_string()));
    let (f, view) = worded(analyze(&pairs, &Context::new(Some(429), Clock::Unknown)));
    let view = view.unwrap();
    assert_eq!(
        view.wait_seconds,
        Some(42 + 1),
        "smallest reset is RESET + 1"
    );
    assert_eq!(view.header_sets.len(), 8);
    let dup = f
        .iter()
        .find(|f| f.id == "rate_limit.duplicate_headers")
        .unwrap();
    assert_eq!(
        dup.title,
        "5000 rate-limit header sets — using the smallest reset"
    );
    assert!(dup.evidence[0].value.ends_with("and 4992 more"));
    let bad = f
        .iter()
        .find(|f| f.id == "rate_limit.invalid_header")
        .unwrap();
    assert_eq!(bad.title, "5000 unreadable rate-limit header values");
    assert!(bad.detail.contains("…and 4997 more."));
    let (h, _) = scan(&crate::context::Headers::from_pairs(&pairs));
    assert_eq!((h.reset.count, h.reset.values.len()), (5000, MAX_KEPT));
    assert!(serde_json::to_string(&view).unwrap().len() < 4096);
}

/// The reset's evidence written into one string (`facts::reset_text`, with
/// `timestamp::iso8601_into`) is the text the code it replaced built, `{reset} ({iso8601})`:
/// any reset, negative, far past and future (years below 0 and past 9999, where `iso8601`
/// formats), the extremes, and every second of a few days; and `iso8601_into` appends to a
/// text what `iso8601` answers.
#[test]
fn reset_text_is_the_text_formatted() {
    let mut resets: Vec<i64> = vec![0, 1, -1, 9, 10, -10, i64::MIN, i64::MAX, i64::MIN + 1];
    resets.extend([
        RESET,
        253_402_300_799,
        253_402_300_800,
        -62_167_219_200,
        -62_167_219_201,
    ]);
    resets.extend((0..200_000).map(|s| RESET - 100_000 + s));
    resets.extend(
        (0..64)
            .map(|b| 1i64 << b)
            .flat_map(|p: i64| [p.wrapping_sub(1), p, p.wrapping_add(1), p.wrapping_neg()]),
    );
    resets.extend(
        (1..19)
            .map(|e| 10i64.pow(e))
            .flat_map(|p| [p - 1, p, -p, 7 * p / 3]),
    );
    for reset in resets {
        let formatted = format!("{reset} ({})", crate::timestamp::iso8601(reset));
        assert_eq!(super::facts::reset_text(reset), formatted, "{reset}");
        let mut text = String::from("at ");
        crate::timestamp::iso8601_into(reset, &mut text);
        assert_eq!(text, format!("at {}", crate::timestamp::iso8601(reset)));
    }
}
