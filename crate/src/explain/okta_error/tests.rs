//! The `okta_error.*` words for the variants the golden fixtures don't show, and the
//! recorded request context the commands are built from.

use super::*;
use crate::{
    context::Credential,
    okta_error::{findings, Error},
};

fn error(code: &str, summary: Option<&str>, causes: &[&str]) -> Error {
    Error {
        code: code.into(),
        summary: summary.map(str::to_string),
        id: None,
        causes: causes.iter().map(|c| c.to_string()).collect(),
    }
}

/// The analysis, then its words.
fn worded(e: &Error, ctx: &Context) -> Finding {
    let mut f = findings(e, ctx).remove(0);
    crate::explain::finding(&mut f);
    f
}

fn with_credential(scheme: &str, ctx: Context) -> Context {
    Context {
        credential: Some(Credential {
            scheme: scheme.into(),
            ..Credential::default()
        }),
        ..ctx
    }
}

#[test]
fn error_causes_are_read_at_analysis_and_explained_in_the_words() {
    let cases = [
        (
            "login: An object with this field already exists in the current organization",
            Some("Deactivated (DEPROVISIONED) users keep their login"),
        ),
        (
            "Sign in not allowed for app '0oapt2yIp38ySYiMP0g3'.",
            Some("app 0oapt2yIp38ySYiMP0g3"),
        ),
        (
            "password: Passwords must be at least 8 characters in length",
            Some("at least 8 characters"),
        ),
        (
            "until: must be a valid date-time or empty.",
            Some("until parameter"),
        ),
        (
            "Access to YourAppName is not allowed. Everyone is not assigned to this application.",
            Some("Everyone isn't assigned"),
        ),
        ("something with no colon", None),
    ];
    for (text, want) in cases {
        let f = worded(&error("E0000001", None, &[text]), &Context::default());
        let quoted = format!("errorCauses: \"{}\"", shown(text, 300));
        assert!(f.detail.contains(&quoted), "{text}: {}", f.detail);
        let why = f
            .detail
            .split_once(&format!("{quoted} — "))
            .map(|(_, why)| why);
        match want {
            Some(w) => assert!(
                why.is_some_and(|why| why.contains(w)),
                "{text}: {}",
                f.detail
            ),
            None => assert!(
                why.is_none() && f.detail.ends_with(&format!("{quoted}.")),
                "{text}: {}",
                f.detail
            ),
        }
    }
    // A long entry: quoted cut to 300 characters, its reading cut to 300 too.
    let long = format!("password: {}", "x".repeat(2000));
    let f = worded(&error("E0000001", None, &[&long]), &Context::default());
    assert!(f.params.is_empty());
    let why = f.detail.split(" — ").nth(1).unwrap_or_default();
    assert!(why.chars().count() <= 301, "{why}");
    assert!(why.ends_with("….") || why.ends_with('…'), "{why}");
}

#[test]
fn malformed_unknown_and_path_variants() {
    let f = worded(&error("not-a-code", None, &[]), &Context::default());
    assert_eq!(f.title, "Okta error body with a malformed errorCode");
    assert!(f
        .detail
        .contains("\"not-a-code\" isn't shaped like an Okta error code"));

    let f = worded(
        &error("E0999999", None, &[]),
        &Context::with_status(Some(418)),
    );
    assert_eq!(f.title, "E0999999: an error code Okta Medic doesn't know");
    assert!(f.detail.starts_with("A client-side error"), "{}", f.detail);

    let ctx = Context {
        path: Some("/api/v1/users/00u1".into()),
        ..Context::with_status(Some(404))
    };
    let f = worded(
        &error(
            "E0000007",
            Some("Not found: Resource not found: 00u1 (User)"),
            &[],
        ),
        &ctx,
    );
    assert!(
        f.detail
            .ends_with(" The request's path was /api/v1/users/00u1."),
        "{}",
        f.detail
    );
    assert!(f
        .detail
        .contains("Okta's runtime detail: \"Resource not found: 00u1 (User)\"."));
}

