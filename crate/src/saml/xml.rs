//! Reads a SAML message's XML as a stream (quick-xml) into a [`Message`], keeping only what
//! the findings name. Safe on hostile input by construction: a DTD is refused (so no entity
//! is ever defined, expanded or fetched: no billion laughs, no external entity), a reference
//! to any entity but XML's five is refused, nesting and element count are bounded, and the
//! input was bounded by the decoder. Signature values and attribute values are never read
//! into memory of ours: only the elements' presence and the attributes' names are kept.

use quick_xml::{
    escape::unescape,
    events::{BytesStart, Event},
    Reader,
};

use super::{Malformed, Message, Request, Response};

/// SAML nests about ten deep; a hundred leaves room and stops a 10,000-deep document early.
const MAX_DEPTH: usize = 100;
/// Okta's Responses hold tens to hundreds of elements.
const MAX_ELEMENTS: usize = 20_000;

/// Where captured text goes.
#[derive(Clone, Copy, PartialEq)]
enum Slot {
    Issuer,
    AssertionIssuer,
    StatusMessage,
    NameId,
    Audience,
    AuthnContext,
}

/// Reads the message in `xml`.
pub fn read(xml: &str) -> Result<Message, Malformed> {
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<String> = Vec::new();
    let mut message: Option<Message> = None;
    let mut elements = 0usize;
    let mut capture: Option<(Slot, usize, String)> = None;
    loop {
        let event = reader.read_event().map_err(|e| {
            Malformed::new("xml")
                .with_error(&e.to_string())
                .with_offset(reader.buffer_position())
        })?;
        match event {
            Event::DocType(_) => return Err(Malformed::new("dtd")),
            Event::Start(ref e) | Event::Empty(ref e) => {
                elements += 1;
                if elements > MAX_ELEMENTS {
                    return Err(Malformed::new("elements").with_limit(MAX_ELEMENTS));
                }
                let name = local(e);
                let parent = stack.last().map(String::as_str).unwrap_or_default();
                if stack.is_empty() {
                    message = Some(root(&name, e)?);
                } else if let Some(m) = message.as_mut() {
                    if let Some(slot) = element(m, &name, parent, e)? {
                        if capture.is_none() && matches!(event, Event::Start(_)) {
                            capture = Some((slot, stack.len() + 1, String::new()));
                        }
                    }
                }
                if matches!(event, Event::Start(_)) {
                    stack.push(name);
                    if stack.len() > MAX_DEPTH {
                        return Err(Malformed::new("depth").with_limit(MAX_DEPTH));
                    }
                }
            }
            Event::End(_) => {
                if let Some((slot, _, text)) = capture.take_if(|c| c.1 == stack.len()) {
                    if let Some(m) = message.as_mut() {
                        store(m, slot, text.trim().to_string());
                    }
                }
                stack.pop();
            }
            Event::Text(t) => {
                if let Some((_, _, text)) = capture.as_mut() {
                    text.push_str(&t.decode().map_err(|_| Malformed::new("utf8"))?);
                }
            }
            Event::CData(t) => {
                if let Some((_, _, text)) = capture.as_mut() {
                    text.push_str(&t.decode().map_err(|_| Malformed::new("utf8"))?);
                }
            }
            Event::GeneralRef(r) => {
                let name = r.decode().map_err(|_| Malformed::new("utf8"))?;
                let resolved = unescape(&format!("&{name};"))
                    .map_err(|_| Malformed::new("entity").with_name(&name))?
                    .into_owned();
                if let Some((_, _, text)) = capture.as_mut() {
                    text.push_str(&resolved);
                }
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
        }
    }
    if !stack.is_empty() {
        return Err(Malformed::new("xml").with_error("the document ends inside an element"));
    }
    message.ok_or_else(|| Malformed::new("root").with_name(""))
}

/// An element's local name (without its namespace prefix).
fn local(e: &BytesStart) -> String {
    String::from_utf8_lossy(e.local_name().as_ref()).into_owned()
}

/// An attribute's value, unescaped; `None` when absent.
fn attr(e: &BytesStart, name: &str) -> Result<Option<String>, Malformed> {
    for a in e.attributes() {
        let a = a.map_err(|err| Malformed::new("xml").with_error(&err.to_string()))?;
        if a.key.local_name().as_ref() == name.as_bytes() {
            let raw = std::str::from_utf8(&a.value).map_err(|_| Malformed::new("utf8"))?;
            let v = unescape(raw).map_err(|_| Malformed::new("entity").with_name(raw))?;
            return Ok(Some(v.into_owned()));
        }
    }
    Ok(None)
}

fn root(name: &str, e: &BytesStart) -> Result<Message, Malformed> {
    match name {
        "Response" => Ok(Message::Response(Box::new(Response {
            id: attr(e, "ID")?,
            in_response_to: attr(e, "InResponseTo")?,
            destination: attr(e, "Destination")?,
            issue_instant: attr(e, "IssueInstant")?,
            ..Response::default()
        }))),
        "AuthnRequest" => Ok(Message::Request(Request {
            id: attr(e, "ID")?,
            acs_url: attr(e, "AssertionConsumerServiceURL")?,
            destination: attr(e, "Destination")?,
            protocol_binding: attr(e, "ProtocolBinding")?,
            force_authn: attr(e, "ForceAuthn")?.is_some_and(|v| v == "true" || v == "1"),
            is_passive: attr(e, "IsPassive")?.is_some_and(|v| v == "true" || v == "1"),
            ..Request::default()
        })),
        other => Err(Malformed::new("root").with_name(other)),
    }
}

/// Records what element `name` (under `parent`) says; the slot its text goes to, if kept.
fn element(
    m: &mut Message,
    name: &str,
    parent: &str,
    e: &BytesStart,
) -> Result<Option<Slot>, Malformed> {
    let top = matches!(parent, "Response" | "AuthnRequest");
    match m {
        Message::Response(r) => match (name, parent) {
            ("Issuer", _) if top => return Ok(Some(Slot::Issuer)),
            ("Issuer", "Assertion") => return Ok(Some(Slot::AssertionIssuer)),
            ("Signature", _) if top => r.signed_response = true,
            ("Signature", "Assertion") => r.signed_assertion = true,
            ("Assertion", _) if top => r.assertion = true,
            ("EncryptedAssertion", _) => r.encrypted = true,
            ("StatusCode", "Status") => r.status = attr(e, "Value")?,
            ("StatusCode", "StatusCode") if r.sub_status.is_none() => {
                r.sub_status = attr(e, "Value")?
            }
            ("StatusMessage", "Status") => return Ok(Some(Slot::StatusMessage)),
            ("NameID", "Subject") => {
                r.name_id_format = attr(e, "Format")?;
                return Ok(Some(Slot::NameId));
            }
            ("SubjectConfirmationData", _) => {
                r.recipient = attr(e, "Recipient")?;
                r.confirmation.not_before = attr(e, "NotBefore")?;
                r.confirmation.not_on_or_after = attr(e, "NotOnOrAfter")?;
            }
            ("Conditions", "Assertion") => {
                r.conditions.not_before = attr(e, "NotBefore")?;
                r.conditions.not_on_or_after = attr(e, "NotOnOrAfter")?;
            }
            ("Audience", "AudienceRestriction") => return Ok(Some(Slot::Audience)),
            ("Attribute", "AttributeStatement") => {
                if let Some(n) = attr(e, "Name")? {
                    r.attributes.push(n);
                }
            }
            ("AuthnContextClassRef", "AuthnContext") => return Ok(Some(Slot::AuthnContext)),
            _ => {}
        },
        Message::Request(q) => match (name, parent) {
            ("Issuer", _) if top => return Ok(Some(Slot::Issuer)),
            ("Signature", _) if top => q.signed = true,
            ("NameIDPolicy", _) if top => {
                q.name_id_policy = attr(e, "Format")?;
                q.allow_create = attr(e, "AllowCreate")?.map(|v| v == "true" || v == "1");
            }
            ("AuthnContextClassRef", "RequestedAuthnContext") => {
                return Ok(Some(Slot::AuthnContext))
            }
            _ => {}
        },
    }
    Ok(None)
}

fn store(m: &mut Message, slot: Slot, text: String) {
    match (m, slot) {
        (Message::Response(r), Slot::Issuer) => r.issuer = Some(text),
        (Message::Response(r), Slot::AssertionIssuer) => r.assertion_issuer = Some(text),
        (Message::Response(r), Slot::StatusMessage) => r.status_message = Some(text),
        (Message::Response(r), Slot::NameId) => r.name_id = Some(text),
        (Message::Response(r), Slot::Audience) => r.audiences.push(text),
        (Message::Response(r), Slot::AuthnContext) => r.authn_context = Some(text),
        (Message::Request(q), Slot::Issuer) => q.issuer = Some(text),
        (Message::Request(q), Slot::AuthnContext) => q.authn_context = Some(text),
        _ => {}
    }
}
