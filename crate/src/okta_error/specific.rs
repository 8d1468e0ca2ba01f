//! Advice that depends on the request an error came with: the kind of credential (an API
//! token acts with its creator's roles; an OAuth token also needs scopes), the operation's
//! required scopes (`endpoint`), and the methods a path accepts.

use crate::{context::Context, endpoint, jwt::clip, report::Finding};

/// Advice steps tagged `[ssws] ` or `[bearer] ` apply only to requests made with that kind of
/// credential; with no credential known, every step is shown. Returns the step untagged.
pub(super) fn for_credential<'a>(step: &'a str, ctx: &Context) -> Option<&'a str> {
    if let Some(rest) = step.strip_prefix("[ssws] ") {
        return (!ctx.is_bearer()).then_some(rest);
    }
    if let Some(rest) = step.strip_prefix("[bearer] ") {
        return (!ctx.is_ssws()).then_some(rest);
    }
    Some(step)
}

/// Advice that depends on what the request carried: the credential, the path, the method.
pub(super) fn contextual(code: &str, ctx: &Context, f: &mut Finding) {
    match code {
        "E0000006" if ctx.is_bearer() => {
            let op = match (ctx.method.as_deref(), ctx.path.as_deref()) {
                (Some(m), Some(p)) => endpoint::lookup(m, p),
                _ => None,
            };
            let scopes = ctx.credential.as_ref().and_then(|c| c.scopes.as_ref());
            let mut s = String::from(" This call carried an OAuth access token. For the management API two separate checks must both pass: the token's scp must include the operation's okta.* scope, and the service app (or the user the token was issued to) must hold an admin role that allows the operation on this object.");
            if let Some(op) = op.filter(|o| !o.scopes.is_empty()) {
                let req = op.scopes.join(" and ");
                match scopes {
                    Some(have) if op.scopes.iter().all(|r| endpoint::covers(have, r)) => s.push_str(&format!(
                        " {} {} needs {req}, and the token has it, so the missing piece is the admin role.",
                        op.method, op.template
                    )),
                    Some(_) => s.push_str(&format!(
                        " {} {} needs {req}, which the token lacks (see scope.missing).",
                        op.method, op.template
                    )),
                    None => s.push_str(&format!(" {} {} needs {req}.", op.method, op.template)),
                }
            }
            f.detail.push_str(&s);
            f.fix.insert(0, "Check both halves: the app's granted Okta API scopes and the admin roles assigned to the app (client).".into());
        }
        "E0000006" if ctx.is_ssws() => {
            f.detail.push_str(" This call used an API token (SSWS): it has exactly the roles of the admin who created it.");
        }
        "E0000011" if ctx.is_bearer() => {
            let custom = ctx
                .issuer()
                .and_then(crate::issuer::parse)
                .is_some_and(|i| i.server != crate::issuer::Server::Org);
            let mut s = String::from(" This request sent an OAuth access token with the Bearer scheme. The management API accepts only access tokens minted by the org authorization server (issuer https://{yourOrg}, token from /oauth2/v1/token) that are unexpired and carry okta.* scopes.");
            if custom {
                s.push_str(" This token comes from a custom authorization server (its issuer has /oauth2/…), which can never call Okta's management API: get the token from the org authorization server instead.");
            }
            f.detail.push_str(&s);
        }
        "E0000022" => {
            if let Some(p) = ctx.path.as_deref() {
                let allowed: Vec<&str> = ["GET", "POST", "PUT", "PATCH", "DELETE"]
                    .into_iter()
                    .filter(|m| endpoint::lookup(m, p).is_some())
                    .collect();
                if !allowed.is_empty() {
                    f.detail.push_str(&format!(
                        " Okta's API spec lists {} for this path{}.",
                        allowed.join(", "),
                        ctx.method
                            .as_deref()
                            .map(|m| format!("; the request used {m}"))
                            .unwrap_or_default()
                    ));
                }
            }
        }
        "E0000007" | "E0000008" => {
            if let Some(p) = ctx.path.as_deref() {
                f.detail
                    .push_str(&format!(" The request's path was {}.", clip(p)));
            }
        }
        _ => {}
    }
}
