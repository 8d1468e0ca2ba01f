//! Our explanations of Identity Engine messages (`data/idx_advice.tsv`: per i18n key or per
//! key family, the longest matching `prefix:` winning): the cause, the fix steps and the
//! commands for each.

use std::{collections::HashMap, sync::OnceLock};

use crate::catalogue;

const ADVICE: &str = crate::catalogue::data!("idx_advice.tsv");

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Advice {
    pub cause: Option<&'static str>,
    pub fix: Vec<&'static str>,
    pub commands: Vec<&'static str>,
}

struct Table {
    /// Exact keys and `prefix:` families.
    advice: HashMap<&'static str, Advice>,
    /// The families, longest first.
    prefixes: Vec<&'static str>,
}

fn table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| {
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
        crate::sort::by(&mut prefixes, |a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        Table { advice, prefixes }
    })
}

/// Our advice for a key: its own, else its longest matching family's.
pub fn advice(key: &str) -> Option<&'static Advice> {
    let t = table();
    if let Some(a) = t.advice.get(key) {
        return Some(a);
    }
    t.prefixes
        .iter()
        .find(|p| key.starts_with(**p))
        .and_then(|p| t.advice.get(format!("prefix:{p}").as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::idx::catalogue::messages;

    #[test]
    fn keys_and_families() {
        let a = advice(
            "idx.error.code.access_denied.device_assurance.remediation.macos.upgrade_os_version",
        );
        assert!(a.is_some_and(|a| a.cause.is_some_and(|c| c.contains("device assurance"))));
        assert!(advice("idx.session.expired").is_some_and(|a| !a.fix.is_empty()));
        assert!(advice("somethingElse").is_none());
    }

    #[test]
    fn every_advice_entry_is_complete_and_every_known_key_is_explained() {
        for (key, a) in &table().advice {
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
