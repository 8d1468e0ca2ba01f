//! What one exchange says about a sign-in flow, read once when the exchange is read, its
//! secrets already digests: `code`, `code_verifier`, `refresh_token` and `state` values and
//! cookie values never outlive this file. Kept: digests (SHA-256, base64url), the verifier's
//! S256 challenge (RFC 7636 §4.2: base64url(SHA-256(verifier)) IS the challenge to compare),
//! the public `code_challenge`, the names of Okta's cookies sent, `grant_type`, `client_id`,
//! `redirect_uri`, `prompt`, `response_mode`, hosts and paths. Okta's parameters: flows.md
//! §2.4 (`/authorize`), §3.1 (`/token`), §5.2 (cookies).

use serde::{Deserialize, Serialize};

use super::{Exchange, FormField};
use crate::{domain, encoding, redact::sha256};

/// Okta's cookies whose names (never values) the flow keeps: `sid` (Classic) and `idx` (Identity
/// Engine) are the session (flows.md §5.2); `DT` and `JSESSIONID` are kept for evidence.
pub const OKTA_COOKIES: [&str; 4] = ["sid", "idx", "DT", "JSESSIONID"];
/// Of those, the ones that carry the Okta session.
pub const SESSION_COOKIES: [&str; 2] = ["sid", "idx"];

/// The Okta endpoint a request went to, as far as a flow cares.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Endpoint {
    #[default]
    None,
    Authorize,
    Token,
    /// The sign-in itself: IDX, authn, Okta's sign-in pages.
    SignIn,
    /// Anything else of Okta's API (`/api/v1/…`, `/userinfo`, …).
    Api,
}

/// A sign-in answer delivered to the app's redirect URI (RFC 6749 §4.1.2): `code` + `state`,
/// or `error` + `state`/`error_description`, in the query or the fragment.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct Callback {
    pub state: Option<String>,
    pub code: Option<String>,
    pub error: Option<String>,
    /// The callback URL without its query and fragment.
    pub url: String,
    pub host: Option<String>,
}

/// The form of a `POST /token`, its secrets digested.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TokenForm {
    pub grant_type: Option<String>,
    pub code: Option<String>,
    /// base64url(SHA-256(code_verifier)): the challenge the verifier answers.
    pub verifier_challenge: Option<String>,
    pub refresh: Option<String>,
    pub client_id: Option<String>,
    pub redirect_uri: Option<String>,
}

/// Where a request ran.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Frame {
    /// An iframe navigation (webRequest `sub_frame`, or `Sec-Fetch-Dest: iframe`).
    pub sub_frame: bool,
    /// A top-level navigation (`main_frame`, or `Sec-Fetch-Dest: document`).
    pub top_level: bool,
    /// Firefox's `thirdParty`.
    pub third_party: Option<bool>,
    /// The initiator's host (webRequest `initiator`, else the `Origin` header).
    pub initiator: Option<String>,
}

/// What one exchange says about a flow.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Read {
    pub endpoint: Endpoint,
    pub host: Option<String>,
    /// The authorization server's path: `/oauth2/default`, `/oauth2/aus…`, or `/oauth2` for
    /// the org server.
    pub server: Option<String>,
    pub client_id: Option<String>,
    pub redirect_uri: Option<String>,
    pub challenge: Option<String>,
    pub state: Option<String>,
    pub prompt: Option<String>,
    pub response_mode: Option<String>,
    pub token: TokenForm,
    /// Okta's cookie names the request sent.
    pub cookies: Vec<String>,
    pub frame: Frame,
    /// The exchange's own URL as a callback (the app's redirect URI carrying an answer).
    pub callback: Option<Callback>,
}

