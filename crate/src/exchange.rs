//! One exchange, read once. A live exchange (webRequest's field names), a HAR entry, a pasted
//! `curl -si` / `curl -v` transcript and a raw response all become one [`Seen`]: headers copied
//! and lower-cased once, the rate-limit headers parsed once, the body's JSON parsed once, the
//! `Authorization` credential decoded once, the rate-limit bucket looked up once and the clock
//! decided once. Every module that explains an exchange reads that value; nothing re-reads the
//! raw input, so no cache is needed to hide re-reading.

use serde::Deserialize;

pub use crate::context::headers::{Header, HeaderRef, Headers};

pub mod body;
pub mod flow;
mod read;
pub mod saml;

use crate::{
    bucket,
    context::{self, Context},
    jwt::{self, Jwt},
    moment::Moment,
    rate_limit::{self, Clock},
    timestamp,
};

/// One request/response pair, with webRequest's field names. `observedAt` is epoch
/// milliseconds, as webRequest's `timeStamp` and `Date.now()`.
#[derive(Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct Exchange {
    pub observed_at: Option<f64>,
    pub method: Option<String>,
    pub url: Option<String>,
    pub status_code: Option<u16>,
    pub request_headers: Headers,
    pub response_headers: Headers,
    pub body: Option<String>,
    /// Who read `body`: `network` (Firefox's response filter, the browser's own copy) or `page`
    /// (Chromium's opt-in page hook, relayed by a content script: the page could have written
    /// it). Absent for pasted and HAR input. Findings read from a page's body say so.
    pub body_source: Option<BodySource>,
    /// Read from a recording (a HAR file), not seen live: its time-dependent answers are as of
    /// the request (`observedAt`), not now. Set by the HAR reader, never read from JSON.
    #[serde(skip)]
    pub recorded: bool,
    /// webRequest's `type` (`xmlhttprequest`, `main_frame` …): a navigation is not CORS.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// onErrorOccurred's `error` when the browser failed the request after the response
    /// arrived (Chromium's `net::ERR_FAILED` for a CORS block): an opaque string, quoted, never
    /// parsed (its values change between releases).
    pub error: Option<String>,
    /// The request body's form fields as sent, in order (webRequest's `requestBody.formData`
    /// flattened; a HAR's `postData`): what the sign-in flow reads of `POST /token`. Secrets in
    /// it become digests when the exchange is read ([`Seen::flow`]), never kept.
    pub request_form: Vec<FormField>,
    /// The SAML form fields the listener left out for their size (over its 64 KiB per value):
    /// their names and lengths only, never the value. A Response seen but not read.
    pub request_form_omitted: Vec<OmittedField>,
    /// The origin of the page or frame that made the request (webRequest's `initiator`).
    pub initiator: Option<String>,
    /// Firefox's `thirdParty` (absent on Chromium): the request ran in a third-party context.
    pub third_party: Option<bool>,
}

/// One form field of a request body (`Exchange::request_form`).
#[derive(Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct FormField {
    pub name: String,
    pub value: String,
}

/// A form field left out of `request_form` for its size (`Exchange::request_form_omitted`).
#[derive(Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct OmittedField {
    pub name: String,
    /// The value's length as the listener measured it (UTF-16 code units: base64 is ASCII).
    pub length: u64,
}

/// Where an exchange's body came from (`Exchange::body_source`).
#[derive(Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum BodySource {
    Network,
    Page,
}

/// A response as pasted: status, headers in order, body; the request line when `curl -v` showed it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub method: Option<String>,
    pub url: Option<String>,
    /// `curl -v`'s `> name: value` request headers (the Authorization header among them).
    pub request_headers: Vec<(String, String)>,
}

/// Where the exchange came from: what the report's `input.kind` says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Observed by the browser, read from a HAR, or pasted as an exchange object.
    Exchange,
    /// Pasted as `curl -si` / `curl -v` output or a recorded response.
    Response,
}

