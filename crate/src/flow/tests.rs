//! The flow fold's rules, one exchange sequence each, through the live store (what the
//! listener folds) and the HAR reader's callback path; and that no secret fed to a session
//! survives in what it stores or shows.

mod across;

use serde_json::json;

use crate::{
    exchange::{flow as read, Exchange},
    live::Tabs,
    report::flow::StepKind,
};

const OKTA: &str = "https://dev-1.okta.com";
const CB: &str = "https://app.example.com/login/callback";
const T0: f64 = 1_750_000_000_000.0;
// RFC 7636 Appendix B's verifier and challenge.
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

fn ex(v: serde_json::Value) -> Exchange {
    serde_json::from_value(v).unwrap_or_default()
}

fn authorize(at: f64, state: &str, extra: &str, kind: &str, cookie: Option<&str>) -> Exchange {
    let url = format!("{OKTA}/oauth2/default/v1/authorize?client_id=0oa1&redirect_uri=https%3A%2F%2Fapp.example.com%2Flogin%2Fcallback&response_type=code&state={state}&code_challenge={CHALLENGE}&code_challenge_method=S256{extra}");
    let headers: Vec<_> = cookie
        .map(|c| json!({"name": "Cookie", "value": c}))
        .into_iter()
        .collect();
    ex(
        json!({"observedAt": at, "method": "GET", "url": url, "statusCode": 302,
              "type": kind, "requestHeaders": headers, "initiator": "https://app.example.com"}),
    )
}

fn token(at: f64, form: &[(&str, &str)], status: u16, body: Option<&str>, path: &str) -> Exchange {
    let form: Vec<_> = form
        .iter()
        .map(|(n, v)| json!({"name": n, "value": v}))
        .collect();
    ex(
        json!({"observedAt": at, "method": "POST", "url": format!("{OKTA}{path}"),
              "statusCode": status, "requestForm": form, "body": body,
              "type": "xmlhttprequest"}),
    )
}

fn code_form<'a>(code: &'a str, verifier: Option<&'a str>) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![
        ("grant_type", "authorization_code"),
        ("client_id", "0oa1"),
        ("redirect_uri", CB),
        ("code", code),
    ];
    if let Some(v) = verifier {
        f.push(("code_verifier", v));
    }
    f
}

/// Tab 1 after `steps` (exchange, redirect target); the ids of its finding groups.
fn fold(steps: &[(Exchange, Option<String>)]) -> (Tabs, Vec<String>) {
    let mut tabs = Tabs::default();
    for (e, redirect) in steps {
        tabs.fold(1, e, redirect.as_deref());
    }
    let ids = tabs
        .get(1)
        .map(|t| t.digest.groups.iter().map(|g| g.id.clone()).collect())
        .unwrap_or_default();
    (tabs, ids)
}

fn signed_in(code: &str) -> Vec<(Exchange, Option<String>)> {
    vec![(
        authorize(T0, "s1", "", "main_frame", None),
        Some(format!("{CB}?code={code}&state=s1")),
    )]
}

const INVALID_GRANT_PKCE: &str =
    r#"{"error":"invalid_grant","error_description":"PKCE verification failed."}"#;

#[test]
fn the_verifier_is_compared_as_its_s256_challenge() {
    assert_eq!(read::challenge_of(VERIFIER), CHALLENGE);
    assert_eq!(read::digest("x").len(), 16);
    assert_ne!(read::digest("x"), read::digest("y"));
}

#[test]
fn pkce_mismatch_and_a_matching_verifier() {
    let mut steps = signed_in("c1");
    let form = code_form("c1", Some("another-verifier-another-verifier-another-v"));
    let t = token(
        T0 + 1000.0,
        &form,
        400,
        Some(INVALID_GRANT_PKCE),
        "/oauth2/default/v1/token",
    );
    steps.push((t, None));
    let (tabs, ids) = fold(&steps);
    assert!(ids.contains(&"flow.pkce_mismatch".to_string()), "{ids:?}");
    let flows = &tabs
        .get(1)
        .map(|t| t.digest.flows.flows.clone())
        .unwrap_or_default();
    let kinds: Vec<_> = flows[0].steps.iter().map(|s| (s.step, s.ok)).collect();
    assert_eq!(
        kinds,
        [
            (StepKind::Authorize, true),
            (StepKind::Callback, true),
            (StepKind::Token, false)
        ]
    );
    assert_eq!(
        flows[0].steps[2].finding_id.as_deref(),
        Some("flow.pkce_mismatch")
    );
    // The right verifier (a 400 for another reason): no mismatch.
    let mut steps = signed_in("c1");
    let form = code_form("c1", Some(VERIFIER));
    steps.push((
        token(T0 + 1000.0, &form, 400, None, "/oauth2/default/v1/token"),
        None,
    ));
    assert!(!fold(&steps).1.contains(&"flow.pkce_mismatch".to_string()));
}

