//! The words of the `saml.*` findings: what a pasted Response or AuthnRequest says, and which
//! setting of the Okta SAML app (Admin Console → Applications → the app → General → SAML
//! Settings) fixes what the SP rejects, with the value seen.

use crate::{params::Params, report::Finding, timestamp};

const SAML_DOCS: &str =
    "https://help.okta.com/en-us/content/topics/apps/apps_app_integration_wizard_saml.htm";
const STATUS_DOCS: &str = "https://docs.oasis-open.org/security/saml/v2.0/saml-core-2.0-os.pdf";

pub(super) fn word(f: &mut Finding) {
    let p = f.params.clone();
    match &*f.id {
        "saml.response" => response(f, &p),
        "saml.request" => request(f, &p),
        "saml.status_error" => status_error(f, &p),
        "saml.expired" => {
            let by = p.int("by").unwrap_or_default();
            f.title = format!(
                "SAML assertion expired {} ago ({} NotOnOrAfter)",
                timestamp::human(by),
                p.str("element")
            );
            f.detail = format!(
                "The {} NotOnOrAfter is {}, {} before {} ({}). A service provider rejects an assertion at or after NotOnOrAfter, allowing only its configured clock skew (often 60 to 180 seconds). Okta issues assertions valid for about five minutes, so either the Response was replayed or pasted late, or the SP's clock runs ahead of Okta's.",
                p.str("element"),
                p.str("notOnOrAfter"),
                timestamp::human(by),
                judged_by(&p),
                timestamp::iso8601(p.int("now").unwrap_or_default())
            );
            f.fix = vec![
                "Sign in again from the app (SP-initiated) or the Okta dashboard tile: a fresh Response carries a fresh window.".into(),
                "If it fails again at once, check the SP server's clock (NTP): an SP clock ahead of Okta's by more than its allowed skew rejects every assertion.".into(),
                "Raise the SP's allowed clock skew only a little (a few minutes at most): the window is what stops replay.".into(),
            ];
            f.docs_url = Some(SAML_DOCS.into());
        }
        "saml.not_yet_valid" => {
            let by = p.int("by").unwrap_or_default();
            f.title = format!(
                "SAML assertion not valid for another {} ({} NotBefore)",
                timestamp::human(by),
                p.str("element")
            );
            f.detail = format!(
                "The {} NotBefore is {}, {} after {} ({}). An SP that reads the same clock rejects the assertion as not yet valid: the clocks of Okta and the SP differ by more than the SP's allowed skew.",
                p.str("element"),
                p.str("notBefore"),
                timestamp::human(by),
                judged_by(&p),
                timestamp::iso8601(p.int("now").unwrap_or_default())
            );
            f.fix = vec![
                "Synchronise the SP server's clock (NTP); Okta's clock is kept accurate.".into(),
                "Or allow a small clock skew in the SP's SAML settings (a minute or two).".into(),
            ];
            f.docs_url = Some(SAML_DOCS.into());
        }
        "saml.unsigned" => {
            f.title = "SAML Response carries no signature".into();
            f.detail = format!(
                "Neither the Response nor its Assertion has a ds:Signature{}. An SP must reject it: anyone could have written it. Okta signs every assertion it issues, so this Response was altered, built by hand, or comes from another IdP.",
                issuer_clause(&p)
            );
            f.fix = vec![
                "In the Okta app's SAML Settings (Show Advanced Settings), keep Response and Assertion Signature set to Signed.".into(),
                "If the Response came from somewhere other than Okta's POST to the Single sign-on URL, capture it again from the browser (the form POST to the ACS).".into(),
            ];
            f.docs_url = Some(SAML_DOCS.into());
        }
        "saml.encrypted" => {
            f.title = "SAML assertion is encrypted".into();
            f.detail = format!(
                "The Response carries an EncryptedAssertion: only the SP's private key opens it, so its subject (NameID), audience, recipient, validity window, attributes and its own signature can't be checked here. What is visible: the envelope's issuer, destination, status{}.",
                if p.flag("signedResponse") { " and the Response's signature" } else { " (the Response itself is not signed)" }
            );
            f.fix = vec!["To see the assertion, turn Assertion Encryption off for a test sign-in (Okta app → SAML Settings → Show Advanced Settings), or decrypt it with the SP's key on the SP.".into()];
            f.docs_url = Some(SAML_DOCS.into());
        }
        "saml.malformed" => malformed(f, &p),
        _ => {}
    }
}

/// Which clock a validity window was judged by: Okta's (this computer's plus the skew the
/// session measured from Okta's `Date` headers) or this computer's.
fn judged_by(p: &Params) -> String {
    if !p.flag("byOktaClock") {
        return "this computer's clock".into();
    }
    let skew = p.int("skew").unwrap_or_default();
    format!(
        "Okta's clock, which runs {} {} this computer's (measured from {} of Okta's Date headers; this computer read {})",
        timestamp::human(skew.saturating_abs()),
        if skew > 0 { "ahead of" } else { "behind" },
        p.int("skewResponses").unwrap_or_default(),
        timestamp::iso8601(p.int("localNow").unwrap_or_default())
    )
}

