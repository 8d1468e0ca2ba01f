//! `report.rateLimit`: the numbers the popup's gauge and countdown need, from one
//! [`Reading`] of a response's rate-limit headers (data, not findings: the view keeps its
//! caveat, `note`, as a sentence).

use serde_json::{json, Value};

use crate::{bucket, timestamp};

use super::{facts, Clock, Context, Headers, Reading, WaitFrom};

/// The view of one reading (`waitFrom` names the clock the wait was measured on).
pub(super) fn view(h: &Headers, r: &Reading, ctx: &Context) -> Value {
    let time = |t: i64| json!({ "epoch": t, "iso": timestamp::iso8601(t) });
    let sets: Vec<Value> = (0..h.reset.values.len().max(h.limit.values.len()).min(8))
        .map(|i| {
            json!({
                "limit": h.limit.values.get(i),
                "remaining": h.remaining.values.get(i),
                "reset": h.reset.values.get(i),
            })
        })
        .collect();
    let clock = ctx.clock.epoch();
    json!({
        "limit": r.limit,
        "remaining": r.remaining,
        "usedPercent": r.used_percent(),
        "reset": r.reset.map(|t| json!({
            "epoch": t,
            "iso": timestamp::iso8601(t),
            "inSeconds": r.reference.map(|reference| t.saturating_sub(reference)),
        })),
        "serverDate": h.date.map(time),
        "waitSeconds": r.wait_seconds,
        "waitFrom": match (r.wait_from, r.reference_is_date) {
            (Some(WaitFrom::RetryAfter), _) => Some("retryAfter"),
            (Some(WaitFrom::Reset), true) => Some("resetMinusDate"),
            (Some(WaitFrom::Reset), false) => Some(match ctx.clock {
                Clock::Observed(_) => "resetMinusObservedAt",
                _ => "resetMinusNow",
            }),
            (None, _) => None,
        },
        // The caller's clock when the wait was measured, and when it ends on that clock:
        // a countdown shows max(0, waitUntil − now).
        "measuredAt": clock,
        "waitUntil": r.wait_until,
        "retryAfterSeconds": r.retry_after_seconds,
        "exceeded": r.exceeded,
        "concurrent": r.concurrent,
        "low": r.low && !r.exceeded && !r.concurrent,
        "thresholdPercent": ctx.low_threshold_percent,
        "duplicateHeaders": r.duplicate,
        "headerSets": sets,
        "clockSkewSeconds": r.skew,
        "bucket": r.bucket.as_ref().map(bucket::Match::view),
        "note": facts::note(h, r, ctx),
    })
}
