//! How a report holds its views (`token`, `rateLimit`, a timeline's buckets): typed as the
//! core built them, or as the JSON a stored report held ([`Kept`]); and every string in them,
//! for the redactor ([`Strings`]).

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::digest::stored::Read;

/// A view in a report (its `token`, `rateLimit`, `timeline`, a timeline's buckets): typed as the core
/// built it, or, in a stored report read back (a tab's kept reports, a report the UI hands in
/// for an export), the JSON it was written as, kept and written out unchanged. The core reads
/// only views it builds. Reading them back typed measured +37 KB gzip of wasm (a serde_json
/// struct deserializer per view type) for values nothing reads.
#[derive(Clone, Debug)]
pub enum Kept<T> {
    Built(T),
    Read(Value),
}

/// Equal when they are the same JSON, whether built or read back.
impl<T: Serialize + PartialEq> PartialEq for Kept<T> {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Kept::Built(a), Kept::Built(b)) => a == b,
            (Kept::Read(a), Kept::Read(b)) => a == b,
            (Kept::Built(t), Kept::Read(v)) | (Kept::Read(v), Kept::Built(t)) => {
                serde_json::to_value(t).is_ok_and(|t| t == *v)
            }
        }
    }
}

impl<T> Kept<T> {
    /// The view as the core built it; `None` for one read back.
    pub fn built(&self) -> Option<&T> {
        match self {
            Kept::Built(t) => Some(t),
            Kept::Read(_) => None,
        }
    }

    /// The view as its type, a stored one too: for the few readers of views that come back
    /// (the export's failed request ids). The kept JSON is read by hand (digest/stored.rs's
    /// [`Read`]): a serde deserialiser per such type cost the ui module its size.
    pub fn read(&self) -> Option<Cow<'_, T>>
    where
        T: Clone + Read,
    {
        match self {
            Kept::Built(t) => Some(Cow::Borrowed(t)),
            Kept::Read(v) => T::read(v).map(Cow::Owned),
        }
    }

    /// As [`Kept::built`], by value.
    pub fn into_built(self) -> Option<T> {
        match self {
            Kept::Built(t) => Some(t),
            Kept::Read(_) => None,
        }
    }
}

/// Every string a view holds, object keys aside: what the redactor seals.
pub trait Strings {
    fn each_string(&mut self, f: &mut dyn FnMut(&mut String));
}

impl<T: Strings> Strings for Kept<T> {
    fn each_string(&mut self, f: &mut dyn FnMut(&mut String)) {
        match self {
            Kept::Built(t) => t.each_string(f),
            Kept::Read(v) => each_string_in(v, f),
        }
    }
}

impl<T> From<T> for Kept<T> {
    fn from(t: T) -> Self {
        Kept::Built(t)
    }
}

impl<T: Serialize> Serialize for Kept<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Kept::Built(t) => t.serialize(s),
            Kept::Read(v) => v.serialize(s),
        }
    }
}

impl<'de, T> Deserialize<'de> for Kept<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Value::deserialize(d).map(Kept::Read)
    }
}