#[test]
fn pkce_verifier_missing_only_when_a_challenge_was_sent() {
    let mut steps = signed_in("c1");
    let t = token(
        T0 + 1000.0,
        &code_form("c1", None),
        400,
        None,
        "/oauth2/default/v1/token",
    );
    steps.push((t, None));
    assert!(fold(&steps)
        .1
        .contains(&"flow.pkce_verifier_missing".to_string()));
    // A code nobody saw issued (a HAR starting at /token), no description: nothing to say.
    let t = token(
        T0,
        &code_form("c9", None),
        400,
        None,
        "/oauth2/default/v1/token",
    );
    assert!(!fold(&[(t, None)])
        .1
        .iter()
        .any(|i| i.starts_with("flow.pkce")));
}

#[test]
fn state_mismatch_needs_a_waiting_authorize() {
    let mut first = authorize(T0, "s1", "", "main_frame", None);
    first.status_code = Some(200);
    let mut steps = vec![(first, None)];
    steps.push((
        authorize(T0 + 1.0, "s2", "", "main_frame", None),
        Some(format!("{CB}?code=c1&state=stale")),
    ));
    let (_, ids) = fold(&steps);
    assert!(ids.contains(&"flow.state_mismatch".to_string()), "{ids:?}");
    // The matching state: none.
    assert!(!fold(&signed_in("c1"))
        .1
        .contains(&"flow.state_mismatch".to_string()));
}

#[test]
fn code_reused_host_and_issuer_mismatch() {
    let form = code_form("c1", Some(VERIFIER));
    let mut steps = signed_in("c1");
    steps.push((
        token(T0 + 1000.0, &form, 200, None, "/oauth2/default/v1/token"),
        None,
    ));
    steps.push((
        token(T0 + 2000.0, &form, 400, None, "/oauth2/default/v1/token"),
        None,
    ));
    let (_, ids) = fold(&steps);
    assert!(ids.contains(&"flow.code_reused".to_string()), "{ids:?}");
    assert!(!ids.contains(&"flow.issuer_mismatch".to_string()));

    let mut steps = signed_in("c1");
    steps.push((
        token(T0 + 1000.0, &form, 400, None, "/oauth2/v1/token"),
        None,
    ));
    assert!(fold(&steps).1.contains(&"flow.issuer_mismatch".to_string()));
    // Redeemed anyway (2xx): a warning, not the failure.
    let mut steps = signed_in("c1");
    steps.push((
        token(T0 + 1000.0, &form, 200, None, "/oauth2/v1/token"),
        None,
    ));
    let (tabs, _) = fold(&steps);
    let g = tabs.get(1).and_then(|t| {
        let mut g = t.digest.groups.iter();
        g.find(|g| g.id == "flow.issuer_mismatch").cloned()
    });
    assert_eq!(
        g.map(|g| g.severity),
        Some(crate::report::Severity::Warning)
    );

    let mut steps = signed_in("c1");
    let mut t = token(T0 + 1000.0, &form, 400, None, "/oauth2/default/v1/token");
    t.url = Some("https://login.example.com/oauth2/default/v1/token".into());
    steps.push((t, None));
    let ids = fold(&steps).1;
    assert!(ids.contains(&"flow.host_mismatch".to_string()), "{ids:?}");
    assert!(!ids.contains(&"flow.issuer_mismatch".to_string()));
}

#[test]
fn silent_renew_without_session_and_blocked_third_party_cookies() {
    let renew = |cookie: Option<&str>| {
        (
            authorize(T0 + 60_000.0, "s2", "&prompt=none", "sub_frame", cookie),
            Some(format!("{CB}#error=login_required&state=s2")),
        )
    };
    // A top-level sign-in that sent sid, then an iframe renewal that sent none.
    let top = (
        authorize(
            T0,
            "s1",
            "",
            "main_frame",
            Some("sid=SECRETSID; DT=SECRETDT"),
        ),
        None,
    );
    let (_, ids) = fold(&[top.clone(), renew(None)]);
    assert!(
        ids.contains(&"flow.silent_renew_no_session".to_string()),
        "{ids:?}"
    );
    assert!(
        ids.contains(&"flow.third_party_cookies_blocked".to_string()),
        "{ids:?}"
    );
    // The cookie was sent: the session ended, no cookie blocking.
    let ids = fold(&[top, renew(Some("sid=SECRETSID"))]).1;
    assert!(ids.contains(&"flow.silent_renew_no_session".to_string()));
    assert!(!ids.contains(&"flow.third_party_cookies_blocked".to_string()));
    // No earlier cookie at all: nothing proves blocking.
    let ids = fold(&[renew(None)]).1;
    assert!(!ids.contains(&"flow.third_party_cookies_blocked".to_string()));
}

