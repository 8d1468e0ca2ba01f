//! Redaction for anything that leaves the machine on the user's say-so: a sanitised HAR for
//! a support ticket. JWT signatures are removed (claims kept, so support can still read them);
//! SSWS and refresh tokens, client secrets, `code`, `state`, `nonce`, passwords, passcodes,
//! cookies and session tokens are masked; `errorId` and request ids are kept. Every change
//! is listed in a [`Receipt`] saying what was redacted and where.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::{encoding, token};

/// Names (query parameters, form fields, JSON keys, case-insensitive) whose values are secrets.
const SECRET_NAMES: [&str; 24] = [
    "access_token",
    "id_token",
    "refresh_token",
    "token",
    "client_secret",
    "client_assertion",
    "assertion",
    "code",
    "code_verifier",
    "state",
    "nonce",
    "password",
    "passcode",
    "answer",
    "newpassword",
    "oldpassword",
    "sessiontoken",
    "session_token",
    "statetoken",
    "statehandle",
    "interaction_code",
    "interaction_handle",
    "device_code",
    "otp",
];

/// Headers whose whole value is a credential.
const SECRET_HEADERS: [&str; 6] = [
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    "dpop",
    "x-okta-session-token",
];

pub const MASK: &str = "REDACTED";

#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Redaction {
    /// Where: `entries[3].request.headers[Authorization]`.
    pub location: String,
    /// What: `JWT signature removed`, `masked`.
    pub what: String,
}

#[derive(Serialize, Clone, Debug, Default, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Receipt {
    pub redactions: Vec<Redaction>,
}

impl Receipt {
    fn note(&mut self, location: &str, what: &str) {
        self.redactions.push(Redaction {
            location: location.to_string(),
            what: what.to_string(),
        });
    }
}

fn is_secret_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    SECRET_NAMES.contains(&lower.as_str())
}

/// Could `s` hold a JWT or an SSWS token? One pass over the bytes, no allocation: almost
/// every string in a report is plain prose, and this keeps sealing a report cheap.
fn may_hold_secret(s: &str) -> bool {
    let bytes = s.as_bytes();
    let token_char =
        |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_');
    // Look only at the rare bytes: 'J' (a JWT starts "eyJ") and '0' (an SSWS token is a run
    // of exactly 42 token characters starting "00").
    let hit = |i: usize, b: u8| match b {
        b'J' => i >= 2 && bytes.get(i - 2..i) == Some(b"ey"),
        b'0' => {
            i >= 1
                && bytes.get(i - 1) == Some(&b'0')
                && (i == 1 || !token_char(bytes.get(i - 2)))
                && bytes
                    .get(i - 1..i + 41)
                    .is_some_and(|run| run.iter().all(|b| token_char(Some(b))))
                && !token_char(bytes.get(i + 41))
        }
        _ => false,
    };
    // Eight bytes at a time: only a word holding a 'J' or a '0' is looked at byte by byte
    // (sealing scans every string of every report; this halves its cost in wasm).
    let words = bytes.chunks_exact(8);
    let tail = words.remainder();
    let at_tail = bytes.len() - tail.len();
    for (w, chunk) in words.enumerate() {
        let word = <[u8; 8]>::try_from(chunk).map_or(u64::MAX, u64::from_le_bytes);
        if has_byte(word, b'J') || has_byte(word, b'0') {
            let start = w * 8;
            if chunk.iter().enumerate().any(|(k, b)| hit(start + k, *b)) {
                return true;
            }
        }
    }
    tail.iter().enumerate().any(|(k, b)| hit(at_tail + k, *b))
}

/// Does `word` contain the byte `b`? (The classic SWAR zero-byte test on `word ^ b…b`.)
fn has_byte(word: u64, b: u8) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let x = word ^ (ONES * u64::from(b));
    x.wrapping_sub(ONES) & !x & HIGHS != 0
}

