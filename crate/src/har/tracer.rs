//! A SAML-tracer export (<https://github.com/simplesamlphp/SAML-tracer>, `src/SAMLTraceIO.js`
//! `exportRequests`/`restoreFromImport`, read at commit 4aabcbc) read as the HAR it records, so
//! a trace someone already captured feeds the same fold. Its shape, from that writer:
//! `{ "requests": [ … ], "timestamp": "<export time, ISO 8601>" }`, each request the JSON of a
//! `SAMLTrace.Request` (`src/SAMLTrace.js`) enriched with its response: `method`, `url`,
//! `requestId` (`id` in exports before 1.0.0, whose headers are `[name, value]` arrays instead
//! of `{name, value}`), `requestHeaders`, `get` and `post` (`[name, value]` pairs, form-decoded),
//! `postData` (`{name: [values]}`, overwritten by the hashing/obfuscating export profiles),
//! `protocol` (`SAML-P`), `saml` (the message's XML as SAML-tracer decoded it), `samlart`,
//! `responseStatus`, `responseStatusText`, `responseHeaders`. There is no time per request:
//! a request is dated by its response's `Date`, else not at all.
//!
//! The export profiles that hash or obfuscate POST values leave `saml` whole, so the message
//! is read from `saml` when there is one (base64 again, as the form carried it).

use base64::{engine::general_purpose::STANDARD, Engine};
use serde_json::{json, Map, Value};

/// The document is a SAML-tracer export: `requests` is an array and there is no HAR `log`.
pub fn is_export(v: &Value) -> bool {
    v.get("log").is_none() && v.get("requests").is_some_and(Value::is_array)
}

/// The export as a HAR 1.2 document (its requests as entries, in order).
pub fn to_har(v: &Value) -> Option<Value> {
    let requests = v.get("requests")?.as_array()?;
    let entries: Vec<Value> = requests.iter().filter_map(entry).collect();
    Some(json!({
        "log": {
            "version": "1.2",
            "creator": {"name": "SAML-tracer export", "version": ""},
            "entries": entries,
        }
    }))
}

/// Headers as HAR's `{name, value}` objects, from either style.
fn headers(v: Option<&Value>) -> Vec<Value> {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|h| {
            let (name, value) = match h {
                Value::Array(pair) => (pair.first()?.as_str()?, pair.get(1)?.as_str()?),
                _ => (h.get("name")?.as_str()?, h.get("value")?.as_str()?),
            };
            Some(json!({"name": name, "value": value}))
        })
        .collect()
}

/// The form's `[name, value]` pairs (`post`), else `postData`'s `{name: [values]}`.
fn form(req: &Value) -> Vec<(String, String)> {
    let pairs = req.get("post").and_then(Value::as_array).map(|p| {
        p.iter()
            .filter_map(|pair| {
                let pair = pair.as_array()?;
                Some((
                    pair.first()?.as_str()?.to_string(),
                    pair.get(1)?.as_str().unwrap_or("").to_string(),
                ))
            })
            .collect::<Vec<_>>()
    });
    if let Some(p) = pairs.filter(|p| !p.is_empty()) {
        return p;
    }
    let Some(Value::Object(data)) = req.get("postData") else {
        return Vec::new();
    };
    data.iter()
        .flat_map(|(name, values)| {
            let values: Vec<String> = match values {
                Value::Array(vs) => vs
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect(),
                Value::String(s) => vec![s.clone()],
                _ => Vec::new(),
            };
            values.into_iter().map(move |v| (name.clone(), v))
        })
        .collect()
}

