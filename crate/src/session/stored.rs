//! A panel row and its report handed back by a page (`explainAdded`), read by hand from the
//! JSON `sessionAdd` answered, with the readers of stored tabs (digest/stored.rs).
//!
//! Why: serde's derived deserialisers for `Added` (and through it `Row` and `Report`) were the
//! last ones the ui module linked; reading these by hand took ~10 KB gzip off it (docs/performance-log.md,
//! "Size, seventh pass"). The rules are serde's: `Row`'s fields may be absent
//! (its `#[serde(default)]`), `Added`'s, `RowBucket`'s and `RowToken`'s `key` and `view` must
//! be there, and the test below compares the two readers on every field removed, nulled or of
//! another type.

use serde_json::Value;

use super::{Added, Row, RowBucket, RowToken};
use crate::digest::stored::{Fields, Read};

impl Read for RowBucket {
    fn read(v: &Value) -> Option<Self> {
        let f = Fields::of(v)?;
        Some(RowBucket {
            key: f.req("key")?,
            name: f.req("name")?,
            host: f.req("host")?,
        })
    }
}

impl Read for RowToken {
    fn read(v: &Value) -> Option<Self> {
        let f = Fields::of(v)?;
        Some(RowToken {
            key: f.req("key")?,
            expires_in: f.opt("expiresIn")?,
            view: f.req("view")?,
        })
    }
}

impl Read for Row {
    fn read(v: &Value) -> Option<Self> {
        let f = Fields::of(v)?;
        Some(Row {
            observed_at: f.or_default("observedAt")?,
            method: f.opt("method")?,
            url: f.opt("url")?,
            status_code: f.opt("statusCode")?,
            request_id: f.opt("requestId")?,
            severity: f.or_default("severity")?,
            headline: f.opt("headline")?,
            finding_ids: f.or_default("findingIds")?,
            problem_ids: f.or_default("problemIds")?,
            quiet_ids: f.or_default("quietIds")?,
            folded_ids: f.or_default("foldedIds")?,
            bucket: f.opt("bucket")?,
            token: f.opt("token")?,
        })
    }
}

impl Read for Added {
    fn read(v: &Value) -> Option<Self> {
        let f = Fields::of(v)?;
        Some(Added {
            row: f.req("row")?,
            report: f.req("report")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// The `{row, report}` pairs `sessionAdd` answers for every HAR fixture's Okta entries.
    fn added_values() -> Vec<Value> {
        let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures");
        let mut out = Vec::new();
        for dir in std::fs::read_dir(fixtures).unwrap() {
            let path = dir.unwrap().path();
            let Ok(text) = std::fs::read_to_string(path.join("input.txt")) else {
                continue;
            };
            let Ok(har) = serde_json::from_str::<Value>(&text) else {
                continue;
            };
            let Some(entries) = har.pointer("/log/entries").and_then(Value::as_array) else {
                continue;
            };
            let mut analysis = crate::har::Analysis::default();
            for entry in entries {
                if let Some((row, report)) = analysis.add_entry_row(entry) {
                    out.push(serde_json::to_value(Added { row, report }).unwrap());
                }
            }
        }
        out
    }

    fn agree(v: &Value) {
        let by_hand = Added::read(v).map(|a| serde_json::to_value(a).unwrap());
        let by_serde = serde_json::from_value::<Added>(v.clone())
            .ok()
            .map(|a| serde_json::to_value(a).unwrap());
        assert_eq!(by_hand, by_serde, "{v}");
    }

    #[test]
    fn the_hand_reader_reads_what_serde_reads_every_row_field_damaged() {
        let all = added_values();
        assert!(all.len() >= 20, "{} rows", all.len());
        let others = [
            Value::Null,
            json!("x"),
            json!(1.5),
            json!(-1),
            json!(70000),
            json!(true),
            json!({}),
            json!(["x"]),
        ];
        let (mut tokens, mut buckets, mut cases) = (0, 0, 0);
        for added in &all {
            agree(added);
            let row = &added["row"];
            tokens += usize::from(row.get("token").is_some_and(Value::is_object));
            buckets += usize::from(row.get("bucket").is_some_and(Value::is_object));
            // Each field of the pair, the row, its bucket and its token: removed, then replaced.
            for at in ["", "/row", "/row/bucket", "/row/token"] {
                let Some(Value::Object(map)) = added.pointer(at) else {
                    continue;
                };
                let names: Vec<String> = map.keys().cloned().collect();
                for name in names.iter().chain([&"absentField".to_string()]) {
                    let mut removed = added.clone();
                    if let Some(Value::Object(m)) = removed.pointer_mut(at) {
                        m.remove(name);
                    }
                    agree(&removed);
                    for other in &others {
                        let mut changed = added.clone();
                        if let Some(Value::Object(m)) = changed.pointer_mut(at) {
                            m.insert(name.clone(), other.clone());
                        }
                        agree(&changed);
                        cases += 1;
                    }
                }
            }
        }
        assert!(
            tokens > 0 && buckets > 0,
            "tokens {tokens}, buckets {buckets}"
        );
        assert!(cases > 1000, "{cases} cases");
        // Not an object at all.
        for other in &others {
            agree(other);
        }
    }
}
