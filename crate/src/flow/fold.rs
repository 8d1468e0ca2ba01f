//! The flow fold: a session's sign-in flows across requests (issue 16). Outstanding
//! `/authorize` requests keyed by their state's digest, the codes their callbacks carried,
//! the `/token` requests that redeemed them, refresh tokens by digest, the bursts of renewals,
//! and the story of each flow (report/flow.rs). Bounded; only digests of secrets are kept
//! (read.rs). Okta's behaviour: flows.md §3 (PKCE, codes single-use for 300 s), §4 (state),
//! §5 (silent renew, third-party cookies), §6 (refresh-token rotation, grace 30 s by default,
//! 0–60; okta-auth-js's "Too many token renew requests" at ≥ 10 renewals within 30 s), §10
//! (authorization servers and hosts).

use super::read::{self, Endpoint, Read};
use crate::{
    digest::flows::{Code, Pending, RefreshUse, State},
    report::{
        flow::{Flow, Step, StepKind, MAX_FLOWS, MAX_STEPS},
        Finding, Severity,
    },
};

mod callback;
mod saml;

const MAX_PENDING: usize = 16;
const MAX_CODES: usize = 32;
const MAX_REFRESHES: usize = 32;
const MAX_COOKIE_HOSTS: usize = 8;
/// okta-auth-js's AutoRenewService: ≥ 10 renewals within 30 s is a loop (flows.md §6.2).
pub const LOOP_COUNT: usize = 10;
pub const LOOP_WINDOW_MS: f64 = 30_000.0;
/// Okta's default refresh-token rotation grace period (flows.md §6.1).
pub const GRACE_SECONDS: i64 = 30;

fn push_bounded<T>(v: &mut Vec<T>, item: T, max: usize) {
    v.push(item);
    while v.len() > max {
        v.remove(0);
    }
}

fn ok_status(status: Option<u16>) -> bool {
    status.is_some_and(|s| (200..400).contains(&s))
}

/// The OAuth `error` (and description) of a response body.
fn body_error(json: Option<&serde_json::Value>) -> (Option<String>, Option<String>) {
    let text = |k: &str| {
        json.and_then(|j| j.get(k))
            .and_then(serde_json::Value::as_str)
            .map(|s| s.chars().take(200).collect::<String>())
    };
    (text("error"), text("error_description"))
}

/// What the fold needs of one exchange besides its [`Read`].
pub struct Observed<'a> {
    pub read: &'a Read,
    pub status: Option<u16>,
    pub json: Option<&'a serde_json::Value>,
    pub body: Option<&'a str>,
    /// The redirect's target (onBeforeRedirect's, or the `Location` header of a 3xx).
    pub redirect: Option<&'a str>,
    /// The exchange's own worst finding of warning severity or worse (its step's finding).
    pub finding: Option<&'a str>,
    pub at: f64,
    /// The SAML message the exchange carried (saml/exchange.rs).
    pub saml: Option<&'a crate::exchange::saml::Carried>,
}

impl State {
    fn flow_mut(&mut self, serial: u32) -> Option<&mut Flow> {
        self.flows.iter_mut().find(|f| f.serial == serial)
    }

    fn new_flow(&mut self, client: Option<String>, host: String) -> u32 {
        self.serial = self.serial.wrapping_add(1).max(1);
        let serial = self.serial;
        push_bounded(
            &mut self.flows,
            Flow {
                client,
                host,
                steps: Vec::new(),
                serial,
            },
            MAX_FLOWS,
        );
        serial
    }

    /// The latest flow of `client` on `host` (either unknown matches any), else a new one.
    fn flow_for(&mut self, client: Option<&str>, host: Option<&str>) -> u32 {
        let found = self.flows.iter().rev().find(|f| {
            client.is_none_or(|c| f.client.as_deref().is_none_or(|fc| fc == c))
                && host.is_none_or(|h| f.host == h)
        });
        match found {
            Some(f) => f.serial,
            None => self.new_flow(client.map(str::to_string), host.unwrap_or("").to_string()),
        }
    }

