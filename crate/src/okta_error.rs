//! Okta API error bodies (`{errorCode, errorSummary, errorLink, errorId, errorCauses}`,
//! okta.md §1.1 and developer.okta.com/docs/reference/error-codes/). Everything but
//! `errorCode` is optional (the System Log API sends reduced bodies).

use serde_json::Value;

use crate::{
    jwt::clip,
    report::{Finding, Severity},
};

#[derive(Clone, Debug, PartialEq)]
pub struct Error {
    pub code: String,
    pub summary: Option<String>,
    pub id: Option<String>,
    pub causes: Vec<String>,
}

/// `E` followed by seven digits, as every Okta code is.
pub fn is_code(s: &str) -> bool {
    s.len() == 8 && s.starts_with('E') && s.chars().skip(1).all(|c| c.is_ascii_digit())
}

/// `None` when the JSON is not an Okta error body.
pub fn parse(v: &Value) -> Option<Error> {
    let obj = v.as_object()?;
    let code = obj.get("errorCode")?.as_str()?.trim();
    if code.is_empty() {
        return None;
    }
    let text = |k: &str| obj.get(k).and_then(Value::as_str).map(str::to_string);
    let causes = obj
        .get("errorCauses")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|c| {
                    c.get("errorSummary")
                        .and_then(Value::as_str)
                        .map(str::to_string)
                })
                .collect()
        })
        .unwrap_or_default();
    Some(Error {
        code: code.to_string(),
        summary: text("errorSummary"),
        id: text("errorId"),
        causes,
    })
}

/// One finding per error body; the id is `okta_error.<code>` for well-formed codes.
pub fn findings(e: &Error, status: Option<u16>) -> Vec<Finding> {
    let id = if is_code(&e.code) {
        format!("okta_error.{}", e.code)
    } else {
        "okta_error.unknown".to_string()
    };
    let severity = match status {
        Some(s) if s < 400 => Severity::Info,
        _ => Severity::Error,
    };
    let summary = e
        .summary
        .as_deref()
        .map(clip)
        .unwrap_or_else(|| "(no errorSummary)".into());
    let mut detail = format!(
        "Okta answered{} with error code {}: \"{}\".",
        status.map(|s| format!(" HTTP {s}")).unwrap_or_default(),
        clip(&e.code),
        summary
    );
    if !e.causes.is_empty() {
        detail.push_str(" Causes: ");
        detail.push_str(
            &e.causes
                .iter()
                .map(|c| clip(c))
                .collect::<Vec<_>>()
                .join("; "),
        );
        detail.push('.');
    }
    let mut f = Finding::new(id, severity, format!("{} {}", clip(&e.code), summary))
        .detail(detail)
        .fix("Branch on errorCode, never on errorSummary: Okta says the summary may change.")
        .docs("https://developer.okta.com/docs/reference/error-codes/")
        .evidence("body", "errorCode", clip(&e.code));
    if let Some(id) = &e.id {
        f = f
            .fix("Quote the errorId (and the X-Okta-Request-Id header) when you contact Okta support; it also finds the event in the System Log.")
            .evidence("body", "errorId", clip(id));
    }
    for c in &e.causes {
        f = f.evidence("body", "errorCauses", clip(c));
    }
    vec![f]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parse_table() {
        let cases = [
            (
                json!({"errorCode": "E0000011", "errorSummary": "Invalid token provided", "errorId": "oaeX", "errorCauses": []}),
                Some("okta_error.E0000011"),
            ),
            (
                json!({"errorCode": "E0000053", "errorSummary": "Invalid filter"}),
                Some("okta_error.E0000053"),
            ),
            (json!({"errorCode": "<b>x</b>"}), Some("okta_error.unknown")),
            (json!({"errorCode": ""}), None),
            (json!({"errorCode": 5}), None),
            (json!({"error": "invalid_client"}), None),
        ];
        for (v, want) in cases {
            let got = parse(&v)
                .map(|e| findings(&e, Some(401)))
                .and_then(|f| f.first().map(|f| f.id.clone()));
            assert_eq!(got.as_deref(), want, "{v}");
        }
    }

    #[test]
    fn causes_and_error_id_become_evidence() {
        let v = json!({"errorCode": "E0000001", "errorSummary": "Api validation failed: login", "errorId": "oae1",
            "errorCauses": [{"errorSummary": "login: An object with this field already exists"}]});
        let f = parse(&v)
            .map(|e| findings(&e, Some(400)))
            .unwrap_or_default();
        let ev: Vec<&str> = f
            .iter()
            .flat_map(|f| f.evidence.iter().map(|e| e.name.as_str()))
            .collect();
        assert_eq!(ev, ["errorCode", "errorId", "errorCauses"]);
        assert!(f[0].detail.contains("already exists"));
    }
}
