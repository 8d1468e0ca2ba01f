//! The boxed words against the shape they replaced: the same JSON bytes (serde_json's and
//! `report::compact`'s), the same finding read back, no box for a fact.

use super::*;
use crate::report::compact;

/// `Finding` as it was before its words were boxed (docs/performance-log.md, "liveFold, tenth
/// pass"): every field its own, the same serde attributes.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Flat {
    id: String,
    severity: Severity,
    title: String,
    detail: String,
    fix: Vec<String>,
    commands: Vec<Command>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    docs_url: Option<String>,
    evidence: Vec<Evidence>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    okta_cause: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    action: Option<Action>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    todo: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    why: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    quote: Option<Quote>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reported_by: Option<ReportedBy>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    folded: Vec<String>,
    #[serde(default, skip_serializing_if = "Params::is_empty")]
    params: Params,
}

fn flat(f: &Finding) -> Flat {
    let w: &Words = f;
    Flat {
        id: f.id.to_string(),
        severity: f.severity,
        title: w.title.clone(),
        detail: w.detail.clone(),
        fix: w.fix.clone(),
        commands: w.commands.clone(),
        docs_url: w.docs_url.clone(),
        evidence: f.evidence.clone(),
        okta_cause: f.okta_cause.clone(),
        action: w.action.clone(),
        todo: w.todo.clone(),
        why: w.why.clone(),
        quote: f.quote.clone(),
        reported_by: f.reported_by,
        folded: f.folded.clone(),
        params: f.params.clone(),
    }
}

/// A fact, a fact with every data field, a finding with every word, one with a title only,
/// one whose words were given and emptied.
fn cases() -> Vec<Finding> {
    let fact = Finding::fact("okta_error.E0000047", Severity::Warning)
        .with("status", 429i64)
        .with("errorId", "oaeX\"1\u{7}");
    let mut data = Finding::fact("rate_limit.exceeded", Severity::Error)
        .evidence("header", "X-Rate-Limit-Limit", "600")
        .quote("Okta said (errorSummary)", "API call exceeded rate limit");
    data.okta_cause = Some("user_not_assigned".into());
    data.reported_by = Some(ReportedBy::Page);
    data.folded = vec!["okta_error.E0000047".into()];
    let mut worded = Finding::new("jwt.expired", Severity::Error, "Token expired")
        .detail("exp is past.\n")
        .fix("Refresh it.")
        .command("Decode", "okta-medic 'x'")
        .docs("https://developer.okta.com/")
        .evidence("claim", "exp", "1");
    worded.action = Some(Action {
        kind: "verify_signature".into(),
        label: "Verify".into(),
        origin: Some("https://dev-1.okta.com/*".into()),
    });
    worded.todo = Some("Sign in again.".into());
    worded.why = Some("It expired.".into());
    let mut emptied = Finding::fact("http.error_status", Severity::Info);
    emptied.title = "x".into();
    emptied.title.clear();
    vec![
        fact,
        data,
        worded,
        Finding::new("cors.origin_not_trusted", Severity::Ok, "Title only"),
        emptied,
    ]
}

#[test]
fn boxed_words_write_the_flat_findings_bytes() {
    for f in cases() {
        let was = serde_json::to_string(&flat(&f)).unwrap();
        assert_eq!(serde_json::to_string(&f).unwrap(), was, "{}", f.id);
        assert_eq!(
            compact::to_json(&f).as_deref(),
            Some(was.as_str()),
            "{}",
            f.id
        );
        let back: Finding = serde_json::from_str(&was).unwrap();
        assert_eq!(back, f, "{}", f.id);
        assert_eq!(serde_json::to_string(&back).unwrap(), was, "{}", f.id);
        // Read back, words that say nothing are no box.
        assert_eq!(back.words.is_some(), *back != NONE, "{}", f.id);
    }
}

#[test]
fn a_fact_has_no_words_and_reading_them_gives_none() {
    let mut f = Finding::fact("okta_error.E0000011", Severity::Warning).with("status", 401i64);
    assert!(f.words.is_none() && !f.is_worded() && f.fix.is_empty());
    f.each_string(&mut |s| s.push('!'));
    assert!(f.words().is_none(), "sealing a fact gave it words");
    assert!(
        std::mem::size_of::<Finding>() < 200,
        "{}",
        std::mem::size_of::<Finding>()
    );
    f.title = "Worded".into();
    assert!(f.is_worded() && f.words().is_some());
}

/// The core's quote labels (the three `Okta said (…)` the analysis writes) are what the seal
/// would leave: skipping a borrowed one writes the same.
#[test]
fn the_seal_keeps_the_core_quote_labels() {
    for label in [
        "Okta said (errorSummary)",
        "Okta said (message)",
        "Okta said (error_description)",
    ] {
        let owned = Finding::fact("http.error_status", Severity::Error)
            .quote(label.to_string(), "API call exceeded rate limit");
        let borrowed = Finding::fact("http.error_status", Severity::Error)
            .quote(label, "API call exceeded rate limit");
        for mut f in [owned, borrowed] {
            crate::redact::seal_finding(&mut f);
            assert_eq!(f.quote.as_ref().map(|q| q.label.as_ref()), Some(label));
        }
    }
}

