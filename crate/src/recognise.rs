//! What a JSON body or a credential is. The one recogniser for pasted JSON and for response
//! bodies (Okta, OAuth and IDX errors, introspection, `okta-token-storage`, an exchange object)
//! and for credentials (a JWT, an SSWS token, an opaque token) wherever they are found: pasted,
//! or in an exchange's `Authorization` header. HAR documents are recognised by the entry points
//! (`lib.rs`), not here: a body recogniser never runs the HAR analyser.

use serde_json::Value;

use crate::{
    context::Context,
    exchange::Exchange,
    idx, introspection,
    jwt::{self, Jwt},
    oauth_error, okta_error,
    report::{
        token::{SecretFormat, Token},
        Finding, Kind,
    },
    storage, token,
};

/// A recognised JSON document.
pub enum Json {
    Exchange(Box<Exchange>),
    Idx(Vec<idx::Message>),
    OktaError(okta_error::Error),
    OauthError(oauth_error::Error),
    Introspection(serde_json::Map<String, Value>),
    TokenStorage(Vec<storage::Stored>),
}

/// Recognises a JSON document; `None` when it is none of the shapes we know.
pub fn json(v: &Value) -> Option<Json> {
    if is_exchange(v) {
        if let Some(ex) = <Exchange as crate::digest::stored::Read>::read(v) {
            return Some(Json::Exchange(Box::new(ex)));
        }
    }
    if let Some(m) = idx::parse(v) {
        return Some(Json::Idx(m));
    }
    if let Some(e) = okta_error::parse(v) {
        return Some(Json::OktaError(e));
    }
    if let Some(e) = oauth_error::parse(v) {
        return Some(Json::OauthError(e));
    }
    if let Some(r) = introspection::parse(v) {
        return Some(Json::Introspection(r));
    }
    storage::parse(v).map(Json::TokenStorage)
}

fn is_exchange(v: &Value) -> bool {
    let get = |k: &str| crate::encoding::member(v, k);
    get("statusCode").is_some_and(Value::is_u64)
        && (get("url").is_some_and(Value::is_string)
            || get("responseHeaders").is_some_and(Value::is_array))
}

impl Json {
    pub fn kind(&self) -> Kind {
        match self {
            Json::Exchange(_) => Kind::Exchange,
            Json::Idx(_) => Kind::IdxResponse,
            Json::OktaError(_) => Kind::OktaError,
            Json::OauthError(_) => Kind::OauthError,
            Json::Introspection(_) => Kind::Introspection,
            Json::TokenStorage(_) => Kind::TokenStorage,
        }
    }

    /// Findings and the token view (if any) for a body seen with `status`.
    pub fn findings(&self, status: Option<u16>, now: i64) -> (Vec<Finding>, Option<Token>) {
        self.findings_in(&Context::with_status(status), now)
    }

    /// As [`Json::findings`], for a body seen in a request/response pair (`ctx`). An exchange
    /// object has none of its own: the exchange pipeline (`http`) analyses it.
    pub fn findings_in(&self, ctx: &Context, now: i64) -> (Vec<Finding>, Option<Token>) {
        match self {
            Json::Exchange(_) => (Vec::new(), None),
            Json::Idx(m) => (idx::findings(m, ctx), None),
            Json::OktaError(e) => (okta_error::findings(e, ctx), None),
            Json::OauthError(e) => (oauth_error::findings(e, ctx), None),
            Json::Introspection(r) => (introspection::findings(r, now), None),
            Json::TokenStorage(s) => (storage::findings(s, now), Some(storage::view(s, now))),
        }
    }
}

/// A credential's analysis: its kind, findings, view (masked, signature-free) and summary.
pub struct Credential {
    pub kind: Kind,
    pub findings: Vec<Finding>,
    pub view: Token,
    pub summary: String,
}

/// Recognises and analyses a pasted credential; `None` when the text is not one. A JWT's view
/// has no claim notes: they are words, written when the report is shown (`explain::show`).
pub fn credential(text: &str, now: i64) -> Option<Credential> {
    let cred = jwt::extract(text);
    if jwt::looks_like(&cred.value) {
        return Some(pasted_jwt(&cred.value, cred.scheme, now));
    }
    read(&cred, None, now, text, false)
}

/// As [`credential`], for a credential already extracted and, when it is a JWT, decoded (an
/// exchange decodes its `Authorization` header once). `text` is what it was extracted from.
/// A JWT's view keeps its claim notes.
pub fn credential_read(
    cred: &jwt::Credential,
    decoded: Option<&Jwt>,
    now: i64,
    text: &str,
) -> Option<Credential> {
    read(cred, decoded, now, text, true)
}

/// A pasted JWT (already extracted: `scheme` is what it came with) decoded and read, its
/// header and claims moved into the view; no claim notes (see [`credential`]).
pub fn pasted_jwt(token: &str, scheme: Option<String>, now: i64) -> Credential {
    let decoded = jwt::decode(token, scheme);
    let summary = decoded.summary(now);
    let ssws = decoded.scheme.as_deref() == Some("SSWS");
    let (findings, view) = decoded.into_analysed(now, false);
    jwt_credential(findings, view, summary, ssws)
}

/// A decoded JWT's credential: its findings (and the scheme's mismatch, for `SSWS`) and view.
fn jwt_credential(
    mut findings: Vec<Finding>,
    view: Box<crate::report::token::Jwt>,
    summary: String,
    ssws: bool,
) -> Credential {
    if ssws {
        findings.push(token::scheme_mismatch("jwt_as_ssws"));
    }
    Credential {
        kind: Kind::Jwt,
        findings,
        view: Token::Jwt(view),
        summary,
    }
}

fn read(
    cred: &jwt::Credential,
    decoded: Option<&Jwt>,
    now: i64,
    text: &str,
    notes: bool,
) -> Option<Credential> {
    let scheme = cred.scheme.as_deref();
    if let Some(decoded) = decoded {
        let (findings, view) = decoded.analysed(now, notes);
        let ssws = scheme == Some("SSWS");
        return Some(jwt_credential(findings, view, decoded.summary(now), ssws));
    }
    if token::is_ssws(&cred.value) {
        return Some(Credential {
            kind: Kind::SswsToken,
            findings: token::ssws_findings(&cred.value, scheme),
            view: Token::Secret(token::view(SecretFormat::Ssws, &cred.value, scheme)),
            summary: "Okta API token (SSWS), masked.".to_string(),
        });
    }
    if token::is_opaque(&cred.value)
        && (scheme.is_some() || !text.trim().contains(char::is_whitespace))
    {
        return Some(Credential {
            kind: Kind::OpaqueToken,
            findings: token::opaque_findings(&cred.value),
            view: Token::Secret(token::view(SecretFormat::Opaque, &cred.value, scheme)),
            summary: "Opaque token: it can't be decoded, only introspected.".to_string(),
        });
    }
    None
}
