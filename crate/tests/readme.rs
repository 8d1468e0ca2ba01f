//! The README stays true to the tree and to the CLI: its Layout names every folder and tool
//! (issue 18: a fresh machine needs only the README), and its CLI section's option table lists
//! each option `okta-medic --help` and `okta-medic har --help` print, once.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The text of `## heading` up to the next `## `.
fn section(readme: &str, heading: &str) -> String {
    let start = readme
        .find(&format!("\n## {heading}\n"))
        .unwrap_or_else(|| panic!("README has no ## {heading}"));
    let rest = &readme[start + 1..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |i| i + 3);
    rest[..end].to_string()
}

/// Names in `dir` (files and folders), without the generated and ignored ones.
fn names(dir: &Path, folders_only: bool) -> Vec<String> {
    const GENERATED: [&str; 7] = [
        "target",
        "node_modules",
        "dist",
        "pkg",
        ".git",
        "results.json",
        "Cargo.lock",
    ];
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| !folders_only || e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !GENERATED.contains(&n.as_str()) && !n.starts_with('.'))
        .collect();
    out.sort();
    out
}

#[test]
fn layout_names_every_folder_and_tool() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let layout = section(&readme, "Layout");
    let mut missing = Vec::new();
    for (dir, folders_only) in [
        ("", false),
        ("crate", false),
        ("crate/src", true),
        ("crate/tests", true),
        ("extension", false),
        ("tests", false),
        ("bench", false),
        ("tools", false),
        ("docs", false),
    ] {
        for name in names(&root().join(dir), folders_only) {
            let named = layout.contains(&name)
                || (name.ends_with(".md") && name != "README.md" && layout.contains("docs/"));
            if !named && name != "README.md" {
                missing.push(format!("{dir}/{name}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "README § Layout does not name: {missing:?}"
    );
}

/// `--long` options in a `--help` text.
fn options(help: &str) -> Vec<String> {
    let mut out: Vec<String> = help
        .lines()
        .map(str::trim_start)
        .filter_map(|l| {
            let l = l
                .strip_prefix("-h, ")
                .or(l.strip_prefix("-V, "))
                .unwrap_or(l);
            let word = l.strip_prefix("--")?.split([' ', '=', ',']).next()?;
            Some(format!("--{word}"))
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

#[test]
fn the_cli_section_lists_each_option_once() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let cli = section(&readme, "The CLI");
    let rows: Vec<&str> = cli.lines().filter(|l| l.starts_with("| `-")).collect();
    let mut all = Vec::new();
    for args in [&["--help"][..], &["har", "--help"]] {
        let help = common::run(args, b"").stdout;
        all.extend(options(&String::from_utf8(help).unwrap()));
    }
    all.sort();
    all.dedup();
    assert!(all.len() >= 9, "{all:?}");
    for option in &all {
        if option == "--redact" || option == "--receipt" {
            // har's own: described under "Sending a HAR to Okta support".
            assert!(
                readme.contains(&format!("har {option}"))
                    || readme.contains(&format!("`{option}`")),
                "{option}"
            );
            continue;
        }
        let listed = rows
            .iter()
            .filter(|r| r.contains(&format!("`{option}")))
            .count();
        assert_eq!(listed, 1, "{option} is in {listed} rows of the CLI table");
    }
}
