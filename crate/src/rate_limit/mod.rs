//! Okta's rate-limit signals on one response (okta.md §3.1–§3.4): the `X-Rate-Limit-Limit`,
//! `-Remaining` and `-Reset` headers, `Retry-After` (RFC 9110 §10.2.3), `Date` (RFC 9110
//! §6.6.1), and the 429 bodies that mean "rate limited" (E0000047, `invalid_grant` "API call
//! exceeded rate limit…" from `/token`, Identity Engine's `tooManyRequests`).
//!
//! The wait is what Okta's SDKs compute: `X-Rate-Limit-Reset − Date + 1 s`, with the smallest
//! reset when a response carries several header sets (Python and .NET SDKs). Without `Date`
//! the caller's clock stands in, and the report says so. Okta doesn't send `Retry-After` on its
//! own 429s; when one is present it is honoured (the longer wait wins) and named.
//!
//! Header numbers are untrusted: every value is parsed as a whole number or reported as
//! unreadable, arithmetic saturates, and a header repeated thousands of times is counted, not
//! stored. The findings are data (`facts.rs`), their words are in `explain/rate_limit/`; the
//! view, `report.rateLimit`, is in `view.rs`.

mod facts;
mod values;
mod view;

pub use facts::{judge_live, no_date_sentence};
pub use values::Values;

use serde_json::Value;

use crate::{
    bucket,
    jwt::clip,
    moment::Moment,
    report::{Finding, RateLimit},
    timestamp,
};

/// Usage at or above this share of the limit gives `rate_limit.low` unless the caller picks
/// another threshold ([`Context::low_threshold_percent`]).
pub const DEFAULT_LOW_THRESHOLD_PERCENT: u8 = 90;

/// `Date` and the caller's clock may differ by this much before `clock.skew` is reported.
pub const CLOCK_SKEW_TOLERANCE_SECONDS: i64 = 60;

/// Per header, the first values kept for evidence and set matching; all are counted.
const MAX_KEPT: usize = 32;

/// Unreadable values kept for the report (all are counted).
const MAX_INVALID_KEPT: usize = 3;

/// A reset this far from the reference time is not a 60-second window (seconds).
const PLAUSIBLE_RESET_SPAN: i64 = 86_400;

/// One `X-Rate-Limit-*` header over every line and comma-separated value it arrived in.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Field {
    /// Well-formed values in order (the first [`MAX_KEPT`]).
    pub values: Values,
    /// Every value seen, readable or not.
    pub count: usize,
    /// The smallest well-formed value.
    pub min: Option<u64>,
    /// Unreadable values (the first few) with the reason.
    pub invalid: Vec<Invalid>,
    pub invalid_count: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Invalid {
    pub header: &'static str,
    pub value: String,
    pub reason: &'static str,
}

/// `Retry-After`: delay-seconds or an HTTP-date (RFC 9110 §10.2.3).
#[derive(Clone, Debug, PartialEq)]
pub enum RetryAfter {
    Seconds(u64),
    Date(i64),
    Invalid(String),
}

/// The rate-limit headers of one response.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Headers {
    pub limit: Field,
    pub remaining: Field,
    pub reset: Field,
    pub retry_after: Option<RetryAfter>,
    /// `Date`, parsed; `date_invalid` holds an unreadable one.
    pub date: Option<i64>,
    pub date_invalid: Option<String>,
    /// Which header `date` was read from (its index): the session's clock reads the same one.
    pub date_at: Option<usize>,
    /// `Link: <…>; rel="next"` is present (more pages), with its `after` cursor when readable.
    pub next_page: bool,
    pub next_after: Option<String>,
}

/// A body that says "rate limited" whatever the status (okta.md §3.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signal {
    /// `{"errorCode":"E0000047", …}` (management, authn, System Log APIs).
    OktaE0000047,
    /// `/token`: `invalid_grant` "API call exceeded rate limit due to too many requests."
    TokenRateLimited,
    /// Identity Engine: a message with i18n key `tooManyRequests`.
    IdxTooManyRequests,
}

/// Whose clock the caller handed in: the time given to `analyzeText`/`--now` for pasted
/// text, or the moment the browser saw the response (`observedAt`) for an exchange.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Clock {
    Caller(i64),
    Observed(i64),
    #[default]
    Unknown,
}

impl Clock {
    pub fn epoch(self) -> Option<i64> {
        match self {
            Clock::Caller(t) | Clock::Observed(t) => Some(t),
            Clock::Unknown => None,
        }
    }
}

