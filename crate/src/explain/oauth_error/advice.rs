//! Our explanations of OAuth errors (`data/oauth_error_advice.tsv`): per `error` value (what it
//! means in general) and per Okta internal code (the specific cause and its fix). Texts may
//! repeat the runtime values of the description's `{n}` slots; a text whose slots weren't
//! captured is left out rather than shown with a hole.

use std::{collections::HashMap, sync::OnceLock};

use crate::catalogue;

const ADVICE: &str = crate::catalogue::data!("oauth_error_advice.tsv");

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Advice {
    pub title: Option<&'static str>,
    pub cause: Option<&'static str>,
    pub fix: Vec<&'static str>,
    pub commands: Vec<&'static str>,
}

fn table() -> &'static HashMap<&'static str, Advice> {
    static T: OnceLock<HashMap<&'static str, Advice>> = OnceLock::new();
    T.get_or_init(|| {
        let mut map: HashMap<&'static str, Advice> = HashMap::new();
        for r in catalogue::rows(ADVICE) {
            let (Some(key), Some(field), Some(text)) = (r.first(), r.get(1), r.get(2)) else {
                continue;
            };
            let a = map.entry(key).or_default();
            match *field {
                "title" => a.title = Some(text),
                "cause" => a.cause = Some(text),
                "fix" => a.fix.push(text),
                "command" => a.commands.push(text),
                _ => {}
            }
        }
        map
    })
}

/// Advice for an `error` value.
pub fn for_error(error: &str) -> Option<&'static Advice> {
    table().get(format!("error:{error}").as_str())
}

/// Advice for an Okta internal code.
pub fn for_cause(cause: &str) -> Option<&'static Advice> {
    table().get(format!("cause:{cause}").as_str())
}

/// All keys (for tests).
#[cfg(test)]
pub fn keys() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = table().keys().copied().collect();
    v.sort_unstable();
    v
}

/// Fills `{n}` with captures; `None` when a slot stays empty.
pub fn fill(text: &str, captures: &[String]) -> Option<String> {
    let out = catalogue::fill(text, captures);
    (!catalogue::has_slots(&out)).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oauth_error::catalogue as oc;

    #[test]
    fn every_error_value_and_every_cause_key_is_real() {
        for e in oc::all() {
            let a = for_error(e.error);
            assert!(
                a.is_some_and(|a| a.cause.is_some() && !a.fix.is_empty()),
                "error:{}",
                e.error
            );
        }
        for key in keys() {
            if let Some(cause) = key.strip_prefix("cause:") {
                assert!(
                    oc::all().iter().any(|e| e.cause == cause),
                    "{key} is not in the catalogue"
                );
            }
            let a = table().get(key).unwrap();
            assert!(a.cause.is_some() && !a.fix.is_empty(), "{key}");
            if key.starts_with("error:") {
                // Error-level texts are used without captures.
                let texts = a.cause.iter().chain(a.fix.iter());
                assert!(
                    texts.clone().all(|t| !crate::catalogue::has_slots(t)),
                    "{key}"
                );
            }
            for c in &a.commands {
                assert!(crate::command::NAMES.contains(c), "{key}: {c}");
            }
        }
    }

    #[test]
    fn filling() {
        assert_eq!(fill("Use {0}.", &["a".into()]).as_deref(), Some("Use a."));
        assert_eq!(fill("Use {0}.", &[]), None);
        assert_eq!(fill("Plain.", &[]).as_deref(), Some("Plain."));
    }
}
