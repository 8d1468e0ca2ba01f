//! Okta's own host names (okta.md §7): org domains, government and military clouds, and
//! Okta-operated cells. Custom URL domains can't be recognised by name; the path and the
//! `X-Okta-Request-Id` header recognise those (see `http`), and the user names theirs
//! ([`Trusted`]): only those hosts and Okta's may be named in a command that carries a secret.

/// Okta's org domains: exactly the `https://*.{suffix}/*` patterns of the extension manifest's
/// `host_permissions` (a test keeps the two equal). Okta's CDN (`oktacdn.com`) serves static
/// files only, so it is not among them: no API call, and no command, goes there.
pub const SUFFIXES: [&str; 9] = [
    "okta.com",
    "oktapreview.com",
    "okta-emea.com",
    "okta-gov.com",
    "okta.mil",
    "okta-miltest.com",
    "trex-govcloud.com",
    "trex-gov.com",
    "trexcloud.com",
];

/// True for `dev-123.okta.com`, `acme-admin.oktapreview.com`, `x.okta.mil`…
pub fn is_okta_host(host: &str) -> bool {
    // Compared without a lower-cased copy (asked three times per exchange): the suffixes are
    // lower-case ASCII, so a match ends on a character boundary either way.
    let host = host.trim_end_matches('.');
    SUFFIXES.iter().any(|s| {
        let Some(at) = host.len().checked_sub(s.len()) else {
            return false;
        };
        host.get(at..)
            .is_some_and(|tail| tail.eq_ignore_ascii_case(s))
            && host
                .get(..at)
                .is_some_and(|rest| rest.is_empty() || rest.ends_with('.'))
    })
}

/// The hosts the user trusts besides Okta's: the org's custom URL domains, from the extension's
/// options page (match patterns, `https://login.acme.com/*`) or the CLI (`--domain`,
/// `OKTA_DOMAIN`). An entry that would trust every host (`*`, `<all_urls>`) or a whole
/// top-level domain (`*.com`) is ignored, as is one limited to `http:`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Trusted {
    hosts: Vec<Pattern>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Pattern {
    /// `login.acme.com`
    Exact(String),
    /// `*.acme.com`: acme.com and every host under it (match-pattern semantics).
    Under(String),
}

impl Trusted {
    /// Reads entries as a person or the options page wrote them: `login.acme.com`,
    /// `*.acme.com`, `https://login.acme.com`, `https://login.acme.com/*`, `*://*.acme.com/*`.
    pub fn parse<S: AsRef<str>>(entries: &[S]) -> Trusted {
        let mut hosts = Vec::new();
        for p in entries.iter().filter_map(|e| pattern(e.as_ref())) {
            if !hosts.contains(&p) {
                hosts.push(p);
            }
        }
        Trusted { hosts }
    }

    /// True for Okta's hosts and the trusted ones (any case, with or without a final dot).
    pub fn allows(&self, host: &str) -> bool {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        is_okta_host(&host)
            || self.hosts.iter().any(|p| match p {
                Pattern::Exact(h) => *h == host,
                Pattern::Under(base) => host
                    .strip_suffix(base.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.ends_with('.')),
            })
    }

    pub fn is_empty(&self) -> bool {
        self.hosts.is_empty()
    }
}

fn pattern(entry: &str) -> Option<Pattern> {
    let entry = entry.trim().to_ascii_lowercase();
    let rest = match entry.split_once("://") {
        Some(("https" | "*", rest)) => rest,
        Some(_) => return None,
        None => &entry,
    };
    let authority = rest.split('/').next()?;
    let host = match authority.rsplit_once(':') {
        Some((h, port)) if !port.is_empty() && port.chars().all(|c| c.is_ascii_digit()) => h,
        Some(_) => return None,
        None => authority,
    };
    let host = host.trim_end_matches('.');
    match host.strip_prefix("*.") {
        Some(base) if name_ok(base) && base.contains('.') => Some(Pattern::Under(base.to_string())),
        Some(_) => None,
        None if name_ok(host) && host.contains('.') => Some(Pattern::Exact(host.to_string())),
        None => None,
    }
}

