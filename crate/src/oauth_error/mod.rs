//! OAuth 2.0 / OIDC errors (RFC 6749 §5.2, OIDC Core §3.1.2.6) as Okta returns them: a JSON
//! body `{error, error_description}`, redirect parameters, or a `WWW-Authenticate` challenge
//! (RFC 6750 §3, RFC 9449 §7.1) — okta.md §2.1 and §2.4. The description is matched against
//! Okta's catalogue (§2.3) to name Okta's internal code (`oktaCause`) and pick the specific fix.

pub mod catalogue;

use serde_json::Value;

use crate::{
    context::Context,
    jwt::clip,
    okta_error,
    report::{Finding, Severity},
};

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Error {
    pub error: String,
    pub description: Option<String>,
    /// Where it came from: `body`, `redirect`, `WWW-Authenticate`.
    pub source: &'static str,
    /// `WWW-Authenticate` extras (RFC 6750 §3): scheme, scope, resource, realm.
    pub params: Vec<(String, String)>,
}

/// RFC 6749 §5.2: `error` is a printable ASCII token. Anything else gets a neutral id.
fn id_for(error: &str) -> String {
    let ok = !error.is_empty()
        && error.len() <= 64
        && error
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.');
    if ok {
        format!("oauth_error.{error}")
    } else {
        "oauth_error.invalid".to_string()
    }
}

/// A JSON body with a string `error`. `None` when it is something else.
pub fn parse(v: &Value) -> Option<Error> {
    let get = |k: &str| crate::encoding::member(v, k);
    // An empty `error` is not an OAuth error (RFC 6749 §5.2 requires a value).
    let error = get("error")?.as_str().filter(|e| !e.trim().is_empty())?;
    Some(Error {
        error: error.to_string(),
        description: get("error_description")
            .and_then(Value::as_str)
            .map(str::to_string),
        source: "body",
        params: Vec::new(),
    })
}

/// Parses a `WWW-Authenticate` header value, which may hold several challenges (RFC 9110
/// §11.6.1: `Bearer realm="x", DPoP algs="ES256", error="use_dpop_nonce"`), and returns the first
/// challenge that carries an `error`, with its own scheme and parameters. `None` when none does.
pub fn parse_challenge(header: &str) -> Option<Error> {
    challenges(header).into_iter().find_map(|params| {
        let get = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        let error = get("error").filter(|e| !e.trim().is_empty())?;
        let description = get("error_description");
        Some(Error {
            error,
            description,
            source: "WWW-Authenticate",
            params: params
                .into_iter()
                .filter(|(k, _)| k != "error" && k != "error_description")
                .collect(),
        })
    })
}

/// Splits a header value into challenges, each as `[("scheme", S), (key, value)…]` with keys
/// lower-cased and quoted values unescaped. A list item that is a bare token, or a token followed
/// by whitespace and something other than `=`, starts a new challenge; `key=value` items belong
/// to the challenge before them. A token68 (`Negotiate abc==`) is kept under the key `token68`.
fn challenges(header: &str) -> Vec<Vec<(String, String)>> {
    let mut out: Vec<Vec<(String, String)>> = Vec::new();
    for item in list_items(header) {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        let word_end = item
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(item.len());
        let (word, rest) = item.split_at(word_end);
        let starts_challenge = !rest.trim_start().starts_with('=');
        let param = if starts_challenge {
            out.push(vec![("scheme".to_string(), word.to_string())]);
            rest.trim()
        } else {
            item
        };
        if param.is_empty() {
            continue;
        }
        let Some(current) = out.last_mut() else {
            continue; // a parameter before any scheme belongs to nothing
        };
        current.push(match param.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() && !k.trim().contains(char::is_whitespace) => {
                (k.trim().to_ascii_lowercase(), unquote(v.trim()))
            }
            _ => ("token68".to_string(), param.to_string()),
        });
    }
    out
}

/// The comma-separated items of a header value; commas inside quoted strings don't split.
fn list_items(header: &str) -> Vec<String> {
    let mut items = vec![String::new()];
    let mut quoted = false;
    let mut chars = header.chars();
    while let Some(c) = chars.next() {
        let Some(item) = items.last_mut() else { break };
        match c {
            '"' => {
                quoted = !quoted;
                item.push(c);
            }
            '\\' if quoted => {
                item.push(c);
                item.extend(chars.next());
            }
            ',' if !quoted => items.push(String::new()),
            c => item.push(c),
        }
    }
    items
}

/// A quoted-string's content with its escapes undone (an unterminated one runs to the end);
/// a token as it is.
fn unquote(v: &str) -> String {
    let Some(inner) = v.strip_prefix('"') else {
        return v.to_string();
    };
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            '"' => break,
            c => out.push(c),
        }
    }
    out
}

