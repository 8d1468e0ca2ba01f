//! The words of the `token.*`, `token_storage.*` and `introspection.*` findings, and the
//! `<key>: ` in front of the title of a finding about one token of an `okta-token-storage`
//! value.

use serde_json::Value;

use crate::{
    report::{Command, Finding},
    storage::STORED_UNDER,
    timestamp,
};

const INTROSPECT_DOCS: &str = "https://developer.okta.com/docs/reference/api/oidc/#introspect";

pub(super) fn word(f: &mut Finding) {
    let p = &f.params;
    let w = &mut **f.words.get_or_insert_with(Box::default);
    match &*f.id {
        "token.ssws" => {
            w.title = "Okta API token (SSWS)".into();
            w.detail = format!(
                "{} has the shape of an Okta API token. It acts with the full privileges of the admin who created it, expires after 30 days without use (the window slides with each use), and by default may use 50% of each rate-limit bucket. It is masked here and never stored.",
                p.str("masked")
            );
            w.fix = vec![
                "Send it as \"Authorization: SSWS <token>\" to /api/v1/* endpoints only; OAuth endpoints and resource servers do not accept it.".into(),
                "If it was pasted somewhere shared, revoke it: Admin Console → Security → API → Tokens.".into(),
                "Prefer an OAuth 2.0 service app with scoped okta.* permissions for automation.".into(),
            ];
            w.commands.push(command(
                "Check the token works (prints your admin user)",
                "curl -s \"https://$OKTA_DOMAIN/api/v1/users/me\" -H \"Authorization: SSWS $OKTA_API_TOKEN\" -H 'Accept: application/json'",
            ));
            w.docs_url =
                Some("https://developer.okta.com/docs/guides/create-an-api-token/main/".into());
        }
        "token.opaque" => {
            w.title = "Opaque token (not a JWT)".into();
            w.detail = format!(
                "{} is a single opaque string of {} characters: a refresh token, an authorization code, a session token or an access token from a server that does not use JWTs. It cannot be decoded; only the authorization server that issued it can say what it is and whether it is active.",
                p.str("masked"),
                p.int("length").unwrap_or_default()
            );
            w.fix = vec!["Ask the issuer: POST it to the authorization server's /introspect endpoint with the client's credentials (command below).".into()];
            w.commands.push(command(
                "Introspect the token (set OKTA_ISSUER, CLIENT_ID, CLIENT_SECRET and TOKEN first)",
                "curl -s -X POST \"$OKTA_ISSUER/v1/introspect\" -u \"$CLIENT_ID:$CLIENT_SECRET\" -d \"token=$TOKEN\" -d token_type_hint=refresh_token",
            ));
            w.docs_url = Some(INTROSPECT_DOCS.into());
        }
        "token.refresh_token" => {
            w.title = format!("{}: refresh token present", p.str("key"));
            w.detail = format!(
                "A refresh token ({}) is stored in the browser, so the app can renew its tokens without a new sign-in. It is masked here and never kept.",
                p.str("masked")
            );
        }
        "token_storage.next_step" => next_step(f),
        "introspection.inactive" => {
            w.title = "Token is not active".into();
            w.detail = "Okta says active: false and, by design, nothing else. The token is expired, revoked (sign-out, password change, app unassigned or client deactivated), was issued to a different client than the one introspecting, or comes from a different authorization server than the /introspect endpoint you called.".into();
            w.fix = vec![
                "If you still have the token, decode it: exp tells you whether it simply expired, iss which authorization server's /introspect to call, cid which client must call it.".into(),
                "Introspect with the client that requested the token (its client_id and secret), at {iss}/v1/introspect of the same authorization server.".into(),
            ];
            w.docs_url = Some(INTROSPECT_DOCS.into());
        }
        "introspection.active" => {
            w.title = "Token is active".into();
            let mut detail = "Okta says the token is active".to_string();
            if let Some(c) = p.text("clientId") {
                detail.push_str(&format!(", issued to client {c}"));
            }
            if let Some(u) = p.text("username") {
                detail.push_str(&format!(" for {u}"));
            }
            if let Some(s) = p.text("scope") {
                detail.push_str(&format!(", with scopes {s}"));
            }
            if let (Some(exp), Some(left)) = (p.int("exp"), p.int("expiresIn")) {
                detail.push_str(&format!(
                    ", expiring {} ({})",
                    timestamp::iso8601(exp),
                    from_now(left)
                ));
            }
            detail.push('.');
            w.detail = detail;
        }
        _ => {}
    }
}

