//! The `idx.*` words for the variants the golden fixtures don't show.

use crate::{
    context::Context,
    idx::{findings, Message},
    report::Finding,
};

fn worded(key: Option<&str>, text: &str, class: Option<&str>) -> Vec<Finding> {
    let m = Message {
        key: key.map(str::to_string),
        text: text.into(),
        class: class.map(str::to_string),
        field: None,
    };
    let mut out = findings(&[m], &Context::default());
    out.iter_mut().for_each(crate::explain::finding);
    out
}

#[test]
fn an_unknown_key_is_named_and_not_explained() {
    let f = &worded(Some("made.up.key"), "", None)[0];
    assert_eq!(f.id, "idx.made.up.key");
    assert_eq!(f.title, "Identity Engine message made.up.key");
    assert_eq!(
        f.detail,
        "Identity Engine (IDX) returned a message with no text (i18n key made.up.key). Okta Medic has no entry for this key; the text is what the user saw."
    );
    assert_eq!(
        f.fix,
        ["Branch on i18n.key, never on the message: the text is translated and may change."]
    );
    assert!(f.commands.is_empty());
    assert!(f.params.is_empty());

    // A key unfit for an id (or none at all) is never named in the title.
    for key in [Some("a key:with spaces"), None] {
        let f = &worded(key, "Something odd happened", Some("INFO"))[0];
        assert_eq!(f.id, "idx.message");
        assert_eq!(f.title, "Identity Engine message");
        assert!(f
            .detail
            .starts_with("Identity Engine (IDX) returned an information message, quoted below"));
    }
}

#[test]
fn an_api_error_key_outside_the_catalogue() {
    let f = worded(Some("errors.E0000128"), "Whatever", Some("ERROR"));
    assert_eq!(f.len(), 2);
    assert_eq!(
        f[0].title,
        "Identity Engine message for Okta error E0000128"
    );
    assert!(f[0].detail.ends_with(
        " The key is Okta API error E0000128: see the okta_error.E0000128 finding for its cause and fix."
    ));
    assert_eq!(
        f[0].fix.first().map(String::as_str),
        Some("Follow the okta_error.E0000128 finding's steps.")
    );
    assert_eq!(f[1].id, "okta_error.unknown");
    assert_eq!(
        f[1].title,
        "E0000128: an error code Okta Medic doesn't know"
    );
}