/// Removes the signature of every compact JWS inside `s` and masks SSWS-shaped tokens.
/// Returns the text and what was done, if anything.
pub fn scrub_text(s: &str) -> (String, Vec<&'static str>) {
    if !may_hold_secret(s) {
        return (s.to_string(), Vec::new());
    }
    let mut out = String::with_capacity(s.len());
    let mut done = Vec::new();
    let bytes = s.as_bytes();
    let mut i = 0;
    let token_char = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
    while i < bytes.len() {
        // A run of token characters and dots: maybe a JWT or an SSWS token.
        let start = i;
        while bytes.get(i).is_some_and(|b| token_char(*b) || *b == b'.') {
            i += 1;
        }
        if i == start {
            let ch_len = s
                .get(i..)
                .and_then(|r| r.chars().next())
                .map_or(1, char::len_utf8);
            out.push_str(s.get(i..i + ch_len).unwrap_or_default());
            i += ch_len;
            continue;
        }
        let whole = s.get(start..i).unwrap_or_default();
        // A sentence may end right after a token: keep trailing dots out of it.
        let run = whole.trim_end_matches('.');
        let trailing = whole.get(run.len()..).unwrap_or_default();
        let parts: Vec<&str> = run.split('.').collect();
        if let (true, [header, payload, signature]) = (run.starts_with("eyJ"), parts.as_slice()) {
            if header.is_empty() || payload.is_empty() || signature.is_empty() {
                out.push_str(whole);
                continue;
            }
            out.push_str(&format!("{header}.{payload}.{MASK}"));
            done.push("JWT signature removed");
        } else if parts.len() == 1 && token::is_ssws(run) {
            out.push_str(&token::mask(run));
            done.push("SSWS token masked");
        } else {
            out.push_str(run);
        }
        out.push_str(trailing);
    }
    (out, done)
}

/// Masks secret values in `a=b&c=d` text (query strings, form bodies).
fn scrub_params(text: &str, location: &str, receipt: &mut Receipt) -> String {
    text.split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) if is_secret_name(&encoding::form_decode(k)) && !v.is_empty() => {
                receipt.note(&format!("{location}[{k}]"), "masked");
                format!("{k}={MASK}")
            }
            _ => pair.to_string(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Redacts a URL's query and fragment parameters and any JWT in it.
pub fn url(u: &str, location: &str, receipt: &mut Receipt) -> String {
    let (base, fragment) = u.split_once('#').map_or((u, None), |(b, f)| (b, Some(f)));
    let (path, query) = base
        .split_once('?')
        .map_or((base, None), |(p, q)| (p, Some(q)));
    let mut out = path.to_string();
    if let Some(q) = query {
        out.push('?');
        out.push_str(&scrub_params(q, &format!("{location}?"), receipt));
    }
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(&scrub_params(f, &format!("{location}#"), receipt));
    }
    let (text, done) = scrub_text(&out);
    for d in done {
        receipt.note(location, d);
    }
    text
}

/// Walks any JSON value: secret keys masked (JWT values keep their claims), every string
/// scrubbed of JWT signatures and SSWS tokens.
pub fn json(v: &mut Value, location: &str, receipt: &mut Receipt) {
    match v {
        Value::Object(map) => object(map, location, receipt),
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                json(item, &format!("{location}[{i}]"), receipt);
            }
        }
        Value::String(s) => {
            let (text, done) = scrub_text(s);
            for d in &done {
                receipt.note(location, d);
            }
            if !done.is_empty() {
                *s = text;
            }
        }
        _ => {}
    }
}

fn object(map: &mut Map<String, Value>, location: &str, receipt: &mut Receipt) {
    for (k, v) in map.iter_mut() {
        let here = format!("{location}.{k}");
        if is_secret_name(k) {
            if let Value::String(s) = v {
                let (text, done) = scrub_text(s);
                if done.contains(&"JWT signature removed") {
                    *s = text;
                    receipt.note(&here, "JWT signature removed");
                } else if !s.is_empty() {
                    *s = MASK.to_string();
                    receipt.note(&here, "masked");
                }
                continue;
            }
            if !v.is_null() && !v.is_object() && !v.is_array() {
                *v = Value::String(MASK.to_string());
                receipt.note(&here, "masked");
                continue;
            }
        }
        json(v, &here, receipt);
    }
}

/// `[{name, value}]` lists (HAR headers, cookies, queryString, postData.params).
fn pairs(list: &mut Value, location: &str, receipt: &mut Receipt, all_secret: bool) {
    let Some(items) = list.as_array_mut() else {
        return;
    };
    for item in items {
        let name = item
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let Some(Value::String(value)) = item.get_mut("value") else {
            continue;
        };
        let here = format!("{location}[{name}]");
        let lower = name.to_ascii_lowercase();
        if all_secret || is_secret_name(&name) || SECRET_HEADERS.contains(&lower.as_str()) {
            let (text, done) = scrub_text(value);
            if lower == "authorization" && done.contains(&"JWT signature removed") {
                *value = text;
                receipt.note(&here, "JWT signature removed");
            } else if lower == "cookie" || lower == "set-cookie" {
                *value = mask_cookie(value);
                receipt.note(&here, "cookie values masked");
            } else if !value.is_empty() {
                let scheme = value
                    .split_once(' ')
                    .map(|(s, _)| s.to_string())
                    .filter(|s| s.len() < 16 && lower.contains("authorization"));
                *value = match scheme {
                    Some(s) => format!("{s} {MASK}"),
                    None => MASK.to_string(),
                };
                receipt.note(&here, "masked");
            }
        } else if lower == "location" || lower == "referer" {
            *value = url(value, &here, receipt);
        } else {
            let (text, done) = scrub_text(value);
            for d in &done {
                receipt.note(&here, d);
            }
            *value = text;
        }
    }
}

