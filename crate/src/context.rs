//! What surrounds an error: the HTTP status, the request (method, URL, org domain, path), the
//! response headers, the `X-Okta-Request-Id`, the user the call was about and the credential
//! it carried. Domain modules read it to turn a generic explanation into a specific one and to
//! fill in commands. Every value that may reach a command is checked here to be a plain word
//! (`shell::quote` leaves it unchanged), so commands can inline it safely.

use std::borrow::Cow;

use serde_json::Value;

use crate::{bucket::METHODS, domain, jwt, shell};

pub mod headers;
pub use headers::Headers;

/// What the request's credential tells us (never the credential itself).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Credential {
    /// `Bearer`, `DPoP`, `SSWS` (as sent; compare case-insensitively).
    pub scheme: String,
    /// `scp` of a decodable JWT access token; `None` when it isn't one.
    pub scopes: Option<Vec<String>>,
    /// `cid`: the OAuth client (app) id behind the token.
    pub client_id: Option<String>,
    /// `uid`: the Okta user id behind the token.
    pub user_id: Option<String>,
    /// `iss`, when it is a usable URL.
    pub issuer: Option<String>,
}

impl Credential {
    pub fn is_bearer(&self) -> bool {
        self.scheme.eq_ignore_ascii_case("bearer") || self.scheme.eq_ignore_ascii_case("dpop")
    }

    pub fn is_ssws(&self) -> bool {
        self.scheme.eq_ignore_ascii_case("ssws")
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Context {
    pub status: Option<u16>,
    /// Upper-cased, letters only; one of HTTP's own methods kept borrowed (`method_of`).
    pub method: Option<Cow<'static, str>>,
    /// The request path without query or fragment (`/api/v1/users/00u1/lifecycle/unlock`).
    pub path: Option<String>,
    /// The Okta org host, only when it is a plain host name (safe in a command).
    pub domain: Option<String>,
    /// The same org as an origin (`https://dev-1.okta.com`, `http://127.0.0.1:8080`): the
    /// scheme and port the request really used, for commands.
    pub origin: Option<String>,
    pub request_id: Option<String>,
    /// An Okta user id or login the request was about, plain-word only.
    pub user_id: Option<String>,
    pub credential: Option<Credential>,
    /// Response headers, in order, names as sent.
    pub headers: Headers,
}

/// A value is inlined into a command only when quoting would leave it unchanged, it has no
/// shell-special characters, and it is of a sane length.
pub fn plain(value: &str) -> Option<String> {
    let v = value.trim();
    (!v.is_empty() && v.len() <= 200 && shell::quote(v) == v && shell::printable(v))
        .then(|| v.to_string())
}

/// `scheme://host[:port]` of an http(s) URL whose host passes [`host_ok`] and whose port is
/// digits; `None` otherwise (userinfo, IPv6 literals and odd schemes are not used in commands).
fn origin_of(url: &str) -> Option<String> {
    // No lower-cased copy of the scheme, no `format!` (docs/performance-log.md, "liveFold, seventh
    // pass"): the scheme is one of two words, the authority is lower-cased in place.
    let rest = domain::after_scheme(url)?;
    let scheme = url.get(..url.len().saturating_sub(rest.len() + 3))?;
    let scheme = match scheme {
        s if s.eq_ignore_ascii_case("https") => "https",
        s if s.eq_ignore_ascii_case("http") => "http",
        _ => return None,
    };
    let authority = rest.split(['/', '?', '#']).next()?;
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (authority, None),
    };
    let port_ok =
        port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.chars().all(|c| c.is_ascii_digit()));
    if !(host_ok(host) && port_ok && !authority.contains('@')) {
        return None;
    }
    let mut origin = String::with_capacity(scheme.len() + 3 + authority.len());
    origin.push_str(scheme);
    origin.push_str("://");
    origin.push_str(authority);
    if let Some(a) = origin.get_mut(scheme.len() + 3..) {
        a.make_ascii_lowercase();
    }
    Some(origin)
}

/// Looked at by byte (every byte of a character past ASCII fails as its character did), not
/// decoded by `chars()`: asked twice per exchange (docs/performance-log.md, "liveFold, thirteenth
/// pass").
fn host_ok(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 253
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':'))
        && host.as_bytes().contains(&b'.')
}

/// Okta request ids are `req…`-style URL-safe strings; anything else is not echoed into commands.
/// Looked at by byte (every byte of a character past ASCII fails as its character did), not
/// decoded by `chars()`: asked twice per exchange.
pub fn request_id_ok(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
}

