//! `okta-medic har`: streaming analysis equals the in-memory analysis of the same file,
//! `--redact` writes a valid HAR with no secret left and a receipt, errors exit 2.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::run;
use std::path::PathBuf;

use serde_json::Value;

fn fixture(case: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(case)
        .join("input.txt")
}

#[test]
fn streaming_and_in_memory_analyses_agree() {
    let file = fixture("har-chrome-session");
    let file = file.to_str().unwrap();
    let streamed = run(&["har", "--json", file], b"");
    assert_eq!(
        streamed.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&streamed.stderr)
    );
    let whole = run(&["--json", "--now", "0", file], b"");
    let a: Value = serde_json::from_slice(&streamed.stdout).unwrap();
    let b: Value = serde_json::from_slice(&whole.stdout).unwrap();
    assert_eq!(a, b);
    assert_eq!(a["input"]["kind"], "har");
    assert_eq!(a["timeline"]["oktaEntries"], 4);
}

#[test]
fn human_output_counts_okta_traffic() {
    let out = run(
        &["har", fixture("har-chrome-session").to_str().unwrap()],
        b"",
    );
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("4 of 6 requests went to Okta, 4 failed"),
        "{text}"
    );
    assert!(text.contains("(×2)"), "{text}");
}

#[test]
fn human_output_tells_the_sign_in_story() {
    let out = run(
        &["har", fixture("flow-har-pkce-mismatch").to_str().unwrap()],
        b"",
    );
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Sign-in story (1 flow)"), "{text}");
    assert!(
        text.contains("Flow 1: client 0oa1b2c3d4e5f6g7h8i9 on dev-123456.okta.com"),
        "{text}"
    );
    assert!(
        text.contains(
            "Token            400 invalid_grant — PKCE verifier doesn't match the challenge  [flow.pkce_mismatch]"
        ),
        "{text}"
    );
    let story = text.find("Sign-in story").unwrap();
    assert!(
        story < text.find("Requests to Okta").unwrap(),
        "the story comes before the table"
    );
}

#[test]
fn redact_writes_a_clean_har_and_a_receipt() {
    let dir = std::env::temp_dir().join(format!("okta-medic-har-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let receipt = dir.join("receipt.json");
    let input = fixture("har-chrome-session");
    let out = run(
        &[
            "har",
            "--redact",
            "--receipt",
            receipt.to_str().unwrap(),
            input.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let original = std::fs::read_to_string(&input).unwrap();
    let clean: Value = serde_json::from_slice(&out.stdout).expect("the redacted HAR is JSON");
    let text = clean.to_string();
    // Every JWT signature in the original is gone; claims and support ids stay.
    let signature = original
        .split("Bearer ")
        .nth(1)
        .and_then(|t| t.split('"').next())
        .and_then(|t| t.rsplit('.').next())
        .unwrap();
    assert!(signature.len() > 100);
    assert!(!text.contains(signature));
    for kept in ["reqUsers429000000000000001", "oaetdtoG383SIGVNZ0UKgtRug", "eyJ2ZXIiOjEsImp0aSI6IkFULmtYUWlHbmR2bk14dEFueGM4VGZiN3lLZFk4SlJMNGMyWVFQX1VYSUdPdGciLCJpc3MiOiJodHRwOi8vbG9jYWxob3N0OjMwMDAvb2F1dGgyL2RlZmF1bHQiLCJhdWQiOiJhcGk6Ly9kZWZhdWx0IiwiaWF0IjoxNjIwNTY2MTkyLCJleHAiOjQxMTM1NjE4NjYsImNpZCI6ImZha2UiLCJ1aWQiOiIwMHUzcDk3eDVtbnJYaHNpTjBnNyIsInNjcCI6WyJwcm9maWxlIiwiZW1haWwiLCJvcGVuaWQiXSwic3ViIjoidGVzdEBva3RhLmNvbSJ9"] {
        assert!(text.contains(kept), "{kept} lost");
    }
    assert_eq!(clean["log"]["entries"].as_array().map(Vec::len), Some(6));
    assert_eq!(clean["log"]["creator"]["name"], "WebInspector");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("entries[2].request.headers[authorization]: JWT signature removed"),
        "{stderr}"
    );
    let r: Value = serde_json::from_str(&std::fs::read_to_string(&receipt).unwrap()).unwrap();
    assert!(r["redactions"].as_array().is_some_and(|a| a.len() >= 3));
    // The sanitised file analyses to the same findings.
    std::fs::write(dir.join("clean.har"), &out.stdout).unwrap();
    let again = run(
        &["har", "--json", dir.join("clean.har").to_str().unwrap()],
        b"",
    );
    let ids = |v: &Value| -> Vec<String> {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["id"].as_str().unwrap().to_string())
            .collect()
    };
    let before: Value =
        serde_json::from_slice(&run(&["har", "--json", input.to_str().unwrap()], b"").stdout)
            .unwrap();
    let after: Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(ids(&before), ids(&after));
}

#[test]
fn not_a_har_exits_2_with_one_line() {
    let dir = std::env::temp_dir().join(format!("okta-medic-nothar-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, body) in [
        ("a.json", "{\"log\": {}}"),
        ("b.json", "not json at all"),
        ("c.json", "[1,2]"),
    ] {
        let p = dir.join(name);
        std::fs::write(&p, body).unwrap();
        let out = run(&["har", p.to_str().unwrap()], b"");
        assert_eq!(out.status.code(), Some(2), "{name}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    }
    for args in [
        &["har"][..],
        &["har", "--bogus", "x"],
        &["har", "--receipt", "r.json", "x"],
    ] {
        assert_eq!(run(args, b"").status.code(), Some(2), "{args:?}");
    }
}
