//! `flow.state_mismatch` across tabs: a sign-in begun in one tab and finished in another (an
//! email link opened in a new tab), through the live store's cross-tab table.

use serde_json::json;

use crate::{exchange::Exchange, live::Tabs, report::flow::StepKind};

const OKTA: &str = "https://dev-1.okta.com";
const CB: &str = "https://app.example.com/login/callback";
const T0: f64 = 1_750_000_000_000.0;

fn ex(v: serde_json::Value) -> Exchange {
    serde_json::from_value(v).unwrap_or_default()
}

/// Tab A's /authorize: Okta's sign-in page (200), waiting for its callback.
fn authorize(state: &str) -> Exchange {
    let url = format!("{OKTA}/oauth2/default/v1/authorize?client_id=0oa1&redirect_uri=https%3A%2F%2Fapp.example.com%2Flogin%2Fcallback&response_type=code&state={state}&code_challenge=x&code_challenge_method=S256");
    ex(
        json!({"observedAt": T0, "method": "GET", "url": url, "statusCode": 200,
              "type": "main_frame"}),
    )
}

/// The email link in tab B: Okta finishes the sign-in and redirects to the app's callback.
fn email_link(state: &str) -> (Exchange, String) {
    let location = format!("{CB}?code=c1&state={state}");
    let e = ex(
        json!({"observedAt": T0 + 60_000.0, "method": "GET", "statusCode": 302,
        "url": format!("{OKTA}/login/token/redirect?stateToken=st"), "type": "main_frame",
        "responseHeaders": [{"name": "Location", "value": location}]}),
    );
    (e, location)
}

fn callback_page(location: &str) -> Exchange {
    ex(
        json!({"observedAt": T0 + 60_500.0, "method": "GET", "statusCode": 200,
              "url": location, "type": "main_frame"}),
    )
}

fn ids(tabs: &Tabs, id: i64) -> Vec<String> {
    tabs.get(id)
        .map(|t| t.digest.groups.iter().map(|g| g.id.clone()).collect())
        .unwrap_or_default()
}

#[test]
fn an_email_link_finished_in_another_tab_is_a_state_mismatch_there() {
    let mut tabs = Tabs::default();
    tabs.fold(1, &authorize("s1"), None);
    let (link, location) = email_link("s1");
    let folded = tabs.fold(2, &link, Some(&location));
    assert!(folded.kept);
    // The callback page itself, seen after its redirect: the same callback, nothing twice.
    tabs.fold(2, &callback_page(&location), None);
    let tab = tabs.get(2).unwrap_or_else(|| panic!("tab 2"));
    let groups: Vec<_> = tab
        .digest
        .groups
        .iter()
        .filter(|g| g.id == "flow.state_mismatch")
        .collect();
    assert_eq!(groups.len(), 1, "{:?}", ids(&tabs, 2));
    let g = groups
        .first()
        .map(|g| (*g).clone())
        .unwrap_or_else(|| panic!("no group"));
    assert_eq!(g.count, 1);
    let p = &g.finding.params;
    assert!(p.flag("otherTab"));
    assert_eq!(p.text("clientId"), Some("0oa1"));
    assert_eq!(p.text("redirectUri"), Some(CB));
    assert_eq!(p.text("host"), Some("dev-1.okta.com"));
    // Tab B's story: the callback, broken with that finding.
    let steps: Vec<_> = tab
        .digest
        .flows
        .flows
        .iter()
        .flat_map(|f| f.steps.iter())
        .map(|s| (s.step, s.ok, s.finding_id.clone()))
        .collect();
    assert!(steps.contains(&(
        StepKind::Callback,
        false,
        Some("flow.state_mismatch".to_string())
    )));
    // Tab A is told nothing; its /authorize still waits.
    assert!(!ids(&tabs, 1).iter().any(|i| i.starts_with("flow.")));
    // Worded: the sign-in began in another tab, the transaction is per tab.
    let mut report = tab.digest.report(None);
    crate::explain::show(&mut report, &Default::default());
    let text = serde_json::to_string(&report).unwrap_or_default();
    assert!(text.contains("began in another tab"), "{text}");
    assert!(text.contains("sessionStorage, which is per tab"), "{text}");
    assert!(!text.contains("s1"), "no state value is shown");
}

#[test]
fn no_other_tab_no_finding_and_the_tabs_own_authorize_wins() {
    // Alone (a HAR that begins at the callback, a tab whose sign-in isn't resident): none.
    let mut tabs = Tabs::default();
    let (link, location) = email_link("s1");
    tabs.fold(2, &link, Some(&location));
    assert!(!ids(&tabs, 2).contains(&"flow.state_mismatch".to_string()));
    // Another tab's /authorize with another state: none either.
    let mut tabs = Tabs::default();
    tabs.fold(1, &authorize("other"), None);
    tabs.fold(2, &link, Some(&location));
    assert!(!ids(&tabs, 2).contains(&"flow.state_mismatch".to_string()));
    // Both tabs sent that state: the tab's own /authorize matches, no finding.
    let mut tabs = Tabs::default();
    tabs.fold(1, &authorize("s1"), None);
    tabs.fold(2, &authorize("s1"), None);
    tabs.fold(2, &link, Some(&location));
    assert!(
        !ids(&tabs, 2).iter().any(|i| i.starts_with("flow.")),
        "{:?}",
        ids(&tabs, 2)
    );
}
