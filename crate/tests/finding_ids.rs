//! `docs/finding-ids.md` lists every finding id the core can emit: each id literal in the
//! core's source (`Finding::new("…"` or `Finding::fact("…"`) and each id in the golden
//! fixtures' expected reports must be there — exactly, or under a family
//! (`okta_error.<code>`, `oauth_error.<error>`, `idx.<i18n key>`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::{
    fs,
    path::{Path, PathBuf},
};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The ids in the first column of the document's tables: exact ids and `family.<…>` prefixes.
fn documented() -> (Vec<String>, Vec<String>) {
    let doc = fs::read_to_string(root().join("docs/finding-ids.md")).expect("docs/finding-ids.md");
    let (mut exact, mut families) = (Vec::new(), Vec::new());
    for line in doc.lines().filter(|l| l.starts_with("| `")) {
        let id = line.split('`').nth(1).unwrap_or_default();
        match id.split_once(".<") {
            Some((family, _)) => families.push(format!("{family}.")),
            None => exact.push(id.to_string()),
        }
    }
    (exact, families)
}

fn is_documented(id: &str, (exact, families): &(Vec<String>, Vec<String>)) -> bool {
    exact.iter().any(|e| e == id) || families.iter().any(|f| id.starts_with(f.as_str()))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The string literal that opens each `Finding::new(` or `Finding::fact(` call (across a line
/// break too).
fn literal_ids(source: &str) -> Vec<String> {
    ["Finding::new(", "Finding::fact("]
        .iter()
        .flat_map(|ctor| source.split(ctor).skip(1))
        .filter_map(|rest| {
            let rest = rest.trim_start();
            let rest = rest.strip_prefix('"')?;
            let id = &rest[..rest.find('"')?];
            id.contains('.').then(|| id.to_string())
        })
        .collect()
}

#[test]
fn every_id_in_the_core_source_is_documented() {
    let doc = documented();
    let mut files = Vec::new();
    rust_files(&root().join("crate/src"), &mut files);
    let mut seen = 0;
    let mut missing = Vec::new();
    for file in &files {
        for id in literal_ids(&fs::read_to_string(file).unwrap()) {
            seen += 1;
            if !is_documented(&id, &doc) {
                missing.push(format!("{id} ({})", file.display()));
            }
        }
    }
    assert!(
        seen > 40,
        "found only {seen} Finding::new/fact ids: has the constructor changed?"
    );
    assert!(
        missing.is_empty(),
        "not in docs/finding-ids.md: {missing:#?}"
    );
}

#[test]
fn every_id_in_the_golden_fixtures_is_documented() {
    let doc = documented();
    let mut missing = Vec::new();
    let mut seen = 0;
    for case in fs::read_dir(root().join("tests/fixtures")).unwrap() {
        let expected = case.unwrap().path().join("expected.json");
        let Ok(text) = fs::read_to_string(&expected) else {
            continue;
        };
        let report: serde_json::Value = serde_json::from_str(&text).unwrap();
        for f in report["findings"].as_array().into_iter().flatten() {
            let id = f["id"].as_str().unwrap_or_default();
            seen += 1;
            if !is_documented(id, &doc) {
                missing.push(format!("{id} ({})", expected.display()));
            }
        }
    }
    assert!(seen > 200, "found only {seen} findings in the fixtures");
    assert!(
        missing.is_empty(),
        "not in docs/finding-ids.md: {missing:#?}"
    );
}

#[test]
fn an_undocumented_id_is_caught() {
    let doc = documented();
    assert!(is_documented("okta_error.E0000047", &doc));
    assert!(is_documented("jwt.expired", &doc));
    assert!(!is_documented("jwt.made_up", &doc));
    assert_eq!(
        literal_ids("Finding::new(\n  \"a.b\", x)"),
        vec!["a.b".to_string()]
    );
    assert_eq!(
        literal_ids("Finding::fact(\"c.d\", x)"),
        vec!["c.d".to_string()]
    );
}
