//! A SAML message an exchange carries, decoded once when the exchange is read (SAML 2.0
//! Bindings §3.5 HTTP-POST: `SAMLResponse` or `SAMLRequest` in the form the browser posts, the
//! Response to the app's ACS on ANY host; §3.4 HTTP-Redirect: `SAMLRequest` in the query of
//! Okta's `/app/{name}/{id}/sso/saml`), and the findings it gives on that exchange: the pasted
//! message's, plus where the Response was posted against its `Destination` and `Recipient`.
//! Only what the findings name is kept (crate/src/saml/): never the message, its signature values
//! or its attribute values.

use super::{flow::has_key, Exchange};
use crate::{
    jwt::clip,
    report::{Finding, Severity},
    saml::{self, decode, findings, Message, Pasted},
};

/// How the message travelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Binding {
    /// In a form the browser posted.
    Post,
    /// In the URL's query.
    Redirect,
}

impl Binding {
    pub fn name(self) -> &'static str {
        match self {
            Binding::Post => "post",
            Binding::Redirect => "redirect",
        }
    }
}

/// The SAML message of one exchange, decoded and read (or why not).
#[derive(Clone, Debug)]
pub struct Carried {
    pub binding: Binding,
    pub pasted: Pasted,
    /// The URL the message was sent to, without its query and fragment: the app's ACS for a
    /// posted Response, Okta's SSO URL for an AuthnRequest.
    pub target: Option<String>,
    /// The size of the field's value as sent (what a redaction marker says was there).
    pub bytes: usize,
    /// The listener left the value out for its size (`Exchange::request_form_omitted`): seen,
    /// not read; `pasted` then says `too_large` and nothing else.
    pub omitted: bool,
}

impl Carried {
    pub fn response(&self) -> Option<&saml::Response> {
        match &self.pasted.message {
            Ok(Message::Response(r)) => Some(r),
            _ => None,
        }
    }

    pub fn request(&self) -> Option<&saml::Request> {
        match &self.pasted.message {
            Ok(Message::Request(q)) => Some(q),
            _ => None,
        }
    }
}

/// The URL without its query and fragment.
pub fn base_url(url: &str) -> &str {
    url.split(['?', '#']).next().unwrap_or(url)
}

/// Two URLs name the same endpoint: scheme and host compared without case, a trailing `/`
/// ignored (SAML compares the URI as written; SPs differ on these two, Okta's own settings
/// don't care). Anything else that differs is a mismatch.
pub fn same_url(a: &str, b: &str) -> bool {
    fn norm(u: &str) -> String {
        let u = base_url(u.trim()).trim_end_matches('/');
        match u.split_once("://") {
            Some((scheme, rest)) => {
                let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
                format!(
                    "{}://{}{}",
                    scheme.to_ascii_lowercase(),
                    host.to_ascii_lowercase(),
                    path
                )
            }
            None => u.to_string(),
        }
    }
    norm(a) == norm(b)
}

/// The form field carrying a SAML message, if any.
fn form_field(ex: &Exchange) -> Option<(&'static str, &str)> {
    ex.request_form.iter().find_map(|f| match f.name.as_str() {
        "SAMLResponse" => Some(("SAMLResponse", f.value.as_str())),
        "SAMLRequest" => Some(("SAMLRequest", f.value.as_str())),
        _ => None,
    })
}

/// The SAML form field the listener left out for its size, with its length.
fn omitted_field(ex: &Exchange) -> Option<(&'static str, u64)> {
    ex.request_form_omitted
        .iter()
        .find_map(|f| match f.name.as_str() {
            "SAMLResponse" => Some(("SAMLResponse", f.length)),
            "SAMLRequest" => Some(("SAMLRequest", f.length)),
            _ => None,
        })
}

/// The per-value limit the extension's listener keeps form values under
/// (extension/lib/exchange.js `MAX_FORM_VALUE`): what an omitted field was over.
pub const CAPTURE_LIMIT: usize = 64 * 1024;

/// The URL parameters that carry a SAML message.
const SAML_KEYS: &[&str] = &["SAMLRequest", "SAMLResponse"];

/// `ex` carries a SAML message (a cheap scan, no decoding): what makes the app's ACS POST,
/// on any host, part of an Okta session.
pub fn carries(ex: &Exchange) -> bool {
    form_field(ex).is_some()
        || omitted_field(ex).is_some()
        || ex.url.as_deref().is_some_and(|u| has_key(u, SAML_KEYS))
}

