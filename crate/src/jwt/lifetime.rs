//! A token's lifetime against the caller's clock (RFC 7519 §4.1.4–4.1.6): expired, expiring
//! soon, not yet valid, issued in the future, with okta-auth-js's 300 s clock-skew leeway
//! (`DEFAULT_MAX_CLOCK_SKEW`).

use super::{clip, Jwt};
use crate::{
    command,
    report::{Finding, Severity},
    shell,
    timestamp::{self, LEEWAY_SECONDS},
};

/// Within this many seconds of `exp` a token is "expiring soon" (DESIGN.md: 5 min).
pub const EXPIRING_SOON_SECONDS: i64 = 300;

/// `exp`, `nbf` and `iat` against `now`, and claims that are not NumericDates.
pub fn findings(jwt: &Jwt, now: i64) -> Vec<Finding> {
    let mut out = Vec::new();
    for name in ["exp", "nbf", "iat"] {
        if let Some(v) = jwt.claim(name) {
            if timestamp::numeric_date(v).is_none() {
                out.push(
                    Finding::new(
                        "jwt.invalid_claim",
                        Severity::Warning,
                        format!("Claim \"{name}\" is not a NumericDate"),
                    )
                    .detail(format!("RFC 7519 requires \"{name}\" to be a number of seconds since 1970-01-01 UTC. Validators reject the token or ignore the claim, depending on the library."))
                    .fix("Fix the code that builds this token to write epoch seconds as a JSON number.")
                    .evidence("claim", name, clip(&v.to_string())),
                );
            }
        }
    }
    let leeway =
        format!("the {LEEWAY_SECONDS} s clock-skew leeway okta-auth-js and most validators allow");
    match jwt.time("exp") {
        Some(exp) if exp <= now => out.push(expired(jwt, exp, now)),
        Some(exp) if exp.saturating_sub(now) <= EXPIRING_SOON_SECONDS => out.push(
            Finding::new(
                "jwt.expiring_soon",
                Severity::Warning,
                format!("Token expires {}", timestamp::relative(exp, now)),
            )
            .detail(format!(
                "exp is {} ({exp}); it is now {}. Requests that start later than that will get 401 invalid_token.",
                timestamp::iso8601(exp),
                timestamp::iso8601(now)
            ))
            .fix("Renew before expiry: okta-auth-js renews automatically when tokenManager.autoRenew is on (the default); server-side clients should refresh when less than a minute or two is left.")
            .evidence("claim", "exp", exp.to_string()),
        ),
        Some(_) => {}
        None if jwt.claim("exp").is_none() => out.push(
            Finding::new("jwt.no_expiry", Severity::Warning, "Token has no expiry (exp)")
                .detail("Without exp the token never expires by itself. Okta always sets exp on the tokens it issues, so this token was not minted by an Okta authorization server, or was altered.")
                .fix("Treat tokens without exp as suspect; require exp in your validator.")
        ),
        None => {}
    }
    if let Some(nbf) = jwt.time("nbf") {
        if nbf > now.saturating_add(LEEWAY_SECONDS) {
            out.push(
                clock_finding(jwt, "jwt.not_yet_valid", Severity::Error, format!("Token not valid until {}", timestamp::iso8601(nbf)))
                    .detail(format!(
                        "nbf (not before) is {} ({nbf}), {} from now — beyond {leeway}. Either the token was issued for later use or one of the clocks (this machine, the issuer, or the API validating it) is wrong.",
                        timestamp::iso8601(nbf),
                        timestamp::human(nbf.saturating_sub(now))
                    ))
                    .evidence("claim", "nbf", nbf.to_string()),
            );
        }
    }
    if let Some(iat) = jwt.time("iat") {
        if iat > now.saturating_add(LEEWAY_SECONDS) {
            out.push(
                clock_finding(jwt, "jwt.issued_in_future", Severity::Warning, format!("Token issued {} in the future", timestamp::human(iat.saturating_sub(now))))
                    .detail(format!(
                        "iat (issued at) is {} ({iat}) but this machine's clock says {} — a difference beyond {leeway}. The clock of this machine (or of the issuer) is wrong; okta-auth-js rejects such tokens with \"The JWT was issued in the future\".",
                        timestamp::iso8601(iat),
                        timestamp::iso8601(now)
                    ))
                    .evidence("claim", "iat", iat.to_string()),
            );
        }
    }
    out
}

fn expired(jwt: &Jwt, exp: i64, now: i64) -> Finding {
    let mut f = Finding::new(
        "jwt.expired",
        Severity::Error,
        format!("Token expired {}", timestamp::relative(exp, now)),
    )
    .detail(format!(
        "exp is {} ({exp}); it is now {}. Okta and every resource server reject it: /userinfo and APIs answer 401 with error=\"invalid_token\", the management API with E0000011.",
        timestamp::iso8601(exp),
        timestamp::iso8601(now)
    ))
    .fix("Get a fresh token: sign in again, or exchange a refresh token at the token endpoint (command below; needs the offline_access scope when the token was first requested).")
    .fix("If the app keeps sending expired tokens, its renewal is broken: with okta-auth-js, check tokenManager.autoRenew and listen for the \"expired\" and \"error\" events.")
    .fix("If the token looks freshly issued, compare this machine's clock with a time server.")
    .docs("https://developer.okta.com/docs/guides/refresh-tokens/main/")
    .evidence("claim", "exp", exp.to_string());
    if let Some(iss) = jwt.issuer() {
        let client = jwt
            .claim_str("cid")
            .or_else(|| jwt.claim_str("aud"))
            .filter(|c| shell::printable(c))
            .map(shell::quote)
            .unwrap_or_else(|| "\"$CLIENT_ID\"".to_string());
        f.commands.push(command::sent_to(
            Some(command::Target::issuer(&iss)),
            "Exchange a refresh token for a new access token",
            format!(
                "curl -g -s -X POST \"{}{}\" -H 'Accept: application/json' -d grant_type=refresh_token -d \"refresh_token=$REFRESH_TOKEN\" -d client_id={client}",
                command::ISSUER,
                iss.endpoint_path("token")
            ),
        ));
    }
    f
}

fn clock_finding(jwt: &Jwt, id: &str, severity: Severity, title: String) -> Finding {
    let mut f = Finding::new(id, severity, title)
        .fix("Compare this machine's clock with a time server and turn on network time sync (timedatectl set-ntp true on Linux; Settings → Date & Time on macOS and Windows).")
        .fix("Compare the issuer's clock: the Date header of any Okta response is authoritative.")
        .command("Check this machine's clock and NTP sync", "timedatectl status; date -u");
    if let Some(iss) = jwt.issuer() {
        f.commands.push(command::sent_to(
            Some(command::Target::issuer(&iss)),
            "Read the issuer's clock",
            format!(
                "curl -g -sI \"{}{}\" | grep -i '^date:'",
                command::ISSUER,
                crate::issuer::DISCOVERY
            ),
        ));
    }
    f
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
            .map(|f| f.id)
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
