//! The words for rate-limit findings: what happened, the exact wait with the SDK formula
//! filled in, and what to change (okta.md §3.1–§3.5). Numbers come from [`super::Reading`].

use crate::{
    bucket,
    report::{Finding, Severity},
    timestamp,
};

use super::{Clock, Context, Headers, Invalid, Reading, RetryAfter, Signal, WaitFrom};

const DOCS: &str = "https://developer.okta.com/docs/reference/rate-limits/";

/// System Log events for rate-limit violations, under both spellings Okta's docs use
/// (okta.md §3.5), plus the concurrency event.
const LOG_COMMAND: &str = "curl -s \"https://$OKTA_DOMAIN/api/v1/logs?filter=eventType+eq+%22system.org.rate_limit.violation%22+or+eventType+eq+%22system.rate.limit.violation%22+or+eventType+eq+%22core.concurrency.org.limit.violation%22\" -H \"Authorization: SSWS $OKTA_API_TOKEN\" -H 'Accept: application/json'";

fn bucket_phrase(m: &bucket::Match) -> String {
    let mut s = format!(
        "{} {} counts against Okta's bucket {}",
        m.method, m.path, m.info.name
    );
    let published = m.info.published_limits();
    if !published.is_empty() {
        let list: Vec<String> = published
            .iter()
            .map(|(p, l)| format!("{l} ({})", bucket::plan_name(p)))
            .collect();
        s.push_str(&format!(
            "; Okta's last published defaults: {} requests per minute",
            list.join(", ")
        ));
    }
    s.push('.');
    s
}

/// "reset − Date + 1 = 1609459242 − 1609459201 + 1 = 42 s", with the right name for the clock.
fn formula(r: &Reading, ctx: &Context) -> Option<String> {
    if r.window_passed {
        return None;
    }
    let (reset, reference, wait) = (r.reset?, r.reference?, r.reset_wait?);
    let clock = if r.reference_is_date {
        "Date"
    } else {
        match ctx.clock {
            Clock::Observed(_) => "observedAt",
            _ => "now",
        }
    };
    Some(format!(
        "X-Rate-Limit-Reset − {clock} + 1 s = {reset} − {reference} + 1 = {wait} s"
    ))
}

fn what_happened(ctx: &Context) -> &'static str {
    match ctx.signal {
        Some(Signal::OktaE0000047) => "Okta refused the call with E0000047, \"API call exceeded rate limit due to too many requests.\"",
        Some(Signal::TokenRateLimited) => "The token endpoint answered invalid_grant, \"API call exceeded rate limit due to too many requests.\": either one username made more than 4 requests per second (Okta's per-username limit, user_rate_limited in the System Log) or the token endpoint's bucket ran out. A 429 from /token is not always E0000047-shaped.",
        Some(Signal::IdxTooManyRequests) => "Identity Engine answered \"Too many requests\" (tooManyRequests): it allows 20 requests per user per 5 s and 10 per state token per 5 s, on top of the org's buckets.",
        None => "Okta answered HTTP 429 Too Many Requests.",
    }
}

fn retry_after_sentence(h: &Headers, r: &Reading) -> Option<String> {
    match (&h.retry_after, r.retry_after_seconds) {
        (Some(RetryAfter::Invalid(v)), _) => Some(format!("Retry-After is present but unreadable (\"{v}\"); it is ignored. Okta doesn't send Retry-After on its own 429s, so something in front of Okta added it.")),
        (Some(_), Some(s)) => Some(format!(
            "This response carries Retry-After ({s} s). Okta doesn't send Retry-After on its own 429s, so a proxy, gateway or WAF in front of Okta probably added it; it is honoured here: {}.",
            if r.wait_from == Some(WaitFrom::RetryAfter) { "it is the longer wait, so it wins" } else { "the reset-based wait is longer, so that one wins" }
        )),
        (Some(_), None) => Some("Retry-After is an HTTP date, but there is no Date or clock to measure it from.".to_string()),
        (None, _) => None,
    }
}

fn org_view_fix() -> &'static str {
    "See every bucket's limit and who is using it in Admin Console → Reports → Rate Limits, and set the warning threshold there (Settings) so super admins are emailed before the next 429 (system.org.rate_limit.warning)."
}