/// Whether folding `ex` (and its redirect target `redirect`) could decode a SAML message, in
/// the full fold: true when any text the fold reads mentions `saml` in any case — the URL,
/// every header's name and value, the form fields' names and values and the omitted fields'
/// names, the response body, the method, `type`, `error`, `initiator`, and the redirect
/// target. Whatever [`carries`] answers true for (a form field or an omitted field named
/// `SAMLResponse`/`SAMLRequest`, such a key in the URL) is among those texts, so it is not
/// asked again. The service worker's module (cfg `saml_deferred`)
/// folds only the exchanges this answers false for and hands the others to the full module
/// (src/wasm/live.rs), so it links no SAML reading. The redactor's normalised names can still
/// reach `SAMLResponse`/`SAMLRequest` from text without the four letters in a row (`%53AML…`,
/// `\u0053AML…`, `S-A-M-L-…`): the marker's backstop covers those (src/saml/marker.rs).
/// No allocation: a storm's exchanges (no `saml` anywhere) cost one scan of their text.
#[cfg_attr(not(saml_deferred), allow(dead_code))] // the sw module's; every build tests it
pub fn mentions_saml(ex: &Exchange, redirect: Option<&str>) -> bool {
    let texts = [
        ex.url.as_deref(),
        ex.method.as_deref(),
        ex.body.as_deref(),
        ex.kind.as_deref(),
        ex.error.as_deref(),
        ex.initiator.as_deref(),
        redirect,
        Some(ex.request_headers.text()),
        Some(ex.response_headers.text()),
    ];
    texts.into_iter().flatten().any(mentions_saml_text)
        || ex
            .request_form
            .iter()
            .any(|f| mentions_saml_text(&f.name) || mentions_saml_text(&f.value))
        || ex
            .request_form_omitted
            .iter()
            .any(|f| mentions_saml_text(&f.name))
}

/// `text` holds `saml` in any case (ASCII). Horspool's skip on the window's last byte: most
/// bytes of a text without it are looked at once in four.
#[cfg_attr(not(saml_deferred), allow(dead_code))] // the sw module's; every build tests it
pub fn mentions_saml_text(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut end = 3;
    while let Some(&last) = bytes.get(end) {
        // `| 0x20` folds an ASCII letter's case, and maps no other byte onto one of these.
        let shift = match last | 0x20 {
            b'l' => {
                let start = end.saturating_sub(3);
                let window = bytes.get(start..=end).unwrap_or_default();
                if window.iter().zip(b"saml").all(|(b, p)| b | 0x20 == *p) {
                    return true;
                }
                4
            }
            b'm' => 1,
            b'a' => 2,
            b's' => 3,
            _ => 4,
        };
        end = end.saturating_add(shift);
    }
    false
}

/// The SAML message `ex` carries: a posted form's `SAMLResponse`/`SAMLRequest`, else a
/// `SAMLRequest` (or `SAMLResponse`) in its URL. `None` for every other exchange (a cheap scan).
///
/// The service worker's module (cfg `saml_deferred`) answers `None`: it folds no exchange that
/// carries one ([`mentions_saml`]), and links no SAML reading.
pub fn of_exchange(ex: &Exchange) -> Option<Carried> {
    if cfg!(saml_deferred) {
        return None;
    }
    let url = ex.url.as_deref();
    if let Some((name, value)) = form_field(ex) {
        let relay_state = ex.request_form.iter().any(|f| f.name == "RelayState");
        let pasted = saml::read(decode::field(name, value, relay_state));
        return Some(carried(Binding::Post, pasted, url, value.len()));
    }
    if let Some((name, length)) = omitted_field(ex) {
        let bytes = usize::try_from(length).unwrap_or(usize::MAX);
        let relay_state = ex.request_form.iter().any(|f| f.name == "RelayState");
        let source = decode::Pasted {
            field: Some(name),
            relay_state,
            query_signature: false,
            steps: Vec::new(),
            xml: Err(saml::Malformed {
                problem: "too_large",
                bytes: Some(bytes),
                limit: Some(CAPTURE_LIMIT),
                ..saml::Malformed::default()
            }),
        };
        let mut c = carried(Binding::Post, saml::read(source), url, bytes);
        c.omitted = true;
        return Some(c);
    }
    let url = url?;
    if !has_key(url, SAML_KEYS) {
        return None;
    }
    let source = decode::pasted(url)?;
    source.field?;
    let bytes = query_value_len(url);
    let pasted = saml::read(source);
    Some(carried(Binding::Redirect, pasted, Some(url), bytes))
}

