//! What a tab stored, read back by hand from its JSON (`storage.session`'s `tab:<id>`: the
//! digest, its flow state and clock, the kept reports; the timeline reads its part with the
//! same helpers, timeline/stored.rs) instead of by serde's derived deserialisers.
//!
//! Why: the service worker reads stored tabs back (`liveRestore`, `tabBadge`), and serde_json's
//! derived struct deserialisers for these types were ~146 KB of its raw wasm (44 KB gzip,
//! measured: docs/performance-log.md, "Service worker, third pass"). This reader walks the one
//! generic `serde_json::Value` the boundary already parses, a few lines per type.
//!
//! The stored format stays the JSON written by `Serialize` (Snapshot): the UI pages read the
//! same entries (`tabView`, `digestReport`), and an entry a previous version stored is read by
//! the same code, so an upgrade needs no migration. It reads exactly what the derived
//! deserialisers read (tests/stored.rs compares the two on stored tabs and on every field
//! removed, nulled or mistyped): a required field missing or any field of the wrong type makes
//! its whole part unreadable (that part starts afresh), unknown fields are skipped. Total: it
//! reads whatever storage hands it without panicking (fuzz target `stored_read`).
//!
//! A new stored field (a SAML state kept beside the flow state, say) is its type's reader plus
//! one line in the reader of the struct holding it — [`Fields::or_default`] when absent means
//! empty, as for every field of the flow state — and tests/stored.rs's comparison with serde
//! covers it once a stored tab in tests/stored/ carries it.

use std::{borrow::Cow, collections::VecDeque};

use serde_json::{Map, Value};

use super::{clock, flows, saml, Digest, Dropped, Group, RequestRef, TokenSeen};
use crate::params::Params;
use crate::report::flow::{Flow, Step, StepKind};
use crate::report::{
    Action, Command, Evidence, Finding, Input, Kept, Kind, Quote, Report, ReportedBy, Request,
    Severity, Words,
};

/// A value read from its stored JSON: `None` when it is not one.
pub trait Read: Sized {
    fn read(v: &Value) -> Option<Self>;
}

/// An object's fields, read by name with serde's rules for absent and `null` fields.
pub struct Fields<'a>(&'a Map<String, Value>);

impl<'a> Fields<'a> {
    pub fn of(v: &'a Value) -> Option<Fields<'a>> {
        v.as_object().map(Fields)
    }

    /// A field that must be present and readable.
    pub fn req<T: Read>(&self, name: &str) -> Option<T> {
        T::read(self.0.get(name)?)
    }

    /// A field whose absence means its default; present, it must be readable.
    pub fn or_default<T: Read + Default>(&self, name: &str) -> Option<T> {
        self.0.get(name).map_or(Some(T::default()), T::read)
    }

    /// A field whose absence means `default` (a type whose own default is not the one stored).
    pub fn or<T: Read>(&self, name: &str, default: T) -> Option<T> {
        self.0.get(name).map_or(Some(default), T::read)
    }

    /// An optional field: absent or `null` is `None`; present, it must be readable
    /// (`Some(None)`), else the whole value is unreadable (`None`).
    pub fn opt<T: Read>(&self, name: &str) -> Option<Option<T>> {
        match self.0.get(name) {
            None | Some(Value::Null) => Some(None),
            Some(v) => T::read(v).map(Some),
        }
    }

    /// A time in epoch ms that must be present; `null` reads as 0 (what a non-finite time was
    /// written as).
    pub fn time(&self, name: &str) -> Option<f64> {
        match self.0.get(name)? {
            Value::Null => Some(0.0),
            v => v.as_f64(),
        }
    }
}

impl Read for Value {
    fn read(v: &Value) -> Option<Self> {
        Some(v.clone())
    }
}

impl Read for String {
    fn read(v: &Value) -> Option<Self> {
        v.as_str().map(str::to_owned)
    }
}

impl Read for bool {
    fn read(v: &Value) -> Option<Self> {
        v.as_bool()
    }
}

impl Read for f64 {
    fn read(v: &Value) -> Option<Self> {
        v.as_f64()
    }
}

impl Read for i64 {
    fn read(v: &Value) -> Option<Self> {
        v.as_i64()
    }
}

impl Read for u64 {
    fn read(v: &Value) -> Option<Self> {
        v.as_u64()
    }
}

impl Read for u32 {
    fn read(v: &Value) -> Option<Self> {
        v.as_u64().and_then(|n| u32::try_from(n).ok())
    }
}

impl Read for u16 {
    fn read(v: &Value) -> Option<Self> {
        v.as_u64().and_then(|n| u16::try_from(n).ok())
    }
}

impl Read for usize {
    fn read(v: &Value) -> Option<Self> {
        v.as_u64().and_then(|n| usize::try_from(n).ok())
    }
}

impl<T: Read> Read for Vec<T> {
    fn read(v: &Value) -> Option<Self> {
        // A plain loop: `collect::<Option<Vec<_>>>` measured larger code per element type.
        let items = v.as_array()?;
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            out.push(T::read(item)?);
        }
        Some(out)
    }
}

