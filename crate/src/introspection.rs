//! Token introspection responses (RFC 7662 §2.2) from Okta's `/v1/introspect`:
//! `{"active": false}` alone for an unusable token, the token's metadata when active.

use serde_json::{Map, Value};

use crate::{
    jwt::clip,
    report::{Finding, Severity},
    timestamp,
};

/// `None` unless the JSON has a boolean `active` (RFC 7662's one required member).
pub fn parse(v: &Value) -> Option<Map<String, Value>> {
    let obj = v.as_object()?;
    obj.get("active")?.as_bool()?;
    Some(obj.clone())
}

/// `introspection.inactive`, or `introspection.active` with what Okta said about the token:
/// `clientId`, `username`, `scope`, and `exp` with `expiresIn` (seconds from `now`).
pub fn findings(r: &Map<String, Value>, now: i64) -> Vec<Finding> {
    let text = |k: &str| r.get(k).and_then(Value::as_str).map(clip);
    if r.get("active").and_then(Value::as_bool) != Some(true) {
        return vec![Finding::fact("introspection.inactive", Severity::Error)];
    }
    let exp = r.get("exp").and_then(timestamp::numeric_date);
    let mut f = Finding::fact("introspection.active", Severity::Ok)
        .with("clientId", text("client_id"))
        .with("username", text("username"))
        .with("scope", text("scope"))
        .with("exp", exp)
        .with("expiresIn", exp.map(|e| e.saturating_sub(now)));
    for k in ["client_id", "scope", "token_type", "iss", "sub"] {
        if let Some(v) = text(k) {
            f = f.evidence("introspection", k, v);
        }
    }
    vec![f]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn active_and_inactive() {
        let cases = [
            (json!({"active": false}), Some("introspection.inactive")),
            (
                json!({"active": true, "scope": "openid profile", "client_id": "a9", "exp": 100}),
                Some("introspection.active"),
            ),
            (json!({"active": "yes"}), None),
            (json!({"error": "x"}), None),
        ];
        for (v, want) in cases {
            let got = parse(&v)
                .map(|r| findings(&r, 50))
                .and_then(|f| f.first().map(|f| f.id.clone()));
            assert_eq!(got.as_deref(), want, "{v}");
        }
    }
}
