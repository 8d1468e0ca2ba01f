//! A browser tab's live capture kept in memory while the extension's worker runs: each tab is
//! a [`Session`] (session.rs, the one fold the HAR analyser and the DevTools panel use too),
//! folded one observed exchange at a time, so each exchange costs one analysis and one
//! in-place fold instead of the whole tab state crossing the wasm boundary.
//!
//! The extension's `storage.session` stays the truth: a tab is [`Tab::restore`]d from what was
//! stored when it is not resident (a restarted worker, or an upgrade: the stored shape is the
//! one the previous version wrote), and its [`Tab::snapshot`] is what gets stored. Bounded: at
//! most [`MAX_REPORTS`] reports per tab and [`MAX_TABS`] resident tabs (the least recently used
//! is dropped; the extension keeps fewer tabs than that and forgets the ones it drops).

use std::{borrow::Cow, collections::HashMap};

use serde_json::Value;

use crate::http::Exchange;
use crate::session::Session;
pub use crate::session::{with_redirect_target, Folded, Snapshot, MAX_REPORTS};

/// Tabs resident at once; above the extension's own bound (30 stored tabs).
pub const MAX_TABS: usize = 64;

/// One tab's live-capture state.
pub type Tab = Session;

impl Session {
    /// Folds one observed exchange (at its `observedAt`), with the findings of `redirect_url`
    /// when the exchange was a redirect: findings as data, no words.
    pub fn fold_live(&mut self, exchange: &Exchange, redirect_url: Option<&str>) -> Folded {
        let at = exchange.observed_at.unwrap_or(f64::NAN);
        self.fold(exchange, at, redirect_url)
    }
}

/// Refresh-token uses remembered across tabs (by digest): what `flow.refresh_token_reused`
/// compares a tab's refresh with when the first use was another tab's.
const MAX_CROSS_TAB_REFRESHES: usize = 64;

/// The resident tabs by tab id, least recently used dropped past [`MAX_TABS`], and the
/// refresh tokens (digests) they sent, newest last.
#[derive(Debug, Default)]
pub struct Tabs {
    tabs: HashMap<i64, (u64, Tab)>,
    clock: u64,
    refreshes: Vec<(i64, crate::digest::flows::RefreshUse)>,
    /// The URLs found plainly clean by earlier folds (bounded: `redact::Clean`): a storm's
    /// request URL and origin are checked once, not on every exchange (docs/performance-log.md,
    /// "liveFold, seventh pass"). Plainly clean URLs hold no secret.
    clean: crate::redact::Clean,
}

impl Tabs {
    /// Folds one observed exchange into tab `id` (see [`Session::fold_live`]), telling its flow
    /// fold when another tab already sent the same refresh token: two tabs refreshing with one
    /// rotated token is the race Okta's reuse detection punishes (flows.md §6.3).
    pub fn fold(&mut self, id: i64, exchange: &Exchange, redirect_url: Option<&str>) -> Folded {
        self.fold_in(id, Cow::Borrowed(exchange), redirect_url)
    }

    /// [`Tabs::fold`] of an exchange handed over (the wasm boundary's): its strings are moved
    /// into the fold's reading, not copied.
    pub fn fold_owned(&mut self, id: i64, exchange: Exchange, redirect: Option<&str>) -> Folded {
        self.fold_in(id, Cow::Owned(exchange), redirect)
    }