impl<T: Read> Read for std::collections::VecDeque<T> {
    fn read(v: &Value) -> Option<Self> {
        Vec::read(v).map(Into::into)
    }
}

impl<T> Read for Kept<T> {
    fn read(v: &Value) -> Option<Self> {
        Some(Kept::Read(v.clone()))
    }
}

/// A unit enum from its stored name.
fn named<T: Copy>(v: &Value, names: &[(&str, T)]) -> Option<T> {
    let s = v.as_str()?;
    names.iter().find(|(n, _)| *n == s).map(|(_, t)| *t)
}

impl Read for Severity {
    fn read(v: &Value) -> Option<Self> {
        use Severity::*;
        named(
            v,
            &[
                ("ok", Ok),
                ("info", Info),
                ("warning", Warning),
                ("error", Error),
            ],
        )
    }
}

impl Read for Kind {
    fn read(v: &Value) -> Option<Self> {
        use Kind::*;
        let names = [
            ("jwt", Jwt),
            ("ssws_token", SswsToken),
            ("opaque_token", OpaqueToken),
            ("okta_error", OktaError),
            ("oauth_error", OauthError),
            ("idx_response", IdxResponse),
            ("http_response", HttpResponse),
            ("exchange", Exchange),
            ("redirect_url", RedirectUrl),
            ("introspection", Introspection),
            ("token_storage", TokenStorage),
            ("har", Har),
            ("saml", Saml),
            ("unknown", Unknown),
        ];
        named(v, &names)
    }
}

impl Read for StepKind {
    fn read(v: &Value) -> Option<Self> {
        use StepKind::*;
        let names = [
            ("authorize", Authorize),
            ("sign-in", SignIn),
            ("callback", Callback),
            ("token", Token),
            ("refresh", Refresh),
            ("renew", Renew),
            ("api", Api),
            ("saml-request", SamlRequest),
            ("saml-response", SamlResponse),
        ];
        named(v, &names)
    }
}

impl Read for ReportedBy {
    fn read(v: &Value) -> Option<Self> {
        named(v, &[("page", ReportedBy::Page)])
    }
}

impl Read for Params {
    fn read(v: &Value) -> Option<Self> {
        v.is_object().then(|| Params::from_object(v))
    }
}

impl Read for Command {
    fn read(v: &Value) -> Option<Self> {
        let f = Fields::of(v)?;
        Some(Command {
            label: f.req("label")?,
            command: f.req("command")?,
            target: None,
        })
    }
}

impl Read for Evidence {
    fn read(v: &Value) -> Option<Self> {
        let f = Fields::of(v)?;
        Some(Evidence {
            source: Cow::Owned(f.req("source")?),
            name: Cow::Owned(f.req("name")?),
            value: f.req("value")?,
        })
    }
}

impl Read for Quote {
    fn read(v: &Value) -> Option<Self> {
        let f = Fields::of(v)?;
        Some(Quote {
            label: Cow::Owned(f.req("label")?),
            text: f.req("text")?,
        })
    }
}

impl Read for Action {
    fn read(v: &Value) -> Option<Self> {
        let f = Fields::of(v)?;
        Some(Action {
            kind: f.req("kind")?,
            label: f.req("label")?,
            origin: f.opt("origin")?,
        })
    }
}

