//! Signature verification behind one interface. [`jwks::select`] picks the key and builds the
//! [`Plan`]; a [`Verifier`] runs its crypto; [`jwks::apply`] turns the outcome into the
//! report's signature finding, which [`verified`] words and settles. Only the crypto call
//! differs between the two implementations: ring in the CLI ([`Ring`], native only) and
//! WebCrypto in the browser (`wasm/webcrypto.rs`).

use std::future::Future;

use crate::{
    jwks::{self, Key, Outcome, Plan},
    report::Report,
};

#[cfg(not(target_arch = "wasm32"))]
mod ring;
#[cfg(not(target_arch = "wasm32"))]
pub use self::ring::Ring;

/// Runs one verification plan. WebCrypto answers asynchronously, ring at once; a key that can't
/// be used is [`Outcome::Unavailable`], never a panic.
pub trait Verifier {
    fn verify(&self, plan: &Plan) -> impl Future<Output = Outcome>;
}

/// The analysis of `text` (`report`, findings as data) shown, its signature finding replaced by
/// what checking `text` against `keys` found (`keys` is `Err` when the JWKS could not be had;
/// the reason is shown). A token that names no usable key choice keeps the report's findings.
pub async fn verified<V: Verifier>(
    verifier: &V,
    report: Report,
    text: &str,
    keys: Result<Vec<Key>, String>,
    trusted: &crate::Trusted,
) -> Report {
    let outcome = match keys {
        Err(reason) => Outcome::Unavailable { reason },
        Ok(keys) => match jwks::select(text, &keys) {
            None => {
                let mut report = report;
                crate::explain::show(&mut report, trusted);
                return report;
            }
            Some(Err(o)) => o,
            Some(Ok(plan)) => verifier.verify(&plan).await,
        },
    };
    let mut report = jwks::apply(report, &outcome, text);
    crate::explain::show(&mut report, trusted);
    report
}

/// Analyses `text` and, when it is a signed JWT, verifies it against the JWKS document
/// `jwks_json` with ring (the CLI's `--jwks FILE`). Commands may name `trusted` hosts besides
/// Okta's.
#[cfg(not(target_arch = "wasm32"))]
pub fn analyze_with_jwks(
    text: &str,
    now: i64,
    jwks_json: &str,
    trusted: &crate::Trusted,
) -> Report {
    let report = crate::facts_of_text(text, now);
    let future = verified(&Ring, report, text, jwks::parse(jwks_json), trusted);
    // Ring's future is always ready, so one poll finishes the work; were it ever pending, the
    // report without the signature check is the honest answer.
    ready_now(future).unwrap_or_else(|| crate::analyze_text_trusting(text, now, trusted))
}

/// Polls `future` once; its output if it was ready.
#[cfg(not(target_arch = "wasm32"))]
fn ready_now<F: Future>(future: F) -> Option<F::Output> {
    let mut future = std::pin::pin!(future);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    match future.as_mut().poll(&mut cx) {
        std::task::Poll::Ready(out) => Some(out),
        std::task::Poll::Pending => None,
    }
}
