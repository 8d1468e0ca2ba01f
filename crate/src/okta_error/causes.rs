//! Common errorCauses entries (`data/okta_error_causes.tsv`): Okta's templates, matched like
//! errorSummary, with our explanation of each. Matching a runtime entry is the decision made
//! at analysis (the template and the runtime text in its slots); the explanation is looked up
//! by template when the finding is worded.

use crate::catalogue;

fn causes() -> &'static Vec<(&'static str, &'static str)> {
    static C: catalogue::Parsed<Vec<(&'static str, &'static str)>> = catalogue::Parsed::new();
    C.get_or_init(|| {
        catalogue::rows(catalogue::read!("okta_error_causes.tsv"))
            .filter_map(|r| Some((*r.first()?, *r.get(1)?)))
            .collect()
    })
}

/// The template one errorCauses entry fits, with the runtime text in its slots.
pub fn read(text: &str) -> Option<(&'static str, Vec<String>)> {
    causes()
        .iter()
        .find_map(|(template, _)| catalogue::matches(template, text).map(|caps| (*template, caps)))
}

/// Our explanation of the entries that fit `template` (its `{n}` are the slots' text). Words
/// only: empty in the service worker's module (catalogue/projection.rs).
pub fn explanation(template: &str) -> Option<&'static str> {
    causes()
        .iter()
        .find(|(t, _)| *t == template)
        .map(|(_, explanation)| *explanation)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_fit_the_first_template_that_matches() {
        let cases = [
            (
                "login: An object with this field already exists in the current organization",
                Some((
                    "login: An object with this field already exists in the current organization",
                    vec![],
                )),
            ),
            (
                "Sign in not allowed for app '0oapt2yIp38ySYiMP0g3'.",
                Some((
                    "Sign in not allowed for app '{0}'.",
                    vec!["0oapt2yIp38ySYiMP0g3"],
                )),
            ),
            (
                "until: must be a valid date-time or empty.",
                Some(("until: {0}", vec!["must be a valid date-time or empty"])),
            ),
            ("something with no colon", None),
        ];
        for (text, want) in cases {
            let got = read(text);
            assert_eq!(
                got.as_ref()
                    .map(|(t, c)| (*t, c.iter().map(String::as_str).collect::<Vec<_>>())),
                want,
                "{text}"
            );
            if let Some((t, _)) = got {
                assert!(explanation(t).is_some_and(|e| !e.is_empty()), "{t}");
            }
        }
        assert_eq!(explanation("not a template"), None);
    }
}
