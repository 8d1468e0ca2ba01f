//! Moving resident tabs to another module (the service worker hands a tab whose exchange
//! mentions SAML to the full module): tabs rebuilt from their stored snapshots
//! ([`Tab::restore`]) plus the cross-tab memory ([`Tabs::cross_tab`]) fold every later
//! exchange exactly as the tabs they came from, over the golden HARs.

use serde_json::Value;

use super::{Tab, Tabs};
use crate::exchange::Exchange;

/// Tab ids the entries are dealt to in turn (one tab, then two: cross-tab memory matters).
const DEALS: [&[i64]; 2] = [&[1], &[1, 2]];

/// A badge's time: after every fixture's exchanges, so no window is cut by it.
const NOW_MS: i64 = 1_900_000_000_000;

fn snapshot_text(tab: &Tab) -> String {
    serde_json::to_string(&tab.snapshot()).unwrap_or_default()
}

/// What the worker stores and another module reads: each tab's snapshot as JSON text, read
/// back, and (when `cross_tab`) the cross-tab memory the same way.
fn moved(from: &Tabs, ids: &[i64], cross_tab: bool) -> Tabs {
    let mut to = Tabs::default();
    for &id in ids {
        let Some(tab) = from.get(id) else { continue };
        let v: Value = serde_json::from_str(&snapshot_text(tab)).unwrap_or_default();
        let part = |k: &str| v.get(k).cloned().unwrap_or_default();
        to.insert(
            id,
            Tab::restore(&part("digest"), &part("timeline"), &part("reports")),
        );
    }
    if cross_tab {
        let text = serde_json::to_string(&from.cross_tab()).unwrap_or_default();
        to.restore_cross_tab(&serde_json::from_str(&text).unwrap_or_default());
    }
    to
}

/// Every tab's snapshot and badge, by id.
fn state(tabs: &Tabs, ids: &[i64]) -> Vec<(i64, String, String)> {
    ids.iter()
        .filter_map(|&id| {
            let tab = tabs.get(id)?;
            let badge = serde_json::to_string(&tab.badge(NOW_MS, 80)).unwrap_or_default();
            Some((id, snapshot_text(tab), badge))
        })
        .collect()
}

/// The first position `k` (and the case) where moving the tabs after `k` exchanges folds the
/// rest differently from the tabs that never moved.
fn first_difference(cross_tab: bool) -> Option<String> {
    let mut cases = crate::exchange::saml::deferred_tests::golden();
    cases.push(("crafted: one refresh token in two tabs".into(), refreshes()));
    let with_saml = |ex: &[(Exchange, Option<String>)]| {
        ex.iter()
            .any(|(e, r)| super::super::exchange::saml::mentions_saml(e, r.as_deref()))
    };
    let saml: Vec<_> = cases.iter().filter(|(_, ex)| with_saml(ex)).collect();
    let plain = cases
        .iter()
        .filter(|(_, ex)| !with_saml(ex) && ex.len() > 3);
    assert!(saml.len() >= 5, "{} cases with SAML", saml.len());
    let chosen: Vec<_> = saml.into_iter().chain(plain.take(6)).collect();
    for (case, exchanges) in chosen {
        let n = exchanges.len();
        let step = n / 24 + 1;
        for ids in DEALS {
            let tab = |i: usize| ids.get(i % ids.len()).copied().unwrap_or(1);
            for k in (0..=n).step_by(step) {
                let mut stayed = Tabs::default();
                for (i, (ex, r)) in exchanges.iter().enumerate().take(k) {
                    stayed.fold(tab(i), ex, r.as_deref());
                }
                let mut went = moved(&stayed, ids, cross_tab);
                for (i, (ex, r)) in exchanges.iter().enumerate().skip(k) {
                    stayed.fold(tab(i), ex, r.as_deref());
                    went.fold(tab(i), ex, r.as_deref());
                }
                if state(&stayed, ids) != state(&went, ids) {
                    return Some(format!(
                        "{case}, {} tab(s), moved after {k} of {n}",
                        ids.len()
                    ));
                }
            }
        }
    }
    None
}

