//! The flow state a session's digest carries (crate/src/flow/fold.rs folds into it): the
//! `/authorize` requests waiting for their callbacks, the codes, the refresh tokens (digests
//! only), the renewals' times, the Okta hosts a session cookie went to, and the story as
//! data. Stored with the digest; a digest stored before it existed reads back with none.

use serde::{Deserialize, Serialize};

use crate::report::flow::Flow;

/// An `/authorize` request waiting for its callback.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct Pending {
    pub state: Option<String>,
    pub client_id: Option<String>,
    pub redirect_uri: Option<String>,
    pub challenge: Option<String>,
    pub host: Option<String>,
    pub server: Option<String>,
    pub prompt: Option<String>,
    pub sub_frame: bool,
    pub at: f64,
    pub flow: u32,
    /// Its callback was seen (the code or the error it carried).
    pub answered: Option<String>,
}

/// A code seen at a callback or sent to `/token`.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct Code {
    pub code: String,
    /// The state digest of the `/authorize` that issued it.
    pub state: Option<String>,
    pub flow: u32,
    pub redeemed: u32,
    pub first_redeemed: Option<f64>,
}

/// A refresh token sent to `/token` (by digest), and when.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct RefreshUse {
    pub refresh: String,
    pub at: f64,
    pub status: Option<u16>,
}

/// A session's flow state (stored with its digest).
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct State {
    pub pending: Vec<Pending>,
    pub codes: Vec<Code>,
    pub refreshes: Vec<RefreshUse>,
    /// Times (epoch ms) of renewals — `/token` and `prompt=none` `/authorize` — in the last 30 s.
    pub renewals: Vec<f64>,
    /// When `flow.renew_loop` was last reported (one per burst).
    pub loop_reported_at: Option<f64>,
    /// Okta hosts a top-level request sent a session cookie (`sid`, `idx`) to.
    pub cookie_hosts: Vec<String>,
    pub flows: Vec<Flow>,
    pub serial: u32,
    /// The AuthnRequests seen (digest/saml.rs); absent when none was.
    #[serde(skip_serializing_if = "super::saml::State::is_empty")]
    pub saml: super::saml::State,
    /// The use of the refresh token being folded by another tab, when the live store knows
    /// one (`live::Tabs::fold`, the cross-tab table): read once by the fold, never stored.
    #[serde(skip)]
    pub elsewhere: Option<RefreshUse>,
    /// Another tab's `/authorize` whose state the exchange being folded delivers to this
    /// tab's callback, when the live store knows one (`live::Tabs::fold`: a sign-in begun in
    /// one tab and finished in another, an email link): read once by the fold, never stored.
    #[serde(skip)]
    pub foreign: Option<Pending>,
}

impl State {
    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
            && self.codes.is_empty()
            && self.refreshes.is_empty()
            && self.renewals.is_empty()
            && self.cookie_hosts.is_empty()
            && self.flows.is_empty()
            && self.saml.is_empty()
    }
}
