//! The rate-limit findings as data (okta.md §3.1–§3.5): which findings one response gives and
//! the numbers their wording needs, taken from [`super::Reading`] (the wait, the terms of the
//! SDK formula, the bucket, the clock it was measured on). The words are written by
//! `explain/rate_limit/`; the view's caveat (`rateLimit.note`) is written here, with the view.

use std::borrow::Cow;

use crate::{
    params::{Params, Word},
    report::{Evidence, Finding, Severity},
    timestamp,
};

use super::{Clock, Context, Headers, Invalid, Reading, RetryAfter, Signal, WaitFrom};

/// Pasted output whose `Date` is older than this is taken to be an old capture, not skew (its
/// window, judged at now, has long passed: `Reading::window_passed`).
pub const OLD_CAPTURE_SECONDS: i64 = 3600;

/// `Some(true)` for a set flag, nothing for an unset one (an absent flag reads as false).
fn on(flag: bool) -> Option<bool> {
    flag.then_some(true)
}

/// Room for a usage finding's values, allocated once: ~20 on a storm's 429 (up to 29 with a
/// `Retry-After` and paging), where growing 8 → 16 → 32 cost two reallocations a fold; 25 of
/// `params`' 40-byte entries are one block of glibc's thread cache (≤ 1,032 bytes) (docs/performance-log.md,
/// "liveFold, ninth pass").
pub const USAGE_PARAMS: usize = 25;
const _: () = assert!(USAGE_PARAMS * 40 <= 1032);

/// What every usage finding's wording reads: the numbers, the formula's terms and its clock,
/// and the bucket (its catalogue name; the wording looks up its limits and notes).
fn reading(p: &mut Params, r: &Reading, ctx: &Context) {
    // Set in place, not through `Finding::with`, which moves the whole finding each call
    // (docs/performance-log.md, "liveFold, seventh and eighth pass"): so are the helpers below.
    p.set("limit", r.limit);
    p.set("remaining", r.remaining);
    p.set("usedPermille", r.used_permille);
    p.set("reset", r.reset);
    p.set("reference", r.reference);
    p.set("resetWait", r.reset_wait);
    p.set("wait", r.wait_seconds);
    p.set("referenceIsDate", on(r.reference_is_date));
    p.set("observed", on(matches!(ctx.clock, Clock::Observed(_))));
    p.set("windowPassed", on(r.window_passed));
    p.set("resetAgo", r.reset_ago);
    p.set("waitAtResponse", r.wait_at_response);
    ctx.moment.record_in(p);
    if let Some(m) = r.bucket {
        p.set("bucket", Word(m.info.name));
        // One of HTTP's methods is the core's word (nothing to copy or seal); another is text.
        match &m.method {
            Cow::Borrowed(w) => p.set("bucketMethod", Word(w)),
            Cow::Owned(s) => p.set("bucketMethod", s.as_str()),
        }
        p.set("bucketPath", m.path.as_str());
    }
}

/// `Retry-After` as the wording needs it: present, unreadable (its text), its seconds, and
/// whether it set the wait.
fn retry_after(p: &mut Params, h: &Headers, r: &Reading) {
    let Some(ra) = &h.retry_after else { return };
    let invalid = match ra {
        RetryAfter::Invalid(v) => Some(v.as_str()),
        _ => None,
    };
    p.set("retryAfter", true);
    p.set("retryAfterInvalid", invalid);
    p.set("retryAfterSeconds", r.retry_after_seconds);
    p.set(
        "retryAfterWins",
        on(r.wait_from == Some(WaitFrom::RetryAfter)),
    );
}

/// Paging advice applies when listing users or groups (or reading them one by one) burns the
/// bucket: which of the two, the page size the request asked for, and the `Link` header's
/// next page.
fn paging(p: &mut Params, h: &Headers, r: &Reading, url: Option<&str>) {
    let Some(m) = r.bucket else { return };
    if m.is_listing() {
        let page_size = url
            .and_then(|u| u.split_once('?'))
            .into_iter()
            .flat_map(|(_, q)| q.split(['&', '#']))
            .find_map(|kv| kv.strip_prefix("limit="))
            .and_then(|v| v.parse::<u32>().ok());
        p.set("paging", Word("listing"));
        p.set("pageSize", page_size);
        p.set("nextPage", on(h.next_page));
        p.set("nextAfter", h.next_after.as_deref().filter(|_| h.next_page));
        return;
    }
    if m.is_single_object_read() {
        p.set("paging", Word("single"));
    }
}

/// The signal's name, the core's own word (kept borrowed: `params::Word`).
fn signal(p: &mut Params, s: Option<Signal>) {
    let name = match s {
        Some(Signal::OktaE0000047) => "E0000047",
        Some(Signal::TokenRateLimited) => "token",
        Some(Signal::IdxTooManyRequests) => "idx",
        None => return,
    };
    p.set("signal", Word(name));
}