#[test]
fn steps_and_commands_follow_the_credential_kind() {
    let e = error("E0000006", None, &[]);
    let ssws = worded(
        &e,
        &with_credential("SSWS", Context::with_status(Some(403))),
    );
    assert!(ssws
        .detail
        .ends_with(" This call used an API token (SSWS): it has exactly the roles of the admin who created it."));
    assert!(ssws
        .fix
        .iter()
        .any(|s| s.starts_with("API token: find its creator")));
    assert!(ssws.fix.iter().all(|s| !s.starts_with("OAuth service app")));
    let urls = |f: &Finding| -> Vec<String> {
        f.commands
            .iter()
            .filter_map(|c| c.command.split('"').nth(1).map(str::to_string))
            .collect()
    };
    assert_eq!(
        urls(&ssws),
        [
            "$OKTA_DOMAIN/api/v1/api-tokens",
            "$OKTA_DOMAIN/api/v1/users/$OKTA_USER_ID/roles"
        ]
        .map(|u| format!("https://{u}"))
    );

    // A Bearer token whose scopes are unknown (not a JWT): the operation's scope, no verdict.
    let ctx = Context {
        method: Some("POST".into()),
        path: Some("/api/v1/users/00u1/lifecycle/suspend".into()),
        ..with_credential("Bearer", Context::with_status(Some(403)))
    };
    let bearer = worded(&e, &ctx);
    assert!(
        bearer
            .detail
            .ends_with(" POST /api/v1/users/{id}/lifecycle/suspend needs okta.users.manage."),
        "{}",
        bearer.detail
    );
    assert_eq!(
        bearer.fix.first().map(String::as_str),
        Some("Check both halves: the app's granted Okta API scopes and the admin roles assigned to the app (client).")
    );
    assert!(bearer
        .fix
        .iter()
        .all(|s| !s.starts_with("API token: find its creator")));
    assert_eq!(
        urls(&bearer),
        [
            "$OKTA_DOMAIN/oauth2/v1/clients/$OKTA_CLIENT_ID/roles",
            "$OKTA_DOMAIN/api/v1/apps/$OKTA_CLIENT_ID/grants"
        ]
        .map(|u| format!("https://{u}"))
    );

    // No credential known: every step, tagged or not.
    let none = worded(&e, &Context::with_status(Some(403)));
    assert!(none
        .fix
        .iter()
        .any(|s| s.starts_with("API token: find its creator")));
    assert!(none.fix.iter().any(|s| s.starts_with("OAuth service app")));
    assert_eq!(urls(&none).len(), 4);
}

#[test]
fn commands_are_built_from_the_recorded_request() {
    let ctx = Context {
        status: Some(401),
        origin: Some("https://dev-1.okta.com".into()),
        domain: Some("dev-1.okta.com".into()),
        request_id: Some("reqAbC".into()),
        user_id: Some("00u1".into()),
        credential: Some(Credential {
            scheme: "Bearer".into(),
            client_id: Some("0oa9".into()),
            issuer: Some("https://dev-1.okta.com/oauth2/aus1".into()),
            ..Credential::default()
        }),
        ..Context::default()
    };
    let facts = findings(&error("E0000011", None, &[]), &ctx);
    let p = &facts[0].params;
    // The commands need no scheme: the credential kind is a fact of its own.
    assert_eq!(p.text("credential"), Some("bearer"));
    let mut want = Context {
        status: None,
        ..ctx.clone()
    };
    if let Some(c) = want.credential.as_mut() {
        c.scheme = String::new();
    }
    assert_eq!(request(p), want);
    let f = worded(&error("E0000011", None, &[]), &ctx);
    assert!(f
        .detail
        .contains("This token comes from a custom authorization server"));
    let commands: Vec<&str> = f.commands.iter().map(|c| c.command.as_str()).collect();
    assert_eq!(commands.len(), 2, "{commands:?}");
    assert!(
        commands[0].contains(r#"requestId eq "reqAbC""#),
        "{commands:?}"
    );
    assert!(
        commands[1].contains("\"$OKTA_ISSUER/v1/introspect\""),
        "{commands:?}"
    );
    // Settled later for the hosts the user trusts: each command keeps the host it is for.
    assert!(f.commands.iter().all(|c| c.target.is_some()));
    assert_eq!(request(&Params::default()), Context::default());
}
