//! Golden tests: every `tests/fixtures/<case>/input.txt` (with `now.txt`, default
//! 1750000000) must produce exactly `expected.json`. `UPDATE_GOLDEN=1 cargo test` rewrites
//! the expectations; review the diff like code.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::{fs, path::PathBuf};

use serde_json::Value;

const DEFAULT_NOW: i64 = 1_750_000_000;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

#[test]
fn every_fixture_matches_its_expected_report() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1");
    let mut cases: Vec<PathBuf> = fs::read_dir(fixtures())
        .expect("tests/fixtures exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.join("input.txt").is_file())
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 30,
        "expected the fixture set, found {} cases",
        cases.len()
    );
    let mut failures = Vec::new();
    for case in &cases {
        let name = case
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("?")
            .to_string();
        let bytes = fs::read(case.join("input.txt")).expect("input.txt readable");
        let now = fs::read_to_string(case.join("now.txt"))
            .ok()
            .map(|s| {
                s.trim()
                    .parse::<i64>()
                    .expect("now.txt holds epoch seconds")
            })
            .unwrap_or(DEFAULT_NOW);
        let report = okta_medic::analyze_text(&String::from_utf8_lossy(&bytes), now);
        let got = serde_json::to_value(&report).expect("report serialises");
        let expected_path = case.join("expected.json");
        if update {
            let mut text = serde_json::to_string_pretty(&got).expect("pretty JSON");
            text.push('\n');
            fs::write(&expected_path, text).expect("expected.json writable");
            continue;
        }
        let expected: Value = match fs::read_to_string(&expected_path) {
            Ok(t) => serde_json::from_str(&t).expect("expected.json is JSON"),
            Err(_) => {
                failures.push(format!(
                    "{name}: no expected.json (run UPDATE_GOLDEN=1 cargo test)"
                ));
                continue;
            }
        };
        if got != expected {
            failures.push(format!(
                "{name}: report differs from expected.json\n--- got ---\n{}",
                serde_json::to_string_pretty(&got).unwrap_or_default()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// Findings are data until shown: analysing any fixture writes no words (no title, detail,
/// fix, command, docs or action) — the live listener folds exactly this — and wording it with
/// `explain::show` gives the golden report.
#[test]
fn analysis_writes_no_words_and_explain_writes_the_golden_ones() {
    let mut checked = 0;
    for entry in fs::read_dir(fixtures()).expect("tests/fixtures exists") {
        let case = entry.expect("readable entry").path();
        let Ok(input) = fs::read_to_string(case.join("input.txt")) else {
            continue;
        };
        let now = fs::read_to_string(case.join("now.txt"))
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(DEFAULT_NOW);
        let analysis = okta_medic::input::analyze(&input, now, &|_| None);
        for f in &analysis.findings {
            assert!(
                !f.is_worded()
                    && f.detail.is_empty()
                    && f.fix.is_empty()
                    && f.commands.is_empty()
                    && f.docs_url.is_none()
                    && f.action.is_none(),
                "{}: the analysis wrote words for {}",
                case.display(),
                f.id
            );
        }
        if matches!(
            analysis.input.kind,
            okta_medic::Kind::Exchange | okta_medic::Kind::HttpResponse
        ) {
            assert_eq!(
                analysis.summary,
                "",
                "{}: an exchange's summary is words",
                case.display()
            );
        }
        let mut shown = analysis;
        okta_medic::explain::show(&mut shown, &okta_medic::Trusted::default());
        // A HAR goes through the session (its own test); everything else must match.
        let expected: Value =
            serde_json::from_str(&fs::read_to_string(case.join("expected.json")).unwrap()).unwrap();
        if expected["input"]["kind"] != "har" {
            assert_eq!(
                serde_json::to_value(&shown).unwrap(),
                expected,
                "{}",
                case.display()
            );
        }
        checked += 1;
    }
    assert!(checked >= 30, "checked {checked} fixtures");
}