/// An exchange as every module reads it. Built by [`Seen::from_exchange`] or
/// [`Seen::from_response`], never re-read.
#[derive(Clone, Debug)]
pub struct Seen {
    pub origin: Origin,
    pub observed_at: Option<f64>,
    /// Status, method, path, org, request id, the credential's claims and the response headers
    /// (names as sent, for evidence): what the concept modules read.
    pub ctx: Context,
    /// The request URL as sent (redacted only when it reaches a report).
    pub url: Option<String>,
    /// A response's `url`'s host, lower-cased (`domain::host_of`), read once; an exchange's is
    /// its flow reading's (`flow.host`, of the same URL), not copied here: read [`Seen::host`].
    host: Option<String>,
    /// The method as sent.
    pub method: Option<String>,
    /// The request's `Authorization` value, as sent.
    pub authorization: Option<String>,
    /// `authorization` without its wrapping: scheme and credential, extracted once.
    pub credential: Option<jwt::Credential>,
    /// The bearer/DPoP/SSWS JWT of `authorization`, decoded once.
    pub jwt: Option<Jwt>,
    pub body: Option<String>,
    pub body_source: Option<BodySource>,
    /// The body's JSON, read once (only bodies that start with `{`): an Okta error body of
    /// Okta's members only read typed, any other as a value ([`body::Body`]).
    pub json: Option<body::Body>,
    /// Every rate-limit header plus `Date` and `Link`, and whether any `X-Rate-Limit-*` or
    /// `Retry-After` header was there.
    pub rate: (rate_limit::Headers, bool),
    /// What the body says about rate limits (E0000047, Okta's concurrency message …).
    pub signal: Option<rate_limit::Signal>,
    /// The bucket the request counts against, looked up once.
    pub bucket: Option<bucket::Match>,
    /// What CORS reads of the request: its `Origin`, a preflight's
    /// `Access-Control-Request-Method`, whether it was a navigation, the browser's error.
    pub cors: CorsRequest,
    /// What the sign-in flow reads of the exchange, its secrets already digests (flow/read.rs).
    pub flow: flow::Read,
    /// The SAML message the exchange carried (a posted `SAMLResponse`, an AuthnRequest in the
    /// URL or a form), decoded and read once: only what its findings name (saml/exchange.rs).
    pub saml: Option<saml::Carried>,
    /// The clock the findings judge time by.
    pub clock: Clock,
    /// `clock` as epoch seconds, else the response's `Date`, else 0.
    pub now: i64,
    /// The moment time-dependent answers are judged at: the caller's now for pasted input,
    /// the browser's observation for a live exchange, the request's time for a recording.
    pub moment: Moment,
}

/// The request side of CORS (Fetch standard §3.2), read once from the request headers.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CorsRequest {
    /// The request's `Origin` header.
    pub origin: Option<String>,
    /// A preflight's `Access-Control-Request-Method`.
    pub preflight_method: Option<String>,
    /// A preflight's `Access-Control-Request-Headers`: whether the real request carries an
    /// `Authorization` header (then it may be an OAuth bearer call, which Okta answers with CORS).
    pub preflight_headers: Option<String>,
    /// A navigation (webRequest `main_frame`/`sub_frame`, or `Sec-Fetch-Mode: navigate`):
    /// the browser applies no CORS check to it.
    pub navigation: bool,
    /// The browser's own error for the request (onErrorOccurred), quoted as it came.
    pub error: Option<String>,
}

impl CorsRequest {
    fn read(headers: &Headers, kind: Option<&str>, error: Option<&str>) -> Self {
        let navigation = matches!(kind, Some("main_frame" | "sub_frame"))
            || headers
                .first("sec-fetch-mode")
                .is_some_and(|m| m.eq_ignore_ascii_case("navigate"));
        CorsRequest {
            origin: headers.first("origin").map(|o| o.trim().to_string()),
            preflight_method: headers
                .first("access-control-request-method")
                .map(|m| m.trim().to_string()),
            preflight_headers: headers
                .first("access-control-request-headers")
                .map(|h| h.trim().to_string()),
            navigation,
            error: error.map(str::to_string),
        }
    }
}

/// What the request side gives, read before the exchange's strings move into the [`Seen`].
struct Request {
    authorization: Option<String>,
    cors: CorsRequest,
    flow: flow::Read,
    saml: Option<saml::Carried>,
}

impl Request {
    fn read(ex: &Exchange) -> Request {
        let request_headers = &ex.request_headers;
        Request {
            authorization: request_headers.first("authorization").map(str::to_string),
            cors: CorsRequest::read(request_headers, ex.kind.as_deref(), ex.error.as_deref()),
            flow: flow::Read::of_exchange(ex, request_headers),
            saml: saml::of_exchange(ex),
        }
    }

    /// `ex`'s scalars (its strings already taken or copied by the caller) with these.
    fn parts(
        self,
        ex: &Exchange,
        caller: Option<i64>,
        method: Option<String>,
        url: Option<String>,
        headers: Headers,
        body: Option<String>,
    ) -> Parts {
        Parts {
            origin: Origin::Exchange,
            observed_at: ex.observed_at,
            status: ex.status_code,
            method,
            url,
            headers,
            authorization: self.authorization,
            body,
            body_source: ex.body_source,
            observed: ex
                .observed_at
                .filter(|t| t.is_finite())
                .map(|ms| (ms / 1000.0).floor() as i64),
            caller,
            recorded: ex.recorded,
            cors: self.cors,
            flow: self.flow,
            saml: self.saml,
        }
    }
}

