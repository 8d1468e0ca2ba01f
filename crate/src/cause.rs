//! One cause per failed request: of the findings one response gave, the most specific
//! explanation stays and the findings that say the same thing fold into it as evidence.
//!
//! A 429 whose body is E0000047 is one rate limit, not a rate limit and an Okta error; an IDX
//! message whose key is an E-code is that Okta error; a 403 that both `WWW-Authenticate` and
//! the endpoint's scope table explain is one missing scope. The decision reads the findings'
//! ids and parameters (what the analysis recorded), never their words, and happens here only:
//! [`fold`] is called by the exchange pipeline (`http::analyze`) and the pasted-JSON one
//! (`input`), so the popup, the panel, the CLI and the session all count the same causes.
//!
//! The surviving finding keeps the folded ids (`Finding::folded`, so an id stays searchable),
//! the folded findings' evidence lines, their quote when it had none, and their facts (under
//! the [`FOLDED`] parameter), from which `explain` carries their useful commands over.

use serde_json::Value;

use crate::params::Fact;
use crate::report::{Finding, Severity};

/// The parameter under which a survivor keeps its folded findings' facts (`id`, `severity`,
/// `params`) until `explain` words it.
pub use crate::params::FOLDED;

/// Why one finding explains another: each rule names the survivor and the finding it absorbs,
/// read from ids and recorded parameters. Applied in this order, so chains fold completely
/// (an IDX `errors.E0000047` message → `okta_error.E0000047` → `rate_limit.exceeded`).
/// Each rule comes with who may survive it, read from the id alone: a rule is asked only of
/// the pairs whose survivor may (its own checks include this one), not of every ordered pair
/// (~58 asks a fold before: docs/performance-log.md, "liveFold, thirteenth pass").
type Rule = (fn(&Finding) -> bool, fn(&Finding, &Finding) -> bool);
const RULES: &[Rule] = &[
    (is_okta_error, idx_message_is_its_okta_error),
    (is_rate_limit_429, rate_limit_signalled_by_the_body),
    (is_okta_error, okta_error_explains_the_429),
    (|f| f.id == "scope.missing", scope_missing_explains_the_403),
    (
        |f| f.id == "auth.scheme_mismatch",
        scheme_mismatch_explains_the_401,
    ),
    (is_okta_error, okta_error_explains_the_5xx),
];

fn is_okta_error(f: &Finding) -> bool {
    in_family(f, "okta_error")
}

fn is_rate_limit_429(f: &Finding) -> bool {
    matches!(&*f.id, "rate_limit.exceeded" | "rate_limit.concurrent")
}

/// An IDX message carrying an E-code (its key `errors.E0000004`, a bare `E0000020`, or a text
/// Okta writes for a code) and the body's `okta_error` finding for that code are one error:
/// the IDX finding itself says "see the okta_error finding".
fn idx_message_is_its_okta_error(survivor: &Finding, other: &Finding) -> bool {
    in_family(other, "idx")
        && in_family(survivor, "okta_error")
        && other
            .params
            .text("code")
            .is_some_and(|c| survivor.params.text("code") == Some(c))
}

/// The body finding whose text made the rate-limit module call this a 429 (its `signal`):
/// Okta's E0000047, `/token`'s `invalid_grant` "exceeded rate limit", IDX `tooManyRequests`.
/// The rate-limit finding stays: it carries the bucket and the wait.
fn rate_limit_signalled_by_the_body(survivor: &Finding, other: &Finding) -> bool {
    if !matches!(
        &*survivor.id,
        "rate_limit.exceeded" | "rate_limit.concurrent"
    ) {
        return false;
    }
    match survivor.params.text("signal") {
        Some("E0000047") => other.id == "okta_error.E0000047",
        Some("token") => {
            other.id == "oauth_error.invalid_grant" && other.params.text("source") == Some("body")
        }
        Some("idx") => {
            in_family(other, "idx") && other.params.text("key") == Some("tooManyRequests")
        }
        _ => false,
    }
}

/// A 429 whose Okta error body is not the rate-limit signal (E0000150: the SMS limit) is
/// explained by that error; the bare "429" finding folds into it.
fn okta_error_explains_the_429(survivor: &Finding, other: &Finding) -> bool {
    other.id == "rate_limit.exceeded"
        && other.params.text("signal").is_none()
        && in_family(survivor, "okta_error")
        && survivor.params.int("status") == Some(429)
}

/// The endpoint needs a scope the token lacks (`scope.missing` names both): the 403's
/// `insufficient_scope` challenge and Okta's E0000006 body are that same missing scope.
fn scope_missing_explains_the_403(survivor: &Finding, other: &Finding) -> bool {
    survivor.id == "scope.missing"
        && (other.id == "oauth_error.insufficient_scope" || other.id == "okta_error.E0000006")
}

/// The credential was sent with the wrong scheme, and Okta's answer is what that mix-up gets:
/// an access token sent as `SSWS` is refused with E0000011 (okta.md §8.1, okta-sdk-nodejs
/// #427); an unbound token sent as `DPoP` with `invalid_token` whose Okta cause is
/// `access_token_not_dpop_bound`.
fn scheme_mismatch_explains_the_401(survivor: &Finding, other: &Finding) -> bool {
    if survivor.id != "auth.scheme_mismatch" {
        return false;
    }
    match survivor.params.text("why") {
        Some("jwt_as_ssws") => other.id == "okta_error.E0000011",
        Some("unbound_as_dpop") => {
            other.id == "oauth_error.invalid_token"
                && other.params.text("cause") == Some("access_token_not_dpop_bound")
        }
        _ => false,
    }
}

