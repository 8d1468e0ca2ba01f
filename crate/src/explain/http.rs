//! The words of the findings about an exchange as a whole and about the input itself:
//! `input.*` (what the tool was given), then `http.*`, `exchange.*`, `scope.*` and `har.*`.

use crate::{
    command,
    context::{Context, Credential},
    params::Params,
    report::Finding,
};

/// What every "can't read this" finding tells the user the tool accepts.
const ACCEPTS: &str = "Okta Medic reads: a JWT (also with \"Bearer \" or \"Authorization:\" in front), an SSWS API token, an opaque token, an Okta error body ({\"errorCode\": …}), an OAuth error ({\"error\": …}), an Identity Engine (IDX) response, an /introspect response, an okta-token-storage value, curl -si or curl -v output, a redirect URL with error=…, a captured exchange, or a HAR file.";

pub(super) fn word(f: &mut Finding) {
    let p = &f.params;
    let w = &mut **f.words.get_or_insert_with(Box::default);
    match &*f.id {
        "input.too_large" => {
            w.title = "Input too large".into();
            w.detail = format!(
                "The input is {} bytes; the limit is {} bytes (8 MiB). Tokens, error bodies and responses are far smaller, so this is probably a whole file or a binary.",
                p.int("bytes").unwrap_or_default(),
                p.int("limit").unwrap_or_default(),
            );
            w.fix = vec![
                "Paste only the token, the response or the error body.".into(),
                "For a HAR file, use the CLI: okta-medic har FILE.".into(),
            ];
        }
        "input.empty" => {
            w.title = "Nothing to analyse".into();
            w.detail = ACCEPTS.into();
        }
        "input.json_invalid" => {
            w.title = "Looks like JSON, but is not valid JSON".into();
            w.detail = format!(
                "The JSON parser stopped: {}. Nesting deeper than 128 levels is refused on purpose.",
                p.str("error")
            );
            w.fix = vec![
                "Copy the whole body again; a truncated copy is the usual cause.".into(),
                ACCEPTS.into(),
            ];
        }
        "input.unrecognized" if p.flag("json") => {
            w.title = "JSON, but not a shape Okta Medic knows".into();
            w.detail = ACCEPTS.into();
        }
        "input.unrecognized" => {
            w.title = "Not something Okta Medic recognises".into();
            let dotted = if p.flag("dotted") {
                "It has dot-separated parts, but not the three base64url parts of a JWT. "
            } else {
                ""
            };
            w.detail =
                format!("The input is none of the things Okta Medic reads. {dotted}{ACCEPTS}");
        }
        "http.request_id" => request_id(f),
        "http.server_error" => {
            w.title = format!(
                "Okta server error (HTTP {})",
                p.int("status").unwrap_or_default()
            );
            w.detail = "A 5xx is on Okta's side or between you and Okta (a proxy, a load balancer). It is usually transient.".into();
            w.fix = vec![
                "Retry with exponential backoff (e.g. 1 s, 2 s, 4 s, with jitter); don't retry non-idempotent calls blindly.".into(),
                "Check status.okta.com for an incident on your cell.".into(),
                "If it persists, open a support case with the X-Okta-Request-Id and the time.".into(),
            ];
            w.docs_url = Some("https://status.okta.com/".into());
        }
        "http.error_status" => {
            let s = p.int("status").unwrap_or_default();
            w.title = format!("Okta answered HTTP {s}");
            w.detail = format!(
                "HTTP {s}: {}. Okta puts the exact reason in the response body (an E0000… code or an OAuth error) or in a WWW-Authenticate header, and neither was seen with this response.",
                status_meaning(s)
            );
            w.fix = vec![
                "Get the response body: enable error bodies for this site in Okta Medic, open the DevTools panel's Okta tab, or repeat the call with curl -si and paste the output here.".into(),
                "Keep the X-Okta-Request-Id: the System Log has the reason even when the body is lost.".into(),
            ];
        }
        "exchange.malformed" => {
            w.title = "Exchange could not be read".into();
            w.detail = format!(
                "An exchange needs webRequest's field names: {{observedAt, method, url, statusCode, requestHeaders: [{{name, value}}], responseHeaders: [{{name, value}}], body?}}. This one failed: {}.",
                p.str("reason")
            );
        }
        "scope.missing" => scope_missing(f),
        "har.summary" => {
            w.title = format!(
                "{} of {} requests went to Okta, {} failed",
                p.int("okta").unwrap_or_default(),
                p.int("entries").unwrap_or_default(),
                p.int("failed").unwrap_or_default()
            );
            w.detail = "Okta traffic is recognised by Okta's host names, by Okta-only paths (/oauth2/, /api/v1/, /idp/idx/) on custom domains, and by the X-Okta-Request-Id header. The findings below are grouped by id, with how often each occurred.".into();
            w.fix = vec!["A HAR holds live cookies and tokens: sanitise it before attaching it to a ticket (okta-medic har --redact FILE > clean.har).".into()];
        }
        _ => {}
    }
}