#[test]
fn refresh_token_reuse_in_a_tab_and_across_tabs() {
    let form = [
        ("grant_type", "refresh_token"),
        ("client_id", "0oa1"),
        ("refresh_token", "RT-SECRET-1"),
    ];
    let path = "/oauth2/default/v1/token";
    let mut tabs = Tabs::default();
    tabs.fold(1, &token(T0, &form, 200, None, path), None);
    tabs.fold(2, &token(T0 + 10_000.0, &form, 200, None, path), None);
    let g = tabs.get(2).and_then(|t| {
        t.digest
            .groups
            .iter()
            .find(|g| g.id == "flow.refresh_token_reused")
            .cloned()
    });
    let g = g.unwrap_or_else(|| panic!("no cross-tab reuse"));
    assert!(g.finding.params.flag("otherTab"));
    assert!(g.finding.params.flag("withinGrace"));
    // 45 s later in the same tab: past the default 30 s grace.
    tabs.fold(1, &token(T0 + 45_000.0, &form, 400, None, path), None);
    let g = tabs.get(1).and_then(|t| {
        t.digest
            .groups
            .iter()
            .find(|g| g.id == "flow.refresh_token_reused")
            .cloned()
    });
    let g = g.unwrap_or_else(|| panic!("no reuse"));
    assert!(!g.finding.params.flag("withinGrace") && !g.finding.params.flag("otherTab"));
}

#[test]
fn ten_renewals_within_30_s_are_a_loop_reported_once() {
    let path = "/oauth2/default/v1/token";
    let mut tabs = Tabs::default();
    for i in 0..15 {
        let rt = format!("rt{i}");
        let form = [
            ("grant_type", "refresh_token"),
            ("refresh_token", rt.as_str()),
        ];
        tabs.fold(
            1,
            &token(T0 + f64::from(i) * 1000.0, &form, 200, None, path),
            None,
        );
    }
    let count = tabs.get(1).and_then(|t| {
        t.digest
            .groups
            .iter()
            .find(|g| g.id == "flow.renew_loop")
            .map(|g| g.count)
    });
    assert_eq!(count, Some(1));
    // Nine: no loop.
    let mut tabs = Tabs::default();
    for i in 0..9 {
        let rt = format!("rt{i}");
        let form = [
            ("grant_type", "refresh_token"),
            ("refresh_token", rt.as_str()),
        ];
        tabs.fold(
            1,
            &token(T0 + f64::from(i) * 1000.0, &form, 200, None, path),
            None,
        );
    }
    assert!(tabs.get(1).is_some_and(|t| !t
        .digest
        .groups
        .iter()
        .any(|g| g.id == "flow.renew_loop")));
}

#[test]
fn flows_and_steps_stay_bounded() {
    let mut steps = Vec::new();
    for i in 0..8 {
        steps.push((
            authorize(T0 + f64::from(i), &format!("s{i}"), "", "main_frame", None),
            None,
        ));
    }
    for i in 0..30 {
        let api = ex(
            json!({"observedAt": T0 + 100.0 + f64::from(i), "method": "GET",
            "url": format!("{OKTA}/oauth2/default/v1/token"), "statusCode": 200,
            "requestForm": [{"name": "grant_type", "value": "refresh_token"},
                            {"name": "refresh_token", "value": format!("r{i}")}]}),
        );
        steps.push((api, None));
    }
    let (tabs, _) = fold(&steps);
    let flows = tabs
        .get(1)
        .map(|t| t.digest.flows.flows.clone())
        .unwrap_or_default();
    assert_eq!(flows.len(), crate::report::flow::MAX_FLOWS);
    assert!(flows
        .iter()
        .all(|f| f.steps.len() <= crate::report::flow::MAX_STEPS));
    assert_eq!(
        flows.last().and_then(|f| f.steps.first()).map(|s| s.step),
        Some(StepKind::Authorize)
    );
}