/// A 5xx with an Okta error body (E0000009 internal error, E0000010 read-only mode): the body
/// says what the status only hints at.
fn okta_error_explains_the_5xx(survivor: &Finding, other: &Finding) -> bool {
    other.id == "http.server_error"
        && in_family(survivor, "okta_error")
        && other.params.int("status").is_some()
        && survivor.params.int("status") == other.params.int("status")
}

/// Is `name` the id's first part ([`family`])? Compared in place: the rules ask ~30 times per
/// exchange (docs/performance-log.md, "liveFold, seventh pass").
fn in_family(f: &Finding, name: &str) -> bool {
    match f.id.strip_prefix(name) {
        Some(rest) => rest.is_empty() || rest.starts_with('.'),
        None => false,
    }
}

/// The id's first part (`okta_error` of `okta_error.E0000047`): a byte scan.
fn family(f: &Finding) -> &str {
    let id = &*f.id;
    id.bytes()
        .position(|b| b == b'.')
        .and_then(|i| id.get(..i))
        .unwrap_or(id)
}

/// Does `f` explain why a request failed? An error, or a warning read from the response itself
/// (an Okta, OAuth or IDX error such as `use_dpop_nonce`); a remark about the token (an
/// unusual lifetime) does not.
pub fn explains_failure(f: &Finding) -> bool {
    f.severity == Severity::Error
        || (f.severity == Severity::Warning
            && matches!(family(f), "okta_error" | "oauth_error" | "idx"))
}

/// The findings of one request, each cause once: every finding another one explains is folded
/// into it (see [`RULES`]), and `http.error_status` ("the status alone") is dropped when
/// another finding explains the failure. The survivor takes the place of the earliest finding
/// it absorbed, so "the first finding" (a pasted report's summary) stays the same cause.
pub fn fold(mut findings: Vec<Finding>) -> Vec<Finding> {
    for rule in RULES {
        while let Some((s, o)) = pair(&findings, rule) {
            let other = findings.remove(o);
            let s = if o < s { s - 1 } else { s };
            // The survivor absorbs in place, then takes the earlier of the two places: a
            // rotation, not a remove and an insert that each move the ~400-byte findings after.
            if let Some(survivor) = findings.get_mut(s) {
                absorb(survivor, other);
            }
            if let Some(between) = findings.get_mut(o.min(s)..=s) {
                between.rotate_right(1);
            }
        }
    }
    let explained = findings
        .iter()
        .any(|f| f.id != "http.error_status" && explains_failure(f));
    if explained {
        findings.retain(|f| f.id != "http.error_status");
    }
    findings
}

fn pair(findings: &[Finding], (may, rule): &Rule) -> Option<(usize, usize)> {
    findings.iter().enumerate().find_map(|(s, survivor)| {
        if !may(survivor) {
            return None;
        }
        findings
            .iter()
            .enumerate()
            .find(|(o, other)| *o != s && rule(survivor, other))
            .map(|(o, _)| (s, o))
    })
}

/// Moves `other` into `survivor`: its id (and the ids it had absorbed), its evidence lines not
/// already there, its quote when the survivor has none, its Okta cause likewise, its severity
/// when worse, and its facts for the wording.
/// Moved, not cloned: `other` is owned.
fn absorb(survivor: &mut Finding, other: Finding) {
    let Finding {
        id,
        severity,
        evidence,
        okta_cause,
        quote,
        reported_by,
        folded,
        params: mut other_params,
        ..
    } = other;
    survivor.folded.push(id.to_string());
    survivor.folded.extend(folded);
    for e in evidence {
        if !survivor.evidence.contains(&e) {
            survivor.evidence.push(e);
        }
    }
    if survivor.quote.is_none() {
        survivor.quote = quote;
    }
    if survivor.okta_cause.is_none() {
        survivor.okta_cause = okta_cause;
    }
    if survivor.reported_by.is_none() {
        survivor.reported_by = reported_by;
    }
    survivor.severity = survivor.severity.max(severity);
    // Kept typed (`params::Fact`), not as a JSON object: docs/performance-log.md, "liveFold,
    // seventh pass". The folded finding's own folded facts come along, flat.
    let mut facts = survivor.params.take_facts(FOLDED);
    let inner = other_params.take_facts(FOLDED);
    facts.reserve_exact(inner.len() + 1);
    facts.extend(inner);
    facts.push(Fact {
        id: id.into_owned(),
        severity,
        params: other_params,
    });
    survivor.params.set_facts(FOLDED, facts);
}

fn severity(name: &str) -> Severity {
    match name {
        "error" => Severity::Error,
        "warning" => Severity::Warning,
        "info" => Severity::Info,
        _ => Severity::Ok,
    }
}

/// The facts a survivor keeps of the findings folded into it, as findings not yet worded. A
/// stored list of another shape (`params::Fact::read` keeps it as JSON) is read as before:
/// each object with a string `id`.
pub fn folded_facts(f: &Finding) -> Vec<Finding> {
    let typed = f.params.facts(FOLDED).iter().map(|fact| {
        let mut f = Finding::fact(fact.id.clone(), fact.severity);
        f.params = fact.params.clone();
        f
    });
    let stored = f.params.json(FOLDED).and_then(Value::as_array);
    let read = stored.into_iter().flatten().filter_map(|v| {
        let id = v.get("id").and_then(Value::as_str)?;
        let sev = v
            .get("severity")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let mut f = Finding::fact(id.to_string(), severity(sev));
        f.params = v
            .get("params")
            .map(crate::params::Params::from_object)
            .unwrap_or_default();
        Some(f)
    });
    typed.chain(read).collect()
}

#[cfg(test)]
mod tests;
