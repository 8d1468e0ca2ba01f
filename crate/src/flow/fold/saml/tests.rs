//! A SAML sign-in folded as a live tab folds it: the AuthnRequest to Okta, the sign-in, the
//! Response posted to the app's ACS, the cross-message checks, the story, and no secret of
//! the Response in what the tab stores or shows.

use base64::{engine::general_purpose::STANDARD, Engine};

use crate::{
    exchange::{
        saml::build::{posted, redirect_query, NS},
        Exchange, Header,
    },
    report::flow::StepKind,
    session::Session,
};

const T0: f64 = 1_765_000_000_000.0;
const ACS: &str = "https://app.example.com/saml/acs";
const SP: &str = "https://app.example.com/saml/metadata";
const SSO: &str = "https://dev-1.okta.com/app/example_app/exk1abc/sso/saml";
/// Seeded secrets: none may survive the fold.
const SIG: &str = "SEEDEDSIGNATUREVALUEc2lnbmF0dXJl";
const ATTR: &str = "seeded-attribute-value-4471";

/// A time as SAML writes it, `secs` after T0.
fn at(secs: i64) -> String {
    crate::timestamp::iso8601((T0 / 1000.0) as i64 + secs)
}

fn authn_request(id: &str) -> String {
    format!(
        r#"<samlp:AuthnRequest {NS} ID="{id}" Version="2.0" IssueInstant="{}" Destination="{SSO}" AssertionConsumerServiceURL="{ACS}" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"><saml:Issuer>{SP}</saml:Issuer></samlp:AuthnRequest>"#,
        at(0)
    )
}

