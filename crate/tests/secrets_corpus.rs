//! The seeded-secrets corpus (`tests/secrets/`, written by its `make.py`): a
//! Chrome-shaped HAR with over 100 secrets, each a unique marker listed in `manifest.json`
//! with its place and kind. No marker may survive in any output: the CLI's `har --redact`,
//! the in-memory redactor, the CLI's analysis report, and the support snippet, JSON export
//! and live store built from the corpus's exchanges. Request ids, errorIds, E-codes, client
//! ids and claims must survive, and values not redacted must pass byte for byte.
//! (The wasm `redactHar` is checked on the same corpus by tests/contract/har.test.mjs.)

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::path::PathBuf;

use common::run;
use serde_json::Value;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/secrets")
}

fn corpus_path() -> String {
    dir().join("corpus.har").to_str().unwrap().to_string()
}

fn manifest() -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir().join("manifest.json")).unwrap()).unwrap()
}

fn list<'a>(m: &'a Value, key: &str) -> Vec<&'a str> {
    m[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect()
}

/// Every marker (and every `absent` text) missing from `out`; the message lists what leaked.
fn assert_no_secret(what: &str, out: &str) {
    let m = manifest();
    let secrets = m["secrets"].as_array().unwrap();
    assert!(
        secrets.len() >= 100,
        "the corpus has {} secrets",
        secrets.len()
    );
    let mut leaked: Vec<String> = secrets
        .iter()
        .filter(|s| out.contains(s["marker"].as_str().unwrap()))
        .map(|s| format!("{} ({}: {})", s["marker"], s["place"], s["kind"]))
        .collect();
    leaked.extend(
        m["absent"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| out.contains(a["text"].as_str().unwrap()))
            .map(|a| format!("{} ({})", a["text"], a["place"])),
    );
    assert!(
        leaked.is_empty(),
        "{what}: {} of {} secrets leaked:\n  {}",
        leaked.len(),
        secrets.len() + 1,
        leaked.join("\n  ")
    );
}

fn assert_kept(what: &str, out: &str, exact: bool) {
    let m = manifest();
    let mut keys = list(&m, "keep");
    if exact {
        keys.extend(list(&m, "exact"));
    }
    let lost: Vec<&str> = keys.into_iter().filter(|k| !out.contains(k)).collect();
    assert!(lost.is_empty(), "{what}: lost {lost:?}");
}

fn corpus() -> String {
    std::fs::read_to_string(corpus_path()).unwrap()
}

#[test]
fn the_corpus_holds_every_marker_it_lists() {
    let text = corpus();
    let m = manifest();
    // Markers inside base64 content are not visible in the file; all others must be.
    let visible = m["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| text.contains(s["marker"].as_str().unwrap()))
        .count();
    assert!(visible >= 100, "{visible}");
    for e in list(&m, "exact").into_iter().chain(list(&m, "keep")) {
        assert!(text.contains(e), "{e} is not in the corpus");
    }
}

#[test]
fn cli_har_redact_keeps_no_secret_and_every_support_value() {
    let out = run(&["har", "--redact", &corpus_path()], b"");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let parsed: Value = serde_json::from_str(&text).expect("the sanitised HAR is JSON");
    assert!(parsed["log"]["entries"].as_array().unwrap().len() >= 70);
    assert_no_secret("har --redact", &text);
    assert_kept("har --redact", &text, true);
    let receipt = String::from_utf8(out.stderr).unwrap();
    for kind in [
        "member dropped",
        "body replaced: unparsable JSON",
        "JWT signature removed",
        "digest",
        "masked",
        "path token",
    ] {
        assert!(receipt.contains(kind), "the receipt never says {kind:?}");
    }
}

#[test]
fn in_memory_redaction_keeps_no_secret() {
    let mut v: Value = serde_json::from_str(&corpus()).unwrap();
    let receipt = okta_medic::redact::har_document(&mut v);
    let text = v.to_string();
    assert_no_secret("redact::har_document", &text);
    assert_kept("redact::har_document", &text, false);
    assert!(
        receipt.redactions.len() >= 150,
        "{}",
        receipt.redactions.len()
    );
}

#[test]
fn the_analysis_report_keeps_no_secret() {
    let out = run(&["har", "--json", &corpus_path()], b"");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_no_secret("har --json", &text);
    assert!(text.contains("E0000011"));
}

#[test]
fn snippet_export_and_live_store_built_from_the_corpus_keep_no_secret() {
    let v: Value = serde_json::from_str(&corpus()).unwrap();
    let mut digest = okta_medic::digest::Digest::default();
    let mut tab = okta_medic::live::Tab::default();
    for entry in v["log"]["entries"].as_array().unwrap() {
        let Some(ex) = okta_medic::har::exchange(entry) else {
            continue;
        };
        let report = okta_medic::analyze_exchange(&ex);
        digest.add(&report, ex.observed_at.unwrap_or(0.0));
        let location = ex
            .response_headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case("location"))
            .and_then(|h| h.value);
        tab.fold_live(&ex, location);
    }
    let mut report = digest.report(None);
    okta_medic::redact::seal(&mut report);
    let stored = serde_json::to_string(&digest).unwrap();
    let live = serde_json::to_string(&tab.snapshot()).unwrap();
    let markdown = okta_medic::export::markdown(&report);
    let json = serde_json::to_string(&okta_medic::export::json(&report)).unwrap();
    for (what, out) in [
        ("stored digest", &stored),
        ("live store snapshot", &live),
        ("support snippet", &markdown),
        ("JSON export", &json),
    ] {
        assert_no_secret(what, out);
    }
    assert!(json.contains("reqKeep"), "{json}");
}

