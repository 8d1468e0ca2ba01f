//! `flows` of a session's report and views: the sign-in story, each flow a short sequence of
//! steps (authorize → sign-in → callback → token → API calls) with its status and, where it
//! broke, its finding. Built as data by the flow fold (crate/src/flow/); `label` and `detail`
//! are words the explain layer writes when the story is shown (explain/flow_story.rs).

use serde::{Deserialize, Serialize};

/// Flows kept per session (newest last) and steps kept per flow.
pub const MAX_FLOWS: usize = 5;
pub const MAX_STEPS: usize = 12;

/// One sign-in flow: the client that ran it and the Okta host it ran against.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct Flow {
    /// The client id (`0oa…`), when a request of the flow named it.
    pub client: Option<String>,
    /// The Okta host (or, for a flow seen only at the app's callback, the app's host).
    pub host: String,
    pub steps: Vec<Step>,
    /// Which flow this is within its session (the fold joins later requests to it); not part
    /// of the view.
    #[serde(skip_serializing_if = "is_zero")]
    pub serial: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// What a step of a flow was.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum StepKind {
    #[default]
    Authorize,
    SignIn,
    Callback,
    Token,
    Refresh,
    Renew,
    Api,
    /// A SAML AuthnRequest sent to Okta.
    SamlRequest,
    /// A SAML Response posted to the app's ACS: its status is the app's answer.
    SamlResponse,
}

/// One step: when, its status, whether it went well, and the finding where it broke.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct Step {
    pub step: StepKind,
    /// Epoch ms.
    pub at: f64,
    pub status: Option<u16>,
    pub ok: bool,
    pub finding_id: Option<String>,
    /// The OAuth `error` the step answered (`invalid_grant`, `login_required`), when seen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// How many requests this step stands for (consecutive sign-in or API calls are one step):
    /// 0 for one (the fold goes 0 → 2), and a stored 1 is written back as 1, so a stored tab
    /// reads back as it was (the fuzz target `stored_read` found a 1 written as absent, read as 0).
    #[serde(skip_serializing_if = "is_zero")]
    pub count: u32,
    /// Words, written when shown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// The flows as a view: their serials dropped.
pub fn view(flows: &[Flow]) -> Vec<Flow> {
    flows
        .iter()
        .map(|f| Flow {
            serial: 0,
            ..f.clone()
        })
        .collect()
}
