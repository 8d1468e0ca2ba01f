//! A tab's rate-limit history, folded one exchange at a time (okta.md §3.1–§3.3): per bucket
//! (Okta host + bucket name) the requests per minute, the `X-Rate-Limit-Remaining` trajectory,
//! the projected time to exhaustion at the current rate, the inputs of a reset countdown, and
//! 429 counts. Pure and serialisable (camelCase JSON), so the extension keeps it in
//! `storage.session` between service-worker lives and hands it back with the next exchange.
//!
//! Memory is bounded: at most [`MAX_BUCKETS`] buckets (exchanges for further buckets are
//! counted in `untracked`), per bucket at most [`MAX_POINTS`] trajectory points (the oldest are
//! dropped and counted) and one per-second counter for each of the last 60 seconds. Every count
//! (`exchanges`, `requests`, `rateLimited`, `concurrent`, …) stays exact whatever is dropped.
//! Serialised, a full bucket is about 3 KiB, so a timeline stays under 96 KiB.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use crate::report::timeline::{BucketView, Point, View};
use crate::{
    bucket, domain,
    exchange::{Exchange, Seen},
    rate_limit::{self, Clock, Context},
    report::rate_limit::Limits,
    report::Severity,
    timestamp,
};

/// Bumped when a stored timeline can no longer be read; an older one is started afresh.
pub const VERSION: u32 = 1;
pub const MAX_BUCKETS: usize = 24;
pub const MAX_POINTS: usize = 30;
/// Requests per minute are counted over this trailing window.
const RATE_WINDOW_SECONDS: i64 = 60;
/// Milliseconds beyond which an `observedAt` is not a time (year ~33,000).
const MAX_EPOCH_MS: f64 = 1e15;

