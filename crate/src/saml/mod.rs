//! SAML 2.0 messages from Okta (SAML 2.0 Core §3.2.2 Response, §3.4.1 AuthnRequest; Bindings
//! §3.4, §3.5): a pasted `SAMLResponse` or `SAMLRequest` decoded (`decode`), its XML read
//! safely (`xml`), and the findings: what the message says, a failed status, a validity window
//! the clock is outside of, a missing signature, an encrypted assertion, or why it couldn't be
//! read. A Response is a bearer credential: only what the findings name is kept — never the
//! message, its signature values or its attribute values.

pub(crate) mod decode;
mod marker;
pub mod page;
mod xml;

pub use marker::marker;

/// Tests only: how many SAML messages this thread decoded ([`read`], [`marker`]), for the
/// test that the service worker's pre-check (`exchange::saml::mentions_saml`) flags every
/// exchange whose fold decodes one.
#[cfg(test)]
pub(crate) mod decoded {
    use std::cell::Cell;

    thread_local! {
        static COUNT: Cell<u64> = const { Cell::new(0) };
    }

    pub(crate) fn bump() {
        COUNT.with(|c| c.set(c.get().saturating_add(1)));
    }

    pub(crate) fn count() -> u64 {
        COUNT.with(Cell::get)
    }
}

use crate::{
    jwt::clip,
    report::{Finding, Severity},
    timestamp,
};

/// Why a message could not be decoded or read: `problem` names the step (`url`, `base64`,
/// `inflate`, `not_xml`, `too_large`, `utf8`, `xml`, `dtd`, `entity`, `depth`, `elements`,
/// `root`, `empty`), the rest says what was seen.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Malformed {
    pub problem: &'static str,
    pub error: Option<String>,
    pub name: Option<String>,
    pub bytes: Option<usize>,
    pub limit: Option<usize>,
    pub offset: Option<u64>,
}

impl Malformed {
    fn new(problem: &'static str) -> Self {
        Malformed {
            problem,
            ..Malformed::default()
        }
    }
    fn with_error(mut self, e: &str) -> Self {
        self.error = Some(clip(e));
        self
    }
    fn with_name(mut self, n: &str) -> Self {
        self.name = Some(clip(n));
        self
    }
    fn with_bytes(mut self, b: usize) -> Self {
        self.bytes = Some(b);
        self.limit = Some(decode::MAX_XML_BYTES);
        self
    }
    fn with_limit(mut self, l: usize) -> Self {
        self.limit = Some(l);
        self
    }
    fn with_offset(mut self, o: u64) -> Self {
        self.offset = Some(o);
        self
    }
}

/// A validity window (`NotBefore`, `NotOnOrAfter`), as written.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Window {
    pub not_before: Option<String>,
    pub not_on_or_after: Option<String>,
}

/// What a `<samlp:Response>` says, without its signature values or attribute values.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Response {
    pub id: Option<String>,
    pub in_response_to: Option<String>,
    pub destination: Option<String>,
    pub issue_instant: Option<String>,
    pub issuer: Option<String>,
    pub assertion_issuer: Option<String>,
    pub status: Option<String>,
    pub sub_status: Option<String>,
    pub status_message: Option<String>,
    pub assertion: bool,
    pub encrypted: bool,
    pub signed_response: bool,
    pub signed_assertion: bool,
    pub name_id: Option<String>,
    pub name_id_format: Option<String>,
    pub recipient: Option<String>,
    pub audiences: Vec<String>,
    pub conditions: Window,
    pub confirmation: Window,
    pub attributes: Vec<String>,
    pub authn_context: Option<String>,
}

/// What a `<samlp:AuthnRequest>` says.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Request {
    pub id: Option<String>,
    pub issuer: Option<String>,
    pub acs_url: Option<String>,
    pub destination: Option<String>,
    pub protocol_binding: Option<String>,
    pub name_id_policy: Option<String>,
    pub allow_create: Option<bool>,
    pub force_authn: bool,
    pub is_passive: bool,
    pub signed: bool,
    pub authn_context: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Message {
    Response(Box<Response>),
    Request(Request),
}

