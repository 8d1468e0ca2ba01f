//! `report.timeline`: what a report of many exchanges (a HAR, a tab's session, the DevTools
//! panel's) carries besides its findings — the [`Digest`] and the rate-limit buckets as the
//! popup shows them ([`View`], built by `timeline::view` from the fold in `timeline`).

use serde::{Deserialize, Serialize};

use super::{rate_limit::Limits, Kept, Severity, Strings};
use crate::digest::Digest;

/// A session's counts and groups over time. `entries` and `oktaEntries` are a HAR's (every
/// request in it, and those to Okta); a tab's report has neither.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Timeline {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entries: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub okta_entries: Option<u64>,
    #[serde(default)]
    pub digest: Digest,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limits: Option<Kept<View>>,
}

/// One `X-Rate-Limit-*` reading.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct Point {
    pub at_ms: i64,
    pub limit: u64,
    pub remaining: u64,
    /// `X-Rate-Limit-Reset`, epoch seconds on Okta's clock.
    pub reset: i64,
}

/// One bucket as the popup shows it: a gauge, a countdown and the words around them.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct BucketView {
    pub key: String,
    pub host: String,
    pub bucket: String,
    pub known: bool,
    pub method: String,
    pub path: String,
    pub requests: u64,
    pub rate_limited: u64,
    pub concurrent: u64,
    /// This tab's requests in the trailing minute.
    pub requests_per_minute: u64,
    pub limit: Option<u64>,
    pub remaining: Option<u64>,
    pub used_percent: Option<f64>,
    /// When the window resets, on the local clock (epoch ms), for the countdown.
    pub reset_at_ms: Option<i64>,
    pub seconds_to_reset: Option<i64>,
    /// The latest reading's window is over: its numbers are history.
    pub window_over: bool,
    /// Consumption by every client of the org, from the Remaining trajectory.
    pub consumption_per_minute: Option<f64>,
    pub projected_exhaustion_seconds: Option<i64>,
    pub exhausts_before_reset: bool,
    /// `null` when Okta publishes none for the bucket.
    pub published_limits: Option<Limits>,
    pub severity: Severity,
    pub title: String,
    pub detail: String,
    /// Countdown text: replace `{s}` with the whole seconds left; at 0 show `countdownDone`.
    pub countdown_template: String,
    pub countdown_done: String,
    pub trajectory: Vec<Point>,
}

/// A timeline's rate-limit buckets as the popup shows them at one moment.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct View {
    pub summary: String,
    pub severity: Severity,
    pub exchanges: u64,
    pub ignored: u64,
    pub untracked: u64,
    /// Worst first, then most used.
    pub buckets: Vec<BucketView>,
}

impl Strings for Timeline {
    /// The digest's findings whole, its requests, tokens and the buckets' words.
    fn each_string(&mut self, f: &mut dyn FnMut(&mut String)) {
        let d = &mut self.digest;
        for g in &mut d.groups {
            f(&mut g.id);
            g.finding.each_string(f);
            g.request_ids.iter_mut().for_each(&mut *f);
        }
        for r in &mut d.requests {
            for s in [&mut r.method, &mut r.url, &mut r.request_id]
                .into_iter()
                .flatten()
            {
                f(s);
            }
            r.finding_ids.iter_mut().for_each(&mut *f);
        }
        for t in &mut d.tokens {
            f(&mut t.key);
            t.view.each_string(f);
        }
        if let Some(v) = &mut self.rate_limits {
            v.each_string(f);
        }
    }
}

impl Strings for View {
    fn each_string(&mut self, f: &mut dyn FnMut(&mut String)) {
        f(&mut self.summary);
        for b in &mut self.buckets {
            for s in [
                &mut b.key,
                &mut b.host,
                &mut b.bucket,
                &mut b.method,
                &mut b.path,
                &mut b.title,
                &mut b.detail,
                &mut b.countdown_template,
                &mut b.countdown_done,
            ] {
                f(s);
            }
        }
    }
}
