//! Redaction: one redactor for everything that leaves the machine or is stored — a sanitised
//! HAR for a support ticket (CLI `har --redact`, the DevTools panel's export), the URLs kept in
//! reports, the live store, the support snippet and the JSON export. It fails closed:
//!
//! - names (query and form parameters, JSON keys, headers, cookies, multipart parts, HTML
//!   inputs) are judged by one list (`names`, `crate/data/secret_names.tsv`) after
//!   normalising case, `_`/`-` and percent-encoding; a secret name masks its whole value,
//!   objects and arrays included, and `{name, value}` pairs are judged by name;
//! - HAR members are kept by an allow-list of the HAR 1.2 spec's members (`har`);
//! - a body that can't be read is replaced by a marker (`body`);
//! - values that are not redacted pass byte for byte (`json` keeps every node's source span);
//! - tokens, codes and cookies become short digests (`REDACTED:sha256:1a2b3c4d`) so support can
//!   match two requests carrying the same value; passwords and other guessable values are
//!   masked; JWTs keep header and claims, their signature removed. `errorId` and request ids
//!   are kept. Every change is listed in a [`Receipt`] by place and kind.

use serde::Serialize;
use serde_json::Value;

use crate::token;
pub use clean::Clean;
use prefilter::may_hold_secret;
pub(crate) use shown::seal_shown;

pub(crate) mod body;
mod clean;
pub(crate) mod har;
pub(crate) mod json;
mod members;
pub mod names;
mod prefilter;
pub(crate) mod sha256;
mod shown;
pub(crate) mod url;
mod view;

pub const MASK: &str = "REDACTED";

#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Redaction {
    /// Where: `entries[3].request.headers[Authorization]`.
    pub location: String,
    /// What: `JWT signature removed`, `masked`, `digest`, `member dropped`,
    /// `body replaced: unparsable JSON (…)`.
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

/// One redaction pass: where changes are noted, and whether secrets become digests (a HAR)
/// or plain masks (report URLs, which need no correlation).
pub(crate) struct Ctx<'r> {
    receipt: &'r mut Receipt,
    digest: bool,
}

impl<'r> Ctx<'r> {
    pub(crate) fn new(receipt: &'r mut Receipt, digest: bool) -> Self {
        Ctx { receipt, digest }
    }

    pub(crate) fn note(&mut self, location: &str, what: &str) {
        self.receipt.note(location, what);
    }
}

/// Authorization schemes kept in front of a masked credential.
const SCHEMES: [&str; 8] = [
    "bearer",
    "ssws",
    "basic",
    "dpop",
    "digest",
    "negotiate",
    "ntlm",
    "token",
];

/// The replacement for a secret value and what was done: a JWT keeps header and claims
/// (signature removed), a digest-class value becomes `REDACTED:sha256:xxxxxxxx`, anything
/// else `REDACTED`. `Bearer …`/`SSWS …` keep their scheme.
pub(crate) fn secret(value: &str, class: names::Secret, ctx: &Ctx) -> (String, &'static str) {
    let v = value.trim();
    if class == names::Secret::Saml {
        return (crate::saml::marker(v), "SAML message removed");
    }
    if let Some((scheme, rest)) = v.split_once(' ') {
        if SCHEMES.contains(&scheme.to_ascii_lowercase().as_str()) && !rest.trim().is_empty() {
            let class = if scheme.eq_ignore_ascii_case("basic") {
                names::Secret::Mask
            } else {
                class
            };
            let (masked, what) = secret(rest, class, ctx);
            return (format!("{scheme} {masked}"), what);
        }
    }
    let parts: Vec<&str> = v.split('.').collect();
    if let [header, payload, signature] = parts.as_slice() {
        if header.starts_with("eyJ") && !payload.is_empty() && !signature.is_empty() {
            return (
                format!("{header}.{payload}.{MASK}"),
                "JWT signature removed",
            );
        }
    }
    match class {
        names::Secret::Digest if ctx.digest => (
            format!("{MASK}:sha256:{}", sha256::short_hex(v.as_bytes(), 4)),
            "digest",
        ),
        _ => (MASK.to_string(), "masked"),
    }
}

