//! The hand reader against serde's derived deserialiser: every golden exchange
//! (tests/fixtures/*/input.txt that is one JSON object with a `statusCode`), then each member
//! removed, nulled and replaced by values of every JSON type, and each member of its first
//! header, form field and omitted field the same way.

use serde_json::{json, Map, Value};

use super::*;

fn same(v: &Value) {
    let by_serde = serde_json::from_value::<Exchange>(v.clone()).ok();
    assert_eq!(Exchange::read(v), by_serde, "{v}");
}

fn replacements() -> Vec<Value> {
    vec![
        Value::Null,
        json!(true),
        json!(0),
        json!(404),
        json!(-1),
        json!(1.5),
        json!(70000),
        json!(1e300),
        json!("x"),
        json!("network"),
        json!("page"),
        json!([]),
        json!({}),
        json!({ "network": null }),
        json!({ "page": 1 }),
        json!({ "network": null, "page": null }),
        json!([["a", "b"]]),
        json!([["a"]]),
        json!([["a", "b", "c"]]),
        json!([["a", null]]),
        json!([[1]]),
        json!([{}]),
        json!([{ "name": null }]),
        json!([{ "name": "n", "value": null, "length": 3 }]),
        json!([{ "name": "n", "length": -1 }]),
        json!([{ "name": "n", "length": 2.5 }]),
        json!([null]),
        json!([7]),
    ]
}

/// Each member of `object` removed, then replaced by every value of [`replacements`].
fn mutations(object: &Map<String, Value>, extra: &[&str]) -> Vec<Map<String, Value>> {
    let mut keys: Vec<String> = object.keys().cloned().collect();
    keys.extend(extra.iter().map(|k| k.to_string()));
    let mut out = Vec::new();
    for key in keys {
        let mut removed = object.clone();
        removed.remove(&key);
        out.push(removed);
        for r in replacements() {
            let mut m = object.clone();
            m.insert(key.clone(), r);
            out.push(m);
        }
    }
    out
}

const MEMBERS: &[&str] = &[
    "observedAt",
    "method",
    "url",
    "statusCode",
    "requestHeaders",
    "responseHeaders",
    "body",
    "bodySource",
    "recorded",
    "type",
    "kind",
    "error",
    "requestForm",
    "requestFormOmitted",
    "initiator",
    "thirdParty",
    "unknown",
];

#[test]
fn reads_what_serde_reads() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let mut exchanges: Vec<Map<String, Value>> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| std::fs::read_to_string(e.path().join("input.txt")).ok())
        .filter_map(|t| serde_json::from_str::<Value>(&t).ok())
        .filter_map(|v| v.as_object().cloned())
        .filter(|m| m.contains_key("statusCode"))
        .collect();
    assert!(
        exchanges.len() >= 15,
        "{} golden exchanges",
        exchanges.len()
    );
    exchanges.push(
        json!({
            "statusCode": 200,
            "requestForm": [{ "name": "code", "value": "c" }],
            "requestFormOmitted": [{ "name": "SAMLResponse", "length": 70000 }],
            "bodySource": "page",
        })
        .as_object()
        .cloned()
        .unwrap_or_default(),
    );
    let mut checked = 0;
    for ex in &exchanges {
        same(&Value::Object(ex.clone()));
        for m in mutations(ex, MEMBERS) {
            same(&Value::Object(m));
            checked += 1;
        }
        for list in [
            "requestHeaders",
            "responseHeaders",
            "requestForm",
            "requestFormOmitted",
        ] {
            let Some(Value::Object(first)) = ex.get(list).and_then(|l| l.get(0)) else {
                continue;
            };
            for item in mutations(first, &["name", "value", "length", "other"]) {
                let mut m = ex.clone();
                m.insert(list.to_string(), json!([item]));
                same(&Value::Object(m));
                checked += 1;
            }
        }
    }
    assert!(checked > 5_000, "{checked} mutations");
    // Not arrays: serde also reads an exchange from an array of its members in order, but
    // `recognise::json` hands over objects only (`is_exchange`), and the hand reader reads none.
    for v in replacements().iter().filter(|v| !v.is_array()) {
        same(v);
    }
}
