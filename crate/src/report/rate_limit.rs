//! `report.rateLimit`: the numbers the popup's gauge and countdown need from one response's
//! `X-Rate-Limit-*` headers (okta.md §3), and the bucket they count against. Built by
//! `rate_limit::view`; the timeline's buckets reuse [`Limits`].

use std::borrow::Cow;

use serde::Serialize;

/// One reading. Absent values are `null`, never missing, so the JSON always has every field.
/// Never read back as itself: a stored report's is kept as it was written ([`super::Kept`]).
#[derive(Serialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct RateLimit {
    pub limit: Option<u64>,
    pub remaining: Option<u64>,
    pub used_percent: Option<f64>,
    pub reset: Option<Reset>,
    /// The response's `Date`.
    pub server_date: Option<Instant>,
    pub wait_seconds: Option<i64>,
    /// The clock the wait was measured on.
    pub wait_from: Option<WaitFrom>,
    /// The caller's clock when the wait was measured, and when it ends on that clock: a
    /// countdown shows max(0, waitUntil − now).
    pub measured_at: Option<i64>,
    pub wait_until: Option<i64>,
    pub retry_after_seconds: Option<i64>,
    pub exceeded: bool,
    pub concurrent: bool,
    pub low: bool,
    pub threshold_percent: u8,
    pub duplicate_headers: bool,
    /// Each set of values when a response carried several (at most 8).
    pub header_sets: Vec<HeaderSet>,
    pub clock_skew_seconds: Option<i64>,
    pub bucket: Option<Bucket>,
    /// The reading's caveat, as a sentence.
    pub note: Option<String>,
}

/// `X-Rate-Limit-Reset`, and how far it is from the time the wait was measured from.
#[derive(Serialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Reset {
    pub epoch: i64,
    pub iso: String,
    pub in_seconds: Option<i64>,
}

/// An epoch-seconds time and its ISO 8601 form.
#[derive(Serialize, Clone, Debug, Default, PartialEq)]
pub struct Instant {
    pub epoch: i64,
    pub iso: String,
}

#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum WaitFrom {
    /// `Retry-After` was present and longer.
    RetryAfter,
    ResetMinusDate,
    /// No usable `Date`: from when the browser saw the response.
    ResetMinusObservedAt,
    /// No usable `Date`: from the caller's now.
    ResetMinusNow,
}

#[derive(Serialize, Clone, Debug, Default, PartialEq)]
pub struct HeaderSet {
    pub limit: Option<u64>,
    pub remaining: Option<u64>,
    pub reset: Option<u64>,
}

/// The bucket a request counts against, as Okta's rate-limit pages publish it.
#[derive(Serialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Bucket {
    /// The catalogue's name and [`Bucket::how`] are the core's own words (compiled in): kept
    /// borrowed, not copied for every exchange (docs/performance-log.md, "liveFold, tenth pass").
    pub name: Cow<'static, str>,
    pub method: String,
    /// The request's path with ids replaced (`/api/v1/users/ID`).
    pub path: String,
    /// How the path matched the bucket: `exact`, `family` or `prefix`.
    #[serde(rename = "match")]
    pub how: Cow<'static, str>,
    pub scope: Scope,
    pub per_client: bool,
    pub per_user: bool,
    pub per_username: bool,
    /// `null` when Okta publishes none for the bucket.
    pub published_limits: Option<Limits>,
    /// One sentence per extra limit the bucket is also counted under.
    pub notes: Vec<String>,
}

/// What a bucket's requests are counted against.
#[derive(Serialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Okta documents no limit.
    None,
    #[default]
    Org,
}

/// A bucket's published per-minute limit for each plan that has one (`bucket::PLANS`).
#[derive(Serialize, Clone, Debug, Default, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Limits {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub integrator_free: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub one_app: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enterprise: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workforce: Option<u32>,
}

impl Limits {
    /// The limits in `bucket::PLANS` order; `None` when no plan has one.
    pub fn published(plans: [Option<u32>; 4]) -> Option<Limits> {
        let [integrator_free, one_app, enterprise, workforce] = plans;
        plans.iter().any(Option::is_some).then_some(Limits {
            integrator_free,
            one_app,
            enterprise,
            workforce,
        })
    }
}

impl super::Strings for RateLimit {
    /// The strings the seal reads. Not the times' `iso` nor the bucket's `how`: a built view
    /// (`rate_limit::view`, the only maker; a view read back is a JSON value, sealed whole)
    /// writes them itself, from numbers (`timestamp::iso8601`: digits, `-`, `:`, `T`, `Z`) and
    /// from `bucket::How` — nothing the seal could change (docs/performance-log.md, "liveFold,
    /// seventh pass").
    fn each_string(&mut self, f: &mut dyn FnMut(&mut String)) {
        if let Some(b) = &mut self.bucket {
            // A borrowed name is the catalogue's (compiled in): nothing to seal.
            if let Cow::Owned(name) = &mut b.name {
                f(name);
            }
            for s in [&mut b.method, &mut b.path] {
                f(s);
            }
            b.notes.iter_mut().for_each(&mut *f);
        }
        if let Some(n) = &mut self.note {
            f(n);
        }
    }
}

#[cfg(test)]
mod tests {
    /// What `each_string` leaves out is nothing the seal would change: no time `iso8601`
    /// writes and no `bucket::How` name looks like a URL or holds a secret.
    #[test]
    fn the_strings_the_seal_skips_are_ones_it_keeps() {
        let mut words: Vec<String> = [i64::MIN, -62_167_219_201, -1, 0, 1_750_000_042, i64::MAX]
            .into_iter()
            .chain((0..4_000).map(|i| i * 86_399_999))
            .map(crate::timestamp::iso8601)
            .collect();
        let hows = [
            crate::bucket::How::Exact,
            crate::bucket::How::Family,
            crate::bucket::How::Prefix,
        ];
        words.extend(hows.map(|h| h.as_str().to_string()));
        for w in words {
            assert!(!crate::redact::url::looks_like_url(&w), "{w}");
            assert_eq!(crate::redact::scrub_text(&w), (w.clone(), vec![]), "{w}");
        }
    }

    /// The seal leaves every catalogue bucket name as it is (many are paths, which the URL
    /// redactor reads, and keeps): a borrowed name it skips is the name it would have written.
    #[test]
    fn the_seal_keeps_every_bucket_name() {
        use super::{Bucket, Cow, RateLimit};
        let names: Vec<&str> = crate::catalogue::data!("buckets.tsv")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split('\t').nth(3))
            .collect();
        assert!(names.len() > 100, "{}", names.len());
        for name in names {
            let view = RateLimit {
                bucket: Some(Bucket {
                    name: Cow::Owned(name.to_string()),
                    ..Bucket::default()
                }),
                ..RateLimit::default()
            };
            let mut report =
                crate::Report::new(crate::Kind::Exchange, "s", vec![]).with_rate_limit(Some(view));
            crate::redact::seal_noting(&mut report);
            let sealed = report
                .rate_limit
                .as_ref()
                .and_then(super::super::Kept::built);
            let sealed = sealed
                .and_then(|r| r.bucket.as_ref())
                .map(|b| b.name.as_ref());
            assert_eq!(sealed, Some(name));
        }
    }
}
