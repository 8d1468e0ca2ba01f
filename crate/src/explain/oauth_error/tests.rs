//! The `oauth_error.*` words for the variants the golden fixtures don't show.

use super::*;
use crate::{
    context::Context,
    oauth_error::{findings, Error},
};

fn worded(error: &str, description: Option<&str>, source: &'static str, ctx: &Context) -> Finding {
    let e = Error {
        error: error.into(),
        description: description.map(str::to_string),
        source,
        params: Vec::new(),
    };
    let mut f = findings(&e, ctx).remove(0);
    crate::explain::finding(&mut f);
    f
}

#[test]
fn without_a_description_the_error_value_explains() {
    let f = worded(
        "invalid_client",
        None,
        "body",
        &Context::with_status(Some(401)),
    );
    assert!(f.detail.starts_with(
        "Okta returned the OAuth error \"invalid_client\" in the response body with HTTP 401, without a description."
    ), "{}", f.detail);
    assert!(!f.detail.contains("internal code"));
    assert_eq!(f.okta_cause, None);
    assert!(!f.fix.is_empty());
    assert!(f.params.is_empty());
}

#[test]
fn a_text_okta_dropped_says_so() {
    let f = worded(
        "invalid_client",
        Some("The issuer of the authorize request object is invalid."),
        "redirect",
        &Context::default(),
    );
    assert_eq!(
        f.okta_cause.as_deref(),
        Some("authorize_request_object_invalid_issuer")
    );
    assert!(f.detail.contains(" in the redirect back to the app, with the description quoted below. Okta has since dropped this text from its catalogue"), "{}", f.detail);
    assert_eq!(
        f.fix.last().map(String::as_str),
        Some("The app received this on its redirect URI: show the user a clear message and a way to start sign-in again, rather than retrying automatically.")
    );
}

#[test]
fn a_malformed_error_value_gets_a_neutral_title() {
    for error in ["<img src=x>", "invalid"] {
        let f = worded(error, None, "WWW-Authenticate", &Context::default());
        assert_eq!(f.id, "oauth_error.invalid");
        assert_eq!(
            f.title, "OAuth error with a malformed error value",
            "{error}"
        );
        assert!(f.detail.starts_with(&format!(
            "Okta returned the OAuth error \"{error}\" in the WWW-Authenticate header, without a description."
        )), "{}", f.detail);
        assert!(f.detail.ends_with(&format!(
            " \"{error}\" isn't an error value Okta documents; the description, if any, is the best guide."
        )), "{}", f.detail);
        assert_eq!(
            f.fix,
            ["Read error_description: Okta puts the specific cause there (the error value alone is generic)."]
        );
    }
}

#[test]
fn commands_carry_the_request_id() {
    let ctx = Context {
        request_id: Some("reqZ".into()),
        ..Context::with_status(Some(400))
    };
    let f = worded(
        "invalid_grant",
        Some("PKCE verification failed."),
        "body",
        &ctx,
    );
    assert!(
        f.commands
            .first()
            .is_some_and(|c| c.command.contains(r#"requestId eq "reqZ""#)),
        "{:?}",
        f.commands
    );
    let f = worded(
        "invalid_grant",
        Some("PKCE verification failed."),
        "body",
        &Context::default(),
    );
    assert!(f.commands.iter().all(|c| !c.command.contains("requestId")));
}
