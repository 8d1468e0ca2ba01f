//! `Session::badge` reads the timeline only as far as the badge needs (`timeline::headline`);
//! the popup's view words every bucket and reads its badge from those (`badge_of`). The two must
//! answer the same badge for any tab, at any time, under any threshold.

use super::*;
use crate::http::Header;

const T0: f64 = 1_765_000_000_000.0;
const PATHS: [&str; 6] = [
    "/api/v1/users",
    "/api/v1/users/me",
    "/api/v1/groups",
    "/oauth2/default/v1/token",
    "/api/v1/apps",
    "/custom/unknown/path",
];
const E47: &str = r#"{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests."}"#;

/// A small deterministic generator (xorshift), so a failure names its seed.
struct Rng(u64);
impl Rng {
    fn pick<'a, T>(&mut self, from: &'a [T]) -> &'a T {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        &from[(self.0 % from.len() as u64) as usize]
    }
}

fn exchange(rng: &mut Rng, i: u32) -> Exchange {
    let at = T0 + f64::from(i) * f64::from(*rng.pick(&[1u32, 500, 1000, 20_000]));
    let status = *rng.pick(&[200u16, 200, 429, 401, 500]);
    let mut headers = vec![("X-Okta-Request-Id".to_string(), format!("req{i}"))];
    if let Some(limit) = rng.pick(&[Some("600"), Some("0"), Some("100"), Some("50"), None]) {
        headers.push(("X-Rate-Limit-Limit".into(), (*limit).into()));
    }
    let remaining = [
        Some("0"),
        Some("1"),
        Some("12"),
        Some("50"),
        Some("597"),
        Some("abc"),
        None,
    ];
    if let Some(remaining) = rng.pick(&remaining) {
        headers.push(("X-Rate-Limit-Remaining".into(), (*remaining).into()));
    }
    if let Some(offset) = rng.pick(&[Some(-30i64), Some(5), Some(40), Some(3600), None]) {
        let reset = (at / 1000.0) as i64 + offset;
        headers.push(("X-Rate-Limit-Reset".into(), reset.to_string()));
    }
    if *rng.pick(&[false, true]) {
        headers.push(("Date".into(), "Thu, 04 Dec 2025 05:46:40 GMT".into()));
    }
    let response_headers: Vec<Header> = headers
        .into_iter()
        .map(|(name, value)| Header {
            name,
            value: Some(value),
        })
        .collect();
    Exchange {
        observed_at: Some(at),
        method: Some((*rng.pick(&["GET", "POST"])).into()),
        url: Some(format!("https://dev-1.okta.com{}", rng.pick(&PATHS))),
        status_code: Some(status),
        response_headers: response_headers.into(),
        body: Some(if status == 429 { E47 } else { "{}" }.into()),
        ..Exchange::default()
    }
}

#[test]
fn the_badge_read_from_the_timeline_is_the_views_badge() {
    let mut lows = 0;
    for seed in 1..=400u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        let mut s = Session::default();
        let n = 1 + (seed % 14) as u32;
        for i in 0..n {
            s.fold_live(&exchange(&mut rng, i), None);
        }
        for later in [
            -1_000i64, 0, 1_000, 6_000, 30_000, 45_000, 61_000, 4_000_000, 40_000_000,
        ] {
            let now = T0 as i64 + later;
            for threshold in [0u8, 1, 10, 50, 90, 98, 100, 101, 255] {
                let view = timeline::view_with_threshold(&s.timeline, now, threshold);
                let badge = s.badge(now, threshold);
                assert_eq!(
                    badge,
                    s.badge_of(&view),
                    "seed {seed}, now {now}, threshold {threshold}"
                );
                lows += usize::from(badge.low);
            }
        }
    }
    // The cases reach the low mark often enough to compare its title.
    assert!(lows > 1_000, "{lows}");
}
