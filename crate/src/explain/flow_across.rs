//! The words of the `flow.*` findings read across requests (crate/src/flow/fold.rs records
//! them). Okta's facts: flows.md §3 (PKCE: S256 only, codes single-use for 300 s, the `/token`
//! errors), §4 (state), §5 (silent renew, `login_required`, third-party cookies), §6 (refresh
//! token rotation: grace 30 s by default, 0–60; reuse detection revokes), §10 (authorization
//! servers, custom domains). Each names the values to fix and where in the Admin Console.

use crate::report::Finding;

const PKCE_DOCS: &str =
    "https://developer.okta.com/docs/guides/implement-grant-type/authcodepkce/main/";
const RT_DOCS: &str = "https://developer.okta.com/docs/guides/refresh-tokens/main/";
const AS_DOCS: &str = "https://developer.okta.com/docs/concepts/auth-servers/";
const DOMAIN_DOCS: &str = "https://developer.okta.com/docs/guides/custom-url-domain/main/";
const COOKIE_DOCS: &str = "https://developer.okta.com/blog/2024/02/29/third-party-cookies";

/// `the app with client id 0oa…` or `the app`.
fn app(client: Option<&str>) -> String {
    client.map_or_else(
        || "the app".to_string(),
        |c| format!("the app with client id {c}"),
    )
}

fn status(p: &crate::params::Params) -> String {
    p.int("status")
        .map(|s| format!(" (Okta answered {s})"))
        .unwrap_or_default()
}

