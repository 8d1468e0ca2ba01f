//! One session of observed exchanges — a browser tab's live capture, a HAR file, the DevTools
//! panel's inspected tab — folded one exchange at a time into one model: the [`Digest`]
//! (finding groups with exact counts, request ids, tokens seen), the rate-limit [`Timeline`],
//! the latest warning/error reports in full, and how many entries were not Okta traffic.
//!
//! The live listener (`live.rs`) and the HAR analyser (`har.rs`, for the CLI and the browser)
//! are thin adapters around [`Session::fold`]. The session also answers what the extension's
//! JavaScript shows without deciding: the toolbar [`Badge`] and each request's table [`Row`].
//! Bounded as the digest and timeline are, plus at most [`MAX_REPORTS`] reports.

use std::{borrow::Cow, collections::VecDeque};

use serde::Serialize;
use serde_json::Value;

use crate::{
    digest::{Digest, Group, RequestRef},
    http::Exchange,
    report::{Kept, Report, Severity, Token},
    timeline::{self, Timeline},
};

/// Full reports kept per session for the exports (newest last), severity warning or worse.
pub const MAX_REPORTS: usize = 10;
/// The badge shows at most this many requests (then `999+`).
const MAX_BADGE_COUNT: u64 = 999;
/// The badge's mark for a rate-limit bucket at or past the warning threshold.
pub const LOW_MARK: &str = "↓";

/// A session's state.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Session {
    pub digest: Digest,
    pub timeline: Timeline,
    pub reports: VecDeque<Report>,
    /// Entries that were not Okta traffic (a HAR's other requests); not stored for a live tab.
    pub others: u64,
    /// The first and last time an exchange was observed (epoch ms); not stored for a live tab.
    pub span: Option<(f64, f64)>,
}

/// What folding one exchange gave, for the caller (small: the state stays in the session).
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Folded {
    /// The exchange's report's severity, its redirect target's findings included.
    pub severity: Severity,
    pub findings: usize,
    /// Whether the report was kept in full (warning or worse).
    pub kept: bool,
}

/// One request as the panel's table shows it: what the core read, never what JS parsed. The
/// analysis answers it with its report; the words write its headline (`sessionAddShown`).
#[derive(Serialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Row {
    /// Epoch ms (the time the digest counted it at).
    pub observed_at: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Redacted URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_code: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    pub severity: Severity,
    /// What the row leads with: the title of its worst finding (the first of the worst when
    /// several tie), written when shown ([`show_added`]); none when the request had no finding.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headline: Option<String>,
    /// Every finding id, in the report's order (what the table filters on).
    pub finding_ids: Vec<String>,
    /// Of those, the warning and error ones: always shown.
    pub problem_ids: Vec<String>,
    /// The info and ok ones: shown when the person asks for them.
    pub quiet_ids: Vec<String>,
    /// The ids folded into those findings (`cause::fold`): searchable, not shown as causes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub folded_ids: Vec<String>,
    /// The rate-limit bucket the request counted against, when the timeline tracks it.
    pub bucket: Option<RowBucket>,
    /// The token the request carried (its report view: claims, masked secrets).
    pub token: Option<RowToken>,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct RowBucket {
    pub key: String,
    pub name: String,
    pub host: String,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct RowToken {
    pub key: String,
    /// Seconds from `exp` to the request: negative when an expired token was sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_in: Option<i64>,
    /// The token's view as the listener built it (read back as its JSON when shown).
    pub view: Kept<Token>,
}

/// The toolbar badge of a session: every word and the severity the extension shows.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Badge {
    /// Requests whose cause is an error (one per failed request, however many findings).
    pub count: u64,
    /// The worst severity among the finding groups and the rate-limit buckets.
    pub severity: Severity,
    /// A rate-limit bucket is at or past the warning threshold.
    pub low: bool,
    /// The badge text: the count (`999+` above), then [`LOW_MARK`] when a bucket is low.
    pub text: String,
    /// The tooltip.
    pub title: String,
}

