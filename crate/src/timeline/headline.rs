//! What the toolbar badge reads of a timeline (`Session::badge`, on every badge the worker
//! shows): each bucket's reading and severity, and the one title the badge quotes, without the
//! words of every bucket's view (`bucket_view`, which builds on the same reading).

use super::{Bucket, Timeline};
use crate::rate_limit;
use crate::report::Severity;

/// What a bucket's view says at `now_ms` before any words: its window, its last reading, the
/// org's consumption and its severity (`bucket_view` words it; `headline` ranks by it alone).
pub(super) struct Reading {
    pub reset_at_ms: Option<i64>,
    pub seconds_to_reset: Option<i64>,
    pub window_over: bool,
    pub limit: Option<u64>,
    pub remaining: Option<u64>,
    pub permille: Option<u64>,
    pub consumption: Option<f64>,
    pub projected: Option<i64>,
    pub exhausts_before_reset: bool,
    pub severity: Severity,
}

pub(super) fn reading(b: &Bucket, now_ms: i64, low_threshold_percent: u8) -> Reading {
    let latest = b.latest.as_ref();
    let reset_at_ms = latest.map(|l| {
        l.reset
            .saturating_sub(b.server_offset_seconds)
            .saturating_mul(1000)
    });
    let seconds_to_reset =
        reset_at_ms.map(|r| (r.saturating_sub(now_ms).max(0) as u64).div_ceil(1000) as i64);
    let window_over = reset_at_ms.is_some_and(|r| r <= now_ms);
    let (limit, remaining) = match latest {
        Some(l) if !window_over => (Some(l.limit), Some(l.remaining)),
        _ => (None, None),
    };
    let permille = limit
        .zip(remaining)
        .and_then(|(l, r)| rate_limit::used_permille(l, r));
    let consumption = if window_over {
        None
    } else {
        b.consumption_per_minute()
    };
    let projected = remaining.zip(consumption).map(|(r, c)| {
        let s = (r as f64 * 60.0 / c).ceil();
        if s.is_finite() {
            s as i64
        } else {
            i64::MAX
        }
    });
    let exhausts_before_reset = match (projected, seconds_to_reset) {
        (Some(p), Some(s)) => p < s,
        _ => false,
    };
    let in_window_429 = b.rate_limited > 0 && !window_over && remaining == Some(0);
    let severity = if in_window_429 || remaining == Some(0) {
        Severity::Error
    } else if permille.is_some_and(|p| p >= u64::from(low_threshold_percent) * 10)
        || exhausts_before_reset
    {
        Severity::Warning
    } else {
        Severity::Info
    };
    Reading {
        reset_at_ms,
        seconds_to_reset,
        window_over,
        limit,
        remaining,
        permille,
        consumption,
        projected,
        exhausts_before_reset,
        severity,
    }
}

/// A bucket's one-line title (the view's, and the badge's tooltip when it is low).
pub(super) fn title_of(b: &Bucket, r: &Reading) -> String {
    match (r.limit, r.remaining, r.permille) {
        (Some(l), Some(rem), Some(p)) => {
            format!(
                "{}: {rem} of {l} left ({}% used)",
                b.name,
                rate_limit::percent_text(p)
            )
        }
        (Some(0), Some(0), _) => format!("{}: concurrency limit hit", b.name),
        _ if r.window_over => format!("{}: window reset, no reading since", b.name),
        _ => format!(
            "{}: {} request{}, no rate-limit headers seen",
            b.name,
            b.requests,
            if b.requests == 1 { "" } else { "s" }
        ),
    }
}

/// The order the view lists buckets in: the worst first, then the most used (a bucket without
/// a reading last), then by key.
fn listed_before(a: (&Bucket, &Reading), b: (&Bucket, &Reading)) -> bool {
    let used = |r: &Reading| r.permille.map_or(-1.0, |p| p as f64 / 10.0);
    b.1.severity
        .cmp(&a.1.severity)
        .then(used(b.1).total_cmp(&used(a.1)))
        .then(a.0.key.cmp(&b.0.key))
        .is_lt()
}

/// What the toolbar badge reads of the timeline at `now_ms` (`Session::badge`): the worst
/// bucket's severity, and the title of the bucket the view lists first when it is low (at or
/// past a warning) — as [`super::view_with_threshold`] answers them, without wording every bucket.
pub struct Headline {
    pub severity: Severity,
    pub low_title: Option<String>,
}

pub fn headline(t: &Timeline, now_ms: i64, low_threshold_percent: u8) -> Headline {
    let mut severity = Severity::Ok;
    let mut first: Option<(&Bucket, Reading)> = None;
    for b in &t.buckets {
        let r = reading(b, now_ms, low_threshold_percent);
        severity = severity.max(r.severity);
        // Strictly before: of two the order ties, the view's stable sort keeps the earlier.
        if first
            .as_ref()
            .is_none_or(|(fb, fr)| listed_before((b, &r), (fb, fr)))
        {
            first = Some((b, r));
        }
    }
    let low_title = first
        .filter(|(_, r)| r.severity >= Severity::Warning)
        .map(|(b, r)| title_of(b, &r));
    Headline {
        severity,
        low_title,
    }
}