struct Parts {
    origin: Origin,
    observed_at: Option<f64>,
    status: Option<u16>,
    method: Option<String>,
    url: Option<String>,
    headers: Headers,
    authorization: Option<String>,
    body: Option<String>,
    body_source: Option<BodySource>,
    observed: Option<i64>,
    caller: Option<i64>,
    recorded: bool,
    cors: CorsRequest,
    flow: flow::Read,
    saml: Option<crate::exchange::saml::Carried>,
}

impl Seen {
    /// The SAML message the exchange carried ([`Seen::saml`]). `None` in the service worker's
    /// module (cfg `saml_deferred`): it reads none (`saml::of_exchange`), and saying so here
    /// lets its findings, its clock and the flow's SAML fold out of that module.
    pub fn carried(&self) -> Option<&saml::Carried> {
        if cfg!(saml_deferred) {
            return None;
        }
        self.saml.as_ref()
    }

    /// A browser-observed exchange (or a HAR entry, or a pasted exchange object): `observedAt`
    /// is the clock, else `fallback_now` (the caller's), else the `Date` header.
    pub fn from_exchange(ex: &Exchange, fallback_now: Option<i64>) -> Seen {
        let request = Request::read(ex);
        Seen::build(request.parts(
            ex,
            fallback_now,
            ex.method.clone(),
            ex.url.clone(),
            ex.response_headers.clone(),
            ex.body.clone(),
        ))
    }

    /// [`Seen::from_exchange`] of an exchange handed over (the live fold's, read from JS and
    /// dropped after): its method, URL, response headers and body are moved, not copied.
    pub fn from_owned(mut ex: Exchange, fallback_now: Option<i64>) -> Seen {
        let request = Request::read(&ex);
        let (method, url, body) = (ex.method.take(), ex.url.take(), ex.body.take());
        let headers = std::mem::take(&mut ex.response_headers);
        Seen::build(request.parts(&ex, fallback_now, method, url, headers, body))
    }

    /// A pasted response (`curl -si`, `curl -v`, a recorded response) read at the caller's `now`.
    pub fn from_response(r: &Response, now: i64) -> Seen {
        let request_headers = Headers::from_pairs(&r.request_headers);
        Seen::build(Parts {
            origin: Origin::Response,
            observed_at: None,
            status: Some(r.status),
            method: r.method.clone(),
            url: r.url.clone(),
            headers: Headers::from_pairs(&r.headers),
            authorization: request_headers.first("authorization").map(str::to_string),
            body: Some(r.body.clone()),
            body_source: None,
            observed: None,
            caller: Some(now),
            recorded: false,
            cors: CorsRequest::read(&request_headers, None, None),
            flow: flow::Read::default(),
            saml: None,
        })
    }

    fn build(p: Parts) -> Seen {
        let rate = rate_limit::scan(&p.headers);
        let now = p
            .observed
            .or(p.caller)
            .or_else(|| p.headers.first("date").and_then(timestamp::parse_http_date))
            .unwrap_or(0);
        let clock = match (p.observed, p.caller) {
            (Some(t), _) => Clock::Observed(t),
            (None, Some(t)) => Clock::Caller(t),
            (None, None) => Clock::Unknown,
        };
        // Decided here, once: a recording is judged at its request; pasted input (a caller's
        // now was given) at now; a live exchange when the browser saw it.
        let moment = match (p.recorded, p.observed, p.caller) {
            (true, Some(t), _) => Moment::Recorded(t),
            (false, _, Some(now)) => Moment::Now(now),
            (_, Some(t), _) => Moment::Live(t),
            (true, None, _) | (false, None, None) => Moment::Unknown,
        };
        let json = p
            .body
            .as_deref()
            .map(str::trim)
            .filter(|b| b.starts_with('{'))
            .and_then(body::Body::read);
        let signal = json.as_ref().and_then(body::Body::signal);
        let bucket = p
            .url
            .as_deref()
            .and_then(|u| bucket::lookup(p.method.as_deref(), u));
        let extracted = p.authorization.as_deref().map(jwt::extract);
        let jwt = extracted
            .as_ref()
            .filter(|c| jwt::looks_like(&c.value))
            .map(|c| jwt::decode(&c.value, c.scheme.clone()));
        let credential = extracted
            .as_ref()
            .and_then(|c| context::credential_of(c, jwt.as_ref()));
        // The host read once: the context keeps it (filtered) as its domain. An exchange's
        // flow reading (`flow::Read::of_exchange`, of this same URL) read it already.
        // An exchange's host stays in its flow reading only (`Seen::host`): one copy fewer.
        let (host, own) = match p.origin {
            Origin::Exchange => (p.flow.host.clone(), None),
            _ => {
                let h = p.url.as_deref().and_then(crate::domain::host_of);
                (h.clone(), h)
            }
        };
        let ctx = Context::from_parts(
            p.status,
            p.method.as_deref(),
            p.url.as_deref(),
            host,
            credential,
            p.headers,
        );
        Seen {
            origin: p.origin,
            observed_at: p.observed_at,
            ctx,
            host: own,
            url: p.url,
            method: p.method,
            authorization: p.authorization,
            credential: extracted,
            jwt,
            body: p.body,
            body_source: p.body_source,
            json,
            rate,
            signal,
            bucket,
            cors: p.cors,
            flow: p.flow,
            saml: p.saml,
            clock,
            now,
            moment,
        }
    }