/// `/api/v1/users/{id}/…` names a user by id or login.
fn user_from_path(path: &str) -> Option<String> {
    let mut segs = path.trim_start_matches('/').split('/');
    match (segs.next(), segs.next(), segs.next(), segs.next()) {
        (Some("api"), Some("v1"), Some("users"), Some(id)) if id != "me" && !id.is_empty() => {
            plain(id)
        }
        _ => None,
    }
}

/// A request's method trimmed and upper-cased, when it is letters only: one of [`METHODS`]
/// borrowed (an upper-cased copy was an allocation a fold: docs/performance-log.md, "liveFold,
/// fifteenth pass"), any other copied.
fn method_of(method: &str) -> Option<Cow<'static, str>> {
    let m = method.trim();
    if m.is_empty() || !m.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    match METHODS.iter().find(|k| k.eq_ignore_ascii_case(m)) {
        Some(k) => Some(Cow::Borrowed(k)),
        None => Some(Cow::Owned(m.to_ascii_uppercase())),
    }
}

/// The path of a URL (or of a bare path), without query and fragment.
pub fn path_of(url: &str) -> Option<String> {
    let after_scheme = match crate::domain::after_scheme(url) {
        Some(rest) => rest.find('/').and_then(|i| rest.get(i..)).unwrap_or("/"),
        None if url.starts_with('/') => url,
        None => return None,
    };
    Some(crate::domain::before_query(after_scheme).to_string())
}

impl Context {
    /// Only a status: a pasted body on its own.
    pub fn with_status(status: Option<u16>) -> Self {
        Context {
            status,
            ..Context::default()
        }
    }

    /// Everything a request/response pair tells us. `authorization` is the request's header.
    pub fn from_exchange(
        status: Option<u16>,
        method: Option<&str>,
        url: Option<&str>,
        authorization: Option<&str>,
        response_headers: &[(String, String)],
    ) -> Self {
        Context::from_parts(
            status,
            method,
            url,
            url.and_then(domain::host_of),
            authorization.and_then(credential),
            Headers::from_pairs(response_headers),
        )
    }