/// A signed Response for `audience`, `InResponseTo` `irt` (none: IdP-initiated), posted to `dest`.
fn response(irt: Option<&str>, audience: &str, dest: &str) -> String {
    let irt_attr = irt
        .map(|i| format!(r#" InResponseTo="{i}""#))
        .unwrap_or_default();
    let irt_data = irt
        .map(|i| format!(r#" InResponseTo="{i}""#))
        .unwrap_or_default();
    format!(
        r#"<samlp:Response {NS} ID="id77" Version="2.0" IssueInstant="{t}" Destination="{dest}"{irt_attr}><saml:Issuer>http://www.okta.com/exk1abc</saml:Issuer><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignatureValue>{SIG}</ds:SignatureValue></ds:Signature><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status><saml:Assertion ID="a1" IssueInstant="{t}"><saml:Issuer>http://www.okta.com/exk1abc</saml:Issuer><saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">ada@example.com</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="{end}" Recipient="{dest}"{irt_data}/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore="{start}" NotOnOrAfter="{end}"><saml:AudienceRestriction><saml:Audience>{audience}</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AttributeStatement><saml:Attribute Name="department"><saml:AttributeValue>{ATTR}</saml:AttributeValue></saml:Attribute></saml:AttributeStatement></saml:Assertion></samlp:Response>"#,
        t = at(2),
        start = at(-298),
        end = at(302),
    )
}

/// An HTTP date (RFC 9110 §5.6.7) from `iso8601`'s `YYYY-MM-DDTHH:MM:SSZ`.
fn http_date(epoch: i64) -> String {
    let iso = crate::timestamp::iso8601(epoch);
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month: usize = iso[5..7].parse().unwrap_or(1);
    format!(
        "Mon, {} {} {} {} GMT",
        &iso[8..10],
        months[month - 1],
        &iso[0..4],
        &iso[11..19]
    )
}

fn redirect(secs: i64, xml: &str) -> Exchange {
    Exchange {
        observed_at: Some(T0 + secs as f64 * 1000.0),
        method: Some("GET".into()),
        url: Some(format!(
            "{SSO}?SAMLRequest={}&RelayState=%2Fhome",
            redirect_query(xml)
        )),
        status_code: Some(302),
        kind: Some("main_frame".into()),
        ..Exchange::default()
    }
}

/// The Response `xml` posted to `url` at `secs`, answered `status`.
fn post(secs: i64, url: &str, xml: &str, status: u16) -> Exchange {
    Exchange {
        observed_at: Some(T0 + secs as f64 * 1000.0),
        status_code: Some(status),
        kind: Some("main_frame".into()),
        ..posted(url, xml)
    }
}

fn sign_in(secs: i64) -> Exchange {
    Exchange {
        observed_at: Some(T0 + secs as f64 * 1000.0),
        method: Some("POST".into()),
        url: Some("https://dev-1.okta.com/idp/idx/identify".into()),
        status_code: Some(200),
        ..Exchange::default()
    }
}

fn fold(exchanges: &[Exchange]) -> Session {
    let mut s = Session::default();
    for ex in exchanges {
        s.fold_live(ex, None);
    }
    s
}

fn ids(s: &Session) -> Vec<String> {
    let mut v: Vec<String> = s.digest.groups.iter().map(|g| g.id.clone()).collect();
    v.sort();
    v
}

#[test]
fn an_sp_initiated_sign_in_is_one_story_with_no_finding_against_it() {
    let s = fold(&[
        redirect(0, &authn_request("id1")),
        sign_in(1),
        post(3, ACS, &response(Some("id1"), SP, ACS), 302),
    ]);
    assert_eq!(ids(&s), vec!["saml.request", "saml.response"]);
    let flows = &s.digest.flows.flows;
    assert_eq!(flows.len(), 1, "{flows:?}");
    let steps: Vec<_> = flows[0]
        .steps
        .iter()
        .map(|s| (s.step, s.status, s.ok))
        .collect();
    assert_eq!(
        steps,
        vec![
            (StepKind::SamlRequest, Some(302), true),
            (StepKind::SignIn, Some(200), true),
            (StepKind::SamlResponse, Some(302), true),
        ]
    );
    assert_eq!(flows[0].client.as_deref(), Some(SP));
    assert_eq!(flows[0].host, "dev-1.okta.com");
    assert!(s.digest.flows.saml.requests[0].answered);
}

#[test]
fn each_cross_message_check_names_what_it_compared() {
    // Audience: another entity id than the SP's.
    let s = fold(&[
        redirect(0, &authn_request("id1")),
        post(3, ACS, &response(Some("id1"), "https://other/sp", ACS), 403),
    ]);
    let g = s
        .digest
        .groups
        .iter()
        .find(|g| g.id == "saml.audience_mismatch");
    let f = &g.expect("audience_mismatch").finding;
    assert_eq!(f.params.text("spEntityId"), Some(SP));
    assert_eq!(f.params.texts("audiences"), vec!["https://other/sp"]);
    let story = &s.digest.flows.flows[0].steps;
    let last = story.last().unwrap();
    assert_eq!(
        (last.step, last.status, last.ok),
        (StepKind::SamlResponse, Some(403), false)
    );
    assert_eq!(last.finding_id.as_deref(), Some("saml.audience_mismatch"));

    // Destination: posted to the ACS, but Destination and Recipient name another URL.
    let wrong = "https://app.example.com/sso/saml";
    let s = fold(&[
        redirect(0, &authn_request("id1")),
        post(3, ACS, &response(Some("id1"), SP, wrong), 403),
    ]);
    let g = s
        .digest
        .groups
        .iter()
        .find(|g| g.id == "saml.destination_mismatch");
    let f = &g.expect("destination_mismatch").finding;
    assert_eq!(f.params.text("element"), Some("Destination"));
    assert_eq!(f.params.text("value"), Some(wrong));
    assert_eq!(f.params.text("expected"), Some(ACS));

    // Posted where it says, but not to the ACS URL the AuthnRequest asked for.
    let s = fold(&[
        redirect(0, &authn_request("id1")),
        post(3, wrong, &response(Some("id1"), SP, wrong), 404),
    ]);
    let g = s
        .digest
        .groups
        .iter()
        .find(|g| g.id == "saml.destination_mismatch");
    let f = &g.expect("destination_mismatch against the ACS URL").finding;
    assert_eq!(f.params.text("against"), Some("acsUrl"));
    assert_eq!(f.params.text("expected"), Some(ACS));

    // InResponseTo names a request this tab never sent.
    let s = fold(&[
        redirect(0, &authn_request("id1")),
        post(3, ACS, &response(Some("id9"), SP, ACS), 403),
    ]);
    let g = s
        .digest
        .groups
        .iter()
        .find(|g| g.id == "saml.in_response_to_mismatch");
    let f = &g.expect("in_response_to_mismatch").finding;
    assert_eq!(f.params.text("inResponseTo"), Some("id9"));
    assert_eq!(f.params.texts("requestIds"), vec!["id1"]);

    // IdP-initiated while the SP waits for its answer.
    let s = fold(&[
        redirect(0, &authn_request("id1")),
        post(3, ACS, &response(None, SP, ACS), 403),
    ]);
    let g = s
        .digest
        .groups
        .iter()
        .find(|g| g.id == "saml.in_response_to_mismatch");
    assert!(g
        .expect("idp-initiated")
        .finding
        .params
        .flag("idpInitiated"));

    // IdP-initiated alone is fine: its own story, no finding.
    let s = fold(&[post(3, ACS, &response(None, SP, ACS), 302)]);
    assert_eq!(ids(&s), vec!["saml.response"]);
    assert_eq!(s.digest.flows.flows.len(), 1);
    assert_eq!(s.digest.flows.flows[0].host, "app.example.com");
    // A Response naming a request when the tab saw none: nothing to compare with.
    let s = fold(&[post(3, ACS, &response(Some("id1"), SP, ACS), 302)]);
    assert_eq!(ids(&s), vec!["saml.response"]);
}

#[test]
fn the_window_is_judged_by_oktas_clock_when_the_session_measured_it() {
    // Okta's clock runs 10 minutes ahead of this computer's: the assertion (written by Okta's
    // clock, valid ±5 min around T0) is judged at T0 + 600 + 3: expired.
    let okta = |secs: i64| {
        let mut ex = sign_in(secs);
        let date = http_date((T0 / 1000.0) as i64 + secs + 600);
        ex.response_headers = vec![Header {
            name: "Date".into(),
            value: Some(date),
        }]
        .into();
        ex
    };
    let s = fold(&[
        redirect(0, &authn_request("id1")),
        okta(1),
        post(3, ACS, &response(Some("id1"), SP, ACS), 302),
    ]);
    let g = s.digest.groups.iter().find(|g| g.id == "saml.expired");
    let f = &g.expect("expired by Okta's clock").finding;
    assert!(f.params.flag("byOktaClock"));
    assert_eq!(f.params.int("skew"), Some(600));
    // Without the skew, the same Response is within its window.
    let s = fold(&[
        redirect(0, &authn_request("id1")),
        post(3, ACS, &response(Some("id1"), SP, ACS), 302),
    ]);
    assert!(!ids(&s).contains(&"saml.expired".to_string()));
}

#[test]
fn no_secret_of_the_response_survives_in_what_the_tab_stores_or_shows() {
    let xml = response(Some("id1"), "https://other/sp", ACS);
    let body = STANDARD.encode(&xml);
    let mut s = fold(&[redirect(0, &authn_request("id1")), post(3, ACS, &xml, 403)]);
    let stored = serde_json::to_string(&s.snapshot()).unwrap_or_default();
    let mut view = serde_json::to_value(s.view(T0 as i64, 80)).unwrap_or_default();
    crate::explain::show_groups(&mut view, &crate::Trusted::default());
    crate::explain::flow_story::word_value(&mut view["flows"]);
    let shown = view.to_string();
    assert!(stored.contains("saml.audience_mismatch"));
    for text in [&stored, &shown] {
        for secret in [SIG, ATTR, &body, &body[..40]] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
    s.reports.clear();
}
