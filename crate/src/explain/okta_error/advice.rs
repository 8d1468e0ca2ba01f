//! Our explanation of an E-code: the cause and the fix steps. The codes people hit have
//! hand-written advice (`data/okta_error_advice.tsv`); every other code gets one derived from
//! Okta's title, status, summary and notes — by what the status means and what kind of
//! failure the title describes (a duplicate, a quota, a dependency, a read-only attribute…).

use std::{collections::HashMap, sync::OnceLock};

use crate::{
    catalogue,
    okta_error::catalogue::{Entry, Origin},
};

const ADVICE: &str = crate::catalogue::data!("okta_error_advice.tsv");
/// Okta's title (exception name) and notes per code: words, kept apart from the catalogue the
/// analysis reads (okta_error/catalogue.rs).
const TITLES: &str = crate::catalogue::data!("okta_error_titles.tsv");

/// Okta's title and notes for a catalogued code: `("", None)` for a code the file lacks.
pub fn okta_words(code: &str) -> (&'static str, Option<&'static str>) {
    type Words = HashMap<&'static str, (&'static str, Option<&'static str>)>;
    static WORDS: OnceLock<Words> = OnceLock::new();
    WORDS
        .get_or_init(|| {
            catalogue::rows(TITLES)
                .filter_map(|r| Some((*r.first()?, (*r.get(1)?, catalogue::cell(&r, 2)))))
                .collect()
        })
        .get(code)
        .copied()
        .unwrap_or(("", None))
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Advice {
    /// A plain-language headline, when the hand-written advice has one.
    pub title: Option<&'static str>,
    pub cause: String,
    pub fix: Vec<String>,
    /// Command names (see `command::NAMES`).
    pub commands: Vec<&'static str>,
    pub docs: Option<&'static str>,
    /// Hand-written for this code (as opposed to derived).
    pub specific: bool,
}

fn written() -> &'static HashMap<&'static str, Advice> {
    static ADV: OnceLock<HashMap<&'static str, Advice>> = OnceLock::new();
    ADV.get_or_init(|| {
        let mut map: HashMap<&'static str, Advice> = HashMap::new();
        for r in catalogue::rows(ADVICE) {
            let (Some(code), Some(field), Some(text)) = (r.first(), r.get(1), r.get(2)) else {
                continue;
            };
            let a = map.entry(code).or_insert_with(|| Advice {
                specific: true,
                ..Advice::default()
            });
            match *field {
                "title" => a.title = Some(text),
                "cause" => a.cause = text.to_string(),
                "fix" => a.fix.push(text.to_string()),
                "command" => a.commands.push(text),
                "docs" => a.docs = Some(text),
                _ => {}
            }
        }
        map
    })
}

/// Codes with hand-written advice (for tests).
#[cfg(test)]
pub fn written_codes() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = written().keys().copied().collect();
    v.sort_unstable();
    v
}

/// The advice for a catalogued code.
pub fn for_entry(e: &Entry) -> Advice {
    if let Some(a) = written().get(e.code) {
        return a.clone();
    }
    let (title, notes) = okta_words(e.code);
    derived(e.status, title, e.summary, notes, e.origin)
}

/// The advice for a code Okta Medic doesn't know, from the status alone.
pub fn for_unknown(status: Option<u16>) -> Advice {
    Advice {
        cause: format!(
            "{}Okta Medic's catalogue (Okta's published error codes up to release 2026.08.1, plus codes seen only in the Sign-In Widget) doesn't list this code: it may be newer than the catalogue, or the body may not come from Okta at all.",
            status
                .map(|s| format!("{} ", status_meaning(Some(s))))
                .unwrap_or_default()
        ),
        fix: vec![
            "Read errorSummary and errorCauses: they say what Okta objected to.".into(),
            status
                .map(|s| status_fix(Some(s)))
                .unwrap_or("Correct the request as the message says; if the message is unclear, check the request's credentials and parameters first.")
                .to_string(),
            "Look the code up in Okta's current error-code reference; if it is missing there too, ask Okta support with the errorId.".into(),
        ],
        docs: Some("https://developer.okta.com/docs/reference/error-codes/"),
        ..Advice::default()
    }
}

