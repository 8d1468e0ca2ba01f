//! The words of the `rate_limit.*` and `clock.*` findings (okta.md §3.1–§3.5): what happened,
//! the exact wait with the SDK formula filled in, and what to change. The numbers are the
//! finding's parameters (`rate_limit/facts.rs`); a bucket's limits and notes are looked up in
//! the bucket catalogue by the name the finding recorded. The usage findings (exceeded,
//! concurrent, low, status) are worded here, the header findings in `headers.rs`.

mod headers;

use crate::{
    bucket,
    moment::{ago, recorded_on, recorded_phrase},
    params::Params,
    rate_limit::{no_date_sentence, percent_text},
    report::{Command, Finding},
    timestamp,
};

const DOCS: &str = "https://developer.okta.com/docs/reference/rate-limits/";

/// System Log events for rate-limit violations, under both spellings Okta's docs use
/// (okta.md §3.5), plus the concurrency event.
const LOG_COMMAND: &str = "curl -s \"https://$OKTA_DOMAIN/api/v1/logs?filter=eventType+eq+%22system.org.rate_limit.violation%22+or+eventType+eq+%22system.rate.limit.violation%22+or+eventType+eq+%22core.concurrency.org.limit.violation%22\" -H \"Authorization: SSWS $OKTA_API_TOKEN\" -H 'Accept: application/json'";

const LOG_LABEL: &str = "System Log: rate-limit and concurrency violations";

const ORG_VIEW_FIX: &str = "See every bucket's limit and who is using it in Admin Console → Reports → Rate Limits, and set the warning threshold there (Settings) so super admins are emailed before the next 429 (system.org.rate_limit.warning).";

const TOKEN_SHARE_FIX: &str = "Each API token and each OAuth service app gets 50% of every bucket by default, so one integration can be throttled while the org still has headroom. Give heavy jobs their own token or app, or change the share (/api/v1/principal-rate-limits, scope okta.principalRateLimits.manage).";

pub(super) fn word(f: &mut Finding) {
    match &*f.id {
        "rate_limit.exceeded" => exceeded(f),
        "rate_limit.concurrent" => concurrent(f),
        "rate_limit.low" => low(f),
        "rate_limit.status" => status(f),
        "rate_limit.duplicate_headers" => headers::duplicates(f),
        "rate_limit.invalid_header" => headers::invalid(f),
        "clock.skew" => headers::clock_skew(f),
        _ => {}
    }
}

/// A whole number recorded from a header (`u64`: may be past `i64`).
fn uint(p: &Params, name: &str) -> Option<u64> {
    p.uint(name)
}

fn command(label: &str, command: String) -> Command {
    Command {
        label: label.to_string(),
        command,
        target: None,
    }
}

/// The bucket the finding recorded: its method, path and catalogue entry.
struct Bucket<'a> {
    method: &'a str,
    path: &'a str,
    info: bucket::Info,
}

fn bucket_of(p: &Params) -> Option<Bucket<'_>> {
    Some(Bucket {
        method: p.str("bucketMethod"),
        path: p.str("bucketPath"),
        info: bucket::info(p.text("bucket")?),
    })
}

impl Bucket<'_> {
    fn phrase(&self) -> String {
        let mut s = format!(
            "{} {} counts against Okta's bucket {}",
            self.method, self.path, self.info.name
        );
        let published = self.info.published_limits();
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
}

/// "reset − Date + 1 = 1609459242 − 1609459201 + 1 = 42 s", with the right name for the clock.
fn formula(p: &Params) -> Option<String> {
    if p.flag("windowPassed") {
        return None;
    }
    let (reset, reference, wait) = (p.int("reset")?, p.int("reference")?, p.int("resetWait")?);
    let clock = if p.flag("referenceIsDate") {
        "Date"
    } else if p.flag("referenceIsOktaClock") {
        "(observedAt + the session's skew)"
    } else if p.flag("observed") {
        "observedAt"
    } else {
        "now"
    };
    Some(format!(
        "X-Rate-Limit-Reset − {clock} + 1 s = {reset} − {reference} + 1 = {wait} s"
    ))
}