/// Pasted text is sealed as data, then only its words are sealed again (`explain::show_sealed`):
/// every piece of the corpus a user could paste (each URL, header line, request and response
/// body, and the whole HAR) gives the same shown report as wording the data and sealing all of
/// it a second time, and no marker survives in either. Among them the base64 body
/// `{"refresh_token": "SEKRET151zq"}` pasted alone: it reads as a malformed JWT whose decoded
/// "header" the token view shows, and the secret-named member was shown as it was until the seal
/// judged a token's members by name (`redact/members.rs`).
#[test]
fn pasted_pieces_shown_once_sealed_match_the_full_second_seal() {
    let corpus = corpus();
    let v: Value = serde_json::from_str(&corpus).unwrap();
    let mut pieces = vec![corpus.clone()];
    for entry in v["log"]["entries"].as_array().unwrap() {
        let (req, res) = (&entry["request"], &entry["response"]);
        pieces.extend(req["url"].as_str().map(str::to_string));
        for side in [req, res] {
            for h in side["headers"].as_array().into_iter().flatten() {
                let (n, v) = (h["name"].as_str(), h["value"].as_str());
                pieces.push(format!("{}: {}", n.unwrap(), v.unwrap()));
            }
        }
        pieces.extend(req["postData"]["text"].as_str().map(str::to_string));
        pieces.extend(res["content"]["text"].as_str().map(str::to_string));
    }
    assert!(pieces.len() > 200, "{} pieces", pieces.len());
    let now = 1_750_000_000;
    let mut shown_all = String::new();
    for text in &pieces {
        let shown = okta_medic::analyze_text(text, now);
        let mut twice = okta_medic::facts_of_text(text, now);
        okta_medic::explain::show(&mut twice, &okta_medic::Trusted::default());
        let shown = serde_json::to_string(&shown).unwrap();
        assert_eq!(
            shown,
            serde_json::to_string(&twice).unwrap(),
            "pasted: {text}"
        );
        shown_all.push_str(&shown);
    }
    assert_no_secret("pasted pieces, shown", &shown_all);
}

/// An exchange handed over by the wasm boundary (`analyzeExchangeFields`,
/// `showExchangeFields`) is read owned and sealed once (`facts_of_owned_exchange`,
/// `show_owned_exchange`): for every exchange of the corpus and every golden fixture that is
/// one exchange object, the same data and shown reports as the borrowed path with its second
/// full seal, and no marker survives in either.
#[test]
fn exchanges_handed_over_match_the_borrowed_path() {
    let mut exchanges = Vec::new();
    let v: Value = serde_json::from_str(&corpus()).unwrap();
    for entry in v["log"]["entries"].as_array().unwrap() {
        exchanges.extend(okta_medic::har::exchange(entry));
    }
    let corpus_exchanges = exchanges.len();
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures");
    for dir in std::fs::read_dir(fixtures).unwrap() {
        let Ok(text) = std::fs::read_to_string(dir.unwrap().path().join("input.txt")) else {
            continue;
        };
        let Ok(v) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        if v.get("responseHeaders").is_some() {
            exchanges.push(serde_json::from_value(v).unwrap());
        }
    }
    assert!(corpus_exchanges > 20 && exchanges.len() > corpus_exchanges + 20);
    let trusted = okta_medic::Trusted::parse(&["*.example.com".to_string()]);
    let mut shown_all = String::new();
    for ex in &exchanges {
        let json = |r: &okta_medic::report::Report| serde_json::to_string(r).unwrap();
        let data = json(&okta_medic::facts_of_owned_exchange(ex.clone()));
        assert_eq!(data, json(&okta_medic::facts_of_exchange(ex)), "{ex:?}");
        let shown = json(&okta_medic::show_owned_exchange(ex.clone(), &trusted));
        let borrowed = json(&okta_medic::analyze_exchange_trusting(ex, &trusted));
        assert_eq!(shown, borrowed, "{ex:?}");
        shown_all.push_str(&data);
        shown_all.push_str(&shown);
    }
    assert_no_secret("exchanges handed over, data and shown", &shown_all);
}
