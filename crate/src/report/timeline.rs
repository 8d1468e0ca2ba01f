//! `report.timeline`: what a report of many exchanges (a HAR, a tab's session, the DevTools
//! panel's) carries besides its findings — the [`Digest`] and the rate-limit buckets as the
//! popup shows them ([`View`], built by `timeline::view` from the fold in `timeline`).

use serde::{Deserialize, Serialize};

use super::{rate_limit::Limits, Kept, Severity, Strings};
use crate::digest::stored::{Fields, Read};
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

/// A timeline handed back from JS (the export's failed request ids, [`Kept::read`]), read by
/// hand with the stored tabs' readers: serde's derived deserialiser for it (and through it the
/// digest's) kept ~35 KB gzip in the ui module (docs/performance-log.md, "Size, seventh pass").
/// Serde's rules: every field may be absent; the test below compares the two readers.
impl Read for Timeline {
    fn read(v: &serde_json::Value) -> Option<Self> {
        let f = Fields::of(v)?;
        Some(Timeline {
            entries: f.opt("entries")?,
            okta_entries: f.opt("oktaEntries")?,
            digest: f.or_default("digest")?,
            rate_limits: f.opt("rateLimits")?,
        })
    }
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

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;

    /// The hand reader and serde's derived one agree on every HAR fixture's timeline and on
    /// each of its fields (and its digest's) removed or replaced by a value of another type.
    #[test]
    fn read_by_hand_as_serde_reads_it() {
        let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures");
        let others = [
            Value::Null,
            json!("x"),
            json!(1.5),
            json!(-1),
            json!(true),
            json!({}),
            json!([]),
        ];
        let agree = |v: &Value| {
            let by_hand = Timeline::read(v);
            let by_serde = serde_json::from_value::<Timeline>(v.clone()).ok();
            assert_eq!(by_hand, by_serde, "{v}");
        };
        let mut cases = 0;
        for dir in std::fs::read_dir(fixtures).unwrap() {
            let Ok(text) = std::fs::read_to_string(dir.unwrap().path().join("input.txt")) else {
                continue;
            };
            let report = crate::facts_of_text(&text, 1_750_000_000);
            let Some(timeline) = &report.timeline else {
                continue;
            };
            let whole = serde_json::to_value(timeline).unwrap();
            agree(&whole);
            for at in ["", "/digest"] {
                let Some(Value::Object(map)) = whole.pointer(at) else {
                    continue;
                };
                for name in map.keys() {
                    let mut removed = whole.clone();
                    if let Some(Value::Object(m)) = removed.pointer_mut(at) {
                        m.remove(name);
                    }
                    agree(&removed);
                    for other in &others {
                        // serde also reads a struct written as an array (its fields by
                        // position); nothing ever wrote one, and the hand reader does not.
                        if other.is_array() && !map[name].is_array() {
                            continue;
                        }
                        let mut changed = whole.clone();
                        if let Some(Value::Object(m)) = changed.pointer_mut(at) {
                            m.insert(name.clone(), other.clone());
                        }
                        agree(&changed);
                        cases += 1;
                    }
                }
            }
        }
        assert!(cases > 200, "{cases} cases");
    }
}