/// A panel row with its full report, as `sessionAddShown` answers it once shown.
#[derive(Serialize, Debug)]
#[cfg_attr(not(feature = "ui"), allow(dead_code))]
pub struct Added {
    pub row: Row,
    pub report: Report,
}

/// A panel row and its report as shown: the report worded (commands naming `trusted` hosts
/// besides Okta's) and the row led by its worst finding's title.
#[cfg_attr(not(feature = "ui"), allow(dead_code))]
pub fn show_added(added: &mut Added, trusted: &crate::Trusted) {
    crate::explain::show(&mut added.report, trusted);
    // Findings are ordered worst first (Report::new), the first of the worst leading on a tie.
    added.row.headline = added.report.findings.first().map(|f| f.title.clone());
}

/// A tab as the popup shows it (see [`Session::view`]).
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct View {
    pub badge: Badge,
    /// `M requests to Okta · K with findings · N with an error`.
    pub summary: String,
    /// Finding groups of warning severity or worse, worst first.
    pub problems: Vec<Group>,
    /// The other groups (info, ok).
    pub quiet: Vec<Group>,
    /// Requests with a warning or an error finding ("Requests with findings"), newest first.
    pub with_findings: Vec<RequestRef>,
    pub rate_limits: timeline::View,
    /// The tab's sign-in story (report/flow.rs), newest flow last; `label` and `detail` are
    /// written when the view is shown.
    pub flows: Vec<crate::report::flow::Flow>,
}

/// A session as stored for a tab (`digest`, `timeline`, `reports`), serialised by reference.
#[derive(Serialize, Debug)]
pub struct Snapshot<'a> {
    pub digest: &'a Digest,
    pub timeline: &'a Timeline,
    pub reports: &'a VecDeque<Report>,
}

/// An analysis as the session keeps it: findings as data (no words, so no commands, until
/// the session is shown), sealed.
fn analysed(mut report: Report) -> Report {
    crate::redact::seal(&mut report);
    report
}

/// [`analysed`], with the URLs the seal found plainly clean (see [`Digest::add_sealed`]).
fn analysed_noting(mut report: Report) -> (Report, crate::redact::Clean) {
    let clean = crate::redact::seal_noting(&mut report);
    (report, clean)
}

/// Adds the findings of the redirect target's report (those not already present) when the
/// target carries a warning or an error — `/authorize` sending `error=access_denied` back to
/// the app — raising the report's severity.
pub fn with_redirect_target(mut report: Report, target: &Report) -> Report {
    if target.severity < Severity::Warning {
        return report;
    }
    let added: Vec<_> = target
        .findings
        .iter()
        .filter(|f| !report.has(&f.id))
        .cloned()
        .collect();
    if added.is_empty() {
        return report;
    }
    report.severity = report.severity.max(target.severity);
    report.findings.extend(added);
    report
}

impl Session {
    /// A session from its stored values (`null` or anything unreadable starts that part
    /// afresh; unreadable reports are skipped). Also reads what the previous version stored.
    /// Read by hand (digest/stored.rs), not by serde's derived deserialisers: they were the
    /// service worker's largest code.
    pub fn restore(digest: &Value, timeline: &Value, reports: &Value) -> Session {
        let kept = crate::digest::stored::reports(reports, MAX_REPORTS);
        Session {
            digest: Digest::restored(digest),
            timeline: timeline::parse(timeline).unwrap_or_default(),
            reports: kept,
            ..Session::default()
        }
    }

