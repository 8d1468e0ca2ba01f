//! `report.rateLimit`: the numbers the popup's gauge and countdown need, from one
//! [`Reading`] of a response's rate-limit headers (data, not findings: the view keeps its
//! caveat, `note`, as a sentence).

use crate::{
    bucket,
    report::rate_limit::{self as view, HeaderSet, Instant, Limits, RateLimit, Reset, Scope},
    timestamp,
};

use super::{facts, Clock, Context, Headers, Reading, WaitFrom};

/// The view of one reading (`waitFrom` names the clock the wait was measured on).
pub(super) fn view(h: &Headers, r: &Reading, ctx: &Context) -> RateLimit {
    let sets = (0..h.reset.values.len().max(h.limit.values.len()).min(8))
        .map(|i| HeaderSet {
            limit: h.limit.values.get(i).copied(),
            remaining: h.remaining.values.get(i).copied(),
            reset: h.reset.values.get(i).copied(),
        })
        .collect();
    RateLimit {
        limit: r.limit,
        remaining: r.remaining,
        used_percent: r.used_percent(),
        reset: r.reset.map(|t| Reset {
            epoch: t,
            iso: timestamp::iso8601(t),
            in_seconds: r.reference.map(|reference| t.saturating_sub(reference)),
        }),
        server_date: h.date.map(|t| Instant {
            epoch: t,
            iso: timestamp::iso8601(t),
        }),
        wait_seconds: r.wait_seconds,
        wait_from: match (r.wait_from, r.reference_is_date) {
            (Some(WaitFrom::RetryAfter), _) => Some(view::WaitFrom::RetryAfter),
            (Some(WaitFrom::Reset), true) => Some(view::WaitFrom::ResetMinusDate),
            (Some(WaitFrom::Reset), false) => Some(match ctx.clock {
                Clock::Observed(_) => view::WaitFrom::ResetMinusObservedAt,
                _ => view::WaitFrom::ResetMinusNow,
            }),
            (None, _) => None,
        },
        measured_at: ctx.clock.epoch(),
        wait_until: r.wait_until,
        retry_after_seconds: r.retry_after_seconds,
        exceeded: r.exceeded,
        concurrent: r.concurrent,
        low: r.low && !r.exceeded && !r.concurrent,
        threshold_percent: ctx.low_threshold_percent,
        duplicate_headers: r.duplicate,
        header_sets: sets,
        clock_skew_seconds: r.skew,
        bucket: r.bucket.map(bucket_view),
        note: facts::note(h, r, ctx),
    }
}

/// `rateLimit.bucket`: the bucket as Okta's rate-limit pages publish it.
fn bucket_view(m: &bucket::Match) -> view::Bucket {
    let s = m.info.scope;
    view::Bucket {
        name: m.info.name.into(),
        method: m.method.to_string(),
        path: m.path.clone(),
        how: m.how.as_str().into(),
        scope: if s.unlimited { Scope::None } else { Scope::Org },
        per_client: s.per_client,
        per_user: s.per_user,
        per_username: s.per_username,
        published_limits: Limits::published(m.info.published),
        notes: m.info.scope_notes(),
    }
}