/// A DNS name in lower case: dot-separated labels of letters, digits and hyphens.
fn name_ok(host: &str) -> bool {
    host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        })
}

/// `(scheme, host)` of a base URL as commands write it, `scheme://host[:port][/path]`, read
/// strictly: a DNS name (no userinfo, no IP-literal brackets, no percent-escapes), a numeric
/// port. `None` for anything else.
pub fn base_parts(url: &str) -> Option<(String, String)> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split('/').next()?;
    let host = match authority.rsplit_once(':') {
        Some((h, port))
            if !port.is_empty() && port.len() <= 5 && port.chars().all(|c| c.is_ascii_digit()) =>
        {
            h
        }
        Some(_) => return None,
        None => authority,
    };
    let host = host.to_ascii_lowercase();
    name_ok(host.trim_end_matches('.')).then(|| (scheme.to_ascii_lowercase(), host))
}

/// What comes before a URL's first `?` or `#` (all of it when it has neither):
/// `split(['?', '#']).next()` by one byte scan (a pattern of chars decodes and compares each
/// character, ~900 instructions for a request URL; three reads of a path per exchange: docs/performance-log.md,
/// "liveFold, eighth pass").
pub fn before_query(s: &str) -> &str {
    let end = s.bytes().position(|b| b == b'?' || b == b'#');
    end.and_then(|i| s.get(..i)).unwrap_or(s)
}

/// What follows the first `://` in `url`: `str::split_once("://")`'s second part by one byte
/// scan (a `&str` pattern builds a two-way searcher per call, ~300 instructions; the live fold
/// asks for a URL's path six times an exchange: docs/performance-log.md, "liveFold, seventh pass").
pub fn after_scheme(url: &str) -> Option<&str> {
    url.get(scheme_separator(url)? + 3..)
}

/// Where the first `://` in `s` starts: each `:` found eight bytes at a time (a word compared
/// at once, no set-up: the seal asks this of ~17 strings a fold, the fold of ~6 URLs), then
/// the two bytes after it looked at.
pub fn scheme_separator(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut from = 0;
    while let Some(i) = colon_from(b, from) {
        if b.get(i + 1..i + 3) == Some(b"//") {
            return Some(i);
        }
        from = i + 1;
    }
    None
}