    /// Adds `step` to flow `serial`: consecutive sign-in or API calls, and consecutive renewals
    /// or refreshes that went well with one status, are one step (counted);
    /// past [`MAX_STEPS`] the second step goes (the first, the flow's start, stays).
    fn step(&mut self, serial: u32, step: Step) {
        let Some(flow) = self.flow_mut(serial) else {
            return;
        };
        if let Some(last) = flow.steps.last_mut() {
            let merges = last.step == step.step
                && last.ok == step.ok
                && match step.step {
                    StepKind::SignIn | StepKind::Api => true,
                    // A run of renewals that went well is one step; the one that broke stays
                    // its own, so a loop reads "Refresh (×9) 200", then the step it broke at.
                    StepKind::Refresh | StepKind::Renew => step.ok && last.status == step.status,
                    _ => false,
                };
            if merges {
                last.count = last.count.max(1).saturating_add(1);
                last.at = step.at;
                last.status = step.status;
                if step.finding_id.is_some() {
                    last.finding_id = step.finding_id;
                }
                return;
            }
        }
        flow.steps.push(step);
        if flow.steps.len() > MAX_STEPS && flow.steps.len() > 1 {
            flow.steps.remove(1);
        }
    }

    /// Folds one exchange; answers the flow findings it gives.
    pub fn observe(&mut self, o: &Observed) -> Vec<Finding> {
        let r = o.read;
        let mut out = Vec::new();
        if r.frame.top_level && r.sent_session_cookie() {
            if let Some(h) = &r.host {
                if !self.cookie_hosts.contains(h) {
                    push_bounded(&mut self.cookie_hosts, h.clone(), MAX_COOKIE_HOSTS);
                }
            }
        }
        // Never in the service worker's module (cfg saml_deferred: `Seen::carried` is `None`
        // there); said here too, where the optimiser cannot see it, so the SAML fold leaves it.
        if let Some(c) = o.saml.filter(|_| !cfg!(saml_deferred)) {
            self.saml(o, c, &mut out);
        }
        match r.endpoint {
            Endpoint::Authorize => self.authorize(o, &mut out),
            Endpoint::Token => self.token(o, &mut out),
            Endpoint::SignIn | Endpoint::Api => {
                // Sign-in and API calls join the latest flow on their host; they start none.
                let host = r.host.as_deref();
                let serial = self
                    .flows
                    .iter()
                    .rev()
                    .find(|f| host.is_none_or(|h| f.host == h))
                    .map(|f| f.serial);
                if let Some(serial) = serial {
                    let kind = if r.endpoint == Endpoint::SignIn {
                        StepKind::SignIn
                    } else {
                        StepKind::Api
                    };
                    let ok = ok_status(o.status) && o.finding.is_none();
                    self.step(
                        serial,
                        Step {
                            step: kind,
                            at: o.at,
                            status: o.status,
                            ok,
                            finding_id: o.finding.map(str::to_string),
                            ..Step::default()
                        },
                    );
                }
            }
            Endpoint::None => {
                if let Some(cb) = &r.callback {
                    out.extend(self.callback(cb, None, o.at).unwrap_or_default());
                }
            }
        }
        // After a sign-in on Okta's own page, the redirect to the app's callback comes from
        // another Okta URL than /authorize (`/login/token/redirect`, `…/authorize/redirect`).
        if r.endpoint != Endpoint::Authorize {
            if let Some(cb) = o.redirect.and_then(read::callback) {
                out.extend(
                    self.callback(&cb, Some(o.finding), o.at)
                        .unwrap_or_default(),
                );
            }
        }
        out
    }

    fn renewal(&mut self, at: f64, out: &mut Vec<Finding>) {
        self.renewals
            .retain(|t| at - *t < LOOP_WINDOW_MS && *t <= at);
        push_bounded(&mut self.renewals, at, 2 * LOOP_COUNT);
        let burst = self.renewals.len();
        let fresh = self
            .loop_reported_at
            .is_none_or(|t| at - t >= LOOP_WINDOW_MS || at < t);
        if burst >= LOOP_COUNT && fresh {
            self.loop_reported_at = Some(at);
            let first = self.renewals.first().copied().unwrap_or(at);
            out.push(
                Finding::fact("flow.renew_loop", Severity::Warning)
                    .with("count", burst as u64)
                    .with("seconds", ((at - first) / 1000.0).round() as i64)
                    .with("threshold", LOOP_COUNT as u64),
            );
        }
    }

