//! The explain layer: the words of a report, written only when it is shown, printed or
//! exported.
//!
//! Domain modules produce findings as data (`Finding::fact`: id, severity, evidence and the
//! [`Params`](crate::params::Params) the wording needs). Here each finding family's wording
//! (one file per family, beside the catalogues it reads) renders title, detail, fix steps,
//! commands, docs link and action from those parameters, then (`lead.rs`, one step for every
//! family) what to do now and why; the report's summary and its leading action are written
//! from the worded findings. The live listener and the session fold never call this; the
//! popup, the panel, the CLI and the exports do, through [`show`].

mod cors;
mod flow;
mod flow_across;
pub mod flow_story;
mod folded;
mod http;
mod idx;
mod jwt;
mod lead;
mod oauth_error;
mod okta_error;
mod rate_limit;
mod saml;
mod saml_across;
mod token;

use crate::{
    jwt::clip,
    report::{Finding, Kept, Kind, Report, Severity},
    Trusted,
};

/// The report as the user sees it: worded, its commands settled for `trusted` hosts
/// (`command::settle`) and sealed (`redact::seal`).
pub fn show(report: &mut Report, trusted: &Trusted) {
    word_shown(report, trusted);
    crate::redact::seal(report);
}

/// [`show`] for a report [`redact::seal`](crate::redact::seal) sealed as data and nothing
/// changed since (`facts_of_text`'s): the words are sealed, the data is not sealed twice
/// (`redact::seal_shown`). Every word is written from the report itself, so from sealed
/// strings; the words are still scrubbed, since a sealed value quoted beside a word could
/// read as a secret in context.
pub fn show_sealed(report: &mut Report, trusted: &Trusted) {
    word_shown(report, trusted);
    crate::redact::seal_shown(report);
}

/// [`show`] without the seal.
fn word_shown(report: &mut Report, trusted: &Trusted) {
    jwt::notes::add(report);
    word(report);
    if let Some(flows) = report.flows.as_mut() {
        flow_story::word(flows);
    }
    crate::command::settle(report, trusted);
    // A session's report (a HAR, a tab) carries its digest's finding groups in its timeline:
    // typed when the core built it, the stored JSON when it was read back.
    match report.timeline.as_mut() {
        Some(Kept::Built(t)) => {
            show_findings(t.digest.groups.iter_mut().map(|g| &mut g.finding), trusted)
        }
        Some(Kept::Read(value)) => show_groups(value, trusted),
        None => {}
    }
}

/// [`show`] for the finding groups a session view or a digest carries as JSON (`problems`,
/// `quiet`, `groups`: each `{…, finding}`), wherever they sit in `value`: `digest.groups` in a
/// HAR's or a tab's report timeline, `problems`/`quiet` in a tab view. A group whose finding
/// can't be read is left as it is. Read by the stored tabs' hand reader (digest/stored.rs),
/// not serde's: its `Value` deserialisers kept ~13 KB gzip in the ui module, with
/// [`flow_story::word_value`]'s (docs/performance-log.md, "Size, seventh pass").
pub fn show_groups(value: &mut serde_json::Value, trusted: &Trusted) {
    use serde_json::Value;
    let lists = ["groups", "problems", "quiet"];
    if let Value::Object(map) = value {
        for (key, v) in map.iter_mut() {
            match v {
                Value::Array(groups) if lists.contains(&key.as_str()) => {
                    for g in groups.iter_mut() {
                        let Some(slot) = g.get_mut("finding") else {
                            continue;
                        };
                        let Some(mut f) = <Finding as crate::digest::stored::Read>::read(slot)
                        else {
                            continue;
                        };
                        show_findings(std::iter::once(&mut f), trusted);
                        *slot = serde_json::to_value(&f).unwrap_or_default();
                    }
                }
                // A tab view's sign-in story.
                Value::Array(_) if key == "flows" => flow_story::word_value(v),
                Value::Object(_) => show_groups(v, trusted),
                _ => {}
            }
        }
    }
}