/// What a 4xx alone says, when nothing else in the exchange explains it.
fn status_meaning(status: i64) -> &'static str {
    match status {
        401 => "the credential was missing, expired, revoked or not accepted here (an SSWS token on an OAuth endpoint, an ID token instead of an access token, a token from another authorization server)",
        403 => "the caller is known but not allowed: a missing scope or admin role, a policy, or a network zone",
        404 => "the object or the authorization server doesn't exist, or the caller may not see it",
        405 => "the endpoint doesn't take this HTTP method",
        409 => "the request conflicts with the object's current state (e.g. a login that already exists)",
        429 => "too many requests: a rate limit",
        _ => "Okta rejected the request",
    }
}

/// The context a finding's commands are built in (`command::build`): the org its request went
/// to (the command's target until `command::settle`) and the ids it recorded.
fn command_context(p: &Params) -> Context {
    let text = |name: &str| p.text(name).map(str::to_string);
    Context {
        origin: text("origin"),
        domain: text("domain"),
        request_id: text("requestId"),
        user_id: text("userId"),
        credential: Some(Credential {
            client_id: text("clientId"),
            ..Credential::default()
        }),
        ..Context::default()
    }
}

fn request_id(f: &mut Finding) {
    let p = &f.params;
    let w = &mut **f.words.get_or_insert_with(Box::default);
    w.title = format!("Okta request id {}", p.str("requestId"));
    w.detail = "Okta tags every response with X-Okta-Request-Id. It finds this request's events in the System Log (debugContext.debugData.requestId), and Okta support traces the request with it.".into();
    w.fix = vec![
        "Keep it, with the time of the request, in the incident notes or the support case.".into(),
    ];
    w.commands
        .extend(command::build("logs_request", &command_context(p), None));
}

fn scope_missing(f: &mut Finding) {
    let p = &f.params;
    let w = &mut **f.words.get_or_insert_with(Box::default);
    let missing = p.texts("missing");
    let missing_list = missing.join(" and ");
    let what = match (p.text("method"), p.text("template"), p.text("path")) {
        (Some(m), Some(t), _) | (Some(m), None, Some(t)) => format!("{m} {t}"),
        _ => "This endpoint".to_string(),
    };
    let has = p.text("granted").unwrap_or("no scopes at all");
    w.title = format!("The token lacks {missing_list}");
    w.detail = format!(
        "{what} needs {}; the access token's scp claim has {has}. Okta checks the scope before the admin role, so the call is refused without touching any data. Okta API scopes (okta.*) are only minted by the org authorization server (https://{{yourOrg}}/oauth2/v1/token), and only if they are granted to the app first.",
        p.texts("required").join(" and ")
    );
    w.fix = vec![
        format!("Grant {missing_list} to the app: Admin Console → Applications → the app → Okta API Scopes → Grant (Super Admins only), or the grants API below."),
        format!("Request it when you get the token: scope={} on the org authorization server's /oauth2/v1/token (a custom authorization server can't issue okta.* scopes).", missing.join("%20")),
        "A granted scope is only half of it: the service app (or the user behind the token) also needs an admin role that allows the operation, or Okta answers 403 E0000006.".into(),
    ];
    w.docs_url =
        Some("https://developer.okta.com/docs/guides/implement-oauth-for-okta/main/".into());
    let ctx = command_context(p);
    let grants = missing
        .iter()
        .filter_map(|s| command::build("app_grant_scope", &ctx, Some(s)));
    let mut commands: Vec<_> = grants.collect();
    commands.extend(command::build("app_grants", &ctx, None));
    // A user's token acts with the user's admin roles; a service app's with the app's.
    let roles = if ctx.user_id.is_some() {
        "user_roles"
    } else {
        "client_roles"
    };
    commands.extend(command::build(roles, &ctx, None));
    w.commands.extend(commands);
}

#[cfg(test)]
mod tests {
    use crate::report::{Finding, Severity};

