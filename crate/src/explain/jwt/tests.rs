//! The wordings the golden fixtures don't show: a signature check's outcomes, the scheme
//! mix-ups without a fixture, the org server's lifetime rule, a token without an issuer, the
//! commands' client fallback and a stored token's title.

use serde_json::{json, Value};

use crate::{
    explain::finding,
    jwks::{self, Alg, Outcome},
    jwt::{
        decode,
        testing::{token, NOW},
    },
    report::{Finding, Severity},
};

const DEFAULT: &str = "https://dev-1.okta.com/oauth2/default";
const ORG: &str = "https://dev-1.okta.com";

/// The worded findings of a token with these claims, sent with `scheme`.
fn worded(claims: Value, scheme: Option<&str>) -> Vec<Finding> {
    let jwt = decode(
        &token(json!({"alg": "RS256", "kid": "k1"}), claims),
        scheme.map(String::from),
    );
    let mut out = crate::jwt::findings(&jwt, NOW);
    out.iter_mut().for_each(finding);
    out
}

fn by_id<'a>(findings: &'a [Finding], id: &str) -> &'a Finding {
    findings
        .iter()
        .find(|f| f.id == id)
        .unwrap_or_else(|| panic!("no {id} in {findings:?}"))
}

/// An outcome, the token checked, and the severity, title, detail (start, end), number of fix
/// steps and first command its finding must have.
type SignatureCase<'a> = (
    Outcome,
    &'a str,
    Severity,
    &'a str,
    (&'a str, &'a str),
    usize,
    Option<&'a str>,
);

#[test]
fn signature_outcomes() {
    let with_iss = token(
        json!({"alg": "RS256", "kid": "k1"}),
        json!({"iss": DEFAULT, "exp": NOW + 999}),
    );
    let without_iss = token(json!({"alg": "ES256"}), json!({"exp": NOW + 999}));
    let org_access = token(
        json!({"alg": "RS256", "kid": "k1"}),
        json!({"ver": 1, "jti": "AT.x", "iss": ORG, "cid": "0oa1", "exp": NOW + 999}),
    );
    let kid = |k: &str| Some(k.to_string());
    let cases: Vec<SignatureCase> = vec![
        (
            Outcome::Valid { alg: Alg::Rs256, kid: kid("k1") },
            &with_iss,
            Severity::Ok,
            "Signature valid",
            ("The RS256 signature verifies with key k1 from https://dev-1.okta.com/oauth2/default's JWKS:", "must still check iss, aud and exp."),
            0,
            None,
        ),
        (
            Outcome::Valid { alg: Alg::Es256, kid: None },
            &without_iss,
            Severity::Ok,
            "Signature valid",
            ("The ES256 signature verifies with key (no kid) from the issuer's JWKS:", "exp."),
            0,
            None,
        ),
        (
            Outcome::Invalid { alg: Alg::Rs384, kid: kid("k1") },
            &with_iss,
            Severity::Error,
            "Signature does not match",
            ("The RS384 signature does not verify with key k1. ", "rejects it with invalid_token."),
            2,
            None,
        ),
        (
            Outcome::KeyNotFound { kid: kid("k1"), available: vec!["a".into(), "b".into()] },
            &with_iss,
            Severity::Error,
            "Signing key k1 not in the issuer's JWKS",
            ("Likely causes, most common first: the signing key was rotated out", "Keys published: a, b."),
            0,
            Some("curl -g -s \"$OKTA_ISSUER/v1/keys\""),
        ),
        (
            Outcome::KeyNotFound { kid: None, available: vec![] },
            &without_iss,
            Severity::Error,
            "Signing key (no kid) not in the issuer's JWKS",
            ("The token has no kid and the key set has more than one usable key", "Keys published: none."),
            0,
            None,
        ),
        (
            Outcome::KeyNotFound { kid: kid("k1"), available: vec!["a".into()] },
            &org_access,
            Severity::Warning,
            "Signing key k1 not in the issuer's JWKS",
            ("Most likely cause: this is an access token from the org authorization server.", "Validate it with /introspect instead. Keys published: a."),
            0,
            Some("curl -g -s \"$OKTA_ISSUER/oauth2/v1/keys\""),
        ),
        (
            Outcome::Unsupported { alg: "HS256".into() },
            &with_iss,
            Severity::Info,
            "Signature not checked: algorithm HS256 is not supported",
            ("Okta Medic verifies RS256, RS384, RS512, ES256 and ES384.", "should never be pasted anywhere."),
            0,
            None,
        ),
        (
            Outcome::Unavailable { reason: "refused: not https".into() },
            &with_iss,
            Severity::Warning,
            "Signature not checked: the issuer's keys could not be fetched",
            ("refused: not https.", "refused: not https."),
            1,
            None,
        ),
    ];
    for (outcome, text, severity, title, (starts, ends), fixes, command) in cases {
        let mut f = jwks::finding(&outcome, text);
        assert!(
            !f.is_worded() && !f.params.is_empty(),
            "{outcome:?}: a fact"
        );
        finding(&mut f);
        assert_eq!(f.severity, severity, "{outcome:?}");
        assert_eq!(f.title, title, "{outcome:?}");
        assert!(
            f.detail.starts_with(starts) && f.detail.ends_with(ends),
            "{outcome:?}: {}",
            f.detail
        );
        assert_eq!(f.fix.len(), fixes, "{outcome:?}: {:?}", f.fix);
        assert_eq!(
            f.commands.first().map(|c| c.command.as_str()),
            command,
            "{outcome:?}"
        );
        assert!(f.action.is_none() && f.params.is_empty(), "{outcome:?}");
    }
}

