//! Okta endpoints: which API family a request path belongs to and which OAuth scopes the
//! operation requires (okta.md §6.1–6.2 and Appendix A, from Okta's management OpenAPI spec
//! 5.1.0, embedded as `data/scopes.tsv` and `data/api_families.tsv`). Concrete ids in a path
//! (`/api/v1/users/00u1…/roles`) match the spec's `{userId}` segments. Also owns
//! `scope.missing`: a 403 / `insufficient_scope` with a Bearer token whose `scp` lacks the
//! operation's scope.

use crate::{
    catalogue,
    context::Context,
    jwt::clip,
    report::{Finding, Severity},
    sort::Sorted,
};

const SCOPES: &str = crate::catalogue::data!("scopes.tsv");

/// One operation of the management API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operation {
    pub method: &'static str,
    /// The spec's path template, e.g. `/api/v1/users/{userId}/lifecycle/unlock`.
    pub template: &'static str,
    /// All of these are required (empty: no scope, public or special).
    pub scopes: Vec<&'static str>,
    /// The path family, e.g. `/api/v1/users`.
    pub family: Option<&'static str>,
}

struct Index {
    ops: Vec<Operation>,
    /// First three path segments → operations under them.
    by_prefix: Sorted<String, Vec<usize>>,
}

pub(crate) fn segments(path: &str) -> Vec<&str> {
    path.trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect()
}

fn prefix_key(segs: &[&str]) -> String {
    segs.iter().take(3).copied().collect::<Vec<_>>().join("/")
}

fn index() -> &'static Index {
    static INDEX: catalogue::Parsed<Index> = catalogue::Parsed::new();
    INDEX.get_or_init(|| {
        let families: Vec<&'static str> = catalogue::rows(catalogue::read!("api_families.tsv"))
            .filter_map(|r| r.first().copied())
            .collect();
        let mut ops = Vec::new();
        let mut by_prefix: Sorted<String, Vec<usize>> = Sorted::new();
        for row in catalogue::rows(SCOPES) {
            let (Some(method), Some(template)) = (row.first(), row.get(1)) else {
                continue;
            };
            let scopes = catalogue::cell(&row, 2)
                .map(|s| s.split_whitespace().collect())
                .unwrap_or_default();
            let family = families
                .iter()
                .filter(|f| {
                    template
                        .strip_prefix(**f)
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
                })
                .max_by_key(|f| f.len())
                .copied();
            if let Some(group) = by_prefix.entry(prefix_key(&segments(template)), Vec::new) {
                group.push(ops.len());
            }
            ops.push(Operation {
                method,
                template,
                scopes,
                family,
            });
        }
        Index { ops, by_prefix }
    })
}

/// Every catalogued operation (for tests and tooling).
#[cfg(test)]
pub fn operations() -> &'static [Operation] {
    &index().ops
}

/// How well a template fits a path: `None` if it doesn't; otherwise literal segments matched,
/// position by position, so `/users/me` beats `/users/{id}` and ties break left to right.
pub(crate) fn fit(template: &str, path: &[&str]) -> Option<Vec<bool>> {
    let t = segments(template);
    if t.len() != path.len() {
        return None;
    }
    t.iter()
        .zip(path)
        .map(|(t, p)| {
            if t.starts_with('{') && t.ends_with('}') {
                Some(false)
            } else {
                (t == p).then_some(true)
            }
        })
        .collect()
}

/// The operation a method and path (query, fragment and host ignored) refer to.
pub fn lookup(method: &str, path: &str) -> Option<&'static Operation> {
    let path = crate::context::path_of(path).unwrap_or_default();
    let segs = segments(&path);
    let idx = index();
    idx.by_prefix
        .get(&prefix_key(&segs))?
        .iter()
        .filter_map(|i| idx.ops.get(*i))
        .filter(|op| op.method.eq_ignore_ascii_case(method))
        .filter_map(|op| fit(op.template, &segs).map(|f| (f, op)))
        .max_by(|(a, _), (b, _)| a.cmp(b))
        .map(|(_, op)| op)
}

