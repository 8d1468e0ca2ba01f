//! Ready-to-run commands for fixing what a finding explains: Okta management API calls (users'
//! lifecycle, System Log, app grants, admin roles, policies) and OAuth calls (introspect,
//! discovery), as `curl`. What the input revealed (user id, request id, client id) is filled in
//! only when `context::plain` accepted it; every secret is an environment variable the user
//! sets: `$OKTA_API_TOKEN`, `$OKTA_CLIENT_SECRET`, `$ACCESS_TOKEN`, `$REFRESH_TOKEN`.
//!
//! Where a command is sent is never the input's choice alone: a token's `iss` or a request's
//! host is written as `https://$OKTA_DOMAIN` or `$OKTA_ISSUER` and recorded as the command's
//! [`Target`]; [`settle`], run by every analysis entry point, puts the input's value in only
//! when its host is Okta's or a custom domain the user configured (`domain::Trusted`) and it
//! uses https, and otherwise adds a sentence to the finding saying why. Every curl runs with
//! globbing off (`-g`), so `[1-1000]` or `{a,b}` in a URL is sent as it is.
//! Endpoints: Okta Users, System Log, Apps, Policies and Role Assignment APIs; RFC 7662.

use crate::{
    context::{self, Context},
    domain::{self, Trusted},
    issuer::{self, Issuer},
    report::{Command, Finding, Report},
    shell,
};

const AUTH: &str = "-H \"Authorization: SSWS $OKTA_API_TOKEN\" -H 'Accept: application/json'";

/// How an org's origin is written in a command until [`settle`] may fill it in.
pub const ORG: &str = "https://$OKTA_DOMAIN";
/// How an issuer is written in a command until [`settle`] may fill it in.
pub const ISSUER: &str = "$OKTA_ISSUER";

/// Where a command sends its request when the input chose it: the placeholder the command is
/// written with and the input's base URL (`https://dev-1.okta.com`, `…/oauth2/default`), when
/// that is a plain word at all.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Target {
    placeholder: &'static str,
    value: Option<String>,
}

impl Target {
    /// The org the context names (its request's origin, or the issuer's host); `None` when it
    /// names none, and the command simply uses `$OKTA_DOMAIN`.
    pub fn org(ctx: &Context) -> Option<Target> {
        let value = match (&ctx.origin, &ctx.domain) {
            (Some(origin), _) => origin.clone(),
            (None, Some(d)) => format!("https://{d}"),
            (None, None) => return None,
        };
        Some(Target {
            placeholder: ORG,
            value: base_value(&value),
        })
    }

    /// A token's issuer.
    pub fn issuer(iss: &Issuer) -> Target {
        Target {
            placeholder: ISSUER,
            value: base_value(&iss.url),
        }
    }

    /// The value to write in place of the placeholder, or the sentence saying why not.
    fn decide(&self, trusted: &Trusted) -> Result<&str, String> {
        let (var, set) = match self.placeholder {
            ISSUER => (
                "$OKTA_ISSUER",
                "set it to your authorization server's issuer (https://{yourOktaDomain}/oauth2/default)",
            ),
            _ => ("$OKTA_DOMAIN", "set it to your Okta domain (dev-123456.okta.com or your custom domain)"),
        };
        let what = if self.placeholder == ISSUER {
            "issuer"
        } else {
            "host"
        };
        let Some((value, (scheme, host))) = self
            .value
            .as_deref()
            .and_then(|v| Some((v, domain::base_parts(v)?)))
        else {
            return Err(format!(
                "The {what} in the input is not a plain https URL, so the commands use {var}: {set}."
            ));
        };
        if !trusted.allows(&host) {
            Err(format!(
                "{host} is not an Okta domain or one of your custom domains, so the commands use {var}: {set}."
            ))
        } else if scheme != "https" {
            Err(format!(
                "{host} was reached over {scheme}, not https, so the commands use {var}: {set}."
            ))
        } else {
            Ok(value)
        }
    }
}

