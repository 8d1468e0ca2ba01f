//! The SAML part of a session's flow state (crate/src/flow/fold/saml.rs folds into it): the
//! AuthnRequests seen on the tab, each by what the cross-message checks compare — its `ID`,
//! `Issuer` (the SP's entity id), `AssertionConsumerServiceURL` and `Destination` — and the
//! flow of the story it began. Never the message itself; all of these are public identifiers
//! and URLs (no secret: the Response, the bearer credential, is never kept). Bounded.

use serde::{Deserialize, Serialize};

/// AuthnRequests kept (the latest).
pub const MAX_REQUESTS: usize = 16;

/// One AuthnRequest seen on the tab.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct Requested {
    pub id: Option<String>,
    pub issuer: Option<String>,
    pub acs_url: Option<String>,
    pub destination: Option<String>,
    /// The Okta host it went to.
    pub host: Option<String>,
    /// Epoch ms.
    pub at: f64,
    /// The story's flow it began.
    pub flow: u32,
    /// A Response naming it (`InResponseTo`) was posted.
    pub answered: bool,
}

/// The SAML state of a session.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct State {
    pub requests: Vec<Requested>,
}

impl State {
    pub fn is_empty(&self) -> bool {
        self.requests.is_empty()
    }
}
