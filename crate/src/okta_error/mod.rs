//! Okta API error bodies (`{errorCode, errorSummary, errorLink, errorId, errorCauses}`,
//! okta.md §1.1 and developer.okta.com/docs/reference/error-codes/) and the SDKs' rendering of
//! them (`Okta HTTP 401 E0000011 Invalid token provided.`, okta-sdk-nodejs `api-error.js`,
//! okta-sdk-python `okta_api_error.py`). Everything but `errorCode` is optional: the System
//! Log API sends reduced bodies with a UUID errorId. Each code is looked up in Okta's catalogue
//! and recorded with what our advice needs from the request's context (the words: `explain`).

pub mod catalogue;
pub mod causes;
mod sdk;
mod specific;

pub use sdk::parse_sdk_message;
use specific::facts;

use serde_json::Value;

use std::borrow::Cow;

use crate::{
    catalogue::shown,
    context::Context,
    jwt::clip,
    params::Word,
    report::{Evidence, Finding, Quote, Severity},
};

/// An Okta error body as read: defined with the exchange's typed body read, which reads one
/// straight into it (`exchange::body`).
pub use crate::exchange::body::OktaError as Error;

/// `E` followed by seven digits, as every Okta code is.
pub fn is_code(s: &str) -> bool {
    s.len() == 8 && s.starts_with('E') && s.chars().skip(1).all(|c| c.is_ascii_digit())
}

/// `None` when the JSON is not an Okta error body.
pub fn parse(v: &Value) -> Option<Error> {
    let get = |k: &str| crate::encoding::member(v, k);
    let code = get("errorCode")?.as_str()?.trim();
    if code.is_empty() {
        return None;
    }
    let text = |k: &str| get(k).and_then(Value::as_str).map(str::to_string);
    let causes = get("errorCauses")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|c| {
                    crate::encoding::member(c, "errorSummary")
                        .and_then(Value::as_str)
                        .map(str::to_string)
                })
                .collect()
        })
        .unwrap_or_default();
    Some(Error {
        code: code.to_string(),
        summary: text("errorSummary"),
        id: text("errorId"),
        causes,
    })
}

/// System Log API errors carry a UUID errorId instead of Okta's `oae…` ids.
fn is_uuid(id: &str) -> bool {
    id.len() == 36 && id.chars().filter(|c| *c == '-').count() == 4
}

/// One finding per error body: `okta_error.<code>` for catalogued codes, `okta_error.unknown`
/// for anything else. Records what the words need: the code, the status, how the summary
/// relates to the catalogue, each errorCauses entry's reading, the errorId, the credential
/// kind and what the request adds for some codes (`specific`), and the request's values the
/// commands use.
pub fn findings(e: &Error, ctx: &Context) -> Vec<Finding> {
    vec![finding(e, ctx)]
}

/// [`findings`]' one finding, for a caller that pushes it onto its own list (an exchange's).
pub fn finding(e: &Error, ctx: &Context) -> Finding {
    let entry = is_code(&e.code)
        .then(|| catalogue::lookup(&e.code))
        .flatten();
    let status = ctx.status;
    let id = match entry {
        Some(x) => id_of(x.code),
        None => "okta_error.unknown".to_string(),
    };
    let severity = match status.or(entry.and_then(|x| x.status)) {
        Some(s) if s < 400 => Severity::Info,
        _ => Severity::Error,
    };
    // Each clipped once: the facts and the evidence quote the same text.
    let (code, error_id) = (clip(&e.code), e.id.as_deref().map(clip));
    let summary = e.summary.as_deref().map(|s| shown(s, 400));
    // Set in place, not through `Finding::with`, which moves the whole finding each call
    // (docs/performance-log.md, "liveFold, seventh pass").
    let mut f = Finding::fact(id, severity);
    let p = &mut f.params;
    match entry {
        // The catalogue's own word: found by the body's code, so the same text, and nothing
        // for the seal to read.
        Some(x) => p.set("code", Word(x.code)),
        None => p.set("code", code.as_str()),
    }
    p.set("status", status);
    if let Some(kind) = credential_kind(ctx) {
        p.set("credential", Word(kind));
    }
    p.set("errorId", error_id.as_deref());
    p.set("uuid", e.id.as_deref().is_some_and(is_uuid).then_some(true));
    // As `Finding::quote` (a blank text quotes nothing), in place.
    if let Some(text) = summary.as_ref().filter(|s| !s.trim().is_empty()) {
        f.quote = Some(Quote {
            label: "Okta said (errorSummary)".into(),
            text: text.clone(),
        });
    }
    if let (Some(x), Some(s)) = (entry, e.summary.as_deref()) {
        summary_facts(&mut f.params, x, s);
    }
    if !e.causes.is_empty() {
        let causes = e.causes.iter().map(|c| cause_reading(c));
        f.params.set("causes", causes.collect::<Vec<_>>());
    }
    if let Some(x) = entry {
        facts(x.code, ctx, &mut f.params);
    }
    with_request(&mut f, ctx);

    let mut evidence = |source: &'static str, name: &'static str, value: String| {
        f.evidence.push(Evidence {
            source: Cow::Borrowed(source),
            name: Cow::Borrowed(name),
            value,
        });
    };
    if let Some(s) = status {
        evidence("response", "status", s.to_string());
    }
    evidence("body", "errorCode", code);
    if let Some(s) = summary {
        evidence("body", "errorSummary", s);
    }
    if let Some(i) = error_id {
        evidence("body", "errorId", i);
    }
    for c in &e.causes {
        evidence("body", "errorCauses", shown(c, 400));
    }
    f
}