fn token_share_fix() -> &'static str {
    "Each API token and each OAuth service app gets 50% of every bucket by default, so one integration can be throttled while the org still has headroom. Give heavy jobs their own token or app, or change the share (/api/v1/principal-rate-limits, scope okta.principalRateLimits.manage)."
}

/// Paging advice when listing users or groups (or reading them one by one) burns the bucket.
fn paging(f: Finding, h: &Headers, m: Option<&bucket::Match>, url: Option<&str>) -> Finding {
    let Some(m) = m else { return f };
    let page_size = url
        .and_then(|u| u.split_once('?'))
        .into_iter()
        .flat_map(|(_, q)| q.split(['&', '#']))
        .find_map(|kv| kv.strip_prefix("limit="))
        .and_then(|v| v.parse::<u32>().ok());
    if m.is_listing() {
        let asked = match page_size {
            Some(200..) => "This request already asks for limit=200".to_string(),
            Some(n) => format!(
                "This request asks for limit={n}, so it needs {}× the requests",
                200u32.div_ceil(n.max(1))
            ),
            None => "This request uses the default page size".to_string(),
        };
        let next = if h.next_page {
            match &h.next_after {
                Some(a) => format!(" The Link header's rel=\"next\" URL continues with after={a}."),
                None => " The Link header has a rel=\"next\" URL.".to_string(),
            }
        } else {
            String::new()
        };
        let f = f.fix(format!("Listing burns this bucket one page per request. {asked}: ask for limit=200 and follow the Link header's rel=\"next\" URL (its after= cursor) until there is none, instead of many small pages or search-per-object calls.{next}"));
        // Only the two top-level listings: their paths are fixed words, safe to inline.
        if m.path != "/api/v1/users" && m.path != "/api/v1/groups" {
            return f;
        }
        return f.command(
            "List 200 per page and show the next-page link",
            format!(
                "curl -s -D - -o /dev/null \"https://$OKTA_DOMAIN{}?limit=200\" -H \"Authorization: SSWS $OKTA_API_TOKEN\" -H 'Accept: application/json' | grep -i '^link:'",
                m.path
            ),
        );
    }
    if m.is_single_object_read() {
        return f.fix("Reading users, groups or apps one by one burns this bucket: list them instead (limit=200 per page, following the Link header's rel=\"next\" after= cursor), or use search/filter to fetch only the ones you need.");
    }
    f
}

