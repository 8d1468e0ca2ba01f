//! The session's one clock applied (issue 16 §4): each Okta response's `Date` joins the
//! session's estimate (digest/clock.rs), and a token's lifetime is judged by Okta's clock —
//! the moment the browser saw the request plus the estimated skew — when the skew changes the
//! answer: Okta rejects a token by its own clock, whatever this computer's says. The findings
//! record both clocks (`skew`, `skewResponses`, `localNow`) so the words say which answer the
//! skew changed. Rate-limit waits need no correction here: they are `Reset − Date` (Okta's
//! clock on both sides), and a bucket's countdown converts the reset with each reading's own
//! `Date` (timeline.rs).

use crate::{
    digest::clock::Estimate,
    exchange::Seen,
    moment::{Moment, TOKEN_LIFETIME},
    report::{Finding, Report, Severity},
};

/// When the browser saw the exchange (live, or a recording's request): the observing clock.
fn observed(seen: &Seen) -> Option<i64> {
    match seen.moment {
        Moment::Live(t) | Moment::Recorded(t) => Some(t),
        Moment::Now(_) | Moment::Unknown => None,
    }
}

/// Adds the exchange's `Date` (when it has a usable one) to the session's estimate.
pub fn observe(estimate: &mut Estimate, seen: &Seen) {
    let Some(at) = observed(seen) else {
        return;
    };
    if let Some(date) = seen.date() {
        estimate.add(date, at);
    }
}

/// A rate-limit wait measured without `Date` (from when the browser saw the response) is
/// measured from Okta's time instead: `Reset − (observedAt + skew) + 1`, as Okta's SDKs do
/// with `Date`. The finding keeps the browser-clock wait (`waitByThisClock`) for its words.
/// Answers whether it changed the wait.
fn wait_by_okta_clock(f: &mut Finding, skew: i64) -> bool {
    const RATE: [&str; 4] = [
        "rate_limit.exceeded",
        "rate_limit.concurrent",
        "rate_limit.low",
        "rate_limit.status",
    ];
    let p = &f.params;
    if !RATE.contains(&&*f.id)
        || !p.flag("observed")
        || p.flag("referenceIsDate")
        || p.flag("windowPassed")
    {
        return false;
    }
    let (Some(reset), Some(reference), Some(old)) =
        (p.int("reset"), p.int("reference"), p.int("resetWait"))
    else {
        return false;
    };
    let okta = reference.saturating_add(skew);
    let new = reset.saturating_sub(okta).saturating_add(1).max(1);
    if new == old {
        return false;
    }
    if p.int("wait") == Some(old) {
        f.params.set("wait", new);
    }
    f.params.set("reference", okta);
    f.params.set("resetWait", new);
    f.params.set("waitByThisClock", old);
    f.params.set("referenceIsOktaClock", true);
    true
}

fn lifetime(f: &Finding) -> bool {
    TOKEN_LIFETIME.contains(&&*f.id)
}