/// A string that is not under a secret name: URLs redacted, JSON text redacted as JSON,
/// JWT signatures and SSWS tokens removed. `None` when nothing changed.
pub(crate) fn scrub_string(s: &str, at: &str, ctx: &mut Ctx) -> Option<String> {
    let head = s.trim_start();
    let out = if url::looks_like_url(head) && !head.contains(char::is_whitespace) {
        url::redact(s, at, ctx)
    } else if head.starts_with('{') || head.starts_with('[') {
        match json::parse(s) {
            Ok(node) => {
                let mut out = String::with_capacity(s.len());
                json::whole(s, &node, &mut out, |out| {
                    json::value(s, &node, at, ctx, out)
                });
                out
            }
            Err(_) => text(s, at, ctx),
        }
    } else if head.contains("://") || head.contains('/') && s.contains('=') {
        body::text_body(s, at, ctx)
    } else {
        text(s, at, ctx)
    };
    (out != s).then_some(out)
}

fn text(s: &str, at: &str, ctx: &mut Ctx) -> String {
    let (out, done) = scrub_text(s);
    for d in done {
        ctx.note(at, d);
    }
    out
}

/// A URL as reports keep it: every secret parameter and path token masked.
pub fn report_url(u: &str) -> String {
    if url::is_plainly_clean(u) {
        return u.to_string();
    }
    let mut receipt = Receipt::default();
    url::redact(u, "url", &mut Ctx::new(&mut receipt, false))
}

/// Any JSON text redacted (secret keys, pairs, strings), values not redacted kept byte for
/// byte; text that is not JSON is replaced by a marker.
pub fn json_text(text: &str, location: &str, receipt: &mut Receipt) -> String {
    let mut ctx = Ctx::new(receipt, true);
    match json::parse(text) {
        Ok(node) => {
            let mut out = String::with_capacity(text.len());
            json::whole(text, &node, &mut out, |out| {
                json::value(text, &node, location, &mut ctx, out)
            });
            out
        }
        Err(why) => {
            ctx.note(location, &format!("body replaced: unparsable JSON ({why})"));
            json::quote(&body::marker("unparsable JSON"))
        }
    }
}

/// A whole HAR document's text sanitised: `(text, receipt)`, or why it isn't a HAR.
pub fn har_text(text: &str) -> Result<(String, Receipt), String> {
    let node = json::parse(text).map_err(|e| format!("not a readable HAR file: {e}"))?;
    let has_entries = node
        .get("log")
        .and_then(|l| l.get("entries"))
        .is_some_and(|e| matches!(e.kind, json::Kind::Array(_)));
    if !has_entries {
        return Err("not a HAR file: it has no log.entries array".to_string());
    }
    let mut receipt = Receipt::default();
    let mut out = String::with_capacity(text.len());
    let mut ctx = Ctx::new(&mut receipt, true);
    json::whole(text, &node, &mut out, |out| {
        har::document(text, &node, &mut ctx, out)
    });
    Ok((out, receipt))
}

/// One entry of `log.entries` (its JSON text, as streamed) sanitised; `index` names it in
/// the receipt. An entry that is not readable JSON is replaced by `{}`.
pub fn har_entry_text(raw: &str, index: usize, receipt: &mut Receipt) -> String {
    let at = format!("entries[{index}]");
    let mut ctx = Ctx::new(receipt, true);
    match json::parse(raw) {
        Ok(node) => {
            let mut out = String::with_capacity(raw.len());
            json::whole(raw, &node, &mut out, |out| {
                har::entry(raw, &node, &at, &mut ctx, out)
            });
            out
        }
        Err(why) => {
            ctx.note(&at, &format!("entry replaced: unparsable ({why})"));
            "{}".to_string()
        }
    }
}

