//! Okta's own pages that end a SAML sign-in (issue 17 §3), when their text is visible (a HAR's
//! response text, a captured body) or the URL Okta sent the browser to says it: the user isn't
//! assigned to the app, a policy denies the app, Okta refused the AuthnRequest. The texts are a
//! catalogue, `crate/data/saml_error_pages.tsv`, each row with the source that quotes it.

use crate::{
    catalogue,
    report::{Finding, Severity},
};

const PAGES: &str = catalogue::data!("saml_error_pages.tsv");

/// Bodies longer than this are not searched (Okta's error pages are tens of kilobytes).
const MAX_BODY: usize = 512 * 1024;

/// The path of URL `u` (absolute or not), without its query or fragment: byte scans
/// (`domain::after_scheme`, `before_query`), not a `&str` and a `char` pattern's searchers, as
/// every exchange asks (docs/performance-log.md, "liveFold, thirteenth pass").
fn path(u: &str) -> &str {
    let rest = crate::domain::after_scheme(u).unwrap_or(u);
    let p = rest.find('/').and_then(|i| rest.get(i..)).unwrap_or("");
    crate::domain::before_query(p)
}

/// The catalogue's rows (page key, `text` or `path`, what is matched), read once: every
/// exchange the session folds asks, and nearly all match nothing.
fn pages() -> &'static [(&'static str, &'static str, &'static str)] {
    static ROWS: std::sync::OnceLock<Vec<(&str, &str, &str)>> = std::sync::OnceLock::new();
    ROWS.get_or_init(|| {
        catalogue::rows(PAGES)
            .filter_map(|row| Some((*row.first()?, *row.get(1)?, *row.get(2)?)))
            .collect()
    })
}

/// The page `body` (served at `url`, or redirecting to `location`) is, as a finding.
pub fn finding(
    url: Option<&str>,
    location: Option<&str>,
    body: Option<&str>,
    status: Option<u16>,
) -> Option<Finding> {
    // The URL's path first, then the redirect target's: borrowed, nothing built until a match.
    let paths = [url.map(path), location.map(path)];
    let paths = || paths.iter().flatten();
    let body = body.filter(|b| b.len() <= MAX_BODY && (b.contains(" app") || b.contains("SAML")));
    let text = body.map(catalogue::normalise);
    let &(key, kind, matched) = pages().iter().find(|(_, kind, m)| match *kind {
        "text" => text.as_deref().is_some_and(|t| t.contains(m)),
        "path" => paths().any(|p| p.starts_with(m)),
        _ => false,
    })?;
    Some(
        Finding::fact("saml.okta_error_page", Severity::Error)
            .with("page", key)
            .with("status", status)
            .with("path", paths().next().map(|p| p.to_string()))
            .evidence(
                if kind == "path" { "url" } else { "body" },
                "matched",
                matched,
            ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_page_is_recognised_by_its_text_or_path_and_others_are_not() {
        let page = |body: &str| {
            finding(
                Some("https://dev-1.okta.com/app/x/exk1/sso/saml"),
                None,
                Some(body),
                Some(403),
            )
        };
        let key = |f: Option<Finding>| f.and_then(|f| f.params.text("page").map(str::to_string));
        let assigned = "<h1>403 App Not Assigned</h1><p>Sorry, you cannot access Example SAML App because you\n    are not assigned this app in Okta. If you&#39;re wondering why this is happening, please contact your administrator.</p>";
        assert_eq!(key(page(assigned)).as_deref(), Some("not_assigned"));
        let policy =
            "<p>You are not allowed to access this app. To request access, contact an admin.</p>";
        assert_eq!(
            key(page(policy)).as_deref(),
            Some("access_denied_by_policy")
        );
        let f = finding(
            Some("https://dev-1.okta.com/error/400_SAML?stateToken=abc"),
            None,
            None,
            Some(400),
        );
        assert_eq!(key(f.clone()).as_deref(), Some("saml_request_rejected"));
        assert_eq!(
            f.and_then(|f| f.params.text("path").map(str::to_string))
                .as_deref(),
            Some("/error/400_SAML")
        );
        let via = finding(
            Some("https://dev-1.okta.com/app/x/exk1/sso/saml"),
            Some("/error/400_SAML?stateToken=abc"),
            None,
            Some(302),
        );
        assert_eq!(key(via).as_deref(), Some("saml_request_rejected"));
        // Okta's 400 page for an AuthnRequest it can't accept, as quoted from an Okta org's
        // response in arthepsy/pan-globalprotect-okta#24.
        let bad = r#"<div class="error-wrap clearfix">
    <div class="error">
        <img src="https://domain.okta.com/assets/img/ui/http-error-400.eb5f0061069e5c149eddccc91c97eafc.png" width="340" height="145" alt="400: Bad Request>"/><p class="error-title">Bad Request</p>
    </div>
    <div class="error-content">
        <h1>Your request resulted in an error.</h1>
        <h2 id="error-description" >
            Description:&nbsp;Bad SAML request</h2>"#;
        assert_eq!(key(page(bad)).as_deref(), Some("bad_saml_request"));
        for body in [
            "<html>Welcome to the app</html>",
            "",
            "not assigned",
            "SAML is fine",
        ] {
            assert!(page(body).is_none(), "{body}");
        }
    }

    /// `path` by byte scans is the path the pattern searches found, for any URL or text.
    #[test]
    fn path_by_bytes_is_path_by_patterns() {
        let before = |u: &str| -> String {
            let rest = u.split_once("://").map_or(u, |(_, r)| r);
            let p = rest.find('/').and_then(|i| rest.get(i..)).unwrap_or("");
            p.split(['?', '#']).next().unwrap_or("").to_string()
        };
        let mut urls = vec![
            String::new(),
            "https://dev-1.okta.com/app/x/exk1/sso/saml?SAMLRequest=x#f".into(),
            "https://dev-1.okta.com".into(),
            "https://dev-1.okta.com?x=/y".into(),
            "/login/signin#x?y".into(),
            "://".into(),
            ":/".into(),
            "a://b://c/d".into(),
            "https:/x/y".into(),
            "héllo://wörld/ü?ä".into(),
            "https://h/p?#".into(),
        ];
        for a in ["", "https://", "http:", ":", "//", "x://y"] {
            for b in ["", "/", "/a/b", "?", "#", "/é", ":/", "://"] {
                for c in ["", "?q=/x", "#/f", "/z"] {
                    urls.push(format!("{a}dev.okta.com{b}{c}"));
                }
            }
        }
        for u in &urls {
            assert_eq!(path(u), before(u), "{u:?}");
        }
    }
}