/// What okta-auth-js's token manager does next: the stored tokens are current, or the stale
/// ones (`stale`, with `staleIn` seconds left each) are renewed with the refresh token
/// (`refresh`, POSTed to `tokenUrl`) or through the Okta session cookie.
fn next_step(f: &mut Finding) {
    let p = &f.params;
    let w = &mut **f.words.get_or_insert_with(Box::default);
    let keys = p.texts("stale");
    let left: Vec<i64> = p
        .list("staleIn")
        .map(|a| a.iter().filter_map(Value::as_i64).collect())
        .unwrap_or_default();
    let refresh = p.flag("refresh");
    if keys.is_empty() {
        w.title = "Stored tokens are current".into();
        w.detail = format!(
            "No stored token has passed its expiresAt. With autoRenew on (the default), okta-auth-js renews each one shortly before it expires{}.",
            if refresh { " using the refresh token" } else { " through a hidden iframe (/authorize with prompt=none)" }
        );
        return;
    }
    let list = keys
        .iter()
        .zip(left.iter().copied().chain(std::iter::repeat(0)))
        .map(|(k, s)| {
            let verb = if s <= 0 { "expired" } else { "expires" };
            format!("{k} {verb} {}", from_now(s))
        })
        .collect::<Vec<_>>()
        .join("; ");
    if refresh {
        w.title = "Expired tokens will be renewed with the refresh token".into();
        w.detail = format!(
            "{list}. A refresh token is stored, so okta-auth-js's token manager will POST it to {} (grant_type=refresh_token) and replace them without user interaction. If that call fails with invalid_grant, the refresh token itself has expired or was revoked, and the user has to sign in again.",
            p.text("tokenUrl").unwrap_or("the token endpoint")
        );
        w.fix = vec!["If renewal keeps failing, watch the token endpoint's response in the Network tab (or paste it here): invalid_grant means sign in again; invalid_client means the app's client id changed.".into()];
    } else {
        w.title = "No refresh token: renewal depends on the Okta session cookie".into();
        w.detail = format!(
            "{list}. Without a refresh token okta-auth-js renews through a hidden iframe (/authorize with prompt=none), which needs the Okta session cookie. Browsers that block third-party cookies (Safari, Firefox strict mode, Chrome with third-party cookies off) break it when the app and Okta are on different sites, and an ended Okta session fails it with login_required: the user then has to sign in again."
        );
        w.fix = vec![
            "Request the offline_access scope (and enable the Refresh Token grant on the app) so the app gets refresh tokens.".into(),
            "Or serve Okta from a custom domain on the app's own site, so the session cookie is first-party.".into(),
        ];
    }
}

/// Puts the storage key in front of the title of a finding about one stored token (the
/// `jwt.*` findings of an `okta-token-storage` value record it as [`STORED_UNDER`]).
pub(super) fn stored_under(f: &mut Finding) {
    if let Some(key) = f.params.text(STORED_UNDER) {
        f.title = format!("{key}: {}", f.title);
    }
}

/// `in 5 min` / `2 h ago` / `now` for a time `seconds` from when the finding was made.
fn from_now(seconds: i64) -> String {
    timestamp::relative(seconds, 0)
}

fn command(label: &str, command: &str) -> Command {
    Command {
        label: label.into(),
        command: command.into(),
        target: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Severity;

    fn worded(f: Finding) -> Finding {
        let mut f = f;
        crate::explain::finding(&mut f);
        f
    }

    #[test]
    fn next_step_current_without_a_refresh_token_renews_through_the_iframe() {
        let f =
            worded(Finding::fact("token_storage.next_step", Severity::Ok).with("refresh", false));
        assert_eq!(f.title, "Stored tokens are current");
        assert!(f.detail.ends_with(
            "renews each one shortly before it expires through a hidden iframe (/authorize with prompt=none)."
        ));
        let f =
            worded(Finding::fact("token_storage.next_step", Severity::Ok).with("refresh", true));
        assert!(
            f.detail.ends_with("expires using the refresh token."),
            "{}",
            f.detail
        );
        assert!(f.params.is_empty());
    }

    #[test]
    fn next_step_lists_each_stale_token_with_its_tense() {
        let f = worded(
            Finding::fact("token_storage.next_step", Severity::Info)
                .with("stale", vec!["accessToken", "idToken"])
                .with("staleIn", vec![-3600i64, 120])
                .with("refresh", true),
        );
        assert_eq!(
            f.title,
            "Expired tokens will be renewed with the refresh token"
        );
        assert!(
            f.detail
                .starts_with("accessToken expired 1 h ago; idToken expires in 2 min. "),
            "{}",
            f.detail
        );
        // No tokenUrl stored with the refresh token: the endpoint is named generically.
        assert!(f
            .detail
            .contains("will POST it to the token endpoint (grant_type"));
        assert_eq!(f.fix.len(), 1);
        let f = worded(
            Finding::fact("token_storage.next_step", Severity::Info)
                .with("stale", vec!["accessToken"])
                .with("staleIn", vec![0i64])
                .with("refresh", true)
                .with("tokenUrl", "https://dev-1.okta.com/oauth2/v1/token"),
        );
        assert!(
            f.detail.starts_with("accessToken expired now. A refresh token is stored, so okta-auth-js's token manager will POST it to https://dev-1.okta.com/oauth2/v1/token (grant_type=refresh_token)"),
            "{}",
            f.detail
        );
    }

    #[test]
    fn active_introspection_says_only_what_okta_returned() {
        let f = worded(Finding::fact("introspection.active", Severity::Ok));
        assert_eq!(f.detail, "Okta says the token is active.");
        let f = worded(
            Finding::fact("introspection.active", Severity::Ok)
                .with("clientId", "a9")
                .with("username", "ann@example.com")
                .with("scope", "openid profile")
                .with("exp", 100i64)
                .with("expiresIn", 50i64),
        );
        assert_eq!(
            f.detail,
            "Okta says the token is active, issued to client a9 for ann@example.com, with scopes openid profile, expiring 1970-01-01T00:01:40Z (in 50 s)."
        );
    }

    #[test]
    fn a_stored_token_finding_is_titled_with_its_key_once() {
        let mut f = Finding::fact("token.opaque", Severity::Info)
            .with("masked", "NrJB…z0")
            .with("length", 43)
            .with(STORED_UNDER, "refresh");
        crate::explain::finding(&mut f);
        assert_eq!(f.title, "refresh: Opaque token (not a JWT)");
        crate::explain::finding(&mut f);
        assert_eq!(f.title, "refresh: Opaque token (not a JWT)");
    }
}
