//! `Headers` against the `Vec<Header>` it replaced, read by the replaced readers (kept here as
//! the reference): every header list of every golden input (HAR entries, pasted exchanges) and
//! hostile lists, through each reader (the glue's joined string, the HAR reader, serde, the
//! hand-written JSON reader).

use serde_json::{json, Value};

use crate::digest::stored::Read;
use crate::exchange::{Header, HeaderRef, Headers};

/// The replaced `wasm::fields::headers`.
fn old_joined(joined: &str) -> Result<Vec<Header>, ()> {
    let mut list = Vec::new();
    if joined.is_empty() {
        return Ok(list);
    }
    let mut parts = joined.split('\0');
    while let Some(name) = parts.next() {
        let value = parts.next().ok_or(())?;
        list.push(Header {
            name: name.to_string(),
            value: Some(value.to_string()),
        });
    }
    Ok(list)
}

/// The replaced `har::headers`.
fn old_har(v: &Value) -> Vec<Header> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|h| {
            Some(Header {
                name: h.get("name")?.as_str()?.to_string(),
                value: h.get("value").and_then(Value::as_str).map(str::to_string),
            })
        })
        .collect()
}

/// Every view of `new` is `old`'s.
fn same(new: &Headers, old: &[Header], case: &str) {
    assert_eq!(new.to_vec(), old, "{case}");
    assert_eq!(
        (new.len(), new.is_empty()),
        (old.len(), old.is_empty()),
        "{case}"
    );
    for (i, h) in old.iter().enumerate() {
        let want = HeaderRef {
            name: &h.name,
            value: h.value.as_deref(),
        };
        assert_eq!(new.get(i), Some(want), "{case} #{i}");
        assert_eq!(Pair::value(&want), Pair::value(h), "{case} #{i}");
        assert_eq!(new.first(&h.name), first(old, &h.name), "{case} #{i}");
        let upper = h.name.to_uppercase();
        assert_eq!(new.first(&upper), first(old, &upper), "{case} #{i}");
    }
    assert_eq!(new.get(old.len()), None, "{case}");
    assert!(new.iter().rev().eq(old.iter().rev().map(|h| HeaderRef {
        name: &h.name,
        value: h.value.as_deref()
    })));
    assert_eq!(new, &Headers::from(old.to_vec()), "{case}");
}

