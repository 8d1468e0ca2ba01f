//! The `okta-medic` binary end to end: arguments, exit codes, stdin, and hostile input
//! (10 MB of random bytes, invalid UTF-8, 10,000-deep JSON, a 1 MB claim). A hang guard
//! kills a run after 20 s; speed itself is measured by `./build.sh bench`, not here.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::{ids, run};

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use serde_json::{json, Value};

fn report(args: &[&str], stdin: &[u8]) -> Value {
    let out = run(args, stdin);
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("--json prints a report")
}

fn jwt(claims: &Value) -> String {
    format!(
        "{}.{}.c2lnbmF0dXJl",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256","kid":"k"}"#),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    )
}

/// A deterministic pseudo-random byte stream (xorshift), so failures reproduce.
fn noise(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

#[test]
fn expired_token_from_a_file_gives_jwt_expired() {
    let dir = std::env::temp_dir().join(format!("okta-medic-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let file = dir.join("token.txt");
    std::fs::write(
        &file,
        jwt(&json!({"iss": "https://dev-1.okta.com/oauth2/default", "exp": 1_700_000_000})),
    )
    .expect("write");
    let r = report(
        &[
            "--json",
            "--now",
            "1750000000",
            file.to_str().expect("utf-8 path"),
        ],
        b"",
    );
    assert!(ids(&r).contains(&"jwt.expired".to_string()), "{r}");
    assert_eq!(r["input"]["kind"], "jwt");
    assert_eq!(r["schemaVersion"], 1);
}

#[test]
fn stdin_and_dash_are_read() {
    let token = jwt(&json!({"exp": 2_000_000_000}));
    for args in [
        &["--json", "--now", "1750000000"][..],
        &["--json", "--now=1750000000", "-"],
    ] {
        let r = report(args, token.as_bytes());
        assert_eq!(ids(&r), ["jwt.not_okta", "jwt.signature_not_checked"]);
    }
}

#[test]
fn usage_and_io_errors_exit_2_with_one_line() {
    for args in [
        &["--bogus"][..],
        &["--now"],
        &["--now", "soon"],
        &["/nonexistent/okta-medic-input"],
        &["a", "b"],
    ] {
        let out = run(args, b"");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("okta-medic: "), "{err}");
    }
}

#[test]
fn version_and_help() {
    let v = run(&["--version"], b"");
    assert_eq!(v.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&v.stdout).trim(),
        format!("okta-medic {}", env!("CARGO_PKG_VERSION"))
    );
    let h = run(&["--help"], b"");
    assert_eq!(h.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&h.stdout).contains("Usage: okta-medic [OPTIONS] [FILE]"));
}

#[test]
fn human_output_off_a_terminal_has_no_escape_codes() {
    let out = run(
        &["--now", "1750000000"],
        jwt(&json!({"exp": 1, "sub": "\u{1b}[31mred"})).as_bytes(),
    );
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Token expired"), "{text}");
    assert!(!text.contains('\u{1b}'), "{text}");
}

#[test]
fn ten_megabytes_of_random_bytes() {
    let r = report(&["--json", "--now", "0"], &noise(10 * 1024 * 1024));
    assert_eq!(ids(&r), ["input.too_large"]);
}

#[test]
fn five_megabytes_of_random_bytes_under_the_limit() {
    let r = report(&["--json", "--now", "0"], &noise(5 * 1024 * 1024));
    assert_eq!(r["input"]["kind"], "unknown");
    assert_eq!(ids(&r).len(), 1);
}

#[test]
fn invalid_utf8() {
    let r = report(
        &["--json", "--now", "0"],
        &[0xff, 0xfe, b'e', b'y', b'J', 0x80, b'.', b'x'],
    );
    assert_eq!(r["severity"].as_str().map(|s| !s.is_empty()), Some(true));
    assert_eq!(ids(&r).len(), 1, "{r}");
}

#[test]
fn payload_nested_ten_thousand_levels() {
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let token = format!(
        "{}.{}.c2ln",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256"}"#),
        URL_SAFE_NO_PAD.encode(deep)
    );
    let r = report(&["--json", "--now", "0"], token.as_bytes());
    assert_eq!(ids(&r), ["jwt.malformed"]);
    let detail = r["findings"][0]["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains("payload") && detail.contains("recursion limit"),
        "{detail}"
    );
}

#[test]
fn one_megabyte_claim_is_decoded_whole() {
    let big = "x".repeat(1024 * 1024);
    let r = report(
        &["--json", "--now", "1750000000"],
        jwt(&json!({"exp": 10, "big": big})).as_bytes(),
    );
    assert_eq!(
        ids(&r),
        ["jwt.expired", "jwt.not_okta", "jwt.signature_not_checked"]
    );
    assert_eq!(
        r["token"]["claims"]["big"].as_str().map(str::len),
        Some(1024 * 1024)
    );
}

#[test]
fn three_segments_of_garbage() {
    let r = report(&["--json", "--now", "0"], b"qwertyuiop.asdfghjkl!.zxcvbnm");
    assert_eq!(ids(&r), ["jwt.malformed"]);
    assert!(r["findings"][0]["title"]
        .as_str()
        .is_some_and(|t| t.starts_with("Malformed JWT")));
}