fn status_meaning(status: Option<u16>) -> &'static str {
    match status {
        Some(202) => "HTTP 202: Okta accepted the request but hasn't finished it.",
        Some(400) => "HTTP 400: Okta rejected the request as invalid, and nothing was changed.",
        Some(401) => "HTTP 401: Okta did not accept the request's credentials.",
        Some(403) => "HTTP 403: Okta understood the request but refuses it — a policy, the object's current state or the caller's permissions don't allow it.",
        Some(404) => "HTTP 404: Okta found nothing at this path or with this id.",
        Some(405) => "HTTP 405: the endpoint doesn't accept this HTTP method.",
        Some(406) => "HTTP 406: Okta can't answer in the format the Accept header asks for.",
        Some(409) => "HTTP 409: the request conflicts with the current state of the object or the org.",
        Some(410) => "HTTP 410: the object or endpoint existed but is gone.",
        Some(412) => "HTTP 412: a precondition (the If-Match ETag) no longer holds: the object changed since it was read.",
        Some(414) => "HTTP 414: the request produced something too large for Okta to process.",
        Some(422) => "HTTP 422: the request is well-formed but its values can't be used together.",
        Some(423) => "HTTP 423: the resource is temporarily locked by another operation.",
        Some(429) => "HTTP 429: a rate or volume limit was reached.",
        Some(500) => "HTTP 500: Okta failed internally while processing the request.",
        Some(501) => "HTTP 501: Okta doesn't implement this operation here.",
        Some(502) => "HTTP 502: Okta didn't get a usable answer from a system it depends on (an agent, a hook, a provider).",
        Some(503) => "HTTP 503: the service is temporarily unavailable.",
        Some(504) => "HTTP 504: a system Okta depends on (an agent, a provider) didn't answer in time.",
        Some(s) if s >= 500 => "A server-side failure.",
        Some(s) if s >= 400 => "A client-side error: the request needs to change.",
        Some(_) => "Not a failure status.",
        None => "Okta's Sign-In Widget shows this message to the user; its HTTP status isn't documented.",
    }
}

fn status_fix(status: Option<u16>) -> &'static str {
    match status {
        Some(202) => "Poll the operation (or wait for the user's response) until it finishes.",
        Some(400 | 422) => "Correct the request as the message says and send it again; retrying it unchanged won't help.",
        Some(401) => "Check the credential: right scheme (SSWS for API tokens, Bearer for access tokens), right org, not expired or revoked.",
        Some(403) => "Check the caller's admin role and the policy or object state the message names; retrying unchanged won't help.",
        Some(404 | 410) => "Check that the ids in the URL exist in this org and haven't been deleted.",
        Some(405) => "Check the method for this path in the API reference.",
        Some(406) => "Send Accept: application/json (and Content-Type: application/json with a body).",
        Some(409) => "Read the object's current state, resolve the conflict (a duplicate value, a dependency, an operation still running), then retry.",
        Some(412) => "Read the object again to get its current ETag, reapply your change, and send it with If-Match.",
        Some(423) => "Wait a little and retry; the lock is released when the other operation finishes.",
        Some(429) => "Wait before retrying, and reduce how often this is requested.",
        Some(s) if s >= 500 => "Retry with exponential backoff; if it persists, check status.okta.com and give Okta support the errorId and X-Okta-Request-Id.",
        Some(_) => "Correct the request as the message says and send it again.",
        None => "Follow the message's instruction; an admin can check the user and the policies involved.",
    }
}

