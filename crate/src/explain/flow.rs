//! The words of the `flow.*` findings (crate/src/flow.rs records them). Okta's facts: flows.md
//! §2 (the `/authorize` error page, Sign-in redirect URIs).

use crate::report::Finding;

const REDIRECT_DOCS: &str = "https://developer.okta.com/docs/guides/sign-into-spa-redirect/main/";

pub(super) fn word(f: &mut Finding) {
    if f.id != "flow.redirect_uri_not_registered" {
        super::flow_across::word(f);
        return;
    }
    let p = &f.params;
    let w = &mut **f.words.get_or_insert_with(Box::default);
    let redirect = p.text("redirectUri");
    let client = p.text("clientId");
    let app = client.map_or_else(
        || "the app".to_string(),
        |c| format!("the app with client id {c}"),
    );
    w.title = match redirect {
        Some(r) => {
            format!("Okta refused to start the sign-in: {r} is not a Sign-in redirect URI of {app}")
        }
        None => "Okta refused to start the sign-in: the request has no redirect_uri".to_string(),
    };
    w.detail = format!(
        "{} answered 400 to {} instead of redirecting back: Okta does that only when the redirect_uri or the client_id is not acceptable, and shows its reason on its own page (\"The 'redirect_uri' parameter must be a Login redirect URI in the client app settings\", or an unknown client). The browser never reaches the app's callback.",
        p.text("domain").unwrap_or("Okta"),
        p.text("path").unwrap_or("/authorize"),
    );
    let mut fix = Vec::new();
    if let Some(r) = redirect {
        fix.push(format!("Add {r} to the app's Sign-in redirect URIs, exactly as sent (scheme, host, port and path): Admin Console → Applications → Applications → the app → General → Sign-in redirect URIs."));
    }
    if let Some(c) = client {
        fix.push(format!("Check that {c} is that app's Client ID (Applications → the app → General), on the same org as the issuer the app uses."));
    }
    fix.push(
        "Open the /authorize URL in a tab to read Okta's own message on the error page.".into(),
    );
    w.fix = fix;
    w.docs_url = Some(REDIRECT_DOCS.into());
}