    fn fold_in(
        &mut self,
        id: i64,
        exchange: Cow<'_, Exchange>,
        redirect_url: Option<&str>,
    ) -> Folded {
        let refresh = crate::exchange::flow::refresh_of(&exchange);
        let elsewhere = refresh.as_ref().and_then(|digest| {
            let found = self.refreshes.iter().rev();
            let mut found = found.filter(|(tab, u)| *tab != id && &u.refresh == digest);
            found.next().map(|(_, u)| u.clone())
        });
        let foreign = self.begun_elsewhere(id, &exchange, redirect_url);
        let (observed_at, status) = (exchange.observed_at, exchange.status_code);
        let mut clean = std::mem::take(&mut self.clean);
        let tab = self.tab(id);
        tab.digest.flows.elsewhere = elsewhere;
        tab.digest.flows.foreign = foreign;
        let at = observed_at.unwrap_or(f64::NAN);
        let folded = tab.fold_knowing(exchange, at, redirect_url, &mut clean);
        tab.digest.flows.elsewhere = None;
        tab.digest.flows.foreign = None;
        self.clean = clean;
        if let Some(digest) = refresh {
            self.refreshes.push((
                id,
                crate::digest::flows::RefreshUse {
                    refresh: digest,
                    at: observed_at.filter(|t| t.is_finite()).unwrap_or(0.0),
                    status,
                },
            ));
            if self.refreshes.len() > MAX_CROSS_TAB_REFRESHES {
                self.refreshes.remove(0);
            }
        }
        folded
    }

    /// The `/authorize` of another resident tab whose state the exchange delivers to a
    /// callback (in the browser's redirect target, its `Location`, or its own URL): a sign-in
    /// begun in that tab and finished in tab `id` (an email link opened in a new tab).
    /// Only exchanges that carry a callback are looked at.
    fn begun_elsewhere(
        &self,
        id: i64,
        exchange: &Exchange,
        redirect_url: Option<&str>,
    ) -> Option<crate::digest::flows::Pending> {
        let location = exchange
            .status_code
            .filter(|s| (300..400).contains(s))
            .and_then(|_| {
                let mut h = exchange.response_headers.iter();
                h.find(|h| h.name.eq_ignore_ascii_case("location"))
            })
            .and_then(|h| h.value);
        let urls = [redirect_url, location, exchange.url.as_deref()];
        let state = urls
            .into_iter()
            .flatten()
            .filter_map(crate::exchange::flow::callback)
            .find_map(|cb| cb.state)?;
        self.tabs
            .iter()
            .filter(|(tab, _)| **tab != id)
            .flat_map(|(_, (_, tab))| tab.digest.flows.pending.iter())
            .find(|p| p.state.as_ref() == Some(&state))
            .cloned()
    }

    pub fn has(&self, id: i64) -> bool {
        self.tabs.contains_key(&id)
    }

    pub fn len(&self) -> usize {
        self.tabs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tabs.is_empty()
    }

    /// Makes `tab` the resident state of `id` (replacing any).
    pub fn insert(&mut self, id: i64, tab: Tab) {
        self.clock = self.clock.saturating_add(1);
        if !self.tabs.contains_key(&id) && self.tabs.len() >= MAX_TABS {
            let oldest = self.tabs.iter().min_by_key(|(_, (used, _))| *used);
            if let Some(&oldest) = oldest.map(|(id, _)| id) {
                self.tabs.remove(&oldest);
            }
        }
        self.tabs.insert(id, (self.clock, tab));
    }

    /// The resident tab `id`, a fresh one when it is not resident; marked as just used.
    pub fn tab(&mut self, id: i64) -> &mut Tab {
        if !self.tabs.contains_key(&id) {
            self.insert(id, Tab::default());
        }
        self.clock = self.clock.saturating_add(1);
        let entry = self.tabs.entry(id).or_default();
        entry.0 = self.clock;
        &mut entry.1
    }

    pub fn get(&self, id: i64) -> Option<&Tab> {
        self.tabs.get(&id).map(|(_, tab)| tab)
    }

    pub fn forget(&mut self, id: i64) {
        self.tabs.remove(&id);
    }

