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

pub fn findings(r: &Map<String, Value>, now: i64) -> Vec<Finding> {
    let text = |k: &str| r.get(k).and_then(Value::as_str).map(clip);
    if r.get("active").and_then(Value::as_bool) != Some(true) {
        return vec![Finding::new("introspection.inactive", Severity::Error, "Token is not active")
            .detail("Okta says active: false and, by design, nothing else. The token is expired, revoked (sign-out, password change, app unassigned or client deactivated), was issued to a different client than the one introspecting, or comes from a different authorization server than the /introspect endpoint you called.")
            .fix("If you still have the token, decode it: exp tells you whether it simply expired, iss which authorization server's /introspect to call, cid which client must call it.")
            .fix("Introspect with the client that requested the token (its client_id and secret), at {iss}/v1/introspect of the same authorization server.")
            .docs("https://developer.okta.com/docs/reference/api/oidc/#introspect")];
    }
    let mut detail = "Okta says the token is active".to_string();
    if let Some(c) = text("client_id") {
        detail.push_str(&format!(", issued to client {c}"));
    }
    if let Some(u) = text("username") {
        detail.push_str(&format!(" for {u}"));
    }
    if let Some(s) = text("scope") {
        detail.push_str(&format!(", with scopes {s}"));
    }
    let exp = r.get("exp").and_then(timestamp::numeric_date);
    if let Some(exp) = exp {
        detail.push_str(&format!(
            ", expiring {} ({})",
            timestamp::iso8601(exp),
            timestamp::relative(exp, now)
        ));
    }
    detail.push('.');
    let mut f =
        Finding::new("introspection.active", Severity::Ok, "Token is active").detail(detail);
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