/// A base URL that could be written into a double-quoted command word unchanged.
fn base_value(url: &str) -> Option<String> {
    context::plain(url).filter(|v| v.len() == url.len())
}

/// Settles every command in `report` for the hosts the user trusts: fills in each command's
/// target or adds the finding a sentence saying why it can't; makes every curl run with
/// globbing off; and drops any command that would still name a host nobody trusted or carry
/// a control, format or separator character (a backstop: the builders never write one).
pub fn settle(report: &mut Report, trusted: &Trusted) {
    settle_findings(&mut report.findings, trusted);
}

/// [`settle`] for findings not yet in a report.
pub fn settle_findings(findings: &mut [Finding], trusted: &Trusted) {
    for f in findings {
        let mut notes: Vec<String> = Vec::new();
        for c in &mut f.commands {
            if let Some(t) = c.target.take() {
                match t.decide(trusted) {
                    Ok(value) => c.command = c.command.replace(t.placeholder, value),
                    Err(note) if !notes.contains(&note) => notes.push(note),
                    Err(_) => {}
                }
            }
            c.command = globoff(&c.command);
        }
        f.commands.retain(|c| {
            shell::printable(&c.command)
                && hosts(&c.command).iter().all(|h| host_allowed(h, trusted))
        });
        for note in notes {
            if !f.fix.contains(&note) {
                f.fix.push(note);
            }
        }
    }
}