    /// What these tabs remember that no tab's [`Tab::snapshot`] holds and later folds read:
    /// the refresh tokens each tab sent (digests, times, statuses; no secret), as
    /// `{"refreshes": [{"tab", "refresh", "at", "status"}, …]}` oldest first. With the
    /// snapshots it moves the tabs to another module (the service worker hands a tab whose
    /// exchange mentions SAML to the full module: src/wasm/live.rs). The URLs found clean
    /// (`clean`) are a cache: not moved.
    pub fn cross_tab(&self) -> Value {
        let refreshes = self.refreshes.iter().map(|(tab, u)| {
            let mut m = serde_json::Map::new();
            m.insert("tab".into(), (*tab).into());
            m.insert("refresh".into(), u.refresh.as_str().into());
            m.insert("at".into(), u.at.into());
            m.insert("status".into(), u.status.into());
            Value::Object(m)
        });
        let mut m = serde_json::Map::new();
        m.insert("refreshes".into(), Value::Array(refreshes.collect()));
        Value::Object(m)
    }

    /// Replaces the cross-tab memory with [`Tabs::cross_tab`]'s `value`; an entry that does not
    /// read as one is skipped, a value without the list leaves the memory as it was.
    pub fn restore_cross_tab(&mut self, value: &Value) {
        let Some(list) = value.get("refreshes").and_then(Value::as_array) else {
            return;
        };
        let read = |v: &Value| {
            let tab = v.get("tab")?.as_i64()?;
            let refresh = v.get("refresh")?.as_str()?.to_string();
            let at = v.get("at")?.as_f64().filter(|t| t.is_finite())?;
            let status = match v.get("status") {
                None | Some(Value::Null) => None,
                Some(s) => Some(u16::try_from(s.as_u64()?).ok()?),
            };
            let u = crate::digest::flows::RefreshUse {
                refresh,
                at,
                status,
            };
            Some((tab, u))
        };
        let mut refreshes: Vec<_> = list.iter().filter_map(read).collect();
        let over = refreshes.len().saturating_sub(MAX_CROSS_TAB_REFRESHES);
        refreshes.drain(..over);
        self.refreshes = refreshes;
    }
}