/// Findings compared a text at a word at a time and a label by where it is (`params::same`)
/// are equal exactly when every field is, by `==` (the comparison they replaced, kept here;
/// parameters by the JSON they write): every finding of every golden input, as facts and
/// worded, against each other finding with its id, and against itself changed in one place at
/// a time — a byte of its id, of an evidence value or label, its quote, cause, folded ids or a
/// text parameter — or copied with its borrowed labels owned and its words a `Word` (equal).
#[test]
fn equal_by_words_is_equal_field_by_field() {
    fn before(a: &Finding, b: &Finding) -> bool {
        let json = |p: &Params| serde_json::to_value(p).unwrap();
        a.id == b.id
            && a.severity == b.severity
            && **a == **b
            && a.evidence == b.evidence
            && a.okta_cause == b.okta_cause
            && a.quote == b.quote
            && a.reported_by == b.reported_by
            && a.folded == b.folded
            && json(&a.params) == json(&b.params)
    }
    let bump = |s: &mut String, at: usize| {
        let mut b = std::mem::take(s).into_bytes();
        if let Some(c) = b.get_mut(at).filter(|c| c.is_ascii_alphanumeric()) {
            *c = if *c == b'z' { b'y' } else { b'z' };
        }
        *s = String::from_utf8(b).unwrap();
    };
    let mut all: Vec<Finding> = Vec::new();
    for (_, text) in crate::golden::inputs() {
        all.extend(crate::facts_of_text(&text, 1_750_000_000).findings);
        all.extend(crate::analyze_text(&text, 1_750_000_000).findings);
    }
    all.extend(cases());
    let (mut equal, mut unequal) = (0, 0);
    let mut check = |a: &Finding, b: &Finding| {
        assert_eq!(*a == *b, before(a, b), "{a:?}\n{b:?}");
        assert_eq!(*b == *a, before(b, a), "{b:?}\n{a:?}");
        match before(a, b) {
            true => equal += 1,
            false => unequal += 1,
        }
    };
    for (i, f) in all.iter().enumerate() {
        for g in all.iter().skip(i).filter(|g| g.id == f.id) {
            check(f, g);
        }
        let mut copy = f.clone();
        for e in &mut copy.evidence {
            e.source = Cow::Owned(e.source.to_string());
            e.name = Cow::Owned(e.name.to_string());
        }
        if let Some(q) = &mut copy.quote {
            q.label = Cow::Owned(q.label.to_string());
        }
        check(f, &copy);
        for at in [0, 1, 7, 8, 9, f.id.len().saturating_sub(1)] {
            let mut g = f.clone();
            bump(g.id.to_mut(), at);
            check(f, &g);
        }
        for k in 0..f.evidence.len() {
            for at in [0, 3, 8, 15, 16, 30] {
                let mut g = f.clone();
                if let Some(e) = g.evidence.get_mut(k) {
                    bump(&mut e.value, at);
                    if at == 3 {
                        let mut name = e.name.to_string();
                        bump(&mut name, 1);
                        e.name = Cow::Owned(name);
                    }
                }
                check(f, &g);
            }
        }
        let mut g = f.clone();
        match &mut g.quote {
            Some(q) => bump(&mut q.text, 2),
            None => {
                g.quote = Some(Quote {
                    label: "Okta said (errorSummary)".into(),
                    text: "x".into(),
                })
            }
        }
        check(f, &g);
        let mut g = f.clone();
        g.okta_cause = match &f.okta_cause {
            Some(c) => Some(format!("{c}_")),
            None => Some(String::new()),
        };
        check(f, &g);
        let mut g = f.clone();
        g.folded.push("okta_error.E0000047".into());
        check(f, &g);
        let mut g = f.clone();
        g.params.set("errorId", "oaetdtoG383SIGVNZ0UKgtRug");
        check(f, &g);
        let mut h = g.clone();
        h.params
            .set("errorId", crate::params::Word("oaetdtoG383SIGVNZ0UKgtRuh"));
        check(&g, &h);
        h.params
            .set("errorId", crate::params::Word("oaetdtoG383SIGVNZ0UKgtRug"));
        check(&g, &h);
    }
    assert!(
        all.len() > 500 && equal > 5_000 && unequal > 5_000,
        "{} {equal} {unequal}",
        all.len()
    );
}

/// The seal of each string a finding hands it when the finding travels inside a view
/// (`Finding::each_string`, the timeline's groups: `redact::seal_with`).
fn scrub(s: &mut String) {
    crate::redact::scrub_value_string(s, &mut crate::redact::Clean::default());
}

/// An id the core wrote borrowed (a literal: `Finding::fact("http.request_id", …)`) is not
/// handed to the seal (`Finding::each_string`), as a borrowed evidence name is not: the seal
/// never changes an id (stable catalogue names, never a secret), so skipping it writes the
/// same. Every finding of every golden input, and the facts folded into them, sealed with its
/// id owned (every id sealed, as before `Finding.id` was a `Cow`) and as analysed: the same
/// JSON, the id unchanged; and many ids of each kind seen.
#[test]
fn the_seal_leaves_every_id_as_it_was() {
    let (mut borrowed, mut owned) = (0, 0);
    for (case, text) in crate::golden::inputs() {
        let report = crate::input::analyze(&text, 1_750_000_000, &crate::har::analyze_data);
        let folded = report.findings.iter().flat_map(crate::cause::folded_facts);
        for f in report.findings.iter().cloned().chain(folded) {
            match f.id {
                Cow::Borrowed(_) => borrowed += 1,
                Cow::Owned(_) => owned += 1,
            }
            let mut before = f.clone();
            before.id = Cow::Owned(f.id.to_string());
            before.each_string(&mut scrub);
            let mut after = f.clone();
            after.each_string(&mut scrub);
            assert_eq!(before.id, f.id, "{case}: the seal changed an id");
            assert_eq!(
                serde_json::to_string(&before).unwrap(),
                serde_json::to_string(&after).unwrap(),
                "{case}: {}",
                f.id
            );
        }
    }
    assert!(
        borrowed > 200 && owned > 50,
        "{borrowed} borrowed, {owned} owned"
    );
}
