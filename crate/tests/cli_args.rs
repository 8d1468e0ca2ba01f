//! The `okta-medic` command line as a user types it (args.rs, clap): `--help` for the tool and
//! each command, `--opt VALUE` and `--opt=VALUE`, `--` before a file named like an option,
//! `--version`, `--color` and `NO_COLOR`, `--fail-on` and the exit statuses, the shell
//! completions, and the usage errors' exact words (one line on standard error, exit 2).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::path::PathBuf;

use common::{ids, run, run_in, run_with_env};

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use serde_json::{json, Value};

fn jwt(claims: &Value) -> String {
    format!(
        "{}.{}.c2lnbmF0dXJl",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256","kid":"k"}"#),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    )
}

/// An expired token: severity error (jwt.expired), two info findings.
fn expired() -> String {
    jwt(&json!({"iss": "https://dev-1.okta.com/oauth2/default", "exp": 1_700_000_000}))
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("okta-medic-args-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn help_for_the_tool_and_every_command() {
    let cases: [(&[&str], &str, &[&str]); 4] = [
        (
            &["--help"],
            "Usage: okta-medic [OPTIONS] [FILE]\n       okta-medic <COMMAND>",
            &[
                "--json",
                "--color <WHEN>",
                "--fail-on <SEVERITY>",
                "--now <EPOCH_SECONDS>",
                "--jwks <JWKS_FILE>",
                "--domain <HOST>",
                "--version",
                "Exit status:",
                "  2  a usage error, or input that could not be read",
            ],
        ),
        (
            &["-h"],
            "Usage: okta-medic [OPTIONS] [FILE]",
            &["har", "completions"],
        ),
        (
            &["har", "--help"],
            "Usage: okta-medic har [OPTIONS] <FILE>",
            &[
                "--redact",
                "--receipt <RECEIPT_JSON>",
                "--json",
                "--color <WHEN>",
                "--fail-on <SEVERITY>",
                "--domain <HOST>",
                "safe to attach to a support ticket",
            ],
        ),
        (
            &["completions", "--help"],
            "Usage: okta-medic completions <SHELL>",
            &["bash", "zsh", "fish"],
        ),
    ];
    for (args, usage, options) in cases {
        let out = run(args, b"");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        let text = stdout(&out);
        assert!(text.contains(usage), "{args:?}: {text}");
        for option in options {
            assert!(text.contains(option), "{args:?} lacks {option}: {text}");
        }
        assert!(stderr(&out).is_empty(), "{args:?}");
    }
}

#[test]
fn version_is_cargo_toml_s() {
    for flag in ["--version", "-V"] {
        let out = run(&[flag], b"");
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(
            stdout(&out),
            format!("okta-medic {}\n", env!("CARGO_PKG_VERSION"))
        );
    }
}

#[test]
fn a_value_after_a_space_or_an_equals_sign() {
    let dir = temp_dir("values");
    let keys = dir.join("keys.json");
    std::fs::write(&keys, r#"{"keys": []}"#).unwrap();
    let keys = keys.to_str().unwrap();
    let token = expired();
    let spaced = run(
        &[
            "--json",
            "--now",
            "1750000000",
            "--jwks",
            keys,
            "--domain",
            "login.example.com",
        ],
        token.as_bytes(),
    );
    let joined = run(
        &[
            "--json",
            "--now=1750000000",
            &format!("--jwks={keys}"),
            "--domain=login.example.com",
        ],
        token.as_bytes(),
    );
    assert_eq!(spaced.status.code(), Some(0), "{}", stderr(&spaced));
    assert_eq!(stdout(&spaced), stdout(&joined));
    let r: Value = serde_json::from_slice(&joined.stdout).unwrap();
    // --jwks was read: the signature was judged against the (empty) key set, not skipped.
    assert!(
        !ids(&r).contains(&"jwt.signature_not_checked".to_string()),
        "{r}"
    );
    assert!(ids(&r).contains(&"jwt.expired".to_string()), "{r}");
}

#[test]
fn double_dash_ends_the_options() {
    let dir = temp_dir("dashes");
    std::fs::write(dir.join("-x"), expired()).unwrap();
    std::fs::write(dir.join("har"), expired()).unwrap();
    for file in ["-x", "har"] {
        let out = run_in(
            Some(&dir),
            &["--json", "--now", "1750000000", "--", file],
            b"",
            &[],
        );
        assert_eq!(out.status.code(), Some(0), "{file}: {}", stderr(&out));
        let r: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(ids(&r).contains(&"jwt.expired".to_string()), "{file}: {r}");
    }
    let refused = run_in(Some(&dir), &["-x"], b"", &[]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("use '-- -x'"),
        "{}",
        stderr(&refused)
    );
}

#[test]
fn color_always_never_auto_and_no_color() {
    let token = expired();
    type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)], bool);
    let cases: [Case; 6] = [
        (&["--color", "always"], &[], true),
        (&["--color=always"], &[("NO_COLOR", "1")], true),
        (&["--color", "never"], &[], false),
        (&["--color", "auto"], &[], false),
        (&[], &[("NO_COLOR", "1")], false),
        (&[], &[], false),
    ];
    for (args, env, colored) in cases {
        let mut all = vec!["--now", "1750000000"];
        all.extend_from_slice(args);
        let out = run_with_env(&all, token.as_bytes(), env);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let text = stdout(&out);
        assert!(text.contains("Token expired"), "{text}");
        assert_eq!(
            text.contains("\u{1b}["),
            colored,
            "{args:?} {env:?}: {text}"
        );
    }
}

