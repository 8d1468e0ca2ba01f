//! The Report: the one data contract between the core, the CLI and the extension
//! (`../shared/DESIGN.md` § The contract). Every word a user reads is built here or in a
//! domain module; callers only serialise it. Its views are typed structs, one file each:
//! `token.rs` (`report.token`), `rate_limit.rs` (`report.rateLimit`), `timeline.rs`
//! (`report.timeline`), built by the domain modules; `kept.rs` says how a stored report's
//! views come back.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

pub mod compact;
mod finding;
pub mod flow;
mod kept;
pub mod rate_limit;
pub mod timeline;
pub mod token;

pub use finding::{Finding, Words};
pub use kept::{each_string_in, Kept, Strings};
pub use rate_limit::RateLimit;
pub use timeline::Timeline;
pub use token::Token;

/// Bumped only when a field changes meaning or disappears; new optional fields don't bump it.
pub const SCHEMA_VERSION: u32 = 1;

/// `ok < info < warning < error`; a report's severity is the maximum of its findings'.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    #[default]
    Ok,
    Info,
    Warning,
    Error,
}

/// What the input was recognised as.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Jwt,
    SswsToken,
    OpaqueToken,
    OktaError,
    OauthError,
    IdxResponse,
    HttpResponse,
    Exchange,
    RedirectUrl,
    Introspection,
    TokenStorage,
    Har,
    /// A SAML Response or AuthnRequest (`saml.*`).
    Saml,
    Unknown,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Input {
    pub kind: Kind,
}

/// A ready-to-run command. Values that came from the input are shell-quoted; secrets are
/// never inlined, they are referenced as environment variables the user sets.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Command {
    pub label: String,
    pub command: String,
    /// The host the input chose for this command, until `command::settle` decides whether it
    /// may be named (never serialised: a stored report's commands are already settled).
    #[serde(skip)]
    pub target: Option<crate::command::Target>,
}

/// Where a finding's claim comes from: a header, a claim, a body field… The source and the
/// name are most often the core's own words (`header`, `X-Rate-Limit-Limit`): kept borrowed,
/// not copied into two allocations per evidence (docs/performance-log.md, "liveFold, sixth pass").
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Evidence {
    pub source: Cow<'static, str>,
    pub name: Cow<'static, str>,
    pub value: String,
}

/// A text someone else wrote, under a label the core writes (`Okta said (errorSummary)`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Quote {
    /// Most often one of the core's labels, compiled in: kept borrowed (docs/performance-log.md,
    /// "liveFold, tenth pass").
    pub label: Cow<'static, str>,
    pub text: String,
}

/// The party that reported a finding's data (see [`Finding::reported_by`]).
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ReportedBy {
    Page,
}

/// Something the user can do from the popup for a finding. The extension maps `kind` to one
/// generic behaviour (e.g. `verify_signature`: ask for `origin` as an optional host
/// permission, then verify); every word comes from here.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Action {
    pub kind: String,
    pub label: String,
    /// The host-permission pattern the action needs (`https://dev-1.okta.com/*`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
}

/// The request an exchange or raw response describes (no credentials: see `http`).
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Request {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_code: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_at: Option<f64>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub schema_version: u32,
    pub input: Input,
    pub severity: Severity,
    pub summary: String,
    /// What to do now about the whole input: the leading finding's [`Finding`]'s `todo`. Written
    /// by `explain`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub todo: Option<String>,
    pub findings: Vec<Finding>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<Kept<Token>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<Kept<RateLimit>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<Request>,
    /// For inputs made of many exchanges (HAR, a tab's session): counts and groups over time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeline: Option<Kept<Timeline>>,
    /// Until the report is worded: the index of the finding whose title becomes the summary
    /// (`explain` writes it, then clears this).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary_of: Option<usize>,
    /// A session's sign-in story (report/flow.rs): absent when no flow was seen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flows: Option<Vec<flow::Flow>>,
}

/// Orders findings worst first (stable within a severity) and answers the worst severity.
fn settle(findings: &mut [Finding]) -> Severity {
    crate::sort::by_key(findings, |f| std::cmp::Reverse(f.severity));
    findings.first().map(|f| f.severity).unwrap_or_default()
}