/// What surrounds the headers.
#[derive(Clone, Debug, PartialEq)]
pub struct Context<'a> {
    pub status: Option<u16>,
    pub method: Option<&'a str>,
    /// The request URL (absolute or a path) when known: names the bucket.
    pub url: Option<&'a str>,
    pub clock: Clock,
    /// The moment the answer is judged at (`crate::moment`): for pasted input the caller's
    /// now, against which a window may already have passed.
    pub moment: Moment,
    pub signal: Option<Signal>,
    /// The bucket `method` + `url` count against, looked up once (by [`Context::request`] or
    /// by the exchange that built this context, which lends its own: not copied).
    pub bucket: Option<std::borrow::Cow<'a, bucket::Match>>,
    /// `rate_limit.low` fires at or above this usage, in percent of the limit
    /// (default [`DEFAULT_LOW_THRESHOLD_PERCENT`]; 0 = always, above 100 = never).
    pub low_threshold_percent: u8,
}

impl<'a> Context<'a> {
    pub fn new(status: Option<u16>, clock: Clock) -> Self {
        Context {
            status,
            method: None,
            url: None,
            clock,
            moment: match clock {
                Clock::Caller(t) => Moment::Now(t),
                Clock::Observed(t) => Moment::Live(t),
                Clock::Unknown => Moment::Unknown,
            },
            signal: None,
            bucket: None,
            low_threshold_percent: DEFAULT_LOW_THRESHOLD_PERCENT,
        }
    }

    /// The request, and the bucket it counts against.
    pub fn request(mut self, method: Option<&'a str>, url: Option<&'a str>) -> Self {
        self.bucket = url
            .and_then(|u| bucket::lookup(method, u))
            .map(std::borrow::Cow::Owned);
        self.request_seen(method, url)
    }

    /// The request, when the caller has already looked up [`Context::bucket`].
    pub fn request_seen(mut self, method: Option<&'a str>, url: Option<&'a str>) -> Self {
        self.method = method;
        self.url = url;
        self
    }

    pub fn body(mut self, body: Option<&str>) -> Self {
        self.signal = body.and_then(signal_in);
        self
    }
}

/// A whole number of requests or seconds; anything else says why not.
fn number(raw: &str) -> Result<u64, &'static str> {
    let t = raw.trim();
    if t.is_empty() {
        return Err("empty");
    }
    if let Some(rest) = t.strip_prefix('-') {
        if !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()) {
            return Err("negative");
        }
    }
    let digits = t.strip_prefix('+').unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err("not a whole number");
    }
    digits.parse().map_err(|_| "too large")
}

impl Field {
    fn push(&mut self, header: &'static str, raw: &str) {
        self.count = self.count.saturating_add(1);
        match number(raw) {
            Ok(v) => {
                if self.values.len() < MAX_KEPT {
                    self.values.push(v);
                }
                self.min = Some(self.min.map_or(v, |m| m.min(v)));
            }
            Err(reason) => self.reject(header, raw, reason),
        }
    }

    fn reject(&mut self, header: &'static str, raw: &str, reason: &'static str) {
        self.invalid_count = self.invalid_count.saturating_add(1);
        if self.invalid.len() < MAX_INVALID_KEPT {
            let mut value = clip(raw.trim());
            if value.chars().count() > 40 {
                value = format!("{}…", value.chars().take(39).collect::<String>());
            }
            self.invalid.push(Invalid {
                header,
                value,
                reason,
            });
        }
    }
}

/// Reads the rate-limit headers (names case-insensitive; repeated lines and comma-joined
/// values both count). `None` when there is no `X-Rate-Limit-*` and no `Retry-After` header.
#[cfg(test)]
pub fn parse(headers: &[(String, String)]) -> Option<Headers> {
    let (h, seen) = scan(&crate::context::Headers::from_pairs(headers));
    seen.then_some(h)
}