/// Does a token with `granted` scopes hold `required`? A `*.manage` scope also covers the
/// matching `*.read` (okta.md §6.1).
pub fn covers(granted: &[String], required: &str) -> bool {
    granted.iter().any(|g| g == required)
        || required
            .strip_suffix(".read")
            .is_some_and(|base| granted.iter().any(|g| *g == format!("{base}.manage")))
}

/// `scope.missing` when the response refused the call (403, or `insufficient_scope` in a
/// `WWW-Authenticate` challenge, whose `scope` parameter names the needed scope) and the
/// request's Bearer token lacks a scope the operation needs.
pub fn findings(ctx: &Context) -> Vec<Finding> {
    let challenge = ctx
        .headers
        .iter()
        .filter(|h| h.name.eq_ignore_ascii_case("www-authenticate"))
        .filter_map(|h| crate::oauth_error::parse_challenge(h.value.unwrap_or_default()))
        .find(|e| e.error == "insufficient_scope");
    let scope_param = challenge.as_ref().and_then(|e| {
        e.params
            .iter()
            .find(|(k, _)| k == "scope")
            .map(|(_, v)| v.as_str())
    });
    let refused = challenge.is_some() || ctx.status == Some(403);
    let Some(granted) = ctx
        .credential
        .as_ref()
        .filter(|c| c.is_bearer())
        .and_then(|c| c.scopes.as_ref())
    else {
        return Vec::new();
    };
    if !refused {
        return Vec::new();
    }
    let op = match (ctx.method.as_deref(), ctx.path.as_deref()) {
        (Some(m), Some(p)) => lookup(m, p),
        _ => None,
    };
    let required: Vec<String> = match scope_param.map(str::split_whitespace) {
        Some(words) => words.filter_map(crate::context::plain).collect(),
        None => op
            .map(|o| o.scopes.iter().map(|s| s.to_string()).collect())
            .unwrap_or_default(),
    };
    let missing: Vec<&String> = required.iter().filter(|r| !covers(granted, r)).collect();
    if missing.is_empty() {
        return Vec::new();
    }
    let has = if granted.is_empty() {
        "no scopes at all".to_string()
    } else {
        clip(&granted.join(" "))
    };
    let credential = ctx.credential.as_ref();
    // What the wording names (the operation, or the request when the catalogue has none), the
    // scopes, and what the grant and role commands need: the app, the user, the org.
    let mut f = Finding::fact("scope.missing", Severity::Error)
        .with("required", required.as_slice())
        .with(
            "missing",
            missing.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
        )
        .with("granted", (!granted.is_empty()).then_some(has.as_str()))
        .with("clientId", ctx.client_id())
        .with("userId", credential.and_then(|c| c.user_id.as_deref()))
        .with("origin", ctx.origin.as_deref())
        .with("domain", ctx.domain.as_deref());
    f = match (op, ctx.method.as_deref(), ctx.path.as_deref()) {
        (Some(o), _, _) => f.with("method", o.method).with("template", o.template),
        (None, Some(m), Some(p)) => f.with("method", m).with("path", clip(p)),
        _ => f,
    };
    f = f.evidence("token", "scp", has);
    if let Some(o) = op {
        f = f.evidence(
            "endpoint",
            "operation",
            format!("{} {}", o.method, o.template),
        );
        if let Some(family) = o.family {
            f = f.evidence("endpoint", "API family", family);
        }
    }
    for s in &missing {
        f = f.evidence("endpoint", "required scope", s.as_str());
    }
    vec![f]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::Credential;

    #[test]
    fn lookup_table() {
        let cases = [
            (
                "GET",
                "/api/v1/users",
                Some(("/api/v1/users", "okta.users.read")),
            ),
            (
                "post",
                "/api/v1/users/00ub0oNGTSWTBKOLGLNR/lifecycle/unlock",
                Some(("/api/v1/users/{id}/lifecycle/unlock", "okta.users.manage")),
            ),
            (
                "GET",
                "https://dev-1.okta.com/api/v1/groups/00g1?expand=stats",
                Some(("/api/v1/groups/{groupId}", "okta.groups.read")),
            ),
            (
                "GET",
                "/api/v1/logs?since=2024-01-01",
                Some(("/api/v1/logs", "okta.logs.read")),
            ),
            (
                "GET",
                "/api/v1/apps/0oa1/group-push/mappings",
                Some((
                    "/api/v1/apps/{appId}/group-push/mappings",
                    "okta.apps.read okta.groups.read",
                )),
            ),
            (
                "GET",
                "/.well-known/okta-organization",
                Some(("/.well-known/okta-organization", "")),
            ),
            ("GET", "/api/v1/nothing/here", None),
            ("BREW", "/api/v1/users", None),
            ("GET", "", None),
        ];
        for (m, p, want) in cases {
            let got = lookup(m, p).map(|o| (o.template, o.scopes.join(" ")));
            let want = want.map(|(t, s)| (t, s.to_string()));
            match (&got, &want) {
                (Some((gt, gs)), Some((wt, ws))) => {
                    // Templates name their ids differently across families; compare shapes.
                    assert_eq!(segments(gt).len(), segments(wt).len(), "{p}: {gt}");
                    assert_eq!(gs, ws, "{p}");
                }
                _ => assert_eq!(got.is_some(), want.is_some(), "{p}: {got:?}"),
            }
        }
        assert_eq!(operations().len(), 727);
        assert_eq!(
            lookup("GET", "/api/v1/users/00u1").and_then(|o| o.family),
            Some("/api/v1/users")
        );
    }

    #[test]
    fn manage_covers_read() {
        let g = vec!["okta.users.manage".to_string()];
        assert!(covers(&g, "okta.users.read"));
        assert!(covers(&g, "okta.users.manage"));
        assert!(!covers(&g, "okta.groups.read"));
        assert!(!covers(
            &["okta.users.read".to_string()],
            "okta.users.manage"
        ));
    }

    #[test]
    fn scope_missing_rules() {
        let ctx = |status, scopes: &[&str], scheme: &str, challenge: Option<&str>| Context {
            status: Some(status),
            headers: challenge
                .map(|c| {
                    let mut h = crate::exchange::Headers::default();
                    h.add("WWW-Authenticate", Some(c));
                    h
                })
                .unwrap_or_default(),
            method: Some("GET".into()),
            path: Some("/api/v1/groups".into()),
            credential: Some(Credential {
                scheme: scheme.into(),
                scopes: Some(scopes.iter().map(|s| s.to_string()).collect()),
                ..Credential::default()
            }),
            ..Context::default()
        };
        let challenge = Some(r#"Bearer scope="okta.groups.read", error="insufficient_scope""#);
        let cases = [
            (ctx(403, &["okta.users.read"], "Bearer", None), true),
            (ctx(403, &["okta.groups.manage"], "Bearer", None), false),
            (ctx(403, &["okta.users.read"], "SSWS", None), false),
            (ctx(200, &["okta.users.read"], "Bearer", None), false),
            (ctx(401, &["okta.users.read"], "Bearer", None), false),
            (ctx(401, &[], "DPoP", challenge), true),
            (ctx(403, &["okta.groups.read"], "Bearer", challenge), false),
            (
                ctx(401, &[], "Bearer", Some(r#"Bearer error="invalid_token""#)),
                false,
            ),
        ];
        for (c, want) in cases {
            let mut f = findings(&c);
            f.iter_mut().for_each(crate::explain::finding);
            assert_eq!(f.len() == 1, want, "{c:?}");
            if let Some(f) = f.first() {
                assert_eq!(f.id, "scope.missing");
                assert!(f.detail.contains("okta.groups.read"));
                assert!(f.commands.iter().any(|c| c.command.contains("/grants")));
            }
        }
    }
}
