//! The words of the `okta_error.*` findings: the catalogue's headline as the title, our advice
//! (`advice`: hand-written or derived from the catalogue) as cause and fix steps, made
//! specific by what the analysis recorded about the summary, the errorCauses entries, the
//! credential and the request; the commands the advice names, for the recorded request.
//! Also the request context every error family's commands are built from ([`request`]).

mod advice;

use crate::{
    catalogue::shown,
    command,
    context::{Context, Credential},
    jwt::clip,
    okta_error::{catalogue, causes, is_code},
    params::Params,
    report::Finding,
};

pub(super) fn word(f: &mut Finding) {
    let p = &f.params;
    let w = &mut **f.words.get_or_insert_with(Box::default);
    let code = p.str("code");
    let entry = f.id.strip_prefix("okta_error.").and_then(catalogue::lookup);
    let status = p.int("status").and_then(|s| u16::try_from(s).ok());
    let advice = match entry {
        Some(x) => advice::for_entry(x),
        None => advice::for_unknown(status),
    };
    let credential = p.text("credential");

    let mut detail = match advice.title {
        Some(t) => format!("{t}. {}", advice.cause),
        None => advice.cause.clone(),
    };
    if !is_code(code) {
        detail.push_str(&format!(
            " \"{code}\" isn't shaped like an Okta error code (E followed by seven digits)."
        ));
    }
    if let Some(x) = entry {
        detail.push_str(&summary_note(x, p));
        if let (Some(want), Some(got)) = (x.status, status) {
            if want != got {
                detail.push_str(&format!(
                    " Okta's catalogue gives HTTP {want} for {}; this response was HTTP {got}.",
                    x.code
                ));
            }
        }
    }
    let causes = causes_note(p);
    if !causes.is_empty() {
        detail.push_str(" errorCauses: ");
        detail.push_str(&causes.join("; "));
        if !detail.ends_with('.') {
            detail.push('.');
        }
    }
    let mut fix: Vec<String> = advice
        .fix
        .iter()
        .filter_map(|s| for_credential(s, credential))
        .map(str::to_string)
        .collect();
    if let Some(x) = entry {
        specific(x.code, p, &mut detail, &mut fix);
    }
    fix.push(
        "Branch on errorCode, never on errorSummary: Okta says the summary may change.".into(),
    );
    if let Some(err_id) = p.text("errorId") {
        let where_from = if p.flag("uuid") {
            " (a UUID: this came from the System Log API)"
        } else {
            ""
        };
        fix.push(format!(
            "Keep the errorId {err_id}{where_from} and the X-Okta-Request-Id for Okta support."
        ));
    }

    let mut names: Vec<&str> = advice
        .commands
        .iter()
        .filter_map(|c| for_credential(c, credential))
        .collect();
    if p.text("requestId").is_some() && !names.contains(&"logs_request") {
        names.insert(0, "logs_request");
    }
    let mut commands: Vec<crate::report::Command> = Vec::new();
    for c in command::build_all(names, &request(p)) {
        if !commands.iter().any(|have| have.command == c.command) {
            commands.push(c);
        }
    }

    // The title is the catalogue's name for the code, never the errorSummary (server text).
    w.title = match entry {
        Some(x) => headline(x),
        None if is_code(code) => format!("{code}: an error code Okta Medic doesn't know"),
        None => "Okta error body with a malformed errorCode".to_string(),
    };
    w.detail = detail;
    w.fix = fix;
    w.commands = commands;
    w.docs_url = Some(
        advice
            .docs
            .unwrap_or("https://developer.okta.com/docs/reference/error-codes/")
            .to_string(),
    );
}

/// `E0000007 Not found: …`: the code and its summary template as a title, or Okta's
/// exception name when the template is mostly runtime text.
pub(super) fn headline(x: &catalogue::Entry) -> String {
    let text = crate::catalogue::headline(x.summary).unwrap_or_else(|| {
        advice::okta_words(x.code)
            .0
            .trim_end_matches('.')
            .to_string()
    });
    format!("{} {text}", x.code)
}

/// The request context a finding's commands are built from, as the analysis recorded it
/// (`okta_error::with_request`).
pub(super) fn request(p: &Params) -> Context {
    let owned = |name: &str| p.text(name).map(str::to_string);
    let (client_id, issuer) = (owned("clientId"), owned("issuer"));
    let credential = (client_id.is_some() || issuer.is_some()).then(|| Credential {
        client_id,
        issuer,
        ..Credential::default()
    });
    Context {
        origin: owned("origin"),
        domain: owned("domain"),
        request_id: owned("requestId"),
        user_id: owned("userId"),
        credential,
        ..Context::default()
    }
}

