//! Okta Identity Engine (IDX) responses: Ion JSON with `version`, `stateHandle`,
//! `remediation` and `messages` (okta.md §4.1–4.2). Messages live at the top level and on
//! form fields; `errors.E0000xxx` (or bare `E0000xxx`) keys are Okta API error codes. Each
//! message becomes an `idx.<i18n key>` fact for our explanation (`catalogue`; the words are in
//! `explain`); a pasted form field or `messages` object on its own is read too.

pub mod catalogue;

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
    let get = |k: &str| crate::encoding::member(v, k);
    let ion = get("version").is_some_and(Value::is_string)
        && [
            "stateHandle",
            "remediation",
            "messages",
            "intent",
            "expiresAt",
        ]
        .iter()
        .any(|k| obj.contains_key(*k));
    if ion {
        let mut out = Vec::new();
        collect(obj.get("messages"), None, &mut out);
        fields(obj.get("remediation"), &mut out, 0);
        return Some(out);
    }
    // A subtree copied out of a response: a form field `{name, messages}`, or the `messages`
    // object `{type: "array", value: [...]}` itself. Only with Ion-shaped message items.
    let field = get("name").and_then(Value::as_str);
    let container = match field {
        Some(_) => get("messages")?,
        None => v,
    };
    if !is_message_list(container) {
        return None;
    }
    let mut out = Vec::new();
    collect(Some(container), field, &mut out);
    Some(out)
}

/// `{value: [{message, i18n: {key}}, …]}` with at least one item and every item Ion-shaped.
fn is_message_list(v: &Value) -> bool {
    crate::encoding::member(v, "value")
        .and_then(Value::as_array)
        .is_some_and(|items| {
            !items.is_empty()
                && items.iter().all(|m| {
                    m.get("message").is_some_and(Value::is_string)
                        && (m.pointer("/i18n/key").is_some_and(Value::is_string)
                            || m.get("class").is_some_and(Value::is_string))
                })
        })
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

/// A key fit to be part of a finding id (and to be named in a title).
pub fn key_ok(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 128
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
}

/// One `idx.<key>` finding per message (`idx.message` when the key is missing or odd), and the
/// `okta_error.<code>` finding of a message that is an Okta API error. Records what the words
/// need: the key (as sent, or recognised from the text), the API error code, the class, the
/// form field, and the request's values the commands use.
pub fn findings(messages: &[Message], ctx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    for m in messages {
        let severity = match m.class.as_deref() {
            Some("INFO") => Severity::Info,
            Some("WARNING") => Severity::Warning,
            _ => Severity::Error,
        };
        // The id takes only well-formed keys; any key Okta sent still finds its explanation
        // (device-assurance keys carry a ':').
        let sent_key = m.key.as_deref().filter(|k| !k.is_empty() && k.len() <= 256);
        let id = match sent_key.filter(|k| key_ok(k)) {
            Some(k) => format!("idx.{k}"),
            None => "idx.message".to_string(),
        };
        // Messages without a key are recognised by their text (okta.md §4.2).
        let key = sent_key.or_else(|| catalogue::key_for_text(&m.text));
        // …or by the Sign-In Widget's wording of an API error (okta.md §1.5).
        let code = key.and_then(okta_code).or_else(|| {
            key.is_none()
                .then(|| okta_error::catalogue::by_text(&m.text).map(|e| e.code))
                .flatten()
        });
        let text = clip(&m.text);
        let class = match m.class.as_deref() {
            Some("ERROR") => Some("error"),
            Some("WARNING") => Some("warning"),
            Some("INFO") => Some("info"),
            _ => None,
        };
        let mut f = Finding::fact(id, severity)
            .with("key", key)
            .with("keySent", sent_key.is_some().then_some(true))
            .with("code", code)
            .with("class", class)
            .with("field", m.field.as_deref().map(clip))
            .with("textless", text.is_empty().then_some(true))
            .quote("Okta said (message)", text);
        okta_error::with_request(&mut f, ctx);
        if let Some(k) = &m.key {
            f = f.evidence("messages", "i18n.key", clip(k));
        }
        if let Some(c) = &m.class {
            f = f.evidence("messages", "class", clip(c));
        }
        if let Some(field) = &m.field {
            f = f.evidence("remediation", "field", clip(field));
        }
        out.push(f);
        if let Some(code) = code {
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

    /// The findings with their words, as a report shows them.
    fn worded(messages: &[Message], ctx: &Context) -> Vec<Finding> {
        // The analysis records facts; every word is written by `explain`.
        crate::explain::worded_facts(findings(messages, ctx))
    }

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
            .map(|f| f.id.into_owned())
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
    fn subtrees_and_keyless_messages() {
        let field = json!({"name": "email", "label": "Email", "messages": {"type": "array", "value": [
            {"message": "'Primary email' must be in the form of an email address", "i18n": {"key": "registration.error.invalidLoginEmail", "params": ["Primary email"]}, "class": "ERROR"}]}});
        let m = parse(&field).unwrap();
        assert_eq!(m[0].field.as_deref(), Some("email"));
        let f = worded(&m, &Context::default());
        assert_eq!(f[0].id, "idx.registration.error.invalidLoginEmail");
        assert!(f[0].detail.contains("profile enrollment"));

        let keyless = json!({"type": "array", "value": [{"message": "User is not assigned to this application", "class": "ERROR"}]});
        let f = worded(&parse(&keyless).unwrap(), &Context::default());
        assert_eq!(f[0].id, "idx.message");
        assert!(f[0].detail.contains("idx.error.user.not.assigned.to.app"));
        assert!(f[0].commands.iter().any(|c| c.command.contains("/users")));

        assert_eq!(
            parse(&json!({"name": "x", "messages": {"value": []}})),
            None
        );
        assert_eq!(parse(&json!({"value": [{"foo": 1}]})), None);
    }

    #[test]
    fn every_catalogued_message_yields_a_complete_finding() {
        for k in catalogue::messages() {
            let m = Message {
                key: Some(k.key.to_string()),
                text: k.text.unwrap_or_default().to_string(),
                class: k.class.map(str::to_string),
                field: None,
            };
            let f = worded(&[m], &Context::default());
            let first = &f[0];
            let want = if key_ok(k.key) {
                format!("idx.{}", k.key)
            } else {
                "idx.message".into()
            };
            assert_eq!(first.id, want);
            assert!(
                !first.title.is_empty() && !first.detail.is_empty() && first.fix.len() >= 2,
                "{}",
                k.key
            );
            if okta_code(k.key).is_some() {
                assert_eq!(f.len(), 2, "{}", k.key);
            }
        }
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