/// `a=1; b=2` or `sid=x; Path=/; Secure` → names kept, values masked (attributes kept).
fn mask_cookie(v: &str) -> String {
    const ATTRIBUTES: [&str; 8] = [
        "path", "domain", "expires", "max-age", "samesite", "secure", "httponly", "priority",
    ];
    v.split(';')
        .map(|part| match part.split_once('=') {
            Some((k, val))
                if !ATTRIBUTES.contains(&k.trim().to_ascii_lowercase().as_str())
                    && !val.is_empty() =>
            {
                format!("{k}={MASK}")
            }
            _ => part.to_string(),
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// Body text: JSON walked, form bodies scrubbed by name, anything else scrubbed of tokens.
fn body_text(text: &mut String, location: &str, receipt: &mut Receipt) {
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        if let Ok(mut v) = serde_json::from_str::<Value>(text) {
            json(&mut v, location, receipt);
            if let Ok(s) = serde_json::to_string(&v) {
                *text = s;
                return;
            }
        }
    }
    if text.contains('=') && !text.contains(char::is_whitespace) {
        *text = scrub_params(text, location, receipt);
    }
    let (scrubbed, done) = scrub_text(text);
    for d in done {
        receipt.note(location, d);
    }
    *text = scrubbed;
}

/// Sanitises one HAR entry in place; `index` names it in the receipt.
pub fn har_entry(entry: &mut Value, index: usize, receipt: &mut Receipt) {
    let at = format!("entries[{index}]");
    if let Some(req) = entry.get_mut("request") {
        if let Some(Value::String(u)) = req.get_mut("url") {
            *u = url(u, &format!("{at}.request.url"), receipt);
        }
        for (field, all) in [
            ("headers", false),
            ("cookies", true),
            ("queryString", false),
        ] {
            if let Some(list) = req.get_mut(field) {
                pairs(list, &format!("{at}.request.{field}"), receipt, all);
            }
        }
        if let Some(post) = req.get_mut("postData") {
            if let Some(params) = post.get_mut("params") {
                pairs(
                    params,
                    &format!("{at}.request.postData.params"),
                    receipt,
                    false,
                );
            }
            if let Some(Value::String(text)) = post.get_mut("text") {
                body_text(text, &format!("{at}.request.postData.text"), receipt);
            }
        }
    }
    if let Some(resp) = entry.get_mut("response") {
        for (field, all) in [("headers", false), ("cookies", true)] {
            if let Some(list) = resp.get_mut(field) {
                pairs(list, &format!("{at}.response.{field}"), receipt, all);
            }
        }
        if let Some(Value::String(u)) = resp.get_mut("redirectURL") {
            *u = url(u, &format!("{at}.response.redirectURL"), receipt);
        }
        if let Some(content) = resp.get_mut("content").and_then(Value::as_object_mut) {
            let decoded = match (
                content.get("text").and_then(Value::as_str),
                content.get("encoding").and_then(Value::as_str),
            ) {
                (Some(t), Some("base64")) => encoding::base64url(t)
                    .ok()
                    .and_then(|b| String::from_utf8(b).ok()),
                (Some(t), _) => Some(t.to_string()),
                _ => None,
            };
            match decoded {
                Some(mut text) => {
                    body_text(&mut text, &format!("{at}.response.content.text"), receipt);
                    content.insert("text".into(), Value::String(text));
                    content.remove("encoding");
                }
                None if content.contains_key("text") => {
                    // Binary content can't be inspected: drop it rather than ship it unread.
                    content.insert("text".into(), Value::String(String::new()));
                    receipt.note(
                        &format!("{at}.response.content.text"),
                        "binary body removed",
                    );
                }
                None => {}
            }
        }
    }
}

/// The last line of defence on every report the core returns: any JWT signature or
/// SSWS-shaped token that reached a string (a URL parameter, an error description, a claim
/// holding another token) is removed, whatever module put it there.
pub fn seal(report: &mut crate::Report) {
    let mut scrub = |s: &mut String| {
        if !may_hold_secret(s) {
            return;
        }
        let (text, done) = scrub_text(s);
        if !done.is_empty() {
            *s = text;
        }
    };
    scrub(&mut report.summary);
    for f in &mut report.findings {
        scrub(&mut f.title);
        scrub(&mut f.detail);
        if let Some(q) = &mut f.quote {
            scrub(&mut q.text);
        }
        f.fix.iter_mut().for_each(&mut scrub);
        for c in &mut f.commands {
            scrub(&mut c.command);
        }
        for e in &mut f.evidence {
            scrub(&mut e.value);
        }
    }
    if let Some(url) = report.request.as_mut().and_then(|r| r.url.as_mut()) {
        scrub(url);
    }
    for v in [
        &mut report.token,
        &mut report.rate_limit,
        &mut report.timeline,
    ]
    .into_iter()
    .flatten()
    {
        scrub_strings(v);
    }
}

/// Every string in a JSON value scrubbed of JWT signatures and SSWS tokens; keys untouched.
fn scrub_strings(v: &mut Value) {
    match v {
        Value::String(s) if may_hold_secret(s) => {
            let (text, done) = scrub_text(s);
            if !done.is_empty() {
                *s = text;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(scrub_strings),
        Value::Object(map) => map.values_mut().for_each(scrub_strings),
        _ => {}
    }
}

/// Sanitises a whole HAR document in memory, in document order — the same walk, receipt and
/// result as the CLI's streaming `har --redact`.
pub fn har_document(v: &mut Value) -> Receipt {
    let mut receipt = Receipt::default();
    let Some(top) = v.as_object_mut() else {
        return receipt;
    };
    for (key, value) in top.iter_mut() {
        if key != "log" {
            json(value, key, &mut receipt);
            continue;
        }
        let Some(log) = value.as_object_mut() else {
            json(value, key, &mut receipt);
            continue;
        };
        for (k, member) in log.iter_mut() {
            match (k.as_str(), member) {
                ("entries", Value::Array(entries)) => {
                    for (i, e) in entries.iter_mut().enumerate() {
                        har_entry(e, i, &mut receipt);
                    }
                }
                (_, member) => json(member, &format!("log.{k}"), &mut receipt),
            }
        }
    }
    receipt
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const JWT: &str = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIwMHUxIn0.SIGNATURESECRETSIGNATURESECRET";
    const SSWS: &str = "00igKrTNyNLHCw0wYSIsoDF28cN4B3KZPETBz9pqz0";

    #[test]
    fn secret_prefilter_table() {
        let cases = [
            (JWT.to_string(), true),
            (format!("x {SSWS} y"), true),
            (SSWS.to_string(), true),
            (format!("a{SSWS}"), false),
            (format!("{SSWS}0"), false),
            ("1,500 characters and 00u1 ids".to_string(), false),
            ("ey J".to_string(), false),
            (String::new(), false),
        ];
        for (text, want) in cases {
            assert_eq!(may_hold_secret(&text), want, "{text}");
        }
    }

    /// The prefilter before it read eight bytes at a time: every byte, one by one.
    fn may_hold_secret_bytewise(s: &str) -> bool {
        let bytes = s.as_bytes();
        let token_char = |b: Option<&u8>| {
            b.is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_')
        };
        bytes.iter().enumerate().any(|(i, b)| match b {
            b'J' => i >= 2 && bytes.get(i - 2..i) == Some(b"ey"),
            b'0' => {
                i >= 1
                    && bytes.get(i - 1) == Some(&b'0')
                    && (i == 1 || !token_char(bytes.get(i - 2)))
                    && bytes
                        .get(i - 1..i + 41)
                        .is_some_and(|run| run.iter().all(|b| token_char(Some(b))))
                    && !token_char(bytes.get(i + 41))
            }
            _ => false,
        })
    }

    #[test]
    fn secret_prefilter_agrees_with_bytewise_at_every_word_offset() {
        let run43 = "0".repeat(43);
        let fragments = [
            "eyJ", "ey", "J", "e", "00", "0", SSWS, JWT, &run43, "a", " ", "é", "yJ",
        ];
        let mut checked = 0;
        for pad in 0..17 {
            for a in fragments {
                for b in fragments {
                    for sep in ["", " ", "x"] {
                        let text = format!("{}{a}{sep}{b}", "x".repeat(pad));
                        let spaced = format!("{} {a}{sep}{b} ", " ".repeat(pad));
                        for t in [&text, &spaced] {
                            assert_eq!(may_hold_secret(t), may_hold_secret_bytewise(t), "{t:?}");
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert!(checked > 10_000);
        // Positives and negatives both occur, at boundaries of the eight-byte words.
        assert!(may_hold_secret(&format!("{}eyJ", "x".repeat(6))));
        assert!(may_hold_secret(&format!("{} {SSWS}", "x".repeat(6))));
        assert!(!may_hold_secret(&format!("{}ey J", "x".repeat(6))));
    }

    #[test]
    fn scrub_text_table() {
        let cases = [
            (
                format!("Bearer {JWT}"),
                "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIwMHUxIn0.REDACTED".to_string(),
            ),
            (format!("SSWS {SSWS}"), "SSWS 00ig…z0".to_string()),
            (
                "dev-1.okta.com and reqAbc".to_string(),
                "dev-1.okta.com and reqAbc".to_string(),
            ),
            ("héllo wörld".to_string(), "héllo wörld".to_string()),
        ];
        for (input, want) in cases {
            assert_eq!(scrub_text(&input).0, want);
        }
    }

    #[test]
    fn entry_secrets_are_gone_and_support_ids_stay() {
        let secrets = [
            JWT.rsplit('.').next().unwrap(),
            SSWS,
            "s3cr3tClientSecret",
            "hunter2pw",
            "authcode123",
            "state456",
            "nonce789",
            "refreshXYZ",
            "sessCookieVal",
            "sessTok999",
        ];
        let mut entry = json!({
            "request": {
                "url": "https://dev-1.okta.com/oauth2/default/v1/authorize?client_id=0oa1&state=state456&nonce=nonce789",
                "headers": [{"name": "Authorization", "value": format!("Bearer {JWT}")}, {"name": "Cookie", "value": "sid=sessCookieVal; DT=abc"}, {"name": "Accept", "value": "application/json"}],
                "cookies": [{"name": "sid", "value": "sessCookieVal"}],
                "queryString": [{"name": "state", "value": "state456"}, {"name": "client_id", "value": "0oa1"}],
                "postData": {"mimeType": "application/x-www-form-urlencoded", "text": "grant_type=authorization_code&code=authcode123&client_secret=s3cr3tClientSecret",
                             "params": [{"name": "code", "value": "authcode123"}]}
            },
            "response": {
                "status": 401,
                "headers": [{"name": "X-Okta-Request-Id", "value": "reqKeepMe"}, {"name": "Set-Cookie", "value": "sid=sessCookieVal; Path=/; Secure"},
                            {"name": "Location", "value": "https://app/cb#access_token=x&state=state456"}],
                "content": {"mimeType": "application/json", "text": format!("{{\"errorCode\":\"E0000011\",\"errorId\":\"oaeKeepMe\",\"refresh_token\":\"refreshXYZ\",\"sessionToken\":\"sessTok999\",\"id_token\":\"{JWT}\",\"password\":\"hunter2pw\",\"note\":\"SSWS {SSWS}\"}}")}
            }
        });
        let mut receipt = Receipt::default();
        har_entry(&mut entry, 0, &mut receipt);
        let text = entry.to_string();
        for s in secrets {
            assert!(!text.contains(s), "{s} survived: {text}");
        }
        for kept in [
            "reqKeepMe",
            "oaeKeepMe",
            "E0000011",
            "client_id=0oa1",
            "eyJzdWIiOiIwMHUxIn0",
            "sid=REDACTED",
            "Path=/",
        ] {
            assert!(text.contains(kept), "{kept} lost: {text}");
        }
        assert!(receipt.redactions.iter().any(|r| r.location
            == "entries[0].request.headers[Authorization]"
            && r.what == "JWT signature removed"));
        assert!(receipt.redactions.len() >= 10, "{:?}", receipt.redactions);
    }

    #[test]
    fn base64_bodies_are_decoded_scrubbed_and_binary_dropped() {
        use base64::{engine::general_purpose::STANDARD, Engine};
        let mut entry = json!({"response": {"content": {"encoding": "base64", "text": STANDARD.encode(format!("{{\"access_token\":\"{JWT}\"}}"))}}});
        let mut receipt = Receipt::default();
        har_entry(&mut entry, 1, &mut receipt);
        assert!(!entry.to_string().contains("SIGNATURESECRET"));
        let mut bin = json!({"response": {"content": {"encoding": "base64", "text": STANDARD.encode([0xff, 0xfe, 0x00])}}});
        har_entry(&mut bin, 2, &mut receipt);
        assert_eq!(bin["response"]["content"]["text"], "");
    }
}
