//! A digest of many analysed exchanges — a tab's session, a DevTools timeline, a HAR file:
//! findings grouped by id with exact counts and first/last seen, the request ids worth quoting
//! to support, and the tokens seen with their expiry at the time of each request.
//!
//! Pure and serialisable (camelCase JSON), so the extension can keep it in `storage.session`
//! and fold new reports into it after a service-worker restart. Memory is bounded: at most
//! [`MAX_GROUPS`] finding groups, [`MAX_REQUESTS`] request references and [`MAX_TOKENS`]
//! tokens are kept; counters stay exact when details are dropped.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use crate::params::same;
use crate::report::{Finding, Kept, Report, Severity, Timeline, Token};

pub mod clock;
pub mod flows;
pub mod saml;
pub mod stored;

pub const MAX_GROUPS: usize = 200;
pub const MAX_REQUESTS: usize = 100;
pub const MAX_TOKENS: usize = 32;
/// Request ids kept per finding group (the latest).
const REQUESTS_PER_GROUP: usize = 5;

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct Digest {
    /// Reports folded in: Okta's requests, and the app's requests read for a sign-in (the
    /// SAML Response posted to the app's ACS), counted in [`Digest::app`] too.
    pub exchanges: u64,
    /// Of those, requests to the app, not to Okta ([`Digest::okta_requests`] are the rest).
    /// Absent when 0 (and from what a previous version stored).
    #[serde(skip_serializing_if = "is_zero")]
    pub app: u64,
    /// Of those, with a status ≥ 400.
    pub failed: u64,
    /// Of those, with a warning or an error finding: the requests the popup lists ("Requests
    /// with findings"). A digest stored before it was counted reads back with 0 here, and
    /// [`Digest::restored`] estimates it.
    pub with_findings: u64,
    /// Of those, the requests whose cause is an error (the report's severity, one per request
    /// however many parts of the response said so: `cause::fold`): what the badge counts.
    /// Absent from a digest stored before requests were counted so; [`Digest::error_requests`]
    /// then counts the request references it kept.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<u64>,
    /// Finding groups, worst severity first, then most frequent.
    pub groups: Vec<Group>,
    /// The latest requests, newest last.
    pub requests: VecDeque<RequestRef>,
    pub tokens: Vec<TokenSeen>,
    /// What was dropped to stay within the bounds (counts stay exact above).
    pub dropped: Dropped,
    /// The session's sign-in flows (crate/src/flow/fold.rs): only digests of secrets. Absent
    /// from what a previous version stored (a fresh state then).
    #[serde(skip_serializing_if = "flows::State::is_empty")]
    pub flows: flows::State,
    /// Okta's clock against the observing one, from the `Date` headers seen (digest/clock.rs).
    /// Absent from what a previous version stored (no estimate then).
    #[serde(skip_serializing_if = "clock::Estimate::is_empty")]
    pub clock: clock::Estimate,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct Dropped {
    pub groups: u64,
    pub requests: u64,
    pub tokens: u64,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    pub id: String,
    pub severity: Severity,
    pub count: u64,
    /// Epoch milliseconds.
    #[serde(deserialize_with = "time_or_zero")]
    pub first_seen: f64,
    #[serde(deserialize_with = "time_or_zero")]
    pub last_seen: f64,
    /// The latest occurrence in full.
    pub finding: Finding,
    pub request_ids: Vec<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct RequestRef {
    #[serde(deserialize_with = "time_or_zero")]
    pub observed_at: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Redacted URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_code: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    pub severity: Severity,
    pub finding_ids: Vec<String>,
    /// The ids folded into those findings (one cause per request: `cause::fold`), so a search
    /// by id still finds the request. Absent when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub folded_ids: Vec<String>,
}

impl RequestRef {
    /// A reference with nothing set yet (`Digest::add_sealed` fills it).
    fn empty() -> Self {
        RequestRef {
            observed_at: 0.0,
            method: None,
            url: None,
            status_code: None,
            request_id: None,
            severity: Severity::default(),
            finding_ids: Vec::new(),
            folded_ids: Vec::new(),
        }
    }
}

/// A token sent with the requests: its claims' identity, never the token itself.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct TokenSeen {
    /// `jti`, or `iss|sub|iat` when the token has none.
    pub key: String,
    /// The token's report view (claims, times; no signature, secrets masked).
    pub view: Kept<Token>,
    pub requests: u64,
    #[serde(deserialize_with = "time_or_zero")]
    pub first_seen: f64,
    #[serde(deserialize_with = "time_or_zero")]
    pub last_seen: f64,
    /// Seconds from `exp` to the latest request: negative when an expired token was sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_in_at_last_use: Option<i64>,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl Digest {
    /// Requests to Okta: those folded in, less the app's.
    pub fn okta_requests(&self) -> u64 {
        self.exchanges.saturating_sub(self.app)
    }

    /// ` and N to the app` when the app's requests were read (the SAML Response posted to its
    /// ACS); empty otherwise.
    pub fn app_phrase(&self) -> String {
        match self.app {
            0 => String::new(),
            n => format!(" and {n} to the app"),
        }
    }

    /// Counts the request just folded in ([`Digest::add`]) as the app's, not Okta's.
    pub fn count_app(&mut self) {
        self.app = self.app.saturating_add(1).min(self.exchanges);
    }

    /// Folds one analysed exchange observed at `observed_at` (epoch ms). An exchange with no
    /// usable time (NaN, infinite) is counted at the latest time the digest knows (0 when it
    /// knows none): a non-finite time would be stored as JSON `null` and make the digest
    /// unreadable when a restarted worker reads it back.
    pub fn add(&mut self, report: &Report, observed_at: f64) {
        self.add_sealed(report, observed_at, &crate::redact::Clean::default());
    }

    /// [`Digest::add`] of a report just sealed: a URL the seal found clean is not redacted again.
    pub fn add_sealed(&mut self, report: &Report, observed_at: f64, clean: &crate::redact::Clean) {
        let observed_at = if observed_at.is_finite() {
            observed_at
        } else {
            self.latest_seen()
        };
        self.exchanges = self.exchanges.saturating_add(1);
        let error = u64::from(report.severity == Severity::Error);
        self.errors = Some(self.error_requests().saturating_add(error));
        let request = report.request.as_ref();
        let status = request.and_then(|r| r.status_code);
        if status.is_some_and(|s| s >= 400) {
            self.failed = self.failed.saturating_add(1);
        }
        if report.severity >= Severity::Warning {
            self.with_findings = self.with_findings.saturating_add(1);
        }
        let request_id = request.and_then(|r| r.request_id.as_deref());
        for f in &report.findings {
            self.add_finding(f, observed_at, request_id);
        }
        crate::sort::by(&mut self.groups, |a, b| {
            b.severity
                .cmp(&a.severity)
                .then(b.count.cmp(&a.count))
                .then(a.id.cmp(&b.id))
        });
        // A ring: dropping the oldest of 100 moves nothing (`Vec::remove(0)` moved them all),
        // and its strings are written over, not freed and allocated again (docs/performance-log.md,
        // "liveFold, eleventh pass").
        let oldest = match self.requests.len() >= MAX_REQUESTS {
            true => self.requests.pop_front(),
            false => None,
        };
        if oldest.is_some() {
            self.dropped.requests = self.dropped.requests.saturating_add(1);
        }
        let mut entry = oldest.unwrap_or_else(RequestRef::empty);
        entry.observed_at = observed_at;
        set_text(&mut entry.method, request.and_then(|r| r.method.as_deref()));
        // The report's URL is redacted already; a report handed in from outside (JS, an
        // older stored report) goes through the same redactor before it is kept.
        match request.and_then(|r| r.url.as_deref()) {
            Some(u) => clean.report_url_into(u, entry.url.get_or_insert_default()),
            None => entry.url = None,
        }
        entry.status_code = status;
        set_text(&mut entry.request_id, request_id);
        entry.severity = report.severity;
        let ids = report.findings.iter().map(|f| &*f.id);
        set_texts(&mut entry.finding_ids, ids);
        let folded = report.findings.iter().flat_map(|f| &f.folded);
        set_texts(&mut entry.folded_ids, folded.map(String::as_str));
        self.requests.push_back(entry);
        if let Some(view) = report.token.as_ref().and_then(Kept::built) {
            self.add_token(view, observed_at);
        }
    }

    /// A digest read back from `stored` (its JSON), counting what a previous version didn't:
    /// without `withFindings`, the kept requests with a warning or an error are counted — exact
    /// while no request was dropped — and, once some were, at least the failed ones (a status
    /// ≥ 400 always carries a warning or an error finding). Unreadable: a fresh digest.
    pub fn restored(stored: &serde_json::Value) -> Digest {
        let mut d: Digest = stored::Read::read(stored).unwrap_or_default();
        if stored.get("withFindings").is_none() {
            let kept = d
                .requests
                .iter()
                .filter(|r| r.severity >= Severity::Warning)
                .count();
            let kept = u64::try_from(kept).unwrap_or(u64::MAX);
            d.with_findings = if d.dropped.requests == 0 {
                kept
            } else {
                kept.max(d.failed).min(d.exchanges)
            };
        }
        d
    }

    /// Requests whose cause is an error. A digest stored by the previous version, which
    /// counted findings, not requests, is counted from its request references: exact unless
    /// more than [`MAX_REQUESTS`] requests were seen.
    pub fn error_requests(&self) -> u64 {
        self.errors.unwrap_or_else(|| {
            let kept = self.requests.iter();
            kept.filter(|r| r.severity == Severity::Error).count() as u64
        })
    }

    /// The latest time any group, request or token was seen (epoch ms), 0 when none.
    fn latest_seen(&self) -> f64 {
        let groups = self.groups.iter().map(|g| g.last_seen);
        let requests = self.requests.iter().map(|r| r.observed_at);
        let tokens = self.tokens.iter().map(|t| t.last_seen);
        groups
            .chain(requests)
            .chain(tokens)
            .filter(|t| t.is_finite())
            .fold(0.0, f64::max)
    }

    fn add_finding(&mut self, f: &Finding, at: f64, request_id: Option<&str>) {
        if let Some(g) = self.groups.iter_mut().find(|g| same(&g.id, &f.id)) {
            g.count = g.count.saturating_add(1);
            g.first_seen = g.first_seen.min(at);
            g.last_seen = g.last_seen.max(at);
            g.severity = g.severity.max(f.severity);
            // A repeated finding (a storm's) is most often the one the group holds already:
            // comparing costs no allocation, replacing costs a clone and a drop.
            if g.finding != *f {
                g.finding = f.clone();
            }
            push_bounded(&mut g.request_ids, request_id, REQUESTS_PER_GROUP);
            return;
        }
        if self.groups.len() >= MAX_GROUPS {
            self.dropped.groups = self.dropped.groups.saturating_add(1);
            return;
        }
        let mut request_ids = Vec::new();
        push_bounded(&mut request_ids, request_id, REQUESTS_PER_GROUP);
        self.groups.push(Group {
            id: f.id.to_string(),
            severity: f.severity,
            count: 1,
            first_seen: at,
            last_seen: at,
            finding: f.clone(),
            request_ids,
        });
    }

    fn add_token(&mut self, view: &Token, at: f64) {
        let Some(key) = view.key() else { return };
        let expires_in = view.expires_in(at);
        if let Some(t) = self.tokens.iter_mut().find(|t| t.key == key) {
            t.requests = t.requests.saturating_add(1);
            t.first_seen = t.first_seen.min(at);
            if at >= t.last_seen {
                t.last_seen = at;
                t.expires_in_at_last_use = expires_in;
            }
            return;
        }
        if self.tokens.len() >= MAX_TOKENS {
            self.dropped.tokens = self.dropped.tokens.saturating_add(1);
            return;
        }
        self.tokens.push(TokenSeen {
            key,
            view: Kept::Built(view.clone()),
            requests: 1,
            first_seen: at,
            last_seen: at,
            expires_in_at_last_use: expires_in,
        });
    }

    /// The groups as findings for a report: the latest occurrence, with how often it was seen
    /// (`repeats`, which the title counts when worded).
    pub fn findings(&self) -> Vec<Finding> {
        self.groups
            .iter()
            .map(|g| {
                let mut f = g.finding.clone();
                f.severity = g.severity;
                if g.count > 1 {
                    f.params.set(crate::params::REPEATS, g.count);
                }
                f
            })
            .collect()
    }

    /// The digest as one report (a tab's session for its support snippet and JSON export):
    /// the groups as findings with their counts, and the digest itself plus `rate_limits` (a
    /// timeline view) under `timeline`.
    pub fn report(&self, rate_limits: Option<crate::report::timeline::View>) -> Report {
        // Requests and their causes, not findings: a cause is a finding group of warning
        // severity or worse (one per id, however many requests it explains).
        let plural = |n: u64| if n == 1 { "" } else { "s" };
        let errors = self.error_requests();
        let causes = self
            .groups
            .iter()
            .filter(|g| g.severity >= Severity::Warning)
            .count() as u64;
        let okta = self.okta_requests();
        let summary = format!(
            "{} Okta request{} seen{}, {} failed; {} with an error; {} cause{}.",
            okta,
            plural(okta),
            self.app_phrase(),
            self.failed,
            errors,
            causes,
            plural(causes)
        );
        let timeline = Timeline {
            digest: self.without_state(),
            rate_limits: rate_limits.map(Kept::Built),
            ..Timeline::default()
        };
        Report::new(crate::report::Kind::Exchange, summary, self.findings())
            .with_timeline(Some(timeline))
            .with_flows(&self.flows.flows)
    }

    /// The digest as a report carries it: the session's state stays behind — the flow state
    /// (the report carries the story instead, `Report::flows`) and the clock estimate (the
    /// findings whose answer it changed say so).
    pub fn without_state(&self) -> Digest {
        Digest {
            flows: flows::State::default(),
            clock: clock::Estimate::default(),
            ..self.clone()
        }
    }

    pub fn worst(&self) -> Severity {
        self.groups
            .iter()
            .map(|g| g.severity)
            .max()
            .unwrap_or_default()
    }
}

/// A stored time (epoch ms); `null` — what JSON makes of a non-finite number, as digests written
/// before `add` refused them may hold — reads as 0 instead of making the whole digest unreadable.
fn time_or_zero<'de, D: serde::Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(0.0))
}