/// Every rate-limit header plus `Date` and `Link`; the flag says whether any
/// `X-Rate-Limit-*` or `Retry-After` header was there.
pub fn scan(headers: &crate::context::Headers) -> (Headers, bool) {
    let mut h = Headers::default();
    let mut seen = false;
    for (at, header) in headers.iter().enumerate() {
        let (name, value) = (header.name.trim(), header.value.unwrap_or_default());
        let field = if name.eq_ignore_ascii_case("x-rate-limit-limit") {
            Some((&mut h.limit, "X-Rate-Limit-Limit"))
        } else if name.eq_ignore_ascii_case("x-rate-limit-remaining") {
            Some((&mut h.remaining, "X-Rate-Limit-Remaining"))
        } else if name.eq_ignore_ascii_case("x-rate-limit-reset") {
            Some((&mut h.reset, "X-Rate-Limit-Reset"))
        } else {
            None
        };
        if let Some((field, label)) = field {
            seen = true;
            for part in value.split(',') {
                field.push(label, part);
            }
        } else if name.eq_ignore_ascii_case("retry-after") {
            seen = true;
            if h.retry_after.is_none() {
                h.retry_after = Some(match number(value) {
                    Ok(s) => RetryAfter::Seconds(s),
                    Err(_) => match timestamp::parse_http_date(value.trim()) {
                        Some(d) => RetryAfter::Date(d),
                        None => RetryAfter::Invalid(clip(value.trim())),
                    },
                });
            }
        } else if name.eq_ignore_ascii_case("date") {
            if h.date.is_none() {
                match timestamp::parse_http_date(value.trim()) {
                    Some(d) => {
                        h.date = Some(d);
                        h.date_at = Some(at);
                        h.date_invalid = None;
                    }
                    None => h.date_invalid = Some(clip(value.trim())),
                }
            }
        } else if name.eq_ignore_ascii_case("link") && !h.next_page {
            if let Some(after) = next_link(value) {
                h.next_page = true;
                h.next_after = after;
            }
        }
    }
    (h, seen)
}

/// `Link: <https://…/api/v1/users?after=00u…&limit=200>; rel="next"` → `Some(after)`.
fn next_link(value: &str) -> Option<Option<String>> {
    let part = value.split(',').find(|p| {
        p.split(';')
            .skip(1)
            .any(|a| matches!(a.trim(), "rel=\"next\"" | "rel=next"))
    })?;
    let url = part.split(';').next()?.trim();
    let url = url.trim_start_matches('<').trim_end_matches('>');
    let after = url
        .split_once('?')
        .map(|(_, q)| q)
        .into_iter()
        .flat_map(|q| q.split('&'))
        .find_map(|kv| kv.strip_prefix("after="))
        .filter(|a| !a.is_empty() && a.len() <= 64)
        .filter(|a| {
            a.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.%".contains(c))
        })
        .map(str::to_string);
    Some(after)
}

/// Does this body say "rate limited"? Only JSON bodies naming one of the three shapes.
pub fn signal_in(body: &str) -> Option<Signal> {
    let t = body.trim();
    let hint = t.contains("E0000047")
        || t.contains("exceeded rate limit")
        || t.contains("tooManyRequests");
    if !t.starts_with('{') || !hint {
        return None;
    }
    crate::json::from_str(t).ok().and_then(|v| signal(&v))
}

/// As [`signal_in`], for a parsed body.
pub fn signal(v: &Value) -> Option<Signal> {
    if v.get("errorCode").and_then(Value::as_str) == Some("E0000047") {
        return Some(Signal::OktaE0000047);
    }
    let description = v
        .get("error_description")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if v.get("error").and_then(Value::as_str) == Some("invalid_grant")
        && description
            .to_ascii_lowercase()
            .contains("exceeded rate limit")
    {
        return Some(Signal::TokenRateLimited);
    }
    let idx = v
        .pointer("/messages/value")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|m| m.pointer("/i18n/key").and_then(Value::as_str) == Some("tooManyRequests"));
    idx.then_some(Signal::IdxTooManyRequests)
}

/// Where the wait came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitFrom {
    Reset,
    RetryAfter,
}

/// Everything the findings and the view say, computed once.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Reading<'a> {
    pub limit: Option<u64>,
    pub remaining: Option<u64>,
    pub reset: Option<i64>,
    /// Why the reset is not used, when it isn't (e.g. "looks like milliseconds").
    pub reset_rejected: Option<&'static str>,
    /// The time the wait is measured from: `Date`, else the caller's clock.
    pub reference: Option<i64>,
    pub reference_is_date: bool,
    pub wait_seconds: Option<i64>,
    pub wait_from: Option<WaitFrom>,
    /// `X-Rate-Limit-Reset − reference + 1`, before any `Retry-After`.
    pub reset_wait: Option<i64>,
    pub retry_after_seconds: Option<i64>,
    /// Usage in tenths of a percent (exact integer arithmetic), when the limit is known.
    pub used_permille: Option<u64>,
    pub exceeded: bool,
    pub concurrent: bool,
    pub low: bool,
    /// More than one value in any `X-Rate-Limit-*` header.
    pub duplicate: bool,
    /// How many header sets (the largest value count of the three headers).
    pub sets: usize,
    /// `Date − clock`, when both are known.
    pub skew: Option<i64>,
    /// The context's bucket, lent: not copied (its method and path were two allocations a
    /// fold, docs/performance-log.md, "liveFold, fifteenth pass").
    pub bucket: Option<&'a bucket::Match>,
    pub remaining_above_limit: bool,
    /// Judged at the caller's now (pasted input), the window has already reset: the wait is
    /// then 0 and `reset_ago` says how long ago it ended.
    pub window_passed: bool,
    /// Seconds between the window's end and the caller's now, when it has passed.
    pub reset_ago: Option<i64>,
    /// The wait Okta's SDKs would have computed when the response arrived, when the window
    /// has passed since (the wait itself is then 0).
    pub wait_at_response: Option<i64>,
    /// When the wait ends on the caller's clock (epoch seconds).
    pub wait_until: Option<i64>,
}

