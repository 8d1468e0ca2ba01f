use super::*;
use crate::report::Report;

const NOW: i64 = 1_750_000_000;

fn fixture(case: &str) -> Report {
    let path = format!(
        "{}/../tests/fixtures/{case}/input.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let now = std::fs::read_to_string(path.replace("input.txt", "now.txt"))
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(NOW);
    crate::input::analyze(&text, now, &|_| None)
}

fn ids(r: &Report) -> Vec<&str> {
    r.findings.iter().map(|f| &*f.id).collect()
}

/// Every pair this module folds, on a real response: the survivor is the one listed, the folded
/// id is no finding of its own but stays searchable, and the survivor keeps the folded one's
/// evidence lines.
#[test]
fn each_pair_folds_into_its_most_specific_cause() {
    let cases: &[(&str, &str, &[&str])] = &[
        // A 429 whose body is E0000047: the rate limit (bucket, wait) is the cause.
        (
            "curl-si-429-e0000047",
            "rate_limit.exceeded",
            &["okta_error.E0000047"],
        ),
        (
            "error-sample-syslog-e0000047-minimal",
            "rate_limit.exceeded",
            &["okta_error.E0000047"],
        ),
        // /token's invalid_grant "exceeded rate limit" on a 429.
        (
            "ratelimit-token-invalid-grant",
            "rate_limit.exceeded",
            &["oauth_error.invalid_grant"],
        ),
        // IDX tooManyRequests.
        (
            "ratelimit-exchange-idx-429",
            "rate_limit.exceeded",
            &["idx.tooManyRequests"],
        ),
        // A 429 whose body is another Okta error (the SMS limit): that error is the cause.
        (
            "error-curl-si-429-e0000150-historic",
            "okta_error.E0000150",
            &["rate_limit.exceeded"],
        ),
        // An IDX message whose key is an E-code, and that E-code.
        (
            "error-sample-idx-e0000004-full-response",
            "okta_error.E0000004",
            &["idx.errors.E0000004"],
        ),
        (
            "error-sample-idx-bare-e0000020",
            "okta_error.E0000020",
            &["idx.E0000020"],
        ),
        (
            "error-idx-widget-locked-text",
            "okta_error.E0000069",
            &["idx.message"],
        ),
        // A 403 the scope table explains: the challenge and E0000006 are that missing scope.
        (
            "error-curl-v-403-scope-missing-groups",
            "scope.missing",
            &["oauth_error.insufficient_scope"],
        ),
        (
            "error-exchange-403-e0000006-bearer",
            "scope.missing",
            &["okta_error.E0000006"],
        ),
        // A 5xx whose body names the Okta error.
        (
            "error-sample-okta-500-e0000009",
            "okta_error.E0000009",
            &["http.server_error"],
        ),
        (
            "error-curl-si-503-e0000010",
            "okta_error.E0000010",
            &["http.server_error"],
        ),
    ];
    for (case, survivor, folded) in cases {
        check(fixture(case), case, survivor, folded);
    }
}

/// An access token sent as `SSWS` is refused with E0000011: one cause, the scheme mix-up; an
/// unbound token sent as `DPoP` is refused with `access_token_not_dpop_bound`: the same.
#[test]
fn a_scheme_mix_up_explains_the_401_it_gets() {
    let jwt = "eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjQxMDI0NDQ4MDB9.c2ln";
    let e11 =
        r#"{"errorCode":"E0000011","errorSummary":"Invalid token provided","errorId":"oaeA"}"#;
    let ex = |auth: String, headers: Vec<(&str, &str)>, body: &str| crate::Exchange {
        observed_at: Some(1_750_000_000_000.0),
        method: Some("GET".into()),
        url: Some("https://dev-1.okta.com/api/v1/users/me".into()),
        status_code: Some(401),
        request_headers: vec![crate::http::Header {
            name: "Authorization".into(),
            value: Some(auth),
        }]
        .into(),
        response_headers: headers
            .into_iter()
            .map(|(n, v)| crate::http::Header {
                name: n.into(),
                value: Some(v.into()),
            })
            .collect(),
        body: Some(body.into()),
        ..crate::Exchange::default()
    };
    let r = crate::http::analyze_exchange(&ex(format!("SSWS {jwt}"), vec![], e11));
    check(
        r,
        "SSWS <jwt>",
        "auth.scheme_mismatch",
        &["okta_error.E0000011"],
    );
    let challenge = "Bearer error=\"invalid_token\", error_description=\"The presented access_token is not DPoP bound.\"";
    // An Okta access token (jti AT.) without cnf.jkt.
    let at = "eyJhbGciOiJSUzI1NiJ9.eyJ2ZXIiOjEsImp0aSI6IkFULjEiLCJpc3MiOiJodHRwczovL2Rldi0xLm9rdGEuY29tL29hdXRoMi9kZWZhdWx0IiwiY2lkIjoiMG9hMSIsImV4cCI6NDEwMjQ0NDgwMCwiaWF0IjoxNzUwMDAwMDAwfQ.c2ln";
    let r = crate::http::analyze_exchange(&ex(
        format!("DPoP {at}"),
        vec![("WWW-Authenticate", challenge)],
        "",
    ));
    check(
        r,
        "DPoP <unbound>",
        "auth.scheme_mismatch",
        &["oauth_error.invalid_token"],
    );
    // A Bearer token refused with E0000011 is not a scheme mix-up: both stay.
    let r = crate::http::analyze_exchange(&ex(format!("Bearer {jwt}"), vec![], e11));
    assert!(ids(&r).contains(&"okta_error.E0000011"), "{:?}", ids(&r));
}

/// `survivor` is a finding of `r` with exactly `folded` folded into it; those are no findings
/// of their own, still searchable, and their facts are kept for the words; one error remains.
fn check(r: Report, case: &str, survivor: &str, folded: &[&str]) {
    let s = r
        .findings
        .iter()
        .find(|f| f.id == survivor)
        .unwrap_or_else(|| panic!("{case}: no {survivor} in {:?}", ids(&r)));
    assert_eq!(s.folded, folded, "{case}");
    for id in folded {
        assert!(
            !ids(&r).contains(id),
            "{case}: {id} is still its own finding"
        );
        assert!(r.has(id), "{case}: {id} is no longer searchable");
    }
    let errors = r.findings.iter().filter(|f| f.severity == Severity::Error);
    assert_eq!(errors.count(), 1, "{case}: one error cause: {:?}", ids(&r));
    let facts = folded_facts(s);
    let fact_ids: Vec<&str> = facts.iter().map(|f| &*f.id).collect();
    assert_eq!(
        fact_ids, folded,
        "{case}: the folded facts are kept for the words"
    );
}

/// What only the folded finding had stays on the survivor: its evidence lines, its quote, and
/// (once worded) the command and fix step that name this request.
#[test]
fn the_survivor_keeps_the_folded_evidence_quote_and_request_specific_words() {
    let r = fixture("curl-si-429-e0000047");
    let f = &r.findings[0];
    assert_eq!(f.id, "rate_limit.exceeded");
    let names: Vec<&str> = f.evidence.iter().map(|e| e.name.as_ref()).collect();
    for name in ["X-Rate-Limit-Reset", "errorCode", "errorSummary", "errorId"] {
        assert!(names.contains(&name), "{name} in {names:?}");
    }
    assert_eq!(
        f.quote.as_ref().map(|q| q.text.as_str()),
        Some("API call exceeded rate limit due to too many requests.")
    );
    let mut shown = r.clone();
    crate::explain::show(&mut shown, &crate::Trusted::default());
    let f = &shown.findings[0];
    assert!(f.params.is_empty() && f.folded == ["okta_error.E0000047"]);
    let lookups: Vec<_> = f
        .commands
        .iter()
        .filter(|c| c.command.contains("reqVy8wsvmBQN27h4soUE3ZEnA"))
        .collect();
    assert_eq!(lookups.len(), 1, "the request's System Log lookup, once");
    assert!(f
        .fix
        .iter()
        .any(|s| s.contains("oaeWaNHfOyQSES34-a2Dw6Phw")));
    // The rate limit's own System Log query, not E0000047's second one.
    let logs = f
        .commands
        .iter()
        .filter(|c| c.command.contains("rate_limit"));
    assert_eq!(logs.count(), 1, "{:?}", f.commands);
    let json = serde_json::to_value(&shown).unwrap_or_default();
    assert_eq!(json["findings"][0]["folded"][0], "okta_error.E0000047");
    assert!(
        json["findings"][1].get("folded").is_none(),
        "absent when none"
    );
}

/// The summary of a pasted body names the cause that survived.
#[test]
fn a_pasted_body_is_summarised_by_its_one_cause() {
    let mut r = fixture("error-sample-idx-e0000004-full-response");
    crate::explain::show(&mut r, &crate::Trusted::default());
    assert_eq!(r.summary, "E0000004 Authentication failed");
}

fn fact(id: &str, severity: Severity) -> Finding {
    Finding::fact(id.to_string(), severity)
}

/// Chains fold completely; findings no rule relates stay apart; the survivor takes the place
/// of the earliest finding it absorbed.
#[test]
fn chains_fold_and_unrelated_findings_stay() {
    let idx = fact("idx.errors.E0000047", Severity::Error).with("code", "E0000047");
    let okta = fact("okta_error.E0000047", Severity::Error).with("code", "E0000047");
    let rate = fact("rate_limit.exceeded", Severity::Error).with("signal", "E0000047");
    let id = fact("http.request_id", Severity::Info);
    let out = fold(vec![idx, okta, id.clone(), rate]);
    assert_eq!(
        out.iter().map(|f| &*f.id).collect::<Vec<_>>(),
        ["rate_limit.exceeded", "http.request_id"]
    );
    let folded = out.first().map(|f| f.folded.clone()).unwrap_or_default();
    assert_eq!(folded, ["okta_error.E0000047", "idx.errors.E0000047"]);
    let facts = out.first().map(folded_facts).unwrap_or_default();
    assert_eq!(facts.len(), 2, "flat: each folded fact once");

    // Not the same cause: an invalid token and an Okta error of another code, E0000006 with no
    // scope missing, a rate limit signalled by another body, a 5xx of another status.
    let apart = [
        vec![
            fact("oauth_error.invalid_token", Severity::Error),
            fact("okta_error.E0000011", Severity::Error).with("code", "E0000011"),
        ],
        vec![
            fact("idx.errors.E0000004", Severity::Error).with("code", "E0000004"),
            fact("okta_error.E0000011", Severity::Error).with("code", "E0000011"),
        ],
        vec![
            fact("okta_error.E0000006", Severity::Error).with("code", "E0000006"),
            fact("jwt.org_authorization_server", Severity::Warning),
        ],
        vec![
            fact("rate_limit.exceeded", Severity::Error).with("signal", "idx"),
            fact("okta_error.E0000047", Severity::Error).with("code", "E0000047"),
        ],
        vec![
            fact("http.server_error", Severity::Error).with("status", 503),
            fact("okta_error.E0000009", Severity::Error).with("status", 500),
        ],
    ];
    for findings in apart {
        let before: Vec<String> = findings.iter().map(|f| f.id.to_string()).collect();
        let out = fold(findings);
        let after: Vec<String> = out.iter().map(|f| f.id.to_string()).collect();
        assert_eq!(after, before);
        assert!(out.iter().all(|f| f.folded.is_empty()));
    }
}

/// "The status alone" disappears when a body or a header explains the failure, and stays when
/// nothing does (a remark about the token is no explanation).
#[test]
fn the_bare_status_goes_when_something_explains_the_failure() {
    let status = || fact("http.error_status", Severity::Error).with("status", 401);
    let cases = [
        (vec![status()], true),
        (
            vec![status(), fact("jwt.lifetime_unusual", Severity::Warning)],
            true,
        ),
        (
            vec![
                status(),
                fact("oauth_error.use_dpop_nonce", Severity::Warning),
            ],
            false,
        ),
        (
            vec![status(), fact("okta_error.E0000011", Severity::Error)],
            false,
        ),
        (vec![status(), fact("jwt.expired", Severity::Error)], false),
    ];
    for (findings, kept) in cases {
        let out = fold(findings);
        let has = out.iter().any(|f| f.id == "http.error_status");
        assert_eq!(
            has,
            kept,
            "{:?}",
            out.iter().map(|f| &f.id).collect::<Vec<_>>()
        );
        assert!(
            out.iter().all(|f| f.folded.is_empty()),
            "dropped, not folded"
        );
    }
    let r = fixture("exchange-401-no-body");
    assert_eq!(ids(&r), ["http.error_status", "http.request_id"]);
}

/// `in_family` answers as comparing `family` does.
#[test]
fn in_family_is_family() {
    for id in [
        "idx",
        "idx.",
        "idx.errors.E0000047",
        "idxx.a",
        "id",
        "okta_error.E0000047",
        "okta_error",
        "okta_errors.x",
        "",
        ".",
        "oauth_error.invalid_grant",
    ] {
        let f = fact(id, Severity::Error);
        for name in ["idx", "okta_error", "oauth_error", ""] {
            assert_eq!(in_family(&f, name), family(&f) == name, "{id} {name}");
        }
    }
}

/// The fold as it was written before the in-place absorb and rotation: remove both, absorb,
/// insert the survivor at the earlier place.
fn fold_by_remove_and_insert(mut findings: Vec<Finding>) -> Vec<Finding> {
    // Every ordered pair asked, as before the rules named who may survive them.
    let pair = |findings: &[Finding], rule: &fn(&Finding, &Finding) -> bool| {
        findings.iter().enumerate().find_map(|(s, survivor)| {
            findings
                .iter()
                .enumerate()
                .find(|(o, other)| *o != s && rule(survivor, other))
                .map(|(o, _)| (s, o))
        })
    };
    for (_, rule) in RULES {
        while let Some((s, o)) = pair(&findings, rule) {
            let other = findings.remove(o);
            let s = if o < s { s - 1 } else { s };
            let mut survivor = findings.remove(s);
            absorb(&mut survivor, other);
            findings.insert(s.min(o), survivor);
        }
    }
    let explained = findings
        .iter()
        .any(|f| f.id != "http.error_status" && explains_failure(f));
    if explained {
        findings.retain(|f| f.id != "http.error_status");
    }
    findings
}

/// The in-place fold answers what remove-and-insert answered, for every order of findings
/// that fold into each other in chains, next to ones that stay apart.
#[test]
fn folding_in_place_is_remove_and_insert() {
    let all = [
        fact("idx.errors.E0000047", Severity::Error).with("code", "E0000047"),
        fact("okta_error.E0000047", Severity::Error)
            .with("code", "E0000047")
            .evidence("body", "errorCode", "E0000047"),
        fact("rate_limit.exceeded", Severity::Error)
            .with("signal", "E0000047")
            .evidence("header", "X-Rate-Limit-Remaining", "0"),
        fact("http.request_id", Severity::Info),
        fact("http.error_status", Severity::Error).with("status", 429),
        fact("oauth_error.invalid_token", Severity::Error),
    ];
    let n = all.len();
    let mut orders = 0;
    // Every order of the six (Heap's algorithm), and every order of each five.
    let mut order: Vec<usize> = (0..n).collect();
    let mut c = vec![0usize; n];
    let mut check = |order: &[usize]| {
        for skip in 0..=n {
            let pick = || {
                order
                    .iter()
                    .filter(|&&i| i != skip)
                    .filter_map(|&i| all.get(i).cloned())
                    .collect::<Vec<_>>()
            };
            assert_eq!(fold(pick()), fold_by_remove_and_insert(pick()), "{order:?}");
        }
        orders += 1;
    };
    check(&order);
    let mut i = 0;
    while i < n {
        if c[i] < i {
            if i % 2 == 0 {
                order.swap(0, i);
            } else {
                order.swap(c[i], i);
            }
            check(&order);
            c[i] += 1;
            i = 0;
        } else {
            c[i] = 0;
            i += 1;
        }
    }
    assert_eq!(orders, 720);
}

/// Who may survive a rule is never narrower than the rule: over every pair of findings the
/// fixtures give (each report's findings and the ones folded into them, as they were before
/// the fold) and the rules' own cases, a rule that folds a pair has its survivor allowed. So
/// asking only those survivors folds what asking every ordered pair folded.
#[test]
fn a_rule_folds_only_survivors_it_names() {
    let cases: Vec<String> = crate::golden::inputs()
        .into_iter()
        .map(|(c, _)| c)
        .collect();
    let mut findings = vec![
        fact("idx.errors.E0000047", Severity::Error).with("code", "E0000047"),
        fact("okta_error.E0000047", Severity::Error).with("code", "E0000047"),
        fact("rate_limit.exceeded", Severity::Error).with("signal", "E0000047"),
        fact("rate_limit.exceeded", Severity::Error),
        fact("okta_error.E0000150", Severity::Error).with("status", 429),
        fact("scope.missing", Severity::Error),
        fact("oauth_error.insufficient_scope", Severity::Error),
        fact("okta_error.E0000006", Severity::Error),
        fact("auth.scheme_mismatch", Severity::Error).with("why", "jwt_as_ssws"),
        fact("okta_error.E0000011", Severity::Error),
        fact("http.server_error", Severity::Error).with("status", 500),
        fact("okta_error.E0000009", Severity::Error).with("status", 500),
    ];
    for case in &cases {
        for f in fixture(case).findings {
            findings.extend(folded_facts(&f));
            findings.push(f);
        }
    }
    let mut folds = 0;
    for (may, rule) in RULES {
        for s in &findings {
            for o in &findings {
                if rule(s, o) {
                    assert!(may(s), "{} folds {}", s.id, o.id);
                    folds += 1;
                }
            }
        }
    }
    assert!(
        findings.len() > 300 && folds > 20,
        "{} {folds}",
        findings.len()
    );
}
