//! Okta's OAuth 2.0 / OIDC error catalogue (`data/oauth_errors.tsv`: oauth2-error-codes.json
//! release 2026.08.1 plus entries dropped from it, okta.md §2.3): each `error` value with
//! Okta's internal code and its error_description template. Matching a runtime description
//! gives the internal code (`oktaCause`) and the runtime values in its `{n}` slots.

use crate::catalogue;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub error: &'static str,
    /// The HTTP status Okta documents. Words only: `None` in the service worker's module,
    /// whose copy of the column is empty (catalogue/projection.rs).
    pub status: Option<u16>,
    /// Okta's internal code, e.g. `user_not_assigned`.
    pub cause: &'static str,
    /// False for entries Okta has dropped from the catalogue.
    pub current: bool,
    pub description: &'static str,
}

/// A description matched to the catalogue.
#[derive(Clone, Debug, PartialEq)]
pub struct Match {
    pub entry: &'static Entry,
    pub captures: Vec<String>,
    /// Other internal codes Okta uses with exactly this text (the match can't tell them apart).
    pub alternatives: Vec<&'static str>,
}

struct Catalogue {
    entries: Vec<Entry>,
    /// Each slot-free entry's normalised description, in catalogue order (scanned: a lookup
    /// runs once per OAuth error seen, and a `HashMap` here was one more hashbrown
    /// instantiation in each wasm module).
    exact: Vec<(String, usize)>,
    /// Entries whose description has slots.
    templates: Vec<usize>,
}

fn catalogue() -> &'static Catalogue {
    static CAT: catalogue::Parsed<Catalogue> = catalogue::Parsed::new();
    CAT.get_or_init(|| {
        let entries: Vec<Entry> = catalogue::rows(catalogue::read!("oauth_errors.tsv"))
            .filter_map(|r| {
                Some(Entry {
                    error: r.first()?,
                    status: catalogue::cell(&r, 1).and_then(|s| s.parse().ok()),
                    cause: r.get(2)?,
                    current: r.get(3).is_some_and(|o| *o == "current"),
                    description: r.get(4)?,
                })
            })
            .collect();
        let mut exact = Vec::new();
        let mut templates = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            if catalogue::has_slots(e.description) {
                templates.push(i);
            } else {
                exact.push((catalogue::normalise(e.description), i));
            }
        }
        Catalogue {
            entries,
            exact,
            templates,
        }
    })
}

pub fn all() -> &'static [Entry] {
    &catalogue().entries
}

/// The entry of an Okta internal code (every entry with the same code has the same text).
pub fn by_cause(cause: &str) -> Option<&'static Entry> {
    all().iter().find(|e| e.cause == cause)
}

/// Is this `error` value one Okta's catalogue uses?
pub fn is_known_error(error: &str) -> bool {
    all().iter().any(|e| e.error == error)
}

