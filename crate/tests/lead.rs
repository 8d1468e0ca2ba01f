//! The action first (issue 15 item 2): every worded finding of every golden fixture opens with
//! one line of what to do (`todo`) and at most two sentences of why, and the report leads with
//! its first finding's action. Read from the reviewed expectations, so a golden whose first
//! line stops being an instruction fails here, not only in review.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::{fs, path::PathBuf};

use serde_json::Value;

fn expectations() -> Vec<(String, Value)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let mut out: Vec<(String, Value)> = fs::read_dir(dir)
        .expect("tests/fixtures exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.join("expected.json").is_file())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            let text = fs::read_to_string(p.join("expected.json")).unwrap();
            (name, serde_json::from_str(&text).unwrap())
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Sentence stops followed by a space and a capital: what a reader counts as sentences.
fn sentence_count(text: &str) -> usize {
    let chars: Vec<char> = text.chars().collect();
    let inner = chars
        .windows(3)
        .filter(|w| matches!(w[0], '.' | '!' | '?') && w[1] == ' ' && w[2].is_uppercase())
        .count();
    inner + 1
}

#[test]
fn every_golden_finding_opens_with_one_line_of_action_and_a_short_why() {
    let cases = expectations();
    assert!(cases.len() >= 30, "{} fixtures", cases.len());
    let mut bad = Vec::new();
    for (name, report) in &cases {
        let findings = report["findings"].as_array().unwrap();
        assert_eq!(
            report.get("todo"),
            findings.first().and_then(|f| f.get("todo")),
            "{name}: the report leads with its first finding's action"
        );
        for f in findings {
            let id = f["id"].as_str().unwrap();
            let Some(todo) = f["todo"].as_str() else {
                bad.push(format!("{name} {id}: no todo"));
                continue;
            };
            let one_line = !todo.contains('\n') && todo.chars().count() <= 200;
            let instruction = todo.ends_with('.')
                && todo.chars().next().is_some_and(char::is_uppercase)
                && !todo.contains("okta_error.")
                && !todo.contains("finding");
            if !(one_line && instruction) {
                bad.push(format!("{name} {id}: todo {todo:?}"));
            }
            if todo == f["title"].as_str().unwrap_or_default() {
                bad.push(format!("{name} {id}: todo repeats the title"));
            }
            if let Some(why) = f["why"].as_str() {
                if sentence_count(why) > 2 || why.chars().count() > 400 {
                    bad.push(format!("{name} {id}: why {why:?}"));
                }
                if why.contains("internal code") || why.contains(" = ") {
                    bad.push(format!("{name} {id}: why holds raw data {why:?}"));
                }
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