    fn authorize(&mut self, o: &Observed, out: &mut Vec<Finding>) {
        let r = o.read;
        let renew = r.prompt.as_deref() == Some("none");
        if renew {
            self.renewal(o.at, out);
        }
        let serial = if renew {
            self.flow_for(r.client_id.as_deref(), r.host.as_deref())
        } else {
            self.new_flow(r.client_id.clone(), r.host.clone().unwrap_or_default())
        };
        push_bounded(
            &mut self.pending,
            Pending {
                state: r.state.clone(),
                client_id: r.client_id.clone(),
                redirect_uri: r.redirect_uri.clone(),
                challenge: r.challenge.clone(),
                host: r.host.clone(),
                server: r.server.clone(),
                prompt: r.prompt.clone(),
                sub_frame: r.frame.sub_frame,
                at: o.at,
                flow: serial,
                answered: None,
            },
            MAX_PENDING,
        );
        // The answer: a redirect to the callback, or (okta_post_message, Firefox's body) a page
        // that posts it.
        let callback = o.redirect.and_then(read::callback);
        let posted_login_required =
            renew && callback.is_none() && o.body.is_some_and(|b| b.contains("login_required"));
        let error = callback
            .as_ref()
            .and_then(|c| c.error.clone())
            .or_else(|| posted_login_required.then(|| "login_required".to_string()));
        let mut finding = o.finding.map(str::to_string);
        if renew && error.as_deref() == Some("login_required") {
            let f = self.no_session(r, o.at);
            finding = f.last().map(|f| f.id.to_string());
            out.extend(f);
        }
        let kind = if renew {
            StepKind::Renew
        } else {
            StepKind::Authorize
        };
        self.step(
            serial,
            Step {
                step: kind,
                at: o.at,
                status: o.status,
                ok: ok_status(o.status) && finding.is_none() && error.is_none(),
                finding_id: finding,
                error: error.clone(),
                ..Step::default()
            },
        );
        if let Some(cb) = callback {
            out.extend(
                self.callback(&cb, Some(o.finding), o.at)
                    .unwrap_or_default(),
            );
        }
    }

    /// `flow.silent_renew_no_session`, and `flow.third_party_cookies_blocked` first when the
    /// renewal ran in a third-party frame without the session cookie a top-level request sent.
    fn no_session(&self, r: &Read, at: f64) -> Vec<Finding> {
        let host = r.host.clone().unwrap_or_default();
        let third_party = r.frame.sub_frame
            && (r.frame.third_party == Some(true)
                || r.frame
                    .initiator
                    .as_deref()
                    .is_some_and(|i| read::site(i) != read::site(&host)));
        let had_cookie = self.cookie_hosts.contains(&host);
        let mut out = vec![
            Finding::fact("flow.silent_renew_no_session", Severity::Error)
                .with("clientId", r.client_id.clone())
                .with("host", host.clone())
                .with("responseMode", r.response_mode.clone())
                .with("subFrame", r.frame.sub_frame)
                .with("at", at),
        ];
        if third_party && !r.sent_session_cookie() && had_cookie {
            let f = Finding::fact("flow.third_party_cookies_blocked", Severity::Error)
                .with("host", host)
                .with("initiator", r.frame.initiator.clone())
                .with("clientId", r.client_id.clone())
                .with("firefoxThirdParty", r.frame.third_party);
            out.push(f);
        }
        out
    }

    fn token(&mut self, o: &Observed, out: &mut Vec<Finding>) {
        let r = o.read;
        let t = &r.token;
        let (error, description) = body_error(o.json);
        let failed = !ok_status(o.status);
        let refresh = t.grant_type.as_deref() == Some("refresh_token");
        self.renewal(o.at, out);
        let mut serial = None;
        if let Some(code) = &t.code {
            let known = self.codes.iter().position(|c| &c.code == code);
            let entry = match known {
                Some(i) => self.codes.get_mut(i),
                None => {
                    push_bounded(
                        &mut self.codes,
                        Code {
                            code: code.clone(),
                            ..Code::default()
                        },
                        MAX_CODES,
                    );
                    self.codes.last_mut()
                }
            };
            if let Some(c) = entry {
                c.redeemed = c.redeemed.saturating_add(1);
                if c.redeemed > 1 {
                    let first = c.first_redeemed.unwrap_or(o.at);
                    out.push(
                        Finding::fact("flow.code_reused", Severity::Error)
                            .with("times", u64::from(c.redeemed))
                            .with("seconds", ((o.at - first) / 1000.0).round() as i64)
                            .with("clientId", t.client_id.clone())
                            .with("status", o.status),
                    );
                } else {
                    c.first_redeemed = Some(o.at);
                }
                serial = (c.flow > 0).then_some(c.flow);
                let state = c.state.clone();
                let pending = self
                    .pending
                    .iter()
                    .rev()
                    .find(|p| state.is_some() && p.state == state)
                    .cloned();
                if let Some(p) = pending {
                    self.checks(o, &p, failed, description.as_deref(), out);
                }
            }
        } else if let Some(digest) = &t.refresh {
            let elsewhere = self.elsewhere.take().filter(|e| &e.refresh == digest);
            let here = self.refreshes.iter().rev().find(|u| &u.refresh == digest);
            match (here, elsewhere) {
                (Some(e), _) => out.push(reused(e.at, o.at, e.status, o.status, false)),
                (None, Some(e)) => out.push(reused(e.at, o.at, e.status, o.status, true)),
                (None, None) => {}
            }
            push_bounded(
                &mut self.refreshes,
                RefreshUse {
                    refresh: digest.clone(),
                    at: o.at,
                    status: o.status,
                },
                MAX_REFRESHES,
            );
        }
        let serial =
            serial.unwrap_or_else(|| self.flow_for(r.client_id.as_deref(), r.host.as_deref()));
        // The step's own finding leads; the loop it closes comes after it.
        let finding = out
            .iter()
            .filter(|f| f.id != "flow.renew_loop")
            .chain(out.iter())
            .map(|f| f.id.to_string())
            .next()
            .or_else(|| o.finding.map(str::to_string));
        self.step(
            serial,
            Step {
                step: if refresh {
                    StepKind::Refresh
                } else {
                    StepKind::Token
                },
                at: o.at,
                status: o.status,
                ok: !failed && finding.is_none(),
                finding_id: finding,
                error,
                ..Step::default()
            },
        );
    }