    /// As [`Context::from_exchange`], with `url`'s host (`domain::host_of`) and the credential
    /// already read (the exchange reads each once) and the response headers handed over, not
    /// copied.
    pub fn from_parts(
        status: Option<u16>,
        method: Option<&str>,
        url: Option<&str>,
        host: Option<String>,
        credential: Option<Credential>,
        response_headers: Headers,
    ) -> Self {
        let path = url.and_then(path_of);
        let request_host = host
            .filter(|h| host_ok(h))
            .filter(|h| domain::is_okta_host(h) || url.is_some_and(domain::is_okta_path));
        let issuer_url = credential.as_ref().and_then(|c| c.issuer.as_deref());
        let issuer_host = issuer_url.and_then(domain::host_of).filter(|h| host_ok(h));
        let origin = match request_host {
            Some(_) => url.and_then(origin_of),
            None => issuer_url.and_then(origin_of),
        };
        let user_id = path
            .as_deref()
            .and_then(user_from_path)
            .or_else(|| credential.as_ref().and_then(|c| c.user_id.clone()));
        Context {
            status,
            method: method.and_then(method_of),
            path,
            domain: request_host.or(issuer_host),
            origin,
            request_id: response_headers
                .first("x-okta-request-id")
                .filter(|i| request_id_ok(i))
                .map(str::to_string),
            user_id,
            credential,
            headers: response_headers,
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.first(name)
    }

    pub fn is_bearer(&self) -> bool {
        self.credential.as_ref().is_some_and(Credential::is_bearer)
    }

    pub fn is_ssws(&self) -> bool {
        self.credential.as_ref().is_some_and(Credential::is_ssws)
    }

    pub fn client_id(&self) -> Option<&str> {
        self.credential.as_ref()?.client_id.as_deref()
    }

    pub fn issuer(&self) -> Option<&str> {
        self.credential.as_ref()?.issuer.as_deref()
    }
}

/// Reads an `Authorization` header value: its scheme and, for a JWT, the claims that matter
/// to an error (`scp`, `cid`, `uid`, `iss`).
pub fn credential(authorization: &str) -> Option<Credential> {
    let c = jwt::extract(authorization);
    let decoded = jwt::looks_like(&c.value).then(|| jwt::decode(&c.value, c.scheme.clone()));
    credential_of(&c, decoded.as_ref())
}

/// As [`credential`], for a header already extracted and (when it is a JWT) decoded.
pub fn credential_of(c: &jwt::Credential, decoded: Option<&jwt::Jwt>) -> Option<Credential> {
    let scheme = c.scheme.clone().unwrap_or_default();
    if scheme.is_empty() && c.value.is_empty() {
        return None;
    }
    let mut out = Credential {
        scheme,
        ..Credential::default()
    };
    if let Some(t) = decoded {
        out.scopes = t.claim("scp").map(|s| match s {
            Value::Array(a) => a
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            Value::String(s) => s.split_whitespace().map(str::to_string).collect(),
            _ => Vec::new(),
        });
        out.client_id = t.claim_str("cid").and_then(plain);
        out.user_id = t.claim_str("uid").and_then(plain);
        out.issuer = t.issuer().map(|i| i.url).filter(|u| plain(u).is_some());
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};

    /// `method_of` (HTTP's methods borrowed) is the upper-cased copy it replaced: every method
    /// in three cases, padded, cut, lengthened, with a digit, a dash or a non-ASCII letter.
    #[test]
    fn methods_borrowed_are_the_methods_copied() {
        let before = |m: &str| {
            Some(m.trim().to_ascii_uppercase())
                .filter(|m| !m.is_empty() && m.chars().all(|c| c.is_ascii_uppercase()))
        };
        let (mut kept, mut borrowed) = (0, 0);
        for k in METHODS
            .iter()
            .chain(&["PROPFIND", "M-SEARCH", "G3T", "GÉT", "", " ", "É"])
        {
            let lower = k.to_lowercase();
            let mixed: String = k
                .chars()
                .enumerate()
                .map(|(i, c)| match i % 2 {
                    0 => c,
                    _ => c.to_ascii_lowercase(),
                })
                .collect();
            for m in [k.to_string(), lower, mixed] {
                let cut = m.chars().skip(1).collect::<String>();
                for probe in [
                    m.clone(),
                    format!(" {m}\t"),
                    format!("{m}S"),
                    format!("{m}1"),
                    cut,
                ] {
                    let got = method_of(&probe);
                    assert_eq!(got.as_deref(), before(&probe).as_deref(), "{probe:?}");
                    kept += usize::from(got.is_some());
                    borrowed += usize::from(matches!(got, Some(Cow::Borrowed(_))));
                }
            }
        }
        assert!(
            kept > 80 && borrowed >= 2 * 3 * METHODS.len(),
            "{kept} {borrowed}"
        );
    }

    fn bearer(claims: &str) -> String {
        format!(
            "Bearer {}.{}.c2ln",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256"}"#),
            URL_SAFE_NO_PAD.encode(claims)
        )
    }

    #[test]
    fn exchange_context() {
        let auth = bearer(
            r#"{"iss":"https://dev-1.okta.com","scp":["okta.users.read"],"cid":"0oa1","uid":"00u9"}"#,
        );
        let headers = vec![("X-Okta-Request-Id".to_string(), "reqAbC".to_string())];
        let cases = [
            (
                "https://dev-1.okta.com/api/v1/users/00u1abc/lifecycle/unlock?x=1",
                Some("dev-1.okta.com"),
                Some("/api/v1/users/00u1abc/lifecycle/unlock"),
                Some("00u1abc"),
            ),
            (
                "https://login.acme.com/api/v1/groups",
                Some("login.acme.com"),
                Some("/api/v1/groups"),
                Some("00u9"),
            ),
            (
                "https://app.example.com/api/things",
                Some("dev-1.okta.com"),
                Some("/api/things"),
                Some("00u9"),
            ),
            (
                "https://dev-1.okta.com/api/v1/users/a'b",
                Some("dev-1.okta.com"),
                Some("/api/v1/users/a'b"),
                Some("00u9"),
            ),
        ];
        for (url, domain, path, user) in cases {
            let c =
                Context::from_exchange(Some(403), Some("get"), Some(url), Some(&auth), &headers);
            assert_eq!(c.domain.as_deref(), domain, "{url}");
            assert_eq!(
                c.origin
                    .as_deref()
                    .map(|o| o.ends_with(domain.unwrap_or("?"))),
                domain.map(|_| true),
                "{url}"
            );
            assert_eq!(c.path.as_deref(), path, "{url}");
            assert_eq!(c.user_id.as_deref(), user, "{url}");
            assert_eq!(c.method.as_deref(), Some("GET"));
            assert_eq!(c.request_id.as_deref(), Some("reqAbC"));
            assert!(c.is_bearer());
            assert_eq!(
                c.credential.as_ref().and_then(|c| c.scopes.clone()),
                Some(vec!["okta.users.read".to_string()])
            );
            assert_eq!(c.client_id(), Some("0oa1"));
        }
    }

    #[test]
    fn origins_keep_scheme_and_port() {
        let cases = [
            (
                "https://dev-1.okta.com/api/v1/users",
                Some("https://dev-1.okta.com"),
            ),
            (
                "http://127.0.0.1:8443/api/v1/users",
                Some("http://127.0.0.1:8443"),
            ),
            (
                "HTTPS://Dev-1.Okta.com:443/x",
                Some("https://dev-1.okta.com:443"),
            ),
            ("https://user@dev-1.okta.com/x", None),
            ("https://dev-1.okta.com:80a/x", None),
            ("ftp://dev-1.okta.com/x", None),
            ("https://[::1]/x", None),
        ];
        for (url, want) in cases {
            assert_eq!(origin_of(url).as_deref(), want, "{url}");
        }
        // As the split_once / format! reading answered.
        let before = |url: &str| {
            let (scheme, rest) = url.split_once("://")?;
            let scheme = scheme.to_ascii_lowercase();
            if scheme != "https" && scheme != "http" {
                return None;
            }
            let authority = rest.split(['/', '?', '#']).next()?;
            let (host, port) = match authority.rsplit_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (authority, None),
            };
            let port_ok = port.is_none_or(|p| {
                !p.is_empty() && p.len() <= 5 && p.chars().all(|c| c.is_ascii_digit())
            });
            (host_ok(host) && port_ok && !authority.contains('@'))
                .then(|| format!("{scheme}://{}", authority.to_ascii_lowercase()))
        };
        for url in [
            "HtTp://A.OKTA.com?x",
            "https://",
            "://x",
            "https:/x",
            "xhttps://a.b",
            "https://a.b#f",
            "HTTPS://ÉX.okta.com/",
            "http://a:1://b",
            "https://a.b:65535/",
            "https://a.b:/",
            "",
            "http:",
            "Https://Dev-1.OKTA.com:8443/oauth2?x=https://y",
        ] {
            assert_eq!(origin_of(url), before(url), "{url}");
        }
    }