fn b64(bytes: &[u8]) -> String {
    use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A secret's digest: base64url(SHA-256(value)), its first 16 characters (96 bits): enough to
/// match two requests, nothing to recover the value from.
pub fn digest(value: &str) -> String {
    let full = b64(&sha256::digest(value.as_bytes()));
    full.chars().take(16).collect()
}

/// RFC 7636 §4.2 S256: base64url(SHA-256(ASCII(code_verifier))), no padding.
pub fn challenge_of(verifier: &str) -> String {
    b64(&sha256::digest(verifier.as_bytes()))
}

/// `a=1&b=2` as form fields, decoded (`+` as space).
pub fn form_fields(text: &str) -> Vec<FormField> {
    fields(text, &['&'])
}

/// Pairs split at any of `separators`, names and values form-decoded; empty pieces skipped.
fn fields(text: &str, separators: &[char]) -> Vec<FormField> {
    text.split(separators)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            FormField {
                name: encoding::form_decode(k),
                value: encoding::form_decode(v),
            }
        })
        .collect()
}

/// The path of an absolute URL, without query or fragment.
pub(crate) fn path_of(url: &str) -> &str {
    let rest = crate::domain::after_scheme(url).unwrap_or(url);
    let path = rest.find('/').and_then(|i| rest.get(i..)).unwrap_or("/");
    domain::before_query(path)
}

/// The query's and the fragment's parameters, decoded.
pub(crate) fn url_params(url: &str) -> Vec<FormField> {
    match url.find(['?', '#']) {
        Some(i) => fields(url.get(i + 1..).unwrap_or(""), &['&', '#', '?']),
        None => Vec::new(),
    }
}

pub(crate) fn get<'a>(fields: &'a [FormField], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|f| f.name == name)
        .map(|f| f.value.as_str())
        .filter(|v| !v.is_empty())
}

/// A short public value as kept (client ids, grant types, prompts): at most 200 characters.
fn public(v: Option<&str>) -> Option<String> {
    v.map(|v| v.chars().take(200).collect())
}

/// A redirect URI as kept: without its query and fragment, where a nested URL can carry a
/// code or a state of its own (the seeded-secrets corpus has one).
fn uri(v: Option<&str>) -> Option<String> {
    public(v.map(|u| u.split(['?', '#']).next().unwrap_or(u)))
}

/// Whether `text` holds `name=` for one of `names` (`text.contains("code=")` for each), in
/// one pass over its `=` signs (a `&str` pattern builds a Two-Way searcher per call, which the
/// wasm build pays for on every exchange: docs/performance-log.md, "liveFold, fourteenth pass").
pub(crate) fn has_key(text: &str, names: &[&str]) -> bool {
    // A `char` pattern finds each `=` with `memchr`, a word at a time.
    text.match_indices('=').any(|(i, _)| {
        let before = text.as_bytes().get(..i).unwrap_or_default();
        names.iter().any(|n| before.ends_with(n.as_bytes()))
    })
}

/// The URL as an answer to the app's redirect URI, when it is one.
pub fn callback(url: &str) -> Option<Callback> {
    // Most URLs carry neither: no parsing for them (every exchange is read here).
    if !has_key(url, &["code", "error"]) {
        return None;
    }
    let params = url_params(url);
    let (code, state, error) = (
        get(&params, "code"),
        get(&params, "state"),
        get(&params, "error"),
    );
    let description = get(&params, "error_description");
    let answer = (code.is_some() && state.is_some())
        || (error.is_some() && (state.is_some() || description.is_some()));
    if !answer {
        return None;
    }
    let base = url.split(['?', '#']).next().unwrap_or(url);
    Some(Callback {
        state: state.map(digest),
        code: code.map(digest),
        error: public(error).map(|e| e.chars().take(64).collect()),
        url: base.chars().take(300).collect(),
        host: domain::host_of(url),
    })
}

fn endpoint(path: &str) -> (Endpoint, Option<String>) {
    let server = |suffix: &str| path.strip_suffix(suffix).map(str::to_string);
    if let Some(s) = server("/v1/authorize") {
        return (Endpoint::Authorize, Some(s));
    }
    if let Some(s) = server("/v1/token") {
        return (Endpoint::Token, Some(s));
    }
    let sign_in = [
        "/idp/idx/",
        "/api/v1/authn",
        "/login/",
        "/signin/",
        "/oauth2/v1/interact",
    ];
    if sign_in.iter().any(|p| path.starts_with(p)) || path.ends_with("/v1/interact") {
        return (Endpoint::SignIn, None);
    }
    let api = path.starts_with("/api/v1/")
        || path.ends_with("/v1/userinfo")
        || path.ends_with("/v1/introspect")
        || path.ends_with("/v1/revoke");
    if api {
        return (Endpoint::Api, None);
    }
    (Endpoint::None, None)
}

