use super::*;
use crate::{context::Credential, report::Severity};

/// Builds `name` and settles it as an entry point would, in a finding of its own.
fn settled(name: &str, ctx: &Context, arg: Option<&str>, trusted: &Trusted) -> Option<Finding> {
    let c = build(name, ctx, arg)?;
    let mut f = vec![Finding::new("http.request_id", Severity::Info, "t")];
    f[0].commands.push(c);
    settle_findings(&mut f, trusted);
    f.pop()
}

fn command(name: &str, ctx: &Context, arg: Option<&str>) -> Option<String> {
    settled(name, ctx, arg, &Trusted::default())
        .and_then(|f| f.commands.first().map(|c| c.command.clone()))
}

#[test]
fn every_name_builds_with_placeholders_or_is_skipped() {
    let empty = Context::default();
    for name in NAMES {
        let c = command(name, &empty, Some("okta.users.read"));
        match name {
            "logs_request" => assert!(c.is_none()),
            _ => {
                let c = c.unwrap_or_else(|| panic!("{name}"));
                assert!(c.starts_with("curl -g -s"), "{name}");
                assert!(c.contains("$OKTA_DOMAIN"), "{name}: {c}");
                let f =
                    settled(name, &empty, Some("okta.users.read"), &Trusted::default()).unwrap();
                assert!(!f.commands[0].label.is_empty());
                assert!(
                    f.fix.is_empty(),
                    "{name}: no input host, nothing to explain"
                );
            }
        }
    }
    assert!(build("nope", &empty, None).is_none());
}

#[test]
fn known_values_are_filled_in() {
    let ctx = Context {
        domain: Some("dev-1.okta.com".into()),
        user_id: Some("00ub0oNGTSWTBKOLGLNR".into()),
        request_id: Some("reqVy8wsvmBQN27h4soUE3ZEnA".into()),
        ..Context::default()
    };
    let cases = [
        ("user_unlock", "curl -g -s -X POST \"https://dev-1.okta.com/api/v1/users/00ub0oNGTSWTBKOLGLNR/lifecycle/unlock\" -H \"Authorization: SSWS $OKTA_API_TOKEN\" -H 'Accept: application/json'"),
        ("logs_request", "curl -g -s -G \"https://dev-1.okta.com/api/v1/logs\" --data-urlencode 'filter=debugContext.debugData.requestId eq \"reqVy8wsvmBQN27h4soUE3ZEnA\"' -H \"Authorization: SSWS $OKTA_API_TOKEN\" -H 'Accept: application/json'"),
        ("introspect", "curl -g -s -X POST \"https://dev-1.okta.com/oauth2/default/v1/introspect\" -u \"$OKTA_CLIENT_ID:$OKTA_CLIENT_SECRET\" --data-urlencode \"token=$ACCESS_TOKEN\" --data-urlencode 'token_type_hint=access_token'"),
    ];
    for (name, want) in cases {
        assert_eq!(command(name, &ctx, None).as_deref(), Some(want));
    }
    let grant = command("app_grant_scope", &ctx, Some("okta.groups.read")).unwrap();
    assert!(
        grant.ends_with(
            r#"-d "{\"scopeId\":\"okta.groups.read\",\"issuer\":\"https://dev-1.okta.com\"}""#
        ),
        "{grant}"
    );
    let grant = command(
        "app_grant_scope",
        &Context::default(),
        Some("okta.groups.read"),
    )
    .unwrap();
    assert!(
        grant.ends_with(
            r#"-d "{\"scopeId\":\"okta.groups.read\",\"issuer\":\"https://$OKTA_DOMAIN\"}""#
        ),
        "{grant}"
    );
    assert!(build("app_grant_scope", &ctx, Some("a'b")).is_none());
}

fn with_issuer(iss: &str) -> Context {
    Context {
        credential: Some(Credential {
            scheme: "Bearer".into(),
            issuer: Some(iss.into()),
            ..Credential::default()
        }),
        ..Context::default()
    }
}