#[test]
fn fail_on_exits_1_at_or_above_the_severity() {
    let expired = expired();
    let valid = jwt(&json!({"exp": 2_000_000_000}));
    let cases = [
        (&expired, "error", 1),
        (&expired, "warning", 1),
        (&expired, "info", 1),
        (&valid, "info", 1),
        (&valid, "warning", 0),
        (&valid, "error", 0),
    ];
    for (input, level, code) in cases {
        for args in [
            vec!["--now", "1750000000", "--fail-on", level],
            vec![
                "--json",
                "--now",
                "1750000000",
                &format!("--fail-on={level}"),
            ],
        ] {
            let out = run(&args, input.as_bytes());
            assert_eq!(out.status.code(), Some(code), "{args:?}: {}", stderr(&out));
            assert!(!out.stdout.is_empty(), "the report is printed either way");
        }
    }
    let out = run(&["--now", "1750000000"], expired.as_bytes());
    assert_eq!(
        out.status.code(),
        Some(0),
        "without --fail-on, findings exit 0"
    );
}

/// Every golden fixture: `--fail-on warning` exits 1 exactly when the report's severity is
/// warning or error.
#[test]
fn fail_on_agrees_with_the_report_severity_on_every_fixture() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let mut seen = [0, 0];
    for case in std::fs::read_dir(&root).unwrap() {
        let case = case.unwrap().path();
        let Ok(input) = std::fs::read(case.join("input.txt")) else {
            continue;
        };
        let now = std::fs::read_to_string(case.join("now.txt"))
            .map(|s| s.trim().to_string())
            .unwrap_or_else(|_| "1750000000".into());
        let out = run(&["--json", "--now", &now, "--fail-on", "warning"], &input);
        let r: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{}: {e}: {}", case.display(), stderr(&out)));
        let want = i32::from(matches!(r["severity"].as_str(), Some("warning" | "error")));
        assert_eq!(
            out.status.code(),
            Some(want),
            "{}: {}",
            case.display(),
            r["severity"]
        );
        seen[want as usize] += 1;
    }
    assert!(
        seen[0] > 10 && seen[1] > 10,
        "both outcomes are exercised: {seen:?}"
    );
}

