use serde_json::{json, Value};

use super::{
    super::projection::{project, unread, SW_UNREAD},
    made, with,
};
use crate::catalogue::{fill, rows};

const NOW: i64 = 1_750_000_000;

/// The full text of each catalogue the `sw` module embeds projected.
fn full(name: &str) -> &'static str {
    match name {
        "api_families.tsv" => data!("api_families.tsv"),
        "buckets.tsv" => data!("buckets.tsv"),
        "oauth_errors.tsv" => data!("oauth_errors.tsv"),
        "okta_error_causes.tsv" => data!("okta_error_causes.tsv"),
        "okta_errors.tsv" => data!("okta_errors.tsv"),
        _ => "",
    }
}

/// A catalogue template with its slots filled, as Okta would send it.
fn sent(template: &str) -> String {
    let captures: Vec<String> = ["login", "0oa1", "x y", "3", "z"].map(String::from).into();
    fill(template, &captures)
}

/// A path template of scopes.tsv or buckets.tsv as a request path (`{id}`, `ID`, `*` filled).
fn path(template: &str) -> String {
    template
        .split('/')
        .map(|s| match s {
            "ID" | "*" => "00u1abc",
            s if s.starts_with('{') || s.ends_with('*') => "00u1abc",
            s => s,
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn exchange(method: &str, path: &str, status: u16, body: &Value) -> String {
    json!({
        "observedAt": 1_750_000_000_000_i64,
        "method": method,
        "url": format!("https://dev-123456.okta.com{path}"),
        "statusCode": status,
        "requestHeaders": [{"name": "Authorization", "value": "SSWS 00abcdefghijklmnopqrstuvwxyz0123456789ABCD"}],
        "responseHeaders": [
            {"name": "Content-Type", "value": "application/json"},
            {"name": "X-Rate-Limit-Limit", "value": "600"},
            {"name": "X-Rate-Limit-Remaining", "value": "0"},
            {"name": "X-Rate-Limit-Reset", "value": "1750000060"},
        ],
        "body": body.to_string(),
    })
    .to_string()
}

/// Every golden input, and an exchange for every row of the projected catalogues: each Okta
/// E-code with its summary (and an errorCauses template), each OAuth error with its
/// description at its documented status, each management operation and bucket path.
fn inputs() -> Vec<(String, String)> {
    let mut out = crate::golden::inputs();
    let causes: Vec<String> = rows(full("okta_error_causes.tsv"))
        .filter_map(|r| r.first().map(|t| sent(t)))
        .collect();
    for (i, r) in rows(full("okta_errors.tsv")).enumerate() {
        let (Some(code), Some(summary)) = (r.first(), r.get(3)) else {
            continue;
        };
        let status = r.get(1).and_then(|s| s.parse().ok()).unwrap_or(400);
        let cause = causes
            .get(i % causes.len().max(1))
            .cloned()
            .unwrap_or_default();
        let body = json!({"errorCode": code, "errorSummary": sent(summary), "errorLink": code,
            "errorId": "oae1", "errorCauses": [{"errorSummary": cause}]});
        out.push((
            format!("okta {code}"),
            exchange("GET", "/api/v1/users/me", status, &body),
        ));
    }
    for r in rows(full("oauth_errors.tsv")) {
        let (Some(error), Some(description)) = (r.first(), r.get(4)) else {
            continue;
        };
        let status = r.get(1).and_then(|s| s.parse().ok()).unwrap_or(400);
        let body = json!({"error": error, "error_description": sent(description)});
        let text = exchange("POST", "/oauth2/default/v1/token", status, &body);
        out.push((format!("oauth {error} {}", r.get(2).unwrap_or(&"")), text));
    }
    let paths = rows(data!("scopes.tsv"))
        .filter_map(|r| Some((*r.first()?, *r.get(1)?)))
        .chain(rows(full("buckets.tsv")).filter_map(|r| Some((*r.get(1)?, *r.get(2)?))));
    for (method, template) in paths {
        let method = if method == "*" { "GET" } else { method };
        let text = exchange(
            method,
            &path(template),
            429,
            &json!({"errorCode": "E0000047"}),
        );
        out.push((format!("{method} {template}"), text));
    }
    out
}

fn report(text: &str) -> String {
    let report = crate::input::analyze(text, NOW, &crate::har::analyze_data);
    crate::report::compact::to_json(&report).unwrap_or_default()
}

/// What a tab stores after the service worker folds `text` (an exchange) into it: its
/// digest, timeline and reports. `None` for an input that is not an exchange.
fn folded(text: &str) -> Option<String> {
    let exchange: crate::http::Exchange = serde_json::from_str(text).ok()?;
    let mut tab = crate::session::Session::default();
    tab.fold_live(&exchange, None);
    crate::report::compact::to_json(&tab.snapshot())
}

/// The columns build.rs empties for the `sw` module are columns its analysis never reads:
/// every golden input and an exchange for every row of those catalogues give the same report,
/// and each exchange folded into a tab the same stored tab, with the module's copies as with
/// the full files.
#[test]
fn the_service_worker_reads_no_emptied_column() {
    let inputs = inputs();
    assert!(inputs.len() > 1500, "{}", inputs.len());
    let (mut differ, mut folds) = (Vec::new(), 0);
    for (case, text) in &inputs {
        let full = report(text);
        if with(|| report(text)) != full {
            differ.push(case.as_str());
        }
        let tab = folded(text);
        if with(|| folded(text)) != tab {
            differ.push(case.as_str());
        }
        folds += usize::from(tab.is_some());
    }
    assert!(differ.is_empty(), "{} differ: {differ:?}", differ.len());
    assert!(folds > 1500, "{folds} exchanges folded");
    // Not vacuous: the analysis read every projected catalogue through `read!`, as its copy.
    for (name, _) in SW_UNREAD {
        assert!(made(name), "{name} was not read through catalogue::read!");
    }
}

/// A projected copy keeps every line and every tab (so every index stays valid), and empties
/// only the named columns, each of which holds some text in the full file.
#[test]
fn the_service_worker_copies_keep_rows_and_columns() {
    for (name, columns) in SW_UNREAD {
        let whole = full(name);
        let copy = project(whole, unread(name)).unwrap_or_default();
        assert!(whole.lines().count() > 10, "{name}");
        assert_eq!(whole.lines().count(), copy.lines().count(), "{name}");
        for (a, b) in whole.lines().zip(copy.lines()) {
            let (a, b): (Vec<&str>, Vec<&str>) = (a.split('\t').collect(), b.split('\t').collect());
            assert_eq!(a.len(), b.len(), "{name}: {a:?}");
            for (i, (x, y)) in a.iter().zip(&b).enumerate() {
                assert_eq!(*y, if columns.contains(&i) { "" } else { *x }, "{name} {i}");
            }
        }
        for c in *columns {
            assert!(
                rows(whole).any(|r| r.get(*c).is_some_and(|x| !x.is_empty())),
                "{name} {c}"
            );
        }
    }
}