/// `okta_error.{code}` in one allocation of its size, not `concat` (generic over a separator:
/// ~300 instructions a fold; docs/performance-log.md, "liveFold, thirteenth pass").
fn id_of(code: &str) -> String {
    const PREFIX: &str = "okta_error.";
    let mut id = String::with_capacity(PREFIX.len().saturating_add(code.len()));
    id.push_str(PREFIX);
    id.push_str(code);
    id
}

/// `bearer` (an OAuth access token, also DPoP-bound) or `ssws` (an API token): the kind of
/// credential the request carried, which picks the advice steps that apply.
fn credential_kind(ctx: &Context) -> Option<&'static str> {
    if ctx.is_bearer() {
        Some("bearer")
    } else if ctx.is_ssws() {
        Some("ssws")
    } else {
        None
    }
}

/// Records the request's values a finding's commands fill in (`command::build`): the org, the
/// request id, the user, and the token's client and issuer. `explain` rebuilds the context
/// from them; every one already passed `context::plain`.
pub(crate) fn with_request(f: &mut Finding, ctx: &Context) {
    // In place: each `Finding::with` moves the whole finding.
    let p = &mut f.params;
    p.set("origin", ctx.origin.as_deref());
    p.set("domain", ctx.domain.as_deref());
    p.set("requestId", ctx.request_id.as_deref());
    p.set("userId", ctx.user_id.as_deref());
    p.set("clientId", ctx.client_id());
    p.set("issuer", ctx.issuer());
}

/// What the summary tells beyond the code: its runtime part (`runtime`), an older or the
/// widget's wording (`summary`: `historic` / `widget`), or a text that belongs to another code
/// (`summary`: `other`, `otherCode`) or to none (`summary`: `differs`).
fn summary_facts(p: &mut crate::params::Params, x: &catalogue::Entry, summary: &str) {
    match x.match_summary(summary) {
        Some(m) => {
            let runtime: Vec<String> = m
                .captures
                .iter()
                .map(|c| c.trim())
                .filter(|c| !c.is_empty())
                .map(|c| shown(c, 300))
                .collect();
            p.set("runtime", (!runtime.is_empty()).then_some(runtime));
            p.set("summary", m.variant);
        }
        None => match catalogue::by_text(summary) {
            Some(other) if other.code != x.code => {
                p.set("summary", "other");
                p.set("otherCode", other.code);
            }
            _ => p.set("summary", "differs"),
        },
    }
}

/// One errorCauses entry as the words need it: `[text]`, or `[text, template, slot text…]`
/// when it fits a template of `causes` (slot text bounded: the explanation is shown cut to
/// 300 characters anyway).
fn cause_reading(c: &str) -> Vec<String> {
    let mut reading = vec![shown(c, 300)];
    if let Some((template, captures)) = causes::read(c) {
        reading.push(template.to_string());
        reading.extend(
            captures
                .iter()
                .map(|s| s.chars().take(1000).collect::<String>()),
        );
    }
    reading
}

#[cfg(test)]
mod tests {
    /// The id built in place is the `concat` it replaced, for every catalogued code and more.
    #[test]
    fn id_of_is_concat() {
        let codes = super::catalogue::all().iter().map(|x| x.code);
        for code in codes.chain(["", "E", "E0000047", "é", "E0000011.x"]) {
            assert_eq!(super::id_of(code), ["okta_error.", code].concat());
        }
    }

    use super::*;
    use crate::context::Credential;
    use serde_json::json;

    /// The findings with their words, as a report shows them.
    fn worded(e: &Error, ctx: &Context) -> Vec<Finding> {
        // The analysis records facts; every word is written by `explain`.
        crate::explain::worded_facts(findings(e, ctx))
    }

