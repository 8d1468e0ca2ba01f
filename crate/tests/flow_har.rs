//! The sign-in flow HAR fixtures (`tests/fixtures/flow-har-*`, written by tests/flows/make.py):
//! each lists in `secrets.txt` the codes, verifiers, refresh tokens, states and cookie values
//! its input carries. None may appear in its expected report, in the report as analysed now,
//! in its support snippet or JSON export, or in the session state the fold keeps (what a live
//! tab stores: the digest with its flow state).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::{fs, path::PathBuf};

fn cases() -> Vec<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let mut cases: Vec<PathBuf> = fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("flow-har-"))
        })
        .collect();
    cases.sort();
    cases
}

#[test]
fn no_flow_secret_survives_in_any_output() {
    let cases = cases();
    assert!(cases.len() >= 11, "found {} flow HAR cases", cases.len());
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let secrets: Vec<String> = fs::read_to_string(case.join("secrets.txt"))
            .unwrap()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::to_string)
            .collect();
        assert!(!secrets.is_empty(), "{name}: no secrets listed");
        let input = fs::read_to_string(case.join("input.txt")).unwrap();
        // A verifier that only its challenge represents in the input is listed but not there.
        let secrets: Vec<String> = secrets
            .into_iter()
            .filter(|s| input.contains(s.as_str()))
            .collect();
        assert!(!secrets.is_empty(), "{name}: no secret in the input");
        let har: serde_json::Value = serde_json::from_str(&input).unwrap();
        let mut analysis = okta_medic::har::Analysis::default();
        for e in har["log"]["entries"].as_array().unwrap() {
            analysis.add_entry(e);
        }
        let report = analysis.report();
        assert!(
            report.flows.as_ref().is_some_and(|f| !f.is_empty()),
            "{name}: no story"
        );
        let outputs = [
            (
                "expected.json",
                fs::read_to_string(case.join("expected.json")).unwrap(),
            ),
            ("report", serde_json::to_string(&report).unwrap()),
            ("markdown", okta_medic::export::markdown(&report)),
            ("json export", okta_medic::export::json_text(&report)),
            (
                "stored digest",
                serde_json::to_string(&analysis.session.digest).unwrap(),
            ),
        ];
        for (what, text) in outputs {
            for s in &secrets {
                assert!(
                    !text.contains(s.as_str()),
                    "{name}: {s} leaked into the {what}"
                );
            }
        }
    }
}

#[test]
fn each_flow_fixture_gives_its_finding() {
    for (case, id) in [
        ("pkce-mismatch", "flow.pkce_mismatch"),
        ("pkce-verifier-missing", "flow.pkce_verifier_missing"),
        ("state-mismatch", "flow.state_mismatch"),
        ("code-reused", "flow.code_reused"),
        ("host-mismatch", "flow.host_mismatch"),
        ("issuer-mismatch", "flow.issuer_mismatch"),
        ("callback-error", "oauth_error.access_denied"),
        ("silent-renew-no-session", "flow.silent_renew_no_session"),
        (
            "third-party-cookies-blocked",
            "flow.third_party_cookies_blocked",
        ),
        ("refresh-token-reused", "flow.refresh_token_reused"),
        ("renew-loop", "flow.renew_loop"),
    ] {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures")
            .join(format!("flow-har-{case}/expected.json"));
        let r: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
        let ids: Vec<&str> = r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["id"].as_str().unwrap())
            .collect();
        assert!(ids.contains(&id), "{case}: {ids:?}");
        let broken = r["flows"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|f| f["steps"].as_array().unwrap())
            .any(|s| s["findingId"] == id && s["ok"] == false && s["label"].is_string());
        assert!(broken, "{case}: no step broke with {id}");
    }
}
