//! A sign-in's answer at the app's callback (RFC 6749 §4.1.2): joined to the `/authorize`
//! that sent its state (flows.md §4), in this tab or — the live store knowing — another tab
//! (flows.md §3.3 item 2: an email link finished in a new tab).

use super::{push_bounded, MAX_CODES, MAX_PENDING};
use crate::{
    digest::flows::{Code, Pending, State},
    exchange::flow::Callback,
    report::{
        flow::{Step, StepKind},
        Finding, Severity,
    },
};

impl State {
    /// A callback (from a redirect, or the app's own URL in a recording). `via_redirect` is
    /// the redirecting exchange's finding when it came from one. A callback already folded
    /// (its redirect and then its own URL in a HAR) gives nothing the second time.
    pub fn callback(
        &mut self,
        cb: &Callback,
        via_redirect: Option<Option<&str>>,
        at: f64,
    ) -> Option<Vec<Finding>> {
        let answer = cb
            .code
            .clone()
            .or_else(|| cb.error.clone())
            .unwrap_or_default();
        let matched = self
            .pending
            .iter()
            .rposition(|p| p.state.is_some() && p.state == cb.state);
        if let Some(i) = matched {
            if self
                .pending
                .get(i)
                .is_some_and(|p| p.answered.as_ref() == Some(&answer))
            {
                return None;
            }
        }
        // Another tab's /authorize sent this state (live store only): the sign-in began there.
        let foreign = self
            .foreign
            .take()
            .filter(|p| matched.is_none() && p.state.is_some() && p.state == cb.state);
        // A callback not delivered by Okta's redirect is the app's only when it lands on a
        // redirect URI a waiting /authorize named (or none waits): another provider's
        // callback (a social sign-in's `code`+`state`) is not this flow's.
        let ours = via_redirect.is_some()
            || matched.is_some()
            || foreign.is_some()
            || self.pending.is_empty()
            || self
                .pending
                .iter()
                .any(|p| p.redirect_uri.as_deref() == Some(cb.url.as_str()));
        if !ours {
            return None;
        }
        let mut out = Vec::new();
        let serial = match matched.and_then(|i| self.pending.get_mut(i)) {
            Some(p) => {
                p.answered = Some(answer);
                p.flow
            }
            None if foreign.is_some() => self.begun_elsewhere(cb, foreign, answer, &mut out),
            None => {
                if let Some(latest) = self.pending.last() {
                    out.push(
                        Finding::fact("flow.state_mismatch", Severity::Error)
                            .with("callback", cb.url.clone())
                            .with("stateSent", cb.state.is_some())
                            .with("outstanding", self.pending.len() as u64)
                            .with("clientId", latest.client_id.clone())
                            .with("redirectUri", latest.redirect_uri.clone())
                            .with("host", latest.host.clone()),
                    );
                }
                let latest = self.pending.last().map(|p| p.flow);
                latest.unwrap_or_else(|| self.new_flow(None, cb.host.clone().unwrap_or_default()))
            }
        };
        if let Some(code) = &cb.code {
            if !self.codes.iter().any(|c| &c.code == code) {
                push_bounded(
                    &mut self.codes,
                    Code {
                        code: code.clone(),
                        state: matched.and(cb.state.clone()),
                        flow: serial,
                        ..Code::default()
                    },
                    MAX_CODES,
                );
            }
        }
        let error_finding = cb.error.as_ref().map(|e| format!("oauth_error.{e}"));
        let finding = out
            .first()
            .map(|f| f.id.to_string())
            .or_else(|| {
                via_redirect
                    .flatten()
                    .map(str::to_string)
                    .filter(|_| cb.error.is_some())
            })
            .or(error_finding);
        self.step(
            serial,
            Step {
                step: StepKind::Callback,
                at,
                status: None,
                ok: cb.error.is_none() && out.is_empty(),
                finding_id: finding,
                error: cb.error.clone(),
                ..Step::default()
            },
        );
        Some(out)
    }

    /// The callback of a sign-in another tab began (flows.md §3.3 item 2: the SDK's
    /// transaction is in that tab's sessionStorage, so this tab's SDK can't match the state):
    /// `flow.state_mismatch` naming the other tab's /authorize, and a flow of this tab that
    /// holds that /authorize as answered, so the same callback seen again (its redirect, then
    /// its own URL) gives nothing twice.
    fn begun_elsewhere(
        &mut self,
        cb: &Callback,
        foreign: Option<Pending>,
        answer: String,
        out: &mut Vec<Finding>,
    ) -> u32 {
        let p = foreign.unwrap_or_default();
        out.push(
            Finding::fact("flow.state_mismatch", Severity::Error)
                .with("callback", cb.url.clone())
                .with("stateSent", true)
                .with("otherTab", true)
                .with("outstanding", self.pending.len() as u64)
                .with("clientId", p.client_id.clone())
                .with("redirectUri", p.redirect_uri.clone())
                .with("host", p.host.clone()),
        );
        let host = p
            .host
            .clone()
            .or_else(|| cb.host.clone())
            .unwrap_or_default();
        let serial = self.new_flow(p.client_id.clone(), host);
        push_bounded(
            &mut self.pending,
            Pending {
                answered: Some(answer),
                flow: serial,
                ..p
            },
            MAX_PENDING,
        );
        serial
    }
}
