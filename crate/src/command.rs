//! Ready-to-run commands for fixing what a finding explains: Okta management API calls (users'
//! lifecycle, System Log, app grants, admin roles, policies) and OAuth calls (introspect,
//! discovery), as `curl`. What the input revealed (org domain, user id, request id, client id,
//! issuer) is filled in only when `context::plain` accepted it; everything else — and every
//! secret — is an environment variable the user sets: `$OKTA_DOMAIN`, `$OKTA_API_TOKEN`,
//! `$OKTA_USER_ID`, `$OKTA_CLIENT_ID`, `$OKTA_CLIENT_SECRET`, `$ACCESS_TOKEN`.
//! Endpoints: Okta Users, System Log, Apps, Policies and Role Assignment APIs; RFC 7662.

use crate::{context::Context, issuer, report::Command, shell};

const AUTH: &str = "-H \"Authorization: SSWS $OKTA_API_TOKEN\" -H 'Accept: application/json'";

fn org(ctx: &Context) -> String {
    match (&ctx.origin, &ctx.domain) {
        (Some(origin), _) => origin.clone(),
        (None, Some(d)) => format!("https://{d}"),
        (None, None) => "https://$OKTA_DOMAIN".to_string(),
    }
}

fn user(ctx: &Context) -> &str {
    ctx.user_id.as_deref().unwrap_or("$OKTA_USER_ID")
}

fn client(ctx: &Context) -> &str {
    ctx.client_id().unwrap_or("$OKTA_CLIENT_ID")
}

/// The custom authorization server's id, from the token's issuer (`default` included).
fn auth_server(ctx: &Context) -> String {
    match ctx.issuer().and_then(issuer::parse).map(|i| i.server) {
        Some(issuer::Server::Default) => "default".to_string(),
        Some(issuer::Server::Custom(id)) => id,
        _ => "$OKTA_AUTH_SERVER_ID".to_string(),
    }
}

fn api(method: &str, url: String) -> String {
    if method == "GET" {
        format!("curl -s \"{url}\" {AUTH}")
    } else {
        format!("curl -s -X {method} \"{url}\" {AUTH}")
    }
}

/// A System Log query; `filter` is a System Log expression whose values are plain words.
fn logs(ctx: &Context, filter: &str) -> String {
    format!(
        "curl -s -G \"{}/api/v1/logs\" --data-urlencode {} {AUTH}",
        org(ctx),
        shell::quote(&format!("filter={filter}"))
    )
}

fn cmd(label: impl Into<String>, command: String) -> Command {
    Command {
        label: label.into(),
        command,
    }
}

/// The names our advice catalogues use for commands.
pub const NAMES: [&str; 28] = [
    "user_get",
    "user_unlock",
    "user_expire_password",
    "user_reset_password",
    "user_activate",
    "user_reactivate",
    "user_unsuspend",
    "user_factors",
    "user_roles",
    "user_apps",
    "logs_request",
    "logs_user_failures",
    "logs_user_lockouts",
    "logs_rate_limit",
    "introspect",
    "app_get",
    "app_assign_user",
    "app_grants",
    "app_grant_scope",
    "client_roles",
    "as_policies",
    "as_scopes",
    "policies_sign_on",
    "policies_access",
    "policies_password",
    "org_pipeline",
    "discovery",
    "api_tokens",
];

