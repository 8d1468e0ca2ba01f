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
    timestamp,
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
    if let Some(date) = seen.header("date").and_then(timestamp::parse_http_date) {
        estimate.add(date, at);
    }
}

fn lifetime(f: &Finding) -> bool {
    TOKEN_LIFETIME.contains(&f.id.as_str())
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
    let (Some(at), Some(jwt)) = (observed(seen), seen.jwt.as_ref()) else {
        return;
    };
    let by_okta: Vec<Finding> = crate::jwt::findings(jwt, at.saturating_add(skew))
        .into_iter()
        .filter(lifetime)
        .collect();
    let by_this: Vec<Finding> = crate::jwt::findings(jwt, at)
        .into_iter()
        .filter(lifetime)
        .collect();
    let ids = |v: &[Finding]| v.iter().map(|f| f.id.clone()).collect::<Vec<_>>();
    if ids(&by_okta) == ids(&by_this) {
        return;
    }
    let judged: Vec<String> = ids(&by_this);
    let mut only_here: Vec<Finding> = Vec::new();
    report.findings.retain(|f| {
        if !judged.contains(&f.id) {
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
    report
        .findings
        .sort_by_key(|f| std::cmp::Reverse(f.severity));
    report.severity = report
        .findings
        .iter()
        .map(|f| f.severity)
        .max()
        .unwrap_or(Severity::Ok);
}