/// A wait without `Date` measured by Okta's clock all the same: the session's skew
/// (crate/src/session/clock.rs) moved the browser's time onto Okta's.
fn okta_clock_sentence(p: &Params) -> Option<String> {
    if !p.flag("referenceIsOktaClock") {
        return None;
    }
    let skew = p.int("skew")?;
    Some(format!(
        "This session's other Okta responses put Okta's clock {} {} the browser's (the median of {} Date headers), so the wait is measured from Okta's time: {} s, where the browser's clock alone gives {} s.",
        timestamp::human(skew),
        if skew > 0 { "ahead of" } else { "behind" },
        p.int("skewResponses").unwrap_or(1),
        p.int("resetWait").unwrap_or_default(),
        p.int("waitByThisClock").unwrap_or_default(),
    ))
}

fn what_happened(signal: Option<&str>) -> &'static str {
    match signal {
        Some("E0000047") => "Okta refused the call with E0000047, \"API call exceeded rate limit due to too many requests.\"",
        Some("token") => "The token endpoint answered invalid_grant, \"API call exceeded rate limit due to too many requests.\": either one username made more than 4 requests per second (Okta's per-username limit, user_rate_limited in the System Log) or the token endpoint's bucket ran out. A 429 from /token is not always E0000047-shaped.",
        Some("idx") => "Identity Engine answered \"Too many requests\" (tooManyRequests): it allows 20 requests per user per 5 s and 10 per state token per 5 s, on top of the org's buckets.",
        _ => "Okta answered HTTP 429 Too Many Requests.",
    }
}

fn retry_after_sentence(p: &Params) -> Option<String> {
    if !p.flag("retryAfter") {
        return None;
    }
    if let Some(v) = p.text("retryAfterInvalid") {
        return Some(format!("Retry-After is present but unreadable (\"{v}\"); it is ignored. Okta doesn't send Retry-After on its own 429s, so something in front of Okta added it."));
    }
    Some(match p.int("retryAfterSeconds") {
        Some(s) => format!(
            "This response carries Retry-After ({s} s). Okta doesn't send Retry-After on its own 429s, so a proxy, gateway or WAF in front of Okta probably added it; it is honoured here: {}.",
            if p.flag("retryAfterWins") { "it is the longer wait, so it wins" } else { "the reset-based wait is longer, so that one wins" }
        ),
        None => "Retry-After is an HTTP date, but there is no Date or clock to measure it from.".to_string(),
    })
}

/// The paging fix (and, for the two top-level listings, a command) when listing users or
/// groups, or reading them one by one, burns the bucket.
fn paging(p: &Params) -> (Option<String>, Option<Command>) {
    match p.text("paging") {
        Some("listing") => {
            let asked = match uint(p, "pageSize") {
                Some(200..) => "This request already asks for limit=200".to_string(),
                Some(n) => format!(
                    "This request asks for limit={n}, so it needs {}× the requests",
                    200u64.div_ceil(n.max(1))
                ),
                None => "This request uses the default page size".to_string(),
            };
            let next = match (p.flag("nextPage"), p.text("nextAfter")) {
                (true, Some(a)) => {
                    format!(" The Link header's rel=\"next\" URL continues with after={a}.")
                }
                (true, None) => " The Link header has a rel=\"next\" URL.".to_string(),
                (false, _) => String::new(),
            };
            let fix = format!("Listing burns this bucket one page per request. {asked}: ask for limit=200 and follow the Link header's rel=\"next\" URL (its after= cursor) until there is none, instead of many small pages or search-per-object calls.{next}");
            // Only the two top-level listings: their paths are fixed words, safe to inline.
            let path = p.str("bucketPath");
            let list = (path == "/api/v1/users" || path == "/api/v1/groups").then(|| {
                command(
                    "List 200 per page and show the next-page link",
                    format!("curl -s -D - -o /dev/null \"https://$OKTA_DOMAIN{path}?limit=200\" -H \"Authorization: SSWS $OKTA_API_TOKEN\" -H 'Accept: application/json' | grep -i '^link:'"),
                )
            });
            (Some(fix), list)
        }
        Some("single") => (Some("Reading users, groups or apps one by one burns this bucket: list them instead (limit=200 per page, following the Link header's rel=\"next\" after= cursor), or use search/filter to fetch only the ones you need.".to_string()), None),
        _ => (None, None),
    }
}