fn exceeded(h: &Headers, r: &Reading, ctx: &Context) -> Finding {
    let title = match r.wait_seconds {
        Some(0) if r.window_passed => {
            "Rate limit exceeded — wait 0 s: the window already reset".to_string()
        }
        Some(w) => format!("Rate limit exceeded — wait {w} s"),
        None => {
            "Rate limit exceeded — wait time unknown (no usable X-Rate-Limit-Reset)".to_string()
        }
    };
    let mut detail = vec![what_happened(ctx).to_string()];
    if let Some(m) = &r.bucket {
        detail.push(bucket_phrase(m));
        detail.extend(m.info.scope_notes());
    }
    if let (Some(l), Some(rem)) = (r.limit, r.remaining) {
        detail.push(format!(
            "X-Rate-Limit-Limit is {l}, X-Rate-Limit-Remaining {rem}."
        ));
        if rem > 0 && l > 0 {
            detail.push("The bucket still had room, so a narrower limit refused the call: per username, per client, per user, or this token's share of the bucket.".to_string());
        }
    }
    match (r.reset, formula(r, ctx)) {
        (Some(reset), Some(f)) => detail.push(format!(
            "The window resets at {} (X-Rate-Limit-Reset {reset}). Okta's SDKs wait {f}.",
            timestamp::iso8601(reset)
        )),
        (Some(reset), None) if r.window_passed => detail.push(format!("The window reset at {} (X-Rate-Limit-Reset {reset}), before the time given as now; without a Date header this looks like an older capture, and there is nothing left to wait for.", timestamp::iso8601(reset))),
        (Some(reset), None) => detail.push(format!("The window resets at {} (X-Rate-Limit-Reset {reset}), but without a Date header or a clock the wait can't be measured.", timestamp::iso8601(reset))),
        (None, _) if h.reset.count == 0 => detail.push("The response has no X-Rate-Limit-Reset header, so the wait is unknown; paste the full response (curl -si) to get it.".to_string()),
        (None, _) => {}
    }
    if r.reset.is_some() && !r.reference_is_date && !r.window_passed {
        detail.push(no_date_sentence(ctx));
    }
    if r.old_capture {
        detail.push("This response's Date is more than an hour before the time given as now, so its window has long reset: the wait is what Okta's SDKs would have waited when it arrived.".to_string());
    }
    match retry_after_sentence(h, r) {
        Some(s) => detail.push(s),
        None if ctx.status == Some(429) => detail.push("There is no Retry-After header: Okta doesn't send one on its own 429s, so go by X-Rate-Limit-Reset.".to_string()),
        None => {}
    }
    let mut f = Finding::new("rate_limit.exceeded", Severity::Error, title)
        .detail(detail.join(" "))
        .docs(DOCS);
    f = match (r.wait_seconds, r.reset) {
        (Some(0), _) if r.window_passed => f.fix("The window has already reset: retry now, and pace the next burst."),
        (Some(w), Some(reset)) if r.wait_from == Some(WaitFrom::Reset) => f.fix(format!("Wait {w} s (until {} on Okta's clock), then retry.", timestamp::iso8601(reset.saturating_add(1)))),
        (Some(w), _) => f.fix(format!("Wait {w} s, then retry.")),
        (None, _) => f.fix("Wait for the limit's window to reset (X-Rate-Limit-Reset says when; Okta's per-minute windows aren't aligned to the clock's minutes), then retry."),
    };
    let sdk = match formula(r, ctx) {
        Some(fm) => format!("Back off as Okta's SDKs do: sleep {fm}, then retry with X-Okta-Retry-For: <the 429's X-Okta-Request-Id> and X-Okta-Retry-Count: <n>."),
        None => "Back off as Okta's SDKs do: sleep X-Rate-Limit-Reset − Date + 1 s (the server's Date, not your clock), then retry with X-Okta-Retry-For: <the 429's X-Okta-Request-Id> and X-Okta-Retry-Count: <n>.".to_string(),
    };
    f = f.fix(format!("{sdk} The Python and Node SDKs retry twice by default; the Go SDK retries only when okta.client.rateLimit.maxRetries is set."));
    f = paging(f, h, r.bucket.as_ref(), ctx.url);
    let f = f.fix(token_share_fix()).fix(org_view_fix()).command(
        "System Log: rate-limit and concurrency violations",
        LOG_COMMAND,
    );
    evidence(f, h, r)
}

fn no_date_sentence(ctx: &Context) -> String {
    let clock = match ctx.clock {
        Clock::Observed(_) => "the moment the browser saw the response (observedAt)",
        _ => "the time given as now",
    };
    format!("There is no usable Date header, so the wait is measured from {clock}; Okta's Go and Python SDKs refuse to retry a 429 without Date.")
}

