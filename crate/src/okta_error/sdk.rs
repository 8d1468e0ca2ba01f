//! The Okta SDKs' rendering of an API error (okta-sdk-nodejs `src/api-error.js`,
//! okta-sdk-python `okta/errors/okta_api_error.py`, okta.md §1.1):
//! `Okta HTTP {status} {errorCode} {errorSummary}`, then the errorCauses joined with `. `,
//! found anywhere in a log line or a stack trace.

use super::{catalogue, is_code, Error};

/// The SDKs' message, `Okta HTTP {status} {errorCode} {errorSummary}[. {cause}. {cause}]`,
/// anywhere in the text (a log line, a stack trace). Returns the status and the error.
pub fn parse_sdk_message(text: &str) -> Option<(u16, Error)> {
    let line = text.lines().find(|l| l.contains("Okta HTTP "))?;
    let rest = line.get(line.find("Okta HTTP ")? + "Okta HTTP ".len()..)?;
    let mut words = rest.splitn(3, ' ');
    let status: u16 = words.next()?.parse().ok()?;
    if !(100..=599).contains(&status) {
        return None;
    }
    let code = words.next()?.trim();
    if !is_code(code) {
        return None;
    }
    let tail = words.next().unwrap_or_default().trim();
    // The summary and the causes are joined with ". "; the catalogue tells where the summary ends.
    let (summary, causes) = match catalogue::lookup(code) {
        Some(e) if e.match_summary(tail).is_some() && !catalogue_has_slots(e) => {
            (tail.to_string(), Vec::new())
        }
        _ => split_sdk_tail(tail, catalogue::lookup(code)),
    };
    Some((
        status,
        Error {
            code: code.to_string(),
            summary: (!summary.is_empty()).then_some(summary),
            id: None,
            causes,
        },
    ))
}

fn catalogue_has_slots(e: &catalogue::Entry) -> bool {
    crate::catalogue::has_slots(e.summary)
}

/// Splits `summary. cause. cause` at the first ". " after which the summary still matches the
/// template (or at the first ". " when the code is unknown).
fn split_sdk_tail(tail: &str, entry: Option<&catalogue::Entry>) -> (String, Vec<String>) {
    let cuts: Vec<usize> = tail.match_indices(". ").map(|(i, _)| i).collect();
    let cut = cuts
        .iter()
        .copied()
        .find(|i| {
            entry.is_some_and(|e| tail.get(..*i).is_some_and(|s| e.match_summary(s).is_some()))
        })
        .or_else(|| entry.is_none().then(|| cuts.first().copied()).flatten());
    match cut.and_then(|i| Some((tail.get(..i)?, tail.get(i + 2..)?))) {
        Some((s, rest)) => (
            s.to_string(),
            rest.split(". ")
                .map(|c| c.trim().to_string())
                .filter(|c| !c.is_empty())
                .collect(),
        ),
        None => (tail.to_string(), Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sdk_messages() {
        let cases = [
            ("Okta HTTP 401 E0000011 Invalid token provided.", Some((401, "E0000011", "Invalid token provided.", 0))),
            ("OktaApiError: Okta HTTP 400 E0000001 Api validation failed: login. login: An object with this field already exists in the current organization", Some((400, "E0000001", "Api validation failed: login", 1))),
            ("Okta HTTP 404 E0000007 Not found: Resource not found: 00u1 (User)", Some((404, "E0000007", "Not found: Resource not found: 00u1 (User)", 0))),
            ("Okta HTTP 403 E0000006 You do not have permission to perform the requested action", Some((403, "E0000006", "You do not have permission to perform the requested action", 0))),
            ("Okta HTTP 999 E0000011 x", None),
            ("Okta HTTP 401 E11 x", None),
            ("Okta HTTP", None),
            ("nothing", None),
        ];
        for (text, want) in cases {
            let got = parse_sdk_message(text);
            assert_eq!(
                got.as_ref().map(|(s, e)| (
                    *s,
                    e.code.as_str(),
                    e.summary.as_deref().unwrap_or(""),
                    e.causes.len()
                )),
                want,
                "{text}"
            );
        }
    }
}