fn exceeded(h: &Headers, r: &Reading, ctx: &Context) -> Finding {
    let mut f = Finding::fact("rate_limit.exceeded", Severity::Error);
    let p = &mut f.params;
    p.reserve(USAGE_PARAMS);
    signal(p, ctx.signal);
    p.set("status", ctx.status);
    p.set("noResetHeader", on(h.reset.count == 0));
    reading(p, r, ctx);
    retry_after(p, h, r);
    paging(p, h, r, ctx.url);
    evidence(&mut f, h, r);
    f
}

fn concurrent(h: &Headers, r: &Reading, ctx: &Context) -> Finding {
    let mut f = Finding::fact("rate_limit.concurrent", Severity::Error);
    let p = &mut f.params;
    p.reserve(USAGE_PARAMS);
    signal(p, ctx.signal);
    reading(p, r, ctx);
    retry_after(p, h, r);
    evidence(&mut f, h, r);
    f
}

fn low(h: &Headers, r: &Reading, ctx: &Context) -> Finding {
    let mut f = Finding::fact("rate_limit.low", Severity::Warning);
    let p = &mut f.params;
    p.reserve(USAGE_PARAMS);
    p.set("threshold", ctx.low_threshold_percent);
    reading(p, r, ctx);
    paging(p, h, r, ctx.url);
    evidence(&mut f, h, r);
    f
}

fn status(h: &Headers, r: &Reading, ctx: &Context) -> Finding {
    let mut f = Finding::fact("rate_limit.status", Severity::Info);
    let p = &mut f.params;
    p.reserve(USAGE_PARAMS);
    p.set("threshold", ctx.low_threshold_percent);
    reading(p, r, ctx);
    evidence(&mut f, h, r);
    f
}

/// `{reset} ({iso})` without `format!` (~1,300 instructions per fold), in one string of its
/// size (`to_string` and `iso8601` were two more: docs/performance-log.md, "liveFold,
/// sixteenth pass").
pub(super) fn reset_text(reset: i64) -> String {
    let mut v = String::with_capacity(45);
    if reset < 0 {
        v.push('-');
    }
    let mut digits = [0; 20];
    let digits = crate::encoding::decimal_digits(reset.unsigned_abs(), &mut digits);
    v.extend(digits.iter().map(|&d| char::from(d)));
    v.push_str(" (");
    timestamp::iso8601_into(reset, &mut v);
    v.push(')');
    v
}

fn evidence(f: &mut Finding, h: &Headers, r: &Reading) {
    // Pushed in place: `Finding::evidence` moves the whole finding each call.
    let mut push = |name: &'static str, value: String| {
        f.evidence.push(Evidence {
            source: Cow::Borrowed("header"),
            name: Cow::Borrowed(name),
            value,
        });
    };
    for (name, v) in [
        ("X-Rate-Limit-Limit", r.limit),
        ("X-Rate-Limit-Remaining", r.remaining),
    ] {
        if let Some(v) = v {
            push(name, v.to_string());
        }
    }
    if let Some(reset) = r.reset {
        push("X-Rate-Limit-Reset", reset_text(reset));
    }
    if let Some(d) = h.date {
        push("Date", timestamp::iso8601(d));
    }
    match &h.retry_after {
        Some(RetryAfter::Seconds(s)) => push("Retry-After", format!("{s}")),
        Some(RetryAfter::Date(d)) => push("Retry-After", timestamp::iso8601(*d)),
        _ => {}
    }
}

fn duplicates(h: &Headers, r: &Reading) -> Finding {
    let shown: Vec<String> = h.reset.values.iter().take(8).map(u64::to_string).collect();
    let more = h.reset.count.saturating_sub(shown.len());
    let values = if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    };
    let f = Finding::fact("rate_limit.duplicate_headers", Severity::Info).with("sets", r.sets);
    if values.is_empty() {
        return f;
    }
    f.evidence("header", "X-Rate-Limit-Reset", values)
}

/// `rate_limit.invalid_header`: the unreadable values kept (header, value, reason, as three
/// lists in step), how many there were, and the implausible ones (a rejected reset, more
/// remaining than the limit, an unreadable `Retry-After` or `Date`).
fn invalid(h: &Headers, r: &Reading) -> Option<Finding> {
    let fields = [&h.limit, &h.remaining, &h.reset];
    let problems: Vec<&Invalid> = fields.iter().flat_map(|f| f.invalid.iter()).collect();
    let total: usize = fields
        .iter()
        .map(|f| f.invalid_count)
        .fold(0, usize::saturating_add);
    let rejected = r.reset_rejected.zip(h.reset.min);
    let retry_after_invalid = match &h.retry_after {
        Some(RetryAfter::Invalid(v)) => Some(v.as_str()),
        _ => None,
    };
    let implausible = rejected.is_some()
        || r.remaining_above_limit
        || retry_after_invalid.is_some()
        || h.date_invalid.is_some();
    if problems.is_empty() && !implausible {
        return None;
    }
    let mut f = Finding::fact("rate_limit.invalid_header", Severity::Warning)
        .with(
            "headers",
            problems.iter().map(|p| p.header).collect::<Vec<_>>(),
        )
        .with(
            "values",
            problems
                .iter()
                .map(|p| p.value.as_str())
                .collect::<Vec<_>>(),
        )
        .with(
            "reasons",
            problems.iter().map(|p| p.reason).collect::<Vec<_>>(),
        )
        .with("count", total)
        .with("resetRejected", rejected.map(|(reason, _)| reason))
        .with("rejectedReset", rejected.map(|(_, v)| v))
        .with("retryAfterInvalid", retry_after_invalid)
        .with("dateInvalid", h.date_invalid.as_deref());
    if r.remaining_above_limit {
        f = f
            .with("remainingAboveLimit", true)
            .with("limit", r.limit)
            .with("remaining", r.remaining);
    }
    for p in &problems {
        f = f.evidence("header", p.header, p.value.clone());
    }
    Some(f)
}