impl Reading<'_> {
    pub fn used_percent(&self) -> Option<f64> {
        self.used_permille.map(|p| p as f64 / 10.0)
    }
}

/// Usage in tenths of a percent, rounded half up, in exact integer arithmetic; `None` for a
/// limit of 0 (a concurrency 429).
pub fn used_permille(limit: u64, remaining: u64) -> Option<u64> {
    (limit > 0).then(|| {
        let used = u128::from(limit.saturating_sub(remaining));
        u64::try_from((used * 2000 / u128::from(limit)).div_ceil(2)).unwrap_or(1000)
    })
}

/// `125` → "12.5", `1000` → "100": a permille as a percentage for titles.
pub fn percent_text(permille: u64) -> String {
    if permille.is_multiple_of(10) {
        format!("{}", permille / 10)
    } else {
        format!("{}.{}", permille / 10, permille % 10)
    }
}

/// The header set to report: when the three headers carry the same number of readable values,
/// the set with the smallest reset (ties: fewest remaining); otherwise each header's smallest.
fn select(h: &Headers) -> (Option<u64>, Option<u64>, Option<u64>) {
    let n = h.reset.values.len();
    let aligned = n > 1
        && h.limit.values.len() == n
        && h.remaining.values.len() == n
        && [&h.limit, &h.remaining, &h.reset]
            .iter()
            .all(|f| f.invalid_count == 0 && f.count == n);
    if aligned {
        let best = (0..n).min_by_key(|&i| (h.reset.values.get(i), h.remaining.values.get(i)));
        if let Some(i) = best {
            return (
                h.limit.values.get(i).copied(),
                h.remaining.values.get(i).copied(),
                h.reset.values.get(i).copied(),
            );
        }
    }
    (h.limit.min, h.remaining.min, h.reset.min)
}

/// Reads the headers in their context: the set to use, the wait, the usage, the flags.
pub fn read<'a>(h: &Headers, ctx: &'a Context) -> Reading<'a> {
    let (limit, remaining, reset_raw) = select(h);
    let clock = ctx.clock.epoch();
    let reference = h.date.or(clock);
    let mut r = Reading {
        limit,
        remaining,
        reference,
        reference_is_date: h.date.is_some(),
        skew: h.date.zip(clock).map(|(d, c)| d.saturating_sub(c)),
        bucket: ctx.bucket.as_deref(),
        ..Reading::default()
    };
    // The wait is measured from the response's time: Okta's own Date, or the browser's receipt
    // time (live, recorded, or a pasted exchange's observedAt). Whether it is over is judged at
    // the moment that matters: for pasted input, the caller's now (below).
    let judge = h.date.or(match ctx.clock {
        Clock::Observed(t) => Some(t),
        _ => None,
    });
    match reset_raw.map(i64::try_from) {
        Some(Ok(reset)) if reset >= 1_000_000_000_000 => {
            r.reset_rejected = Some("looks like milliseconds, not epoch seconds")
        }
        Some(Ok(reset)) => match (judge, clock) {
            (Some(t), _) | (None, Some(t)) if reset.saturating_sub(t) > PLAUSIBLE_RESET_SPAN => {
                r.reset_rejected = Some("more than a day after the response's time")
            }
            (Some(t), _) if t.saturating_sub(reset) > PLAUSIBLE_RESET_SPAN => {
                r.reset_rejected = Some("more than a day before the response's time")
            }
            _ => r.reset = Some(reset),
        },
        Some(Err(_)) => r.reset_rejected = Some("too large"),
        None => {}
    }
    r.reset_wait = match (r.reset, judge, clock) {
        // Okta's SDKs: reset − Date + 1; Java never waits less than 1 s.
        (Some(reset), Some(t), _) => Some(reset.saturating_sub(t).saturating_add(1).max(1)),
        // Pasted without Date: from now; a reset already past means no wait at all.
        (Some(reset), None, Some(now)) => {
            r.window_passed = reset < now;
            Some(reset.saturating_sub(now).saturating_add(1).max(0))
        }
        _ => None,
    };
    r.retry_after_seconds = match &h.retry_after {
        Some(RetryAfter::Seconds(s)) => Some(i64::try_from(*s).unwrap_or(i64::MAX)),
        Some(RetryAfter::Date(d)) => reference.map(|t| d.saturating_sub(t).max(0)),
        _ => None,
    };
    (r.wait_seconds, r.wait_from) = match (r.reset_wait, r.retry_after_seconds) {
        (Some(w), Some(ra)) if ra > w => (Some(ra), Some(WaitFrom::RetryAfter)),
        (Some(w), _) => (Some(w), Some(WaitFrom::Reset)),
        (None, Some(ra)) => (Some(ra), Some(WaitFrom::RetryAfter)),
        (None, None) => (None, None),
    };
    if let (Some(l), Some(rem)) = (limit, remaining) {
        r.remaining_above_limit = rem > l;
        r.used_permille = used_permille(l, rem);
        let used = u128::from(l.saturating_sub(rem));
        let threshold = u128::from(ctx.low_threshold_percent);
        r.low = l > 0 && threshold <= 100 && used * 100 >= threshold * u128::from(l);
    }
    passed_by_now(&mut r, judge, ctx.moment.now());
    r.wait_until = match r.window_passed {
        true => None,
        false => clock.zip(r.wait_seconds).map(|(t, w)| t.saturating_add(w)),
    };
    r.concurrent = limit == Some(0) && remaining == Some(0);
    r.exceeded = ctx.status == Some(429) || ctx.signal.is_some();
    r.sets = [&h.limit, &h.remaining, &h.reset]
        .iter()
        .map(|f| f.count)
        .max()
        .unwrap_or(0);
    r.duplicate = r.sets > 1;
    r
}

