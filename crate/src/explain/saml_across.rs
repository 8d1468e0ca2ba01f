//! The words of the `saml.*` findings that read a Response with where it went and the
//! AuthnRequest it answers (saml/exchange.rs, flow/fold/saml.rs), and of Okta's own SAML error
//! pages (saml/page.rs): each names the setting of the Okta SAML app that fixes it (Admin
//! Console → Applications → the app → General → SAML Settings; flows.md §8) with the values seen.

use crate::{params::Params, report::Finding};

const SAML_DOCS: &str =
    "https://help.okta.com/en-us/content/topics/apps/apps_app_integration_wizard_saml.htm";

pub(super) fn word(f: &mut Finding) -> bool {
    let p = f.params.clone();
    match &*f.id {
        "saml.destination_mismatch" => destination(f, &p),
        "saml.audience_mismatch" => audience(f, &p),
        "saml.in_response_to_mismatch" => in_response_to(f, &p),
        "saml.okta_error_page" => page(f, &p),
        _ => return false,
    }
    if f.docs_url.is_none() {
        f.docs_url = Some(SAML_DOCS.into());
    }
    true
}

fn destination(f: &mut Finding, p: &Params) {
    let element = p.str("element");
    let value = p.str("value");
    let expected = p.str("expected");
    let (against, where_) = match p.str("against") {
        "acsUrl" => (
            "the AssertionConsumerServiceURL of the SP's AuthnRequest",
            "the ACS URL the SP asked for",
        ),
        _ => (
            "the URL the browser posted the Response to",
            "the app's ACS",
        ),
    };
    let setting = if element == "Recipient" {
        "Recipient URL"
    } else {
        "Destination URL"
    };
    f.title = format!("SAML {element} isn't {where_}");
    f.detail = format!(
        "The Response's {element} is {value}, but {against} is {expected}. An SP rejects a Response whose {element} is not its own ACS URL (SAML 2.0 Core §3.2.2, Profiles §4.1.4.3)."
    );
    f.fix = vec![
        format!("In the Okta app's SAML Settings, set Single sign-on URL to {expected} (with \"Use this for Recipient URL and Destination URL\" checked), or set {setting} to {expected}."),
        "If the SP sits behind a proxy or load balancer, make the ACS URL it expects the public URL the browser posts to (scheme, host, port and path).".into(),
    ];
}

fn audience(f: &mut Finding, p: &Params) {
    let audiences = p.texts("audiences").join(", ");
    let sp = p.str("spEntityId");
    f.title = "SAML Audience isn't the SP's entity id".into();
    f.detail = format!(
        "The Response is for the audience {audiences}, but the SP named itself {sp} in its AuthnRequest{}. The SP rejects an assertion whose AudienceRestriction doesn't name it.",
        p.text("requestId").map(|i| format!(" ({i})")).unwrap_or_default()
    );
    f.fix = vec![format!(
        "In the Okta app's SAML Settings, set Audience URI (SP Entity ID) to {sp}."
    )];
}

fn in_response_to(f: &mut Finding, p: &Params) {
    let requests = p.texts("requestIds").join(", ");
    if p.flag("idpInitiated") {
        f.title = "IdP-initiated SAML Response where the SP asked for one".into();
        f.detail = format!(
            "The SP{} sent an AuthnRequest ({requests}) on this tab, but the Response posted to {} carries no InResponseTo: Okta answered as if the sign-in began at Okta (the dashboard tile or an embed link). An SP that tracks its requests rejects an unsolicited Response.",
            p.text("spEntityId").map(|s| format!(" {s}")).unwrap_or_default(),
            p.str("postedTo")
        );
        f.fix = vec![
            "Start the sign-in from the app (SP-initiated) and don't open the Okta tile in between.".into(),
            "If the app must accept the dashboard tile, allow IdP-initiated (unsolicited) Responses in the SP's SAML settings; in Okta, point the app's Single sign-on URL at the ACS and set Default RelayState to where the app should land.".into(),
        ];
    } else {
        f.title = "SAML InResponseTo answers no AuthnRequest of this tab".into();
        f.detail = format!(
            "The Response is InResponseTo {}, but the AuthnRequests seen on this tab are {requests}. The SP rejects a Response to a request it doesn't have outstanding: an older sign-in (the back button, a second tab), a request the SP lost (its session cookie dropped between the request and the POST: SameSite on the ACS POST), or a Response replayed.",
            p.str("inResponseTo")
        );
        f.fix = vec![
            "Start the sign-in again from the app in one tab.".into(),
            "If it fails every time, check that the SP keeps its session across Okta's cross-site form POST: the cookie holding the request id needs SameSite=None; Secure.".into(),
            format!("Check the Okta app's Single sign-on URL and Audience URI (SP Entity ID) name this SP ({}): a Response built for another SP answers that SP's requests.", p.text("spEntityId").unwrap_or("its entity id")),
        ];
    }
}