#[test]
fn nothing_raw_is_stored_or_shown() {
    let secrets = [
        "CODE-SECRET-1",
        "STATE-SECRET-1",
        "RT-SECRET-1",
        "SIDVALUE-SECRET",
        VERIFIER,
    ];
    let mut tabs = Tabs::default();
    let a = authorize(
        T0,
        "STATE-SECRET-1",
        "",
        "main_frame",
        Some("sid=SIDVALUE-SECRET"),
    );
    tabs.fold(
        1,
        &a,
        Some(&format!("{CB}?code=CODE-SECRET-1&state=STATE-SECRET-1")),
    );
    let t = token(
        T0 + 1.0,
        &code_form("CODE-SECRET-1", Some(VERIFIER)),
        200,
        None,
        "/oauth2/default/v1/token",
    );
    tabs.fold(1, &t, None);
    let r = [
        ("grant_type", "refresh_token"),
        ("refresh_token", "RT-SECRET-1"),
    ];
    tabs.fold(
        1,
        &token(T0 + 2.0, &r, 200, None, "/oauth2/default/v1/token"),
        None,
    );
    tabs.fold(
        1,
        &token(T0 + 3.0, &r, 200, None, "/oauth2/default/v1/token"),
        None,
    );
    let tab = tabs.get(1).unwrap_or_else(|| panic!("no tab"));
    assert!(!tab.digest.flows.flows.is_empty());
    let stored = serde_json::to_string(&tab.snapshot()).unwrap_or_default();
    let mut report = tab.digest.report(None);
    crate::explain::show(&mut report, &Default::default());
    let shown = serde_json::to_string(&report).unwrap_or_default();
    let view = serde_json::to_string(&tab.view(0, 90)).unwrap_or_default();
    for text in [&stored, &shown, &view] {
        for s in secrets {
            assert!(!text.contains(s), "{s} in {text}");
        }
    }
    assert!(stored.contains("\"flows\""), "the flow state is stored");
    assert!(
        shown.contains("\"label\""),
        "the story is worded when shown"
    );
    assert!(!stored.contains("\"label\""), "and not before");
}

#[test]
fn a_stored_tab_of_the_previous_version_restores() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/stored/tab-state-v1.json"
    ))
    .unwrap_or_default();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    let digest = v.pointer("/tab:7/digest").cloned().unwrap_or_default();
    let tab =
        crate::live::Tab::restore(&digest, &serde_json::Value::Null, &serde_json::Value::Null);
    assert!(tab.digest.exchanges > 0, "the v1 digest reads back");
    assert!(tab.digest.flows.is_empty());
}

#[test]
fn the_callback_after_a_sign_in_on_oktas_page_joins_its_authorize() {
    let mut first = authorize(T0, "s1", "", "main_frame", None);
    first.status_code = Some(200);
    let idx = ex(
        json!({"observedAt": T0 + 5000.0, "method": "POST", "statusCode": 200,
        "url": format!("{OKTA}/idp/idx/identify"), "type": "xmlhttprequest"}),
    );
    let redirect = ex(
        json!({"observedAt": T0 + 6000.0, "method": "GET", "statusCode": 302,
        "url": format!("{OKTA}/login/token/redirect?stateToken=st"), "type": "main_frame"}),
    );
    let steps = vec![
        (first, None),
        (idx, None),
        (redirect, Some(format!("{CB}?code=c1&state=s1"))),
        (
            token(
                T0 + 7000.0,
                &code_form("c1", Some(VERIFIER)),
                200,
                None,
                "/oauth2/default/v1/token",
            ),
            None,
        ),
    ];
    let (tabs, ids) = fold(&steps);
    assert!(!ids.iter().any(|i| i.starts_with("flow.")), "{ids:?}");
    let flows = tabs
        .get(1)
        .map(|t| t.digest.flows.flows.clone())
        .unwrap_or_default();
    let kinds: Vec<_> = flows
        .iter()
        .flat_map(|f| f.steps.iter().map(|s| (s.step, s.ok)))
        .collect();
    assert_eq!(
        kinds,
        [
            (StepKind::Authorize, true),
            (StepKind::SignIn, true),
            (StepKind::Callback, true),
            (StepKind::Token, true)
        ]
    );
}

#[test]
fn another_providers_callback_and_oktas_own_idp_callback_are_not_the_flows() {
    let mut first = authorize(T0, "s1", "", "main_frame", None);
    first.status_code = Some(200);
    // Okta as the social IdP's client: its own /authorize/callback with Google's code+state.
    let idp = ex(
        json!({"observedAt": T0 + 1000.0, "method": "GET", "statusCode": 302,
        "url": format!("{OKTA}/oauth2/v1/authorize/callback?code=g1&state=google"), "type": "main_frame"}),
    );
    let (_, ids) = fold(&[(first.clone(), None), (idp, None)]);
    assert!(!ids.contains(&"flow.state_mismatch".to_string()), "{ids:?}");
    // A HAR's app entry on another redirect URI than the waiting /authorize named.
    let mut session = crate::session::Session::default();
    session.fold(&first, T0, None);
    let other = ex(
        json!({"observedAt": T0 + 2000.0, "method": "GET", "statusCode": 200,
        "url": "https://app.example.com/github/callback?code=x&state=y"}),
    );
    assert!(!session.fold_callback(&other));
    let ours = ex(
        json!({"observedAt": T0 + 2000.0, "method": "GET", "statusCode": 200,
        "url": format!("{CB}?code=x&state=stale")}),
    );
    assert!(session.fold_callback(&ours));
    assert!(session
        .digest
        .groups
        .iter()
        .any(|g| g.id == "flow.state_mismatch"));
}
