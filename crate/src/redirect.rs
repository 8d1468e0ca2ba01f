//! Redirects back to an app carrying an OAuth error (RFC 6749 §4.1.2.1; OIDC Core §3.1.2.6):
//! `error`, `error_description` in the query or, for implicit/hybrid flows, the fragment.
//! `code` and `state` are credentials and are never echoed.

use crate::{encoding, oauth_error};

#[derive(Clone, Debug, PartialEq)]
pub struct Redirect {
    pub error: oauth_error::Error,
    /// Parameter names present (values of `code`, `state`, tokens are not kept).
    pub params: Vec<String>,
}

/// `None` unless the text is a URL (or bare query string) with an `error` parameter.
pub fn parse(text: &str) -> Option<Redirect> {
    let t = text.trim();
    if !t.contains("error") || t.contains(char::is_whitespace) {
        return None;
    }
    let after_base = match t.find(['?', '#']) {
        Some(i) => t.get(i + 1..)?,
        None if t.starts_with("error=") => t,
        None => return None,
    };
    let mut error = None;
    let mut description = None;
    let mut params = Vec::new();
    for pair in after_base.split(['&', '#', '?']) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let k = encoding::form_decode(k);
        match k.as_str() {
            "error" => error = Some(encoding::form_decode(v)),
            "error_description" => description = Some(encoding::form_decode(v)),
            _ => {}
        }
        if !k.is_empty() && !params.contains(&k) {
            params.push(k);
        }
    }
    Some(Redirect {
        error: oauth_error::Error {
            // `error=` with no value is not an OAuth error (found by fuzzing).
            error: error.filter(|e| !e.trim().is_empty())?,
            description,
            source: "redirect",
            params: Vec::new(),
        },
        params,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_fragment_and_encodings() {
        let cases = [
            ("https://example.com?error=access_denied&error_description=The%20resource%20owner%20denied", Some(("access_denied", "The resource owner denied"))),
            ("https://www.example.com/#error=invalid_scope&error_description=The+requested+scope+is+invalid%2C+unknown", Some(("invalid_scope", "The requested scope is invalid, unknown"))),
            ("http://localhost:8080/login/callback?state=abc&error=login_required&error_description=The+client+requires+authentication.", Some(("login_required", "The client requires authentication."))),
            ("error=consent_required&error_description=x", Some(("consent_required", "x"))),
            ("https://example.com/callback?code=abc&state=def", None),
            ("hello world?error=x", None),
            ("https://app.example.com/cb?error=&error_description=x", None),
            ("https://app.example.com/cb?error=%20", None),
            ("https://app.example.com/cb?error=access_denied&error_description=%E2%80%99%ZZ", Some(("access_denied", "%E2%80%99%ZZ"))),
        ];
        for (url, want) in cases {
            let got = parse(url);
            assert_eq!(
                got.as_ref().map(|r| (
                    r.error.error.as_str(),
                    r.error.description.as_deref().unwrap_or("")
                )),
                want,
                "{url}"
            );
        }
        let r = parse("https://a/cb?code=SECRET&state=S2&error=x");
        assert_eq!(
            r.map(|r| r.params),
            Some(vec!["code".into(), "state".into(), "error".into()])
        );
    }
}