impl Report {
    /// After findings were added or changed: worst first again, the severity the worst's.
    pub fn resettle(&mut self) {
        self.severity = settle(&mut self.findings);
    }

    /// Builds a report; findings are ordered worst first (stable within a severity) and the
    /// report's severity is the worst finding's.
    pub fn new(kind: Kind, summary: impl Into<String>, mut findings: Vec<Finding>) -> Self {
        let severity = settle(&mut findings);
        Report {
            schema_version: SCHEMA_VERSION,
            input: Input { kind },
            severity,
            summary: summary.into(),
            todo: None,
            findings,
            token: None,
            rate_limit: None,
            request: None,
            timeline: None,
            summary_of: None,
            flows: None,
        }
    }

    /// The session's flows as the report's story (none: no `flows`).
    pub fn with_flows(mut self, flows: &[flow::Flow]) -> Self {
        self.flows = (!flows.is_empty()).then(|| flow::view(flows));
        self
    }

    pub fn with_token(mut self, token: Option<Token>) -> Self {
        self.token = token.map(Kept::Built);
        self
    }

    pub fn with_rate_limit(mut self, rate_limit: Option<RateLimit>) -> Self {
        self.rate_limit = rate_limit.map(Kept::Built);
        self
    }

    pub fn with_timeline(mut self, timeline: Option<Timeline>) -> Self {
        self.timeline = timeline.map(Kept::Built);
        self
    }

    pub fn with_request(mut self, request: Option<Request>) -> Self {
        self.request = request;
        self
    }

    /// A report whose summary is the title of its first finding as given (before sorting), or
    /// "Nothing to report." without findings; written with the words (`explain`).
    pub fn titled_by_first(kind: Kind, findings: Vec<Finding>) -> Self {
        let first = findings.first().map(|f| f.severity);
        Report::new(kind, String::new(), findings).titled_by(first)
    }

    /// Marks the finding that was first (of severity `first`) before [`Report::new`] sorted
    /// them as the one whose title is the summary; `None`: "Nothing to report.".
    pub fn titled_by(mut self, first: Option<Severity>) -> Self {
        // The sort is stable: only findings of a worse severity moved ahead of the first.
        self.summary_of = first.map(|s| self.findings.iter().filter(|f| f.severity > s).count());
        self
    }

    /// The ids folded into this report's findings (`Finding::folded`), in order: what a
    /// search by id finds besides the findings' own ids.
    pub fn folded_ids(&self) -> Vec<String> {
        self.findings
            .iter()
            .flat_map(|f| f.folded.iter().cloned())
            .collect()
    }

    /// Whether a finding `id` was reported, on its own or folded into another (`folded`).
    pub fn has(&self, id: &str) -> bool {
        self.findings.iter().any(|f| f.is(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_orders_and_serialises_lowercase() {
        assert!(Severity::Ok < Severity::Info);
        assert!(Severity::Info < Severity::Warning);
        assert!(Severity::Warning < Severity::Error);
        assert_eq!(
            serde_json::to_string(&Severity::Warning).ok().as_deref(),
            Some("\"warning\"")
        );
    }

    #[test]
    fn report_takes_the_worst_severity_and_sorts_worst_first() {
        let cases: &[(&[Severity], Severity)] = &[
            (&[], Severity::Ok),
            (&[Severity::Info], Severity::Info),
            (
                &[Severity::Info, Severity::Error, Severity::Warning],
                Severity::Error,
            ),
        ];
        for (sevs, want) in cases {
            let findings = sevs
                .iter()
                .enumerate()
                .map(|(i, s)| Finding::new(format!("t.{i}"), *s, "t"))
                .collect();
            let r = Report::new(Kind::Unknown, "s", findings);
            assert_eq!(r.severity, *want);
            assert!(r.findings.windows(2).all(|w| match w {
                [a, b] => a.severity >= b.severity,
                _ => true,
            }));
        }
    }

    #[test]
    fn report_serialises_camel_case_with_schema_version() {
        let r = Report::new(Kind::SswsToken, "s", vec![]);
        let v = serde_json::to_value(&r).unwrap_or_default();
        assert_eq!(v["schemaVersion"], 1);
        assert_eq!(v["input"]["kind"], "ssws_token");
        assert!(v.get("token").is_none());
    }
}
