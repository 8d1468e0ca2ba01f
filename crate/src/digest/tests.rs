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
        }]
        .into(),
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
    let back: Digest =
        serde_json::from_str(&serde_json::to_string(&d).unwrap_or_default()).unwrap_or_default();
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
    }]
    .into();
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
        }]
        .into();
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

/// `Digest::add_sealed` before the eleventh liveFold pass: a new request reference (every
/// string copied) pushed, then the oldest dropped; a group's request ids the same way.
fn add_before(d: &mut Digest, report: &Report, observed_at: f64) {
    fn push_bounded_before(list: &mut Vec<String>, item: Option<&str>, max: usize) {
        let Some(item) = item else { return };
        if list.iter().any(|i| i == item) {
            return;
        }
        list.push(item.to_string());
        if list.len() > max {
            list.remove(0);
        }
    }
    let clean = crate::redact::Clean::default();
    let observed_at = if observed_at.is_finite() {
        observed_at
    } else {
        d.latest_seen()
    };
    d.exchanges = d.exchanges.saturating_add(1);
    let error = u64::from(report.severity == Severity::Error);
    d.errors = Some(d.error_requests().saturating_add(error));
    let request = report.request.as_ref();
    let status = request.and_then(|r| r.status_code);
    if status.is_some_and(|s| s >= 400) {
        d.failed = d.failed.saturating_add(1);
    }
    if report.severity >= Severity::Warning {
        d.with_findings = d.with_findings.saturating_add(1);
    }
    let request_id = request.and_then(|r| r.request_id.clone());
    for f in &report.findings {
        // add_finding with the push above.
        if let Some(g) = d.groups.iter_mut().find(|g| g.id == f.id) {
            g.count = g.count.saturating_add(1);
            g.first_seen = g.first_seen.min(observed_at);
            g.last_seen = g.last_seen.max(observed_at);
            g.severity = g.severity.max(f.severity);
            g.finding = f.clone();
            push_bounded_before(
                &mut g.request_ids,
                request_id.as_deref(),
                REQUESTS_PER_GROUP,
            );
            continue;
        }
        if d.groups.len() >= MAX_GROUPS {
            d.dropped.groups = d.dropped.groups.saturating_add(1);
            continue;
        }
        let mut request_ids = Vec::new();
        push_bounded_before(&mut request_ids, request_id.as_deref(), REQUESTS_PER_GROUP);
        d.groups.push(Group {
            id: f.id.to_string(),
            severity: f.severity,
            count: 1,
            first_seen: observed_at,
            last_seen: observed_at,
            finding: f.clone(),
            request_ids,
        });
    }
    crate::sort::by(&mut d.groups, |a, b| {
        b.severity
            .cmp(&a.severity)
            .then(b.count.cmp(&a.count))
            .then(a.id.cmp(&b.id))
    });
    d.requests.push_back(RequestRef {
        observed_at,
        method: request.and_then(|r| r.method.clone()),
        url: request
            .and_then(|r| r.url.as_deref())
            .map(|u| clean.report_url(u)),
        status_code: status,
        request_id,
        severity: report.severity,
        finding_ids: report.findings.iter().map(|f| f.id.to_string()).collect(),
        folded_ids: report.folded_ids(),
    });
    if d.requests.len() > MAX_REQUESTS {
        d.requests.pop_front();
        d.dropped.requests = d.dropped.requests.saturating_add(1);
    }
    if let Some(view) = report.token.as_ref().and_then(Kept::built) {
        d.add_token(view, observed_at);
    }
}

/// The request references and group request ids written over in place are what pushing fresh
/// ones and dropping the oldest gave: every golden input's report, four rounds (past the
/// 100 references and each group's 5 ids), each round changing the request (ids repeated,
/// distinct, absent; no URL, no method, folded ids), compared after every fold.
#[test]
fn references_written_over_are_the_references_pushed() {
    let reports: Vec<Report> = crate::golden::inputs()
        .iter()
        .map(|(_, text)| crate::analyze_text(text, 1_750_000_000))
        .collect();
    assert!(reports.len() > 200);
    let (mut new, mut old) = (Digest::default(), Digest::default());
    let mut folds = 0;
    for round in 0..4u32 {
        for (i, r) in reports.iter().enumerate() {
            let mut r = r.clone();
            let n = u32::try_from(i).unwrap();
            let request = r.request.get_or_insert_with(Default::default);
            match (round + n) % 5 {
                0 => request.request_id = Some(format!("req{}", n % 7)),
                1 => request.request_id = Some(format!("req{round}-{n}")),
                2 => {
                    request.request_id = None;
                    request.url = None;
                }
                3 => {
                    request.method = None;
                    request.url = Some(format!("https://a.okta.com/p{n}?code=c{n}"));
                }
                _ => r.request = None,
            }
            if n % 3 == 0 {
                if let Some(f) = r.findings.first_mut() {
                    f.folded = (0..n % 4).map(|k| format!("x.folded{k}")).collect();
                }
            }
            let at = f64::from(round * 1000 + n);
            new.add(&r, at);
            add_before(&mut old, &r, at);
            folds += 1;
            assert_eq!(new, old, "round {round}, input {i}");
        }
    }
    assert!(folds > 4 * MAX_REQUESTS && new.dropped.requests > 0);
    assert!(new
        .groups
        .iter()
        .any(|g| g.request_ids.len() == REQUESTS_PER_GROUP));
    assert_eq!(
        serde_json::to_string(&new).unwrap(),
        serde_json::to_string(&old).unwrap()
    );
}

/// The bounded list keeps the newest `max` distinct items, oldest first, and with `max` 0
/// nothing (the eleventh pass's rewrite in place grew without bound there; the digest passes 5).
#[test]
fn bounded_lists_keep_the_newest_and_nothing_at_zero() {
    let mut none = Vec::new();
    for i in 0..4 {
        push_bounded(&mut none, Some(&format!("r{i}")), 0);
    }
    assert!(none.is_empty(), "{none:?}");
    let mut two = Vec::new();
    for id in ["a", "b", "a", "c", "d"] {
        push_bounded(&mut two, Some(id), 2);
    }
    assert_eq!(two, ["c", "d"]);
    push_bounded(&mut two, None, 2);
    assert_eq!(two, ["c", "d"]);
}