/// Every array under a `headers`, `requestHeaders` or `responseHeaders` member, at any depth.
fn lists(v: &Value, out: &mut Vec<Value>) {
    match v {
        Value::Object(m) => {
            for (k, item) in m {
                if matches!(k.as_str(), "headers" | "requestHeaders" | "responseHeaders") {
                    out.push(item.clone());
                }
                lists(item, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| lists(i, out)),
        _ => {}
    }
}

fn hostile() -> Vec<Value> {
    vec![
        json!([]),
        json!([{}]),
        json!([{"name": ""}, {"name": "", "value": ""}, {"value": "v"}]),
        json!([{"name": "A", "value": null}, {"name": "a", "value": "1"}, {"name": "A", "value": "2"}]),
        json!([{"name": "X-Weird", "value": "a\u{0}b\u{0}c"}, {"name": "n\u{0}m", "value": "\u{0}"}]),
        json!([{"name": "Ünïcödé", "value": "日本語 ✓"}, {"name": "ß", "value": "İ"}]),
        json!([{"name": "a", "value": 5}]),
        json!([{"name": 5}]),
        json!([["name-as-array", "value"], ["only-name"], []]),
        json!([["a", "b", "c"]]),
        json!({"name": "not a list"}),
        json!("text"),
        json!(null),
        json!([null]),
        json!([{"name": "dup", "value": "1"}, {"name": "dup", "value": "1"}, {"name": "DUP"}]),
        json!([{"name": " padded ", "value": " v "}, {"name": "Date", "value": ""}]),
    ]
}

fn joined(list: &[Header]) -> String {
    let mut s = String::new();
    for (i, h) in list.iter().enumerate() {
        if i > 0 {
            s.push('\0');
        }
        s.push_str(&h.name);
        s.push('\0');
        s.push_str(h.value.as_deref().unwrap_or_default());
    }
    s
}

#[test]
fn headers_read_as_the_header_lists_they_replaced() {
    let mut all = hostile();
    for (_, text) in crate::golden::inputs() {
        if let Ok(v) = serde_json::from_str::<Value>(&text) {
            lists(&v, &mut all);
        }
    }
    assert!(all.len() > 150, "{} header lists", all.len());
    let (mut read, mut joins) = (0, 0);
    for (n, v) in all.iter().enumerate() {
        let case = format!("list {n}: {v}");
        // serde: the same list, or the same error.
        let old = serde_json::from_value::<Vec<Header>>(v.clone());
        let new = serde_json::from_value::<Headers>(v.clone());
        match (&old, &new) {
            (Ok(old), Ok(new)) => same(new, old, &case),
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{case}"),
            _ => panic!("{case}: {old:?} against {new:?}"),
        }
        // The hand-written JSON reader.
        let old_read = <Vec<Header> as Read>::read(v);
        let new_read = <Headers as Read>::read(v);
        assert_eq!(old_read.is_some(), new_read.is_some(), "{case}");
        if let (Some(old), Some(new)) = (&old_read, &new_read) {
            same(new, old, &case);
        }
        // The HAR reader, through an entry.
        let entry = json!({"request": {"url": "https://x.okta.com/", "headers": v},
                           "response": {"status": 200, "headers": v}});
        let ex = crate::har::exchange(&entry).unwrap_or_default();
        same(&ex.request_headers, &old_har(v), &case);
        same(&ex.response_headers, &old_har(v), &case);
        // The glue's joined string, and it cut or lengthened to an odd count of parts.
        let list = old_har(v);
        let text = joined(&list);
        let mut texts = vec![text.clone(), format!("{text}\0tail"), format!("\0{text}")];
        texts.extend(
            text.char_indices()
                .map(|(i, _)| text.get(..i).unwrap_or_default().to_string()),
        );
        for t in texts {
            let old = old_joined(&t);
            let new = Headers::from_joined(t.clone());
            match (&old, &new) {
                (Ok(old), Some(new)) => same(new, old, &format!("{case} joined {t:?}")),
                (Err(()), None) => {}
                _ => panic!("{case} joined {t:?}: {old:?} against {new:?}"),
            }
            joins += 1;
        }
        read += 1;
    }
    assert!(joins > 1000, "{joins} joined strings");
    assert_eq!(read, all.len());
}

/// A list changed after it was read (appended, filtered, cleared) reads as the `Vec` changed
/// the same way.
#[test]
fn headers_changed_read_as_the_list_changed() {
    for v in hostile() {
        let Ok(mut old) = serde_json::from_value::<Vec<Header>>(v.clone()) else {
            continue;
        };
        let mut new = Headers::from(old.clone());
        let extra = Header {
            name: "Extra".into(),
            value: None,
        };
        old.push(extra.clone());
        new.push(extra);
        same(&new, &old, "pushed");
        old.retain(|h| !h.name.eq_ignore_ascii_case("a"));
        new.retain(|h| !h.name.eq_ignore_ascii_case("a"));
        same(&new, &old, "retained");
        old.clear();
        new.clear();
        same(&new, &old, "cleared");
    }
}

/// A header as a name and a value, as the code before [`Headers`] read an exchange's
/// `Vec<Header>`: the reference the lists are compared with; a header without a value reads
/// as an empty one.
trait Pair {
    fn name(&self) -> &str;
    fn value(&self) -> &str;
}

impl Pair for HeaderRef<'_> {
    fn name(&self) -> &str {
        self.name
    }

    fn value(&self) -> &str {
        self.value.unwrap_or_default()
    }
}

impl Pair for Header {
    fn name(&self) -> &str {
        &self.name
    }

    fn value(&self) -> &str {
        self.value.as_deref().unwrap_or_default()
    }
}

/// The first header called `name` (case-insensitive).
fn first<'a, H: Pair>(headers: &'a [H], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|h| h.name().eq_ignore_ascii_case(name))
        .map(Pair::value)
}
