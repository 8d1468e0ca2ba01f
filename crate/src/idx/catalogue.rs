//! The Identity Engine messages Okta sends (`data/idx_messages.tsv`, okta.md §4.3: i18n key,
//! class, text) and our explanations of them (`data/idx_advice.tsv`: per key or per key family).
//! Keys are the stable identity of a message; the text is a fallback for messages that arrive
//! without a key (okta.md §4.2), matched exactly or, for texts okta.md truncated, by prefix.

use std::{collections::HashMap, sync::OnceLock};

use crate::catalogue;

const MESSAGES: &str = include_str!("../../data/idx_messages.tsv");
const ADVICE: &str = include_str!("../../data/idx_advice.tsv");

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Known {
    pub key: &'static str,
    pub class: Option<&'static str>,
    /// The text Okta sends (a prefix when `prefix`).
    pub text: Option<&'static str>,
    pub prefix: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Advice {
    pub cause: Option<&'static str>,
    pub fix: Vec<&'static str>,
    pub commands: Vec<&'static str>,
}

struct Tables {
    messages: Vec<Known>,
    /// Exact keys and `prefix:` families.
    advice: HashMap<&'static str, Advice>,
    prefixes: Vec<&'static str>,
}

fn tables() -> &'static Tables {
    static T: OnceLock<Tables> = OnceLock::new();
    T.get_or_init(|| {
        let messages: Vec<Known> = catalogue::rows(MESSAGES)
            .filter_map(|r| {
                Some(Known {
                    key: r.first()?,
                    class: catalogue::cell(&r, 1),
                    prefix: r.get(2).is_some_and(|m| *m == "prefix"),
                    text: catalogue::cell(&r, 3),
                })
            })
            .collect();
        let mut advice: HashMap<&'static str, Advice> = HashMap::new();
        for r in catalogue::rows(ADVICE) {
            let (Some(key), Some(field), Some(text)) = (r.first(), r.get(1), r.get(2)) else {
                continue;
            };
            let a = advice.entry(key).or_default();
            match *field {
                "cause" => a.cause = Some(text),
                "fix" => a.fix.push(text),
                "command" => a.commands.push(text),
                _ => {}
            }
        }
        let mut prefixes: Vec<&'static str> = advice
            .keys()
            .filter_map(|k| k.strip_prefix("prefix:"))
            .collect();
        // Longest first, so the most specific family wins.
        prefixes.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        Tables {
            messages,
            advice,
            prefixes,
        }
    })
}

/// Every catalogued message (for tests).
pub fn messages() -> &'static [Known] {
    &tables().messages
}

/// Is this a key Okta has been seen to send?
#[cfg(test)]
pub fn is_known_key(key: &str) -> bool {
    tables().messages.iter().any(|m| m.key == key)
}

/// The catalogued key whose text this is, for messages without an i18n key.
pub fn key_for_text(text: &str) -> Option<&'static str> {
    let norm = catalogue::normalise(text);
    if norm.is_empty() {
        return None;
    }
    messages()
        .iter()
        .find(|m| {
            m.text.is_some_and(|t| {
                let t = catalogue::normalise(t);
                if m.prefix {
                    norm.starts_with(&t)
                } else {
                    t == norm
                }
            })
        })
        .map(|m| m.key)
}

/// Okta's full wording for a key, when the catalogue holds all of it (not a truncated prefix)
/// and it has no runtime slots: fit to be a title.
pub fn text_for_key(key: &str) -> Option<&'static str> {
    messages()
        .iter()
        .find(|m| m.key == key)
        .filter(|m| !m.prefix)
        .and_then(|m| m.text)
        .filter(|t| !t.contains('{') && t.chars().count() <= 120)
}

/// Our advice for a key: its own, else its longest matching family's.
pub fn advice(key: &str) -> Option<&'static Advice> {
    let t = tables();
    if let Some(a) = t.advice.get(key) {
        return Some(a);
    }
    t.prefixes
        .iter()
        .find(|p| key.starts_with(**p))
        .and_then(|p| t.advice.get(format!("prefix:{p}").as_str()))
}

/// Every advice key (for tests).
#[cfg(test)]
pub fn advice_keys() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = tables().advice.keys().copied().collect();
    v.sort_unstable();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_and_advice() {
        assert_eq!(messages().len(), 118);
        assert!(is_known_key("idx.session.expired"));
        assert!(!is_known_key("made.up"));
        let cases = [
            ("User is not assigned to this application", Some("idx.error.user.not.assigned.to.app")),
            ("Too many requests", Some("tooManyRequests")),
            ("Password requirements were not met. Password requirements: at least 8 characters, a lowercase letter, an uppercase letter, a number, no parts of your username. Your password cannot be any of your last 4 passwords.", Some("password.passwordRequirementsNotMet")),
            ("Nothing like it", None),
            ("", None),
        ];
        for (text, want) in cases {
            assert_eq!(key_for_text(text), want, "{text}");
        }
        let a = advice(
            "idx.error.code.access_denied.device_assurance.remediation.macos.upgrade_os_version",
        );
        assert!(a.is_some_and(|a| a.cause.is_some_and(|c| c.contains("device assurance"))));
        assert!(advice("idx.session.expired").is_some_and(|a| !a.fix.is_empty()));
        assert!(advice("somethingElse").is_none());
    }

    #[test]
    fn every_advice_entry_is_complete_and_every_known_key_is_explained() {
        for key in advice_keys() {
            let a = &tables().advice[key];
            assert!(a.cause.is_some() && !a.fix.is_empty(), "{key}");
            for c in &a.commands {
                assert!(crate::command::NAMES.contains(c), "{key}: {c}");
            }
        }
        for m in messages() {
            let explained = advice(m.key).is_some() || crate::idx::okta_code(m.key).is_some();
            assert!(explained, "{} has no explanation", m.key);
        }
    }
}