#[test]
fn har_takes_the_same_options() {
    let dir = temp_dir("har");
    let har = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/secrets/corpus.har");
    let har = har.to_str().unwrap();
    let report = run(&["har", "--json", "--domain=login.example.com", har], b"");
    assert_eq!(report.status.code(), Some(0), "{}", stderr(&report));
    let r: Value = serde_json::from_slice(&report.stdout).unwrap();
    let severity = r["severity"].as_str().unwrap().to_string();
    let failing = run(&["har", "--fail-on", "info", "--color=never", har], b"");
    assert_eq!(
        failing.status.code(),
        Some(i32::from(severity != "ok")),
        "{severity}"
    );
    let receipt = dir.join("receipt.json");
    let receipt = receipt.to_str().unwrap();
    for args in [
        ["har", "--redact", "--receipt", receipt, har],
        [
            "har",
            "--redact",
            &format!("--receipt={receipt}"),
            "--",
            har,
        ],
    ] {
        let _ = std::fs::remove_file(receipt);
        let out = run(&args, b"");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert!(
            std::fs::metadata(receipt).is_ok(),
            "{args:?} wrote no receipt"
        );
    }
}

#[test]
fn completions_for_bash_zsh_and_fish() {
    for shell in ["bash", "zsh", "fish"] {
        let out = run(&["completions", shell], b"");
        assert_eq!(out.status.code(), Some(0), "{shell}: {}", stderr(&out));
        let script = stdout(&out);
        // fish spells options without their dashes (`-l fail-on`).
        for word in [
            "okta-medic",
            "fail-on",
            "redact",
            "jwks",
            "har",
            "completions",
        ] {
            assert!(script.contains(word), "{shell} lacks {word}");
        }
    }
    // The bash script parses (`bash -n`), fed on standard input.
    let script = run(&["completions", "bash"], b"").stdout;
    let mut bash = std::process::Command::new("bash")
        .arg("-n")
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut bash.stdin.take().unwrap(), &script).unwrap();
    assert!(
        bash.wait().unwrap().success(),
        "bash -n refused the completion script"
    );
}

/// The exact words of each usage error: one line, `okta-medic: ` first, exit 2.
#[test]
fn usage_errors_word_for_word() {
    let cases: [(&[&str], &str); 12] = [
        (&["--bogus"], "unexpected argument '--bogus' found; to pass '--bogus' as a value, use '-- --bogus' (see --help)"),
        (&["--jsn"], "unexpected argument '--jsn' found; a similar argument exists: '--json' (see --help)"),
        (&["--now"], "a value is required for '--now <EPOCH_SECONDS>' but none was supplied (see --help)"),
        (&["--now", "soon"], "invalid value 'soon' for '--now <EPOCH_SECONDS>': not a whole number of seconds (see --help)"),
        (&["--domain=not a host"], "invalid value 'not a host' for '--domain <HOST>': not a host name (login.example.com or *.example.com) (see --help)"),
        (&["--color", "sometimes"], "invalid value 'sometimes' for '--color <WHEN>' [possible values: auto, always, never] (see --help)"),
        (&["--fail-on=fatal"], "invalid value 'fatal' for '--fail-on <SEVERITY>' [possible values: info, warning, error] (see --help)"),
        (&["a", "b"], "only one FILE may be given, got another: b (see --help)"),
        (&["token.txt", "har"], "har comes first: okta-medic har … (see okta-medic har --help)"),
        (&["har"], "the following required arguments were not provided: <FILE> (see --help)"),
        (&["har", "--receipt", "r.json", "x"], "the following required arguments were not provided: --redact (see --help)"),
        (&["har", "--redact", "--json", "x"], "the argument '--redact' cannot be used with '--json' (see --help)"),
    ];
    for (args, words) in cases {
        let out = run(args, b"");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert_eq!(stderr(&out), format!("okta-medic: {words}\n"), "{args:?}");
    }
}

/// Input that can't be read keeps the status it had before clap: 2, one line.
#[test]
fn unreadable_input_exits_2() {
    let cases: [(&[&str], &str); 3] = [
        (
            &["/nonexistent/okta-medic-in"],
            "cannot open /nonexistent/okta-medic-in: No such file or directory (os error 2)",
        ),
        (
            &["--jwks", "/nonexistent/keys.json", "-"],
            "cannot read /nonexistent/keys.json: No such file or directory (os error 2)",
        ),
        (
            &["har", "/nonexistent/x.har"],
            "cannot open /nonexistent/x.har: No such file or directory (os error 2)",
        ),
    ];
    for (args, words) in cases {
        let out = run(args, b"x");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(stderr(&out), format!("okta-medic: {words}\n"), "{args:?}");
    }
}
