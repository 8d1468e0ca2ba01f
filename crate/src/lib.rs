//! Okta Medic's core: turns a token, an Okta error, an OAuth error, a raw HTTP response or a
//! captured exchange into a [`Report`] that explains cause and fix.
//!
//! Pure and total: no clock (callers pass `now`), no I/O, and no panic on any input.
//! This file is the table of contents; each concept lives in its own module.

// Panics are denied in Cargo.toml ([lints.clippy]); tests may index and unwrap.
#![cfg_attr(
    test,
    allow(
        clippy::indexing_slicing,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic
    )
)]

pub(crate) mod bucket;
pub(crate) mod catalogue;
pub(crate) mod cause;
pub(crate) mod command;
pub mod context;
pub(crate) mod cors;
pub mod digest;
pub mod domain;
pub(crate) mod encoding;
pub(crate) mod endpoint;
pub mod exchange;
pub mod explain;
pub mod export;
pub(crate) mod flow;
#[cfg(test)]
pub(crate) mod golden;
pub mod har;
pub mod http;
pub(crate) mod idx;
pub mod input;
pub(crate) mod introspection;
pub(crate) mod issuer;
pub mod json;
pub mod jwks;
pub mod jwt;
pub mod live;
pub(crate) mod moment;
pub mod oauth_error;
pub(crate) mod okta_error;
pub mod params;
pub(crate) mod rate_limit;
pub(crate) mod recognise;
pub mod redact;
pub mod redirect;
pub mod report;
pub(crate) mod saml;
pub(crate) mod session;
pub mod shell;
pub mod signature;
pub(crate) mod sort;
pub(crate) mod storage;
pub mod timeline;
pub mod timestamp;
pub(crate) mod token;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use domain::Trusted;
pub use exchange::Exchange;
pub use report::{Finding, Kind, Report, Severity};

/// The core's version, as shown by `okta-medic --version` and `coreVersion()`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Analyses anything a user may paste: a JWT, an error body, `curl -si` output, a redirect URL…
/// `now` is the caller's clock in epoch seconds. Commands name only Okta's hosts.
pub fn analyze_text(text: &str, now: i64) -> Report {
    analyze_text_trusting(text, now, &Trusted::default())
}

/// [`analyze_text`], with commands that may also name the user's custom domains (`trusted`).
pub fn analyze_text_trusting(text: &str, now: i64, trusted: &Trusted) -> Report {
    let mut report = facts_of_text(text, now);
    explain::show_sealed(&mut report, trusted);
    report
}

/// The analysis of pasted text as data — findings as facts, sealed, no words — what the
/// extension's `ui` module answers first; [`explain::show`] words it.
pub fn facts_of_text(text: &str, now: i64) -> Report {
    // A pasted HAR is recognised here, at the top, so recognising text needs no session module.
    let mut report = input::analyze(text, now, &har::analyze_data);
    // A pasted token's claim notes are words: written when the report is shown
    // (`explain::show`), so the listener neither seals nor sends a kilobyte of prose.
    if let Some(report::Kept::Built(report::Token::Jwt(jwt))) = report.token.as_mut() {
        jwt.notes = None;
    }
    redact::seal(&mut report);
    report
}

/// Analyses a whole HAR document already in memory, with no input-size limit (the browser
/// holds the file anyway; the CLI streams instead). Anything that is not a HAR is analysed as
/// pasted text, so the report says what it is.
pub fn analyze_har(text: &str) -> Report {
    analyze_har_trusting(text, &Trusted::default())
}

/// [`analyze_har`], with commands that may also name the user's custom domains (`trusted`).
pub fn analyze_har_trusting(text: &str, trusted: &Trusted) -> Report {
    let parsed = serde_json::from_str::<serde_json::Value>(text).ok();
    match parsed.as_ref().and_then(|v| har::analyze(v, trusted)) {
        Some(report) => report,
        None => analyze_text_trusting(text, 0, trusted),
    }
}

/// Analyses one request/response pair observed by the browser (webRequest field names).
/// Commands name only Okta's hosts.
pub fn analyze_exchange(exchange: &Exchange) -> Report {
    analyze_exchange_trusting(exchange, &Trusted::default())
}

/// [`analyze_exchange`], with commands that may also name the user's custom domains.
pub fn analyze_exchange_trusting(exchange: &Exchange, trusted: &Trusted) -> Report {
    let mut report = facts_of_exchange(exchange);
    explain::show(&mut report, trusted);
    report
}

/// [`analyze_exchange`] as data: findings as facts, sealed, no words.
pub fn facts_of_exchange(exchange: &Exchange) -> Report {
    let mut report = http::analyze(exchange::Seen::from_exchange(exchange, None));
    redact::seal(&mut report);
    report
}

/// [`facts_of_exchange`] of an exchange handed over (the wasm boundary's, read from JS and
/// dropped after): its method, URL, response headers and body move into the reading, and the
/// seal starts from the request URL the analysis found plainly clean. The same report.
pub fn facts_of_owned_exchange(exchange: Exchange) -> Report {
    let mut clean = redact::Clean::default();
    let mut seen = exchange::Seen::from_owned(exchange, None);
    let mut report = http::analyze_noting(&mut seen, &mut clean);
    redact::seal_with(&mut report, clean);
    report
}

/// [`analyze_exchange_trusting`] of an exchange handed over: [`facts_of_owned_exchange`]
/// worded, and only the words sealed (`explain::show_sealed`: the data is sealed once). The
/// same report (tests/secrets_corpus.rs compares them).
pub fn show_owned_exchange(exchange: Exchange, trusted: &Trusted) -> Report {
    let mut report = facts_of_owned_exchange(exchange);
    explain::show_sealed(&mut report, trusted);
    report
}