/// Re-judges the request's token by Okta's clock when the session's skew changes the answer:
/// the findings Okta's clock gives replace this clock's, each saying so; a finding only this
/// clock gives stays, as information, saying Okta's clock disagrees (an SDK that checks with
/// this clock still acts on it). `clock.skew` learns that the session corrects for it.
pub fn correct(estimate: &Estimate, seen: &Seen, report: &mut Report) {
    let Some(skew) = estimate.skew() else {
        return;
    };
    let session = |f: &mut Finding| {
        f.params.set("skew", skew);
        f.params.set("skewResponses", estimate.responses);
    };
    report
        .findings
        .iter_mut()
        .filter(|f| f.id == "clock.skew")
        .for_each(session);
    for f in report.findings.iter_mut() {
        if wait_by_okta_clock(f, skew) {
            session(f);
        }
    }
    saml_by_okta_clock(seen, skew, estimate.responses, report);
    let (Some(at), Some(jwt)) = (observed(seen), seen.jwt.as_ref()) else {
        return;
    };
    let by_okta: Vec<Finding> = crate::jwt::lifetime::findings(jwt, at.saturating_add(skew))
        .into_iter()
        .filter(lifetime)
        .collect();
    let by_this: Vec<Finding> = crate::jwt::lifetime::findings(jwt, at)
        .into_iter()
        .filter(lifetime)
        .collect();
    fn ids(v: &[Finding]) -> Vec<&str> {
        v.iter().map(|f| &*f.id).collect()
    }
    if ids(&by_okta) == ids(&by_this) {
        return;
    }
    let judged = ids(&by_this);
    let mut only_here: Vec<Finding> = Vec::new();
    report.findings.retain(|f| {
        if !judged.contains(&&*f.id) {
            return true;
        }
        if !by_okta.iter().any(|o| o.id == f.id) {
            only_here.push(f.clone());
        }
        false
    });
    for mut f in by_okta {
        seen.moment.stamp(std::slice::from_mut(&mut f));
        f.params.set("localNow", at);
        f.params.set("byOktaClock", true);
        session(&mut f);
        report.findings.push(f);
    }
    for mut f in only_here {
        f.severity = Severity::Info;
        f.params.set("oktaNow", at.saturating_add(skew));
        f.params.set("onlyThisClock", true);
        session(&mut f);
        report.findings.push(f);
    }
    report.resettle();
}

/// A SAML Response's validity window judged by Okta's clock (issue 17): Okta wrote the window by
/// its clock, and the skew the session measured says where that clock was when the browser
/// posted the Response. The findings say so (`byOktaClock`, `skew`, `localNow`).
fn saml_by_okta_clock(seen: &Seen, skew: i64, responses: u64, report: &mut Report) {
    let (Some(at), Some(r)) = (observed(seen), seen.carried().and_then(|c| c.response())) else {
        return;
    };
    const WINDOW: [&str; 2] = ["saml.expired", "saml.not_yet_valid"];
    report.findings.retain(|f| !WINDOW.contains(&&*f.id));
    for f in crate::saml::window_findings(r, at.saturating_add(skew)) {
        let f = f
            .with("byOktaClock", true)
            .with("localNow", at)
            .with("skew", skew)
            .with("skewResponses", responses);
        report.findings.push(f);
    }
    report.resettle();
}

#[cfg(test)]
mod tests {
    use crate::{exchange::Exchange, jwt::testing, report::Severity, session::Session};
    use serde_json::json;

    const NOW: i64 = testing::NOW;

