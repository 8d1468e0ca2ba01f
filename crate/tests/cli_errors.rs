//! The `okta-medic` binary on real error transcripts: `curl -si` and `curl -v` output piped
//! in (HTTP/1.1 and HTTP/2, CRLF, upper-case headers), the SDKs' error string, a redirect URL
//! in a file. Checks the finding ids, that commands are filled in from the transcript (org,
//! user, request id) with secrets left as environment variables, and that nothing hostile or
//! secret from the input reaches a command.

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

/// The JSON report for `stdin`, plus the raw stdout (to search for leaks).
fn report(stdin: &str) -> (Value, String) {
    let out = run(&["--json", "--now", "1750000000"], stdin.as_bytes());
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf-8 output");
    (
        serde_json::from_str(&text).expect("--json prints a report"),
        text,
    )
}

fn finding<'a>(r: &'a Value, id: &str) -> &'a Value {
    r["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|f| f["id"] == id)
        .unwrap_or_else(|| panic!("no {id} in {r}"))
}

fn commands(f: &Value) -> Vec<String> {
    f["commands"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["command"].as_str().map(String::from))
        .collect()
}

fn jwt(claims: &Value) -> String {
    format!(
        "{}.{}.c2lnbmF0dXJlLXNlY3JldA",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256","kid":"k1"}"#),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    )
}

#[test]
fn curl_si_http2_crlf_upper_case_headers() {
    let transcript = "HTTP/2 401 \r\nDATE: Sun, 15 Jun 2025 15:06:40 GMT\r\nCONTENT-TYPE: application/json\r\nX-OKTA-REQUEST-ID: reqVy8wsvmBQN27h4soUE3ZEnA\r\nvary: Origin\r\nVary: Accept-Encoding\r\n\r\n{\"errorCode\":\"E0000011\",\"errorSummary\":\"Invalid token provided\",\"errorLink\":\"E0000011\",\"errorId\":\"oaeY-4G_TBUTBSZAn9n7oZCfw\",\"errorCauses\":[]}\r\n";
    let (r, _) = report(transcript);
    assert_eq!(r["input"]["kind"], "http_response");
    assert_eq!(r["request"]["statusCode"], 401);
    assert_eq!(r["request"]["requestId"], "reqVy8wsvmBQN27h4soUE3ZEnA");
    let ids = ids(&r);
    assert!(ids.contains(&"okta_error.E0000011".into()), "{ids:?}");
    assert!(ids.contains(&"http.request_id".into()), "{ids:?}");
    let e = finding(&r, "okta_error.E0000011");
    assert!(e["detail"].as_str().unwrap().contains("30 days"));
    assert!(commands(e)
        .iter()
        .any(|c| c.contains("requestId eq \"reqVy8wsvmBQN27h4soUE3ZEnA\"")));
}

#[test]
fn curl_v_missing_scope_names_both_scopes_and_fills_in_the_org() {
    let token = jwt(&json!({
        "ver": 1, "jti": "AT.1", "iss": "https://dev-123456.okta.com", "aud": "https://dev-123456.okta.com",
        "sub": "0oa5svcAPPid0000h5d7", "cid": "0oa5svcAPPid0000h5d7", "iat": 1_749_999_400,
        "exp": 1_750_003_000, "scp": ["okta.users.read"]
    }));
    let transcript = format!(
        "*   Trying 203.0.113.10:443...\n> GET /api/v1/groups?limit=200 HTTP/2\n> Host: dev-123456.okta.com\n> authorization: Bearer {token}\n>\n< HTTP/2 403 \n< content-length: 0\n< www-authenticate: Bearer realm=\"https://dev-123456.okta.com\", scope=\"okta.groups.read\", error=\"insufficient_scope\", error_description=\"The access token provided does not contain the required scopes.\", resource=\"/api/v1/groups\"\n<\n* Connection #0 to host dev-123456.okta.com left intact\n"
    );
    let (r, text) = report(&transcript);
    assert_eq!(r["request"]["method"], "GET");
    // One cause: the challenge is folded into the missing scope, its Okta cause kept.
    let missing = finding(&r, "scope.missing");
    assert_eq!(
        missing["folded"],
        serde_json::json!(["oauth_error.insufficient_scope"])
    );
    assert_eq!(missing["oktaCause"], "access_token_insufficient_scopes");
    let detail = missing["detail"].as_str().unwrap();
    assert!(detail.contains("okta.groups.read") && detail.contains("okta.users.read"));
    assert!(commands(missing).iter().any(|c| c
        .contains("https://dev-123456.okta.com/api/v1/apps/0oa5svcAPPid0000h5d7/grants")
        && c.contains("$OKTA_API_TOKEN")));
    assert!(!text.contains(&token), "the token must not be echoed");
    assert!(
        !text.contains("c2lnbmF0dXJlLXNlY3JldA"),
        "the signature must not be kept"
    );
}

#[test]
fn curl_v_lifecycle_call_fills_in_the_user_and_hides_the_api_token() {
    let secret = "00abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP";
    let transcript = format!(
        "> POST /api/v1/users/00ub0oNGTSWTBKOLGLNR/lifecycle/suspend HTTP/1.1\n> Host: acme.okta.com\n> Authorization: SSWS {secret}\n>\n< HTTP/1.1 403 Forbidden\n< Content-Type: application/json\n< X-Okta-Request-Id: reqSuspend0000000000000001\n<\n{{\"errorCode\":\"E0000038\",\"errorSummary\":\"This operation is not allowed in the user's current status.\",\"errorLink\":\"E0000038\",\"errorId\":\"oaeStatus0000000000000000\",\"errorCauses\":[]}}\n"
    );
    let (r, text) = report(&transcript);
    let f = finding(&r, "okta_error.E0000038");
    let cmds = commands(f);
    assert!(cmds.iter().any(|c| c
        == "curl -g -s \"https://acme.okta.com/api/v1/users/00ub0oNGTSWTBKOLGLNR\" -H \"Authorization: SSWS $OKTA_API_TOKEN\" -H 'Accept: application/json'"));
    assert!(cmds
        .iter()
        .any(|c| c.contains("/api/v1/users/00ub0oNGTSWTBKOLGLNR/lifecycle/unsuspend")));
    assert!(!text.contains(secret), "the API token must not be echoed");
}

#[test]
fn the_sdk_error_string_and_a_redirect_url_file() {
    let (r, _) = report("Okta HTTP 401 E0000011 Invalid token provided.\n");
    assert_eq!(r["input"]["kind"], "okta_error");
    assert_eq!(ids(&r), ["okta_error.E0000011"]);
    assert_eq!(r["request"]["statusCode"], 401);

    let dir = std::env::temp_dir().join(format!("okta-medic-cli-errors-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let file = dir.join("redirect.txt");
    std::fs::write(&file, "http://localhost:8080/login/callback?code=SECRETCODE&state=S1&error=access_denied&error_description=User+is+not+assigned+to+the+client+application.\n").expect("write");
    let out = run(&["--json", file.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let r: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(r["input"]["kind"], "redirect_url");
    assert_eq!(
        finding(&r, "oauth_error.access_denied")["oktaCause"],
        "user_not_assigned"
    );
    assert!(!text.contains("SECRETCODE"), "code must be redacted");
}

#[test]
fn hostile_values_never_reach_a_command() {
    let transcript = "> GET /api/v1/users/$(touch%20pwned)/roles HTTP/1.1\n> Host: evil.example;rm -rf ~\n>\n< HTTP/1.1 404 Not Found\n< Content-Type: application/json\n< X-Okta-Request-Id: req\"; rm -rf ~; echo \"\n<\n{\"errorCode\":\"E0000007\",\"errorSummary\":\"Not found: Resource not found: x (User)\"}\n";
    let (r, _) = report(transcript);
    assert!(ids(&r).contains(&"okta_error.E0000007".into()));
    for f in r["findings"].as_array().unwrap() {
        for c in commands(f) {
            for bad in ["touch", "rm -rf", "evil.example", "pwned"] {
                assert!(!c.contains(bad), "{bad} reached a command: {c}");
            }
        }
    }
}

#[test]
fn human_output_shows_the_explanation_and_the_commands() {
    let out = run(
        &["--now", "1750000000"],
        b"HTTP/1.1 401 Unauthorized\nContent-Type: application/json\n\n{\"errorCode\":\"E0000004\",\"errorSummary\":\"Authentication failed\",\"errorLink\":\"E0000004\",\"errorId\":\"oaeuHRrvMnuRga5UzpKIOhKpQ\",\"errorCauses\":[]}\n",
    );
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "E0000004",
        "LOCKED_OUT",
        "/lifecycle/unlock",
        "$OKTA_USER_ID",
    ] {
        assert!(text.contains(needle), "{needle} missing from:\n{text}");
    }
}

/// A transcript from a custom domain: its host is named in commands only when the user
/// trusts it (`--domain`, or `OKTA_DOMAIN`); otherwise `$OKTA_DOMAIN` and the reason.
#[test]
fn a_custom_domain_is_named_only_when_trusted() {
    let transcript = "> POST /api/v1/users/00ub0oNGTSWTBKOLGLNR/lifecycle/suspend HTTP/1.1\n> Host: login.acme.com\n> Authorization: SSWS 00abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP\n>\n< HTTP/1.1 403 Forbidden\n< Content-Type: application/json\n< X-Okta-Request-Id: reqSuspend0000000000000001\n<\n{\"errorCode\":\"E0000038\",\"errorSummary\":\"This operation is not allowed in the user's current status.\",\"errorLink\":\"E0000038\",\"errorId\":\"oaeStatus0000000000000000\",\"errorCauses\":[]}\n";
    let run_json = |args: &[&str], env: &[(&str, &str)]| -> Value {
        let out = common::run_with_env(args, transcript.as_bytes(), env);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let named = "curl -g -s \"https://login.acme.com/api/v1/users/00ub0oNGTSWTBKOLGLNR\"";
    let placeholder = "curl -g -s \"https://$OKTA_DOMAIN/api/v1/users/00ub0oNGTSWTBKOLGLNR\"";
    let reason = "login.acme.com is not an Okta domain or one of your custom domains, so the commands use $OKTA_DOMAIN";
    type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)], bool);
    let cases: [Case; 6] = [
        (&["--json"], &[], false),
        (&["--json", "--domain", "login.acme.com"], &[], true),
        (&["--json", "--domain=*.acme.com"], &[], true),
        (&["--json", "--domain", "other.example"], &[], false),
        (
            &["--json"],
            &[("OKTA_DOMAIN", "https://login.acme.com")],
            true,
        ),
        (
            &["--json"],
            &[("OKTA_DOMAIN", "login.acme.com.evil.example")],
            false,
        ),
    ];
    for (args, env, trusted) in cases {
        let r = run_json(args, env);
        let f = finding(&r, "okta_error.E0000038");
        let cmds = commands(f);
        let fix = f["fix"].as_array().unwrap();
        let explains = fix.iter().any(|s| s.as_str().unwrap().starts_with(reason));
        assert_eq!(
            cmds.iter().any(|c| c.starts_with(named)),
            trusted,
            "{args:?} {env:?}: {cmds:?}"
        );
        assert_eq!(
            cmds.iter().any(|c| c.starts_with(placeholder)),
            !trusted,
            "{args:?} {env:?}"
        );
        assert_eq!(explains, !trusted, "{args:?} {env:?}: {fix:?}");
    }
    for bad in [
        &["--domain", "*"][..],
        &["--domain"],
        &["--domain", "http://x.example/*"],
    ] {
        let out = common::run(bad, b"");
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
    }
}