/// Adds `item` to `list` unless there, dropping the oldest past `max`: the oldest's string is
/// written over (moved to the end), not freed while the new one is allocated.
fn push_bounded(list: &mut Vec<String>, item: Option<&str>, max: usize) {
    let Some(item) = item else { return };
    if list.iter().any(|i| same(i, item)) {
        return;
    }
    if list.len() >= max {
        if max == 0 {
            return; // nothing kept, as before: pushed, then removed
        }
        list.rotate_left(1);
        if let Some(last) = list.last_mut() {
            item.clone_into(last);
        }
    } else {
        list.push(item.to_string());
    }
}

/// `slot` set to `text`, its string's room reused when it had one.
fn set_text(slot: &mut Option<String>, text: Option<&str>) {
    match (slot.as_mut(), text) {
        (Some(s), Some(t)) => t.clone_into(s),
        (_, t) => *slot = t.map(str::to_string),
    }
}

/// `list` set to `texts`, in order, its strings' room reused.
fn set_texts<'a>(list: &mut Vec<String>, texts: impl Iterator<Item = &'a str>) {
    let mut n = 0;
    for t in texts {
        match list.get_mut(n) {
            Some(s) => t.clone_into(s),
            None => list.push(t.to_string()),
        }
        n += 1;
    }
    list.truncate(n);
}

#[cfg(test)]
mod tests;