/// [`show`] for findings outside a report (a session's finding groups): worded, settled for
/// `trusted` hosts and sealed.
pub fn show_findings<'a>(findings: impl IntoIterator<Item = &'a mut Finding>, trusted: &Trusted) {
    for f in findings {
        finding(f);
        crate::command::settle_findings(std::slice::from_mut(f), trusted);
        crate::redact::seal_finding(f);
    }
}

/// Words every finding that is still data, then the summary when the analysis left it to them.
pub fn word(report: &mut Report) {
    for f in &mut report.findings {
        finding(f);
    }
    if report.summary.is_empty() {
        report.summary = summary(report);
    }
    // The findings are worst first: the first one's action leads the report.
    report.todo = report.findings.first().and_then(|f| f.todo.clone());
    report.summary_of = None;
}

/// Writes a fact's words from its parameters (a finding already worded keeps its words), puts
/// the storage key in front of the title of a finding about a stored token, and drops the
/// parameters.
pub fn finding(f: &mut Finding) {
    if !f.is_worded() {
        word_family(f);
        folded::carry(f);
    }
    token::stored_under(f);
    if let Some(n) = f.params.int(crate::params::REPEATS).filter(|n| *n > 1) {
        f.title = format!("{} (×{n})", f.title);
    }
    lead::write(f);
    f.params = Default::default();
}

fn word_family(f: &mut Finding) {
    let family = f.id.split('.').next().unwrap_or_default();
    match family {
        "jwt" | "auth" => jwt::word(f),
        "token" | "token_storage" | "introspection" => token::word(f),
        "rate_limit" | "clock" => rate_limit::word(f),
        "okta_error" => okta_error::word(f),
        "oauth_error" => oauth_error::word(f),
        "idx" => idx::word(f),
        "cors" => cors::word(f),
        "flow" => flow::word(f),
        "saml" => {
            if !saml_across::word(f) {
                saml::word(f)
            }
        }
        _ => http::word(f),
    }
}

/// The one-line summary of a report whose analysis did not write one: for a response or an
/// exchange, its status line and its worst finding's title; otherwise the first finding's title.
fn summary(report: &Report) -> String {
    let worst = report
        .findings
        .iter()
        .find(|f| f.severity >= Severity::Warning);
    let request = report.request.clone().unwrap_or_default();
    let status_line = |status: u16| match worst {
        Some(f) => format!("HTTP {status}: {}", f.title),
        None => format!("HTTP {status} response."),
    };
    match report.input.kind {
        Kind::HttpResponse => status_line(request.status_code.unwrap_or_default()),
        Kind::Exchange => match (request.status_code, request.url.as_deref()) {
            (Some(s), Some(u)) => {
                let head = format!("{} {}", request.method.as_deref().unwrap_or("GET"), clip(u));
                match worst {
                    Some(f) => format!("{head} → {s}: {}", f.title),
                    None => format!("{head} → {s}."),
                }
            }
            (Some(s), None) => status_line(s),
            _ => "Exchange without a status code.".to_string(),
        },
        _ => match report.summary_of.and_then(|i| report.findings.get(i)) {
            Some(f) => f.title.clone(),
            None => "Nothing to report.".to_string(),
        },
    }
}

/// For the concept modules' tests: `findings` as the analysis gave them must be facts with no
/// words (no title, detail, fix, commands or docs); answered worded, their params dropped.
#[cfg(test)]
pub(crate) fn worded_facts(mut findings: Vec<Finding>) -> Vec<Finding> {
    assert!(findings.iter().all(|f| !f.is_worded()
        && f.detail.is_empty()
        && f.fix.is_empty()
        && f.commands.is_empty()
        && f.docs_url.is_none()));
    findings.iter_mut().for_each(finding);
    assert!(findings
        .iter()
        .all(|f| f.is_worded() && f.params.is_empty()));
    findings
}
