//! Okta's E-code catalogue (`data/okta_errors.tsv`: error-codes.json release 2026.08.1, the
//! codes dropped from it and the two known only from the Sign-In Widget — okta.md §1.3–1.5)
//! and the other texts Okta has sent for a code (`data/okta_error_texts.tsv`: older summaries
//! and the widget's wording). Parsed once, sorted by code, looked up by binary search. What the
//! analysis decides on only: Okta's titles and notes are words (`data/okta_error_titles.tsv`,
//! read by explain/okta_error/advice.rs), so the service worker's module doesn't carry them.

use crate::catalogue;

const TEXTS: &str = crate::catalogue::data!("okta_error_texts.tsv");

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// In Okta's current error-code list.
    Current,
    /// Dropped from the list; may still appear in old logs.
    Removed,
    /// Known only from the Sign-In Widget's translations.
    Widget,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub code: &'static str,
    /// The HTTP status Okta documents (`None` for widget-only codes). Words only: `None` in
    /// the service worker's module, whose copy of the column is empty (catalogue/projection.rs).
    pub status: Option<u16>,
    /// Words only: always `Current` in the service worker's module, as `status`.
    pub origin: Origin,
    /// The errorSummary template; `{0}` holds runtime text.
    pub summary: &'static str,
    /// Other texts Okta has used for this code: (origin, text), origin `historic` or `widget`.
    pub texts: Vec<(&'static str, &'static str)>,
}

/// How a body's errorSummary relates to the catalogue.
#[derive(Clone, Debug, PartialEq)]
pub struct Match {
    /// `None` for the current template, else `historic` / `widget`.
    pub variant: Option<&'static str>,
    /// The runtime text in the template's slots.
    pub captures: Vec<String>,
}

struct Catalogue {
    entries: Vec<Entry>,
    /// Normalised slot-free texts with the index of their entry, in catalogue order (a scan:
    /// by_text runs once per unmatched errorSummary, and a `HashMap` here was one more
    /// hashbrown instantiation in each wasm module).
    exact: Vec<(String, usize)>,
}

fn catalogue() -> &'static Catalogue {
    static CAT: catalogue::Parsed<Catalogue> = catalogue::Parsed::new();
    CAT.get_or_init(|| {
        let mut entries: Vec<Entry> = catalogue::rows(catalogue::read!("okta_errors.tsv"))
            .filter_map(|r| {
                Some(Entry {
                    code: r.first()?,
                    status: catalogue::cell(&r, 1).and_then(|s| s.parse().ok()),
                    origin: match *r.get(2)? {
                        "removed" => Origin::Removed,
                        "widget" => Origin::Widget,
                        _ => Origin::Current,
                    },
                    summary: r.get(3)?,
                    texts: Vec::new(),
                })
            })
            .collect();
        crate::sort::by(&mut entries, |a, b| a.code.cmp(b.code));
        for r in catalogue::rows(TEXTS) {
            if let (Some(code), Some(origin), Some(text)) = (r.first(), r.get(1), r.get(2)) {
                if let Ok(i) = entries.binary_search_by(|e| e.code.cmp(code)) {
                    if let Some(e) = entries.get_mut(i) {
                        e.texts.push((origin, text));
                    }
                }
            }
        }
        let mut exact = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            for t in std::iter::once(e.summary).chain(e.texts.iter().map(|(_, t)| *t)) {
                if !catalogue::has_slots(t) {
                    exact.push((catalogue::normalise(t), i));
                }
            }
        }
        Catalogue { entries, exact }
    })
}

/// Every catalogued code, sorted (for tests).
#[cfg(test)]
pub fn all() -> &'static [Entry] {
    &catalogue().entries
}

pub fn lookup(code: &str) -> Option<&'static Entry> {
    let entries = &catalogue().entries;
    entries
        .binary_search_by(|e| e.code.cmp(code))
        .ok()
        .and_then(|i| entries.get(i))
}

