//! What the request an error came with adds to the advice for some codes, recorded for the
//! words: for E0000006 with an OAuth token, the operation's required scopes and whether the
//! token holds them (`endpoint`); for E0000011 with an OAuth token, whether it comes from a
//! custom authorization server; for E0000022, the methods the path accepts; for E0000007 and
//! E0000008, the path. The credential kind itself is recorded by `findings`.

use crate::{context::Context, endpoint, jwt::clip, report::Finding};

pub(super) fn facts(code: &str, ctx: &Context, f: Finding) -> Finding {
    match code {
        "E0000006" if ctx.is_bearer() => {
            let op = match (ctx.method.as_deref(), ctx.path.as_deref()) {
                (Some(m), Some(p)) => endpoint::lookup(m, p),
                _ => None,
            };
            let Some(op) = op.filter(|o| !o.scopes.is_empty()) else {
                return f;
            };
            let scopes = ctx.credential.as_ref().and_then(|c| c.scopes.as_ref());
            let held = scopes.map(|have| op.scopes.iter().all(|r| endpoint::covers(have, r)));
            f.with("opMethod", op.method)
                .with("opPath", op.template)
                .with("opScopes", op.scopes.clone())
                .with("scopesHeld", held)
        }
        "E0000011" if ctx.is_bearer() => {
            let custom = ctx
                .issuer()
                .and_then(crate::issuer::parse)
                .is_some_and(|i| i.server != crate::issuer::Server::Org);
            f.with("customServer", custom.then_some(true))
        }
        "E0000022" => {
            let Some(p) = ctx.path.as_deref() else {
                return f;
            };
            let allowed: Vec<&str> = ["GET", "POST", "PUT", "PATCH", "DELETE"]
                .into_iter()
                .filter(|m| endpoint::lookup(m, p).is_some())
                .collect();
            if allowed.is_empty() {
                return f;
            }
            f.with("allowed", allowed)
                .with("method", ctx.method.as_deref())
        }
        "E0000007" | "E0000008" => f.with("path", ctx.path.as_deref().map(clip)),
        _ => f,
    }
}
