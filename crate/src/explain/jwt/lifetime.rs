//! The words of a token's lifetime findings: `jwt.invalid_claim`, `jwt.expiring_soon`,
//! `jwt.no_expiry`, `jwt.expired`, `jwt.not_yet_valid`, `jwt.issued_in_future`. Each is judged
//! at a moment (`crate::moment`): now for pasted input; for a live exchange or a recording, the
//! request ("3 min before the request", a recording's date named: "(recorded 2026-11-27)"),
//! so words shown later never measure from a moment that has moved on.

use super::{issuer, to_issuer};
use crate::{
    command,
    moment::recorded_phrase,
    params::Params,
    report::{Command, Finding},
    shell,
    timestamp::{self, LEEWAY_SECONDS},
};

/// The moment a lifetime is judged at, as the words say it: now, or the request.
struct At {
    /// Judged at the request (a live exchange or a recording), not now.
    request: bool,
    /// "at the request (recorded 2026-11-27)", for a recording.
    recorded: Option<String>,
}

impl At {
    fn of(p: &Params) -> At {
        At {
            request: matches!(p.text("moment"), Some("live" | "request")),
            recorded: recorded_phrase(p),
        }
    }

    /// "3 days ago" / "in 4 min" now; "3 days before the request" / "4 min after the request"
    /// in a recording.
    fn relative(&self, epoch: i64, now: i64) -> String {
        match self.request {
            false => timestamp::relative(epoch, now),
            true => {
                let d = epoch.saturating_sub(now);
                match d {
                    0 => "at the request".to_string(),
                    d if d > 0 => format!("{} after the request", timestamp::human(d)),
                    d => format!("{} before the request", timestamp::human(d)),
                }
            }
        }
    }

    /// "it is now 2026-12-06T08:00:00Z" / "the request was made at … (recorded 2026-11-27)".
    fn clause(&self, now: i64) -> String {
        match &self.recorded {
            None if !self.request => format!("it is now {}", timestamp::iso8601(now)),
            None => format!("the request was made at {}", timestamp::iso8601(now)),
            Some(at) => format!(
                "the request was made at {} — these times are {at}, not now",
                timestamp::iso8601(now)
            ),
        }
    }

    /// " (recorded 2026-11-27)" after a title, for a recording.
    fn title_suffix(&self) -> String {
        self.recorded
            .as_deref()
            .and_then(|at| at.find('(').and_then(|i| at.get(i..)))
            .map(|r| format!(" {r}"))
            .unwrap_or_default()
    }
}

/// Words `f` when it is a lifetime finding; false for any other id.
pub(super) fn word(f: &mut Finding) -> bool {
    let p = &f.params;
    let w = &mut **f.words.get_or_insert_with(Box::default);
    let now = p.int("now").unwrap_or_default();
    let at = At::of(p);
    match &*f.id {
        "jwt.invalid_claim" => {
            let name = p.str("claim");
            w.title = format!("Claim \"{name}\" is not a NumericDate");
            w.detail = format!("RFC 7519 requires \"{name}\" to be a number of seconds since 1970-01-01 UTC. Validators reject the token or ignore the claim, depending on the library.");
            w.fix = vec![
                "Fix the code that builds this token to write epoch seconds as a JSON number."
                    .into(),
            ];
        }
        "jwt.expiring_soon" => {
            let exp = p.int("exp").unwrap_or_default();
            w.title = match at.request {
                false => format!("Token expires {}", timestamp::relative(exp, now)),
                true => format!(
                    "Token was expiring: exp {}{}",
                    at.relative(exp, now),
                    at.title_suffix()
                ),
            };
            w.detail = format!(
                "exp is {} ({exp}); {}. Requests that start later than that will get 401 invalid_token.",
                timestamp::iso8601(exp),
                at.clause(now)
            );
            w.fix = vec!["Renew before expiry: okta-auth-js renews automatically when tokenManager.autoRenew is on (the default); server-side clients should refresh when less than a minute or two is left.".into()];
        }
        "jwt.no_expiry" => {
            w.title = "Token has no expiry (exp)".into();
            w.detail = "Without exp the token never expires by itself. Okta always sets exp on the tokens it issues, so this token was not minted by an Okta authorization server, or was altered.".into();
            w.fix =
                vec!["Treat tokens without exp as suspect; require exp in your validator.".into()];
        }
        "jwt.expired" => expired(f, now, &at),
        "jwt.not_yet_valid" => {
            let nbf = p.int("nbf").unwrap_or_default();
            w.title = format!("Token not valid until {}", timestamp::iso8601(nbf));
            w.detail = format!(
                "nbf (not before) is {} ({nbf}), {} {} — beyond {}. Either the token was issued for later use or one of the clocks (this machine, the issuer, or the API validating it) is wrong.",
                timestamp::iso8601(nbf),
                timestamp::human(nbf.saturating_sub(now)),
                if at.request { "after the request" } else { "from now" },
                leeway()
            );
            clock(f);
        }
        "jwt.issued_in_future" => {
            let iat = p.int("iat").unwrap_or_default();
            w.title = format!(
                "Token issued {} in the future{}",
                timestamp::human(iat.saturating_sub(now)),
                at.title_suffix()
            );
            let whose = match (&at.recorded, at.request) {
                (None, false) => "this machine's clock says",
                (None, true) => "the browser saw the request at",
                (Some(_), _) => "the request was recorded at",
            };
            w.detail = format!(
                "iat (issued at) is {} ({iat}) but {whose} {} — a difference beyond {}. The clock of this machine (or of the issuer) is wrong; okta-auth-js rejects such tokens with \"The JWT was issued in the future\".",
                timestamp::iso8601(iat),
                timestamp::iso8601(now),
                leeway()
            );
            clock(f);
        }
        _ => return false,
    }
    by_okta_clock(f);
    true
}

