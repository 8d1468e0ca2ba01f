//! The words of the sign-in story (report/flow.rs): each step's `label` and `detail`, written
//! when the story is shown (`explain::show` for reports, `show_groups` for a tab's view), e.g.
//! label "Token", detail "400 invalid_grant — PKCE verifier doesn't match the challenge".

use crate::report::flow::{Flow, Step, StepKind};

/// What a step's finding says, in a few words (none where the status and the error say it).
fn phrase(id: &str) -> Option<String> {
    let fixed = match id {
        "flow.pkce_mismatch" => "PKCE verifier doesn't match the challenge",
        "flow.pkce_verifier_missing" => "no PKCE code_verifier sent",
        "flow.state_mismatch" => "state matches no sign-in in progress",
        "flow.code_reused" => "authorization code already used",
        "flow.host_mismatch" => "/token on another host than /authorize",
        "flow.issuer_mismatch" => "/token at another authorization server than /authorize",
        "flow.silent_renew_no_session" => "no Okta session for the silent renewal",
        "flow.third_party_cookies_blocked" => {
            "Okta's session cookie not sent to a third-party frame"
        }
        "flow.refresh_token_reused" => "refresh token already used",
        "flow.renew_loop" => "renewing in a loop",
        "flow.redirect_uri_not_registered" => "redirect_uri not registered for the app",
        "saml.audience_mismatch" => "Audience isn't the SP's entity id",
        "saml.destination_mismatch" => "Destination or Recipient isn't the ACS URL",
        "saml.in_response_to_mismatch" => "InResponseTo answers no AuthnRequest of this tab",
        "saml.expired" => "assertion expired",
        "saml.not_yet_valid" => "assertion not yet valid",
        "saml.status_error" => "Okta answered with a SAML error status",
        "saml.malformed" => "SAML message could not be read",
        "saml.unsigned" => "Response not signed",
        "saml.okta_error_page" => "Okta's SAML error page",
        "rate_limit.exceeded" | "rate_limit.concurrent" => "rate limit exceeded",
        id if id.starts_with("cors.") => "blocked by CORS",
        id => {
            return id
                .strip_prefix("okta_error.")
                .map(|code| format!("Okta error {code}"))
        }
    };
    Some(fixed.to_string())
}

fn label(step: &Step) -> String {
    let base = match step.step {
        StepKind::Authorize => "Authorize",
        StepKind::SignIn => "Sign-in",
        StepKind::Callback => "Callback",
        StepKind::Token => "Token",
        StepKind::Refresh => "Refresh",
        StepKind::Renew => "Silent renew",
        StepKind::Api => "API calls",
        StepKind::SamlRequest => "SAML AuthnRequest",
        StepKind::SamlResponse => "SAML Response to the app",
    };
    if step.count > 1 {
        format!("{base} (×{})", step.count)
    } else {
        base.to_string()
    }
}

fn detail(step: &Step) -> String {
    let mut head: Vec<String> = Vec::new();
    if let Some(s) = step.status {
        head.push(s.to_string());
    }
    if let Some(e) = &step.error {
        head.push(e.clone());
    }
    if step.step == StepKind::Callback && step.error.is_none() {
        head.push(if step.ok {
            "code received".to_string()
        } else {
            "answer received".to_string()
        });
    }
    let phrase = step.finding_id.as_deref().and_then(phrase);
    let phrase = phrase.as_deref();
    let head = head.join(" ");
    match (head.is_empty(), phrase) {
        (false, Some(p)) => format!("{head} — {p}"),
        (true, Some(p)) => p.to_string(),
        (false, None) => head,
        (true, None) if step.ok => "ok".to_string(),
        (true, None) => "failed".to_string(),
    }
}

/// Writes every step's label and detail.
pub fn word(flows: &mut [Flow]) {
    for step in flows.iter_mut().flat_map(|f| f.steps.iter_mut()) {
        step.label = Some(label(step));
        step.detail = Some(detail(step));
    }
}

/// [`word`] for flows carried as JSON (a tab's view): an array that doesn't read as flows is
/// left as it is. Read by hand (digest/stored.rs), as `show_groups` reads findings.
pub fn word_value(flows: &mut serde_json::Value) {
    if let Some(mut typed) = <Vec<Flow> as crate::digest::stored::Read>::read(flows) {
        word(&mut typed);
        if let Ok(v) = serde_json::to_value(&typed) {
            *flows = v;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_labelled_and_detailed() {
        let mut flows = vec![Flow {
            client: Some("0oa1".into()),
            host: "dev-1.okta.com".into(),
            steps: vec![
                Step {
                    step: StepKind::Authorize,
                    status: Some(302),
                    ok: true,
                    ..Step::default()
                },
                Step {
                    step: StepKind::Callback,
                    ok: true,
                    ..Step::default()
                },
                Step {
                    step: StepKind::Token,
                    status: Some(400),
                    error: Some("invalid_grant".into()),
                    finding_id: Some("flow.pkce_mismatch".into()),
                    ..Step::default()
                },
                Step {
                    step: StepKind::Api,
                    status: Some(200),
                    ok: true,
                    count: 3,
                    ..Step::default()
                },
            ],
            serial: 0,
        }];
        word(&mut flows);
        let s = &flows[0].steps;
        assert_eq!(s[0].label.as_deref(), Some("Authorize"));
        assert_eq!(s[0].detail.as_deref(), Some("302"));
        assert_eq!(s[1].detail.as_deref(), Some("code received"));
        assert_eq!(s[2].label.as_deref(), Some("Token"));
        assert_eq!(
            s[2].detail.as_deref(),
            Some("400 invalid_grant — PKCE verifier doesn't match the challenge")
        );
        assert_eq!(s[3].label.as_deref(), Some("API calls (×3)"));
    }
}