/// Advice steps tagged `[ssws] ` or `[bearer] ` apply only to requests made with that kind of
/// credential; with no credential known, every step is shown. Returns the step untagged.
fn for_credential<'a>(step: &'a str, credential: Option<&str>) -> Option<&'a str> {
    if let Some(rest) = step.strip_prefix("[ssws] ") {
        return (credential != Some("bearer")).then_some(rest);
    }
    if let Some(rest) = step.strip_prefix("[bearer] ") {
        return (credential != Some("ssws")).then_some(rest);
    }
    Some(step)
}

/// What the summary tells beyond the code: its runtime part, an older wording, or a text that
/// belongs to another code.
fn summary_note(x: &catalogue::Entry, p: &Params) -> String {
    let mut out = String::new();
    let runtime: Vec<String> = p
        .texts("runtime")
        .iter()
        .map(|c| format!("\"{c}\""))
        .collect();
    if !runtime.is_empty() {
        out.push_str(&format!(" Okta's runtime detail: {}.", runtime.join(", ")));
    }
    match p.text("summary") {
        Some("historic") => {
            out.push_str(" The summary uses an older wording Okta has since changed.")
        }
        Some("widget") => out.push_str(" This is the Sign-In Widget's wording for the code."),
        Some("other") => out.push_str(&format!(
            " The errorSummary is Okta's text for {}, not for {} (\"{}\"): trust the code, and expect the summary to be a copy-paste slip.",
            p.str("otherCode"),
            x.code,
            clip(x.summary)
        )),
        Some("differs") => out.push_str(&format!(
            " The errorSummary differs from Okta's catalogued text for {} (\"{}\"); Okta rewords summaries, so trust the code.",
            x.code,
            clip(x.summary)
        )),
        _ => {}
    }
    out
}

/// Each errorCauses entry, quoted, with our reading of it when the analysis found its template.
fn causes_note(p: &Params) -> Vec<String> {
    let Some(readings) = p.list("causes") else {
        return Vec::new();
    };
    readings
        .iter()
        .filter_map(|r| {
            let r: Vec<&str> = r.as_array()?.iter().filter_map(|s| s.as_str()).collect();
            let (text, rest) = r.split_first()?;
            let why = rest.split_first().and_then(|(template, captures)| {
                let captures: Vec<String> = captures.iter().map(|c| c.to_string()).collect();
                causes::explanation(template).map(|e| crate::catalogue::fill(e, &captures))
            });
            Some(match why {
                Some(why) => format!("\"{text}\" — {}", shown(why.trim_end_matches('.'), 300)),
                None => format!("\"{text}\""),
            })
        })
        .collect()
}

/// Advice that depends on what the request carried: the credential, the path, the method.
fn specific(code: &str, p: &Params, detail: &mut String, fix: &mut Vec<String>) {
    let credential = p.text("credential");
    match code {
        "E0000006" if credential == Some("bearer") => {
            detail.push_str(" This call carried an OAuth access token. For the management API two separate checks must both pass: the token's scp must include the operation's okta.* scope, and the service app (or the user the token was issued to) must hold an admin role that allows the operation on this object.");
            let required = p.texts("opScopes");
            if !required.is_empty() {
                let (method, template) = (p.str("opMethod"), p.str("opPath"));
                let req = required.join(" and ");
                match p.bool("scopesHeld") {
                    Some(true) => detail.push_str(&format!(
                        " {method} {template} needs {req}, and the token has it, so the missing piece is the admin role."
                    )),
                    Some(false) => detail.push_str(&format!(
                        " {method} {template} needs {req}, which the token lacks (see scope.missing)."
                    )),
                    None => detail.push_str(&format!(" {method} {template} needs {req}.")),
                }
            }
            fix.insert(0, "Check both halves: the app's granted Okta API scopes and the admin roles assigned to the app (client).".into());
        }
        "E0000006" if credential == Some("ssws") => {
            detail.push_str(" This call used an API token (SSWS): it has exactly the roles of the admin who created it.");
        }
        "E0000011" if credential == Some("bearer") => {
            detail.push_str(" This request sent an OAuth access token with the Bearer scheme. The management API accepts only access tokens minted by the org authorization server (issuer https://{yourOrg}, token from /oauth2/v1/token) that are unexpired and carry okta.* scopes.");
            if p.flag("customServer") {
                detail.push_str(" This token comes from a custom authorization server (its issuer has /oauth2/…), which can never call Okta's management API: get the token from the org authorization server instead.");
            }
        }
        "E0000022" => {
            let allowed = p.texts("allowed");
            if !allowed.is_empty() {
                detail.push_str(&format!(
                    " Okta's API spec lists {} for this path{}.",
                    allowed.join(", "),
                    p.text("method")
                        .map(|m| format!("; the request used {m}"))
                        .unwrap_or_default()
                ));
            }
        }
        "E0000007" | "E0000008" => {
            if let Some(path) = p.text("path") {
                detail.push_str(&format!(" The request's path was {path}."));
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests;
