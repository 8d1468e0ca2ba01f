//! The words of the findings about the headers themselves: several header sets
//! (`rate_limit.duplicate_headers`), unreadable or implausible values
//! (`rate_limit.invalid_header`), and a `Date` far from the caller's clock (`clock.skew`).

use crate::{moment::recorded_on, report::Finding, timestamp};

use super::{uint, DOCS};

pub(super) fn duplicates(f: &mut Finding) {
    let sets = f.params.int("sets").unwrap_or_default();
    f.title = format!("{sets} rate-limit header sets — using the smallest reset");
    f.detail = format!(
        "This response carries {sets} values for the X-Rate-Limit headers (repeated header lines or comma-joined values). A response can report the org bucket and a narrower one at once. Okta's Python and .NET SDKs wait for the smallest X-Rate-Limit-Reset, as this report does; Okta's Node SDK doesn't retry at all when X-Rate-Limit-Reset arrives comma-joined (OKTA-112507)."
    );
    f.fix = vec!["If your client reads these headers itself, split comma-joined values and take the smallest reset.".to_string()];
    f.docs_url = Some(DOCS.to_string());
}

pub(super) fn invalid(f: &mut Finding) {
    let p = &f.params;
    let w = &mut **f.words.get_or_insert_with(Box::default);
    let (headers, values, reasons) = (p.texts("headers"), p.texts("values"), p.texts("reasons"));
    let problems: Vec<(&str, &str, &str)> = headers
        .iter()
        .zip(&values)
        .zip(&reasons)
        .map(|((h, v), r)| (*h, *v, *r))
        .collect();
    let total = uint(p, "count").unwrap_or_default() as usize;
    let mut extra = Vec::new();
    if let (Some(reason), Some(v)) = (p.text("resetRejected"), uint(p, "rejectedReset")) {
        extra.push(format!(
            "X-Rate-Limit-Reset {v}: {reason}, so it is not used for the wait."
        ));
    }
    if p.flag("remainingAboveLimit") {
        extra.push(format!(
            "X-Rate-Limit-Remaining ({}) is above X-Rate-Limit-Limit ({}).",
            uint(p, "remaining").unwrap_or_default(),
            uint(p, "limit").unwrap_or_default()
        ));
    }
    if let Some(v) = p.text("retryAfterInvalid") {
        extra.push(format!("Retry-After \"{v}\" is neither a number of seconds nor an HTTP date, so it is ignored."));
    }
    if let Some(d) = p.text("dateInvalid") {
        extra.push(format!(
            "Date \"{d}\" is not an HTTP date (like Sun, 06 Nov 1994 08:49:37 GMT)."
        ));
    }
    w.title = match (problems.first(), total.saturating_add(extra.len())) {
        (Some((header, value, reason)), 1) => {
            format!("Unreadable rate-limit header: {header} \"{value}\" ({reason})")
        }
        (None, 1) => "Implausible rate-limit header".to_string(),
        (_, n) => format!("{n} unreadable rate-limit header values"),
    };
    let mut lines: Vec<String> = problems
        .iter()
        .map(|(header, value, reason)| format!("{header}: \"{value}\" ({reason})."))
        .collect();
    if total > problems.len() {
        lines.push(format!("…and {} more.", total - problems.len()));
    }
    lines.extend(extra);
    w.detail = format!(
        "{} Okta sends whole numbers: the limit and remaining requests, and X-Rate-Limit-Reset in epoch seconds. Unreadable values are ignored here. Okta's Go SDK treats a missing or invalid X-Rate-Limit-Reset or Date as a permanent error (no retry); the Python SDK fails with \"429 response must have the 'X-Rate-Limit-Reset' and 'Date' headers\".",
        lines.join(" ")
    );
    w.fix = vec!["Look for a proxy, gateway or test double that rewrites these headers; compare with a direct request to Okta (curl -si).".to_string()];
    w.docs_url = Some(DOCS.to_string());
}

/// Three wordings: the browser's observation time against `Date` (skew either way); pasted
/// text with a `Date` ahead of now (this clock is behind); pasted text with a `Date` behind now
/// (this clock is ahead, or the output is that old).
pub(super) fn clock_skew(f: &mut Finding) {
    let p = &f.params;
    let w = &mut **f.words.get_or_insert_with(Box::default);
    let (date, now) = (
        p.int("date").unwrap_or_default(),
        p.int("now").unwrap_or_default(),
    );
    let skew = date.saturating_sub(now);
    let by = timestamp::human(skew);
    let (date_iso, now_iso) = (timestamp::iso8601(date), timestamp::iso8601(now));
    let session = p.int("skew").map(|s| {
        format!(
            " Across this session's {} Okta responses with a Date, the clocks differ by {} (the median): the session judges token lifetimes by Okta's clock, and says so where that changes an answer.",
            p.int("skewResponses").unwrap_or(1),
            timestamp::human(s)
        )
    });
    let tokens = format!(
        "Token checks use the local clock: past 300 s, okta-auth-js rejects fresh tokens as issued in the future, or keeps using expired ones. Rate-limit waits here use Okta's Date, as Okta's SDKs do, so they stay exact.{}",
        session.unwrap_or_default()
    );
    (w.title, w.detail) = if let Some(date) = recorded_on(p) {
        // A recording: the clock that differed was the recording browser's, then.
        (
            format!(
                "Clock skew (recorded {date}): the recording browser's clock was {by} {} Okta's",
                if skew < 0 { "ahead of" } else { "behind" }
            ),
            format!("Okta's Date header says {date_iso}; the browser that recorded this request saw the response at {now_iso}. {tokens}"),
        )
    } else if p.flag("observed") {
        (
            format!(
                "Clock skew: this computer's clock is {by} {} Okta's",
                if skew < 0 { "ahead of" } else { "behind" }
            ),
            format!("Okta's Date header says {date_iso}; the browser saw the response at {now_iso}. {tokens}"),
        )
    } else if skew > 0 {
        (
            format!("Clock skew: this computer's clock is {by} behind Okta's"),
            format!("Okta's Date header says {date_iso}, later than the time given as now ({now_iso}). A response can't come from the future, so this computer's clock (or the --now given) is behind. {tokens}"),
        )
    } else {
        (
            format!("Okta's Date is {by} behind this computer's clock"),
            format!("Okta's Date header says {date_iso}; the time given as now is {now_iso}. If this response was captured just now, this computer's clock is {by} ahead; if the output is older, the difference is only its age. Rate-limit waits here use Okta's Date, as Okta's SDKs do, so they stay exact either way."),
        )
    };
    w.fix = vec!["Keep the clock synced with NTP (Linux: timedatectl set-ntp true; macOS and Windows: set date and time automatically).".to_string()];
}