fn concurrent(h: &Headers, r: &Reading, ctx: &Context) -> Finding {
    let title = match r.wait_seconds {
        Some(w) => format!("Concurrency limit hit — retry in about {w} s"),
        None => "Concurrency limit hit — too many requests in flight".to_string(),
    };
    let mut detail = vec![
        "X-Rate-Limit-Limit and X-Rate-Limit-Remaining are both 0: Okta refused this request because too many of the org's requests were in flight at once, not because a per-minute bucket ran out.".to_string(),
    ];
    if let Some(reset) = r.reset {
        detail.push(format!(
            "X-Rate-Limit-Reset ({}) is only Okta's estimate of when a slot frees up{}.",
            timestamp::iso8601(reset),
            formula(r, ctx)
                .map(|f| format!(": {f}"))
                .unwrap_or_default()
        ));
    }
    detail.push("Okta allows 75 requests in flight for Workforce and Customer Identity orgs and 35 for Integrator Free; Microsoft 365 traffic is counted separately. It logs core.concurrency.org.limit.violation (\"Too many requests in flight\") at most once per 60 s.".to_string());
    if let Some(m) = &r.bucket {
        detail.push(bucket_phrase(m));
        if m.info.scope.per_client {
            detail.push("This endpoint also has a per-client concurrency limit: 5 at once per client_id + IP + device.".to_string());
        }
    }
    if let Some(s) = retry_after_sentence(h, r) {
        detail.push(s);
    }
    let f = Finding::new("rate_limit.concurrent", Severity::Error, title)
        .detail(detail.join(" "))
        .fix("Cap parallelism: send requests through a worker pool or semaphore sized well below the org's limit, shared by every job that uses the same org.")
        .fix(match r.wait_seconds {
            Some(w) => format!("Retry after about {w} s with some random jitter, so parallel workers don't all come back at once."),
            None => "Retry after a short, jittered delay so parallel workers don't all come back at once.".to_string(),
        })
        .fix(org_view_fix())
        .command("System Log: rate-limit and concurrency violations", LOG_COMMAND)
        .docs(DOCS);
    evidence(f, h, r)
}

fn usage_title(prefix: &str, r: &Reading) -> String {
    let (Some(l), Some(rem), Some(p)) = (r.limit, r.remaining, r.used_permille) else {
        return prefix.to_string();
    };
    let on = r
        .bucket
        .as_ref()
        .map(|m| format!(" on {}", m.info.name))
        .unwrap_or_default();
    let resets = r
        .reset_wait
        .map(|w| format!(", resets in {w} s"))
        .unwrap_or_default();
    format!(
        "{prefix}{on}: {rem} of {l} left ({}% used){resets}",
        super::percent_text(p)
    )
}

fn low(h: &Headers, r: &Reading, ctx: &Context) -> Finding {
    let mut detail = vec![format!(
        "Usage is at or above the {}% warning threshold.",
        ctx.low_threshold_percent
    )];
    if let Some(m) = &r.bucket {
        detail.push(bucket_phrase(m));
        detail.extend(m.info.scope_notes());
    }
    if let Some(f) = formula(r, ctx) {
        detail.push(format!("The window resets in {f}."));
    }
    let mut f = Finding::new(
        "rate_limit.low",
        Severity::Warning,
        usage_title("Rate limit nearly used", r),
    )
    .detail(detail.join(" "))
    .fix("Slow down before the 429: when Remaining gets low, pause until X-Rate-Limit-Reset (measured against the server's Date) instead of sending the rest of the burst.");
    f = paging(f, h, r.bucket.as_ref(), ctx.url);
    let f = f.fix(token_share_fix()).fix(org_view_fix()).docs(DOCS);
    evidence(f, h, r)
}

fn status(h: &Headers, r: &Reading, ctx: &Context) -> Finding {
    let mut detail = Vec::new();
    match &r.bucket {
        Some(m) => {
            detail.push(bucket_phrase(m));
            detail.extend(m.info.scope_notes());
            if let Some(l) = r.limit {
                let plans = m.info.plans_with(l);
                if !plans.is_empty() {
                    detail.push(format!("A limit of {l} matches the published default for {}.", plans.join(", ")));
                } else if m.info.scope.per_client && l == 60 {
                    detail.push("A limit of 60 is the per-client limit, not the org bucket.".to_string());
                } else if !m.info.published_limits().is_empty() {
                    detail.push(format!("A limit of {l} differs from the published defaults: the org may have a rate-limit multiplier, a temporary increase, DynamicScale, or a custom per-token share."));
                }
            }
        }
        None => detail.push("Which bucket this is depends on the request's method and path; paste curl -v output or capture the request in the browser to name it.".to_string()),
    }
    if let Some(f) = formula(r, ctx) {
        detail.push(format!("The window resets in {f}."));
    }
    if r.reset.is_some() && !r.reference_is_date {
        detail.push(no_date_sentence(ctx));
    }
    let f = Finding::new(
        "rate_limit.status",
        Severity::Info,
        usage_title("Rate limit", r),
    )
    .detail(detail.join(" "))
    .fix(format!(
        "Nothing to do yet. This report warns from {}% usage.",
        ctx.low_threshold_percent
    ))
    .fix(org_view_fix())
    .docs(DOCS);
    evidence(f, h, r)
}