fn carried(binding: Binding, source: Pasted, url: Option<&str>, bytes: usize) -> Carried {
    Carried {
        binding,
        pasted: source,
        target: url.map(|u| clip(base_url(u))),
        bytes,
        omitted: false,
    }
}

/// The length of the query's SAML value as sent.
fn query_value_len(url: &str) -> usize {
    let query = url.split_once('?').map_or("", |(_, q)| q);
    query
        .split('&')
        .find_map(|p| {
            p.strip_prefix("SAMLRequest=")
                .or_else(|| p.strip_prefix("SAMLResponse="))
        })
        .map_or(0, str::len)
}

/// The findings of the message an exchange carried, judged at `now` (epoch seconds): the
/// pasted message's, saying how it travelled and where to, and a Response posted to another
/// URL than its `Destination` or `Recipient` names (`saml.destination_mismatch`).
pub fn exchange_findings(c: &Carried, now: i64) -> Vec<Finding> {
    let mut out = findings(&c.pasted, now);
    if c.omitted {
        for f in out.iter_mut().filter(|f| f.id == "saml.malformed") {
            f.params.set("omitted", true);
        }
    }
    for f in out
        .iter_mut()
        .filter(|f| f.id == "saml.response" || f.id == "saml.request")
    {
        f.params.set("binding", c.binding.name());
        if let Some(t) = &c.target {
            f.params.set("sentTo", t.clone());
        }
    }
    if let (Some(r), Some(target), Binding::Post) = (c.response(), &c.target, c.binding) {
        let checks = [("Destination", &r.destination), ("Recipient", &r.recipient)];
        if let Some(f) = mismatch(&checks, target, "postedTo", r.issuer.as_deref()) {
            out.insert(0, f);
        }
    }
    out
}