/// `curl` → `curl -g` wherever a command runs curl without it.
fn globoff(command: &str) -> String {
    let mut out = String::with_capacity(command.len() + 3);
    let mut rest = command;
    while let Some(i) = rest.find("curl ") {
        let (before, from) = rest.split_at(i);
        out.push_str(before);
        let word = out
            .chars()
            .last()
            .is_none_or(|c| matches!(c, ' ' | ';' | '|' | '&' | '('));
        out.push_str("curl ");
        let after = from.get(5..).unwrap_or_default();
        if word && !after.starts_with("-g ") {
            out.push_str("-g ");
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// The host of every URL (`scheme://…`) a command names, as written (placeholders included).
pub fn hosts(command: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = command;
    while let Some(i) = rest.find("://") {
        let after = rest.get(i + 3..).unwrap_or_default();
        let authority = after
            .split(['/', '"', '\'', ' ', '?', '#', '\\', ')', '`'])
            .next()
            .unwrap_or_default();
        out.push(authority.to_string());
        rest = after;
    }
    out
}

/// A URL authority a command may name: a `$PLACEHOLDER`, or a DNS name (with a port) that is
/// Okta's or trusted. Userinfo, IP-literal brackets and escapes are never allowed.
pub fn host_allowed(authority: &str, trusted: &Trusted) -> bool {
    if let Some(var) = authority.strip_prefix('$') {
        return !var.is_empty() && var.chars().all(|c| c.is_ascii_uppercase() || c == '_');
    }
    domain::base_parts(&format!("https://{authority}")).is_some_and(|(_, h)| trusted.allows(&h))
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
        Some(issuer::Server::Custom(id)) if context::plain(&id).is_some() => id,
        _ => "$OKTA_AUTH_SERVER_ID".to_string(),
    }
}

fn api(method: &str, url: String) -> String {
    if method == "GET" {
        format!("curl -g -s \"{url}\" {AUTH}")
    } else {
        format!("curl -g -s -X {method} \"{url}\" {AUTH}")
    }
}

/// A System Log query; `filter` is a System Log expression whose values are plain words.
fn logs(filter: &str) -> String {
    format!(
        "curl -g -s -G \"{ORG}/api/v1/logs\" --data-urlencode {} {AUTH}",
        shell::quote(&format!("filter={filter}"))
    )
}

fn cmd(label: impl Into<String>, command: String) -> Command {
    Command {
        label: label.into(),
        command,
        target: None,
    }
}

/// A command sent to `target` (when the input named one).
pub fn sent_to(target: Option<Target>, label: impl Into<String>, command: String) -> Command {
    Command {
        target,
        ..cmd(label, command)
    }
}

/// The names our advice catalogues use for commands (the catalogues' tests check them).
#[cfg(test)]
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
    let org = ORG;
    let u = user(ctx);
    let mut c = match name {
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
                logs(&format!("debugContext.debugData.requestId eq \"{id}\"")),
            )
        }
        "logs_user_failures" => match ctx.user_id.as_deref() {
            Some(id) => cmd(
                "Failed events for this user in the System Log (outcome.reason says why)",
                logs(
                    &format!("actor.id eq \"{id}\" and outcome.result eq \"FAILURE\""),
                ),
            ),
            None => cmd(
                "Failed sign-ins in the System Log (outcome.reason says why; add actor.alternateId eq \"<login>\" to narrow)",
                logs(
                    "eventType eq \"user.session.start\" and outcome.result eq \"FAILURE\"",
                ),
            ),
        },
        "logs_user_lockouts" => cmd(
            "Account lockouts in the System Log",
            logs("eventType eq \"user.account.lock\""),
        ),
        "logs_rate_limit" => cmd(
            "Rate-limit violations in the System Log (which bucket, which client)",
            logs("eventType eq \"system.org.rate_limit.violation\""),
        ),
        "introspect" => {
            let iss = ctx.issuer().and_then(issuer::parse);
            let endpoint = match &iss {
                Some(i) => format!("{ISSUER}{}", i.endpoint_path("introspect")),
                None => format!("{org}/oauth2/default/v1/introspect"),
            };
            sent_to(
                iss.as_ref().map(Target::issuer),
                "Ask the authorization server whether the token is active (RFC 7662)",
                format!(
                    "curl -g -s -X POST \"{endpoint}\" -u \"$OKTA_CLIENT_ID:$OKTA_CLIENT_SECRET\" --data-urlencode \"token=$ACCESS_TOKEN\" --data-urlencode 'token_type_hint=access_token'"
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
                "curl -g -s -X POST \"{org}/api/v1/apps/{}/users\" {AUTH} -H 'Content-Type: application/json' -d \"{{\\\"id\\\":\\\"{u}\\\"}}\"",
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
                    "curl -g -s -X POST \"{org}/api/v1/apps/{}/grants\" {AUTH} -H 'Content-Type: application/json' -d \"{{\\\"scopeId\\\":\\\"{scope}\\\",\\\"issuer\\\":\\\"{org}\\\"}}\"",
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
            format!("curl -g -s \"{org}/.well-known/okta-organization\""),
        ),
        "discovery" => {
            let iss = ctx.issuer().and_then(issuer::parse);
            let url = match &iss {
                Some(_) => format!("{ISSUER}{}", issuer::DISCOVERY),
                None => format!("{org}/oauth2/default{}", issuer::DISCOVERY),
            };
            sent_to(
                iss.as_ref().map(Target::issuer),
                "Read the authorization server's metadata (grant types, scopes, endpoints)",
                format!("curl -g -s \"{url}\""),
            )
        }
        "api_tokens" => cmd(
            "List the org's API tokens (which exist, who created them, last used)",
            api("GET", format!("{org}/api/v1/api-tokens")),
        ),
        _ => return None,
    };
    if c.target.is_none() && c.command.contains(ORG) {
        c.target = Target::org(ctx);
    }
    Some(c)
}

/// Builds several named commands, skipping those the context can't support.
pub fn build_all<'a>(names: impl IntoIterator<Item = &'a str>, ctx: &Context) -> Vec<Command> {
    names
        .into_iter()
        .filter_map(|n| build(n, ctx, None))
        .collect()
}

#[cfg(test)]
mod tests;