/// "window reset 59 min ago": a pasted response judged at now whose window has passed
/// (`resetAgo`, when it is known).
fn window_reset(p: &Params) -> String {
    match p.int("resetAgo") {
        Some(s) => format!("window reset {} ago", ago(s)),
        None => "window already reset".to_string(),
    }
}

/// The clock a passed window was judged by: the caller's now for pasted input, this computer's
/// clock for a live response shown later.
fn judged_by(p: &Params) -> &'static str {
    match p.text("moment") {
        Some("live") => "by this computer's clock",
        _ => "at the time given as now",
    }
}

/// Which moment the wait is told at: a recording's request ("At the request (recorded
/// 2026-11-27), "), else nothing (pasted input: now; live: the gauge counts down from it).
fn as_of(p: &Params) -> String {
    recorded_on(p)
        .map(|date| format!("At the request (recorded {date}), "))
        .unwrap_or_default()
}

fn exceeded(f: &mut Finding) {
    let p = &f.params;
    let w = &mut **f.words.get_or_insert_with(Box::default);
    let (wait, passed, reset) = (p.int("wait"), p.flag("windowPassed"), p.int("reset"));
    // Countdowns live in the view's gauge (rateLimit.waitSeconds), never frozen in a title.
    w.title = match wait {
        _ if passed => format!("Rate limit exceeded: {} — safe to retry", window_reset(p)),
        Some(_) => "Rate limit exceeded".to_string(),
        None => {
            "Rate limit exceeded — wait time unknown (no usable X-Rate-Limit-Reset)".to_string()
        }
    };
    let mut detail = vec![what_happened(p.text("signal")).to_string()];
    if let Some(at) = recorded_phrase(p) {
        detail.push(format!(
            "This is a recording: the times below are {at}, not now."
        ));
    }
    if let Some(b) = bucket_of(p) {
        detail.push(b.phrase());
        detail.extend(b.info.scope_notes());
    }
    if let (Some(l), Some(rem)) = (uint(p, "limit"), uint(p, "remaining")) {
        detail.push(format!(
            "X-Rate-Limit-Limit is {l}, X-Rate-Limit-Remaining {rem}."
        ));
        if rem > 0 && l > 0 {
            detail.push("The bucket still had room, so a narrower limit refused the call: per username, per client, per user, or this token's share of the bucket.".to_string());
        }
    }
    let formula = formula(p);
    match (reset, &formula) {
        (Some(reset), Some(f)) => detail.push(format!(
            "The window resets at {} (X-Rate-Limit-Reset {reset}). Okta's SDKs wait {f}.",
            timestamp::iso8601(reset)
        )),
        (Some(reset), None) if passed && p.int("waitAtResponse").is_some() => detail.push(format!(
            "The window reset at {} (X-Rate-Limit-Reset {reset}){}. Judged {}, this response is older than its wait ({} s by Okta's SDKs when it arrived), so there is nothing left to wait for.",
            timestamp::iso8601(reset),
            p.int("resetAgo").map(|s| format!(", {} ago", ago(s))).unwrap_or_default(),
            judged_by(p),
            p.int("waitAtResponse").unwrap_or_default()
        )),
        (Some(reset), None) if passed => detail.push(format!("The window reset at {} (X-Rate-Limit-Reset {reset}), before the time given as now; without a Date header this looks like an older capture, and there is nothing left to wait for.", timestamp::iso8601(reset))),
        (None, _) if passed => detail.push(format!(
            "Judged {}, this response is older than its wait ({} s when it arrived), so there is nothing left to wait for.",
            judged_by(p),
            p.int("waitAtResponse").unwrap_or_default()
        )),
        (Some(reset), None) => detail.push(format!("The window resets at {} (X-Rate-Limit-Reset {reset}), but without a Date header or a clock the wait can't be measured.", timestamp::iso8601(reset))),
        (None, _) if p.flag("noResetHeader") => detail.push("The response has no X-Rate-Limit-Reset header, so the wait is unknown; paste the full response (curl -si) to get it.".to_string()),
        (None, _) => {}
    }
    if reset.is_some() && !p.flag("referenceIsDate") && !passed {
        detail.push(no_date_sentence(p.flag("observed")));
        detail.extend(okta_clock_sentence(p));
    }
    match retry_after_sentence(p) {
        Some(s) => detail.push(s),
        None if p.int("status") == Some(429) => detail.push("There is no Retry-After header: Okta doesn't send one on its own 429s, so go by X-Rate-Limit-Reset.".to_string()),
        None => {}
    }
    let recorded = recorded_phrase(p).is_some();
    let mut fix = vec![match (wait, reset) {
        _ if passed => format!("Safe to retry now: the {} (judged {}). Pace the next burst.", window_reset(p), judged_by(p)),
        (Some(w), Some(reset)) if recorded && !p.flag("retryAfterWins") => format!("{}Okta's SDKs waited {w} s (until {} on Okta's clock) before retrying; that window is long over, so when this happens again wait X-Rate-Limit-Reset − Date + 1 s from that response.", as_of(p), timestamp::iso8601(reset.saturating_add(1))),
        (Some(w), _) if recorded => format!("{}Okta's SDKs waited {w} s before retrying; that window is long over, so when this happens again wait as that response says.", as_of(p)),
        (Some(w), Some(reset)) if !p.flag("retryAfterWins") => format!("Wait {w} s (until {} on Okta's clock), then retry.", timestamp::iso8601(reset.saturating_add(1))),
        (Some(w), _) => format!("Wait {w} s, then retry."),
        (None, _) => "Wait for the limit's window to reset (X-Rate-Limit-Reset says when; Okta's per-minute windows aren't aligned to the clock's minutes), then retry.".to_string(),
    }];
    let sdk = match &formula {
        Some(fm) => format!("Back off as Okta's SDKs do: sleep {fm}, then retry with X-Okta-Retry-For: <the 429's X-Okta-Request-Id> and X-Okta-Retry-Count: <n>."),
        None => "Back off as Okta's SDKs do: sleep X-Rate-Limit-Reset − Date + 1 s (the server's Date, not your clock), then retry with X-Okta-Retry-For: <the 429's X-Okta-Request-Id> and X-Okta-Retry-Count: <n>.".to_string(),
    };
    fix.push(format!("{sdk} The Python and Node SDKs retry twice by default; the Go SDK retries only when okta.client.rateLimit.maxRetries is set."));
    let (paging_fix, paging_command) = paging(p);
    fix.extend(paging_fix);
    fix.push(TOKEN_SHARE_FIX.to_string());
    fix.push(ORG_VIEW_FIX.to_string());
    w.detail = detail.join(" ");
    w.fix = fix;
    w.commands.extend(paging_command);
    w.commands.push(command(LOG_LABEL, LOG_COMMAND.to_string()));
    w.docs_url = Some(DOCS.to_string());
}

