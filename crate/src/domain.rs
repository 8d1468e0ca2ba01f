//! Okta's own host names (okta.md §7): org domains, government and military clouds, and
//! Okta-operated cells. Custom URL domains can't be recognised by name; the path and the
//! `X-Okta-Request-Id` header recognise those (see `http`).

const SUFFIXES: [&str; 10] = [
    "okta.com",
    "oktapreview.com",
    "okta-emea.com",
    "okta-gov.com",
    "okta.mil",
    "okta-miltest.com",
    "trex-govcloud.com",
    "trex-gov.com",
    "trexcloud.com",
    "oktacdn.com",
];

/// True for `dev-123.okta.com`, `acme-admin.oktapreview.com`, `x.okta.mil`…
pub fn is_okta_host(host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    SUFFIXES.iter().any(|s| {
        host.strip_suffix(s)
            .is_some_and(|rest| rest.is_empty() || rest.ends_with('.'))
    })
}

/// The host of an absolute URL (`scheme://host[:port]/…`), lower-cased, without the port.
pub fn host_of(url: &str) -> Option<String> {
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

/// Paths only Okta serves, for custom URL domains: the OAuth, management, authn and IDX APIs.
pub fn is_okta_path(url: &str) -> bool {
    let path = url.split_once("://").map_or(url, |(_, r)| {
        r.find('/').and_then(|i| r.get(i..)).unwrap_or("")
    });
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
}