#[test]
fn scheme_mismatches() {
    let cases = [
        ("ssws_as_bearer", "An SSWS API token sent with the Bearer scheme", "Change the header to \"Authorization: SSWS <token>\"."),
        ("jwt_as_ssws", "A JWT sent with the SSWS scheme", "Change the header to \"Authorization: Bearer <token>\"."),
        ("dpop_bound_as_bearer", "A DPoP-bound token sent with the Bearer scheme", "Send \"Authorization: DPoP <token>\" with a \"DPoP: <proof>\" header."),
        ("unbound_as_dpop", "DPoP scheme with a token that is not DPoP-bound", "Send it as \"Authorization: Bearer <token>\", or enable \"Require DPoP\" on the app and request the token with a DPoP proof."),
        // A stored finding from a version with a mix-up this one doesn't know.
        ("future_scheme", "Credential sent with the wrong Authorization scheme", "Send the credential with the scheme its type needs."),
    ];
    for (why, title, fix) in cases {
        let mut f = crate::token::scheme_mismatch("ssws_as_bearer").with("why", why);
        finding(&mut f);
        assert_eq!(
            (f.title.as_str(), f.fix.as_slice()),
            (title, &[fix.to_string()][..]),
            "{why}"
        );
        assert_eq!(f.severity, Severity::Error);
        assert_eq!(
            f.docs_url.as_deref(),
            Some("https://developer.okta.com/docs/reference/core-okta-api/#authentication")
        );
        assert!(!f.detail.is_empty(), "{why}");
    }
    // The DPoP scheme with a token that is not DPoP-bound, as the analysis finds it.
    let f = worded(
        json!({"ver": 1, "jti": "AT.x", "iss": DEFAULT, "cid": "0oa1", "iat": NOW, "exp": NOW + 3600}),
        Some("DPoP"),
    );
    let f = by_id(&f, "auth.scheme_mismatch");
    assert_eq!(f.title, "DPoP scheme with a token that is not DPoP-bound");
    assert!(
        f.detail.starts_with("The token has no cnf.jkt claim"),
        "{}",
        f.detail
    );
}

#[test]
fn org_lifetime_rule_and_a_token_without_issuer() {
    let f = worded(
        json!({"ver": 1, "jti": "AT.x", "iss": ORG, "cid": "0oa1", "iat": NOW, "exp": NOW + 7200}),
        None,
    );
    let unusual = by_id(&f, "jwt.lifetime_unusual");
    assert_eq!(unusual.title, "Lifetime of 2 h is outside Okta's range");
    assert!(
        unusual
            .detail
            .contains("(7200 s), but the org authorization server issues 1-hour access tokens."),
        "{}",
        unusual.detail
    );
    let f = worded(
        json!({"ver": 1, "jti": "AT.x", "cid": "0oa1", "exp": NOW + 60}),
        None,
    );
    let access = by_id(&f, "jwt.okta_access_token");
    assert_eq!(
        access.title,
        "Okta access token from an unknown authorization server"
    );
    assert_eq!(
        access.detail,
        "An access token from an unknown authorization server, requested by client 0oa1 without a user (client_credentials)."
    );
    let not_checked = by_id(&f, "jwt.signature_not_checked");
    assert!(not_checked.commands.is_empty() && not_checked.action.is_none());
}

#[test]
fn commands_name_the_client_only_when_it_is_printable() {
    let cases = [
        (
            json!({"exp": NOW - 5, "iss": DEFAULT}),
            "jwt.expired",
            "client_id=\"$CLIENT_ID\"",
        ),
        (
            json!({"exp": NOW - 5, "iss": DEFAULT, "cid": "0oa\u{7}1"}),
            "jwt.expired",
            "client_id=\"$CLIENT_ID\"",
        ),
        (
            json!({"exp": NOW - 5, "iss": DEFAULT, "aud": "0oa 2"}),
            "jwt.expired",
            "client_id='0oa 2'",
        ),
        (
            json!({"ver": 1, "jti": "AT.x", "iss": ORG, "uid": "00u1", "iat": NOW, "exp": NOW + 3600}),
            "jwt.org_authorization_server",
            "-d client_id=\"$CLIENT_ID\" -d \"token=$ACCESS_TOKEN\"",
        ),
    ];
    for (claims, id, want) in cases {
        let f = worded(claims.clone(), None);
        let cmd = by_id(&f, id).commands.first().map(|c| c.command.clone());
        assert!(
            cmd.as_deref().is_some_and(|c| c.contains(want)),
            "{claims}: {cmd:?}"
        );
    }
}

#[test]
fn a_stored_token_names_its_key_in_the_title() {
    let mut f = Finding::fact("jwt.no_expiry", Severity::Warning)
        .with(crate::storage::STORED_UNDER, "idToken");
    finding(&mut f);
    assert_eq!(f.title, "idToken: Token has no expiry (exp)");
}