pub(super) fn word(f: &mut Finding) {
    let p = &f.params;
    let w = &mut **f.words.get_or_insert_with(Box::default);
    let client = p.text("clientId");
    let app = app(client);
    let (title, detail, fix, docs): (String, String, Vec<String>, &str) = match &*f.id {
        "flow.pkce_mismatch" => (
            "PKCE verifier doesn't match the challenge of its /authorize".into(),
            format!(
                "The /token request{} sent a code_verifier whose S256 challenge is {}, but the /authorize that issued the code sent code_challenge {}. Okta compares base64url(SHA-256(code_verifier)) with the challenge and answers invalid_grant \"PKCE verification failed.\". The app lost or overwrote the verifier between the two requests: another sign-in started in between, the callback landed in another tab or origin (the verifier is kept in sessionStorage), or it generated a new verifier.",
                status(p),
                p.str("verifierChallenge"),
                p.str("challenge"),
            ),
            vec![
                format!("Send the code_verifier saved by the /authorize of {app}: its S256 challenge must be {}.", p.str("challenge")),
                "Start one sign-in at a time, and handle the callback in the tab and origin that started it (okta-auth-js keeps the transaction in okta-transaction-storage).".into(),
            ],
            PKCE_DOCS,
        ),
        "flow.pkce_verifier_missing" => (
            "The /token request sent no PKCE code_verifier".into(),
            format!(
                "{} redeemed an authorization code without code_verifier{}{}. Okta requires the verifier of the PKCE challenge (\"PKCE code verifier is required by the application.\").",
                app,
                status(p),
                p.text("challenge")
                    .map(|c| format!(", although its /authorize sent code_challenge {c}"))
                    .unwrap_or_default(),
            ),
            vec![
                "Send code_verifier with grant_type=authorization_code to /token: the verifier saved when the /authorize URL was built.".into(),
                "For a browser app, make it a Single-Page App with Proof Key for Code Exchange (Admin Console → Applications → Applications → the app → General → Client authentication: None, PKCE required).".into(),
            ],
            PKCE_DOCS,
        ),
        "flow.state_mismatch" if p.flag("otherTab") => (
            format!("The sign-in began in another tab: this tab's callback ({}) carries its state", p.str("callback")),
            format!(
                "The app's callback {} in this tab carried the state of an /authorize request that another tab sent ({} on {}). The SDK keeps the sign-in's transaction (state, PKCE verifier) in sessionStorage, which is per tab, so the SDK in this tab finds no transaction to match (okta-auth-js: \"OAuth flow response state doesn't match request state\") and the sign-in fails although Okta completed it. This happens when the sign-in finishes in a new tab, as an email link (Identity Engine magic link) opened from the mail client does.",
                p.str("callback"),
                app,
                p.text("host").unwrap_or("Okta"),
            ),
            vec![
                "Finish the sign-in in the tab that started it: with an email challenge, enter the email's one-time code in the original tab instead of opening the link.".into(),
                "Handle the email link in the app: okta-auth-js's idx.isEmailVerifyCallback and idx.handleEmailVerifyCallback (Identity Engine) let the new tab continue the sign-in when the browser is the same, or tell the user to enter the code in the original tab.".into(),
            ],
            PKCE_DOCS,
        ),
        "flow.state_mismatch" => (
            format!("The callback's state matches no sign-in waiting for it ({})", p.str("callback")),
            format!(
                "The app's callback {} {} that none of the {} /authorize request(s) waiting in this session sent (the latest: {} on {}). The SDK (okta-auth-js) rejects it (\"OAuth flow response state doesn't match request state\"): an older or parallel sign-in, a callback opened again (back button, bookmark), or a callback landing in another tab than the one that started.",
                p.str("callback"),
                if p.flag("stateSent") { "carried a state" } else { "carried no state" },
                p.int("outstanding").unwrap_or(1),
                app,
                p.text("host").unwrap_or("Okta"),
            ),
            vec![
                "Start one sign-in at a time and don't reopen the callback URL; sign in again from the app.".into(),
                format!("Check that the Sign-in redirect URI {} is handled by the tab and origin that started the sign-in.", p.text("redirectUri").unwrap_or("of the app")),
            ],
            PKCE_DOCS,
        ),
        "flow.code_reused" => (
            format!("The same authorization code was sent to /token {} times", p.int("times").unwrap_or(2)),
            format!(
                "{} sent an authorization code it had already redeemed {} s earlier{}. Okta's codes are single-use and valid 300 s: the second request fails with invalid_grant \"The authorization code is invalid or has expired.\"",
                app,
                p.int("seconds").unwrap_or(0),
                status(p),
            ),
            vec![
                "Redeem each code once: the callback handler runs twice (a re-render, a double mount in development, a retried request, the callback page reloaded).".into(),
                "Clear the code from the URL after the exchange (okta-auth-js's handleLoginRedirect does this).".into(),
            ],
            PKCE_DOCS,
        ),
        "flow.host_mismatch" => (
            format!("/authorize went to {} but /token to {}", p.str("authorizeHost"), p.str("tokenHost")),
            format!(
                "The code was issued by /authorize on {} and redeemed at /token on {}{}. An Okta org reached through its okta.com domain and through a custom domain is one org, but its session cookie is bound to the host used, and the issuer in tokens follows the authorization server's issuer setting.",
                p.str("authorizeHost"),
                p.str("tokenHost"),
                status(p),
            ),
            vec![
                format!("Use one host for the whole flow: set the app's issuer to https://{} (or the other) everywhere.", p.str("authorizeHost")),
                "With a custom domain, choose the issuer in Admin Console → Security → API → Authorization Servers → the server → Edit → Issuer (Okta URL, custom URL or Dynamic).".into(),
            ],
            DOMAIN_DOCS,
        ),
        "flow.issuer_mismatch" if p.text("tokenIssuer").is_some() => (
            format!("A token of {} was sent to {}/…/userinfo", p.str("tokenIssuer"), p.str("endpointIssuer")),
            format!(
                "The access token was issued by {} but sent to the userinfo endpoint of {}{}. Each authorization server accepts only its own tokens there: Okta answers 401 with WWW-Authenticate error=\"invalid_token\".",
                p.str("tokenIssuer"),
                p.str("endpointIssuer"),
                status(p),
            ),
            vec![
                format!("Call {}/v1/userinfo (the issuer's own endpoint, from its /.well-known/openid-configuration) with this token.", p.str("tokenIssuer")),
                "Or request the token from the authorization server whose endpoint the app calls: Admin Console → Security → API → Authorization Servers lists each issuer URI.".into(),
            ],
            AS_DOCS,
        ),
        "flow.issuer_mismatch" => (
            format!("/authorize used {} but /token {}", server(p.text("authorizeServer")), server(p.text("tokenServer"))),
            format!(
                "On {}, the code was issued by {} and redeemed at {}{}. A grant is bound to the authorization server that issued it: Okta answers invalid_grant \"The grant was issued for another authorization server.\"",
                p.text("host").unwrap_or("Okta"),
                server(p.text("authorizeServer")),
                server(p.text("tokenServer")),
                status(p),
            ),
            vec![
                format!("Use one issuer for the whole flow: https://{}{} for both /authorize and /token.", p.text("host").unwrap_or("{yourOktaDomain}"), p.str("authorizeServer")),
                "The authorization servers and their issuer URIs: Admin Console → Security → API → Authorization Servers.".into(),
            ],
            AS_DOCS,
        ),
        "flow.silent_renew_no_session" => (
            "Silent renewal failed: Okta has no session for it (login_required)".into(),
            format!(
                "A prompt=none /authorize on {} by {}{} was answered login_required: \"The client specified not to prompt, but the user is not logged in.\" The user's Okta session ended, or the browser didn't send Okta's session cookie to it.",
                p.str("host"),
                app,
                if p.flag("subFrame") { " in a hidden iframe" } else { "" },
            ),
            vec![
                "Send the user through an interactive sign-in (without prompt=none) when a silent renewal answers login_required.".into(),
                "Renew with refresh tokens instead of the Okta session: grant type Refresh Token with rotation (Admin Console → Applications → Applications → the app → General → Grant type) and request offline_access.".into(),
            ],
            RT_DOCS,
        ),
        "flow.third_party_cookies_blocked" => (
            format!("The browser didn't send Okta's session cookie to {} in a third-party frame", p.str("host")),
            format!(
                "The silent renewal ran in an iframe{} and sent no sid or idx cookie, although an earlier top-level request to {} sent one: the browser blocks third-party cookies (Safari by default, Firefox's strict mode, Chrome when the user chose it), so Okta sees no session and answers login_required.",
                p.text("initiator")
                    .map(|i| format!(" of {i}, a site other than {}", p.str("host")))
                    .unwrap_or_default(),
                p.str("host"),
            ),
            vec![
                "Renew with refresh-token rotation instead of the iframe: refresh tokens don't depend on cookies.".into(),
                format!("Or serve Okta from a custom domain on the app's site (e.g. login.<your domain>) so the cookie is first-party: Admin Console → Customizations → Domain, then use it as the issuer instead of {}.", p.str("host")),
            ],
            COOKIE_DOCS,
        ),
        "flow.refresh_token_reused" => {
            let seconds = p.int("seconds").unwrap_or(0);
            let grace = p.int("grace").unwrap_or(30);
            let where_ = if p.flag("otherTab") { "another tab" } else { "this tab" };
            (
                if p.flag("withinGrace") {
                    format!("The same refresh token was used twice, {seconds} s apart (within the default {grace} s grace)")
                } else {
                    format!("The same refresh token was used twice, {seconds} s apart (past the default {grace} s grace)")
                },
                format!(
                    "A refresh token already sent to /token from {where_} was sent again {seconds} s later{}. With rotation, each use returns a new refresh token; the old one stays valid only for the grace period (default {grace} s, 0–60 configurable). {}",
                    status(p),
                    if p.flag("withinGrace") {
                        "This reuse was within the default grace, so Okta accepts it unless the grace is set lower; it still means two refreshes raced."
                    } else {
                        "Past the grace, Okta treats it as token theft: it revokes the newest refresh token and every access token issued since the user signed in, and answers invalid_grant \"The refresh token is invalid or expired.\""
                    },
                ),
                vec![
                    "Refresh from one place: with okta-auth-js keep syncStorage and leader election on (the defaults) and one OktaAuth instance per app, so tabs share the rotated token.".into(),
                    "The grace period: Admin Console → Applications → Applications → the app → General → Edit → Refresh Token → Grace period for token rotation.".into(),
                ],
                RT_DOCS,
            )
        }
        "flow.renew_loop" => (
            format!("{} token renewals within {} s: a renew loop", p.int("count").unwrap_or(10), p.int("seconds").unwrap_or(30)),
            format!(
                "This session called /token or a silent /authorize {} times within {} s. The SDK (okta-auth-js) stops at {} renewals within 30 s (\"Too many token renew requests\"). Usually the token expires as soon as it is renewed: the access token lifetime is shorter than the SDK's expireEarlySeconds (30 s), or the clock is off, or every component renews on its own.",
                p.int("count").unwrap_or(10),
                p.int("seconds").unwrap_or(30),
                p.int("threshold").unwrap_or(10),
            ),
            vec![
                "Check the access token lifetime of the access policy rule (Admin Console → Security → API → Authorization Servers → the server → Access Policies): keep it well above 30 s.".into(),
                "Renew from the TokenManager's autoRenew only, not also on every API call.".into(),
            ],
            RT_DOCS,
        ),
        _ => return,
    };
    w.title = title;
    w.detail = detail;
    w.fix = fix;
    w.docs_url = Some(docs.into());
}

/// An authorization server's path as words.
fn server(path: Option<&str>) -> String {
    match path {
        Some("/oauth2") | Some("") => "the org authorization server (/oauth2/v1)".to_string(),
        Some(p) => format!("the authorization server {p}"),
        None => "another authorization server".to_string(),
    }
}