    /// The values to store for a tab.
    pub fn snapshot(&self) -> Snapshot<'_> {
        Snapshot {
            digest: &self.digest,
            timeline: &self.timeline,
            reports: &self.reports,
        }
    }

    /// Every entry seen: Okta exchanges folded in plus the others counted.
    pub fn entries(&self) -> u64 {
        self.digest.exchanges.saturating_add(self.others)
    }

    /// Counts an entry that is not Okta traffic.
    pub fn count_other(&mut self) {
        self.others = self.others.saturating_add(1);
    }

    /// Folds one exchange observed at `at` (epoch ms; not finite: the latest time the digest
    /// knows): its analysis (sealed), with the findings of `redirect_url` when the exchange was
    /// a redirect, into the digest and the reports; the exchange into the timeline. Commands
    /// may name the `trusted` hosts besides Okta's.
    pub fn fold(&mut self, exchange: &Exchange, at: f64, redirect_url: Option<&str>) -> Folded {
        let clean = &mut crate::redact::Clean::default();
        self.fold_knowing(Cow::Borrowed(exchange), at, redirect_url, clean)
    }

    /// [`Session::fold`] of an exchange handed over: read without copying its strings.
    pub fn fold_owned(&mut self, exchange: Exchange, at: f64, redirect: Option<&str>) -> Folded {
        let clean = &mut crate::redact::Clean::default();
        self.fold_knowing(Cow::Owned(exchange), at, redirect, clean)
    }

    /// [`Session::fold`], knowing the URLs `clean` found plainly clean before (the live tabs'
    /// earlier exchanges: a storm repeats its URLs), and noting the ones this exchange's
    /// analysis and seal find.
    pub fn fold_knowing(
        &mut self,
        exchange: Cow<'_, Exchange>,
        at: f64,
        redirect_url: Option<&str>,
        clean: &mut crate::redact::Clean,
    ) -> Folded {
        self.fold_then(exchange, at, redirect_url, clean, |_, _, _| ())
            .0
    }

    /// [`Session::fold`], answering the exchange's table row and its full report (as data, as
    /// kept): what the DevTools panel shows for it once worded; the live listener needs neither.
    pub fn fold_row(
        &mut self,
        exchange: &Exchange,
        at: f64,
        redirect_url: Option<&str>,
    ) -> (Row, Report) {
        let then = |s: &Session, report: &Report, bucket: Option<usize>| {
            (s.row(report, bucket), report.clone())
        };
        let clean = &mut crate::redact::Clean::default();
        self.fold_then(Cow::Borrowed(exchange), at, redirect_url, clean, then)
            .1
    }

    fn fold_then<R>(
        &mut self,
        exchange: Cow<'_, Exchange>,
        at: f64,
        redirect_url: Option<&str>,
        clean: &mut crate::redact::Clean,
        then: impl FnOnce(&Session, &Report, Option<usize>) -> R,
    ) -> (Folded, R) {
        // Read once: the timeline and the report both read this value.
        let mut seen = match exchange {
            Cow::Borrowed(ex) => crate::exchange::Seen::from_exchange(ex, None),
            Cow::Owned(ex) => crate::exchange::Seen::from_owned(ex, None),
        };
        let app = !seen.is_okta();
        clock::observe(&mut self.digest.clock, &seen);
        let bucket = self.timeline.add_seen_on(&seen, self.digest.clock.offset());
        if let Some(t) = seen.observed_at {
            self.span = Some(self.span.map_or((t, t), |(f, l)| (f.min(t), l.max(t))));
        }
        let mut report = crate::http::analyze_noting(&mut seen, clean);
        clock::correct(&self.digest.clock, &seen, &mut report);
        crate::flow::fold(&mut self.digest.flows, &seen, redirect_url, at, &mut report);
        *clean = crate::redact::seal_with(&mut report, std::mem::take(clean));
        let kept = self.keep(report, clean, at, redirect_url, bucket, then);
        // The app's request read for the sign-in (the SAML Response posted to its ACS) is
        // counted as the app's, not as a request to Okta.
        if app {
            self.digest.count_app();
        }
        kept
    }

    /// Folds a request that is not Okta's but the app's callback (`code`+`state`, or an
    /// `error`, in its URL) into the flows; answers whether it was one. A callback carrying
    /// an error or breaking the flow joins the digest like Okta's error redirect (the OAuth
    /// error read at the callback); one already folded from Okta's redirect is not counted twice.
    pub fn fold_callback(&mut self, exchange: &Exchange) -> bool {
        let Some(url) = exchange.url.as_deref() else {
            return false;
        };
        let Some(cb) = crate::flow::read::callback(url) else {
            return false;
        };
        let at = exchange
            .observed_at
            .filter(|t| t.is_finite())
            .unwrap_or(0.0);
        let Some(found) = self.digest.flows.callback(&cb, None, at) else {
            return false;
        };
        if cb.error.is_none() && found.is_empty() {
            return false;
        }
        let now = (at / 1000.0).floor() as i64;
        let mut report = match cb.error {
            Some(_) => crate::input::analyze(url, now, &|_| None),
            None => Report::new(crate::report::Kind::RedirectUrl, "", Vec::new()),
        };
        for f in &mut report.findings {
            if f.id.starts_with("oauth_error.") {
                f.params.set("source", "callback");
            }
        }
        crate::flow::add(&mut report, found);
        self.digest.add(&analysed(report), at);
        // The app's callback, not a request to Okta.
        self.digest.count_app();
        true
    }

    /// Folds an exchange the caller could not even read (`reason`): the core's
    /// malformed-exchange report reaches the digest; the timeline has nothing to count.
    pub fn fold_unreadable(&mut self, reason: &str, at: f64, redirect_url: Option<&str>) -> Folded {
        let (report, clean) = analysed_noting(crate::http::malformed_exchange(reason));
        self.keep(report, &clean, at, redirect_url, None, |_, _, _| ())
            .0
    }

    fn keep<R>(
        &mut self,
        mut report: Report,
        clean: &crate::redact::Clean,
        at: f64,
        redirect_url: Option<&str>,
        bucket: Option<usize>,
        then: impl FnOnce(&Session, &Report, Option<usize>) -> R,
    ) -> (Folded, R) {
        // Replaced only for a redirect: a `match` answering the report moved it (~1 KB in
        // wasm, a `memory.copy`) on every fold.
        if let Some(url) = redirect_url {
            // `at` is epoch ms; a target's tokens are judged at that second.
            let now = if at.is_finite() {
                (at / 1000.0).floor() as i64
            } else {
                0
            };
            let target = analysed(crate::input::analyze_redirect_target(url, now));
            report = with_redirect_target(report, &target);
        }
        self.digest.add_sealed(&report, at, clean);
        let answer = then(self, &report, bucket);
        let folded = Folded {
            severity: report.severity,
            findings: report.findings.len(),
            kept: report.severity >= Severity::Warning,
        };
        if folded.kept {
            self.reports.push_back(report);
            if self.reports.len() > MAX_REPORTS {
                self.reports.pop_front();
            }
        }
        (folded, answer)
    }

    /// The row of the exchange just added to the digest (its newest request reference), from
    /// its report as data: the headline is written when the row is shown ([`show_added`]).
    fn row(&self, report: &Report, bucket: Option<usize>) -> Row {
        let bucket = bucket.and_then(|i| {
            let b = self.timeline.buckets.get(i)?;
            Some(RowBucket {
                key: b.key.clone(),
                name: b.name.clone(),
                host: b.host.clone(),
            })
        });
        let request = self.digest.requests.back();
        let observed_at = request.map_or(0.0, |r| r.observed_at);
        let token = report
            .token
            .as_ref()
            .and_then(Kept::built)
            .and_then(|view| {
                Some(RowToken {
                    key: view.key()?,
                    expires_in: view.expires_in(observed_at),
                    view: Kept::Built(view.clone()),
                })
            });
        let ids = |quiet: bool| {
            let f = report.findings.iter();
            f.filter(|f| (f.severity < Severity::Warning) == quiet)
                .map(|f| f.id.to_string())
                .collect()
        };
        Row {
            observed_at,
            method: request.and_then(|r| r.method.clone()),
            url: request.and_then(|r| r.url.clone()),
            status_code: request.and_then(|r| r.status_code),
            request_id: request.and_then(|r| r.request_id.clone()),
            severity: report.severity,
            headline: None,
            finding_ids: report.findings.iter().map(|f| f.id.to_string()).collect(),
            problem_ids: ids(false),
            quiet_ids: ids(true),
            folded_ids: report.folded_ids(),
            bucket,
            token,
        }
    }

    /// The toolbar badge at `now_ms` (the caller's clock): requests with an error counted, the worst
    /// severity among the finding groups and the rate-limit buckets (whose windows may have
    /// ended since), and a mark when a bucket is at or past `low_threshold_percent` usage.
    /// The timeline is read as far as the badge needs (`timeline::headline`), not worded.
    pub fn badge(&self, now_ms: i64, low_threshold_percent: u8) -> Badge {
        let top = timeline::headline(&self.timeline, now_ms, low_threshold_percent);
        self.badge_with(top.severity, top.low_title.as_deref())
    }

    /// The badge of the popup's view (`view`), read from its worded buckets.
    fn badge_of(&self, view: &timeline::View) -> Badge {
        let low = view
            .buckets
            .iter()
            .find(|b| b.severity >= Severity::Warning);
        let buckets = view.buckets.iter().map(|b| b.severity).max();
        self.badge_with(buckets.unwrap_or_default(), low.map(|b| b.title.as_str()))
    }

    /// The badge from the buckets' worst severity and the low bucket's title, if one is low.
    fn badge_with(&self, buckets: Severity, low: Option<&str>) -> Badge {
        let count = self.error_count();
        let severity = self.digest.worst().max(buckets);
        let mut text = match count {
            0 => String::new(),
            n if n > MAX_BADGE_COUNT => format!("{MAX_BADGE_COUNT}+"),
            n => n.to_string(),
        };
        let mut title = String::from("Okta Medic");
        if count > 0 {
            let s = if count == 1 { "" } else { "s" };
            title.push_str(&format!(
                " — {count} request{s} failed with an error on this tab"
            ));
        }
        if let Some(low) = low {
            text.push_str(LOW_MARK);
            title.push_str(" — ");
            title.push_str(low);
        }
        Badge {
            count,
            severity,
            low: low.is_some(),
            text,
            title,
        }
    }

    /// Requests whose cause is an error: each failed request once, not each finding.
    fn error_count(&self) -> u64 {
        self.digest.error_requests()
    }

    /// The session as the popup shows a tab at `now_ms`: everything it lists, already sorted
    /// and split by severity; its groups' findings as data (`explain::show_groups` words them).
    pub fn view(&self, now_ms: i64, low_threshold_percent: u8) -> View {
        let rate_limits =
            timeline::view_with_threshold(&self.timeline, now_ms, low_threshold_percent);
        let badge = self.badge_of(&rate_limits);
        let d = &self.digest;
        let plural = |n: u64| if n == 1 { "" } else { "s" };
        // Requests, then those of them with a warning or an error (a request with an error
        // is always one of them), then the badge's count: the requests whose cause is an error.
        let okta = d.okta_requests();
        let summary = format!(
            "{} request{} to Okta{} · {} with findings · {} with an error",
            okta,
            plural(okta),
            d.app_phrase(),
            d.with_findings,
            badge.count,
        );
        // Live findings are judged at the caller's now: a rate-limit wait over since is said so.
        let now = now_ms.div_euclid(1000);
        let (problems, quiet) = d
            .groups
            .iter()
            .cloned()
            .map(|mut g| {
                crate::rate_limit::judge_live(&mut g.finding, now);
                g
            })
            .partition(|g| g.severity >= Severity::Warning);
        let with_findings = d
            .requests
            .iter()
            .rev()
            .filter(|r| r.severity >= Severity::Warning)
            .cloned()
            .collect();
        View {
            badge,
            summary,
            problems,
            quiet,
            with_findings,
            rate_limits,
            flows: crate::report::flow::view(&d.flows.flows),
        }
    }
}

mod clock;

#[cfg(test)]
mod badge_tests;
#[cfg(test)]
mod moved_tests;
#[cfg(test)]
mod tests;
