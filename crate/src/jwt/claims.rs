//! The claim dictionary: one line for every registered JWT/JWS/OIDC name and every Okta
//! claim (data in `crate/data/claims.tsv`, `amr.tsv`), attached to a decoded token's view.

use std::sync::OnceLock;

use serde_json::{Map, Value};

use super::Jwt;
use crate::report::token::Members;

const CLAIMS: &str = crate::catalogue::data!("claims.tsv");
const AMR: &str = crate::catalogue::data!("amr.tsv");

/// `(name, where, note)` rows, sorted by (where, name) for binary search.
fn table(data: &'static str, columns: usize) -> Vec<Vec<&'static str>> {
    let mut rows: Vec<Vec<&'static str>> = data
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.splitn(columns, '\t').collect::<Vec<_>>())
        .filter(|r| r.len() == columns)
        .collect();
    crate::sort::by(&mut rows, |a, b| a.cmp(b));
    rows
}

fn claims() -> &'static [Vec<&'static str>] {
    static T: OnceLock<Vec<Vec<&'static str>>> = OnceLock::new();
    T.get_or_init(|| {
        // Sort by (where, name) so lookups binary-search on both.
        let mut rows = table(CLAIMS, 3);
        crate::sort::by(&mut rows, |a, b| {
            (a.get(1), a.first()).cmp(&(b.get(1), b.first()))
        });
        rows
    })
}

fn amr_values() -> &'static [Vec<&'static str>] {
    static T: OnceLock<Vec<Vec<&'static str>>> = OnceLock::new();
    T.get_or_init(|| table(AMR, 2))
}

/// The dictionary's line for a claim (`place` = "claim") or header parameter ("header").
pub fn note(place: &str, name: &str) -> Option<&'static str> {
    let rows = claims();
    let i = rows
        .binary_search_by(|r| {
            (r.get(1).copied(), r.first().copied()).cmp(&(Some(place), Some(name)))
        })
        .ok()?;
    rows.get(i)?.get(2).copied()
}

/// What an `amr` value means (RFC 8176).
pub fn amr(value: &str) -> Option<&'static str> {
    let rows = amr_values();
    let i = rows
        .binary_search_by(|r| r.first().copied().cmp(&Some(value)))
        .ok()?;
    rows.get(i)?.get(1).copied()
}

/// Notes for every header parameter and claim present, keyed by name; `amr` lists its values.
pub fn notes(jwt: &Jwt) -> crate::report::token::Notes {
    notes_of(jwt.header.as_ref(), jwt.claims.as_ref())
}

/// [`notes`] for a token's decoded header and claims as a view holds them.
pub fn notes_of(
    header_of: Option<&Members>,
    claims_of: Option<&Members>,
) -> crate::report::token::Notes {
    let mut header = Map::new();
    for name in header_of.into_iter().flat_map(Members::keys) {
        if let Some(n) = note("header", name) {
            header.insert(name.to_owned(), Value::String(n.to_string()));
        }
    }
    let mut claims = Map::new();
    for (name, value) in claims_of.into_iter().flat_map(Members::iter) {
        let Some(n) = note("claim", name) else {
            continue;
        };
        let mut text = n.to_string();
        if name == "amr" {
            let values: Vec<String> = value
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(|v| match amr(v) {
                    Some(m) => format!("{v} = {m}"),
                    None => format!("{v} = not an RFC 8176 value"),
                })
                .collect();
            if !values.is_empty() {
                text.push_str(&format!(" Here: {}.", values.join("; ")));
            }
        }
        claims.insert(name.to_owned(), Value::String(text));
    }
    crate::report::token::Notes { header, claims }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lookups() {
        assert!(note("claim", "scp").is_some_and(|n| n.contains("scopes")));
        assert!(note("header", "kid").is_some());
        assert_eq!(note("header", "scp"), None);
        assert_eq!(note("claim", "no_such_claim"), None);
        assert_eq!(amr("pwd"), Some("password"));
        assert_eq!(amr("nope"), None);
    }

    #[test]
    fn every_row_is_well_formed() {
        for row in claims() {
            assert_eq!(row.len(), 3, "{row:?}");
            assert!(matches!(row[1], "claim" | "header"), "{row:?}");
            assert!(row[2].len() > 10, "{row:?}");
        }
        assert!(claims().len() >= 50);
        assert!(amr_values().len() >= 20);
    }

    #[test]
    fn notes_cover_present_claims_and_amr_values() {
        let jwt = Jwt {
            header: json!({"alg": "RS256", "kid": "k"})
                .as_object()
                .cloned()
                .map(Into::into),
            claims: json!({"amr": ["pwd", "mfa", "zzz"], "custom": 1, "ver": 1})
                .as_object()
                .cloned()
                .map(Into::into),
            ..Jwt::default()
        };
        let n = notes(&jwt);
        assert!(n.header["alg"].is_string());
        assert!(n.claims["amr"]
            .as_str()
            .is_some_and(|s| s
                .contains("pwd = password; mfa = multiple factors; zzz = not an RFC 8176 value")));
        assert!(n.claims.get("custom").is_none());
    }
}