#[test]
fn tabs_moved_with_their_snapshots_and_cross_tab_memory_fold_on_identically() {
    assert_eq!(first_difference(true), None);
}

/// The cross-tab memory matters: moved without it, the crafted case folds differently (the
/// second tab's refresh is no longer one another tab already sent), so the test above sees
/// the memory lost.
#[test]
fn moved_without_the_cross_tab_memory_a_fold_differs() {
    let found = first_difference(false).unwrap_or_default();
    assert!(
        found.starts_with("crafted: one refresh token in two tabs, 2 tab(s)"),
        "{found}"
    );
}

/// Refresh tokens sent from two tabs (dealt 1, 2, 1, 2 …), an API call, a posted SAML Response.
fn refreshes() -> Vec<(Exchange, Option<String>)> {
    use crate::exchange::FormField;
    const T0: f64 = 1_750_000_000_000.0;
    let token = |i: u32, rt: &str, status: u16| Exchange {
        observed_at: Some(T0 + f64::from(i) * 5_000.0),
        method: Some("POST".into()),
        url: Some("https://dev-1.okta.com/oauth2/default/v1/token".into()),
        status_code: Some(status),
        kind: Some("xmlhttprequest".into()),
        request_form: [
            ("grant_type", "refresh_token"),
            ("client_id", "0oa1"),
            ("refresh_token", rt),
        ]
        .iter()
        .map(|(n, v)| FormField {
            name: n.to_string(),
            value: v.to_string(),
        })
        .collect(),
        ..Exchange::default()
    };
    let api = Exchange {
        observed_at: Some(T0 + 12_000.0),
        method: Some("GET".into()),
        url: Some("https://dev-1.okta.com/api/v1/users/me".into()),
        status_code: Some(200),
        ..Exchange::default()
    };
    let xml = format!(
        r#"<samlp:Response {} ID="r1"><saml:Issuer>http://www.okta.com/exk1</saml:Issuer></samlp:Response>"#,
        crate::exchange::saml::build::NS
    );
    let saml = crate::exchange::saml::build::posted("https://app.example.com/saml/acs", &xml);
    vec![
        (token(0, "RT-1", 200), None),
        (token(1, "RT-1", 200), None),
        (token(2, "RT-2", 200), None),
        (api, None),
        (saml, None),
        (token(5, "RT-2", 400), None),
        (token(6, "RT-1", 400), None),
    ]
}

#[test]
fn the_cross_tab_memory_reads_back_and_skips_what_is_unreadable() {
    let text = r#"[{"tab":2,"refresh":"abc","at":5.0,"status":200}]"#;
    let mut tabs = Tabs::default();
    tabs.restore_cross_tab(&serde_json::json!({ "refreshes": serde_json::from_str::<Value>(text).unwrap_or_default() }));
    assert_eq!(
        tabs.cross_tab(),
        serde_json::json!({ "refreshes": [{"tab": 2, "refresh": "abc", "at": 5.0, "status": 200}] })
    );
    // Unreadable: ignored, entry by entry or as a whole.
    tabs.restore_cross_tab(&Value::Null);
    tabs.restore_cross_tab(&serde_json::json!({ "refreshes": 3 }));
    assert_eq!(
        tabs.cross_tab()["refreshes"].as_array().map(Vec::len),
        Some(1)
    );
    tabs.restore_cross_tab(&serde_json::json!({ "refreshes": [
        {"tab": "x", "refresh": "a", "at": 1.0},
        {"tab": 1, "refresh": "b", "at": 1.0, "status": 70000},
        {"tab": 1, "refresh": "c", "at": 2.0},
    ] }));
    assert_eq!(
        tabs.cross_tab(),
        serde_json::json!({ "refreshes": [{"tab": 1, "refresh": "c", "at": 2.0, "status": null}] })
    );
}