/// A member of `log` other than `entries` (its JSON text) sanitised, or `None` when it is
/// dropped (not in the HAR 1.2 allow-list).
pub fn har_log_member_text(key: &str, raw: &str, receipt: &mut Receipt) -> Option<String> {
    let mut ctx = Ctx::new(receipt, true);
    let node = match json::parse(raw) {
        Ok(node) => node,
        Err(why) => {
            ctx.note(
                &format!("log.{key}"),
                &format!("member dropped: unparsable ({why})"),
            );
            return None;
        }
    };
    let member = json::Member {
        key: key.to_string(),
        key_start: 0,
        value: node,
    };
    let mut out = String::with_capacity(raw.len());
    har::log_member(raw, &member, &mut ctx, &mut out).then_some(out)
}

/// A top-level member other than `log`: dropped, and noted.
pub fn har_top_member_dropped(key: &str, receipt: &mut Receipt) {
    receipt.note(key, "member dropped");
}

/// Sanitises one HAR entry held as a `Value` (through its JSON text, so the same redactor).
pub fn har_entry(entry: &mut Value, index: usize, receipt: &mut Receipt) {
    let text = har_entry_text(&entry.to_string(), index, receipt);
    *entry = serde_json::from_str(&text).unwrap_or_else(|_| Value::Object(Default::default()));
}