impl Entry {
    /// Matches a runtime errorSummary against the template, then against older and widget texts.
    pub fn match_summary(&self, text: &str) -> Option<Match> {
        if let Some(captures) = catalogue::matches(self.summary, text) {
            return Some(Match {
                variant: None,
                captures,
            });
        }
        self.texts.iter().find_map(|(origin, t)| {
            catalogue::matches(t, text).map(|captures| Match {
                variant: Some(*origin),
                captures,
            })
        })
    }
}

/// The code whose text this is (for summaries sent under the wrong code, and widget messages
/// without a key). Templates need some literal text to count: `{0}` alone matches anything.
pub fn by_text(text: &str) -> Option<&'static Entry> {
    let cat = catalogue();
    let norm = catalogue::normalise(text);
    if let Some(e) = cat
        .exact
        .iter()
        .find(|(t, _)| *t == norm)
        .and_then(|(_, i)| cat.entries.get(*i))
    {
        return Some(e);
    }
    cat.entries.iter().find(|e| {
        std::iter::once(e.summary)
            .chain(e.texts.iter().map(|(_, t)| *t))
            .filter(|t| catalogue::has_slots(t))
            .filter(|t| literal_len(t) >= 12)
            .any(|t| catalogue::matches(t, text).is_some())
    })
}

fn literal_len(template: &str) -> usize {
    let mut n = 0;
    let mut in_slot = false;
    for c in template.chars() {
        match c {
            '{' => in_slot = true,
            '}' if in_slot => in_slot = false,
            _ if !in_slot => n += 1,
            _ => {}
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_order() {
        let all = all();
        assert_eq!(all.len(), 259);
        assert_eq!(
            all.iter().filter(|e| e.origin == Origin::Current).count(),
            251
        );
        assert_eq!(
            all.iter().filter(|e| e.origin == Origin::Removed).count(),
            6
        );
        assert_eq!(all.iter().filter(|e| e.origin == Origin::Widget).count(), 2);
        assert!(all.windows(2).all(|w| w[0].code < w[1].code));
        assert!(all.iter().all(|e| !e.summary.is_empty()));
    }

    #[test]
    fn lookup_table() {
        let cases = [
            ("E0000011", Some((Some(401), "Invalid token provided"))),
            ("E0000070", Some((Some(202), "Waiting for ACK"))),
            ("E0000106", Some((None, "Wait for token to change, then enter the new tokencode."))),
            ("E0000160", Some((Some(409), "Cannot enable authenticator at this time. Conflicts with authenticator with key: {0}"))),
            ("E0000128", None),
            ("E9999999", None),
            ("", None),
        ];
        for (code, want) in cases {
            assert_eq!(lookup(code).map(|e| (e.status, e.summary)), want, "{code}");
        }
    }

    #[test]
    fn summaries_match_templates_and_variants() {
        let e = lookup("E0000007").unwrap();
        let m = e
            .match_summary("Not found: Resource not found: me (Session)")
            .unwrap();
        assert_eq!(m.captures, ["Resource not found: me (Session)"]);
        let e = lookup("E0000080").unwrap();
        let m = e
            .match_summary("The password does meet the complexity requirements of the current password policy.")
            .unwrap();
        assert_eq!(m.variant, Some("historic"));
        assert!(lookup("E0000011")
            .unwrap()
            .match_summary("Authentication failed")
            .is_none());
        assert_eq!(
            by_text("Authentication failed").map(|e| e.code),
            Some("E0000004")
        );
        assert_eq!(
            by_text("Unable to sign in").map(|e| e.code),
            Some("E0000004")
        );
        assert_eq!(
            by_text("Your account is locked because of too many authentication attempts.")
                .map(|e| e.code),
            Some("E0000069")
        );
        assert_eq!(
            by_text("Roles cannot be granted to built-in groups: Everyone").map(|e| e.code),
            Some("E0000211")
        );
        assert_eq!(by_text("something else entirely"), None);
    }
}
