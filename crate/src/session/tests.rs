use serde_json::{json, Value};

use super::*;
use crate::http::Header;
use crate::Trusted;

const T0: f64 = 1_765_000_000_000.0;
const E11: &str = r#"{"errorCode":"E0000011","errorSummary":"Invalid token provided"}"#;
const E47: &str = r#"{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests."}"#;
/// What the previous version stored for a tab (tests/stored/README.md).
const STORED_V1: &str = include_str!("../../../tests/stored/tab-state-v1.json");

fn headers(pairs: &[(&str, &str)]) -> Vec<Header> {
    pairs
        .iter()
        .map(|(n, v)| Header {
            name: (*n).into(),
            value: Some((*v).into()),
        })
        .collect()
}

fn exchange(i: u32, status: u16, path: &str, body: &str, remaining: &str) -> Exchange {
    let at = T0 + f64::from(i) * 1000.0;
    let reset = ((at / 1000.0) as i64 + 40).to_string();
    Exchange {
        observed_at: Some(at),
        method: Some("GET".into()),
        url: Some(format!("https://dev-1.okta.com{path}")),
        status_code: Some(status),
        request_headers: headers(&[(
            "Authorization",
            "SSWS 00Qm3ZcvH4r8tLx2wYb7NfPq9sDkJ1aVeUoT6hGiRc",
        )])
        .into(),
        response_headers: headers(&[
            ("X-Okta-Request-Id", &format!("req{i}")),
            ("X-Rate-Limit-Limit", "600"),
            ("X-Rate-Limit-Remaining", remaining),
            ("X-Rate-Limit-Reset", &reset),
        ])
        .into(),
        body: Some(body.into()),
        body_source: None,
        ..Exchange::default()
    }
}

/// The exchange as a HAR entry (what a browser exports for it).
fn entry(ex: &Exchange) -> Value {
    let pairs = |hs: &[Header]| -> Value {
        hs.iter()
            .map(|h| json!({"name": h.name, "value": h.value}))
            .collect()
    };
    let at = ex.observed_at.unwrap_or_default();
    json!({
        "startedDateTime": crate::timestamp::iso8601((at / 1000.0) as i64),
        "request": {"method": ex.method, "url": ex.url, "headers": pairs(&ex.request_headers.to_vec())},
        "response": {"status": ex.status_code, "headers": pairs(&ex.response_headers.to_vec()),
                     "content": {"text": ex.body}},
    })
}

fn storm() -> Vec<Exchange> {
    (0..40)
        .map(|i| match i % 3 {
            0 => exchange(i, 429, "/api/v1/users", E47, "0"),
            1 => exchange(i, 401, "/api/v1/users/me", E11, "597"),
            _ => exchange(i, 200, "/api/v1/users", "[]", "12"),
        })
        .collect()
}

/// A session part as JSON text, a recording's moment named as a live one's (the same instant).
fn as_live<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v)
        .unwrap()
        .replace(r#""moment":"request""#, r#""moment":"live""#)
}