impl Read for Finding {
    fn read(v: &Value) -> Option<Self> {
        let f = Fields::of(v)?;
        Some(Finding {
            id: f.req::<String>("id")?.into(),
            severity: f.req("severity")?,
            words: Words::boxed(Words {
                title: f.req("title")?,
                detail: f.req("detail")?,
                fix: f.req("fix")?,
                commands: f.req("commands")?,
                docs_url: f.opt("docsUrl")?,
                action: f.opt("action")?,
                todo: f.opt("todo")?,
                why: f.opt("why")?,
            }),
            evidence: f.req("evidence")?,
            okta_cause: f.opt("oktaCause")?,
            quote: f.opt("quote")?,
            reported_by: f.opt("reportedBy")?,
            folded: f.or_default("folded")?,
            params: f.or_default("params")?,
        })
    }
}

impl Read for Step {
    fn read(v: &Value) -> Option<Self> {
        let f = Fields::of(v)?;
        Some(Step {
            step: f.or_default("step")?,
            at: f.or_default("at")?,
            status: f.opt("status")?,
            ok: f.or_default("ok")?,
            finding_id: f.opt("findingId")?,
            error: f.opt("error")?,
            count: f.or_default("count")?,
            label: f.opt("label")?,
            detail: f.opt("detail")?,
        })
    }
}

impl Read for Flow {
    fn read(v: &Value) -> Option<Self> {
        let f = Fields::of(v)?;
        Some(Flow {
            client: f.opt("client")?,
            host: f.or_default("host")?,
            steps: f.or_default("steps")?,
            serial: f.or_default("serial")?,
        })
    }
}

impl Read for Request {
    fn read(v: &Value) -> Option<Self> {
        let f = Fields::of(v)?;
        Some(Request {
            method: f.opt("method")?,
            url: f.opt("url")?,
            status_code: f.opt("statusCode")?,
            request_id: f.opt("requestId")?,
            observed_at: f.opt("observedAt")?,
        })
    }
}

impl Read for Report {
    fn read(v: &Value) -> Option<Self> {
        let f = Fields::of(v)?;
        let input = Fields::of(f.0.get("input")?)?;
        Some(Report {
            schema_version: f.req("schemaVersion")?,
            input: Input {
                kind: input.req("kind")?,
            },
            severity: f.req("severity")?,
            summary: f.req("summary")?,
            todo: f.opt("todo")?,
            findings: f.req("findings")?,
            token: f.opt("token")?,
            rate_limit: f.opt("rateLimit")?,
            request: f.opt("request")?,
            timeline: f.opt("timeline")?,
            summary_of: f.opt("summaryOf")?,
            flows: f.opt("flows")?,
        })
    }
}

impl Read for flows::Pending {
    fn read(v: &Value) -> Option<Self> {
        let f = Fields::of(v)?;
        Some(flows::Pending {
            state: f.opt("state")?,
            client_id: f.opt("clientId")?,
            redirect_uri: f.opt("redirectUri")?,
            challenge: f.opt("challenge")?,
            host: f.opt("host")?,
            server: f.opt("server")?,
            prompt: f.opt("prompt")?,
            sub_frame: f.or_default("subFrame")?,
            at: f.or_default("at")?,
            flow: f.or_default("flow")?,
            answered: f.opt("answered")?,
        })
    }
}

impl Read for flows::Code {
    fn read(v: &Value) -> Option<Self> {
        let f = Fields::of(v)?;
        Some(flows::Code {
            code: f.or_default("code")?,
            state: f.opt("state")?,
            flow: f.or_default("flow")?,
            redeemed: f.or_default("redeemed")?,
            first_redeemed: f.opt("firstRedeemed")?,
        })
    }
}

impl Read for flows::RefreshUse {
    fn read(v: &Value) -> Option<Self> {
        let f = Fields::of(v)?;
        Some(flows::RefreshUse {
            refresh: f.or_default("refresh")?,
            at: f.or_default("at")?,
            status: f.opt("status")?,
        })
    }
}