fn evidence(mut f: Finding, h: &Headers, r: &Reading) -> Finding {
    for (name, v) in [
        ("X-Rate-Limit-Limit", r.limit),
        ("X-Rate-Limit-Remaining", r.remaining),
    ] {
        if let Some(v) = v {
            f = f.evidence("header", name, v.to_string());
        }
    }
    if let Some(reset) = r.reset {
        f = f.evidence(
            "header",
            "X-Rate-Limit-Reset",
            format!("{reset} ({})", timestamp::iso8601(reset)),
        );
    }
    if let Some(d) = h.date {
        f = f.evidence("header", "Date", timestamp::iso8601(d));
    }
    match &h.retry_after {
        Some(RetryAfter::Seconds(s)) => f.evidence("header", "Retry-After", format!("{s}")),
        Some(RetryAfter::Date(d)) => f.evidence("header", "Retry-After", timestamp::iso8601(*d)),
        _ => f,
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
    let mut f = Finding::new(
        "rate_limit.duplicate_headers",
        Severity::Info,
        format!("{} rate-limit header sets — using the smallest reset", r.sets),
    )
    .detail(format!(
        "This response carries {} values for the X-Rate-Limit headers (repeated header lines or comma-joined values). A response can report the org bucket and a narrower one at once. Okta's Python and .NET SDKs wait for the smallest X-Rate-Limit-Reset, as this report does; Okta's Node SDK doesn't retry at all when X-Rate-Limit-Reset arrives comma-joined (OKTA-112507).",
        r.sets
    ))
    .fix("If your client reads these headers itself, split comma-joined values and take the smallest reset.")
    .docs(DOCS);
    if !values.is_empty() {
        f = f.evidence("header", "X-Rate-Limit-Reset", values);
    }
    f
}

fn invalid(h: &Headers, r: &Reading) -> Option<Finding> {
    let problems: Vec<Invalid> = [&h.limit, &h.remaining, &h.reset]
        .iter()
        .flat_map(|f| f.invalid.iter().cloned())
        .collect();
    let total: usize = [&h.limit, &h.remaining, &h.reset]
        .iter()
        .map(|f| f.invalid_count)
        .fold(0, usize::saturating_add);
    let mut extra = Vec::new();
    if let (Some(reason), Some(v)) = (r.reset_rejected, h.reset.min) {
        extra.push(format!(
            "X-Rate-Limit-Reset {v}: {reason}, so it is not used for the wait."
        ));
    }
    if r.remaining_above_limit {
        extra.push(format!(
            "X-Rate-Limit-Remaining ({}) is above X-Rate-Limit-Limit ({}).",
            r.remaining.unwrap_or_default(),
            r.limit.unwrap_or_default()
        ));
    }
    if let Some(RetryAfter::Invalid(v)) = &h.retry_after {
        extra.push(format!("Retry-After \"{v}\" is neither a number of seconds nor an HTTP date, so it is ignored."));
    }
    if let Some(d) = &h.date_invalid {
        extra.push(format!(
            "Date \"{d}\" is not an HTTP date (like Sun, 06 Nov 1994 08:49:37 GMT)."
        ));
    }
    if problems.is_empty() && extra.is_empty() {
        return None;
    }
    let title = match (problems.first(), total + extra.len()) {
        (Some(p), 1) => format!(
            "Unreadable rate-limit header: {} \"{}\" ({})",
            p.header, p.value, p.reason
        ),
        (None, 1) => "Implausible rate-limit header".to_string(),
        (_, n) => format!("{n} unreadable rate-limit header values"),
    };
    let mut lines: Vec<String> = problems
        .iter()
        .map(|p| format!("{}: \"{}\" ({}).", p.header, p.value, p.reason))
        .collect();
    if total > problems.len() {
        lines.push(format!("…and {} more.", total - problems.len()));
    }
    lines.extend(extra);
    let mut f = Finding::new("rate_limit.invalid_header", Severity::Warning, title)
        .detail(format!(
            "{} Okta sends whole numbers: the limit and remaining requests, and X-Rate-Limit-Reset in epoch seconds. Unreadable values are ignored here. Okta's Go SDK treats a missing or invalid X-Rate-Limit-Reset or Date as a permanent error (no retry); the Python SDK fails with \"429 response must have the 'X-Rate-Limit-Reset' and 'Date' headers\".",
            lines.join(" ")
        ))
        .fix("Look for a proxy, gateway or test double that rewrites these headers; compare with a direct request to Okta (curl -si).")
        .docs(DOCS);
    for p in &problems {
        f = f.evidence("header", p.header, p.value.clone());
    }
    Some(f)
}

/// Pasted output whose `Date` is older than this is taken to be an old capture, not skew.
pub const OLD_CAPTURE_SECONDS: i64 = 3600;

/// `clock.skew`: the caller's clock and Okta's `Date` disagree by more than the tolerance.
/// For an exchange the browser's observation time is compared; for pasted text the time given
/// as now, where a `Date` in the past may only be the capture's age: up to an hour behind is
/// reported with that caveat, older is not reported, and a `Date` ahead of now always is.
pub fn clock_skew(date: i64, now: i64, clock: Clock) -> Option<Finding> {
    let skew = date.saturating_sub(now);
    if skew.saturating_abs() <= super::CLOCK_SKEW_TOLERANCE_SECONDS {
        return None;
    }
    let by = timestamp::human(skew);
    let (date_iso, now_iso) = (timestamp::iso8601(date), timestamp::iso8601(now));
    let tokens = "Token checks use the local clock: past 300 s, okta-auth-js rejects fresh tokens as issued in the future, or keeps using expired ones. Rate-limit waits here use Okta's Date, as Okta's SDKs do, so they stay exact.";
    let f = match clock {
        Clock::Observed(_) => Finding::new(
            "clock.skew",
            Severity::Warning,
            format!(
                "Clock skew: this computer's clock is {by} {} Okta's",
                if skew < 0 { "ahead of" } else { "behind" }
            ),
        )
        .detail(format!(
            "Okta's Date header says {date_iso}; the browser saw the response at {now_iso}. {tokens}"
        )),
        _ if skew > 0 => Finding::new(
            "clock.skew",
            Severity::Warning,
            format!("Clock skew: this computer's clock is {by} behind Okta's"),
        )
        .detail(format!(
            "Okta's Date header says {date_iso}, later than the time given as now ({now_iso}). A response can't come from the future, so this computer's clock (or the --now given) is behind. {tokens}"
        )),
        _ if skew < -OLD_CAPTURE_SECONDS => return None,
        _ => Finding::new(
            "clock.skew",
            Severity::Info,
            format!("Okta's Date is {by} behind this computer's clock"),
        )
        .detail(format!(
            "Okta's Date header says {date_iso}; the time given as now is {now_iso}. If this response was captured just now, this computer's clock is {by} ahead; if the output is older, the difference is only its age. Rate-limit waits here use Okta's Date, as Okta's SDKs do, so they stay exact either way."
        )),
    };
    Some(
        f.fix("Keep the clock synced with NTP (Linux: timedatectl set-ntp true; macOS and Windows: set date and time automatically).")
            .evidence("header", "Date", date_iso),
    )
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
        return Some("The window has already reset: X-Rate-Limit-Reset is before the time given as now, and there is no Date header (an older capture?).".to_string());
    }
    if r.old_capture {
        return Some("Date is more than an hour before the time given as now: an older capture, whose window has long reset.".to_string());
    }
    if r.reset.is_some() && !r.reference_is_date {
        return Some(no_date_sentence(ctx));
    }
    if r.wait_from == Some(WaitFrom::RetryAfter) {
        return Some("The wait comes from Retry-After, which Okta doesn't send on its own 429s: something in front of Okta added it.".to_string());
    }
    if h.limit.count == 0 && h.reset.count == 0 && r.exceeded {
        return Some("The response has no X-Rate-Limit headers; paste the full response (curl -si) for the exact wait.".to_string());
    }
    None
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
        out.extend(clock_skew(d, now, ctx.clock));
    }
    out
}
