//! Okta's E-code catalogue (`data/okta_errors.tsv`: error-codes.json release 2026.08.1, the
//! codes dropped from it and the two known only from the Sign-In Widget — okta.md §1.3–1.5)
//! and the other texts Okta has sent for a code (`data/okta_error_texts.tsv`: older summaries
//! and the widget's wording). Parsed once, sorted by code, looked up by binary search. What the
//! analysis decides on only: Okta's titles and notes are words (`data/okta_error_titles.tsv`,
//! read by explain/okta_error/advice.rs), so the service worker's module doesn't carry them.

use std::sync::OnceLock;

use crate::catalogue;

const ERRORS: &str = crate::catalogue::data!("okta_errors.tsv");
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
    /// The HTTP status Okta documents (`None` for widget-only codes).
    pub status: Option<u16>,
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
    /// Each entry's [`key`], in entry order: a lookup compares integers, where comparing the
    /// codes as text called `memcmp` per step (a byte loop in the wasm build: README
    /// § Benchmarks, "liveFold, fourteenth pass").
    keys: Vec<u64>,
}

/// `code` as an integer that sorts as the text does (its bytes big-endian, zero-padded):
/// `None` when two codes could share a key (longer than 8 bytes, or holding a zero byte).
fn key(code: &str) -> Option<u64> {
    let b = code.as_bytes();
    if b.len() > 8 || b.contains(&0) {
        return None;
    }
    let mut k = [0u8; 8];
    k.iter_mut().zip(b).for_each(|(d, s)| *d = *s);
    Some(u64::from_be_bytes(k))
}

fn catalogue() -> &'static Catalogue {
    static CAT: OnceLock<Catalogue> = OnceLock::new();
    CAT.get_or_init(|| {
        let mut entries: Vec<Entry> = catalogue::rows(ERRORS)
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
        // Every catalogued code has a key (a test says so); one without would get `u64::MAX`,
        // never found by key, and `lookup` falls back to the text search for such codes.
        let keys = entries
            .iter()
            .map(|e| key(e.code).unwrap_or(u64::MAX))
            .collect();
        Catalogue {
            entries,
            exact,
            keys,
        }
    })
}

/// Every catalogued code, sorted (for tests).
#[cfg(test)]
pub fn all() -> &'static [Entry] {
    &catalogue().entries
}

pub fn lookup(code: &str) -> Option<&'static Entry> {
    let cat = catalogue();
    let found = match key(code) {
        Some(k) => cat.keys.binary_search(&k),
        None => cat.entries.binary_search_by(|e| e.code.cmp(code)),
    };
    found.ok().and_then(|i| cat.entries.get(i))
}

/// `lookup` as it was: a binary search comparing the codes as text.
#[cfg(test)]
fn lookup_by_text(code: &str) -> Option<&'static Entry> {
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

    /// The integer search finds what the text search found: every catalogued code, each
    /// cut short, lengthened, with a byte changed up or down, and codes no entry has.
    #[test]
    fn lookup_by_key_is_lookup_by_text() {
        assert!(
            all().iter().all(|e| key(e.code).is_some()),
            "a code without a key"
        );
        let mut codes: Vec<String> = [
            "",
            "E",
            "E0",
            "E00000000",
            "E\0",
            "\0\0",
            "zzzzzzzz",
            "E000004\0",
        ]
        .map(str::to_string)
        .to_vec();
        for e in all() {
            let c = e.code;
            codes.push(c.to_string());
            codes.push(format!("{c}0"));
            codes.push(format!("{c}\0"));
            codes.push(format!(" {c}"));
            for i in 0..c.len() {
                codes.push(c[..i].to_string());
                for d in [1u8, 255] {
                    let mut b = c.as_bytes().to_vec();
                    b[i] = b[i].wrapping_add(d);
                    codes.push(String::from_utf8_lossy(&b).into_owned());
                }
            }
        }
        let mut found = 0;
        for c in &codes {
            let want = lookup_by_text(c);
            assert_eq!(lookup(c).map(|e| e.code), want.map(|e| e.code), "{c:?}");
            found += usize::from(want.is_some());
        }
        assert!(
            found > 300 && codes.len() > 5000,
            "{found} of {}",
            codes.len()
        );
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