fn concurrent(f: &mut Finding) {
    let p = &f.params;
    let w = &mut **f.words.get_or_insert_with(Box::default);
    let wait = p.int("wait");
    // The wait stays in the fix and the view's gauge, not in the title.
    w.title = "Concurrency limit hit — too many requests in flight".to_string();
    let mut detail = vec![
        "X-Rate-Limit-Limit and X-Rate-Limit-Remaining are both 0: Okta refused this request because too many of the org's requests were in flight at once, not because a per-minute bucket ran out.".to_string(),
    ];
    if let Some(reset) = p.int("reset") {
        detail.push(format!(
            "X-Rate-Limit-Reset ({}) is only Okta's estimate of when a slot frees up{}.",
            timestamp::iso8601(reset),
            formula(p).map(|f| format!(": {f}")).unwrap_or_default()
        ));
    }
    detail.push("Okta allows 75 requests in flight for Workforce and Customer Identity orgs and 35 for Integrator Free; Microsoft 365 traffic is counted separately. It logs core.concurrency.org.limit.violation (\"Too many requests in flight\") at most once per 60 s.".to_string());
    if let Some(b) = bucket_of(p) {
        detail.push(b.phrase());
        if b.info.scope.per_client {
            detail.push("This endpoint also has a per-client concurrency limit: 5 at once per client_id + IP + device.".to_string());
        }
    }
    detail.extend(retry_after_sentence(p));
    w.detail = detail.join(" ");
    w.fix = vec![
        "Cap parallelism: send requests through a worker pool or semaphore sized well below the org's limit, shared by every job that uses the same org.".to_string(),
        match wait {
            _ if p.flag("windowPassed") => format!("Safe to retry now: the {} (judged {}). Add some random jitter, so parallel workers don't all come back at once.", window_reset(p), judged_by(p)),
            Some(w) if recorded_phrase(p).is_some() => format!("{}Okta estimated a slot would free up after about {w} s; retry after a similar, jittered delay so parallel workers don't all come back at once.", as_of(p)),
            Some(w) => format!("Retry after about {w} s with some random jitter, so parallel workers don't all come back at once."),
            None => "Retry after a short, jittered delay so parallel workers don't all come back at once.".to_string(),
        },
        ORG_VIEW_FIX.to_string(),
    ];
    w.commands.push(command(LOG_LABEL, LOG_COMMAND.to_string()));
    w.docs_url = Some(DOCS.to_string());
}

