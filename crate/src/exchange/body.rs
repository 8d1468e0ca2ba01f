//! A response body's JSON, read once ([`Body::read`]). An Okta error body of only Okta's own
//! members (`errorCode`, `errorSummary`, `errorLink`, `errorId`, and `errorCauses` empty: every
//! storm exchange the live fold sees) in its plain form is read by a scan of its bytes straight
//! into the [`OktaError`] its finding reads, without building serde_json's `Value` (an
//! order-keeping map, its keys and values allocated and hashed, then copied out and dropped:
//! ~8,000 instructions an exchange, docs/performance-log.md, "liveFold, ninth pass"). Any other
//! body, or one of those in a form the scan does not take (an escape or a control character
//! in a string, a repeated member, a value that is not a string, a padded code, causes), is
//! read as a `Value`, as before: what the recogniser, the rate-limit signal and the sign-in
//! flow read of a body is the same either way (`typed_read_is_the_value_read`). By hand, not
//! by a serde visitor: that cost the service worker's module ~2.5 KB gzipped.

use serde_json::Value;

use crate::encoding;
use crate::rate_limit::{self, Signal};

/// An Okta error body (`{"errorCode": …}`), as `okta_error` reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct OktaError {
    pub code: String,
    pub summary: Option<String>,
    pub id: Option<String>,
    /// Each `errorCauses` entry's `errorSummary`.
    pub causes: Vec<String>,
}

/// A body's JSON (only bodies that start with `{`).
#[derive(Clone, Debug)]
pub enum Body {
    /// An Okta error body of Okta's members only: what `okta_error::parse` reads of its
    /// `Value`, the recogniser's answer for it.
    Okta(OktaError),
    /// Any other JSON body.
    Json(Value),
}

impl Body {
    /// `text` (trimmed, starting with `{`) read; `None` when it is not JSON.
    pub fn read(text: &str) -> Option<Body> {
        if let Some(e) = okta(text) {
            return Some(Body::Okta(e));
        }
        crate::json::from_str(text).ok().map(Body::Json)
    }

    /// The body as serde_json's value, when it was read as one (an Okta error body of Okta's
    /// members only has nothing else to give: no `error`, no IDX messages).
    pub fn value(&self) -> Option<&Value> {
        match self {
            Body::Json(v) => Some(v),
            Body::Okta(_) => None,
        }
    }

    /// What the body says about rate limits: `rate_limit::signal` of its value.
    pub fn signal(&self) -> Option<Signal> {
        match self {
            Body::Okta(e) => (e.code == "E0000047").then_some(Signal::OktaE0000047),
            Body::Json(v) => rate_limit::signal(v),
        }
    }
}

/// JSON's whitespace (RFC 8259 §2), skipped from `at`.
fn space(b: &[u8], mut at: usize) -> usize {
    while matches!(b.get(at), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        at += 1;
    }
    at
}

/// An Okta error body of Okta's members only, each once, every value a plain string but
/// `errorCauses` (`[]`), the code neither blank nor padded (`okta_error::parse` trims it, the
/// rate-limit signal does not); `None` for anything else, which is read as a value.
fn okta(t: &str) -> Option<OktaError> {
    let b = t.as_bytes();
    let (mut code, mut summary, mut id) = (None, None, None);
    let (mut link, mut causes) = (false, false);
    let mut at = space(b, 0);
    if b.get(at) != Some(&b'{') {
        return None;
    }
    at = space(b, at + 1);
    loop {
        let (key, after) = encoding::json_plain_string(t, at)?;
        at = space(b, after);
        if b.get(at) != Some(&b':') {
            return None;
        }
        at = space(b, at + 1);
        if key == "errorCauses" {
            // Only the empty list: a cause's summary is read from its value.
            if causes || b.get(at) != Some(&b'[') {
                return None;
            }
            at = space(b, at + 1);
            if b.get(at) != Some(&b']') {
                return None;
            }
            causes = true;
            at += 1;
        } else {
            let (text, after) = encoding::json_plain_string(t, at)?;
            let slot = match key {
                "errorCode" => &mut code,
                "errorSummary" => &mut summary,
                "errorId" => &mut id,
                "errorLink" if !link => {
                    link = true;
                    &mut None
                }
                _ => return None,
            };
            if slot.replace(text).is_some() {
                return None;
            }
            at = after;
        }
        at = space(b, at);
        match b.get(at) {
            Some(b',') => at = space(b, at + 1),
            Some(b'}') => break,
            _ => return None,
        }
    }
    if space(b, at + 1) != b.len() {
        return None;
    }
    let code = code.filter(|c: &&str| !c.is_empty() && c.trim().len() == c.len())?;
    Some(OktaError {
        code: code.to_string(),
        summary: summary.map(str::to_string),
        id: id.map(str::to_string),
        causes: Vec::new(),
    })
}

#[cfg(test)]
mod tests;
