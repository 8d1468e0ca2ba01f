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
        let request_id = request.and_then(|r| r.request_id.clone());
        for f in &report.findings {
            self.add_finding(f, observed_at, request_id.as_deref());
        }
        crate::sort::by(&mut self.groups, |a, b| {
            b.severity
                .cmp(&a.severity)
                .then(b.count.cmp(&a.count))
                .then(a.id.cmp(&b.id))
        });
        self.requests.push_back(RequestRef {
            observed_at,
            method: request.and_then(|r| r.method.clone()),
            // The report's URL is redacted already; a report handed in from outside (JS, an
            // older stored report) goes through the same redactor before it is kept.
            url: request
                .and_then(|r| r.url.as_deref())
                .map(|u| clean.report_url(u)),
            status_code: status,
            request_id,
            severity: report.severity,
            finding_ids: report.findings.iter().map(|f| f.id.clone()).collect(),
            folded_ids: report.folded_ids(),
        });
        if self.requests.len() > MAX_REQUESTS {
            // A ring: dropping the oldest of 100 moves nothing (`Vec::remove(0)` moved them all).
            self.requests.pop_front();
            self.dropped.requests = self.dropped.requests.saturating_add(1);
        }
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
        if let Some(g) = self.groups.iter_mut().find(|g| g.id == f.id) {
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
            id: f.id.clone(),
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

fn push_bounded(list: &mut Vec<String>, item: Option<&str>, max: usize) {
    let Some(item) = item else { return };
    if list.iter().any(|i| i == item) {
        return;
    }
    list.push(item.to_string());
    if list.len() > max {
        list.remove(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::{Exchange, Header};
    use serde_json::Value;

    fn exchange(status: u16, id: &str, body: &str) -> Exchange {
        Exchange {
            observed_at: Some(1_750_000_000_000.0),
            method: Some("GET".into()),
            url: Some("https://dev-1.okta.com/api/v1/users?limit=2".into()),
            status_code: Some(status),
            response_headers: vec![Header {
                name: "X-Okta-Request-Id".into(),
                value: Some(id.into()),
            }],
            body: Some(body.into()),
            ..Exchange::default()
        }
    }

    /// Found by the `timeline_fold` fuzz target: a report added at a NaN time was stored with
    /// `null` times, and reading the digest back failed, so a restarted worker started the tab
    /// from zero.
    #[test]
    fn an_exchange_without_a_time_still_reads_back_with_every_count() {
        let e11 = r#"{"errorCode":"E0000011","errorSummary":"Invalid token provided"}"#;
        let report = crate::analyze_exchange(&exchange(401, "reqA", e11));
        let mut d = Digest::default();
        d.add(&report, f64::NAN);
        d.add(&report, 1_750_000_000_000.0);
        d.add(&report, f64::INFINITY);
        let text = serde_json::to_string(&d).unwrap();
        assert!(!text.contains("null"), "{text}");
        let back: Digest = serde_json::from_str(&text).unwrap();
        assert_eq!(back, d);
        assert_eq!(back.exchanges, 3);
        let g = &back.groups[0];
        assert_eq!(
            (g.count, g.first_seen, g.last_seen),
            (3, 0.0, 1_750_000_000_000.0)
        );
        assert_eq!(
            back.requests[2].observed_at, 1_750_000_000_000.0,
            "counted at the latest known time"
        );
    }

    #[test]
    fn a_stored_digest_with_null_times_reads_back() {
        let mut d = Digest::default();
        d.add(&crate::analyze_exchange(&exchange(429, "reqB", "")), 5.0);
        let mut v = serde_json::to_value(&d).unwrap();
        v["groups"][0]["firstSeen"] = Value::Null;
        v["requests"][0]["observedAt"] = Value::Null;
        let back: Digest = serde_json::from_str(&v.to_string()).unwrap();
        assert_eq!(back.exchanges, 1);
        assert_eq!(
            (back.groups[0].first_seen, back.requests[0].observed_at),
            (0.0, 0.0)
        );
    }

    #[test]
    fn groups_count_exactly_and_keep_first_and_last_seen() {
        let mut d = Digest::default();
        let e11 = r#"{"errorCode":"E0000011","errorSummary":"Invalid token provided"}"#;
        for i in 0..1_000 {
            let r = crate::analyze_exchange(&exchange(401, &format!("req{i}"), e11));
            d.add(&r, 1_000.0 + f64::from(i));
        }
        let g = d
            .groups
            .iter()
            .find(|g| g.id == "okta_error.E0000011")
            .cloned();
        let g = g.unwrap_or_else(|| {
            panic!(
                "no group: {:?}",
                d.groups.iter().map(|g| &g.id).collect::<Vec<_>>()
            )
        });
        assert_eq!(g.count, 1_000);
        assert_eq!((g.first_seen, g.last_seen), (1_000.0, 1_999.0));
        assert_eq!(g.request_ids.len(), REQUESTS_PER_GROUP);
        assert_eq!(d.exchanges, 1_000);
        assert_eq!(d.failed, 1_000);
        assert_eq!(d.requests.len(), MAX_REQUESTS);
        assert_eq!(d.dropped.requests, 1_000 - MAX_REQUESTS as u64);
        let mut found = d.findings();
        found.iter_mut().for_each(crate::explain::finding);
        assert!(found.iter().any(|f| f.title.ends_with("(×1000)")));
    }

    #[test]
    fn serialised_size_stays_bounded() {
        let mut d = Digest::default();
        for i in 0..5_000u32 {
            let body = format!(r#"{{"errorCode":"E{:07}","errorSummary":"x"}}"#, i % 400);
            let r = crate::analyze_exchange(&exchange(400, &format!("req{i}"), &body));
            d.add(&r, f64::from(i));
        }
        assert!(d.groups.len() <= MAX_GROUPS);
        assert!(d.dropped.groups > 0);
        let total: u64 = d.groups.iter().map(|g| g.count).sum::<u64>() + d.dropped.groups;
        assert!(total >= 5_000);
        let size = serde_json::to_string(&d)
            .map(|s| s.len())
            .unwrap_or(usize::MAX);
        assert!(size < 2_000_000, "digest serialises to {size} bytes");
        let back: Digest = serde_json::from_str(&serde_json::to_string(&d).unwrap_or_default())
            .unwrap_or_default();
        assert_eq!(back, d);
    }

    #[test]
    fn a_digest_becomes_one_report_with_counts() {
        let mut d = Digest::default();
        let e11 = r#"{"errorCode":"E0000011","errorSummary":"Invalid token provided"}"#;
        for i in 0..3 {
            d.add(
                &crate::analyze_exchange(&exchange(401, &format!("req{i}"), e11)),
                f64::from(i),
            );
        }
        let mut r = d.report(None);
        crate::explain::show(&mut r, &crate::Trusted::default());
        assert!(
            r.summary == "3 Okta requests seen, 3 failed; 3 with an error; 1 cause.",
            "{}",
            r.summary
        );
        assert!(r
            .findings
            .iter()
            .any(|f| f.id == "okta_error.E0000011" && f.title.ends_with("(×3)")));
        let md = crate::export::markdown(&r);
        assert!(md.contains("`req2`"), "{md}");
    }

    #[test]
    fn ssws_tokens_are_seen_masked() {
        let mut d = Digest::default();
        let mut ex = exchange(200, "req1", "{}");
        ex.request_headers = vec![Header {
            name: "Authorization".into(),
            value: Some("SSWS 00igKrTNyNLHCw0wYSIsoDF28cN4B3KZPETBz9pqz0".into()),
        }];
        d.add(&crate::analyze_exchange(&ex), 1.0);
        d.add(&crate::analyze_exchange(&ex), 2.0);
        assert_eq!(d.tokens.len(), 1);
        assert_eq!(d.tokens[0].key, "00ig…z0");
        assert_eq!(d.tokens[0].requests, 2);
        assert!(!serde_json::to_string(&d)
            .unwrap_or_default()
            .contains("KrTNyNLH"));
    }

    #[test]
    fn tokens_are_deduplicated_by_jti_with_expiry_at_last_use() {
        use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
        let token = format!(
            "{}.{}.c2ln",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256"}"#),
            URL_SAFE_NO_PAD.encode(
                r#"{"jti":"AT.1","exp":1750000060,"iss":"https://dev-1.okta.com/oauth2/default"}"#
            )
        );
        let mut d = Digest::default();
        for at in [1_750_000_000_000.0, 1_750_000_120_000.0] {
            let mut ex = exchange(200, "req1", "{}");
            ex.request_headers = vec![Header {
                name: "Authorization".into(),
                value: Some(format!("Bearer {token}")),
            }];
            ex.observed_at = Some(at);
            d.add(&crate::analyze_exchange(&ex), at);
        }
        assert_eq!(d.tokens.len(), 1);
        assert_eq!(d.tokens[0].requests, 2);
        assert_eq!(d.tokens[0].expires_in_at_last_use, Some(-60));
        assert!(!serde_json::to_string(&d)
            .unwrap_or_default()
            .contains("c2ln"));
    }

    #[test]
    fn a_report_from_outside_is_stored_with_its_url_redacted() {
        let mut report = crate::analyze_text("hello", 0);
        report.request = Some(crate::report::Request {
            url: Some("https://a/cb?Code=c1LEAK&%63ode=c2LEAK".into()),
            ..Default::default()
        });
        let mut d = Digest::default();
        d.add(&report, 1.0);
        let stored = serde_json::to_string(&d).unwrap();
        assert!(!stored.contains("LEAK"), "{stored}");
    }
}
