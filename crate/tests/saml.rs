//! A SAML Response is a bearer credential: no report of a pasted SAML message — as data
//! (`facts_of_text`, what the extension's listener-side call answers) or worded
//! (`analyze_text`, what the popup, the panel and the CLI show) — carries the message, a
//! signature value or an attribute value. Checked on every `tests/fixtures/saml-*` case: the
//! constructed ones seed their attribute and signature values with `SEEDED`
//! (tests/saml/make.py); for the real Okta ones the values are read from their XML here.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::{fs, path::PathBuf};

use base64::{engine::general_purpose::STANDARD, Engine};

fn fixtures() -> Vec<(String, String, i64)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let mut out: Vec<_> = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("saml-"))
        })
        .map(|p| {
            let input = fs::read_to_string(p.join("input.txt")).unwrap();
            let now = fs::read_to_string(p.join("now.txt"))
                .map(|s| s.trim().parse().unwrap())
                .unwrap_or(1_750_000_000);
            (p.display().to_string(), input, now)
        })
        .collect();
    out.sort();
    out
}

/// The text of every `<…Name>` element in `xml` (any prefix).
fn element_texts(xml: &str, name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in xml.split('<').skip(1) {
        let Some((tag, rest)) = part.split_once('>') else {
            continue;
        };
        let local = tag.split_whitespace().next().unwrap_or("");
        let local = local.rsplit(':').next().unwrap_or(local);
        if local == name && !tag.ends_with('/') {
            let text = rest.trim();
            if !text.is_empty() {
                out.push(text.to_string());
            }
        }
    }
    out
}

/// The longest run of base64 characters in `text`.
fn longest_base64_run(text: &str) -> String {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '+' || c == '/'))
        .max_by_key(|s| s.len())
        .unwrap_or("")
        .to_string()
}

#[test]
fn no_report_of_a_saml_message_carries_its_secrets() {
    let cases = fixtures();
    assert!(cases.len() >= 10, "the saml-* fixtures: {}", cases.len());
    let mut checked_values = 0;
    for (name, input, now) in cases {
        let trimmed = input.trim();
        let xml = if trimmed.starts_with('<') {
            trimmed.to_string()
        } else {
            let compact: String = trimmed.chars().filter(|c| !c.is_whitespace()).collect();
            STANDARD
                .decode(&compact)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .unwrap_or_default()
        };
        let mut secrets: Vec<String> = vec!["SEEDED".into()];
        for el in [
            "SignatureValue",
            "AttributeValue",
            "CipherValue",
            "X509Certificate",
        ] {
            secrets.extend(
                element_texts(&xml, el)
                    .into_iter()
                    .map(|s| s.get(..24.min(s.len())).unwrap_or(&s).to_string()),
            );
        }
        checked_values += secrets.len() - 1;
        let run = longest_base64_run(&input);
        if run.len() >= 200 {
            secrets.push(run[..40].to_string());
            secrets.push(run[run.len() / 2..run.len() / 2 + 40].to_string());
        }
        let facts = serde_json::to_string(&okta_medic::facts_of_text(&input, now)).unwrap();
        let shown = serde_json::to_string(&okta_medic::analyze_text(&input, now)).unwrap();
        assert!(facts.contains("\"saml."), "{name}: no saml finding");
        for s in &secrets {
            assert!(!facts.contains(s.as_str()), "{name}: the facts carry {s}");
            assert!(
                !shown.contains(s.as_str()),
                "{name}: the report carries {s}"
            );
        }
    }
    // The real fixtures' signature, certificate, cipher and attribute values were found and
    // checked, not skipped.
    assert!(checked_values >= 8, "values checked: {checked_values}");
}

#[test]
fn attribute_names_are_shown_and_their_values_never() {
    let input = fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures/saml-okta-assertion-ruby-saml/input.txt"),
    )
    .unwrap();
    let shown = serde_json::to_string(&okta_medic::analyze_text(&input, 1_375_566_913)).unwrap();
    assert!(shown.contains("Role"), "the attribute's name");
    assert!(!shown.contains("Admin<") && !shown.contains(": Admin"));
    assert!(shown.contains("admin@kluglabs.com"), "the NameID is shown");
}