/// One SAML-tracer request as a HAR entry; `None` without a URL.
pub fn entry(req: &Value) -> Option<Value> {
    let url = req.get("url")?.as_str()?;
    let method = req.get("method").and_then(Value::as_str).unwrap_or("GET");
    let response_headers = headers(req.get("responseHeaders"));
    let date = response_headers
        .iter()
        .find(|h| {
            h["name"]
                .as_str()
                .is_some_and(|n| n.eq_ignore_ascii_case("date"))
        })
        .and_then(|h| h["value"].as_str())
        .and_then(crate::timestamp::parse_http_date);
    let saml = req
        .get("saml")
        .and_then(Value::as_str)
        .filter(|x| x.trim_start().starts_with('<'));
    let mut params = form(req);
    if let Some(xml) = saml {
        for (name, value) in params.iter_mut() {
            if name == "SAMLResponse" || name == "SAMLRequest" {
                *value = STANDARD.encode(xml.as_bytes());
            }
        }
    }
    let mut request = Map::new();
    request.insert("method".into(), json!(method));
    request.insert("url".into(), json!(url));
    request.insert("headers".into(), json!(headers(req.get("requestHeaders"))));
    if !params.is_empty() {
        let params: Vec<Value> = params
            .iter()
            .map(|(n, v)| json!({"name": n, "value": v}))
            .collect();
        request.insert(
            "postData".into(),
            json!({"mimeType": "application/x-www-form-urlencoded", "params": params}),
        );
    }
    let status = req
        .get("responseStatus")
        .and_then(Value::as_u64)
        .unwrap_or(0);
    let mut e = json!({
        "request": request,
        "response": {
            "status": status,
            "statusText": req.get("responseStatusText").and_then(Value::as_str).unwrap_or(""),
            "headers": response_headers,
        },
    });
    if let (Some(d), Value::Object(m)) = (date, &mut e) {
        m.insert(
            "startedDateTime".into(),
            json!(crate::timestamp::iso8601(d)),
        );
    }
    Some(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn current_and_legacy_requests_become_har_entries() {
        let export = json!({"requests": [
            {"requestId": "request-1-POST-x", "method": "POST", "url": "https://app/acs",
             "requestHeaders": [{"name": "Content-Type", "value": "application/x-www-form-urlencoded"}],
             "post": [["SAMLResponse", "c2hhMjU2Omhhc2hlZA=="], ["RelayState", "/home"]],
             "protocol": "SAML-P", "saml": "<samlp:Response ID=\"r1\"/>",
             "responseStatus": 302, "responseStatusText": "HTTP/1.1 302 Found",
             "responseHeaders": [{"name": "Date", "value": "Sun, 06 Dec 2026 05:00:00 GMT"}]},
            {"id": "legacy-1", "method": "GET", "url": "https://dev-1.okta.com/app/x/exk1/sso/saml?SAMLRequest=abc",
             "requestHeaders": [["Accept", "text/html"]], "get": [["SAMLRequest", "abc"]],
             "responseStatus": 200, "responseHeaders": [["Content-Type", "text/html"]]}
        ], "timestamp": "2026-12-06T05:00:01.000Z"});
        assert!(is_export(&export));
        let har = to_har(&export).unwrap();
        let entries = crate::har::parse(&har).unwrap();
        assert_eq!(entries.len(), 2);
        let ex = crate::har::exchange(&entries[0]).unwrap();
        assert_eq!(ex.status_code, Some(302));
        assert_eq!(ex.request_form[0].name, "SAMLResponse");
        // The hashed POST value is replaced by the message SAML-tracer decoded.
        assert_eq!(
            ex.request_form[0].value,
            STANDARD.encode("<samlp:Response ID=\"r1\"/>")
        );
        assert_eq!(ex.request_form[1].value, "/home");
        assert!(ex.observed_at.is_some());
        let legacy = crate::har::exchange(&entries[1]).unwrap();
        assert_eq!(
            legacy.request_headers.get(0).map(|h| h.name),
            Some("Accept")
        );
        assert_eq!(
            legacy.response_headers.get(0).and_then(|h| h.value),
            Some("text/html")
        );
        assert!(legacy.observed_at.is_none());
        assert!(!is_export(&json!({"log": {"entries": []}, "requests": []})));
        // The panel hands the requests one at a time: each is folded as its entry.
        let mut a = crate::har::Analysis::default();
        for r in export["requests"].as_array().unwrap() {
            a.add_entry(r);
        }
        assert_eq!(a.session.entries(), 2);
        assert_eq!(
            a.session.digest.exchanges, 2,
            "both carry SAML: both are read"
        );
    }
}