/// "Rate limit nearly used on /api/v1/users: 30 of 600 left (95% used)".
fn usage_title(prefix: &str, p: &Params) -> String {
    let (Some(l), Some(rem), Some(used)) = (
        uint(p, "limit"),
        uint(p, "remaining"),
        uint(p, "usedPermille"),
    ) else {
        return prefix.to_string();
    };
    let on = p
        .text("bucket")
        .map(|name| format!(" on {name}"))
        .unwrap_or_default();
    // No "resets in N s": the countdown is the gauge's (rateLimit.reset), not the title's.
    format!(
        "{prefix}{on}: {rem} of {l} left ({}% used)",
        percent_text(used)
    )
}

fn low(f: &mut Finding) {
    let p = &f.params;
    let w = &mut **f.words.get_or_insert_with(Box::default);
    w.title = usage_title("Rate limit nearly used", p);
    let mut detail = vec![format!(
        "Usage is at or above the {}% warning threshold.",
        p.int("threshold").unwrap_or_default()
    )];
    if let Some(b) = bucket_of(p) {
        detail.push(b.phrase());
        detail.extend(b.info.scope_notes());
    }
    if let Some(f) = formula(p) {
        detail.push(format!("The window resets in {f}."));
    }
    let mut fix = vec!["Slow down before the 429: when Remaining gets low, pause until X-Rate-Limit-Reset (measured against the server's Date) instead of sending the rest of the burst.".to_string()];
    let (paging_fix, paging_command) = paging(p);
    fix.extend(paging_fix);
    fix.push(TOKEN_SHARE_FIX.to_string());
    fix.push(ORG_VIEW_FIX.to_string());
    w.detail = detail.join(" ");
    w.fix = fix;
    w.commands.extend(paging_command);
    w.docs_url = Some(DOCS.to_string());
}

fn status(f: &mut Finding) {
    let p = &f.params;
    let w = &mut **f.words.get_or_insert_with(Box::default);
    let mut detail = Vec::new();
    match bucket_of(p) {
        Some(b) => {
            detail.push(b.phrase());
            detail.extend(b.info.scope_notes());
            if let Some(l) = uint(p, "limit") {
                let plans = b.info.plans_with(l);
                if !plans.is_empty() {
                    detail.push(format!("A limit of {l} matches the published default for {}.", plans.join(", ")));
                } else if b.info.scope.per_client && l == 60 {
                    detail.push("A limit of 60 is the per-client limit, not the org bucket.".to_string());
                } else if !b.info.published_limits().is_empty() {
                    detail.push(format!("A limit of {l} differs from the published defaults: the org may have a rate-limit multiplier, a temporary increase, DynamicScale, or a custom per-token share."));
                }
            }
        }
        None => detail.push("Which bucket this is depends on the request's method and path; paste curl -v output or capture the request in the browser to name it.".to_string()),
    }
    if let Some(f) = formula(p) {
        detail.push(format!("The window resets in {f}."));
    }
    if p.int("reset").is_some() && !p.flag("referenceIsDate") {
        detail.push(no_date_sentence(p.flag("observed")));
        detail.extend(okta_clock_sentence(p));
    }
    w.title = usage_title("Rate limit", p);
    w.detail = detail.join(" ");
    w.fix = vec![
        format!(
            "Nothing to do yet. This report warns from {}% usage.",
            p.int("threshold").unwrap_or_default()
        ),
        ORG_VIEW_FIX.to_string(),
    ];
    w.docs_url = Some(DOCS.to_string());
}

#[cfg(test)]
mod tests;