/// Requests seen in one second (for requests per minute): `[epochSecond, count]` in JSON.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq)]
pub struct Second(pub i64, pub u64);

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct Bucket {
    /// `host bucket`: rate limits are per org, so two orgs never share a bucket.
    pub key: String,
    pub host: String,
    /// Okta's bucket name (`/api/v1/users`), or the normalised path when none matches.
    pub name: String,
    pub known: bool,
    pub last_method: String,
    /// The last request's path with ids replaced (`/api/v1/users/ID`).
    pub last_path: String,
    pub requests: u64,
    pub rate_limited: u64,
    pub concurrent: u64,
    /// Requests that carried rate-limit headers.
    pub with_headers: u64,
    pub first_seen_ms: Option<i64>,
    pub last_seen_ms: Option<i64>,
    /// The newest window's reading (the smallest remaining seen in it).
    pub latest: Option<Point>,
    /// `Date − observedAt` in seconds at the latest reading: converts Okta's reset to local time.
    pub server_offset_seconds: i64,
    pub trajectory: Vec<Point>,
    pub dropped_points: u64,
    pub per_second: Vec<Second>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct Timeline {
    pub version: u32,
    /// Every exchange folded in.
    pub exchanges: u64,
    /// Exchanges that were not Okta traffic with a bucket or rate-limit headers.
    pub ignored: u64,
    /// Exchanges for buckets beyond [`MAX_BUCKETS`].
    pub untracked: u64,
    pub buckets: Vec<Bucket>,
}

impl Default for Timeline {
    fn default() -> Self {
        Timeline {
            version: VERSION,
            exchanges: 0,
            ignored: 0,
            untracked: 0,
            buckets: Vec::new(),
        }
    }
}

/// A stored timeline as the extension hands it back; `None` when it isn't one (a fresh
/// timeline should be started). Bounds are re-applied, so a tampered value can't grow it.
pub fn parse(v: &Value) -> Option<Timeline> {
    // By hand, as the digest and the reports are (digest/stored.rs: no serde deserialiser).
    let mut t = <Timeline as crate::digest::stored::Read>::read(v)?;
    if t.version != VERSION {
        return None;
    }
    t.bound();
    Some(t)
}

/// `observedAt` (epoch ms) when it is a plausible time.
fn observed_ms(observed_at: Option<f64>) -> Option<i64> {
    observed_at
        .filter(|t| t.is_finite() && t.abs() < MAX_EPOCH_MS)
        .map(|t| t.floor() as i64)
}

/// Folds one exchange into the timeline.
pub fn fold(mut timeline: Timeline, ex: &Exchange) -> Timeline {
    let _ = timeline.add(ex);
    timeline
}

impl Timeline {
    /// As [`fold`], in place. Answers the index of the bucket the exchange counted against.
    pub fn add(&mut self, ex: &Exchange) -> Option<usize> {
        self.add_seen(&Seen::from_exchange(ex, None))
    }

    /// As [`Timeline::add`], for an exchange already read (the one [`Seen`] the report was
    /// built from): its rate-limit headers, bucket and body signal are not read again.
    pub fn add_seen(&mut self, ex: &Seen) -> Option<usize> {
        self.add_seen_on(ex, None)
    }

    /// [`Timeline::add_seen`] in a session that knows Okta's clock: a reading without `Date`
    /// converts its reset with the session's `offset` (`Date − observedAt`, seconds; the
    /// session's one clock, digest/clock.rs) instead of the bucket's previous reading's.
    pub fn add_seen_on(&mut self, ex: &Seen, offset: Option<i64>) -> Option<usize> {
        self.bound();
        self.exchanges = self.exchanges.saturating_add(1);
        let host = ex.host().unwrap_or_default();
        let parsed = ex.rate_limit();
        let matched = ex.bucket.as_ref();
        let okta = domain::is_okta_host(host);
        if parsed.is_none() && !(okta && matched.is_some()) {
            self.ignored = self.ignored.saturating_add(1);
            return None;
        }
        // Borrowed from the bucket match: a repeated request allocates nothing here.
        let (name, known, path, method): (Cow<str>, _, Cow<str>, Cow<str>) = match &matched {
            Some(m) => (
                m.info.name.into(),
                true,
                m.path.as_str().into(),
                m.method.as_ref().into(),
            ),
            None => {
                let path = bucket::normalise(ex.url.as_deref().unwrap_or_default());
                let method = ex.method.as_deref().unwrap_or("GET");
                (
                    path.clone().into(),
                    false,
                    path.into(),
                    method.to_ascii_uppercase().into(),
                )
            }
        };
        let index = match self
            .buckets
            .iter()
            .position(|b| is_key(&b.key, host, &name))
        {
            Some(i) => i,
            None if self.buckets.len() >= MAX_BUCKETS => {
                self.untracked = self.untracked.saturating_add(1);
                return None;
            }
            None => {
                self.buckets.push(Bucket {
                    key: format!("{host} {name}"),
                    host: host.to_string(),
                    name: name.into_owned(),
                    known,
                    ..Bucket::default()
                });
                self.buckets.len().saturating_sub(1)
            }
        };
        let b = self.buckets.get_mut(index)?;
        b.requests = b.requests.saturating_add(1);
        if b.last_method != *method {
            b.last_method = method.into_owned();
        }
        if b.last_path != *path {
            b.last_path = path.into_owned();
        }
        let at = observed_ms(ex.observed_at);
        if let Some(at) = at {
            b.first_seen_ms = Some(b.first_seen_ms.map_or(at, |f| f.min(at)));
            b.last_seen_ms = Some(b.last_seen_ms.map_or(at, |l| l.max(at)));
            b.count_second(at.div_euclid(1000));
        }
        let Some(h) = parsed else {
            return Some(index);
        };
        let clock = at.map_or(Clock::Unknown, |ms| Clock::Observed(ms.div_euclid(1000)));
        let ctx = Context {
            signal: ex.signal,
            ..Context::new(ex.status(), clock)
        };
        let r = rate_limit::read(h, &ctx);
        b.with_headers = b.with_headers.saturating_add(1);
        if r.exceeded {
            b.rate_limited = b.rate_limited.saturating_add(1);
        }
        if r.concurrent {
            b.concurrent = b.concurrent.saturating_add(1);
        }
        let (Some(limit), Some(remaining), Some(reset)) = (r.limit, r.remaining, r.reset) else {
            return Some(index);
        };
        // A concurrency 429's 0/0 says nothing about the bucket's own headroom.
        if r.concurrent {
            return Some(index);
        }
        let at_ms = at.or(h.date.map(|d| d.saturating_mul(1000))).unwrap_or(0);
        let point = Point {
            at_ms,
            limit,
            remaining,
            reset,
        };
        b.record(
            point,
            h.date
                .zip(at)
                .map(|(d, ms)| d.saturating_sub(ms.div_euclid(1000)))
                .or(offset),
        );
        Some(index)
    }

    /// Re-applies the bounds (after deserialising a stored timeline).
    fn bound(&mut self) {
        self.version = VERSION;
        self.buckets.truncate(MAX_BUCKETS);
        for b in &mut self.buckets {
            if b.trajectory.len() > MAX_POINTS {
                let extra = b.trajectory.len() - MAX_POINTS;
                b.trajectory.drain(..extra);
                b.dropped_points = b.dropped_points.saturating_add(extra as u64);
            }
            let keep = usize::try_from(RATE_WINDOW_SECONDS).unwrap_or(60);
            if b.per_second.len() > keep {
                let extra = b.per_second.len() - keep;
                b.per_second.drain(..extra);
            }
        }
    }
}

impl Bucket {
    /// Counts a request in its second; seconds older than the trailing minute are dropped
    /// (the request still counts in `requests`).
    fn count_second(&mut self, second: i64) {
        let newest = self.per_second.last().map_or(second, |s| s.0.max(second));
        let oldest = newest.saturating_sub(RATE_WINDOW_SECONDS - 1);
        if second < oldest {
            return;
        }
        match self.per_second.binary_search_by_key(&second, |s| s.0) {
            Ok(i) => {
                if let Some(s) = self.per_second.get_mut(i) {
                    s.1 = s.1.saturating_add(1);
                }
            }
            Err(i) => self.per_second.insert(i, Second(second, 1)),
        }
        self.per_second.retain(|s| s.0 >= oldest);
    }

    /// Adds a reading: to the trajectory (in time order, oldest dropped past the bound) and to
    /// `latest` as the Terraform provider does: a later reset starts a new window, the same
    /// window keeps its smallest remaining, an older window is ignored.
    fn record(&mut self, point: Point, offset: Option<i64>) {
        let i = self.trajectory.partition_point(|p| p.at_ms <= point.at_ms);
        self.trajectory.insert(i, point.clone());
        if self.trajectory.len() > MAX_POINTS {
            self.trajectory.remove(0);
            self.dropped_points = self.dropped_points.saturating_add(1);
        }
        match &mut self.latest {
            Some(l) if point.reset < l.reset => {}
            Some(l) if point.reset == l.reset => {
                l.remaining = l.remaining.min(point.remaining);
                l.limit = point.limit;
                l.at_ms = l.at_ms.max(point.at_ms);
            }
            _ => {
                self.latest = Some(point);
                if let Some(o) = offset {
                    self.server_offset_seconds = o;
                }
            }
        }
    }

    /// Requests in the trailing minute before `now_s` (inclusive of `now_s`).
    fn requests_per_minute(&self, now_s: i64) -> u64 {
        let from = now_s.saturating_sub(RATE_WINDOW_SECONDS - 1);
        self.per_second
            .iter()
            .filter(|s| s.0 >= from && s.0 <= now_s)
            .fold(0, |n, s| n.saturating_add(s.1))
    }

    /// How fast the latest window's Remaining falls, in requests per minute (all clients of
    /// the org count, not only this tab): from the first and last readings of that window.
    fn consumption_per_minute(&self) -> Option<f64> {
        let latest = self.latest.as_ref()?;
        let window: Vec<&Point> = self
            .trajectory
            .iter()
            .filter(|p| p.reset == latest.reset)
            .collect();
        let (first, last) = (window.first()?, window.last()?);
        let used = first.remaining.saturating_sub(last.remaining) as f64;
        let seconds = last.at_ms.saturating_sub(first.at_ms) as f64 / 1000.0;
        (used > 0.0 && seconds > 0.0).then(|| used * 60.0 / seconds)
    }
}

pub use headline::{headline, Headline};
use headline::{reading, title_of};

fn bucket_view(b: &Bucket, now_ms: i64, low_threshold_percent: u8) -> BucketView {
    let now_s = now_ms.div_euclid(1000);
    let rpm = b.requests_per_minute(now_s);
    let r = reading(b, now_ms, low_threshold_percent);
    let title = title_of(b, &r);
    let mut detail = vec![format!(
        "{rpm} request{} in the last minute from this tab ({} in all).",
        if rpm == 1 { "" } else { "s" },
        b.requests
    )];
    if b.rate_limited > 0 {
        detail.push(format!(
            "{} answered 429{}.",
            if b.rate_limited == 1 {
                "1 request".to_string()
            } else {
                format!("{} requests", b.rate_limited)
            },
            if b.concurrent > 0 {
                format!(" ({} for concurrency)", b.concurrent)
            } else {
                String::new()
            }
        ));
    }
    match (r.projected, r.seconds_to_reset, r.consumption) {
        (Some(p), Some(s), Some(c)) if p < s => detail.push(format!(
            "The org is using this bucket at about {} requests per minute (every client, not only this tab): it runs out in about {}, before it resets in {}.",
            crate::json::f64_text(c.round()),
            timestamp::human(p),
            timestamp::human(s)
        )),
        (Some(_), Some(s), Some(c)) => detail.push(format!(
            "The org is using this bucket at about {} requests per minute: it won't run out before it resets in {}.",
            crate::json::f64_text(c.round()),
            timestamp::human(s)
        )),
        _ => {}
    }
    if !b.known {
        detail.push(
            "This path matches none of Okta's published buckets; it is tracked by its path."
                .to_string(),
        );
    }
    if b.dropped_points > 0 {
        detail.push(format!(
            "{} older readings were dropped from the chart; the counts above are exact.",
            b.dropped_points
        ));
    }
    BucketView {
        key: b.key.clone(),
        host: b.host.clone(),
        bucket: b.name.clone(),
        known: b.known,
        method: b.last_method.clone(),
        path: b.last_path.clone(),
        requests: b.requests,
        rate_limited: b.rate_limited,
        concurrent: b.concurrent,
        requests_per_minute: rpm,
        limit: r.limit,
        remaining: r.remaining,
        used_percent: r.permille.map(|p| p as f64 / 10.0),
        reset_at_ms: r.reset_at_ms,
        seconds_to_reset: r.seconds_to_reset,
        window_over: r.window_over,
        consumption_per_minute: r.consumption.map(|c| (c * 10.0).round() / 10.0),
        projected_exhaustion_seconds: r.projected,
        exhausts_before_reset: r.exhausts_before_reset,
        published_limits: Limits::published(bucket::info(&b.name).published),
        severity: r.severity,
        title,
        detail: detail.join(" "),
        countdown_template: "Resets in {s} s".to_string(),
        countdown_done: "Window reset: the next request starts a new one".to_string(),
        trajectory: b.trajectory.clone(),
    }
}

/// The timeline as the popup shows it at `now_ms` (the caller's clock, epoch ms).
pub fn view(t: &Timeline, now_ms: i64) -> View {
    view_with_threshold(t, now_ms, rate_limit::DEFAULT_LOW_THRESHOLD_PERCENT)
}

/// As [`view`], warning at or above `low_threshold_percent` usage (0 = always, above 100 =
/// never): the setting an options page would offer.
pub fn view_with_threshold(t: &Timeline, now_ms: i64, low_threshold_percent: u8) -> View {
    let mut buckets: Vec<BucketView> = t
        .buckets
        .iter()
        .map(|b| bucket_view(b, now_ms, low_threshold_percent))
        .collect();
    crate::sort::by(&mut buckets, |a, b| {
        b.severity
            .cmp(&a.severity)
            .then(
                b.used_percent
                    .unwrap_or(-1.0)
                    .total_cmp(&a.used_percent.unwrap_or(-1.0)),
            )
            .then(a.key.cmp(&b.key))
    });
    let severity = buckets.iter().map(|b| b.severity).max().unwrap_or_default();
    let summary = match buckets.first() {
        None => "No Okta rate-limited requests seen on this tab yet.".to_string(),
        Some(top) if top.severity >= Severity::Warning => top.title.clone(),
        Some(_) => format!(
            "{} bucket{} seen, all with headroom.",
            buckets.len(),
            if buckets.len() == 1 { "" } else { "s" }
        ),
    };
    View {
        summary,
        severity,
        exchanges: t.exchanges,
        ignored: t.ignored,
        untracked: t.untracked,
        buckets,
    }
}

mod headline;
mod stored;
/// Whether `key` is a bucket's key `host name`, compared without building it.
fn is_key(key: &str, host: &str, name: &str) -> bool {
    key.len() == host.len() + 1 + name.len()
        && key.starts_with(host)
        && key.ends_with(name)
        && key.as_bytes().get(host.len()) == Some(&b' ')
}

#[cfg(test)]
mod tests;