/// Builds the named command for this context. `None` for unknown names and for commands that
/// need a value the context doesn't have and no placeholder can stand for (a request id).
/// `arg` is an extra plain word some commands take (the scope to grant).
pub fn build(name: &str, ctx: &Context, arg: Option<&str>) -> Option<Command> {
    let org = org(ctx);
    let u = user(ctx);
    Some(match name {
        "user_get" => cmd(
            "Look up the user: status (ACTIVE, LOCKED_OUT, PASSWORD_EXPIRED, SUSPENDED…), lastLogin, passwordChanged",
            api("GET", format!("{org}/api/v1/users/{u}")),
        ),
        "user_unlock" => cmd(
            "Unlock the user (only when status is LOCKED_OUT)",
            api("POST", format!("{org}/api/v1/users/{u}/lifecycle/unlock")),
        ),
        "user_expire_password" => cmd(
            "Expire the password and issue a temporary one the user must change at next sign-in",
            api(
                "POST",
                format!("{org}/api/v1/users/{u}/lifecycle/expire_password?tempPassword=true"),
            ),
        ),
        "user_reset_password" => cmd(
            "Send the user a password-reset email",
            api(
                "POST",
                format!("{org}/api/v1/users/{u}/lifecycle/reset_password?sendEmail=true"),
            ),
        ),
        "user_activate" => cmd(
            "Activate the user and send the activation email (STAGED or PROVISIONED users)",
            api(
                "POST",
                format!("{org}/api/v1/users/{u}/lifecycle/activate?sendEmail=true"),
            ),
        ),
        "user_reactivate" => cmd(
            "Resend activation to a user stuck in PROVISIONED",
            api(
                "POST",
                format!("{org}/api/v1/users/{u}/lifecycle/reactivate?sendEmail=true"),
            ),
        ),
        "user_unsuspend" => cmd(
            "Unsuspend the user (only when status is SUSPENDED)",
            api("POST", format!("{org}/api/v1/users/{u}/lifecycle/unsuspend")),
        ),
        "user_factors" => cmd(
            "List the user's enrolled factors and their status",
            api("GET", format!("{org}/api/v1/users/{u}/factors")),
        ),
        "user_roles" => cmd(
            "List the admin roles assigned to the user (for an API token: its creator)",
            api("GET", format!("{org}/api/v1/users/{u}/roles")),
        ),
        "user_apps" => cmd(
            "List the apps the user is assigned to",
            api("GET", format!("{org}/api/v1/users/{u}/appLinks")),
        ),
        "logs_request" => {
            let id = ctx.request_id.as_deref()?;
            cmd(
                format!("Find request {id} in the System Log"),
                logs(ctx, &format!("debugContext.debugData.requestId eq \"{id}\"")),
            )
        }
        "logs_user_failures" => match ctx.user_id.as_deref() {
            Some(id) => cmd(
                "Failed events for this user in the System Log (outcome.reason says why)",
                logs(
                    ctx,
                    &format!("actor.id eq \"{id}\" and outcome.result eq \"FAILURE\""),
                ),
            ),
            None => cmd(
                "Failed sign-ins in the System Log (outcome.reason says why; add actor.alternateId eq \"<login>\" to narrow)",
                logs(
                    ctx,
                    "eventType eq \"user.session.start\" and outcome.result eq \"FAILURE\"",
                ),
            ),
        },
        "logs_user_lockouts" => cmd(
            "Account lockouts in the System Log",
            logs(ctx, "eventType eq \"user.account.lock\""),
        ),
        "logs_rate_limit" => cmd(
            "Rate-limit violations in the System Log (which bucket, which client)",
            logs(ctx, "eventType eq \"system.org.rate_limit.violation\""),
        ),
        "introspect" => {
            let endpoint = ctx
                .issuer()
                .and_then(issuer::parse)
                .map(|i| i.endpoint("introspect"))
                .unwrap_or_else(|| format!("{org}/oauth2/default/v1/introspect"));
            cmd(
                "Ask the authorization server whether the token is active (RFC 7662)",
                format!(
                    "curl -s -X POST \"{endpoint}\" -u \"$OKTA_CLIENT_ID:$OKTA_CLIENT_SECRET\" --data-urlencode \"token=$ACCESS_TOKEN\" --data-urlencode 'token_type_hint=access_token'"
                ),
            )
        }
        "app_get" => cmd(
            "Read the app's OAuth settings: redirect_uris, grant_types, token_endpoint_auth_method, PKCE",
            api("GET", format!("{org}/api/v1/apps/{}", client(ctx))),
        ),
        "app_assign_user" => cmd(
            "Assign the user to the app",
            format!(
                "curl -s -X POST \"{org}/api/v1/apps/{}/users\" {AUTH} -H 'Content-Type: application/json' -d \"{{\\\"id\\\":\\\"{u}\\\"}}\"",
                client(ctx)
            ),
        ),
        "app_grants" => cmd(
            "List the Okta API scopes granted to the app",
            api("GET", format!("{org}/api/v1/apps/{}/grants", client(ctx))),
        ),
        "app_grant_scope" => {
            let scope = arg.and_then(crate::context::plain)?;
            cmd(
                format!("Grant {scope} to the app (Super Admin only)"),
                format!(
                    "curl -s -X POST \"{org}/api/v1/apps/{}/grants\" {AUTH} -H 'Content-Type: application/json' -d \"{{\\\"scopeId\\\":\\\"{scope}\\\",\\\"issuer\\\":\\\"{org}\\\"}}\"",
                    client(ctx)
                ),
            )
        }
        "client_roles" => cmd(
            "List the admin roles assigned to the service app",
            api("GET", format!("{org}/oauth2/v1/clients/{}/roles", client(ctx))),
        ),
        "as_policies" => cmd(
            "List the authorization server's access policies (then GET …/policies/{policyId}/rules)",
            api(
                "GET",
                format!("{org}/api/v1/authorizationServers/{}/policies", auth_server(ctx)),
            ),
        ),
        "as_scopes" => cmd(
            "List the scopes defined on the authorization server",
            api(
                "GET",
                format!("{org}/api/v1/authorizationServers/{}/scopes", auth_server(ctx)),
            ),
        ),
        "policies_sign_on" => cmd(
            "List the global session (sign-on) policies and their rules",
            api("GET", format!("{org}/api/v1/policies?type=OKTA_SIGN_ON")),
        ),
        "policies_access" => cmd(
            "List the authentication (app sign-in) policies",
            api("GET", format!("{org}/api/v1/policies?type=ACCESS_POLICY")),
        ),
        "policies_password" => cmd(
            "List the password policies (complexity, history, age, lockout, recovery)",
            api("GET", format!("{org}/api/v1/policies?type=PASSWORD")),
        ),
        "org_pipeline" => cmd(
            "Check whether the org runs Identity Engine (\"pipeline\": \"idx\") or Classic (\"v1\")",
            format!("curl -s \"{org}/.well-known/okta-organization\""),
        ),
        "discovery" => {
            let url = ctx
                .issuer()
                .and_then(issuer::parse)
                .map(|i| i.discovery())
                .unwrap_or_else(|| format!("{org}/oauth2/default/.well-known/openid-configuration"));
            cmd(
                "Read the authorization server's metadata (grant types, scopes, endpoints)",
                format!("curl -s \"{url}\""),
            )
        }
        "api_tokens" => cmd(
            "List the org's API tokens (which exist, who created them, last used)",
            api("GET", format!("{org}/api/v1/api-tokens")),
        ),
        _ => return None,
    })
}