    pub fn status(&self) -> Option<u16> {
        self.ctx.status
    }

    /// `url`'s host, lower-cased (`domain::host_of`), read once.
    pub fn host(&self) -> Option<&str> {
        match self.origin {
            Origin::Exchange => self.flow.host.as_deref(),
            Origin::Response => self.host.as_deref(),
        }
    }

    /// A request for the origin's `/favicon.ico` that is not a navigation: what browsers fetch
    /// for every page by themselves (webRequest type `image` or `other`, the page's origin as
    /// initiator), whatever the page or the app does.
    pub fn is_favicon(&self) -> bool {
        !self.cors.navigation
            && self
                .url
                .as_deref()
                .is_some_and(|u| crate::bucket::path_of(u) == "/favicon.ico")
    }

    /// Okta's traffic, as `har::is_okta` reads the exchange: an Okta host, a path only Okta
    /// serves, or Okta's request id in the response.
    pub fn is_okta(&self) -> bool {
        self.host().is_some_and(crate::domain::is_okta_host)
            || crate::domain::is_okta_path(self.url.as_deref().unwrap_or_default())
            || self.header("x-okta-request-id").is_some()
    }

    /// The response headers, names as sent.
    pub fn headers(&self) -> &Headers {
        &self.ctx.headers
    }

    /// The first response header whose lower-cased name is `lower_name`.
    pub fn header(&self, lower_name: &str) -> Option<&str> {
        let i = self.position(lower_name)?;
        self.ctx.headers.get(i).map(|h| h.value.unwrap_or_default())
    }

    /// Where the first header whose lower-cased name is `lower_name` is: compared ignoring
    /// ASCII case, not against lower-cased copies of the names (six allocations an exchange,
    /// docs/performance-log.md, "liveFold, seventh pass"); a `lower_name` holding an upper-case
    /// letter matches nothing, as before.
    fn position(&self, lower_name: &str) -> Option<usize> {
        if lower_name.bytes().any(|b| b.is_ascii_uppercase()) {
            return None;
        }
        let mut names = self.ctx.headers.iter();
        names.position(|h| h.name.eq_ignore_ascii_case(lower_name))
    }

    /// The first `Date` header, parsed: the rate-limit scan's reading when it read that one.
    pub fn date(&self) -> Option<i64> {
        let i = self.position("date")?;
        if self.rate.0.date_at == Some(i) {
            return self.rate.0.date;
        }
        let value = self.ctx.headers.get(i)?.value.unwrap_or_default();
        timestamp::parse_http_date(value)
    }

    /// The rate-limit headers, when the response carried any.
    pub fn rate_limit(&self) -> Option<&rate_limit::Headers> {
        self.rate.1.then_some(&self.rate.0)
    }

    /// The rate-limit module's view of this exchange: status, request, clock, body signal and
    /// bucket, all from this value.
    pub fn rate_context(&self) -> rate_limit::Context<'_> {
        rate_limit::Context {
            signal: self.signal,
            bucket: self.bucket.as_ref().map(std::borrow::Cow::Borrowed),
            moment: self.moment,
            ..rate_limit::Context::new(self.ctx.status, self.clock)
        }
        .request_seen(self.method.as_deref(), self.url.as_deref())
    }
}

#[cfg(test)]
mod tests;
