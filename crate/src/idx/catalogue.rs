//! The Identity Engine messages Okta sends (`data/idx_messages.tsv`, okta.md §4.3: i18n key,
//! class, text); our explanations of them are worded in `explain` (`data/idx_advice.tsv`).
//! Keys are the stable identity of a message; the text is a fallback for messages that arrive
//! without a key (okta.md §4.2), matched exactly or, for texts okta.md truncated, by prefix.

use std::sync::OnceLock;

use crate::catalogue;

const MESSAGES: &str = crate::catalogue::data!("idx_messages.tsv");

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Known {
    pub key: &'static str,
    pub class: Option<&'static str>,
    /// The text Okta sends (a prefix when `prefix`).
    pub text: Option<&'static str>,
    pub prefix: bool,
}

/// Every catalogued message.
pub fn messages() -> &'static [Known] {
    static T: OnceLock<Vec<Known>> = OnceLock::new();
    T.get_or_init(|| {
        catalogue::rows(MESSAGES)
            .filter_map(|r| {
                Some(Known {
                    key: r.first()?,
                    class: catalogue::cell(&r, 1),
                    prefix: r.get(2).is_some_and(|m| *m == "prefix"),
                    text: catalogue::cell(&r, 3),
                })
            })
            .collect()
    })
}

/// Is this a key Okta has been seen to send?
#[cfg(test)]
pub fn is_known_key(key: &str) -> bool {
    messages().iter().any(|m| m.key == key)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_and_texts() {
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
    }
}
