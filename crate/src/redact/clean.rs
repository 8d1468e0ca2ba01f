//! The URLs found plainly clean ([`url::is_plainly_clean`], ~2,000 instructions each) while one
//! report is built and sealed: a report holds its request URL several times (the request,
//! parameters, the rate-limit view), and such a URL needs no redaction and holds no secret, so
//! checking it again changes nothing. The live fold checks each distinct URL once, and the
//! live tabs remember the last [`MAX_KNOWN`] across exchanges.

use super::{report_url, url};

#[derive(Debug, Default)]
pub struct Clean(Vec<String>);

/// The most URLs one `Clean` remembers (the live tabs keep one across folds): past it the
/// oldest is forgotten, and checked again if it comes back.
const MAX_KNOWN: usize = 32;

impl Clean {
    /// Whether `u` was found plainly clean (compared a word at a time: `params::same`).
    pub fn knows(&self, u: &str) -> bool {
        self.0.iter().any(|k| crate::params::same(k, u))
    }

    /// [`report_url`] of `u`, which is `u` itself when it was found plainly clean.
    pub fn report_url(&self, u: &str) -> String {
        match self.knows(u) {
            true => u.to_string(),
            false => report_url(u),
        }
    }

    /// [`Clean::report_url`] written into `out` (its room reused when `u` is known clean).
    pub fn report_url_into(&self, u: &str, out: &mut String) {
        match self.knows(u) {
            true => u.clone_into(out),
            false => *out = report_url(u),
        }
    }

    /// [`report_url`] of `u`, noting `u` when it is plainly clean (what the analysis calls for
    /// the request URL it reports, moved out of its reading): `u` itself when clean.
    pub fn checked_report_url(&mut self, u: String) -> String {
        match self.check(&u) {
            true => u,
            false => report_url(&u),
        }
    }

    /// [`url::is_plainly_clean`], asked once per distinct URL.
    pub(super) fn check(&mut self, u: &str) -> bool {
        if self.knows(u) {
            return true;
        }
        let clean = url::is_plainly_clean(u);
        if clean {
            if self.0.len() >= MAX_KNOWN {
                self.0.remove(0);
            }
            self.0.push(u.to_string());
        }
        clean
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Kept across a tab's folds, it stays bounded: the oldest URL is forgotten first, and a
    /// URL that is not plainly clean is never remembered.
    #[test]
    fn remembers_the_last_plainly_clean_urls_only() {
        let mut clean = Clean::default();
        let urls: Vec<String> = (0..40)
            .map(|i| format!("https://dev-1.okta.com/api/v1/users/{i}"))
            .collect();
        for u in &urls {
            assert!(clean.check(u));
        }
        assert_eq!(clean.0.len(), MAX_KNOWN);
        assert!(!clean.knows(&urls[7]) && clean.knows(&urls[8]) && clean.knows(&urls[39]));
        let secret = "https://dev-1.okta.com/cb?code=abc&state=xyz";
        assert!(!clean.check(secret) && !clean.knows(secret));
    }

    /// `knows` (a word at a time) answers what `==` answered: each remembered URL, each with a
    /// byte changed at every place, cut, or longer.
    #[test]
    fn knows_by_words_is_knows_by_eq() {
        let mut clean = Clean::default();
        let urls: Vec<String> = (0..40)
            .map(|i| format!("https://dev-1.okta.com/api/v1/users/{i}?limit=200"))
            .collect();
        urls.iter().for_each(|u| assert!(clean.check(u)));
        let (mut known, mut unknown) = (0, 0);
        for u in &urls {
            let mut probes = vec![u.clone(), format!("{u}x"), u[..u.len() - 1].to_string()];
            for at in 0..u.len() {
                let mut b = u.clone().into_bytes();
                b[at] ^= 1;
                probes.push(String::from_utf8(b).unwrap());
            }
            for p in &probes {
                let before = clean.0.iter().any(|k| k == p);
                assert_eq!(clean.knows(p), before, "{p}");
                if before {
                    known += 1
                } else {
                    unknown += 1
                }
            }
        }
        assert!(known >= MAX_KNOWN && unknown > 1_000, "{known} {unknown}");
    }
}