/// `saml.destination_mismatch` for the first of `checks` (element, value) that names another
/// URL than `expected` (`against`: `postedTo`, the URL the Response was posted to, or `acsUrl`,
/// the AuthnRequest's AssertionConsumerServiceURL).
pub fn mismatch(
    checks: &[(&'static str, &Option<String>)],
    expected: &str,
    against: &'static str,
    issuer: Option<&str>,
) -> Option<Finding> {
    let (element, value) = checks.iter().find_map(|(el, v)| {
        v.as_deref()
            .filter(|v| !same_url(v, expected))
            .map(|v| (*el, v))
    })?;
    let f = Finding::fact("saml.destination_mismatch", Severity::Error)
        .with("element", element)
        .with("value", clip(value))
        .with("expected", clip(expected))
        .with("against", against)
        .with("issuer", issuer.map(clip))
        .evidence("saml", element, clip(value));
    Some(f)
}

/// Test-only builders of SAML exchanges, written once for this module's tests and the live
/// fold's (crate/src/flow/fold/saml/tests.rs): how a browser posts a message to an ACS and how
/// the HTTP-Redirect binding puts one in a URL.
#[cfg(test)]
pub(crate) mod build {
    use super::Exchange;
    use crate::exchange::FormField;
    use base64::{engine::general_purpose::STANDARD, Engine};

    /// The protocol and assertion namespaces, as Okta's messages declare them.
    pub(crate) const NS: &str = r#"xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion""#;

    /// `xml` posted to `url` as a browser posts it (Bindings §3.5): `SAMLResponse` in base64,
    /// `RelayState=/home`.
    pub(crate) fn posted(url: &str, xml: &str) -> Exchange {
        Exchange {
            method: Some("POST".into()),
            url: Some(url.into()),
            request_form: vec![
                FormField {
                    name: "SAMLResponse".into(),
                    value: STANDARD.encode(xml),
                },
                FormField {
                    name: "RelayState".into(),
                    value: "/home".into(),
                },
            ],
            ..Exchange::default()
        }
    }

    /// `xml` as a `SAMLRequest` query value (Bindings §3.4): DEFLATE, base64, percent-encoded.
    pub(crate) fn redirect_query(xml: &str) -> String {
        STANDARD
            .encode(miniz_oxide::deflate::compress_to_vec(xml.as_bytes(), 6))
            .replace('+', "%2B")
            .replace('/', "%2F")
            .replace('=', "%3D")
    }
}

#[cfg(test)]
#[path = "saml/tests/deferred.rs"]
pub(crate) mod deferred_tests;

#[cfg(test)]
mod tests {
    use super::build::{posted, redirect_query, NS};
    use super::*;
    use crate::exchange::FormField;

    fn response(destination: &str, recipient: &str) -> String {
        format!(
            r#"<samlp:Response {NS} ID="r1" Destination="{destination}"><saml:Issuer>http://www.okta.com/exk1</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status><saml:Assertion><saml:Subject><saml:SubjectConfirmation><saml:SubjectConfirmationData Recipient="{recipient}"/></saml:SubjectConfirmation></saml:Subject></saml:Assertion></samlp:Response>"#
        )
    }

    fn ids(f: &[Finding]) -> Vec<&str> {
        f.iter().map(|f| &*f.id).collect()
    }

    #[test]
    fn a_posted_response_is_read_and_checked_against_where_it_went() {
        let acs = "https://app.example.com/saml/acs";
        let c = of_exchange(&posted(&format!("{acs}?x=1"), &response(acs, acs))).unwrap();
        assert_eq!(c.binding, Binding::Post);
        assert_eq!(c.target.as_deref(), Some(acs));
        assert!(c.pasted.source.relay_state);
        let f = exchange_findings(&c, 0);
        assert_eq!(ids(&f), vec!["saml.unsigned", "saml.response"]);
        let r = f.iter().find(|f| f.id == "saml.response").unwrap();
        assert_eq!(r.params.text("sentTo"), Some(acs));
        assert_eq!(r.params.text("binding"), Some("post"));
        // Case of the host and a trailing slash don't matter; another path does.
        let c = of_exchange(&posted(
            acs,
            &response("https://APP.example.com/saml/acs/", acs),
        ));
        assert!(!ids(&exchange_findings(&c.unwrap(), 0)).contains(&"saml.destination_mismatch"));
        let other = "https://app.example.com/sso/saml";
        let c = of_exchange(&posted(acs, &response(acs, other))).unwrap();
        let f = exchange_findings(&c, 0);
        assert_eq!(f[0].id, "saml.destination_mismatch");
        assert_eq!(f[0].params.text("element"), Some("Recipient"));
        assert_eq!(f[0].params.text("value"), Some(other));
        assert_eq!(f[0].params.text("expected"), Some(acs));
    }

    #[test]
    fn a_redirect_request_is_read_from_the_url_and_other_exchanges_are_not_mine() {
        let xml = format!(
            r#"<samlp:AuthnRequest {NS} ID="id1" AssertionConsumerServiceURL="https://app/acs"><saml:Issuer>https://app/sp</saml:Issuer></samlp:AuthnRequest>"#
        );
        let q = redirect_query(&xml);
        let url =
            format!("https://dev-1.okta.com/app/x/exk1/sso/saml?SAMLRequest={q}&RelayState=r");
        let ex = Exchange {
            url: Some(url),
            ..Exchange::default()
        };
        let c = of_exchange(&ex).unwrap();
        assert_eq!(c.binding, Binding::Redirect);
        assert_eq!(c.request().and_then(|q| q.id.as_deref()), Some("id1"));
        assert_eq!(c.bytes, q.len());
        let f = exchange_findings(&c, 0);
        assert_eq!(ids(&f), vec!["saml.request"]);
        for url in [
            "https://dev-1.okta.com/api/v1/users",
            "https://app/cb?code=1&state=2",
        ] {
            let ex = Exchange {
                url: Some(url.into()),
                ..Exchange::default()
            };
            assert!(of_exchange(&ex).is_none());
        }
        // A named but undecodable field still answers: saml.malformed.
        let bad = posted("https://app/acs", "x");
        let bad = Exchange {
            request_form: vec![FormField {
                name: "SAMLResponse".into(),
                value: "!!!".into(),
            }],
            ..bad
        };
        assert_eq!(
            ids(&exchange_findings(&of_exchange(&bad).unwrap(), 0)),
            vec!["saml.malformed"]
        );
    }
}