fn page(f: &mut Finding, p: &Params) {
    match p.str("page") {
        "not_assigned" => {
            f.title = "Okta: you are not assigned this app (403 App Not Assigned)".into();
            f.detail = "Okta's page says the user is not assigned to the SAML app, so Okta sends no Response to the app. The System Log shows \"User attempted unauthorized access to app\" for the user and the app.".into();
            f.fix = vec![
                "Assign the user, or a group they are in, to the app: Admin Console → Applications → the app → Assignments.".into(),
                "If they are assigned, look for an assignment or provisioning error on that tab, fix it, and sign in again.".into(),
            ];
            f.docs_url = Some("https://support.okta.com/help/s/article/App-Sign-on-Error-403-User-attempted-unauthorized-access-to-app".into());
        }
        "access_denied_by_policy" => {
            f.title = "Okta: an authentication policy denies this app".into();
            f.detail = "Okta's page says \"You are not allowed to access this app\": the app's authentication policy (Identity Engine) has no rule that allows this user here, so Okta sends no Response.".into();
            f.fix = vec!["Admin Console → Applications → the app → Sign On → User authentication: edit the policy (or its catch-all rule) so this user is allowed after authentication.".into()];
            f.docs_url = Some("https://support.okta.com/help/s/article/Unable-to-access-Okta-Dashboard-You-are-not-allowed-to-access-this-app-To-request-access-contact-an-admin".into());
        }
        "bad_saml_request" => {
            f.title = "Okta: Bad SAML request (400)".into();
            f.detail = "Okta's error page says \"Your request resulted in an error. Description: Bad SAML request\": Okta could not read or accept the AuthnRequest the SP sent, so the sign-in stopped at Okta and no Response was sent to the app.".into();
            f.fix = vec![
                "Paste the SAMLRequest (from the URL of the request to Okta's /sso/saml, or its form) into Okta Medic: it says whether it decodes and what it names.".into(),
                "Check the binding: HTTP-Redirect carries the request DEFLATE-compressed and base64-encoded in the query, HTTP-POST carries it base64-encoded in a form; an SP mixing them sends Okta a request it can't read.".into(),
                "Check that the request's Issuer is the Okta app's Audience URI (SP Entity ID) and its AssertionConsumerServiceURL the app's Single sign-on URL.".into(),
            ];
            f.docs_url =
                Some("https://github.com/arthepsy/pan-globalprotect-okta/issues/24".into());
        }
        _ => {
            f.title = "Okta refused the SAML AuthnRequest (400_SAML)".into();
            f.detail = format!(
                "Okta ended the sign-in at {}: it would not accept the SP's AuthnRequest. Seen when the app validates signed requests (\"Validate SAML requests with signature certificates\") and the request is unsigned, signed with another certificate, or lacks AssertionConsumerServiceURL or NameIDPolicy.",
                p.text("path").unwrap_or("/error/400_SAML")
            );
            f.fix = vec![
                "Okta app → SAML Settings → Show Advanced Settings → Signed Requests: upload the SP's current signing certificate, or turn validation off if the SP doesn't sign.".into(),
                "Make the SP's AuthnRequest carry AssertionConsumerServiceURL and a NameIDPolicy whose format matches the app's Name ID format.".into(),
            ];
            f.docs_url = Some(
                "https://community.auth0.com/t/okta-saml-integration-with-signed-requests/106702"
                    .into(),
            );
        }
    }
}