/// Sanitises a whole HAR document held as a `Value` — the same walk and receipt as the CLI's
/// streaming `har --redact`. A value that is not a HAR becomes `{}`.
pub fn har_document(v: &mut Value) -> Receipt {
    match har_text(&v.to_string()) {
        Ok((text, receipt)) => {
            *v = serde_json::from_str(&text).unwrap_or_else(|_| Value::Object(Default::default()));
            receipt
        }
        Err(why) => {
            let mut receipt = Receipt::default();
            receipt.note("$", &format!("document replaced: {why}"));
            *v = Value::Object(Default::default());
            receipt
        }
    }
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
            // Empty parts, or a signature already removed: nothing to do.
            if header.is_empty() || payload.is_empty() || signature.is_empty() || *signature == MASK
            {
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

/// The last line of defence on every report the core returns: any JWT signature or
/// SSWS-shaped token that reached a string (a URL parameter, an error description, a claim
/// holding another token) is removed, whatever module put it there.
pub fn seal(report: &mut crate::Report) {
    seal_noting(report);
}

/// [`seal`], answering the URLs it found plainly clean (the session's digest then keeps the
/// request URL without redacting it a third time).
pub fn seal_noting(report: &mut crate::Report) -> Clean {
    seal_with(report, Clean::default())
}

/// [`seal_noting`], knowing the URLs `clean` found plainly clean already (the analysis that
/// built the report's request URL).
pub fn seal_with(report: &mut crate::Report, mut clean: Clean) -> Clean {
    scrub(&mut report.summary);
    report.todo.iter_mut().for_each(scrub);
    if let Some(u) = report.request.as_mut().and_then(|r| r.url.as_mut()) {
        if !clean.check(u) {
            *u = report_url(u);
            scrub(u);
        }
    }
    // The token before the findings: what they copy from its claims is then known clean.
    let known = view::seal(report.token.as_mut(), &mut clean);
    for f in &mut report.findings {
        seal_finding_with(f, &mut clean, &known);
    }
    use crate::report::Strings;
    let f = &mut |s: &mut String| scrub_value_string(s, &mut clean);
    if let Some(r) = &mut report.rate_limit {
        r.each_string(f);
    }
    if let Some(t) = &mut report.timeline {
        t.each_string(f);
    }
    clean
}

/// [`seal`] for one finding: its words, quote, commands, evidence and the parameters of a
/// finding not yet worded (what the live listener stores).
pub fn seal_finding(f: &mut crate::Finding) {
    seal_finding_with(f, &mut Clean::default(), &view::Known::default());
}

/// [`seal_finding`]; a string `known` holds is one sealing leaves as it is.
fn seal_finding_with(f: &mut crate::Finding, clean: &mut Clean, known: &view::Known) {
    scrub_words(f);
    for e in f.evidence.iter_mut().filter(|e| !known.has(&e.value)) {
        scrub_evidence(&mut e.value, clean);
    }
    f.params.each_string(&mut |s| {
        if !known.has(s) {
            scrub_value_string(s, clean);
        }
    });
}

/// A finding's words: title, detail, actions, quote, fix steps and commands.
fn scrub_words(f: &mut crate::Finding) {
    if let Some(q) = &mut f.quote {
        scrub(&mut q.text);
    }
    let Some(w) = f.words() else {
        return;
    };
    scrub(&mut w.title);
    scrub(&mut w.detail);
    w.todo.iter_mut().for_each(scrub);
    w.why.iter_mut().for_each(scrub);
    w.fix.iter_mut().for_each(scrub);
    for c in &mut w.commands {
        scrub(&mut c.command);
    }
}

/// A URL quoted as evidence (a redirect, a Location header) gets the URL redactor.
fn scrub_evidence(s: &mut String, clean: &mut Clean) {
    if prefilter::plainly_short(s) || clean.knows(s) {
        return;
    }
    if url::looks_like_url(s) && !s.contains(char::is_whitespace) && !clean.check(s) {
        *s = report_url(s);
    }
    scrub(s);
}

/// `s` scrubbed of JWT signatures and SSWS tokens, in place.
fn scrub(s: &mut String) {
    if !may_hold_secret(s) {
        return;
    }
    let (text, done) = scrub_text(s);
    if !done.is_empty() {
        *s = text;
    }
}

/// A string held as a value (a view's, a parameter's): a URL gets the URL redactor, and any
/// JWT signature or SSWS token is removed. A URL already found plainly clean is left as it is
/// (what both steps would do). One body with [`view::scrub_value_changed`], which says
/// whether it changed the string (the wasm modules' size).
pub(crate) fn scrub_value_string(s: &mut String, clean: &mut Clean) {
    view::scrub_value_changed(s, clean);
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
        assert_eq!(
            bin["response"]["content"]["text"],
            "[REDACTED by Okta Medic: body removed, binary]"
        );
        assert!(bin["response"]["content"].get("encoding").is_none());
    }

    #[test]
    fn report_urls_use_the_one_redactor() {
        // 0bdf286's second URL list (http.rs) kept all of these.
        let url = "https://app.example.com/cb?error=access_denied&stateToken=st1SECRET&interaction_code=ic1SECRET&Code=c1SECRET&%63ode=c2SECRET&RelayState=rs1SECRET&otp=otp1SECRET";
        let report = crate::analyze_text(url, 0);
        let text = serde_json::to_string(&report).unwrap();
        assert!(!text.contains("SECRET"), "{text}");
        assert!(text.contains("access_denied"), "{text}");
        let mut report = crate::analyze_text("hello", 0);
        report.request = Some(Default::default());
        if let Some(r) = report.request.as_mut() {
            r.url = Some("https://a/welcome/XE6wE17zmphl3KqAPFxO".into());
        }
        seal(&mut report);
        assert_eq!(
            report.request.and_then(|r| r.url).as_deref(),
            Some("https://a/welcome/REDACTED")
        );
    }

    #[test]
    fn whitespace_around_a_document_is_kept() {
        // Found by the redact_json fuzz target: a trailing newline was dropped.
        let mut receipt = Receipt::default();
        let text = " {\"errorCode\": \"E1\", \"n\": 1.5e2}\n";
        assert_eq!(json_text(text, "$", &mut receipt), text);
        assert!(receipt.redactions.is_empty());
    }
}