/// What kind of failure the title and summary describe, with its cause and its fix.
fn kind(text: &str) -> Option<(&'static str, &'static str)> {
    const KINDS: &[(&[&str], &str, &str)] = &[
        (
            &["deprecated", "no longer available"],
            "The endpoint has been retired.",
            "Move to the replacement API named in Okta's reference and release notes.",
        ),
        (
            &["hook", "callback"],
            "An inline hook (a call-out from Okta to your service) failed.",
            "Check the hook's endpoint: reachable from the internet, a valid TLS certificate, answers quickly with the JSON Okta expects; the System Log records each failed call.",
        ),
        (
            &["agent"],
            "Okta relies on an on-premises agent (AD, LDAP, RADIUS…) for this and it didn't respond.",
            "Check that the agents are running and connected (Admin Console → the directory integration → Agents) and restart a stuck one.",
        ),
        (
            &["media type", "accept header", "content-type"],
            "The request's Accept or Content-Type header doesn't fit this endpoint.",
            "Send Accept: application/json and, with a body, Content-Type: application/json.",
        ),
        (
            &["sms", "call", "telephony", "phone", "voice"],
            "The request involves SMS or voice delivery, which has its own settings, providers and limits.",
            "Check the phone number (E.164, with country code), the org's telephony settings or provider, and offer another authenticator if delivery keeps failing.",
        ),
        (
            &["already exists", "duplicate", "already assigned", "already active", "already in use", "already been", "already associated", "unique", "already enabled", "conflicts with"],
            "Something with the same unique value or assignment already exists.",
            "Look up the existing object and use or update it, or pick a different unique value.",
        ),
        (
            &["limit", "maximum", "count limit", "too many", "exceeds", "exceeded", "cannot have more", "or less"],
            "An org or object quota was reached.",
            "Remove objects you no longer need, or ask Okta support whether the limit can be raised.",
        ),
        (
            &["in use", "being used", "used by", "is used", "associated with", "enabled in one or more", "dependen", "mapped to", "currently being used", "contain condition"],
            "Other configuration still depends on this object.",
            "Remove the references first (the policies, rules, authenticators, brands or domains the message names), then retry.",
        ),
        (
            &["read only", "read-only", "immutable", "reserved", "mastered", "externally sourced", "profile push", "cannot modify"],
            "The attribute or object can't be changed here: it is read-only, reserved, or owned by another system.",
            "Change it at its source (the directory, HR app or mapping that owns it), or change a writable attribute instead.",
        ),
        (
            &["default brand", "default email", "default customization", "default template"],
            "The default object can't be changed or removed this way.",
            "Create or edit a custom one and leave the default in place.",
        ),
        (
            &["try again later", "still being", "in progress", "being reconciled", "timed out", "time out", "wait for"],
            "An operation is still running, or something timed out.",
            "Wait a little and retry with backoff.",
        ),
        (
            &["inactive", "not currently active", "not active", "current status", "device status", "not in the expected state", "is activating", "being activated"],
            "The object's lifecycle state (a user's or device's status) doesn't allow this operation now.",
            "Read the object's status and bring it to a state that allows the operation (activate, unsuspend, unlock…), or wait for the transition in progress to finish.",
        ),
        (
            &["not enabled", "not supported", "not permitted", "not allowed", "free", "paid", "upgrade", "restricted", "denied", "forbidden", "unsupported", "not available"],
            "The org's features, settings or policies don't allow this operation for this caller.",
            "Check the org's features (Settings → Features) and settings, the policy involved, and the caller's admin role; some operations need a product the org doesn't have.",
        ),
        (
            &["not found", "no longer exists", "does not exist", "has been deleted", "invalid device id", "invalid factor id", "invalid user id"],
            "An object the request names doesn't exist (or no longer does).",
            "Check the ids in the request against this org.",
        ),
        (
            &["expired", "previously used", "has been used"],
            "A token or link in the request has expired or was already used.",
            "Request a new one and use it once.",
        ),
        (
            &["invalid", "validation", "must", "bad request", "cannot", "can't", "failed", "error", "mismatch", "doesn't conform", "not well-formed"],
            "Okta refused a value in the request.",
            "Correct the value the message names and send the request again.",
        ),
    ];
    let lower = text.to_lowercase();
    KINDS
        .iter()
        .find(|(words, _, _)| words.iter().any(|w| lower.contains(w)))
        .map(|(_, cause, fix)| (*cause, *fix))
}

