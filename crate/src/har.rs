//! HAR 1.2 archives (http://www.softwareishard.com/blog/har-12-spec/) as browsers export
//! them: which entries are Okta traffic and which failed.

use serde_json::Value;

use crate::{
    domain,
    report::{Finding, Severity},
};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub entries: usize,
    pub okta: usize,
    pub okta_failed: usize,
}

/// `None` unless the JSON has `log.entries` as an array.
pub fn parse(v: &Value) -> Option<Counts> {
    let entries = v.pointer("/log/entries")?.as_array()?;
    let mut c = Counts {
        entries: entries.len(),
        ..Counts::default()
    };
    for e in entries {
        let url = e
            .pointer("/request/url")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let okta = domain::host_of(url).is_some_and(|h| domain::is_okta_host(&h))
            || domain::is_okta_path(url);
        if okta {
            c.okta += 1;
            if e.pointer("/response/status")
                .and_then(Value::as_u64)
                .is_some_and(|s| s >= 400)
            {
                c.okta_failed += 1;
            }
        }
    }
    Some(c)
}

pub fn findings(c: &Counts) -> Vec<Finding> {
    let severity = if c.okta_failed > 0 {
        Severity::Warning
    } else {
        Severity::Info
    };
    vec![Finding::new(
        "har.summary",
        severity,
        format!("HAR archive: {} of {} requests went to Okta, {} failed", c.okta, c.entries, c.okta_failed),
    )
    .detail("Okta traffic is recognised by Okta's host names and by Okta-only paths (/oauth2/, /api/v1/, /idp/idx/) for custom domains. A HAR holds live cookies and tokens: don't attach it to a ticket unredacted.")
    .fix("Paste a single failing response (curl -si output or its body) to get its explanation.")]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn counts_okta_entries() {
        let v = json!({"log": {"entries": [
            {"request": {"url": "https://dev-1.okta.com/oauth2/v1/token"}, "response": {"status": 400}},
            {"request": {"url": "https://login.acme.com/api/v1/users"}, "response": {"status": 200}},
            {"request": {"url": "https://acme.com/app.js"}, "response": {"status": 500}},
            {"bogus": true}
        ]}});
        assert_eq!(
            parse(&v),
            Some(Counts {
                entries: 4,
                okta: 2,
                okta_failed: 1
            })
        );
        assert_eq!(parse(&json!({"log": {}})), None);
    }
}
