//! Okta authorization servers, recognised from a token's `iss` (Okta's "Authorization
//! servers" concept page): the org AS (`https://{org}`), the `default` custom AS
//! (`…/oauth2/default`) and other custom ASes (`…/oauth2/{id}`), and their endpoints.

use crate::shell;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Server {
    /// `iss` is the org URL: `/oauth2/v1/…` endpoints.
    Org,
    /// `iss` ends in `/oauth2/default`.
    Default,
    /// `iss` ends in `/oauth2/{id}`.
    Custom(String),
}

/// An issuer we can build commands for: an absolute http(s) URL without control characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issuer {
    /// The `iss` value without a trailing slash.
    pub url: String,
    pub server: Server,
}

/// `None` when `iss` is not a usable http(s) URL ("not mine").
pub fn parse(iss: &str) -> Option<Issuer> {
    let url = iss.trim_end_matches('/');
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if !host_ok || !shell::printable(path) || path.contains(char::is_whitespace) {
        return None;
    }
    let server = match path.strip_prefix("oauth2/") {
        Some("default") => Server::Default,
        Some(id) if !id.is_empty() && !id.contains('/') => Server::Custom(id.to_string()),
        _ => Server::Org,
    };
    Some(Issuer {
        url: url.to_string(),
        server,
    })
}

/// The OpenID Connect discovery document, relative to an issuer.
pub const DISCOVERY: &str = "/.well-known/openid-configuration";

impl Issuer {
    /// An OAuth endpoint relative to the issuer: `/v1/{name}` for custom servers,
    /// `/oauth2/v1/{name}` for the org AS (whose issuer is the org URL).
    pub fn endpoint_path(&self, name: &str) -> String {
        match self.server {
            Server::Org => format!("/oauth2/v1/{name}"),
            _ => format!("/v1/{name}"),
        }
    }

    pub fn endpoint(&self, name: &str) -> String {
        format!("{}{}", self.url, self.endpoint_path(name))
    }

    /// `https://dev-1.okta.com` (scheme and authority, no path).
    pub fn origin(&self) -> String {
        match self.url.split_once("://") {
            Some((scheme, rest)) => {
                format!("{scheme}://{}", rest.split('/').next().unwrap_or(rest))
            }
            None => self.url.clone(),
        }
    }

    /// The host (with port), for labels.
    pub fn host(&self) -> String {
        let origin = self.origin();
        origin
            .split_once("://")
            .map_or(origin.clone(), |(_, h)| h.to_string())
    }

    pub fn discovery(&self) -> String {
        format!("{}{DISCOVERY}", self.url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn servers_and_endpoints() {
        let cases = [
            (
                "https://dev-1.okta.com",
                Some(Server::Org),
                "https://dev-1.okta.com/oauth2/v1/keys",
            ),
            (
                "https://dev-1.okta.com/",
                Some(Server::Org),
                "https://dev-1.okta.com/oauth2/v1/keys",
            ),
            (
                "https://dev-1.okta.com/oauth2/default",
                Some(Server::Default),
                "https://dev-1.okta.com/oauth2/default/v1/keys",
            ),
            (
                "https://login.example.com/oauth2/aus8aus76q8iphupD0h7",
                Some(Server::Custom("aus8aus76q8iphupD0h7".into())),
                "https://login.example.com/oauth2/aus8aus76q8iphupD0h7/v1/keys",
            ),
            (
                "http://localhost:3000/oauth2/default",
                Some(Server::Default),
                "http://localhost:3000/oauth2/default/v1/keys",
            ),
            ("dev-1.okta.com", None, ""),
            ("https://a b.com", None, ""),
            ("https://a.com/x\ny", None, ""),
            ("javascript:alert(1)", None, ""),
        ];
        for (iss, server, keys) in cases {
            let parsed = parse(iss);
            assert_eq!(parsed.as_ref().map(|i| i.server.clone()), server, "{iss}");
            if let Some(i) = parsed {
                assert_eq!(i.endpoint("keys"), keys);
                assert!(keys.starts_with(&i.origin()));
                assert!(!i.host().contains('/'));
            }
        }
    }
}