impl Read for flows::State {
    fn read(v: &Value) -> Option<Self> {
        let f = Fields::of(v)?;
        Some(flows::State {
            pending: f.or_default("pending")?,
            codes: f.or_default("codes")?,
            refreshes: f.or_default("refreshes")?,
            renewals: f.or_default("renewals")?,
            loop_reported_at: f.opt("loopReportedAt")?,
            cookie_hosts: f.or_default("cookieHosts")?,
            flows: f.or_default("flows")?,
            serial: f.or_default("serial")?,
            saml: f.or_default("saml")?,
            elsewhere: None,
            foreign: None,
        })
    }
}

impl Read for saml::Requested {
    fn read(v: &Value) -> Option<Self> {
        let f = Fields::of(v)?;
        Some(saml::Requested {
            id: f.opt("id")?,
            issuer: f.opt("issuer")?,
            acs_url: f.opt("acsUrl")?,
            destination: f.opt("destination")?,
            host: f.opt("host")?,
            at: f.or_default("at")?,
            flow: f.or_default("flow")?,
            answered: f.or_default("answered")?,
        })
    }
}

impl Read for saml::State {
    fn read(v: &Value) -> Option<Self> {
        Some(saml::State {
            requests: Fields::of(v)?.or_default("requests")?,
        })
    }
}

impl Read for clock::Estimate {
    fn read(v: &Value) -> Option<Self> {
        let f = Fields::of(v)?;
        Some(clock::Estimate {
            samples: f.or_default("samples")?,
            responses: f.or_default("responses")?,
        })
    }
}

impl Read for Dropped {
    fn read(v: &Value) -> Option<Self> {
        let f = Fields::of(v)?;
        Some(Dropped {
            groups: f.or_default("groups")?,
            requests: f.or_default("requests")?,
            tokens: f.or_default("tokens")?,
        })
    }
}

impl Read for Group {
    fn read(v: &Value) -> Option<Self> {
        let f = Fields::of(v)?;
        Some(Group {
            id: f.req("id")?,
            severity: f.req("severity")?,
            count: f.req("count")?,
            first_seen: f.time("firstSeen")?,
            last_seen: f.time("lastSeen")?,
            finding: f.req("finding")?,
            request_ids: f.req("requestIds")?,
        })
    }
}

impl Read for RequestRef {
    fn read(v: &Value) -> Option<Self> {
        let f = Fields::of(v)?;
        Some(RequestRef {
            observed_at: f.time("observedAt")?,
            method: f.opt("method")?,
            url: f.opt("url")?,
            status_code: f.opt("statusCode")?,
            request_id: f.opt("requestId")?,
            severity: f.req("severity")?,
            finding_ids: f.req("findingIds")?,
            folded_ids: f.or_default("foldedIds")?,
        })
    }
}

impl Read for TokenSeen {
    fn read(v: &Value) -> Option<Self> {
        let f = Fields::of(v)?;
        Some(TokenSeen {
            key: f.req("key")?,
            view: f.req("view")?,
            requests: f.req("requests")?,
            first_seen: f.time("firstSeen")?,
            last_seen: f.time("lastSeen")?,
            expires_in_at_last_use: f.opt("expiresInAtLastUse")?,
        })
    }
}

impl Read for Digest {
    fn read(v: &Value) -> Option<Self> {
        let f = Fields::of(v)?;
        Some(Digest {
            exchanges: f.or_default("exchanges")?,
            app: f.or_default("app")?,
            failed: f.or_default("failed")?,
            with_findings: f.or_default("withFindings")?,
            errors: f.opt("errors")?,
            groups: f.or_default("groups")?,
            requests: f.or_default("requests")?,
            tokens: f.or_default("tokens")?,
            dropped: f.or_default("dropped")?,
            flows: f.or_default("flows")?,
            clock: f.or_default("clock")?,
        })
    }
}

/// The stored reports (a JSON array), the unreadable ones skipped, the newest `max` kept.
pub fn reports(v: &Value, max: usize) -> VecDeque<Report> {
    let mut kept: VecDeque<Report> = v
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Report::read)
        .collect();
    while kept.len() > max {
        kept.pop_front();
    }
    kept
}