/// A host the input chose is named only when it is Okta's or trusted, and over https;
/// otherwise the command keeps the placeholder and the finding says why.
#[test]
fn only_okta_and_trusted_hosts_are_named() {
    let acme = Trusted::parse(&["https://login.acme.com/*"]);
    let org = |origin: &str| Context {
        origin: Some(origin.into()),
        ..Context::default()
    };
    let cases: [(Context, &Trusted, &str, &str, Option<&str>); 11] = [
        (org("https://dev-1.okta.com"), &Trusted::default(), "user_get", "\"https://dev-1.okta.com/api/v1/users/", None),
        (org("https://login.acme.com"), &acme, "user_get", "\"https://login.acme.com/api/v1/users/", None),
        (org("https://login.acme.com"), &Trusted::default(), "user_get", "\"https://$OKTA_DOMAIN/api/v1/users/", Some("login.acme.com is not an Okta domain or one of your custom domains, so the commands use $OKTA_DOMAIN: ")),
        (org("https://dev-1.okta.com.evil.example"), &acme, "api_tokens", "\"https://$OKTA_DOMAIN/api/v1/api-tokens\"", Some("dev-1.okta.com.evil.example is not an Okta domain")),
        (org("http://127.0.0.1:8443"), &acme, "user_unlock", "\"https://$OKTA_DOMAIN/api/v1/users/", Some("127.0.0.1 is not an Okta domain")),
        (org("http://dev-1.okta.com"), &acme, "user_unlock", "\"https://$OKTA_DOMAIN/api/v1/users/", Some("dev-1.okta.com was reached over http, not https, so the commands use $OKTA_DOMAIN")),
        (with_issuer("https://evil.example/oauth2/default"), &acme, "introspect", "\"$OKTA_ISSUER/v1/introspect\" -u \"$OKTA_CLIENT_ID:$OKTA_CLIENT_SECRET\"", Some("evil.example is not an Okta domain or one of your custom domains, so the commands use $OKTA_ISSUER: set it to your authorization server's issuer")),
        (with_issuer("https://login.acme.com/oauth2/aus1"), &acme, "discovery", "curl -g -s \"https://login.acme.com/oauth2/aus1/.well-known/openid-configuration\"", None),
        (with_issuer("https://dev-1.okta.com"), &acme, "introspect", "\"https://dev-1.okta.com/oauth2/v1/introspect\"", None),
        (with_issuer("https://dev-1.okta.com/oauth2/[1-100000000]"), &acme, "discovery", "curl -g -s \"$OKTA_ISSUER/.well-known/openid-configuration\"", Some("The issuer in the input is not a plain https URL, so the commands use $OKTA_ISSUER")),
        (with_issuer("https://dev-1.okta.com/oauth2/{a,b}"), &acme, "introspect", "\"$OKTA_ISSUER/v1/introspect\"", Some("The issuer in the input is not a plain https URL")),
    ];
    for (ctx, trusted, name, want, note) in cases {
        let f = settled(name, &ctx, None, trusted).unwrap();
        let c = &f.commands[0].command;
        assert!(c.contains(want), "{name} {ctx:?}: {c}");
        match note {
            Some(n) => assert!(
                f.fix.iter().any(|s| s.starts_with(n)),
                "{name}: {:?}",
                f.fix
            ),
            None => assert!(f.fix.is_empty(), "{name}: {:?}", f.fix),
        }
    }
}

#[test]
fn settle_turns_globbing_off_and_drops_what_it_cannot_vouch_for() {
    let cases = [
        (
            "curl -s \"https://$OKTA_DOMAIN/x\"",
            Some("curl -g -s \"https://$OKTA_DOMAIN/x\""),
        ),
        (
            "curl -g -s \"https://$OKTA_DOMAIN/x\"",
            Some("curl -g -s \"https://$OKTA_DOMAIN/x\""),
        ),
        (
            "curl -s A > k.json && curl -sI B | grep x",
            Some("curl -g -s A > k.json && curl -g -sI B | grep x"),
        ),
        (
            "timedatectl status; date -u",
            Some("timedatectl status; date -u"),
        ),
        ("okta-medic-curl x", Some("okta-medic-curl x")),
        (
            "curl -s https://dev-1.okta.com/x",
            Some("curl -g -s https://dev-1.okta.com/x"),
        ),
        ("curl -s https://evil.example/x", None),
        ("curl -s https://dev-1.okta.com@evil.example/x", None),
        ("curl -s 'https://dev-1.okta.com\u{202E}/x'", None),
        ("curl -s 'https://dev-1.okta.com/x\u{2028}y'", None),
        ("curl -s \"https://$(id)/x\"", None),
    ];
    for (input, want) in cases {
        let mut f = vec![Finding::new("http.request_id", Severity::Info, "t").command("l", input)];
        settle_findings(&mut f, &Trusted::default());
        assert_eq!(
            f[0].commands.first().map(|c| c.command.as_str()),
            want,
            "{input}"
        );
    }
}