    fn first(v: Value, status: Option<u16>) -> Option<Finding> {
        parse(&v).and_then(|e| worded(&e, &Context::with_status(status)).into_iter().next())
    }

    /// The quote and the causes set in place are what `Finding::quote` and `Finding::with`
    /// set: a blank summary quotes nothing, causes only when there are some.
    #[test]
    fn quote_and_causes_in_place_are_the_builders() {
        for (summary, causes) in [
            (None, vec![]),
            (Some(""), vec![]),
            (Some("  \n"), vec!["login: taken".to_string()]),
            (Some("Invalid token provided"), vec!["a".into(), "".into()]),
        ] {
            let e = Error {
                code: "E0000011".into(),
                summary: summary.map(str::to_string),
                id: None,
                causes: causes.clone(),
            };
            let f = finding(&e, &Context::with_status(Some(401)));
            let mut want = Finding::fact("x", Severity::Info).quote(
                "Okta said (errorSummary)",
                summary.map(|s| shown(s, 400)).unwrap_or_default(),
            );
            if !causes.is_empty() {
                let readings: Vec<_> = causes.iter().map(|c| cause_reading(c)).collect();
                want = want.with("causes", readings);
            }
            assert_eq!(f.quote, want.quote, "{summary:?}");
            assert_eq!(f.params.list("causes"), want.params.list("causes"));
            assert_eq!(findings(&e, &Context::with_status(Some(401))), vec![f]);
        }
    }

    #[test]
    fn parse_table() {
        let cases = [
            (
                json!({"errorCode": "E0000011", "errorSummary": "Invalid token provided", "errorId": "oaeX", "errorCauses": []}),
                Some("okta_error.E0000011"),
            ),
            (
                json!({"errorCode": "E0000053", "errorSummary": "Invalid filter"}),
                Some("okta_error.E0000053"),
            ),
            (json!({"errorCode": "E9999999"}), Some("okta_error.unknown")),
            (json!({"errorCode": "E0000128"}), Some("okta_error.unknown")),
            (json!({"errorCode": "<b>x</b>"}), Some("okta_error.unknown")),
            (json!({"errorCode": ""}), None),
            (json!({"errorCode": 5}), None),
            (json!({"error": "invalid_client"}), None),
        ];
        for (v, want) in cases {
            let got = first(v.clone(), Some(401)).map(|f| f.id);
            assert_eq!(got.as_deref(), want, "{v}");
        }
    }

    #[test]
    fn every_catalogue_entry_yields_a_complete_finding() {
        for entry in catalogue::all() {
            for ctx in [Context::with_status(entry.status), Context::default()] {
                let e = Error {
                    code: entry.code.to_string(),
                    summary: Some(entry.summary.to_string()),
                    id: Some("oaeX".into()),
                    causes: Vec::new(),
                };
                let f = worded(&e, &ctx);
                assert_eq!(f.len(), 1);
                let f = &f[0];
                assert_eq!(f.id, format!("okta_error.{}", entry.code));
                assert!(
                    !f.title.is_empty() && !f.detail.is_empty(),
                    "{}",
                    entry.code
                );
                assert!(f.fix.len() >= 2, "{}", entry.code);
                assert!(f.fix.iter().all(|s| !s.is_empty()), "{}", entry.code);
                assert!(
                    !f.detail.contains("{0}") || entry.summary.contains("{0}"),
                    "{}",
                    entry.code
                );
            }
        }
    }

    #[test]
    fn causes_runtime_text_and_error_id() {
        let v = json!({"errorCode": "E0000001", "errorSummary": "Api validation failed: login", "errorId": "oae1",
            "errorCauses": [{"errorSummary": "login: An object with this field already exists in the current organization"}]});
        let f = first(v, Some(400)).unwrap();
        let ev: Vec<&str> = f.evidence.iter().map(|e| e.name.as_ref()).collect();
        assert_eq!(
            ev,
            [
                "status",
                "errorCode",
                "errorSummary",
                "errorId",
                "errorCauses"
            ]
        );
        assert!(f.detail.contains("Okta's runtime detail: \"login\""));
        assert!(f.detail.contains("DEPROVISIONED"));
        assert!(f.fix.iter().any(|s| s.contains("oae1")));

        let f = first(
            json!({"errorCode": "E0000001", "errorId": "dd4998a1-2267-499b-9e4d-ec821fcc5ca9"}),
            None,
        )
        .unwrap();
        assert!(f.fix.iter().any(|s| s.contains("System Log API")));

        let f = first(json!({"errorCode": "E0000014", "errorSummary": "The password does meet the complexity requirements of the current password policy."}), Some(403)).unwrap();
        assert!(
            f.detail.contains("Okta's text for E0000080"),
            "{}",
            f.detail
        );

        let f = first(json!({"errorCode": "E0000150", "errorSummary": "You have reached the limit of sms requests, please try again later."}), Some(429)).unwrap();
        assert!(f.detail.contains("catalogue gives HTTP 403"));

        let f = first(
            json!({"errorCode": "E0000070", "errorSummary": "Waiting for ACK"}),
            Some(202),
        )
        .unwrap();
        assert_eq!(f.severity, Severity::Info);
    }

