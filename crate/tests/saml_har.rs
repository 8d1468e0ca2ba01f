//! SAML sign-ins in the one session fold (issue 17), from the fixtures tests/saml/har.py
//! writes: `flow-har-saml-*` (Chrome-shaped HARs) and `saml-tracer-sp-initiated` (a SAML-tracer
//! export). Each gives its finding, its story breaks at it, and no seeded secret (signature
//! values, attribute values, the base64 Response, RelayState) survives in the live store, the
//! tab's view, the HAR report, the support snippet, the JSON export or the sanitised HAR, which
//! says what it removed instead.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::{fs, path::PathBuf};

use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(name)
}

fn secrets(name: &str) -> Vec<String> {
    let input = fs::read_to_string(fixture(name).join("input.txt")).unwrap();
    let s: Vec<String> = fs::read_to_string(fixture(name).join("secrets.txt"))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect();
    assert!(!s.is_empty(), "{name}: secrets listed");
    // The signature and attribute values are inside the base64 Response (not in the input's
    // text): they would show only if a decoded message leaked, which is what they catch.
    assert!(
        s.iter().any(|secret| input.contains(secret.as_str())),
        "{name}: no secret in the input"
    );
    s
}

const CASES: [(&str, Option<&str>); 7] = [
    ("flow-har-saml-sp-initiated", None),
    ("flow-har-saml-idp-initiated", None),
    (
        "flow-har-saml-audience-mismatch",
        Some("saml.audience_mismatch"),
    ),
    (
        "flow-har-saml-destination-mismatch",
        Some("saml.destination_mismatch"),
    ),
    (
        "flow-har-saml-in-response-to-mismatch",
        Some("saml.in_response_to_mismatch"),
    ),
    (
        "flow-har-saml-okta-error-page",
        Some("saml.okta_error_page"),
    ),
    ("saml-tracer-sp-initiated", None),
];

#[test]
fn each_saml_fixture_gives_its_finding_and_its_story_breaks_there() {
    for (case, id) in CASES {
        let r: Value =
            serde_json::from_str(&fs::read_to_string(fixture(case).join("expected.json")).unwrap())
                .unwrap();
        let ids: Vec<&str> = r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["id"].as_str().unwrap())
            .collect();
        let steps: Vec<&Value> = r["flows"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|f| f["steps"].as_array().unwrap())
            .collect();
        let kinds: Vec<&str> = steps.iter().map(|s| s["step"].as_str().unwrap()).collect();
        match id {
            Some(id) => {
                assert!(ids.contains(&id), "{case}: {ids:?}");
                let broken = steps
                    .iter()
                    .any(|s| s["findingId"] == id && s["ok"] == false && s["label"].is_string());
                assert!(broken, "{case}: no step broke with {id}");
            }
            None => {
                let problems: Vec<&Value> = r["findings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|f| f["severity"] == "warning" || f["severity"] == "error")
                    .collect();
                assert!(problems.is_empty(), "{case}: {problems:?}");
                assert!(ids.contains(&"saml.response"), "{case}: {ids:?}");
                assert!(steps.iter().all(|s| s["ok"] == true), "{case}: {steps:?}");
            }
        }
        assert!(
            kinds.contains(&"saml-request") || case.contains("idp"),
            "{case}: {kinds:?}"
        );
        if !case.contains("okta-error-page") {
            assert!(kinds.contains(&"saml-response"), "{case}: {kinds:?}");
        }
    }
}

#[test]
fn no_seeded_secret_survives_in_any_output_and_the_sanitised_har_says_what_it_removed() {
    for (case, _) in CASES {
        let secrets = secrets(case);
        let input = fs::read_to_string(fixture(case).join("input.txt")).unwrap();
        let report = okta_medic::analyze_har(&input);
        let v: Value = serde_json::from_str(&input).unwrap();
        let har = if v.get("log").is_some() {
            v
        } else {
            okta_medic::har::tracer::to_har(&v).unwrap()
        };
        // The live tab: every entry folded as the listener folds it.
        let mut tab = okta_medic::live::Tab::default();
        for e in har["log"]["entries"].as_array().unwrap() {
            let ex = okta_medic::har::exchange(e).unwrap();
            tab.fold_live(&ex, None);
        }
        let mut view = serde_json::to_value(tab.view(0, 80)).unwrap();
        okta_medic::explain::show_groups(&mut view, &okta_medic::Trusted::default());
        let mut snippet_report = tab.digest.report(None);
        okta_medic::explain::show(&mut snippet_report, &okta_medic::Trusted::default());
        let (sanitised, receipt) = okta_medic::redact::har_text(&har.to_string()).unwrap();
        let outputs = [
            (
                "expected.json",
                fs::read_to_string(fixture(case).join("expected.json")).unwrap(),
            ),
            ("HAR report", serde_json::to_string(&report).unwrap()),
            (
                "live store",
                serde_json::to_string(&tab.snapshot()).unwrap(),
            ),
            ("tab view", view.to_string()),
            (
                "support snippet",
                okta_medic::export::markdown(&snippet_report),
            ),
            (
                "JSON export",
                okta_medic::export::json_text(&snippet_report),
            ),
            ("sanitised HAR", sanitised.clone()),
        ];
        for (what, text) in outputs {
            for s in &secrets {
                assert!(
                    !text.contains(s.as_str()),
                    "{case}: {s} leaked into the {what}"
                );
            }
        }
        let removed = if case.contains("idp") {
            "[SAMLResponse removed: Response ID="
        } else {
            "[SAMLRequest removed: AuthnRequest ID="
        };
        assert!(
            sanitised.contains(removed)
                || sanitised.contains(
                    &removed
                        .replace(' ', "%20")
                        .replace('=', "%3D")
                        .replace('[', "%5B")
                ),
            "{case}: no marker in {sanitised}"
        );
        assert!(
            receipt
                .redactions
                .iter()
                .any(|r| r.what == "SAML message removed"),
            "{case}: the receipt doesn't say"
        );
    }
}

/// The DevTools panel sanitises the text of the file it loaded (`redactHar` →
/// `har::redact_text`): a SAML-tracer export gives the HAR it records, sanitised, with the
/// markers and the receipt — as `okta-medic har --redact` does — not an error.
#[test]
fn a_saml_tracer_export_is_sanitised_as_the_har_it_records() {
    let case = "saml-tracer-sp-initiated";
    let input = fs::read_to_string(fixture(case).join("input.txt")).unwrap();
    assert!(
        okta_medic::redact::har_text(&input).is_err(),
        "not a HAR as such"
    );
    let (sanitised, receipt) = okta_medic::har::redact_text(&input).unwrap();
    let har: Value = serde_json::from_str(&sanitised).unwrap();
    assert_eq!(har["log"]["version"], "1.2");
    assert_eq!(har["log"]["entries"].as_array().unwrap().len(), 3);
    for s in secrets(case) {
        assert!(!sanitised.contains(s.as_str()), "{s} survived");
    }
    assert!(
        sanitised.contains("[SAMLResponse removed: Response ID="),
        "{sanitised}"
    );
    let removed = receipt
        .redactions
        .iter()
        .filter(|r| r.what == "SAML message removed")
        .count();
    assert!(removed >= 2, "{:?}", receipt.redactions);
    // Neither a HAR nor an export: the HAR reader's error, as before.
    let err = okta_medic::har::redact_text("{\"requests\": 3}").unwrap_err();
    assert!(err.starts_with("not a HAR file"), "{err}");
}