/// Every string inside a JSON value (object keys untouched).
pub fn each_string_in(v: &mut Value, f: &mut dyn FnMut(&mut String)) {
    match v {
        Value::String(s) => f(s),
        Value::Array(items) => items.iter_mut().for_each(|v| each_string_in(v, f)),
        Value::Object(map) => map.values_mut().for_each(|v| each_string_in(v, f)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::super::*;

    /// A report with every view: an exchange whose request carried a JWT and whose response
    /// carried rate-limit headers, and a HAR's timeline.
    fn with_views() -> (Report, Report) {
        let jwt = "eyJhbGciOiJSUzI1NiJ9.eyJqdGkiOiJBVC4xIiwiZXhwIjoxNzUwMDAwMDYwfQ.c2lnbmF0dXJl";
        let exchange = crate::Exchange {
            observed_at: Some(1_750_000_000_000.0),
            method: Some("GET".into()),
            url: Some("https://dev-1.okta.com/api/v1/users".into()),
            status_code: Some(200),
            request_headers: vec![crate::http::Header {
                name: "Authorization".into(),
                value: Some(format!("Bearer {jwt}")),
            }]
            .into(),
            response_headers: [
                ("X-Rate-Limit-Limit", "600"),
                ("X-Rate-Limit-Remaining", "9"),
            ]
            .map(|(n, v)| crate::http::Header {
                name: n.into(),
                value: Some(v.into()),
            })
            .to_vec()
            .into(),
            ..Default::default()
        };
        let har = serde_json::json!({"log": {"entries": [{"startedDateTime": "2025-06-15T15:06:40Z",
            "request": {"method": "GET", "url": "https://dev-1.okta.com/api/v1/users", "headers": []},
            "response": {"status": 429, "headers": [{"name": "X-Rate-Limit-Limit", "value": "600"},
                {"name": "X-Rate-Limit-Remaining", "value": "0"}, {"name": "X-Rate-Limit-Reset", "value": "1750000030"}]}}]}});
        (
            crate::analyze_exchange(&exchange),
            crate::analyze_text(&har.to_string(), 1_750_000_000),
        )
    }

    /// What a tab stores and the UI hands back: read back, the views are kept as the JSON
    /// they were and written out unchanged; the one view read again (a timeline's digest, for
    /// the export's request ids) reads as its type.
    #[test]
    fn a_stored_report_keeps_its_views_and_writes_the_same_json() {
        for built in <[Report; 2]>::from(with_views()) {
            let text = serde_json::to_string(&built).unwrap();
            let back: Report = serde_json::from_str(&text).unwrap();
            assert_eq!(serde_json::to_string(&back).unwrap(), text);
            assert_eq!(back, built, "built and read back compare as JSON");
            let read = [
                back.token.as_ref().map(|t| t.built().is_none()),
                back.rate_limit.as_ref().map(|r| r.built().is_none()),
                back.timeline.as_ref().map(|t| t.built().is_none()),
            ];
            assert!(read.iter().flatten().count() >= 1, "{read:?}");
            assert!(read.iter().flatten().all(|r| *r), "kept as JSON: {read:?}");
            if let (Some(b), Some(k)) = (&built.timeline, &back.timeline) {
                assert_eq!(k.read().unwrap().digest, b.built().unwrap().digest);
            }
        }
        let (exchange, har) = with_views();
        assert!(exchange.token.as_ref().and_then(Kept::built).is_some());
        assert!(exchange.rate_limit.as_ref().and_then(Kept::built).is_some());
        let timeline = har.timeline.as_ref().and_then(Kept::built).unwrap();
        assert_eq!(timeline.okta_entries, Some(1));
        assert_eq!(timeline.digest.failed, 1);
        assert!(timeline
            .rate_limits
            .as_ref()
            .and_then(Kept::built)
            .is_some());
    }

    /// The redactor reaches into every view, built or read back.
    #[test]
    fn views_are_sealed_built_or_read_back() {
        let inner = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIwMHUxIn0.SIGNATURESECRETSIGNATURESECRET";
        let ssws = "00igKrTNyNLHCw0wYSIsoDF28cN4B3KZPETBz9pqz0";
        let claims = serde_json::json!({"nested": {"token": inner}, "list": [ssws]});
        let token = token::Jwt {
            format: token::JwtFormat::Jws,
            header: Some(token::Members::default()),
            claims: claims.as_object().cloned().map(Into::into),
            times: token::Times::default(),
            signature: token::Signature::default(),
            scheme: None,
            notes: None,
            okta: None,
        };
        let mut built = Report::new(Kind::Jwt, "s", vec![])
            .with_token(Some(Token::Jwt(Box::new(token))))
            .with_rate_limit(Some(RateLimit {
                note: Some(format!("see {inner}")),
                ..RateLimit::default()
            }));
        let mut read: Report =
            serde_json::from_str(&serde_json::to_string(&built).unwrap()).unwrap();
        for r in [&mut built, &mut read] {
            crate::redact::seal(r);
            let text = serde_json::to_string(r).unwrap();
            assert!(!text.contains("SIGNATURESECRET"), "{text}");
            assert!(!text.contains("KrTNyNLH"), "{text}");
        }
    }
}