/// The session's one clock (crate/src/session/clock.rs): when the skew estimated from Okta's
/// `Date` headers changed the answer, says which clock judged it and by how much the clocks
/// differ ("by Okta's clock … ; this computer's clock is 2 min behind").
fn by_okta_clock(f: &mut Finding) {
    let p = &f.params;
    let w = &mut **f.words.get_or_insert_with(Box::default);
    let Some(skew) = p.int("skew") else {
        return;
    };
    let n = p.int("skewResponses").unwrap_or(1);
    let side = if skew > 0 { "behind" } else { "ahead of" };
    let by = timestamp::human(skew);
    // A recording: the clock that differed was the recording browser's, then.
    let (whose, is) = match p.text("moment") {
        Some("request") => ("the recording browser's clock", "was"),
        _ => ("this computer's clock", "is"),
    };
    let yours = format!(
        "{whose} {is} {by} {side} Okta's (the median of the Date headers of {n} Okta response{} in this session)",
        if n == 1 { "" } else { "s" }
    );
    let sync = format!("Sync the clock of the computer that made the requests with a time server (timedatectl set-ntp true on Linux; set date and time automatically on macOS and Windows): {whose} {is} {by} {side} Okta's.");
    if p.flag("byOktaClock") {
        let local = p.int("localNow").unwrap_or_default();
        w.title = format!("{} by Okta's clock; {whose} {is} {by} {side}", w.title);
        w.detail = format!(
            "{} Judged by Okta's clock: {yours}. By {whose} the request was at {}, and the answer would differ; Okta checks the token with its own clock, so this is the answer requests to Okta get.",
            w.detail,
            timestamp::iso8601(local)
        );
        w.fix.insert(0, sync);
    } else if p.flag("onlyThisClock") {
        let okta = p.int("oktaNow").unwrap_or_default();
        w.title = format!("{} by {whose} only", w.title);
        w.detail = format!(
            "{} By Okta's clock it was {} then, and the answer differs: {yours}. Okta accepts or rejects the token by its own clock; an SDK that checks with {whose} (okta-auth-js) still acts on this answer.",
            w.detail,
            timestamp::iso8601(okta)
        );
        w.fix.insert(0, sync);
    }
}

fn leeway() -> String {
    format!("the {LEEWAY_SECONDS} s clock-skew leeway okta-auth-js and most validators allow")
}

/// `exp`, `now`; `issuer` and `client` (`cid`, else `aud`) for the refresh command.
fn expired(f: &mut Finding, now: i64, at: &At) {
    let exp = f.params.int("exp").unwrap_or_default();
    f.title = match at.request {
        false => format!("Token expired {}", timestamp::relative(exp, now)),
        true => format!(
            "Token had expired {}{}",
            at.relative(exp, now),
            at.title_suffix()
        ),
    };
    f.detail = format!(
        "exp is {} ({exp}); {}. Okta and every resource server reject it: /userinfo and APIs answer 401 with error=\"invalid_token\", the management API with E0000011.",
        timestamp::iso8601(exp),
        at.clause(now)
    );
    f.fix = vec![
        "Get a fresh token: sign in again, or exchange a refresh token at the token endpoint (command below; needs the offline_access scope when the token was first requested).".into(),
        "If the app keeps sending expired tokens, its renewal is broken: with okta-auth-js, check tokenManager.autoRenew and listen for the \"expired\" and \"error\" events.".into(),
        "If the token looks freshly issued, compare this machine's clock with a time server.".into(),
    ];
    f.docs_url = Some("https://developer.okta.com/docs/guides/refresh-tokens/main/".into());
    if let Some(iss) = issuer(f) {
        let client = f
            .params
            .text("client")
            .filter(|c| shell::printable(c))
            .map(shell::quote)
            .unwrap_or_else(|| "\"$CLIENT_ID\"".to_string());
        f.commands.push(to_issuer(
            &iss,
            "Exchange a refresh token for a new access token",
            format!(
                "curl -g -s -X POST \"{}{}\" -H 'Accept: application/json' -d grant_type=refresh_token -d \"refresh_token=$REFRESH_TOKEN\" -d client_id={client}",
                command::ISSUER,
                iss.endpoint_path("token")
            ),
        ));
    }
}

/// What a clock finding (`jwt.not_yet_valid`, `jwt.issued_in_future`) says to do: compare
/// the clocks, this machine's and the issuer's (`issuer`).
fn clock(f: &mut Finding) {
    f.fix = vec![
        "Compare this machine's clock with a time server and turn on network time sync (timedatectl set-ntp true on Linux; Settings → Date & Time on macOS and Windows).".into(),
        "Compare the issuer's clock: the Date header of any Okta response is authoritative.".into(),
    ];
    f.commands.push(Command {
        label: "Check this machine's clock and NTP sync".into(),
        command: "timedatectl status; date -u".into(),
        target: None,
    });
    if let Some(iss) = issuer(f) {
        f.commands.push(to_issuer(
            &iss,
            "Read the issuer's clock",
            format!(
                "curl -g -sI \"{}{}\" | grep -i '^date:'",
                command::ISSUER,
                crate::issuer::DISCOVERY
            ),
        ));
    }
}
