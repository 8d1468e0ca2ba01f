//! A SAML sign-in across requests (issue 17; flows.md §8): the AuthnRequest sent to Okta
//! (HTTP-Redirect to `/app/{name}/{id}/sso/saml`, or HTTP-POST) remembered by its `ID`,
//! `Issuer`, ACS URL and `Destination` (digest/saml.rs); the Response the browser posts to the
//! app's ACS tied to it by `InResponseTo`; and the checks only the two together can make:
//! the Audience against the SP's entity id (`saml.audience_mismatch`), the Destination and
//! Recipient against the ACS URL the SP asked for (`saml.destination_mismatch`), and a
//! Response answering no request the tab sent — or none, when the SP sent one
//! (`saml.in_response_to_mismatch`). The story: AuthnRequest → Okta sign-in → POST to the
//! ACS, its status the app's answer.

use super::{ok_status, push_bounded, Observed};
use crate::{
    digest::{
        flows::State,
        saml::{Requested, MAX_REQUESTS},
    },
    exchange::saml::{mismatch, same_url, Carried},
    jwt::clip,
    report::{
        flow::{Step, StepKind},
        Finding, Severity,
    },
    saml::{Request, Response},
};

impl State {
    /// Folds the SAML message an exchange carried.
    pub(super) fn saml(&mut self, o: &Observed, c: &Carried, out: &mut Vec<Finding>) {
        if let Some(q) = c.request() {
            self.saml_request(o, q);
        } else if let Some(r) = c.response() {
            out.extend(self.saml_response(o, c, r));
        }
    }

    fn saml_request(&mut self, o: &Observed, q: &Request) {
        let host = o.read.host.clone();
        let serial = self.new_flow(
            q.issuer.as_deref().map(clip),
            host.clone().unwrap_or_default(),
        );
        self.step(
            serial,
            Step {
                step: StepKind::SamlRequest,
                at: o.at,
                status: o.status,
                ok: ok_status(o.status) && o.finding.is_none(),
                finding_id: o.finding.map(str::to_string),
                ..Step::default()
            },
        );
        push_bounded(
            &mut self.saml.requests,
            Requested {
                id: q.id.as_deref().map(clip),
                issuer: q.issuer.as_deref().map(clip),
                acs_url: q.acs_url.as_deref().map(clip),
                destination: q.destination.as_deref().map(clip),
                host,
                at: o.at,
                flow: serial,
                answered: false,
            },
            MAX_REQUESTS,
        );
    }

    fn saml_response(&mut self, o: &Observed, c: &Carried, r: &Response) -> Vec<Finding> {
        let mut out = Vec::new();
        let irt = r.in_response_to.as_deref();
        let matched = irt.and_then(|id| {
            self.saml
                .requests
                .iter()
                .rposition(|q| q.id.as_deref() == Some(id))
        });
        let request = matched.and_then(|i| self.saml.requests.get(i)).cloned();
        match (&request, irt) {
            (Some(q), _) => {
                out.extend(audience(r, q));
                if let Some(acs) = &q.acs_url {
                    let checks = [("Destination", &r.destination), ("Recipient", &r.recipient)];
                    out.extend(mismatch(&checks, acs, "acsUrl", r.issuer.as_deref()));
                }
            }
            (None, Some(id)) if !self.saml.requests.is_empty() => {
                out.push(unanswered(r, Some(id), &self.saml.requests, c));
            }
            (None, None) => {
                // IdP-initiated: an SP that sent a request on this tab, still waiting for its
                // answer, gets an unsolicited Response instead (flows.md §8).
                let waiting = self.saml.requests.iter().rev().find(|q| {
                    !q.answered
                        && (q.issuer.as_ref().is_some_and(|i| r.audiences.contains(i))
                            || q.acs_url
                                .as_deref()
                                .zip(c.target.as_deref())
                                .is_some_and(|(a, t)| same_url(a, t)))
                });
                if let Some(q) = waiting {
                    out.push(unanswered(r, None, std::slice::from_ref(q), c));
                }
            }
            (None, Some(_)) => {}
        }
        if let Some(q) = matched.and_then(|i| self.saml.requests.get_mut(i)) {
            q.answered = true;
        }
        let serial = match &request {
            Some(q) if self.flows.iter().any(|f| f.serial == q.flow) => q.flow,
            _ => {
                let app = r.audiences.first().map(|a| clip(a));
                let host = c
                    .target
                    .as_deref()
                    .and_then(crate::domain::host_of)
                    .unwrap_or_default();
                self.new_flow(app, host)
            }
        };
        let worst = out
            .iter()
            .find(|f| f.severity >= Severity::Warning)
            .map(|f| f.id.to_string());
        let finding = worst.or_else(|| o.finding.map(str::to_string));
        self.step(
            serial,
            Step {
                step: StepKind::SamlResponse,
                at: o.at,
                status: o.status,
                ok: ok_status(o.status) && finding.is_none(),
                finding_id: finding,
                ..Step::default()
            },
        );
        out
    }
}

/// `saml.audience_mismatch`: none of the Response's Audiences is the entity id the SP named
/// itself by in its AuthnRequest's Issuer.
fn audience(r: &Response, q: &Requested) -> Option<Finding> {
    let sp = q.issuer.as_deref()?;
    if r.audiences.is_empty() || r.audiences.iter().any(|a| a == sp) {
        return None;
    }
    let audiences: Vec<String> = r.audiences.iter().map(|a| clip(a)).collect();
    let first = audiences.first().cloned().unwrap_or_default();
    Some(
        Finding::fact("saml.audience_mismatch", Severity::Error)
            .with("audiences", audiences)
            .with("spEntityId", sp.to_string())
            .with("requestId", q.id.clone())
            .with("issuer", r.issuer.as_deref().map(clip))
            .evidence("saml", "Audience", first)
            .evidence("saml", "AuthnRequest Issuer", sp.to_string()),
    )
}

/// `saml.in_response_to_mismatch`: the Response names a request the tab never sent
/// (`in_response_to` some), or answers none when the SP sent `requests` (IdP-initiated).
fn unanswered(
    r: &Response,
    in_response_to: Option<&str>,
    requests: &[Requested],
    c: &Carried,
) -> Finding {
    let ids: Vec<String> = requests
        .iter()
        .rev()
        .filter_map(|q| q.id.clone())
        .take(4)
        .collect();
    let latest = requests.last();
    let mut f = Finding::fact("saml.in_response_to_mismatch", Severity::Warning)
        .with("inResponseTo", in_response_to.map(clip))
        .with("idpInitiated", in_response_to.is_none())
        .with("requestIds", ids)
        .with("spEntityId", latest.and_then(|q| q.issuer.clone()))
        .with("acsUrl", latest.and_then(|q| q.acs_url.clone()))
        .with("postedTo", c.target.clone())
        .with("issuer", r.issuer.as_deref().map(clip));
    if let Some(id) = in_response_to {
        f = f.evidence("saml", "InResponseTo", clip(id));
    }
    f
}

#[cfg(test)]
mod tests;
