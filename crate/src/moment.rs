//! The moment a time-dependent answer is judged at (issue 15, "right about time"), decided
//! once per input and recorded in the findings it shapes, so their words can say which.
//!
//! - Pasted text (a `curl -si` transcript, a raw response, a pasted exchange object, a token):
//!   the caller's now. A rate-limit window that ended before now has passed: nothing to wait for.
//! - A live response the browser saw: the moment it saw it. Countdowns from there run in the
//!   view the popup's gauge reads, never in words.
//! - A recorded response (a HAR): its request's `startedDateTime`. Waits and token ages are as of
//!   the request, and the words name the recording's date — never measured from today.

use crate::{
    report::{
        token::{AsOf, Times},
        Finding, Token,
    },
    timestamp,
};

/// Which moment, and when it is (epoch seconds).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Moment {
    /// The caller's now (pasted input).
    Now(i64),
    /// When the browser saw a live response.
    Live(i64),
    /// The request's time in a recording (HAR `startedDateTime`).
    Recorded(i64),
    #[default]
    Unknown,
}

/// The findings whose words depend on the moment (beyond the rate-limit ones, which record it
/// with their reading): a token's lifetime judged at it.
pub const TOKEN_LIFETIME: [&str; 4] = [
    "jwt.expired",
    "jwt.expiring_soon",
    "jwt.not_yet_valid",
    "jwt.issued_in_future",
];

impl Moment {
    pub fn epoch(self) -> Option<i64> {
        match self {
            Moment::Now(t) | Moment::Live(t) | Moment::Recorded(t) => Some(t),
            Moment::Unknown => None,
        }
    }

    /// The caller's now, when answers are judged at it (pasted input).
    pub fn now(self) -> Option<i64> {
        match self {
            Moment::Now(t) => Some(t),
            _ => None,
        }
    }

    /// The parameter's value: `now`, `live`, `request`.
    pub fn name(self) -> Option<&'static str> {
        match self {
            Moment::Now(_) => Some("now"),
            Moment::Live(_) => Some("live"),
            Moment::Recorded(_) => Some("request"),
            Moment::Unknown => None,
        }
    }

    /// Records the moment on a finding: `moment` (its name) and `momentAt` (epoch seconds).
    pub fn record(self, mut f: Finding) -> Finding {
        self.record_in(&mut f.params);
        f
    }

    /// [`Moment::record`] on a finding's params, in place.
    pub fn record_in(self, p: &mut crate::params::Params) {
        // The name is the core's own word: kept borrowed (params::Word).
        if let Some(name) = self.name() {
            p.set("moment", crate::params::Word(name));
        }
        p.set("momentAt", self.epoch());
    }

    /// Records the moment on the findings judged at it (a token's lifetime); the rate-limit
    /// findings record it themselves.
    pub fn stamp(self, findings: &mut [Finding]) {
        for f in findings
            .iter_mut()
            .filter(|f| TOKEN_LIFETIME.contains(&&*f.id))
        {
            if let Some(name) = self.name() {
                f.params.set("moment", crate::params::Word(name));
            }
            f.params.set("momentAt", self.epoch());
        }
    }
}

impl Moment {
    /// A recording's token view is measured from its request: says so (`times.asOf`, with
    /// the recording's date) and words each time from the request ("1 h before the request"),
    /// so the UI neither labels the request "now" nor counts on from it.
    pub fn date_token(self, token: Option<&mut Token>) {
        let (Moment::Recorded(t), Some(Token::Jwt(jwt))) = (self, token) else {
            return;
        };
        date_times(&mut jwt.times, t);
    }
}

fn date_times(times: &mut Times, request: i64) {
    let Times {
        exp,
        nbf,
        iat,
        auth_time,
        as_of,
    } = times;
    for time in [exp, nbf, iat, auth_time].into_iter().flatten() {
        let d = time.relative_seconds;
        time.relative_text = Some(match d {
            0 => "at the request".to_string(),
            d if d > 0 => format!("{} after the request", timestamp::human(d)),
            d => format!("{} before the request", timestamp::human(d)),
        });
    }
    let iso = timestamp::iso8601(request);
    let date = iso.get(..10).unwrap_or_default();
    *as_of = Some(AsOf {
        epoch: request,
        label: format!("the request (recorded {date})"),
        iso,
    });
}

/// The recording's date ("2026-11-27") when a finding's `moment`/`momentAt` say it was judged
/// at a recording's request; `None` for pasted and live input.
pub fn recorded_on(params: &crate::params::Params) -> Option<String> {
    (params.text("moment") == Some("request")).then(|| {
        params
            .int("momentAt")
            .map(timestamp::iso8601)
            .and_then(|iso| iso.get(..10).map(str::to_string))
            .unwrap_or_default()
    })
}

/// What the words say about such a moment: "at the request (recorded 2026-11-27)".
pub fn recorded_phrase(params: &crate::params::Params) -> Option<String> {
    recorded_on(params).map(|date| format!("at the request (recorded {date})"))
}

/// "59 min" for a span of 3562 s: whole minutes from a minute on (a pasted capture's age is
/// not known to the second).
pub fn ago(seconds: i64) -> String {
    let s = seconds.max(0);
    timestamp::human(if s >= 60 { s - s % 60 } else { s })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Severity;

    #[test]
    fn the_moment_is_recorded_and_worded() {
        let cases = [
            (Moment::Now(10), Some("now"), None),
            (Moment::Live(10), Some("live"), None),
            (
                Moment::Recorded(1_795_773_602),
                Some("request"),
                Some("at the request (recorded 2026-11-27)"),
            ),
            (Moment::Unknown, None, None),
        ];
        for (m, name, phrase) in cases {
            let f = m.record(Finding::fact("rate_limit.exceeded", Severity::Error));
            assert_eq!(f.params.text("moment"), name, "{m:?}");
            assert_eq!(f.params.int("momentAt"), m.epoch(), "{m:?}");
            assert_eq!(recorded_phrase(&f.params).as_deref(), phrase, "{m:?}");
        }
    }

    #[test]
    fn only_lifetime_findings_are_stamped() {
        let mut fs = vec![
            Finding::fact("jwt.expired", Severity::Error),
            Finding::fact("jwt.okta_access_token", Severity::Info),
        ];
        Moment::Recorded(5).stamp(&mut fs);
        assert_eq!(fs[0].params.text("moment"), Some("request"));
        assert_eq!(fs[1].params.text("moment"), None);
    }

    #[test]
    fn a_recorded_token_view_is_measured_from_its_request() {
        let mut times = Times {
            iat: Some(crate::report::token::Time::at(100, 3700)),
            exp: Some(crate::report::token::Time::at(3800, 3700)),
            ..Times::default()
        };
        date_times(&mut times, 1_793_957_405);
        assert_eq!(
            times.iat.and_then(|t| t.relative_text).as_deref(),
            Some("1 h before the request")
        );
        assert_eq!(
            times.exp.and_then(|t| t.relative_text).as_deref(),
            Some("1 min 40 s after the request")
        );
        assert_eq!(
            times.as_of.map(|a| a.label).as_deref(),
            Some("the request (recorded 2026-11-06)")
        );
    }

    #[test]
    fn ages_in_whole_minutes() {
        assert_eq!(ago(3562), "59 min");
        assert_eq!(ago(42), "42 s");
        assert_eq!(ago(-5), "0 s");
        assert_eq!(ago(7200 + 59), "2 h");
    }
}