    fn worded(mut f: Finding) -> Finding {
        super::super::finding(&mut f);
        f
    }

    #[test]
    fn a_status_alone_says_what_it_means() {
        let cases = [
            (401, "HTTP 401: the credential was missing"),
            (403, "HTTP 403: the caller is known but not allowed"),
            (
                404,
                "HTTP 404: the object or the authorization server doesn't exist",
            ),
            (405, "HTTP 405: the endpoint doesn't take this HTTP method."),
            (409, "HTTP 409: the request conflicts"),
            (429, "HTTP 429: too many requests: a rate limit."),
            (418, "HTTP 418: Okta rejected the request."),
        ];
        for (status, want) in cases {
            let f =
                worded(Finding::fact("http.error_status", Severity::Error).with("status", status));
            assert_eq!(f.title, format!("Okta answered HTTP {status}"));
            assert!(f.detail.starts_with(want), "{status}: {}", f.detail);
            assert_eq!(f.fix.len(), 2);
        }
        let f = worded(Finding::fact("http.server_error", Severity::Error).with("status", 503));
        assert_eq!(f.title, "Okta server error (HTTP 503)");
        assert_eq!(f.docs_url.as_deref(), Some("https://status.okta.com/"));
    }

    #[test]
    fn malformed_exchange_names_the_shape_and_the_reason() {
        let f = worded(
            Finding::fact("exchange.malformed", Severity::Warning)
                .with("reason", "invalid type: string \"x\", expected u16"),
        );
        assert_eq!(f.title, "Exchange could not be read");
        assert_eq!(f.detail, "An exchange needs webRequest's field names: {observedAt, method, url, statusCode, requestHeaders: [{name, value}], responseHeaders: [{name, value}], body?}. This one failed: invalid type: string \"x\", expected u16.");
    }

    /// The System Log command for a request id is sent to the request's org once settled.
    #[test]
    fn request_id_command_targets_the_org() {
        let f = worded(
            Finding::fact("http.request_id", Severity::Info)
                .with("requestId", "reqABC")
                .with("origin", "https://dev-1.okta.com"),
        );
        assert_eq!(f.title, "Okta request id reqABC");
        let c = f
            .commands
            .first()
            .map(|c| (c.label.as_str(), c.target.is_some()));
        assert_eq!(c, Some(("Find request reqABC in the System Log", true)));
        let mut findings = vec![f];
        crate::command::settle_findings(&mut findings, &crate::Trusted::default());
        let command = findings[0].commands[0].command.as_str();
        assert!(
            command.contains("https://dev-1.okta.com/api/v1/logs"),
            "{command}"
        );
    }

    #[test]
    fn scope_missing_names_what_it_can() {
        let base = || {
            Finding::fact("scope.missing", Severity::Error)
                .with("required", vec!["okta.groups.read"])
                .with("missing", vec!["okta.groups.read"])
                .with("clientId", "0oa1abc")
        };
        // No operation and no request: "This endpoint"; no scopes at all; the app's roles.
        let f = worded(base());
        assert_eq!(f.title, "The token lacks okta.groups.read");
        assert!(f.detail.starts_with("This endpoint needs okta.groups.read; the access token's scp claim has no scopes at all."), "{}", f.detail);
        let labels: Vec<&str> = f.commands.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "Grant okta.groups.read to the app (Super Admin only)",
                "List the Okta API scopes granted to the app",
                "List the admin roles assigned to the service app",
            ]
        );
        assert!(f.commands[0]
            .command
            .contains("/api/v1/apps/0oa1abc/grants"));
        // A request the catalogue doesn't know; a user's token: the user's roles.
        let f = worded(
            base()
                .with("method", "GET")
                .with("path", "/api/v1/custom")
                .with("granted", "openid")
                .with("userId", "00u1abc"),
        );
        assert!(f.detail.starts_with("GET /api/v1/custom needs okta.groups.read; the access token's scp claim has openid."), "{}", f.detail);
        assert!(f
            .commands
            .iter()
            .any(|c| c.command.contains("/api/v1/users/00u1abc/roles")));
    }

    #[test]
    fn har_summary_counts() {
        let f = worded(
            Finding::fact("har.summary", Severity::Warning)
                .with("entries", 12)
                .with("okta", 5)
                .with("failed", 2),
        );
        assert_eq!(f.title, "5 of 12 requests went to Okta, 2 failed");
        assert!(f.fix[0].contains("okta-medic har --redact FILE"));
    }
}
