//! The words of the `oauth_error.*` findings: our headline for Okta's internal code or for the
//! error value as the title (never the description, which is server text), our advice
//! (`advice`) for the code or the value as cause and fix steps, filled with the description's
//! runtime values, made specific by what the analysis recorded (the nonce, the scope a
//! challenge names, a /userinfo call), and the commands the advice names.

mod advice;

use crate::{
    command,
    oauth_error::catalogue,
    params::Params,
    report::{Command, Finding},
};

pub(super) fn word(f: &mut Finding) {
    let p = &f.params;
    let w = &mut **f.words.get_or_insert_with(Box::default);
    let error = p.str("error");
    let cause = p.text("cause");
    let captures: Vec<String> = p
        .texts("captures")
        .into_iter()
        .map(str::to_string)
        .collect();
    let by_cause = cause.and_then(advice::for_cause);
    let by_error = advice::for_error(error);

    // The title is ours: the advice's headline for Okta's cause or for the error value, never
    // the description (server text, quoted).
    let headline = by_cause
        .and_then(|a| a.title)
        .map(str::to_string)
        .or_else(|| {
            cause
                .and_then(catalogue::by_cause)
                .and_then(|e| crate::catalogue::headline(e.description))
        })
        .or_else(|| by_error.and_then(|a| a.title).map(str::to_string));
    let error_name = if f.id == "oauth_error.invalid" {
        "OAuth error with a malformed error value".to_string()
    } else {
        error.to_string()
    };
    let title = match headline.filter(|h| !h.trim().is_empty()) {
        Some(h) => format!("{error_name}: {h}"),
        None if by_error.is_none() && !error_name.starts_with("OAuth error") => {
            format!("{error_name}: an error value Okta doesn't document")
        }
        None => error_name,
    };

    let source = p.str("source");
    let mut detail = format!(
        "Okta returned the OAuth error \"{error}\"{}{}",
        match source {
            "body" => " in the response body".to_string(),
            "redirect" => " in the redirect back to the app".to_string(),
            // The app's callback URL in a recording, whether or not Okta's redirect was in it.
            "callback" => " at the app's callback URL (read there)".to_string(),
            other => format!(" in the {other} header"),
        },
        p.int("status")
            .map(|s| format!(" with HTTP {s}"))
            .unwrap_or_default()
    );
    detail.push_str(if p.flag("described") {
        ", with the description quoted below."
    } else {
        ", without a description."
    });
    // Okta's internal code (and the others with the same text) is data: `oktaCause`, shown in
    // the raw JSON only, never in the words (issue 15: internal names only in the raw data).
    if cause.is_some() && p.flag("dropped") {
        detail.push_str(" Okta has since dropped this text from its catalogue; the response may come from an older release.");
    }
    let cause_text = by_cause
        .and_then(|a| a.cause)
        .and_then(|c| advice::fill(c, &captures))
        .or_else(|| by_error.and_then(|a| a.cause).map(str::to_string));
    match cause_text {
        Some(c) => {
            detail.push(' ');
            detail.push_str(&c);
        }
        None => detail.push_str(&format!(
            " \"{error}\" isn't an error value Okta documents; the description, if any, is the best guide."
        )),
    }
    specific_detail(error, p, &mut detail);

    let mut fix: Vec<String> = match by_cause {
        Some(a) => a
            .fix
            .iter()
            .filter_map(|t| advice::fill(t, &captures))
            .collect(),
        None => by_error
            .map(|a| a.fix.iter().map(|t| t.to_string()).collect())
            .unwrap_or_default(),
    };
    let request = super::okta_error::request(p);
    let mut commands: Vec<Command> = Vec::new();
    specific_fix(error, p, &request, &mut fix, &mut commands);
    if fix.is_empty() {
        fix.push("Read error_description: Okta puts the specific cause there (the error value alone is generic).".into());
    }
    if source == "redirect" || source == "callback" {
        fix.push("The app received this on its redirect URI: show the user a clear message and a way to start sign-in again, rather than retrying automatically.".into());
    }

    let mut names: Vec<&str> = by_cause
        .map(|a| a.commands.clone())
        .filter(|c| !c.is_empty())
        .or_else(|| by_error.map(|a| a.commands.clone()))
        .unwrap_or_default();
    if request.request_id.is_some() && !names.contains(&"logs_request") {
        names.insert(0, "logs_request");
    }
    commands.extend(command::build_all(names, &request));

    w.title = title;
    w.detail = detail;
    w.fix = fix;
    w.commands = commands;
    w.docs_url = Some(
        "https://developer.okta.com/docs/reference/error-codes/#oauth-2-0-and-openid-connect-errors"
            .into(),
    );
}

/// What the request adds to the explanation: the nonce to use, the scope a challenge names,
/// the endpoint that refused the token, a 429 from the token endpoint.
fn specific_detail(error: &str, p: &Params, detail: &mut String) {
    match error {
        "use_dpop_nonce" => match p.text("nonce") {
            Some(n) => detail.push_str(&format!(
                " The nonce to put in the next proof is in the DPoP-Nonce header: {n}."
            )),
            None => {
                detail.push_str(" The DPoP-Nonce response header (not shown here) holds the value.")
            }
        },
        "insufficient_scope" => {
            if let Some(scope) = p.text("scope") {
                detail.push_str(&format!(" The challenge names the scope needed: {scope}."));
            }
            if let Some(resource) = p.text("resource") {
                detail.push_str(&format!(" Resource: {resource}."));
            }
            if p.flag("openidClaims") {
                detail.push_str(" /userinfo returns claims only for the OpenID scopes the token carries, so a token with just openid (or only custom scopes) gets nothing.");
            }
        }
        "invalid_token" if p.flag("userinfo") => {
            detail.push_str(" /userinfo only accepts access tokens issued by the same authorization server (the org server's /oauth2/v1/userinfo, or …/oauth2/{id}/v1/userinfo for a custom one), unexpired and with the openid scope.");
        }
        "invalid_grant" if p.int("status") == Some(429) => {
            detail.push_str(" HTTP 429 here means a per-user rate limit on the token endpoint, not an invalid grant.");
        }
        _ => {}
    }
}

/// A management API challenge names the Okta API scope to grant and request; /userinfo without
/// the OpenID claim scopes needs them requested.
fn specific_fix(
    error: &str,
    p: &Params,
    request: &crate::context::Context,
    fix: &mut Vec<String>,
    commands: &mut Vec<Command>,
) {
    if error != "insufficient_scope" {
        return;
    }
    let okta_scopes = p.texts("oktaScopes");
    if !okta_scopes.is_empty() {
        let list = okta_scopes.join(" ");
        fix.insert(0, format!("Grant {list} to the app (Applications → the app → Okta API Scopes; Super Admins only), then request scope={list} from the org authorization server's /oauth2/v1/token: custom authorization servers can't issue okta.* scopes."));
        fix.insert(1, "The app also needs an admin role that allows the operation; a scope alone ends in 403 E0000006.".into());
        for s in okta_scopes {
            commands.extend(command::build("app_grant_scope", request, Some(s)));
        }
    }
    if p.flag("openidClaims") {
        fix.insert(0, "Request openid together with at least one of profile, email, address or phone, then call /userinfo with the new access token.".into());
    }
}

#[cfg(test)]
mod tests;