    /// The `/token` request against the `/authorize` that issued its code: PKCE, host and
    /// authorization server.
    fn checks(
        &self,
        o: &Observed,
        p: &Pending,
        failed: bool,
        description: Option<&str>,
        out: &mut Vec<Finding>,
    ) {
        let r = o.read;
        let t = &r.token;
        // Okta answering 2xx redeemed the code anyway (whether it does across its own hosts is
        // [unverified]): still worth fixing, no longer the failure.
        let severity = if failed {
            Severity::Error
        } else {
            Severity::Warning
        };
        if r.host.is_some() && p.host.is_some() && r.host != p.host {
            out.push(
                Finding::fact("flow.host_mismatch", severity)
                    .with("authorizeHost", p.host.clone())
                    .with("tokenHost", r.host.clone())
                    .with("clientId", p.client_id.clone())
                    .with("status", o.status),
            );
        } else if r.server.is_some() && p.server.is_some() && r.server != p.server {
            out.push(
                Finding::fact("flow.issuer_mismatch", severity)
                    .with("host", p.host.clone())
                    .with("authorizeServer", p.server.clone())
                    .with("tokenServer", r.server.clone())
                    .with("clientId", p.client_id.clone())
                    .with("status", o.status),
            );
        }
        if !failed {
            return;
        }
        match (&t.verifier_challenge, &p.challenge) {
            (Some(sent), Some(expected)) if sent != expected => out.push(
                Finding::fact("flow.pkce_mismatch", Severity::Error)
                    .with("challenge", expected.clone())
                    .with("verifierChallenge", sent.clone())
                    .with("clientId", p.client_id.clone())
                    .with("host", p.host.clone())
                    .with("status", o.status)
                    .evidence("url", "code_challenge", expected.clone())
                    .evidence("request", "S256(code_verifier)", sent.clone()),
            ),
            (None, challenge)
                if challenge.is_some()
                    || description.is_some_and(|d| d.contains("code verifier is required")) =>
            {
                out.push(
                    Finding::fact("flow.pkce_verifier_missing", Severity::Error)
                        .with("challenge", challenge.clone())
                        .with("clientId", p.client_id.clone())
                        .with("host", p.host.clone())
                        .with("status", o.status),
                )
            }
            _ => {}
        }
    }
}

/// `flow.refresh_token_reused`: the same refresh token sent again `at - first` ms after its
/// first use (`other_tab`: the first was another tab's).
pub fn reused(
    first: f64,
    at: f64,
    first_status: Option<u16>,
    status: Option<u16>,
    other_tab: bool,
) -> Finding {
    let seconds = ((at - first) / 1000.0).round() as i64;
    let within = (0..=GRACE_SECONDS).contains(&seconds);
    let severity = if within && ok_status(status) {
        Severity::Warning
    } else {
        Severity::Error
    };
    Finding::fact("flow.refresh_token_reused", severity)
        .with("seconds", seconds)
        .with("withinGrace", within)
        .with("grace", GRACE_SECONDS)
        .with("firstStatus", first_status)
        .with("status", status)
        .with("otherTab", other_tab)
}