    /// The `Date` Okta sends when this computer's clock reads NOW and Okta's NOW + skew.
    fn date(skew: i64) -> &'static str {
        match skew {
            120 => "Sun, 15 Jun 2025 15:08:40 GMT",
            -600 => "Sun, 15 Jun 2025 14:56:40 GMT",
            30 => "Sun, 15 Jun 2025 15:07:10 GMT",
            _ => "Sun, 15 Jun 2025 15:06:40 GMT",
        }
    }

    /// A call with a token whose times are `claims`, seen at NOW with Okta's `Date`.
    fn call(claims: serde_json::Value, skew: i64, status: u16) -> Exchange {
        let token = testing::token(json!({"alg": "RS256", "kid": "k"}), claims);
        serde_json::from_value(json!({
            "observedAt": NOW as f64 * 1000.0, "method": "GET",
            "url": "https://dev-1.okta.com/api/v1/users/me", "statusCode": status,
            "requestHeaders": [{"name": "Authorization", "value": format!("Bearer {token}")}],
            "responseHeaders": [{"name": "Date", "value": date(skew)},
                {"name": "X-Rate-Limit-Limit", "value": "600"},
                {"name": "X-Rate-Limit-Remaining", "value": "590"},
                {"name": "X-Rate-Limit-Reset", "value": (NOW + skew + 30).to_string()}]
        }))
        .unwrap_or_default()
    }

    fn claims(exp: i64, iat: i64) -> serde_json::Value {
        json!({"iss": "https://dev-1.okta.com/oauth2/default", "ver": 1, "jti": "AT.x",
               "cid": "0oa1", "exp": exp, "iat": iat, "scp": ["openid"]})
    }

    /// The lifetime findings of the exchange folded into a session (after `before` exchanges
    /// with the same `Date`), worded: (id, severity, title, detail).
    fn judged(before: usize, ex: &Exchange) -> Vec<(String, Severity, String, String)> {
        let mut s = Session::default();
        for _ in 0..before {
            s.fold(ex, f64::NAN, None);
        }
        let (_, mut report) = s.fold_row(ex, NOW as f64 * 1000.0, None);
        crate::explain::show(&mut report, &Default::default());
        report
            .findings
            .into_iter()
            .filter(|f| f.id.starts_with("jwt.") && super::lifetime(f) || f.id == "clock.skew")
            .map(|f| {
                (
                    f.id.to_string(),
                    f.severity,
                    f.title.clone(),
                    f.detail.clone(),
                )
            })
            .collect()
    }

    #[test]
    fn okta_clock_ahead_a_token_valid_here_had_expired_there() {
        // This clock is 2 min behind; exp is 80 s ahead of it: 40 s past by Okta's clock.
        let ex = call(claims(NOW + 80, NOW - 3000), 120, 401);
        let got = judged(2, &ex);
        let expired = got.iter().find(|f| f.0 == "jwt.expired");
        let (_, severity, title, detail) = expired.unwrap_or_else(|| panic!("{got:?}"));
        assert_eq!(*severity, Severity::Error);
        assert_eq!(
            title,
            "Token had expired 40 s before the request by Okta's clock; this computer's clock is 2 min behind"
        );
        assert!(detail.contains("the Date headers of 3 Okta responses in this session"));
        // "Expiring in 80 s" is this clock's answer only: kept as information.
        let soon = got.iter().find(|f| f.0 == "jwt.expiring_soon");
        assert!(
            soon.is_some_and(
                |f| f.1 == Severity::Info && f.2.ends_with("by this computer's clock only")
            ),
            "{got:?}"
        );
        // The response's own clock.skew says the session corrects for it.
        let skew = got.iter().find(|f| f.0 == "clock.skew");
        assert!(skew.is_some_and(|f| f.3.contains("judges token lifetimes by Okta's clock")));
        // An iat 400 s ahead of this clock (beyond the 300 s leeway) is 280 s ahead of Okta's:
        // "issued in the future" is this clock's answer only.
        let got = judged(0, &call(claims(NOW + 3600, NOW + 400), 120, 200));
        let iat = got.iter().find(|f| f.0 == "jwt.issued_in_future");
        assert!(
            iat.is_some_and(|f| f.1 == Severity::Info && f.3.contains("2 min behind")),
            "{got:?}"
        );
    }

    #[test]
    fn this_clock_ahead_an_answer_only_it_gives_stays_as_information() {
        // This clock is 10 min ahead: exp 100 s ago here is 500 s ahead by Okta's clock.
        let ex = call(claims(NOW - 100, NOW - 3000), -600, 200);
        let got = judged(0, &ex);
        let ids: Vec<_> = got.iter().map(|f| (f.0.as_str(), f.1)).collect();
        assert!(ids.contains(&("jwt.expired", Severity::Info)), "{ids:?}");
        let expired = got.iter().find(|f| f.0 == "jwt.expired");
        assert!(
            expired.is_some_and(|f| f.2.ends_with("by this computer's clock only")
                && f.3
                    .contains("this computer's clock is 10 min ahead of Okta's"))
        );
    }

    #[test]
    fn clocks_that_agree_or_no_date_change_nothing() {
        for (skew, exp) in [(30, NOW + 80), (0, NOW - 10)] {
            let ex = call(claims(exp, NOW - 3000), skew, 401);
            let plain = crate::http::analyze_exchange(&ex);
            let got = judged(3, &ex);
            let want: Vec<_> = plain
                .findings
                .iter()
                .filter(|f| super::lifetime(f))
                .map(|f| f.id.to_string())
                .collect();
            let ids: Vec<_> = got
                .iter()
                .map(|f| f.0.clone())
                .filter(|i| i != "clock.skew")
                .collect();
            assert_eq!(ids, want, "skew {skew}");
            assert!(!got.iter().any(|f| f.2.contains("Okta's clock")));
        }
    }

    #[test]
    fn a_wait_without_date_is_measured_by_okta_clock() {
        let mut s = Session::default();
        // Okta's Date runs 2 min ahead of the browser in this session.
        s.fold(&call(claims(NOW + 3600, NOW), 120, 200), f64::NAN, None);
        // A 429 without Date: its window resets 30 s after Okta's now, 150 s after the browser's.
        let e47 = r#"{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests.","errorLink":"E0000047","errorId":"oae1","errorCauses":[]}"#;
        let limited: Exchange = serde_json::from_value(json!({
            "observedAt": NOW as f64 * 1000.0, "method": "GET",
            "url": "https://dev-1.okta.com/api/v1/groups", "statusCode": 429, "body": e47,
            "responseHeaders": [{"name": "X-Rate-Limit-Limit", "value": "500"},
                {"name": "X-Rate-Limit-Remaining", "value": "0"},
                {"name": "X-Rate-Limit-Reset", "value": (NOW + 150).to_string()}]
        }))
        .unwrap_or_default();
        let plain = crate::http::analyze_exchange(&limited);
        let by_browser = plain
            .findings
            .iter()
            .find(|f| f.id == "rate_limit.exceeded");
        assert_eq!(by_browser.and_then(|f| f.params.int("wait")), Some(151));
        let (_, mut report) = s.fold_row(&limited, NOW as f64 * 1000.0, None);
        let exceeded = |r: &crate::report::Report| {
            let f = r.findings.iter().find(|f| f.id == "rate_limit.exceeded");
            f.cloned().unwrap_or_else(|| panic!("{:?}", r.findings))
        };
        let f = exceeded(&report);
        assert_eq!(f.params.int("wait"), Some(31));
        assert_eq!(f.params.int("waitByThisClock"), Some(151));
        crate::explain::show(&mut report, &Default::default());
        let f = exceeded(&report);
        assert!(
            f.detail.contains("so the wait is measured from Okta's time: 31 s, where the browser's clock alone gives 151 s"),
            "{}",
            f.detail
        );
        // The bucket's countdown converts the reset with the session's clock too.
        let view = s.view(NOW * 1000, 90);
        let groups = view
            .rate_limits
            .buckets
            .iter()
            .find(|b| b.bucket == "/api/v1/groups");
        assert_eq!(groups.and_then(|b| b.seconds_to_reset), Some(30));
        // Shown later (tab view at the browser's now + 40 s): the window has reset.
        let shown = view_finding(&s, NOW + 40);
        assert!(shown.params.flag("windowPassed"));
        assert!(!view_finding(&s, NOW + 20).params.flag("windowPassed"));
    }

    fn view_finding(s: &Session, now: i64) -> crate::report::Finding {
        let view = s.view(now * 1000, 90);
        let g = view.problems.iter().find(|g| g.id == "rate_limit.exceeded");
        g.map(|g| g.finding.clone())
            .unwrap_or_else(|| panic!("no rate_limit.exceeded group"))
    }

    #[test]
    fn the_estimate_is_stored_with_the_digest_and_restored() {
        let mut s = Session::default();
        s.fold(&call(claims(NOW + 3600, NOW), 120, 200), f64::NAN, None);
        assert_eq!(s.digest.clock.skew(), Some(120));
        let stored = serde_json::to_value(s.snapshot()).unwrap_or_default();
        assert_eq!(stored["digest"]["clock"]["samples"], json!([120]));
        let back = Session::restore(&stored["digest"], &stored["timeline"], &stored["reports"]);
        assert_eq!(back.digest.clock, s.digest.clock);
        // A digest stored before the estimate existed: none.
        let mut old = stored["digest"].clone();
        old.as_object_mut().map(|o| o.remove("clock"));
        let back = Session::restore(&old, &stored["timeline"], &stored["reports"]);
        assert!(back.digest.clock.is_empty());
    }
}