#[test]
fn the_live_and_har_paths_fold_into_the_same_session() {
    let mut live = Session::default();
    let mut har = crate::har::Analysis::default();
    let mut rows = Vec::new();
    for ex in storm() {
        live.fold_live(&ex, None);
        rows.push(har.add_entry_row(&entry(&ex)));
        assert!(!har.add_entry(&json!({"request": {"url": "https://app.example/x.js"}})));
    }
    // The same, but for the moment the answers are judged at: a recording's request, where
    // the live listener has the moment the browser saw the response (the same instant here).
    let har_digest = serde_json::to_string(&har.session.digest).unwrap();
    assert!(har_digest.contains(r#""moment":"request""#), "{har_digest}");
    assert_eq!(as_live(&har.session.digest), as_live(&live.digest));
    assert_eq!(har.session.timeline, live.timeline);
    assert_eq!(as_live(&har.session.reports), as_live(&live.reports));
    assert_eq!((har.session.entries(), har.session.others), (80, 40));
    assert_eq!(
        rows.iter().flatten().count(),
        40,
        "every Okta entry has a row"
    );
    let report = har.report();
    let timeline = report.timeline.as_ref().and_then(Kept::built).unwrap();
    assert_eq!(timeline.okta_entries, Some(40));
    assert_eq!(timeline.entries, Some(80));
}

#[test]
fn a_row_is_what_the_digest_counted_with_its_bucket_and_token() {
    let mut s = Session::default();
    let ex = exchange(3, 429, "/api/v1/users?limit=2&after=x", E47, "0");
    let (row, report) = s.fold_row(&ex, T0, None);
    assert_eq!(report.severity, Severity::Error);
    assert_eq!(report, s.reports[0], "the report kept is the one answered");
    assert_eq!(row.observed_at, T0);
    assert_eq!(row.status_code, Some(429));
    assert_eq!(row.request_id.as_deref(), Some("req3"));
    assert_eq!(row.severity, Severity::Error);
    assert_eq!(row.url, s.digest.requests[0].url);
    assert_eq!(row.finding_ids, s.digest.requests[0].finding_ids);
    assert!(row.finding_ids.iter().any(|i| i == "rate_limit.exceeded"));
    // E0000047 is folded into the rate limit: no cause of its own, still found by its id.
    assert!(!row.finding_ids.iter().any(|i| i == "okta_error.E0000047"));
    assert_eq!(row.folded_ids, ["okta_error.E0000047"]);
    assert_eq!(row.folded_ids, s.digest.requests[0].folded_ids);
    let bucket = row.bucket.unwrap();
    assert_eq!(bucket.key, s.timeline.buckets[0].key);
    assert_eq!(
        (bucket.host.as_str(), bucket.name.as_str()),
        ("dev-1.okta.com", "/api/v1/users")
    );
    let token = row.token.unwrap();
    assert_eq!(token.key, s.digest.tokens[0].key);
    assert!(
        !token.key.contains("tLx2wYb7NfPq9sDkJ1"),
        "masked: {}",
        token.key
    );
    // Not a rate-limited endpoint and no headers: no bucket, and no token sent.
    let plain = Exchange {
        observed_at: Some(T0),
        url: Some("https://dev-1.okta.com/app/UserHome".into()),
        status_code: Some(200),
        ..Exchange::default()
    };
    let (row, _) = s.fold_row(&plain, T0, None);
    assert_eq!((row.bucket, row.token), (None, None));
}

#[test]
fn the_badge_counts_errors_ranks_severities_and_marks_a_low_bucket() {
    let empty = Session::default().badge(0, 90);
    assert_eq!(
        empty,
        Badge {
            count: 0,
            severity: Severity::Ok,
            low: false,
            text: String::new(),
            title: "Okta Medic".into(),
        }
    );
    let mut s = Session::default();
    s.fold_live(&exchange(0, 401, "/api/v1/users/me", E11, "597"), None);
    let one = s.badge(T0 as i64, 90);
    assert_eq!(
        (one.count, one.severity, one.low),
        (1, Severity::Error, false)
    );
    assert_eq!(one.text, "1");
    assert_eq!(
        one.title,
        "Okta Medic — 1 request failed with an error on this tab"
    );
    // A healthy call that leaves its bucket low: a warning, the mark, the bucket's words.
    let mut low = Session::default();
    low.fold_live(&exchange(0, 200, "/api/v1/users", "[]", "12"), None);
    let b = low.badge(T0 as i64 + 1000, 90);
    assert_eq!((b.count, b.severity, b.low), (0, Severity::Warning, true));
    assert_eq!(b.text, LOW_MARK);
    let view = timeline::view(&low.timeline, T0 as i64 + 1000);
    assert_eq!(b.title, format!("Okta Medic — {}", view.buckets[0].title));
    // Once the window is over the bucket is history: no mark.
    let later = low.badge(T0 as i64 + 120_000, 90);
    assert!(!later.low && later.text.is_empty(), "{later:?}");
    // The threshold is the caller's setting: above 100 never warns.
    assert!(!low.badge(T0 as i64 + 1000, 101).low);
    // Counts above 999 are capped in the text, exact in `count`.
    let mut many = Session::default();
    let ex = exchange(0, 401, "/api/v1/users/me", E11, "597");
    for _ in 0..1000 {
        many.fold_live(&ex, None);
    }
    let b = many.badge(T0 as i64, 90);
    assert_eq!((b.count, b.text.as_str()), (1000, "999+"));
    assert!(b.title.contains("1000 requests failed"), "{}", b.title);
}

#[test]
fn a_tab_stored_by_the_previous_version_is_read_back_and_continues() {
    let stored: Value = serde_json::from_str(STORED_V1).unwrap();
    let state = &stored["tab:7"];
    let mut tab = Session::restore(&state["digest"], &state["timeline"], &state["reports"]);
    assert_eq!(tab.digest.exchanges, 24);
    assert_eq!(tab.reports.len(), MAX_REPORTS);
    assert_eq!(tab.timeline.buckets.len(), 3);
    // Read back exactly: what is stored again is what was stored, plus the count it didn't
    // keep — its requests with a warning or an error (all 24 are kept, so it is exact).
    assert_eq!(tab.digest.with_findings, 18);
    let again = serde_json::to_value(tab.snapshot()).unwrap();
    let mut was = state["digest"].clone();
    was["withFindings"] = json!(18);
    assert_eq!(again["digest"], was);
    assert_eq!(again["timeline"], state["timeline"]);
    assert_eq!(again["reports"], state["reports"]);
    // The previous version counted error findings (6 × E0000011, 6 × E0000047 and 6 ×
    // rate_limit.exceeded: 18) and stored no request count: the badge counts the requests it
    // kept that failed with an error, 6 × 401 and 6 × 429.
    assert_eq!(tab.digest.errors, None);
    let badge = tab.badge(T0 as i64 + 23_000, 90);
    assert_eq!(badge.count, 12, "requests, not findings");
    assert_eq!(badge.severity, Severity::Error);
    assert!(badge.low && badge.text == "12↓", "{badge:?}");
    let before = tab
        .digest
        .groups
        .iter()
        .find(|g| g.id == "okta_error.E0000011")
        .map(|g| g.count);
    tab.fold_live(&exchange(30, 401, "/api/v1/users/me", E11, "589"), None);
    let after = tab
        .digest
        .groups
        .iter()
        .find(|g| g.id == "okta_error.E0000011")
        .map(|g| g.count);
    assert_eq!((before, after), (Some(6), Some(7)));
    assert_eq!(tab.digest.exchanges, 25);
    // From then on the digest counts the requests itself, and stores the count.
    assert_eq!(tab.digest.errors, Some(13));
    assert_eq!(tab.badge(T0 as i64 + 30_000, 90).count, 13);
    let stored = serde_json::to_value(tab.snapshot()).unwrap();
    assert_eq!(stored["digest"]["errors"], 13);
}

/// The badge counts failed requests, not findings: a 401 whose body says E0000011 and whose
/// bearer token had expired is two error findings and one request; a 429 whose body says
/// E0000047 is one cause (`rate_limit.exceeded`, E0000047 folded into it).
#[test]
fn the_badge_counts_failed_requests_not_findings() {
    let mut s = Session::default();
    let mut expired = exchange(0, 401, "/api/v1/users/me", E11, "597");
    expired.request_headers = headers(&[(
        "Authorization",
        "Bearer eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjF9.c2ln",
    )])
    .into();
    s.fold_live(&expired, None);
    s.fold_live(&exchange(1, 429, "/api/v1/users", E47, "0"), None);
    s.fold_live(&exchange(2, 200, "/api/v1/users", "[]", "500"), None);
    let error_findings: u64 = s
        .digest
        .groups
        .iter()
        .filter(|g| g.severity == Severity::Error)
        .map(|g| g.count)
        .sum();
    assert_eq!(error_findings, 3, "{:?}", s.digest.groups);
    assert!(s
        .digest
        .groups
        .iter()
        .all(|g| g.id != "okta_error.E0000047"));
    let rate = s
        .digest
        .groups
        .iter()
        .find(|g| g.id == "rate_limit.exceeded");
    assert_eq!(
        rate.map(|g| g.finding.folded.clone()),
        Some(vec!["okta_error.E0000047".to_string()])
    );
    let b = s.badge(T0 as i64 + 3000, 90);
    assert_eq!((b.count, b.text.as_str()), (2, "2"), "two failed requests");
    assert_eq!(s.digest.errors, Some(2));
}

#[test]
fn the_popup_view_splits_groups_and_requests_with_findings_by_severity() {
    let mut s = Session::default();
    for ex in storm().iter().take(6) {
        s.fold_live(ex, None);
    }
    let v = s.view(T0 as i64 + 6000, 90);
    assert_eq!(v.badge, s.badge(T0 as i64 + 6000, 90));
    // Four requests failed (2 × 429 E0000047, 2 × 401 E0000011): the count is of requests.
    assert_eq!(v.badge.count, 4);
    assert_eq!(
        v.summary,
        "6 requests to Okta · 6 with findings · 4 with an error"
    );
    assert!(v.problems.iter().all(|g| g.severity >= Severity::Warning));
    assert!(v.quiet.iter().all(|g| g.severity < Severity::Warning));
    assert_eq!(v.problems.len() + v.quiet.len(), s.digest.groups.len());
    assert!(v.quiet.iter().any(|g| g.id == "http.request_id"));
    let ids: Vec<_> = v
        .with_findings
        .iter()
        .filter_map(|r| r.request_id.as_deref())
        .collect();
    assert_eq!(
        ids,
        ["req5", "req4", "req3", "req2", "req1", "req0"],
        "newest first; a low bucket is a warning"
    );
    let one = Session::default().view(0, 90);
    assert_eq!(
        one.summary,
        "0 requests to Okta · 0 with findings · 0 with an error"
    );
}

#[test]
fn the_summary_counts_requests_with_findings_never_0_beside_an_error() {
    // One request, an error on it (a 401 with E0000011): one request, one with findings.
    let mut s = Session::default();
    s.fold_live(&exchange(0, 401, "/api/v1/users/me", E11, "597"), None);
    let v = s.view(T0 as i64, 90);
    assert_eq!(
        v.summary,
        "1 request to Okta · 1 with findings · 1 with an error"
    );
    // A 200 whose bucket runs low is a request with a (warning) finding; a healthy 200 and a
    // 302 are not, and aren't listed.
    s.fold_live(&exchange(1, 200, "/api/v1/users", "[]", "12"), None);
    s.fold_live(&exchange(2, 200, "/api/v1/groups", "[]", "590"), None);
    let redirect = Exchange {
        observed_at: Some(T0 + 3000.0),
        url: Some("https://dev-1.okta.com/oauth2/default/v1/authorize?client_id=x".into()),
        status_code: Some(302),
        ..Exchange::default()
    };
    s.fold_live(&redirect, None);
    let v = s.view(T0 as i64 + 3000, 90);
    assert_eq!(
        v.summary,
        "4 requests to Okta · 2 with findings · 1 with an error"
    );
    assert_eq!(s.digest.with_findings, 2);
    let listed: Vec<_> = v.with_findings.iter().map(|r| r.status_code).collect();
    assert_eq!(listed, [Some(200), Some(401)], "newest first, no 302");
    // The count stays exact when the listed requests are bounded.
    let mut many = Session::default();
    let ex = exchange(0, 401, "/api/v1/users/me", E11, "597");
    for _ in 0..crate::digest::MAX_REQUESTS + 5 {
        many.fold_live(&ex, None);
    }
    assert_eq!(
        many.digest.with_findings,
        crate::digest::MAX_REQUESTS as u64 + 5
    );
}

#[test]
fn a_digest_stored_without_the_count_estimates_it_from_what_it_kept() {
    let mut s = Session::default();
    let ex = exchange(0, 401, "/api/v1/users/me", E11, "597");
    for _ in 0..crate::digest::MAX_REQUESTS + 5 {
        s.fold_live(&ex, None);
    }
    let mut old = serde_json::to_value(&s.digest).unwrap();
    old.as_object_mut().unwrap().remove("withFindings");
    // Requests were dropped: at least the failed ones (here all of them).
    let back = Session::restore(&old, &Value::Null, &Value::Null);
    assert_eq!(back.digest.with_findings, s.digest.with_findings);
    // A stored 0 is a count, not a missing one.
    let mut zero = serde_json::to_value(&Session::default().digest).unwrap();
    zero["exchanges"] = json!(3);
    let back = Session::restore(&zero, &Value::Null, &Value::Null);
    assert_eq!(back.digest.with_findings, 0);
}

#[test]
fn a_row_leads_with_its_worst_finding_and_keeps_info_ids_apart() {
    let mut s = Session::default();
    let ex = exchange(3, 429, "/api/v1/users", E47, "0");
    let (row, report) = s.fold_row(&ex, T0, None);
    assert_eq!(row.headline, None, "the listener writes no words");
    // Shown (the ui module's sessionAddShown): worded, led by the worst finding's title.
    let mut added = Added { row, report };
    show_added(&mut added, &Trusted::default());
    let Added { row, report } = added;
    let worst = report
        .findings
        .iter()
        .find(|f| f.severity == Severity::Error)
        .unwrap();
    assert_eq!(row.headline.as_deref(), Some(worst.title.as_str()));
    assert!(!worst.title.is_empty(), "worded");
    assert!(row.problem_ids.iter().any(|i| i == "rate_limit.exceeded"));
    assert!(row.quiet_ids.iter().any(|i| i == "http.request_id"));
    let mut all = row.problem_ids.clone();
    all.extend(row.quiet_ids.clone());
    all.sort();
    let mut ids = row.finding_ids.clone();
    ids.sort();
    assert_eq!(all, ids, "every id is either a problem or quiet");
    for f in &report.findings {
        let quiet = row.quiet_ids.iter().any(|q| *q == *f.id);
        assert_eq!(quiet, f.severity < Severity::Warning, "{}", f.id);
    }
    // Only info findings: the headline is the first of them; no finding: no headline.
    let plain = Exchange {
        observed_at: Some(T0),
        url: Some("https://dev-1.okta.com/app/UserHome".into()),
        status_code: Some(200),
        ..Exchange::default()
    };
    let (row, report) = s.fold_row(&plain, T0, None);
    let mut added = Added { row, report };
    show_added(&mut added, &Trusted::default());
    let Added { row, report } = added;
    assert_eq!(
        row.headline,
        report.findings.first().map(|f| f.title.clone())
    );
    assert!(row.problem_ids.is_empty());
    let serialised = serde_json::to_value(&row).unwrap();
    assert_eq!(serialised.get("headline").is_some(), row.headline.is_some());
}

#[test]
fn the_fold_keeps_findings_as_data_and_the_view_words_them() {
    let mut s = Session::default();
    for ex in storm().iter().take(6) {
        s.fold_live(ex, None);
    }
    // What is stored and restored: worded or not, every finding keeps its id and severity,
    // and one written as data carries what its words need.
    let stored = serde_json::to_value(s.snapshot()).unwrap();
    let restored = Session::restore(&stored["digest"], &stored["timeline"], &stored["reports"]);
    assert_eq!(restored.digest, s.digest);
    let v = restored.view(T0 as i64 + 6000, 90);
    assert!(
        v.problems
            .iter()
            .chain(&v.quiet)
            .all(|g| !g.finding.is_worded()),
        "the view is data"
    );
    let mut shown = serde_json::to_value(&v).unwrap();
    crate::explain::show_groups(&mut shown, &Trusted::default());
    let groups: Vec<&Value> = ["problems", "quiet"]
        .iter()
        .flat_map(|k| shown[*k].as_array().unwrap())
        .collect();
    assert_eq!(groups.len(), s.digest.groups.len());
    for g in groups {
        let f = &g["finding"];
        assert!(
            !f["title"].as_str().unwrap().is_empty(),
            "{} is shown without words",
            g["id"]
        );
        assert!(f.get("params").is_none(), "{} shows its params", g["id"]);
    }
    // The stored digest itself is not rewritten by showing it.
    assert_eq!(restored.digest, s.digest);
}

/// A live tab shown later is judged at the caller's now (issue 15): a 429's wait that has run out
/// since the browser saw it is over — "window reset … ago — safe to retry" — and one still
/// running keeps its wait, told in the fix, never in the title.
#[test]
fn a_live_429_shown_later_is_judged_at_now() {
    let mut s = Session::default();
    // Seen at T0 + 3 s; X-Rate-Limit-Reset = that second + 40, no Date: a 41 s wait.
    s.fold_live(&exchange(3, 429, "/api/v1/users", E47, "0"), None);
    let seen = (T0 / 1000.0) as i64 + 3;
    let shown = |now: i64| {
        let mut f = s
            .view(now * 1000, 90)
            .problems
            .into_iter()
            .find(|g| g.id == "rate_limit.exceeded")
            .map(|g| g.finding)
            .unwrap();
        crate::explain::finding(&mut f);
        f
    };
    let soon = shown(seen + 10);
    assert_eq!(soon.title, "Rate limit exceeded");
    assert!(soon.fix[0].starts_with("Wait 41 s"), "{:?}", soon.fix);
    let later = shown(seen + 41 + 300);
    assert_eq!(
        later.title,
        "Rate limit exceeded: window reset 5 min ago — safe to retry"
    );
    assert!(
        later.fix[0].contains("(judged by this computer's clock)"),
        "{:?}",
        later.fix
    );
}

/// The seal checks each distinct URL once (`redact::Clean`): a URL held in many places of one
/// report comes out as sealing each place alone gives, clean ones as they were, dirty ones
/// redacted everywhere; and the digest keeps the request URL the seal found clean.
#[test]
fn the_seal_checks_each_url_once_and_answers_as_each_alone() {
    let clean_url = "https://dev-1.okta.com/api/v1/users?limit=200";
    let dirty_url = "https://dev-1.okta.com/welcome/XE6wE17zmphl3KqAPFxO?x=1";
    let mut report = crate::analyze_text("hello", 0);
    report.request = Some(crate::report::Request {
        url: Some(clean_url.into()),
        ..Default::default()
    });
    let mut f = crate::Finding::fact("http.error_status", Severity::Error);
    for url in [clean_url, dirty_url, clean_url, dirty_url] {
        f = f.evidence("header", "Location", url);
    }
    f.params.set("url", clean_url);
    f.params.set("target", dirty_url);
    f.params
        .set("urls", json!([dirty_url, clean_url, dirty_url]));
    report.findings.push(f.clone());
    let clean = crate::redact::seal_noting(&mut report);
    assert!(clean.knows(clean_url) && !clean.knows(dirty_url));
    // Each place alone: a finding holding one URL, sealed by itself.
    let alone = |url: &str| {
        let mut one = crate::Finding::fact("x", Severity::Info);
        one.params.set("url", url);
        crate::redact::seal_finding(&mut one);
        one.params.str("url").to_string()
    };
    let (clean_alone, dirty_alone) = (alone(clean_url), alone(dirty_url));
    assert_eq!(clean_alone, clean_url);
    assert_ne!(dirty_alone, dirty_url);
    let sealed = report.findings.last().cloned().unwrap_or(f);
    let values: Vec<_> = sealed.evidence.iter().map(|e| e.value.as_str()).collect();
    let want = [&clean_alone, &dirty_alone, &clean_alone, &dirty_alone];
    assert_eq!(values, want.map(String::as_str));
    assert_eq!(sealed.params.str("url"), clean_alone);
    assert_eq!(sealed.params.str("target"), dirty_alone);
    assert_eq!(
        sealed.params.texts("urls"),
        [&dirty_alone, &clean_alone, &dirty_alone].map(String::as_str)
    );
    let mut digest = Digest::default();
    digest.add_sealed(&report, T0, &clean);
    let kept = digest.requests.back().and_then(|r| r.url.as_deref());
    assert_eq!(kept, Some(clean_url));
}

/// The service worker hands its exchange over (`fold_owned`: strings moved into the reading,
/// not copied): the tab folds to the same state, answer for answer, as from a borrowed one.
#[test]
fn an_exchange_handed_over_folds_as_a_borrowed_one() {
    let mut exchanges = storm();
    let mut odd = exchange(41, 302, "/oauth2/default/v1/authorize?state=s1", "", "5");
    odd.body = None;
    odd.response_headers.push(Header {
        name: "Location".into(),
        value: None,
    });
    exchanges.push(odd);
    let (mut borrowed, mut owned) = (crate::live::Tabs::default(), crate::live::Tabs::default());
    for ex in exchanges {
        let a = borrowed.fold(7, &ex, Some("https://app.example/cb?error=access_denied"));
        let b = owned.fold_owned(7, ex, Some("https://app.example/cb?error=access_denied"));
        assert_eq!(a, b);
    }
    assert_eq!(borrowed.get(7), owned.get(7));
    assert!(borrowed.get(7).is_some_and(|t| t.digest.exchanges == 41));
}

/// The analysis notes the request URL it found plainly clean; its report is `analyze`'s.
#[test]
fn the_analysis_notes_a_clean_request_url_for_the_seal() {
    for (path, clean_url) in [
        ("/api/v1/users?limit=2", true),
        ("/welcome/XE6wE17zmphl3KqAPFxO", false),
    ] {
        let ex = exchange(0, 401, path, E11, "597");
        let seen = crate::exchange::Seen::from_exchange(&ex, None);
        let mut clean = crate::redact::Clean::default();
        let noted = crate::http::analyze_noting(&mut seen.clone(), &mut clean);
        assert_eq!(noted, crate::http::analyze(seen));
        let url = ex.url.as_deref().unwrap_or_default();
        assert_eq!(clean.knows(url), clean_url, "{url}");
    }
}
