//! The URLs found plainly clean ([`url::is_plainly_clean`], ~2,000 instructions each) while one
//! report is built and sealed: a report holds its request URL several times (the request,
//! parameters, the rate-limit view), and such a URL needs no redaction and holds no secret, so
//! checking it again changes nothing. The live fold checks each distinct URL once.

use super::{report_url, url};

#[derive(Debug, Default)]
pub struct Clean(Vec<String>);

impl Clean {
    /// Whether `u` was found plainly clean.
    pub fn knows(&self, u: &str) -> bool {
        self.0.iter().any(|k| k == u)
    }

    /// [`report_url`] of `u`, which is `u` itself when it was found plainly clean.
    pub fn report_url(&self, u: &str) -> String {
        match self.knows(u) {
            true => u.to_string(),
            false => report_url(u),
        }
    }

    /// [`report_url`] of `u`, noting `u` when it is plainly clean (what the analysis calls for
    /// the request URL it reports).
    pub fn checked_report_url(&mut self, u: &str) -> String {
        match self.check(u) {
            true => u.to_string(),
            false => report_url(u),
        }
    }

    /// [`url::is_plainly_clean`], asked once per distinct URL.
    pub(super) fn check(&mut self, u: &str) -> bool {
        if self.knows(u) {
            return true;
        }
        let clean = url::is_plainly_clean(u);
        if clean {
            self.0.push(u.to_string());
        }
        clean
    }
}