/// Descriptions keep their runtime values at the end: show up to 400 characters.
fn catalogue_text(d: &str) -> String {
    crate::catalogue::shown(d, 400)
}

fn param<'a>(e: &'a Error, name: &str) -> Option<&'a str> {
    e.params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// One finding per OAuth error: `oauth_error.<error>`, with `oktaCause` when the description
/// matches Okta's catalogue. Records what the words need: the error, where it came from, the
/// status, the catalogue match (Okta's code, the description's runtime values, the codes that
/// share its text), what the request adds for some errors (`specific`), and the request's
/// values the commands use.
pub fn findings(e: &Error, ctx: &Context) -> Vec<Finding> {
    let matched = e
        .description
        .as_deref()
        .and_then(|d| catalogue::lookup(&e.error, d));
    let severity = match e.error.as_str() {
        "authorization_pending" => Severity::Info,
        "slow_down" | "use_dpop_nonce" => Severity::Warning,
        _ => Severity::Error,
    };
    let mut f = Finding::fact(id_for(&e.error), severity)
        .with("error", clip(&e.error))
        .with("source", e.source)
        .with("status", ctx.status)
        .with("described", e.description.is_some().then_some(true))
        .quote(
            "Okta said (error_description)",
            e.description
                .as_deref()
                .map(catalogue_text)
                .unwrap_or_default(),
        )
        .evidence(e.source, "error", clip(&e.error));
    if let Some(m) = matched {
        f = f
            .with("cause", m.entry.cause)
            .with("captures", (!m.captures.is_empty()).then_some(m.captures))
            .with(
                "alternatives",
                (!m.alternatives.is_empty()).then_some(m.alternatives),
            )
            .with("dropped", (!m.entry.current).then_some(true));
        f.okta_cause = Some(m.entry.cause.to_string());
    }
    f = specific(e, ctx, f);
    okta_error::with_request(&mut f, ctx);

    if let Some(d) = &e.description {
        f = f.evidence(e.source, "error_description", catalogue_text(d));
    }
    for (k, v) in &e.params {
        f = f.evidence(e.source, clip(k), clip(v));
    }
    if e.error == "use_dpop_nonce" {
        if let Some(n) = ctx.header("dpop-nonce") {
            f = f.evidence("header", "DPoP-Nonce", clip(n));
        }
    }
    vec![f]
}