/// `clock.skew`: the caller's clock and Okta's `Date` disagree by more than the tolerance.
/// For an exchange the browser's observation time is compared; for pasted text the time given
/// as now, where a `Date` in the past may only be the capture's age: up to an hour behind is
/// reported with that caveat (as information), older is not reported, and a `Date` ahead of
/// now always is.
pub fn clock_skew(date: i64, now: i64, ctx: &Context) -> Option<Finding> {
    let clock = ctx.clock;
    let skew = date.saturating_sub(now);
    if skew.saturating_abs() <= super::CLOCK_SKEW_TOLERANCE_SECONDS {
        return None;
    }
    let observed = matches!(clock, Clock::Observed(_));
    let severity = match clock {
        Clock::Observed(_) => Severity::Warning,
        _ if skew > 0 => Severity::Warning,
        _ if skew < -OLD_CAPTURE_SECONDS => return None,
        _ => Severity::Info,
    };
    let f = Finding::fact("clock.skew", severity)
        .with("date", date)
        .with("now", now)
        .with("observed", on(observed))
        .evidence("header", "Date", timestamp::iso8601(date));
    Some(ctx.moment.record(f))
}

/// "There is no usable Date header…": the clock the wait was measured from instead, for the
/// view's note and the findings' wording.
pub fn no_date_sentence(observed: bool) -> String {
    let clock = if observed {
        "the moment the browser saw the response (observedAt)"
    } else {
        "the time given as now"
    };
    format!("There is no usable Date header, so the wait is measured from {clock}; Okta's Go and Python SDKs refuse to retry a 429 without Date.")
}

/// A sentence for `rateLimit.note` when the numbers need a caveat.
pub fn note(h: &Headers, r: &Reading, ctx: &Context) -> Option<String> {
    if r.concurrent {
        return Some(
            "Concurrency limit: the reset is only Okta's estimate of when a request slot frees up."
                .to_string(),
        );
    }
    if r.window_passed {
        let ago = r
            .reset_ago
            .map(|s| format!(" {} ago", crate::moment::ago(s)))
            .unwrap_or_default();
        return Some(format!("Window reset{ago}, judged at the time given as now — safe to retry (this response is older than its wait)."));
    }
    if r.reset.is_some() && !r.reference_is_date {
        return Some(no_date_sentence(matches!(ctx.clock, Clock::Observed(_))));
    }
    if r.wait_from == Some(WaitFrom::RetryAfter) {
        return Some("The wait comes from Retry-After, which Okta doesn't send on its own 429s: something in front of Okta added it.".to_string());
    }
    if h.limit.count == 0 && h.reset.count == 0 && r.exceeded {
        return Some("The response has no X-Rate-Limit headers; paste the full response (curl -si) for the exact wait.".to_string());
    }
    None
}

/// A live finding shown later (a tab's view at the caller's `now`, epoch seconds): a wait that
/// has run out since the browser saw the response is over, as for pasted input — `windowPassed`,
/// `resetAgo`, `waitAtResponse`, and `wait` 0. Both times are this computer's clock.
pub fn judge_live(f: &mut Finding, now: i64) {
    if !matches!(&*f.id, "rate_limit.exceeded" | "rate_limit.concurrent") {
        return;
    }
    let p = &f.params;
    if p.text("moment") != Some("live") || p.flag("windowPassed") {
        return;
    }
    let (Some(at), Some(wait)) = (p.int("momentAt"), p.int("wait")) else {
        return;
    };
    let ended = at.saturating_add(wait);
    if now < ended {
        return;
    }
    f.params.set("windowPassed", true);
    f.params.set("resetAgo", now.saturating_sub(ended));
    f.params.set("waitAtResponse", wait);
    f.params.set("wait", 0);
}

/// Every finding for one response's rate-limit headers.
pub fn findings(h: &Headers, r: &Reading, ctx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    if r.concurrent {
        out.push(concurrent(h, r, ctx));
    } else if r.exceeded {
        out.push(exceeded(h, r, ctx));
    } else if r.low {
        out.push(low(h, r, ctx));
    } else if r.limit.is_some() && r.remaining.is_some() {
        out.push(status(h, r, ctx));
    }
    if r.duplicate {
        out.push(duplicates(h, r));
    }
    out.extend(invalid(h, r));
    if let (Some(d), Some(now)) = (h.date, ctx.clock.epoch()) {
        out.extend(clock_skew(d, now, ctx));
    }
    out
}