/// Builds several named commands, skipping those the context can't support.
pub fn build_all<'a>(names: impl IntoIterator<Item = &'a str>, ctx: &Context) -> Vec<Command> {
    names
        .into_iter()
        .filter_map(|n| build(n, ctx, None))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_builds_with_placeholders_or_is_skipped() {
        let empty = Context::default();
        for name in NAMES {
            let c = build(name, &empty, Some("okta.users.read"));
            match name {
                "logs_request" => assert!(c.is_none()),
                _ => {
                    let c = c.unwrap_or_else(|| panic!("{name}"));
                    assert!(c.command.starts_with("curl -s"), "{name}");
                    assert!(!c.label.is_empty());
                    assert!(c.command.contains("$OKTA_DOMAIN"), "{name}: {}", c.command);
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
            ("user_unlock", "curl -s -X POST \"https://dev-1.okta.com/api/v1/users/00ub0oNGTSWTBKOLGLNR/lifecycle/unlock\" -H \"Authorization: SSWS $OKTA_API_TOKEN\" -H 'Accept: application/json'"),
            ("logs_request", "curl -s -G \"https://dev-1.okta.com/api/v1/logs\" --data-urlencode 'filter=debugContext.debugData.requestId eq \"reqVy8wsvmBQN27h4soUE3ZEnA\"' -H \"Authorization: SSWS $OKTA_API_TOKEN\" -H 'Accept: application/json'"),
            ("introspect", "curl -s -X POST \"https://dev-1.okta.com/oauth2/default/v1/introspect\" -u \"$OKTA_CLIENT_ID:$OKTA_CLIENT_SECRET\" --data-urlencode \"token=$ACCESS_TOKEN\" --data-urlencode 'token_type_hint=access_token'"),
        ];
        for (name, want) in cases {
            assert_eq!(
                build(name, &ctx, None).map(|c| c.command).as_deref(),
                Some(want)
            );
        }
        let grant = build("app_grant_scope", &ctx, Some("okta.groups.read")).unwrap();
        assert!(
            grant.command.ends_with(
                r#"-d "{\"scopeId\":\"okta.groups.read\",\"issuer\":\"https://dev-1.okta.com\"}""#
            ),
            "{}",
            grant.command
        );
        let grant = build(
            "app_grant_scope",
            &Context::default(),
            Some("okta.groups.read"),
        )
        .unwrap();
        assert!(
            grant.command.ends_with(
                r#"-d "{\"scopeId\":\"okta.groups.read\",\"issuer\":\"https://$OKTA_DOMAIN\"}""#
            ),
            "{}",
            grant.command
        );
        assert!(build("app_grant_scope", &ctx, Some("a'b")).is_none());
    }
}