#[cfg(test)]
#[path = "live/tests/moving.rs"]
mod moving_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        digest::Digest,
        http::Header,
        report::{Report, Severity},
        timeline,
    };
    use serde_json::Value;

    const T0: f64 = 1_750_000_000_000.0;
    const E11: &str = r#"{"errorCode":"E0000011","errorSummary":"Invalid token provided","errorLink":"E0000011","errorId":"oaeY-4G_TBUTBSZAn9n7oZCfw","errorCauses":[]}"#;
    const E47: &str = r#"{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests.","errorLink":"E0000047","errorId":"oaetdtoG383SIGVNZ0UKgtRug","errorCauses":[]}"#;
    const SSWS: &str = "00Qm3ZcvH4r8tLx2wYb7NfPq9sDkJ1aVeUoT6hGiRc";

    fn headers(pairs: &[(&str, String)]) -> Vec<Header> {
        pairs
            .iter()
            .map(|(n, v)| Header {
                name: (*n).into(),
                value: Some(v.clone()),
            })
            .collect()
    }

    /// The storm's two answers (tests/mock-okta/scenarios.mjs), alternating, and an /authorize
    /// redirect every 7th exchange.
    fn exchange(i: u32) -> (Exchange, Option<String>) {
        let at = T0 + f64::from(i) * 3.0;
        let reset = (at / 1000.0) as i64 + 30;
        let id = format!("req{i}");
        if i % 7 == 6 {
            let ex = Exchange {
                observed_at: Some(at),
                method: Some("GET".into()),
                url: Some(
                    "https://dev-1.okta.com/oauth2/default/v1/authorize?client_id=x&state=s3cr3t"
                        .into(),
                ),
                status_code: Some(302),
                ..Exchange::default()
            };
            let target = "http://localhost:8080/cb?state=s3cr3t&error=access_denied&error_description=User+is+not+assigned+to+the+client+application.";
            return (ex, Some(target.into()));
        }
        let (status, path, body, remaining) = if i.is_multiple_of(2) {
            (429, "/api/v1/users", E47, "0")
        } else {
            (401, "/api/v1/users/me", E11, "597")
        };
        let ex = Exchange {
            observed_at: Some(at),
            method: Some("GET".into()),
            url: Some(format!("https://dev-1.okta.com{path}")),
            status_code: Some(status),
            request_headers: headers(&[("Authorization", format!("SSWS {SSWS}"))]).into(),
            response_headers: headers(&[
                ("X-Okta-Request-Id", id),
                ("X-Rate-Limit-Limit", "600".into()),
                ("X-Rate-Limit-Remaining", remaining.into()),
                ("X-Rate-Limit-Reset", reset.to_string()),
            ])
            .into(),
            body: Some(body.into()),
            body_source: None,
            ..Exchange::default()
        };
        (ex, None)
    }

    /// What the extension did before this module: analyse, merge the redirect target, then
    /// fold the report into a digest and the exchange into a timeline, the digest and the
    /// timeline round-tripped through JSON as the `digestAdd` and `timelineFold` exports did
    /// (removed since). The report is folded as built: the digest reads the token view the
    /// core built, and a report read back keeps its views as the JSON they were.
    fn fold_old(
        digest: Value,
        timeline: Value,
        reports: &mut Vec<Value>,
        ex: &Exchange,
        redirect: Option<&str>,
    ) -> (Value, Value) {
        let at = ex.observed_at.unwrap_or(f64::NAN);
        // The earlier path's analyses, as data (the fold writes no words either).
        let as_data = |mut r: Report| {
            crate::redact::seal(&mut r);
            r
        };
        let seen = crate::exchange::Seen::from_exchange(ex, None);
        let mut report = as_data(crate::http::analyze(seen));
        if let Some(url) = redirect {
            let now = (at / 1000.0) as i64;
            let target = as_data(crate::input::analyze(url, now, &|_| None));
            report = with_redirect_target(report, &target);
        }
        let mut d: Digest = serde_json::from_value(digest).unwrap_or_default();
        d.add(&report, at);
        let t = timeline::fold(timeline::parse(&timeline).unwrap_or_default(), ex);
        if report.severity >= Severity::Warning {
            reports.push(serde_json::to_value(&report).unwrap());
            if reports.len() > MAX_REPORTS {
                reports.remove(0);
            }
        }
        (
            serde_json::to_value(&d).unwrap(),
            serde_json::to_value(&t).unwrap(),
        )
    }

    fn snapshot_value(tab: &Tab) -> Value {
        serde_json::to_value(tab.snapshot()).unwrap()
    }

    #[test]
    fn folding_gives_what_digest_add_and_timeline_fold_gave_with_a_restore_midway() {
        let (mut digest, mut timeline, mut reports) = (Value::Null, Value::Null, Vec::new());
        let mut tab = Tab::default();
        for i in 0..400 {
            let (ex, redirect) = exchange(i);
            (digest, timeline) = fold_old(digest, timeline, &mut reports, &ex, redirect.as_deref());
            tab.fold_live(&ex, redirect.as_deref());
            if i == 150 {
                // A restarted worker: the tab comes back from what was stored.
                let stored = snapshot_value(&tab);
                tab = Tab::restore(&stored["digest"], &stored["timeline"], &stored["reports"]);
            }
        }
        let want =
            serde_json::json!({ "digest": digest, "timeline": timeline, "reports": reports });
        // The flow state (the /authorize redirects' flows) is what the earlier path lacked.
        let mut got = snapshot_value(&tab);
        let flows = got["digest"].as_object_mut().unwrap().remove("flows");
        assert!(flows.is_some_and(|f| f["flows"].as_array().is_some_and(|a| !a.is_empty())));
        assert_eq!(got, want);
        assert_eq!(tab.digest.exchanges, 400);
        assert_eq!(tab.reports.len(), MAX_REPORTS);
        let text = serde_json::to_string(&tab.snapshot()).unwrap();
        assert!(!text.contains(&SSWS[8..30]), "the SSWS token is masked");
        assert!(!text.contains("s3cr3t"), "the redirect's state is sealed");
    }

    #[test]
    fn a_redirect_target_with_an_error_adds_its_findings_once() {
        let mut tab = Tab::default();
        let (ex, redirect) = exchange(6);
        let folded = tab.fold_live(&ex, redirect.as_deref());
        assert_eq!(folded.severity, Severity::Error);
        assert!(folded.kept);
        let report = tab.reports.back().unwrap();
        let found = report
            .findings
            .iter()
            .filter(|f| f.id == "oauth_error.access_denied")
            .collect::<Vec<_>>();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].okta_cause.as_deref(), Some("user_not_assigned"));
        let again = with_redirect_target(report.clone(), report);
        assert_eq!(&again, report, "no duplicate");
        // A target that is fine (info or less) adds nothing.
        let plain = crate::analyze_exchange(&ex);
        let ok = crate::analyze_text("http://localhost:8080/cb?code=x", 0);
        assert!(ok.severity < Severity::Warning, "{:?}", ok.severity);
        assert_eq!(with_redirect_target(plain.clone(), &ok), plain);
    }

    #[test]
    fn restore_and_snapshot_round_trip_and_unreadable_parts_start_afresh() {
        let mut tab = Tab::default();
        for i in 0..30 {
            let (ex, redirect) = exchange(i);
            tab.fold_live(&ex, redirect.as_deref());
        }
        let stored = snapshot_value(&tab);
        let back = Tab::restore(&stored["digest"], &stored["timeline"], &stored["reports"]);
        assert_eq!(snapshot_value(&back), stored);
        assert_eq!(back.reports, tab.reports);
        let cases = [
            (Value::Null, Value::Null, Value::Null),
            (
                serde_json::json!("x"),
                serde_json::json!({"version": 0}),
                serde_json::json!({}),
            ),
            (
                serde_json::json!(true),
                serde_json::json!(7),
                serde_json::json!([1, "x", {"severity": "error"}]),
            ),
        ];
        for (d, t, r) in cases {
            assert_eq!(Tab::restore(&d, &t, &r), Tab::default());
        }
        let mut many = stored["reports"].as_array().unwrap().clone();
        many.extend(many.clone());
        let back = Tab::restore(&stored["digest"], &stored["timeline"], &Value::Array(many));
        assert_eq!(back.reports.len(), MAX_REPORTS);
        assert_eq!(back.reports, tab.reports, "the newest kept");
    }

    #[test]
    fn an_unreadable_exchange_reaches_the_digest_not_the_timeline() {
        let mut tab = Tab::default();
        let folded = tab.fold_unreadable("invalid type: string \"x\", expected u16", T0, None);
        assert_eq!(folded.severity, Severity::Warning);
        assert_eq!(tab.digest.exchanges, 1);
        assert_eq!(tab.timeline.exchanges, 0);
        assert!(tab
            .digest
            .groups
            .iter()
            .any(|g| g.id == "exchange.malformed"));
    }

    #[test]
    fn resident_tabs_are_bounded_least_recently_used_first() {
        let mut tabs = Tabs::default();
        let (ex, _) = exchange(1);
        for id in 0..MAX_TABS as i64 {
            tabs.tab(id).fold_live(&ex, None);
        }
        assert_eq!(tabs.len(), MAX_TABS);
        tabs.tab(0).fold_live(&ex, None); // 0 is used again: 1 is now the oldest
        tabs.tab(1000).fold_live(&ex, None);
        assert_eq!(tabs.len(), MAX_TABS);
        assert!(tabs.has(0) && tabs.has(1000) && !tabs.has(1));
        assert_eq!(tabs.get(0).map(|t| t.digest.exchanges), Some(2));
        tabs.insert(2000, Tab::default());
        assert!(!tabs.has(2), "a restore also makes room");
        tabs.forget(0);
        assert!(!tabs.has(0));
        assert_eq!(tabs.len(), MAX_TABS - 1);
        tabs.insert(3, Tab::default());
        assert_eq!(tabs.get(3), Some(&Tab::default()), "a restore replaces");
        assert!(!tabs.is_empty());
    }
}