/// Prefers, among candidates: the same `error` value, a current entry, the entry whose internal
/// code equals the error (the generic one), then catalogue order.
fn best(cands: &[&'static Entry], error: &str) -> Option<&'static Entry> {
    cands.iter().copied().max_by_key(|e| {
        (
            e.error == error,
            e.current,
            e.cause == error,
            std::cmp::Reverse(e.cause),
        )
    })
}

/// Finds the catalogue entry for an `error` and its description: exact texts first, then
/// templates (with the same `error` first, then any — Okta reuses texts across errors).
pub fn lookup(error: &str, description: &str) -> Option<Match> {
    let cat = catalogue();
    let norm = catalogue::normalise(description);
    if norm.is_empty() {
        return None;
    }
    let cands: Vec<&'static Entry> = cat
        .exact
        .iter()
        .filter(|(t, _)| *t == norm)
        .filter_map(|(_, i)| cat.entries.get(*i))
        .collect();
    if !cands.is_empty() {
        let entry = best(&cands, error)?;
        let alternatives = alternatives(&cands, entry);
        return Some(Match {
            entry,
            captures: Vec::new(),
            alternatives,
        });
    }
    let mut hits: Vec<(&'static Entry, Vec<String>)> = cat
        .templates
        .iter()
        .filter_map(|i| cat.entries.get(*i))
        .filter_map(|e| catalogue::matches(e.description, description).map(|c| (e, c)))
        .collect();
    // A template that is all slot (`{0}`) matches anything: only as a last resort, same error.
    hits.retain(|(e, _)| catalogue::normalise(e.description).len() > 4 || e.error == error);
    let cands: Vec<&'static Entry> = hits.iter().map(|(e, _)| *e).collect();
    let entry = best(&cands, error)?;
    let captures = hits
        .iter()
        .find(|(e, _)| std::ptr::eq(*e, entry))
        .map(|(_, c)| c.clone())
        .unwrap_or_default();
    Some(Match {
        entry,
        captures,
        alternatives: alternatives(&cands, entry),
    })
}

fn alternatives(cands: &[&'static Entry], chosen: &Entry) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = cands
        .iter()
        .filter(|e| e.error == chosen.error && e.cause != chosen.cause)
        .map(|e| e.cause)
        .collect();
    crate::sort::by(&mut out, |a, b| a.cmp(b));
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts() {
        assert_eq!(all().iter().filter(|e| e.current).count(), 476);
        assert!(all()
            .iter()
            .all(|e| !e.error.is_empty() && !e.cause.is_empty() && !e.description.is_empty()));
    }

    type Case<'a> = (&'a str, &'a str, Option<(&'a str, &'a [&'a str])>);

    #[test]
    fn lookup_table() {
        let cases: &[Case] = &[
            ("access_denied", "User is not assigned to the client application.", Some(("user_not_assigned", &[]))),
            ("invalid_client", "No client credentials found.", Some(("missing_client_credentials", &[]))),
            ("unauthorized_client", "The client is not authorized to use the provided grant type. Configured grant types: [refresh_token, implicit, authorization_code].", Some(("unauthorized_client", &["refresh_token, implicit, authorization_code"]))),
            ("unauthorized_client", "The client is not authorized to use the provided grant type. Configured grant types: [en].", Some(("unauthorized_client", &["en"]))),
            ("invalid_grant", "PKCE verification failed.", Some(("pkce_verification_failed", &[]))),
            ("invalid_grant", "PKCE verification failed: code_verifier too short.", Some(("pkce_verification_failed_with_reason", &["code_verifier too short"]))),
            ("invalid_grant", "API call exceeded rate limit due to too many requests.", Some(("user_rate_limited", &[]))),
            ("invalid_token", "The access token is invalid", Some(("access_token_invalid", &[]))),
            ("invalid_scope", "The requested scope is invalid, unknown, or malformed", None),
            ("access_denied", "The requested feature is not enabled in this environment.", Some(("feature_not_enabled_access_denied", &[]))),
            ("server_error", "The requested feature is not enabled in this environment.", Some(("feature_not_enabled", &[]))),
            ("invalid_request", "The 'redirect_uri' parameter must be a Login redirect URI in the client app settings: https://app.example.com/cb", Some(("illegal_redirect_uri_enhanced", &["https://app.example.com/cb"]))),
            ("invalid_dpop_proof", "'ath' claim in the DPoP proof does not match the presented access_token.", Some(("dpop_proof_invalid_ath", &[]))),
            ("use_dpop_nonce", "Authorization server requires nonce in DPoP proof.", Some(("use_dpop_nonce", &[]))),
            ("server_error", "some callout text", Some(("callback_returned_error", &["some callout text"]))),
            ("access_denied", "some callout text", None),
            ("x", "", None),
        ];
        for (error, description, want) in cases {
            let got = lookup(error, description);
            assert_eq!(
                got.as_ref().map(|m| (m.entry.cause, m.captures.clone())),
                want.map(|(c, caps)| (c, caps.iter().map(|s| s.to_string()).collect::<Vec<_>>())),
                "{error}: {description}"
            );
        }
        let m = lookup("invalid_client", "Client authentication failed. Either the client or the client credentials are invalid.").unwrap();
        assert_eq!(m.entry.cause, "invalid_client");
        assert_eq!(m.alternatives, ["invalid_token_endpoint_auth_method"]);
        assert!(is_known_error("use_dpop_nonce"));
        assert_eq!(
            by_cause("user_not_assigned").map(|e| e.description),
            Some("User is not assigned to the client application.")
        );
        assert_eq!(by_cause("made_up"), None);
        // A cause names one text: `by_cause` may return any of its entries.
        for e in all() {
            assert!(
                all()
                    .iter()
                    .filter(|o| o.cause == e.cause)
                    .all(|o| o.description == e.description),
                "{}",
                e.cause
            );
        }
        assert!(!is_known_error("made_up"));
    }
}
