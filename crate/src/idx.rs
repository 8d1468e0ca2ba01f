//! Okta Identity Engine (IDX) responses: Ion JSON with `version`, `stateHandle`,
//! `remediation` and `messages` (okta.md §4.1–4.2). Messages live at the top level and on
//! form fields; `errors.E0000xxx` (or bare `E0000xxx`) keys are Okta API error codes.

use serde_json::Value;

use crate::{
    context::Context,
    jwt::clip,
    okta_error,
    report::{Finding, Severity},
};

#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    pub key: Option<String>,
    pub text: String,
    pub class: Option<String>,
    /// The form field it is attached to, for field-level messages.
    pub field: Option<String>,
}

/// `None` unless the JSON is an IDX (Ion) response.
pub fn parse(v: &Value) -> Option<Vec<Message>> {
    let obj = v.as_object()?;
    let ion = obj.get("version").is_some_and(Value::is_string)
        && [
            "stateHandle",
            "remediation",
            "messages",
            "intent",
            "expiresAt",
        ]
        .iter()
        .any(|k| obj.contains_key(*k));
    if !ion {
        return None;
    }
    let mut out = Vec::new();
    collect(obj.get("messages"), None, &mut out);
    fields(obj.get("remediation"), &mut out, 0);
    Some(out)
}

fn collect(messages: Option<&Value>, field: Option<&str>, out: &mut Vec<Message>) {
    let Some(items) = messages
        .and_then(|m| m.get("value"))
        .and_then(Value::as_array)
    else {
        return;
    };
    for m in items {
        out.push(Message {
            key: m
                .pointer("/i18n/key")
                .and_then(Value::as_str)
                .map(str::to_string),
            text: m
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            class: m.get("class").and_then(Value::as_str).map(str::to_string),
            field: field.map(str::to_string),
        });
    }
}

/// Walks remediation forms for field-level messages; depth-bounded (Ion nests forms).
fn fields(v: Option<&Value>, out: &mut Vec<Message>, depth: usize) {
    if depth > 16 {
        return;
    }
    match v {
        Some(Value::Array(items)) => items.iter().for_each(|i| fields(Some(i), out, depth + 1)),
        Some(Value::Object(o)) => {
            if o.contains_key("messages") && o.contains_key("name") {
                collect(
                    o.get("messages"),
                    o.get("name").and_then(Value::as_str),
                    out,
                );
            }
            for k in ["value", "form"] {
                fields(o.get(k), out, depth + 1);
            }
        }
        _ => {}
    }
}

/// `errors.E0000004` and `E0000004` both name an Okta error code.
pub fn okta_code(key: &str) -> Option<&str> {
    let code = key.strip_prefix("errors.").unwrap_or(key);
    okta_error::is_code(code).then_some(code)
}

fn key_ok(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 128
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
}

pub fn findings(messages: &[Message], ctx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    for m in messages {
        let severity = match m.class.as_deref() {
            Some("INFO") => Severity::Info,
            Some("WARNING") => Severity::Warning,
            _ => Severity::Error,
        };
        let id = match m.key.as_deref() {
            Some(k) if key_ok(k) => format!("idx.{k}"),
            _ => "idx.message".to_string(),
        };
        let text = clip(&m.text);
        let mut f = Finding::new(id, severity, if text.is_empty() { "Identity Engine message".to_string() } else { text.clone() })
            .detail(format!(
                "The Identity Engine (IDX) returned {} message{}: “{}”",
                match m.class.as_deref() {
                    Some("ERROR") => "an error",
                    Some("WARNING") => "a warning",
                    Some("INFO") => "an information",
                    _ => "a",
                },
                m.field.as_deref().map(|f| format!(" on the field \"{}\"", clip(f))).unwrap_or_default(),
                text
            ))
            .fix("The sign-in widget shows this message to the user; the i18n key identifies it exactly across languages.")
            .docs("https://developer.okta.com/docs/concepts/oie-intro/");
        if let Some(k) = &m.key {
            f = f.evidence("messages", "i18n.key", clip(k));
        }
        if let Some(field) = &m.field {
            f = f.evidence("remediation", "field", clip(field));
        }
        out.push(f);
        if let Some(code) = m.key.as_deref().and_then(okta_code) {
            let e = okta_error::Error {
                code: code.to_string(),
                summary: Some(m.text.clone()),
                id: None,
                causes: Vec::new(),
            };
            out.extend(okta_error::findings(&e, ctx));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn messages_and_codes() {
        let v = json!({"version": "1.0.0", "stateHandle": "x", "messages": {"type": "array", "value": [
            {"message": "Authentication failed", "i18n": {"key": "errors.E0000004"}, "class": "ERROR"},
            {"message": "Too many requests", "i18n": {"key": "tooManyRequests"}, "class": "ERROR"}
        ]}, "remediation": {"type": "array", "value": [{"name": "identify", "value": [
            {"name": "identifier", "label": "Username", "messages": {"type": "array", "value": [
                {"message": "This field cannot be left blank", "i18n": {"key": "model.validation.field.blank"}, "class": "ERROR"}]}}
        ]}]}});
        let ids: Vec<String> = parse(&v)
            .map(|m| findings(&m, &Context::default()))
            .unwrap_or_default()
            .into_iter()
            .map(|f| f.id)
            .collect();
        assert_eq!(
            ids,
            [
                "idx.errors.E0000004",
                "okta_error.E0000004",
                "idx.tooManyRequests",
                "idx.model.validation.field.blank"
            ]
        );
    }

    #[test]
    fn not_ion() {
        assert_eq!(parse(&json!({"errorCode": "E0000004"})), None);
        assert_eq!(parse(&json!({"version": 1, "messages": {}})), None);
        assert_eq!(okta_code("E0000020"), Some("E0000020"));
        assert_eq!(okta_code("errors.E0000150"), Some("E0000150"));
        assert_eq!(okta_code("tooManyRequests"), None);
    }
}