/// A pasted SAML message, decoded and read (or why not).
#[derive(Clone, Debug)]
pub struct Pasted {
    pub source: decode::Pasted,
    pub message: Result<Message, Malformed>,
}

/// The SAML message in pasted `text`; `None` when there is none.
pub fn parse(text: &str) -> Option<Pasted> {
    decode::pasted(text).map(read)
}

/// Reads a decoded message's XML (dropped once read).
pub fn read(mut source: decode::Pasted) -> Pasted {
    #[cfg(test)]
    decoded::bump();
    let message = match std::mem::replace(&mut source.xml, Ok(String::new())) {
        Ok(x) => xml::read(&x),
        Err(e) => Err(e),
    };
    Pasted { source, message }
}

const STATUS: &str = "urn:oasis:names:tc:SAML:2.0:status:";

/// The findings for a pasted message at `now` (epoch seconds).
pub fn findings(p: &Pasted, now: i64) -> Vec<Finding> {
    let src = &p.source;
    let steps: Vec<&str> = src.steps.clone();
    match &p.message {
        Err(m) => vec![malformed(m, src.field, &steps)],
        Ok(Message::Request(q)) => vec![request(q, src, &steps)],
        Ok(Message::Response(r)) => response_findings(r, src, &steps, now),
    }
}

fn opt(f: Finding, name: &'static str, v: &Option<String>) -> Finding {
    match v {
        Some(v) => f.with(name, clip(v)),
        None => f,
    }
}

fn malformed(m: &Malformed, field: Option<&str>, steps: &[&str]) -> Finding {
    let mut f = Finding::fact("saml.malformed", Severity::Error)
        .with("problem", m.problem)
        .with("steps", steps.to_vec());
    f = opt(f, "field", &field.map(str::to_string));
    f = opt(f, "error", &m.error);
    f = opt(f, "name", &m.name);
    if let Some(b) = m.bytes {
        f = f.with("bytes", b);
    }
    if let Some(l) = m.limit {
        f = f.with("limit", l);
    }
    if let Some(o) = m.offset {
        f = f.with("offset", o);
    }
    f
}

fn request(q: &Request, src: &decode::Pasted, steps: &[&str]) -> Finding {
    let mut f = Finding::fact("saml.request", Severity::Info)
        .with("steps", steps.to_vec())
        .with("forceAuthn", q.force_authn)
        .with("isPassive", q.is_passive)
        .with("signed", q.signed || src.query_signature)
        .with("relayState", src.relay_state);
    f = opt(f, "issuer", &q.issuer);
    f = opt(f, "acsUrl", &q.acs_url);
    f = opt(f, "destination", &q.destination);
    f = opt(f, "protocolBinding", &q.protocol_binding);
    f = opt(f, "nameIdPolicy", &q.name_id_policy);
    f = opt(f, "authnContext", &q.authn_context);
    if let Some(a) = q.allow_create {
        f = f.with("allowCreate", a);
    }
    opt(f, "id", &q.id)
}

/// Where the signature is: `response`, `assertion`, `both` or `none`.
fn signed_at(r: &Response) -> &'static str {
    match (r.signed_response, r.signed_assertion) {
        (true, true) => "both",
        (true, false) => "response",
        (false, true) => "assertion",
        (false, false) => "none",
    }
}

