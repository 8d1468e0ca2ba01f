//! A token's lifetime against the caller's clock (RFC 7519 §4.1.4–4.1.6): expired, expiring
//! soon, not yet valid, issued in the future, with okta-auth-js's 300 s clock-skew leeway
//! (`DEFAULT_MAX_CLOCK_SKEW`).

use super::{clip, Jwt};
use crate::{
    report::{token::name, Finding, Severity},
    timestamp::{self, LEEWAY_SECONDS},
};

/// Within this many seconds of `exp` a token is "expiring soon" (DESIGN.md: 5 min).
pub const EXPIRING_SOON_SECONDS: i64 = 300;

/// `exp`, `nbf` and `iat` against `now`, and claims that are not NumericDates. Each time
/// finding records the claim's value and `now`; the ones whose fix is a request to the issuer
/// (a refresh, a look at its clock) record the issuer too.
pub fn findings(jwt: &Jwt, now: i64) -> Vec<Finding> {
    let mut out = Vec::new();
    push_findings(jwt, now, &mut out);
    out
}

/// [`findings`] pushed onto `out` (the analysis's one vector).
pub(crate) fn push_findings(jwt: &Jwt, now: i64, out: &mut Vec<Finding>) {
    for (claim, known) in [("exp", name::EXP), ("nbf", name::NBF), ("iat", name::IAT)] {
        if let Some(v) = jwt.known(known) {
            if timestamp::numeric_date(v).is_none() {
                out.push(
                    Finding::fact("jwt.invalid_claim", Severity::Warning)
                        .with("claim", claim)
                        .evidence("claim", claim, clip(&v.to_string())),
                );
            }
        }
    }
    match jwt.time(name::EXP) {
        Some(exp) if exp <= now => out.push(expired(jwt, exp, now)),
        Some(exp) if exp.saturating_sub(now) <= EXPIRING_SOON_SECONDS => out.push(
            Finding::fact("jwt.expiring_soon", Severity::Warning)
                .with("exp", exp)
                .with("now", now)
                .evidence("claim", "exp", exp.to_string()),
        ),
        Some(_) => {}
        None if jwt.known(name::EXP).is_none() => {
            out.push(Finding::fact("jwt.no_expiry", Severity::Warning))
        }
        None => {}
    }
    if let Some(nbf) = jwt.time(name::NBF) {
        if nbf > now.saturating_add(LEEWAY_SECONDS) {
            out.push(
                clock_finding(jwt, "jwt.not_yet_valid", Severity::Error, now)
                    .with("nbf", nbf)
                    .evidence("claim", "nbf", nbf.to_string()),
            );
        }
    }
    if let Some(iat) = jwt.time(name::IAT) {
        if iat > now.saturating_add(LEEWAY_SECONDS) {
            out.push(
                clock_finding(jwt, "jwt.issued_in_future", Severity::Warning, now)
                    .with("iat", iat)
                    .evidence("claim", "iat", iat.to_string()),
            );
        }
    }
}

/// `jwt.expired`, with the issuer and the client (`cid`, else `aud`) a refresh would use.
fn expired(jwt: &Jwt, exp: i64, now: i64) -> Finding {
    let mut f = Finding::fact("jwt.expired", Severity::Error)
        .with("exp", exp)
        .with("now", now)
        .evidence("claim", "exp", exp.to_string());
    if let Some(iss) = jwt.issuer() {
        let client = jwt
            .known_str(name::CID)
            .or_else(|| jwt.known_str(name::AUD));
        f = f.with("issuer", iss.url).with("client", client);
    }
    f
}

fn clock_finding(jwt: &Jwt, id: &'static str, severity: Severity, now: i64) -> Finding {
    Finding::fact(id, severity)
        .with("now", now)
        .with("issuer", jwt.issuer().map(|i| i.url))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jwt::decode;
    use crate::jwt::testing::{token, NOW};
    use serde_json::{json, Value};

    fn ids(jwt: &Jwt) -> Vec<String> {
        // Tokens here have no iss: leave the Okta classification (jwt.not_okta) out.
        crate::jwt::findings(jwt, NOW)
            .into_iter()
            .map(|f| f.id.into_owned())
            .filter(|id| id != "jwt.not_okta")
            .collect()
    }

    #[test]
    fn time_checks_table() {
        let cases: &[(Value, &[&str])] = &[
            (
                json!({"exp": NOW - 10}),
                &["jwt.expired", "jwt.signature_not_checked"],
            ),
            (
                json!({"exp": NOW}),
                &["jwt.expired", "jwt.signature_not_checked"],
            ),
            (
                json!({"exp": NOW + 300}),
                &["jwt.expiring_soon", "jwt.signature_not_checked"],
            ),
            (json!({"exp": NOW + 301}), &["jwt.signature_not_checked"]),
            (
                json!({"exp": NOW + 3600, "nbf": NOW + 300}),
                &["jwt.signature_not_checked"],
            ),
            (
                json!({"exp": NOW + 3600, "nbf": NOW + 301}),
                &["jwt.not_yet_valid", "jwt.signature_not_checked"],
            ),
            (
                json!({"exp": NOW + 3600, "iat": NOW + 301}),
                &["jwt.issued_in_future", "jwt.signature_not_checked"],
            ),
            (
                json!({"exp": "tomorrow"}),
                &["jwt.invalid_claim", "jwt.signature_not_checked"],
            ),
            (json!({}), &["jwt.no_expiry", "jwt.signature_not_checked"]),
        ];
        for (claims, want) in cases {
            let jwt = decode(&token(json!({"alg": "RS256"}), claims.clone()), None);
            assert_eq!(ids(&jwt), *want, "{claims}");
        }
    }

    #[test]
    fn expired_title_and_refresh_command() {
        let claims = json!({"exp": NOW - 3 * 86_400, "iss": "https://dev-1.okta.com/oauth2/default", "cid": "0oa1"});
        let jwt = decode(&token(json!({"alg": "RS256"}), claims), None);
        let mut f = crate::jwt::findings(&jwt, NOW);
        f.iter_mut().for_each(crate::explain::finding);
        crate::command::settle_findings(&mut f, &crate::Trusted::default());
        let expired = f.iter().find(|f| f.id == "jwt.expired");
        assert_eq!(
            expired.map(|f| f.title.as_str()),
            Some("Token expired 3 days ago")
        );
        let cmd = expired
            .and_then(|f| f.commands.first())
            .map(|c| c.command.clone())
            .unwrap_or_default();
        assert!(
            cmd.contains("https://dev-1.okta.com/oauth2/default/v1/token"),
            "{cmd}"
        );
        assert!(cmd.contains("client_id=0oa1"), "{cmd}");
    }
}