fn issuer_clause(p: &Params) -> String {
    p.text("issuer")
        .map(|i| format!(" (issuer {i})"))
        .unwrap_or_default()
}

fn or_absent(p: &Params, name: &str) -> String {
    p.text(name).unwrap_or("(absent)").to_string()
}

fn steps(p: &Params) -> String {
    let s = p.texts("steps");
    if s.is_empty() {
        "raw XML".into()
    } else {
        s.iter()
            .map(|s| match *s {
                "url" => "URL-decoded",
                "base64" => "base64-decoded",
                "inflate" => "inflated (HTTP-Redirect DEFLATE)",
                other => other,
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn response(f: &mut Finding, p: &Params) {
    let signed = match p.str("signedAt") {
        "both" => "the Response and the Assertion are signed",
        "response" => "the Response is signed, the Assertion is not",
        "assertion" => "the Assertion is signed, the Response is not",
        _ if p.flag("encrypted") => "the Response is not signed (the encrypted assertion may be)",
        _ => "nothing is signed",
    };
    f.title = format!("SAML Response from {}", or_absent(p, "issuer"));
    let attributes = p.texts("attributes");
    let audiences = p.texts("audiences");
    let mut lines = vec![
        format!("Decoded: {}.", steps(p)),
        format!("Status: {}.", or_absent(p, "status")),
        format!(
            "Destination: {} (Okta app: Destination URL, or the Single sign-on URL when \"Use this for Recipient URL and Destination URL\" is checked).",
            or_absent(p, "destination")
        ),
        format!("Recipient: {} (Okta app: Recipient URL).", or_absent(p, "recipient")),
        format!(
            "Audience: {} (Okta app: Audience URI (SP Entity ID)).",
            if audiences.is_empty() { "(absent)".into() } else { audiences.join(", ") }
        ),
        format!(
            "NameID: {} in format {} (Okta app: Name ID format, Application username).",
            or_absent(p, "nameId"),
            or_absent(p, "nameIdFormat")
        ),
        format!(
            "Valid: NotBefore {} to NotOnOrAfter {}; the bearer confirmation until {}.",
            or_absent(p, "notBefore"),
            or_absent(p, "notOnOrAfter"),
            or_absent(p, "confirmNotOnOrAfter")
        ),
        format!("Signature: {signed} (Okta app: Response / Assertion Signature)."),
        format!("AuthnContext: {}.", or_absent(p, "authnContext")),
        format!(
            "Attributes (names only; values are never shown or kept): {}.",
            if attributes.is_empty() { "none".into() } else { attributes.join(", ") }
        ),
    ];
    lines.push(match p.text("inResponseTo") {
        Some(id) => format!("In response to AuthnRequest {id} (SP-initiated)."),
        None => "No InResponseTo: IdP-initiated (from the Okta dashboard or an embed link).".into(),
    });
    if let Some(a) = p.text("assertionIssuer") {
        lines.insert(
            1,
            format!("The Assertion's issuer differs from the Response's: {a}."),
        );
    }
    f.detail = lines.join(" ");
    f.docs_url = Some(SAML_DOCS.into());
}

fn request(f: &mut Finding, p: &Params) {
    f.title = format!("SAML AuthnRequest from {}", or_absent(p, "issuer"));
    let mut lines = vec![
        format!("Decoded: {}.", steps(p)),
        format!(
            "Issuer (the SP's entity id): {}; Okta's Audience URI (SP Entity ID) must equal it.",
            or_absent(p, "issuer")
        ),
        format!(
            "AssertionConsumerServiceURL: {}; Okta posts the Response to its Single sign-on URL, which must match.",
            or_absent(p, "acsUrl")
        ),
        format!("Destination: {}.", or_absent(p, "destination")),
        format!(
            "NameIDPolicy: {}; Okta's Name ID format must match when it is set.",
            or_absent(p, "nameIdPolicy")
        ),
        format!(
            "ForceAuthn: {}; IsPassive: {}; signed: {}.",
            p.flag("forceAuthn"),
            p.flag("isPassive"),
            p.flag("signed")
        ),
    ];
    if let Some(c) = p.text("authnContext") {
        lines.push(format!("Requested AuthnContext: {c}."));
    }
    f.detail = lines.join(" ");
    f.docs_url = Some(SAML_DOCS.into());
}

fn status_error(f: &mut Finding, p: &Params) {
    let status = p.str("status");
    f.title = format!("SAML Response status {status}");
    let sub = p.text("subStatus");
    let sub_words = match sub {
        Some("AuthnFailed") => "the IdP could not authenticate the user",
        Some("RequestDenied") => {
            "the IdP refused the request (often: the user is not assigned to the app)"
        }
        Some("InvalidNameIDPolicy") => {
            "the AuthnRequest's NameIDPolicy asks for a format the app does not issue"
        }
        Some("NoPassive") => "IsPassive was requested but the user must sign in",
        Some("RequestUnsupported") => "the IdP does not support what the AuthnRequest asked",
        Some("UnknownPrincipal") => "the IdP does not know the user",
        Some("NoAuthnContext") => "the requested AuthnContext can't be satisfied",
        Some(_) => "see the SAML Core status codes",
        None => "no second-level code",
    };
    let who = match status {
        "Requester" => "the SP's request is at fault",
        "Responder" => "the IdP failed to answer",
        "VersionMismatch" => "the SAML version is not supported",
        _ => "not Success",
    };
    f.detail = format!(
        "The Response's StatusCode is {status} ({who}){}{}. The SP will not sign the user in.",
        sub.map(|s| format!(", second level {s}: {sub_words}"))
            .unwrap_or_default(),
        p.text("message")
            .map(|m| format!(". StatusMessage: \"{m}\""))
            .unwrap_or_default()
    );
    f.fix = match sub {
        Some("InvalidNameIDPolicy") => vec!["Set the Okta app's Name ID format to the one the SP's NameIDPolicy requests, or remove NameIDPolicy from the SP's request.".into()],
        Some("RequestDenied") => vec!["Assign the user (or a group they are in) to the app: Okta app → Assignments.".into()],
        _ => vec![
            "Open the Okta System Log around the Response's IssueInstant and filter on the app: the event says why.".into(),
            "Check the AuthnRequest against the app: Single sign-on URL (= the ACS URL), Audience URI (SP Entity ID) (= its Issuer), Name ID format.".into(),
        ],
    };
    f.docs_url = Some(STATUS_DOCS.into());
}

fn malformed(f: &mut Finding, p: &Params) {
    let what = p.text("field").unwrap_or("SAML message");
    if p.flag("omitted") {
        return omitted(f, p, what);
    }
    let problem = p.str("problem");
    let reason = match problem {
        "url" => "its URL-encoding is broken (a % not followed by two hex digits)".to_string(),
        "base64" => format!("it is not valid base64 ({})", p.str("error")),
        "not_xml" => "it decodes neither to XML nor to DEFLATE-compressed XML".to_string(),
        "too_large" => format!(
            "it {} more than {} bytes, far beyond any real SAML message",
            if p.texts("steps").is_empty() { "is" } else { "decodes to" },
            p.int("limit").unwrap_or_default()
        ),
        "utf8" => "its XML is not UTF-8".to_string(),
        "dtd" => "it carries a DOCTYPE: SAML forbids DTDs, and entity definitions are how XML bombs and external-entity attacks work; nothing was expanded or fetched".to_string(),
        "entity" => format!("it refers to the entity {}, which XML doesn't define (nothing was expanded)", p.str("name")),
        "depth" => format!("it nests elements deeper than {}", p.int("limit").unwrap_or_default()),
        "elements" => format!("it has more than {} elements", p.int("limit").unwrap_or_default()),
        "root" if p.str("name").is_empty() => "it holds no element".to_string(),
        "root" => format!("its root element is {}, not a Response or an AuthnRequest", p.str("name")),
        "empty" => "the value is empty".to_string(),
        _ => format!(
            "its XML is not well-formed: {}{}",
            p.str("error"),
            p.int("offset").map(|o| format!(" (at byte {o})")).unwrap_or_default()
        ),
    };
    f.title = format!("{what} can't be read");
    f.detail = format!(
        "The {what} was recognised, but {reason}. Decoded before that: {}.",
        steps(p)
    );
    f.fix = vec![
        "Copy the value again, whole: from the browser's network panel (the POST to the ACS URL, form field SAMLResponse) or the AuthnRequest's URL (query parameter SAMLRequest).".into(),
        "Paste the value alone, the whole form body or the URL; line breaks are fine.".into(),
    ];
}

/// A SAML form value the browser listener saw but did not keep (over its per-value limit): the
/// message was sent, nothing of it was checked.
fn omitted(f: &mut Finding, p: &Params, what: &str) {
    f.title = format!("{what} seen but too large to check");
    f.detail = format!(
        "The browser posted a {what} of {} bytes; Okta Medic's listener reads form values up to {} bytes, so this one was neither read nor checked (only its size reached the analysis). A Response this large usually carries many attributes or group values, or a long certificate chain.",
        p.int("bytes").unwrap_or_default(),
        p.int("limit").unwrap_or_default()
    );
    f.fix = vec![
        "Check it by hand: copy the form field SAMLResponse of this POST from the browser's network panel and paste it into Okta Medic, or export the sign-in as a HAR and run okta-medic har FILE.".into(),
        "If the SP rejects it, look at its size: trim the attribute statements (group filters, unneeded attributes) in the Okta app's SAML Settings.".into(),
    ];
}