/// What changes the explanation of some errors: the nonce to use (`nonce`), the scope and
/// resource a challenge names (`scope`, `resource`; `oktaScopes`: the Okta API scopes among
/// them, fit for a command), a /userinfo call without the OpenID claim scopes
/// (`openidClaims`), and a token refused by /userinfo (`userinfo`).
fn specific(e: &Error, ctx: &Context, f: Finding) -> Finding {
    match e.error.as_str() {
        "use_dpop_nonce" => f.with("nonce", ctx.header("dpop-nonce").map(clip)),
        "insufficient_scope" => {
            let okta_scopes: Vec<String> = param(e, "scope")
                .unwrap_or_default()
                .split_whitespace()
                .filter(|s| s.starts_with("okta."))
                .filter_map(crate::context::plain)
                .collect();
            let openid_claims = e
                .description
                .as_deref()
                .is_some_and(|d| d.contains("profile, email, address or phone"));
            f.with("scope", param(e, "scope").map(clip))
                .with("resource", param(e, "resource").map(clip))
                .with(
                    "oktaScopes",
                    (!okta_scopes.is_empty()).then_some(okta_scopes),
                )
                .with("openidClaims", openid_claims.then_some(true))
        }
        "invalid_token" => f.with(
            "userinfo",
            ctx.path
                .as_deref()
                .is_some_and(|p| p.ends_with("/userinfo"))
                .then_some(true),
        ),
        _ => f,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The findings with their words, as a report shows them.
    fn worded(e: &Error, ctx: &Context) -> Vec<Finding> {
        // The analysis records facts; every word is written by `explain`.
        crate::explain::worded_facts(findings(e, ctx))
    }

    #[test]
    fn challenge_parsing_table() {
        let cases = [
            (
                r#"Bearer error="invalid_token", error_description="The access token is invalid""#,
                Some(("invalid_token", Some("The access token is invalid"))),
            ),
            (
                r#"Bearer authorization_uri="http://x.okta.com/oauth2/v1/authorize", realm="http://dev.okta.com", scope="okta.groups.read", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", resource="/api/v1/groups/12345""#,
                Some((
                    "insufficient_scope",
                    Some("The access token provided does not contain the required scopes."),
                )),
            ),
            (
                r#"DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof""#,
                Some((
                    "use_dpop_nonce",
                    Some("Resource server requires nonce in DPoP proof"),
                )),
            ),
            (
                r#"Bearer realm="x", error=insufficient_authentication_context, max_age=900"#,
                Some(("insufficient_authentication_context", None)),
            ),
            (r#"Oktadevicejwt realm="Okta Device""#, None),
            (r#"Bearer error="""#, None),
            (r#"Bearer error=" ", error_description="x""#, None),
            ("", None),
            (
                r#"Bearer error="unterminated"#,
                Some(("unterminated", None)),
            ),
            // Several challenges in one header (RFC 9110 §11.6.1): the error is the DPoP one's.
            (
                r#"Bearer realm="api", DPoP algs="ES256 PS256", error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof""#,
                Some((
                    "use_dpop_nonce",
                    Some("Resource server requires nonce in DPoP proof"),
                )),
            ),
            (
                r#"Basic realm="a, b", Bearer error="invalid_token""#,
                Some(("invalid_token", None)),
            ),
            (r#"Negotiate abc==, Bearer realm="x""#, None),
            (r#"error="orphan""#, None),
            (r#"Bearer error="a\"b, c""#, Some((r#"a"b, c"#, None))),
        ];
        for (h, want) in cases {
            let got = parse_challenge(h);
            assert_eq!(
                got.as_ref()
                    .map(|e| (e.error.as_str(), e.description.as_deref())),
                want,
                "{h}"
            );
        }
        let e = parse_challenge(cases[1].0);
        let scope = e.and_then(|e| e.params.into_iter().find(|(k, _)| k == "scope"));
        assert_eq!(scope.map(|(_, v)| v).as_deref(), Some("okta.groups.read"));
        // Each challenge keeps its own scheme and parameters.
        let e = parse_challenge(
            r#"Bearer realm="api", scope="x", DPoP algs="ES256", error="use_dpop_nonce""#,
        )
        .unwrap();
        assert_eq!(
            e.params,
            vec![
                ("scheme".to_string(), "DPoP".to_string()),
                ("algs".to_string(), "ES256".to_string()),
            ]
        );
    }

    #[test]
    fn ids_are_sanitised() {
        assert_eq!(parse(&json!({"error": "", "error_description": ""})), None);
        assert_eq!(parse(&json!({"error": "  "})), None);
        assert_eq!(id_for("invalid_client"), "oauth_error.invalid_client");
        assert_eq!(id_for("<img src=x>"), "oauth_error.invalid");
        assert_eq!(id_for(""), "oauth_error.invalid");
        let f = parse(&json!({"error": "invalid_client", "error_description": "No client credentials found."}))
            .map(|e| worded(&e, &Context::with_status(Some(401))))
            .unwrap_or_default();
        assert_eq!(
            f[0].title,
            "invalid_client: No client credentials were sent"
        );
        assert_eq!(
            f[0].okta_cause.as_deref(),
            Some("missing_client_credentials")
        );
    }

    #[test]
    fn every_catalogue_entry_yields_a_complete_finding() {
        for entry in catalogue::all() {
            // Runtime values in the slots, as Okta would send them.
            let description = (0..4).fold(entry.description.to_string(), |d, i| {
                d.replace(&format!("{{{i}}}"), "value")
            });
            let e = Error {
                error: entry.error.to_string(),
                description: Some(description.clone()),
                source: "body",
                params: Vec::new(),
            };
            let f = worded(&e, &Context::with_status(entry.status));
            assert_eq!(f.len(), 1);
            let f = &f[0];
            assert_eq!(f.id, format!("oauth_error.{}", entry.error));
            assert!(!f.title.is_empty(), "{}", entry.cause);
            assert!(f.detail.len() > 60, "{}: {}", entry.cause, f.detail);
            assert!(
                !f.fix.is_empty() && f.fix.iter().all(|s| !s.is_empty()),
                "{}",
                entry.cause
            );
            assert!(
                !f.detail.contains("{0}") && f.fix.iter().all(|s| !s.contains("{0}")),
                "{}",
                entry.cause
            );
            // The cause found has this very text (Okta reuses some texts for several causes).
            let cause = f
                .okta_cause
                .as_deref()
                .unwrap_or_else(|| panic!("{}", entry.cause));
            assert!(
                catalogue::all().iter().any(|c| c.cause == cause
                    && crate::catalogue::matches(c.description, &description).is_some()),
                "{} matched {cause}",
                entry.cause
            );
        }
    }

    #[test]
    fn hostile_and_odd_inputs() {
        let cases = [
            json!({"error": "x".repeat(10_000), "error_description": "y".repeat(100_000)}),
            json!({"error": "invalid_grant", "error_description": "PKCE verification failed: \u{0}\n\u{202e}ünïcödé’ ."}),
            json!({"error": "server_error", "error_description": "{0}"}),
        ];
        for v in cases {
            let e = parse(&v).unwrap();
            let f = worded(&e, &Context::default());
            assert_eq!(f.len(), 1);
            assert!(f[0].title.chars().count() < 400);
            assert!(!f[0].detail.contains('\n'));
        }
    }
}
