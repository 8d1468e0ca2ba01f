//! What the request an error came with adds to the advice for some codes, recorded for the
//! words: for E0000006 with an OAuth token, the operation's required scopes and whether the
//! token holds them (`endpoint`); for E0000011 with an OAuth token, whether it comes from a
//! custom authorization server; for E0000022, the methods the path accepts; for E0000007 and
//! E0000008, the path. The credential kind itself is recorded by `findings`.

use crate::{context::Context, endpoint, jwt::clip, params::Params};

/// Set in place on the finding's params (`Finding::with` moves the whole finding each call).
pub(super) fn facts(code: &str, ctx: &Context, p: &mut Params) {
    match code {
        "E0000006" if ctx.is_bearer() => {
            let op = match (ctx.method.as_deref(), ctx.path.as_deref()) {
                (Some(m), Some(p)) => endpoint::lookup(m, p),
                _ => None,
            };
            let Some(op) = op.filter(|o| !o.scopes.is_empty()) else {
                return;
            };
            let scopes = ctx.credential.as_ref().and_then(|c| c.scopes.as_ref());
            let held = scopes.map(|have| op.scopes.iter().all(|r| endpoint::covers(have, r)));
            p.set("opMethod", op.method);
            p.set("opPath", op.template);
            p.set("opScopes", op.scopes.clone());
            p.set("scopesHeld", held);
        }
        "E0000011" if ctx.is_bearer() => {
            let custom = ctx
                .issuer()
                .and_then(crate::issuer::parse)
                .is_some_and(|i| i.server != crate::issuer::Server::Org);
            p.set("customServer", custom.then_some(true));
        }
        "E0000022" => {
            let Some(path) = ctx.path.as_deref() else {
                return;
            };
            let allowed: Vec<&str> = ["GET", "POST", "PUT", "PATCH", "DELETE"]
                .into_iter()
                .filter(|m| endpoint::lookup(m, path).is_some())
                .collect();
            if allowed.is_empty() {
                return;
            }
            p.set("allowed", allowed);
            p.set("method", ctx.method.as_deref());
        }
        "E0000007" | "E0000008" => p.set("path", ctx.path.as_deref().map(clip)),
        _ => {}
    }
}