/// Advice built from the catalogue's own facts.
pub fn derived(
    status: Option<u16>,
    title: &str,
    summary: &str,
    notes: Option<&str>,
    origin: Origin,
) -> Advice {
    let mut cause = String::new();
    if let Some((kind_cause, _)) = kind(&format!("{title} {summary}")) {
        cause.push_str(kind_cause);
        cause.push(' ');
    }
    cause.push_str(status_meaning(status));
    cause.push_str(&format!(" Okta's name for this error: \"{title}\"."));
    if let Some(n) = notes {
        cause.push(' ');
        cause.push_str(n);
        if !n.ends_with('.') {
            cause.push('.');
        }
    }
    match origin {
        Origin::Removed => cause.push_str(" Okta no longer lists this code; you are probably reading an old log or a client built against an old API."),
        Origin::Widget => cause.push_str(" This code appears only in the Sign-In Widget's messages."),
        Origin::Current => {}
    }
    let mut fix = Vec::new();
    let kind_fix = kind(&format!("{title} {summary}")).map(|(_, f)| f);
    if let Some(f) = kind_fix {
        fix.push(f.to_string());
    }
    // "Correct the value…" and "correct the request…" say the same; keep one.
    let same =
        kind_fix.is_some_and(|f| f.starts_with("Correct")) && matches!(status, Some(400 | 422));
    if !same {
        fix.push(status_fix(status).to_string());
    }
    Advice {
        cause,
        fix,
        ..Advice::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::okta_error::catalogue;

    #[test]
    fn the_titles_file_words_every_catalogued_code_and_no_other() {
        let codes: Vec<&str> = catalogue::all().iter().map(|e| e.code).collect();
        let titled: Vec<&str> = crate::catalogue::rows(TITLES)
            .filter_map(|r| r.first().copied())
            .collect();
        assert_eq!(titled, codes);
        for code in codes {
            assert!(!okta_words(code).0.is_empty(), "{code} has Okta's title");
        }
        assert_eq!(okta_words("E0000011").0, "Invalid token exception");
        assert_eq!(okta_words("E9999999"), ("", None));
    }

    #[test]
    fn every_code_gets_a_cause_and_a_fix() {
        for e in catalogue::all() {
            let a = for_entry(e);
            assert!(a.cause.len() > 20, "{}: {:?}", e.code, a.cause);
            assert!(!a.fix.is_empty(), "{}", e.code);
            assert!(a.fix.iter().all(|f| !f.trim().is_empty()), "{}", e.code);
        }
        let a = for_unknown(Some(418));
        assert!(!a.cause.is_empty() && a.fix.len() >= 2);
    }

    #[test]
    fn the_codes_people_hit_are_written_by_hand() {
        let codes = written_codes();
        let must = [
            "E0000001", "E0000004", "E0000005", "E0000006", "E0000007", "E0000009", "E0000010",
            "E0000011", "E0000014", "E0000015", "E0000016", "E0000022", "E0000023", "E0000038",
            "E0000047", "E0000064", "E0000207", "E0000109", "E0000118", "E0000133", "E0000146",
            "E0000147", "E0000186", "E0000204", "E0000205",
        ];
        for code in must {
            assert!(codes.contains(&code), "{code}");
            let a = written().get(code).unwrap();
            assert!(!a.cause.is_empty() && !a.fix.is_empty(), "{code}");
            assert!(catalogue::lookup(code).is_some(), "{code} is catalogued");
        }
        for code in &codes {
            assert!(
                catalogue::lookup(code).is_some(),
                "advice for unknown code {code}"
            );
            for c in &written()[code].commands {
                let c = c
                    .trim_start_matches("[ssws] ")
                    .trim_start_matches("[bearer] ");
                assert!(
                    crate::command::NAMES.contains(&c),
                    "{code}: unknown command {c}"
                );
            }
        }
    }

    #[test]
    fn derived_advice_reads_the_kind() {
        let cases = [
            ("E0000202", "Look up the existing object"),
            ("E0000162", "Remove objects you no longer need"),
            ("E0000187", "Remove the references first"),
            ("E0000077", "Change it at its source"),
            ("E0000215", "replacement API"),
            ("E0000241", "agents are running"),
            ("E0000231", "current ETag"),
            ("E0000012", "Accept: application/json"),
            ("E0000117", "status"),
            ("E0000155", "status"),
            ("E0000096", "Look up the existing object"),
        ];
        for (code, want) in cases {
            let a = for_entry(catalogue::lookup(code).unwrap());
            assert!(!a.specific);
            assert!(
                a.fix.iter().any(|f| f.contains(want)),
                "{code}: {:?}",
                a.fix
            );
        }
    }
}