/// Okta's cookie names in a `Cookie` header (values dropped here).
fn cookie_names(header: &str) -> Vec<String> {
    header
        .split(';')
        .filter_map(|c| c.split('=').next())
        .map(str::trim)
        .filter(|n| OKTA_COOKIES.contains(n))
        .map(str::to_string)
        .collect()
}

/// The digest of the refresh token a `POST …/v1/token` sends, if any (the live store's
/// cross-tab table; nothing else of the exchange is read).
pub fn refresh_of(ex: &Exchange) -> Option<String> {
    let url = ex.url.as_deref()?;
    if !path_of(url).ends_with("/v1/token") {
        return None;
    }
    get(&ex.request_form, "refresh_token").map(digest)
}

impl Read {
    /// Reads an exchange (`headers`: its request headers).
    pub fn of_exchange(ex: &Exchange, headers: &super::Headers) -> Read {
        let Some(url) = ex.url.as_deref() else {
            return Read::default();
        };
        let header = |name: &str| headers.first(name);
        let path = path_of(url);
        let (endpoint, server) = endpoint(path);
        let dest = header("sec-fetch-dest").unwrap_or("");
        let frame = Frame {
            sub_frame: ex.kind.as_deref() == Some("sub_frame") || dest == "iframe",
            top_level: ex.kind.as_deref() == Some("main_frame") || dest == "document",
            third_party: ex.third_party,
            // webRequest's initiator, else the request's Origin, else (a navigation sends no
            // Origin) its Referer: each names the page that made the request.
            initiator: ex
                .initiator
                .as_deref()
                .or(header("origin"))
                .or(header("referer"))
                .and_then(domain::host_of),
        };
        let cookies = header("cookie").map(cookie_names).unwrap_or_default();
        let mut read = Read {
            endpoint,
            host: domain::host_of(url),
            server,
            cookies,
            frame,
            ..Read::default()
        };
        match endpoint {
            Endpoint::Authorize => {
                let q = url_params(url);
                read.client_id = public(get(&q, "client_id"));
                read.redirect_uri = uri(get(&q, "redirect_uri"));
                read.challenge = public(get(&q, "code_challenge"));
                read.state = get(&q, "state").map(digest);
                read.prompt = public(get(&q, "prompt"));
                read.response_mode = public(get(&q, "response_mode"));
            }
            Endpoint::Token => {
                let f = &ex.request_form;
                read.token = TokenForm {
                    grant_type: public(get(f, "grant_type")),
                    code: get(f, "code").map(digest),
                    verifier_challenge: get(f, "code_verifier").map(challenge_of),
                    refresh: get(f, "refresh_token").map(digest),
                    client_id: public(get(f, "client_id")),
                    redirect_uri: uri(get(f, "redirect_uri")),
                };
                read.client_id = read.token.client_id.clone();
            }
            // The app's own URL carrying an answer; Okta's own URLs with `code` and `state`
            // (`/oauth2/v1/authorize/callback`, where a social IdP answers Okta) are not it.
            Endpoint::None
                if !domain::is_okta_path(url)
                    && !read.host.as_deref().is_some_and(domain::is_okta_host) =>
            {
                read.callback = callback(url)
            }
            Endpoint::None => {}
            Endpoint::SignIn | Endpoint::Api => {}
        }
        read
    }

    /// A session cookie (`sid`, `idx`) was sent.
    pub fn sent_session_cookie(&self) -> bool {
        self.cookies
            .iter()
            .any(|c| SESSION_COOKIES.contains(&c.as_str()))
    }
}

/// The site of a host for a third-party judgement: its last two labels (`dev-1.okta.com` →
/// `okta.com`). Without the public-suffix list, `a.co.uk` and `b.co.uk` look alike; a
/// judgement made so says it ran in a third-party frame only when the sites differ.
pub fn site(host: &str) -> String {
    let labels: Vec<&str> = host.rsplit('.').take(2).collect();
    labels.into_iter().rev().collect::<Vec<_>>().join(".")
}