fn response_findings(r: &Response, src: &decode::Pasted, steps: &[&str], now: i64) -> Vec<Finding> {
    let mut out = Vec::new();
    let status = r.status.as_deref().map(|s| s.trim_start_matches(STATUS));
    if let Some(s) = status.filter(|s| *s != "Success") {
        let mut f = Finding::fact("saml.status_error", Severity::Error).with("status", clip(s));
        f = opt(
            f,
            "subStatus",
            &r.sub_status
                .as_deref()
                .map(|s| s.trim_start_matches(STATUS).to_string()),
        );
        f = opt(f, "message", &r.status_message);
        out.push(opt(f, "issuer", &r.issuer));
    }
    out.extend(window_findings(r, now));
    if r.assertion && !r.signed_response && !r.signed_assertion {
        out.push(opt(
            Finding::fact("saml.unsigned", Severity::Warning),
            "issuer",
            &r.issuer,
        ));
    }
    if r.encrypted {
        out.push(
            Finding::fact("saml.encrypted", Severity::Info)
                .with("signedResponse", r.signed_response),
        );
    }
    let mut f = Finding::fact("saml.response", Severity::Info)
        .with("steps", steps.to_vec())
        .with("signedAt", signed_at(r))
        .with("encrypted", r.encrypted)
        .with("relayState", src.relay_state)
        .with(
            "attributes",
            r.attributes.iter().map(|a| clip(a)).collect::<Vec<_>>(),
        )
        .with(
            "audiences",
            r.audiences.iter().map(|a| clip(a)).collect::<Vec<_>>(),
        );
    f = opt(
        f,
        "issuer",
        &r.issuer.clone().or(r.assertion_issuer.clone()),
    );
    if r.issuer.is_some() && r.assertion_issuer.is_some() && r.assertion_issuer != r.issuer {
        f = opt(f, "assertionIssuer", &r.assertion_issuer);
    }
    f = opt(f, "status", &status.map(str::to_string));
    f = opt(f, "destination", &r.destination);
    f = opt(f, "inResponseTo", &r.in_response_to);
    f = opt(f, "issueInstant", &r.issue_instant);
    f = opt(f, "nameId", &r.name_id);
    f = opt(f, "nameIdFormat", &r.name_id_format);
    f = opt(f, "recipient", &r.recipient);
    f = opt(f, "notBefore", &r.conditions.not_before);
    f = opt(f, "notOnOrAfter", &r.conditions.not_on_or_after);
    f = opt(f, "confirmNotOnOrAfter", &r.confirmation.not_on_or_after);
    out.push(opt(f, "authnContext", &r.authn_context));
    out
}

fn epoch(t: &Option<String>) -> Option<i64> {
    t.as_deref()
        .and_then(timestamp::parse_rfc3339_ms)
        .map(|ms| (ms / 1000.0).floor() as i64)
}

/// `saml.expired` for the earliest `NotOnOrAfter` at or before `now` (the Conditions', then
/// the SubjectConfirmationData's), `saml.not_yet_valid` for a `NotBefore` after `now`.
pub fn window_findings(r: &Response, now: i64) -> Vec<Finding> {
    let mut out = Vec::new();
    let ends = [
        ("Conditions", &r.conditions.not_on_or_after),
        ("SubjectConfirmationData", &r.confirmation.not_on_or_after),
    ];
    let expired = ends
        .iter()
        .filter_map(|(el, t)| epoch(t).map(|e| (el, t, e)))
        .filter(|(_, _, e)| *e <= now)
        .min_by_key(|(_, _, e)| *e);
    if let Some((el, t, e)) = expired {
        let f = Finding::fact("saml.expired", Severity::Error)
            .with("element", el.to_string())
            .with("by", now.saturating_sub(e))
            .with("now", now);
        out.push(opt(f, "notOnOrAfter", t));
    }
    let starts = [
        ("Conditions", &r.conditions.not_before),
        ("SubjectConfirmationData", &r.confirmation.not_before),
    ];
    let early = starts
        .iter()
        .filter_map(|(el, t)| epoch(t).map(|e| (el, t, e)))
        .filter(|(_, _, e)| *e > now)
        .max_by_key(|(_, _, e)| *e);
    if let Some((el, t, e)) = early {
        let f = Finding::fact("saml.not_yet_valid", Severity::Error)
            .with("element", el.to_string())
            .with("by", e.saturating_sub(now))
            .with("now", now);
        out.push(opt(f, "notBefore", t));
    }
    out
}

#[cfg(test)]
mod tests;