/// The first `:` in `b` at or after `from`.
fn colon_from(b: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    const COLONS: u64 = u64::from_ne_bytes([b':'; 8]);
    let rest = b.get(from..)?;
    let mut chunks = rest.chunks_exact(8);
    let mut at = from;
    for chunk in chunks.by_ref() {
        let word = u64::from_le_bytes(chunk.try_into().ok()?) ^ COLONS;
        // A zero byte where a `:` was; the lowest flagged byte is the first zero (a borrow
        // only flags bytes above a zero one).
        let zero = word.wrapping_sub(ONES) & !word & HIGHS;
        if zero != 0 {
            return Some(at + (zero.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    let tail = chunks.remainder().iter().position(|&c| c == b':');
    tail.map(|i| at + i)
}

/// The host of an absolute URL (`scheme://host[:port]/…`), lower-cased, without the port.
/// Byte scans and one allocation: the live fold asks it of every exchange (`str::split_once`
/// with a `&str` pattern builds a two-way searcher per call).
pub fn host_of(url: &str) -> Option<String> {
    let rest = after_scheme(url)?;
    let end = rest
        .bytes()
        .position(|b| matches!(b, b'/' | b'?' | b'#'))
        .unwrap_or(rest.len());
    let authority = rest.get(..end)?;
    let host_port = match authority.bytes().rposition(|b| b == b'@') {
        Some(at) => authority.get(at + 1..)?,
        None => authority,
    };
    let host = if host_port.starts_with('[') {
        host_port.get(..=host_port.find(']')?)?
    } else {
        host_port.split(':').next()?
    };
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// Paths only Okta serves, for custom URL domains: the OAuth, management, authn and IDX APIs.
pub fn is_okta_path(url: &str) -> bool {
    let path =
        after_scheme(url).map_or(url, |r| r.find('/').and_then(|i| r.get(i..)).unwrap_or(""));
    [
        "/oauth2/",
        "/api/v1/",
        "/idp/idx/",
        "/.well-known/okta-organization",
    ]
    .iter()
    .any(|p| path.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte-scanning `host_of` answers what the `split`-based one it replaced did.
    #[test]
    fn host_of_as_the_split_reading() {
        fn by_split(url: &str) -> Option<String> {
            let rest = url.split_once("://")?.1;
            let authority = rest.split(['/', '?', '#']).next()?;
            let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
            let host = if host_port.starts_with('[') {
                host_port.split_once(']').map(|(h, _)| format!("{h}]"))?
            } else {
                host_port.split(':').next()?.to_string()
            };
            (!host.is_empty()).then(|| host.to_ascii_lowercase())
        }
        let urls = [
            "https://Dev-1.okta.com:443/oauth2/v1/token",
            "https://dev-1.okta.com",
            "https://dev-1.okta.com?x=1",
            "https://dev-1.okta.com#frag",
            "https://user:pw@dev-1.okta.com/x",
            "https://a@b@Host.Example:8/x@y",
            "http://[::1]:8080/x",
            "http://[::1",
            "http://[]/",
            "https:///path",
            "https://:443/",
            "nope",
            "://",
            "a://b://c",
            "x:/y://Z.example/",
            "https://ÄÖ.example/é",
            "",
        ];
        for u in urls {
            assert_eq!(host_of(u), by_split(u), "{u}");
        }
    }

    /// `after_scheme` is `split_once("://")`'s second part.
    #[test]
    fn before_query_is_split() {
        for u in [
            "",
            "?",
            "#",
            "/a?b#c",
            "/a#b?c",
            "https://h/p?q",
            "/é?é",
            "é#",
            "no",
            "??##",
            "/api/v1/users?limit=200",
        ] {
            assert_eq!(Some(before_query(u)), u.split(['?', '#']).next(), "{u}");
        }
    }

    #[test]
    fn scheme_separator_is_the_first_colon_slash_slash() {
        let window = |s: &str| s.as_bytes().windows(3).position(|w| w == b"://");
        let mut cases: Vec<String> = ["", ":", "://", "a:/b://c", "é:é://x", ":::::::://"]
            .map(String::from)
            .to_vec();
        // Every place of `:`, `:/` and `://` in strings of 0 to 40 bytes, with colons before.
        for len in 0..=40 {
            for at in 0..=len {
                for piece in [":", ":/", "://", "::", "a:b://"] {
                    let mut s = "x".repeat(at);
                    s.push_str(piece);
                    s.push_str(&"é".repeat(len.saturating_sub(at) / 2));
                    cases.push(s.clone());
                    cases.push(format!(":{s}"));
                    cases.push(format!("{s}://"));
                }
            }
        }
        for s in &cases {
            assert_eq!(scheme_separator(s), window(s), "{s:?}");
        }
        assert!(cases.len() > 4000);
    }

    #[test]
    fn after_scheme_is_split_once() {
        for u in [
            "",
            "://",
            "https://a/b",
            "a:/b://c",
            "::://x",
            "x:",
            "no",
            "é://é",
            "a://",
            ":/",
        ] {
            assert_eq!(after_scheme(u), u.split_once("://").map(|(_, r)| r), "{u}");
        }
    }

    #[test]
    fn hosts() {
        let cases = [
            ("dev-123456.okta.com", true),
            ("acme-admin.oktapreview.com", true),
            ("x.okta-emea.com", true),
            ("x.okta.mil", true),
            ("okta.com", true),
            ("notokta.com", false),
            ("okta.com.evil.example", false),
            ("example.com", false),
        ];
        for (h, want) in cases {
            assert_eq!(is_okta_host(h), want, "{h}");
        }
        assert!(!is_okta_host("global.oktacdn.com"));
        // As the lower-cased copy answered: any case, trailing dots, non-ASCII before a suffix.
        let lowered = |h: &str| {
            let h = h.trim_end_matches('.').to_ascii_lowercase();
            SUFFIXES.iter().any(|s| {
                h.strip_suffix(s)
                    .is_some_and(|rest| rest.is_empty() || rest.ends_with('.'))
            })
        };
        for h in [
            "DEV-1.OKTA.COM",
            "Okta.Com..",
            "é.okta.com",
            "éokta.com",
            "a.OKTA-GOV.COM.",
            "kta.com",
            "",
            ".",
            "x.okta.mi",
            "ü",
            "x.TREX-GOV.com",
            "x-okta.com",
        ] {
            assert_eq!(is_okta_host(h), lowered(h), "{h}");
        }
        assert_eq!(
            host_of("https://Dev-1.okta.com:443/oauth2/v1/token").as_deref(),
            Some("dev-1.okta.com")
        );
        assert_eq!(host_of("http://[::1]:8080/x").as_deref(), Some("[::1]"));
        assert_eq!(host_of("nope"), None);
        assert!(is_okta_path(
            "https://login.acme.com/oauth2/default/v1/token"
        ));
        assert!(!is_okta_path("https://acme.com/api/v2/things"));
    }

    #[test]
    fn trusted_hosts() {
        let t = Trusted::parse(&[
            "https://login.acme.com/*",
            "*.Example.org",
            "  id.widgets.io  ",
            "https://sso.acme.net:8443/",
            "*://*.corp.test/*",
            "http://plain.acme.com/*",
            "*",
            "*://*/*",
            "<all_urls>",
            "*.com",
            "https://user@bad.acme.com/*",
            "bad host.acme.com",
            "127.0.0.1",
            "localhost",
            "",
        ]);
        let cases = [
            ("login.acme.com", true),
            ("LOGIN.ACME.COM.", true),
            ("evil.login.acme.com", false),
            ("login.acme.com.evil.example", false),
            ("example.org", true),
            ("a.b.example.org", true),
            ("notexample.org", false),
            ("id.widgets.io", true),
            ("sso.acme.net", true),
            ("x.corp.test", true),
            ("plain.acme.com", false),
            ("bad.acme.com", false),
            ("127.0.0.1", true),
            ("localhost", false),
            ("anything.com", false),
            ("dev-1.okta.com", true),
            ("dev-1.okta.com.evil.example", false),
        ];
        for (h, want) in cases {
            assert_eq!(t.allows(h), want, "{h}");
        }
        assert!(Trusted::default().allows("acme.oktapreview.com"));
        assert!(!Trusted::default().allows("127.0.0.1"));
        assert!(Trusted::parse(&["*", "<all_urls>", "*://*/*"]).is_empty());
    }

    #[test]
    fn base_parts_are_strict() {
        let cases = [
            ("https://dev-1.okta.com", Some(("https", "dev-1.okta.com"))),
            (
                "https://Dev-1.Okta.com:8443/oauth2/default",
                Some(("https", "dev-1.okta.com")),
            ),
            ("http://127.0.0.1:8443", Some(("http", "127.0.0.1"))),
            ("https://dev-1.okta.com@evil.example", None),
            ("https://[::1]:8080", None),
            ("https://evil.example%2fdev-1.okta.com", None),
            ("https://dev-1.okta.com:x", None),
            ("dev-1.okta.com", None),
        ];
        for (url, want) in cases {
            assert_eq!(
                base_parts(url),
                want.map(|(s, h)| (s.to_string(), h.to_string())),
                "{url}"
            );
        }
    }

    /// The manifest's host permissions and [`SUFFIXES`] are one list (STYLE.md: a fact lives
    /// in one place, or a test keeps the copies equal).
    #[test]
    fn suffixes_are_the_manifest_host_permissions() {
        let manifest: serde_json::Value =
            serde_json::from_str(include_str!("../../extension/manifest.base.json")).unwrap();
        let patterns: Vec<&str> = manifest["host_permissions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let ours: Vec<String> = SUFFIXES
            .iter()
            .map(|s| format!("https://*.{s}/*"))
            .collect();
        assert_eq!(patterns, ours);
    }
}