/// Pasted input is judged at the caller's now: a response older than its wait (by more than
/// the clock-skew tolerance, as `Date` is on Okta's clock) has nothing left to wait for. Without
/// a response time the wait was already measured from now (and `window_passed` set there).
fn passed_by_now(r: &mut Reading, response_time: Option<i64>, now: Option<i64>) {
    let Some(now) = now else { return };
    if let (Some(t), Some(w)) = (response_time, r.wait_seconds) {
        let age = now.saturating_sub(t);
        if age > w.saturating_add(CLOCK_SKEW_TOLERANCE_SECONDS) {
            r.window_passed = true;
            r.wait_at_response = Some(w);
        }
    }
    if r.window_passed {
        // The window ended at the reset (Okta's clock), else when the wait ran out.
        let ended = r.reset.or_else(|| {
            response_time
                .zip(r.wait_at_response)
                .map(|(t, w)| t.saturating_add(w))
        });
        r.reset_ago = ended.map(|e| now.saturating_sub(e).max(0));
        r.wait_seconds = Some(0);
    }
}

/// The findings for one response (exceeded / concurrent / low / status, duplicate or
/// unreadable headers, clock skew) and its view, from one reading of the headers.
fn findings_and_view(h: &Headers, ctx: &Context) -> (Vec<Finding>, RateLimit) {
    let r = read(h, ctx);
    (facts::findings(h, &r, ctx), view::view(h, &r, ctx))
}

/// Findings and `report.rateLimit` for a response's headers, or nothing when the response
/// says nothing about rate limits. `clock.skew` is judged for every response with a `Date`.
#[cfg(test)]
pub fn analyze(headers: &[(String, String)], ctx: &Context) -> (Vec<Finding>, Option<RateLimit>) {
    analyze_scanned(&scan(&crate::context::Headers::from_pairs(headers)), ctx)
}

/// As `analyze` (the tests' entry), for headers already read by [`scan`].
pub fn analyze_scanned(
    (h, seen): &(Headers, bool),
    ctx: &Context,
) -> (Vec<Finding>, Option<RateLimit>) {
    let seen = *seen;
    if !(seen || ctx.status == Some(429) || ctx.signal.is_some()) {
        let skew = h
            .date
            .zip(ctx.clock.epoch())
            .and_then(|(d, c)| facts::clock_skew(d, c, ctx));
        return (skew.into_iter().collect(), None);
    }
    let (findings, view) = findings_and_view(h, ctx);
    (findings, Some(view))
}

/// Findings and view for a pasted body alone (no headers): only when it says "rate limited".
pub fn analyze_body(body: &Value, ctx: &Context) -> Option<(Vec<Finding>, RateLimit)> {
    let ctx = Context {
        signal: Some(signal(body)?),
        ..ctx.clone()
    };
    let h = Headers::default();
    Some(findings_and_view(&h, &ctx))
}

#[cfg(test)]
mod tests;