    #[test]
    fn values_that_would_need_quoting_are_dropped() {
        assert_eq!(plain("00u1abc"), Some("00u1abc".into()));
        assert_eq!(plain("a b"), None);
        assert_eq!(plain("$(id)"), None);
        assert_eq!(plain(""), None);
        assert!(request_id_ok("reqVy8wsvmBQN27h4soUE3ZEnA"));
        assert!(!request_id_ok("req\"; rm"));
        let c = credential("SSWS 00abc").unwrap_or_default();
        assert!(c.is_ssws() && c.scopes.is_none());
        let c = credential(&bearer(r#"{"scp":"a b"}"#)).unwrap_or_default();
        assert_eq!(c.scopes, Some(vec!["a".into(), "b".into()]));
        assert_eq!(path_of("/api/v1/x?y#z").as_deref(), Some("/api/v1/x"));
        assert_eq!(path_of("nope"), None);
    }

    /// The byte check answers what the check by characters answered.
    #[test]
    fn request_id_ok_by_byte_is_by_char() {
        let by_char = |id: &str| {
            !id.is_empty()
                && id.len() <= 64
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        };
        let long = "r".repeat(64);
        let longer = "r".repeat(65);
        for id in [
            "",
            "reqVy8wsvmBQN27h4soUE3ZEnA",
            "req-_9",
            "req é",
            "réq",
            "Ä",
            "req\u{7f}",
            "a b",
            "a/b",
            "a.b",
            "日本",
            "\u{1F600}",
            &long,
            &longer,
            "ÿ",
            "a\0",
        ] {
            assert_eq!(request_id_ok(id), by_char(id), "{id:?}");
        }
    }

    /// `host_ok` by byte answers what the check by characters answered.
    #[test]
    fn host_ok_by_byte_is_by_char() {
        let by_char = |host: &str| {
            !host.is_empty()
                && host.len() <= 253
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'))
                && host.contains('.')
        };
        let long = format!("{}.com", "a".repeat(249));
        let longer = format!("{}.com", "a".repeat(250));
        let mut hosts: Vec<String> = [
            "",
            "dev-1.okta.com",
            "dev-1.okta.com:8443",
            "localhost",
            "a.b",
            ".",
            "ÉX.okta.com",
            "éx.okta.com",
            "日本.jp",
            "a_b.com",
            "a b.com",
            "a.b\u{7f}",
            "a.b\0",
            "[::1]",
            "::1",
            "ÿ.com",
            "\u{1F600}.com",
            "a.b/c",
            "a@b.c",
            &long,
            &longer,
        ]
        .iter()
        .map(|h| h.to_string())
        .collect();
        for b in 0..=255u8 {
            hosts.push(format!("a{}b.com", char::from(b)));
        }
        for host in &hosts {
            assert_eq!(host_ok(host), by_char(host), "{host:?}");
        }
    }
}