    #[test]
    fn context_makes_advice_specific() {
        let bearer = |scopes: &[&str]| Credential {
            scheme: "Bearer".into(),
            scopes: Some(scopes.iter().map(|s| s.to_string()).collect()),
            client_id: Some("0oa1".into()),
            ..Credential::default()
        };
        let ctx = Context {
            status: Some(403),
            method: Some("POST".into()),
            path: Some("/api/v1/users/00u1/lifecycle/suspend".into()),
            domain: Some("dev-1.okta.com".into()),
            user_id: Some("00u1".into()),
            request_id: Some("reqX".into()),
            credential: Some(bearer(&["okta.users.manage"])),
            ..Context::default()
        };
        let e = Error {
            code: "E0000006".into(),
            summary: None,
            id: None,
            causes: vec![],
        };
        let settled = |mut f: Vec<Finding>| {
            crate::command::settle_findings(&mut f, &crate::Trusted::default());
            f
        };
        let f = &settled(worded(&e, &ctx))[0];
        assert!(
            f.detail.contains("the missing piece is the admin role"),
            "{}",
            f.detail
        );
        assert!(f
            .commands
            .iter()
            .any(|c| c.command.contains("/oauth2/v1/clients/0oa1/roles")));
        assert!(f
            .commands
            .first()
            .is_some_and(|c| c.command.contains("reqX")));

        let e = Error {
            code: "E0000004".into(),
            summary: Some("Authentication failed".into()),
            id: None,
            causes: vec![],
        };
        let f = &settled(worded(&e, &ctx))[0];
        assert!(f.commands.iter().any(|c| c
            .command
            .contains("https://dev-1.okta.com/api/v1/users/00u1/lifecycle/unlock")));
        assert!(f
            .commands
            .iter()
            .all(|c| !c.command.contains("$OKTA_USER_ID")));
        for needle in [
            "LOCKED_OUT",
            "PASSWORD_EXPIRED",
            "policy",
            "password is wrong",
        ] {
            assert!(
                f.detail.contains(needle) || f.fix.iter().any(|s| s.contains(needle)),
                "{needle}"
            );
        }

        let ctx = Context {
            method: Some("PUT".into()),
            path: Some("/api/v1/users/00u1/lifecycle/unlock".into()),
            ..Context::with_status(Some(405))
        };
        let e = Error {
            code: "E0000022".into(),
            summary: None,
            id: None,
            causes: vec![],
        };
        assert!(worded(&e, &ctx)[0]
            .detail
            .contains("lists POST for this path; the request used PUT"));
    }

    #[test]
    fn hostile_and_odd_bodies() {
        let cases = [
            json!({"errorCode": "E0000001", "errorSummary": "Api validation failed: ’{0}’ \u{202e}", "errorCauses": [{"errorSummary": "x".repeat(50_000)}, {"nope": 1}, "str"]}),
            json!({"errorCode": "E0000007", "errorSummary": "Not found: ", "errorId": "a\nb"}),
            json!({"errorCode": "E0000174", "errorSummary": "You can’t disable Okta FastPass because it is being used by one or more application sign-on policies. First, go to each policy and remove any device conditions. Then, come back and try again."}),
            json!({"errorCode": "E00000111"}),
        ];
        for v in cases {
            let e = parse(&v).unwrap();
            let f = worded(&e, &Context::with_status(Some(400)));
            assert_eq!(f.len(), 1);
            assert!(f[0].evidence.iter().all(|e| e.value.chars().count() <= 400));
            assert!(f.iter().all(|f| !f.detail.contains('\n')));
        }
        let e = parse(&json!({"errorCode": "E0000174", "errorSummary": "You can’t disable Okta FastPass because it is being used by one or more application sign-on policies. First, go to each policy and remove any device conditions. Then, come back and try again."})).unwrap();
        let f = worded(&e, &Context::default());
        assert!(
            !f[0].detail.contains("differs"),
            "the typographic apostrophe matches"
        );
    }
}
