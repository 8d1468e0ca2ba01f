//! The lead of a worded finding: what to do now (`todo`, one line, an instruction) and why (at
//! most two sentences). A card, the CLI and the report's head show these first; the detail,
//! every fix step and the commands stay behind "More".
//!
//! One generic step after each family's words: the first fix step's first instruction, without
//! its asides (parentheses, the clauses after a colon or a semicolon), and the detail's first
//! sentences. Where that reads badly for a family (a first step that points at another finding,
//! a step that is a reading instruction, a finding with nothing to fix), the family's choice
//! in [`choice`] wins. It runs before the parameters are dropped, so a choice may read them.

use crate::report::{Finding, Severity};

/// The longest `todo` kept whole; a longer one is cut at its colon.
const TODO_MAX: usize = 100;

/// The longest `why`: two sentences, unless two are longer than this; then one.
const WHY_MAX: usize = 280;

/// Writes `todo` and `why` where the family's words left them empty.
pub(super) fn write(f: &mut Finding) {
    if f.todo.is_none() {
        f.todo = choice(f).or_else(|| generic_todo(f));
    }
    if f.why.is_none() {
        f.why = generic_why(&f.detail);
    }
}

/// The family choices: a line that is a real instruction where the generic one isn't.
fn choice(f: &Finding) -> Option<String> {
    let id = &*f.id;
    let family = id.split('.').next().unwrap_or_default();
    let line = match (family, id) {
        // Classifications and notes: nothing is wrong, and saying so is the instruction.
        (_, _) if f.fix.is_empty() && f.severity <= Severity::Info => "Nothing to fix.",
        (_, "jwt.signature_not_checked") => "Verify the signature before trusting this token.",
        (_, "jwt.lifetime_unusual") => "Check which service issued this token before trusting it.",
        (_, "jwt.alg_none") => "Do not trust this token: it is unsigned.",
        (_, "jwt.not_okta") => "Check that the app sends the Okta token you expected.",
        (_, "jwt.org_authorization_server") => {
            "For your own API, get tokens from a custom authorization server; introspect this one."
        }
        ("okta_error" | "idx", _) if points_elsewhere(f) => return points_to(f),
        ("okta_error", "okta_error.unknown") => {
            "Read what Okta said (errorSummary and errorCauses) and fix what it names."
        }
        ("okta_error", "okta_error.E0000014") => {
            "Read the cause Okta gave, then correct the old or the new password."
        }
        ("okta_error", "okta_error.E0000001") => {
            "Correct the fields Okta named in errorCauses, then send the request again."
        }
        ("okta_error", "okta_error.E0000004") => {
            "Check the user's status, then the failed sign-in in the System Log."
        }
        ("okta_error", "okta_error.E0000006") => {
            "Check the caller's admin roles and the app's granted Okta API scopes."
        }
        ("okta_error", "okta_error.E0000011") => {
            "Send a whole, current token to the org that issued it."
        }
        ("okta_error", "okta_error.E0000015") => {
            "Check that the feature is enabled for this org; don't rotate the token."
        }
        ("okta_error", "okta_error.E0000053") => {
            "Fix the filter expression: use eq, co, sw, pr, gt, ge, lt or le, values in quotes."
        }
        ("okta_error", "okta_error.E0000016") => "Nothing to do if activation was the goal.",
        ("okta_error", "okta_error.E0000062") => "Treat it as success if assignment was the goal.",
        ("okta_error", "okta_error.E0000047") => {
            "Wait until the window resets (X-Rate-Limit-Reset), then retry."
        }
        ("oauth_error", _)
            if f.fix
                .first()
                .is_some_and(|s| s.starts_with("Read error_description")) =>
        {
            "Read the error description Okta sent: it names the specific cause."
        }
        // A 429 seen live: the wait runs down while the card is shown, so the line points at the
        // bucket's gauge instead of freezing a number of seconds (issue 15: countdowns live in
        // gauges).
        ("rate_limit", "rate_limit.exceeded" | "rate_limit.concurrent")
            if f.params.text("moment") == Some("live") && !f.params.flag("windowPassed") =>
        {
            "Wait until the bucket's window resets (its gauge counts down), then retry."
        }
        // A recording's 429 (a HAR): its wait is history; the instruction is for next time.
        ("rate_limit", "rate_limit.exceeded" | "rate_limit.concurrent")
            if f.params.text("moment") == Some("request") =>
        {
            "Next time, wait until X-Rate-Limit-Reset (by Okta's Date) before retrying."
        }
        ("http", "http.request_id") => "Keep this request id for the System Log or a support case.",
        ("idx", "idx.idx.some.future.key") => "Follow the message shown to the user.",
        _ => return None,
    };
    Some(line.to_string())
}

/// An Okta error or IDX message whose first step sends the reader to another finding.
fn points_elsewhere(f: &Finding) -> bool {
    f.fix.first().is_some_and(|s| {
        s.contains(" finding's steps") || s.contains("commands on the okta_error.")
    })
}

/// For a step that points at another finding: that finding's code in words the user reads.
fn points_to(f: &Finding) -> Option<String> {
    let code = f.fix.first().and_then(|s| {
        s.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
            .find_map(|w| w.strip_prefix("okta_error."))
            .map(|c| c.trim_end_matches('.').to_string())
    })?;
    Some(format!("Fix the Okta error {code}: its card says how."))
}

/// The first instruction of the first fix step.
fn generic_todo(f: &Finding) -> Option<String> {
    let step = f.fix.first()?;
    let sentence = sentences(step).into_iter().next()?;
    let plain = without_parentheses(sentence);
    let mut line = plain.trim().trim_end_matches('.').trim().to_string();
    // A clause after a semicolon is an aside or a second instruction.
    if let Some((head, _)) = line.split_once("; ") {
        line = head.to_string();
    }
    // A long line keeps what comes before its colon ("Grant X to the app: Admin Console → …");
    // when that is a short context ("API token: find …"), what follows it.
    if line.chars().count() > TODO_MAX {
        if let Some((head, tail)) = split_colon(&line) {
            line = if head.split_whitespace().count() >= 3 {
                head
            } else {
                capitalised(&tail)
            };
        }
    }
    let line = line.trim().trim_end_matches([',', ':', ';']).trim();
    (!line.is_empty()).then(|| format!("{line}."))
}

/// `text` split at its first ": " outside quotes, when there is one.
fn split_colon(text: &str) -> Option<(String, String)> {
    let mut quoted = false;
    let mut prev = ' ';
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ' ' if prev == ':' && !quoted => {
                let head = text.get(..i.saturating_sub(1))?;
                let tail = text.get(i + 1..)?;
                return Some((head.to_string(), tail.to_string()));
            }
            _ => {}
        }
        prev = c;
    }
    None
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => std::iter::once(c.to_ascii_uppercase())
            .chain(chars)
            .collect(),
        None => String::new(),
    }
}

/// The detail's first two sentences that are explanation rather than raw data (one when two
/// are longer than [`WHY_MAX`]): a sentence doing arithmetic or naming Okta's internal codes
/// stays behind "More", and so do epoch seconds in parentheses.
fn generic_why(detail: &str) -> Option<String> {
    let kept: Vec<String> = sentences(detail)
        .into_iter()
        .filter(|s| !is_raw(s))
        .map(without_epochs)
        .collect();
    let one = kept.first()?.clone();
    let why = match kept.get(1) {
        Some(two) if one.chars().count() + 1 + two.chars().count() <= WHY_MAX => {
            format!("{one} {two}")
        }
        _ => one,
    };
    let why = why.trim();
    (!why.is_empty()).then(|| why.to_string())
}

/// A sentence that is data, not an explanation: arithmetic, Okta's internal code names, or
/// header values read out (the evidence under "More" has them).
fn is_raw(sentence: &str) -> bool {
    [" = ", " − ", "internal code", "X-Rate-Limit-"]
        .iter()
        .any(|s| sentence.contains(s))
}

/// `text` without parenthesised raw numbers ("2016-06-28T21:18:14Z (1467148694)").
fn without_epochs(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find(" (") {
        let (head, tail) = rest.split_at(open);
        out.push_str(head);
        let inner = tail.get(2..).unwrap_or_default();
        match inner.find(')') {
            Some(close) if inner.get(..close).is_some_and(has_epoch) => {
                rest = inner.get(close + 1..).unwrap_or_default();
            }
            _ => {
                out.push_str(" (");
                rest = inner;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether `text` holds a run of nine or more digits (epoch seconds).
fn has_epoch(text: &str) -> bool {
    text.split(|c: char| !c.is_ascii_digit())
        .any(|run| run.len() >= 9)
}

/// The sentences of `text`: a sentence ends at ".", "!" or "?" followed by a space and a
/// capital letter (ASCII: the core's words are English, and Unicode's case tables would cost
/// the UI module kilobytes) or a digit (so "e.g. a" and "okta.users.read" don't end one); a closing
/// quote after the stop belongs to the sentence.
fn sentences(text: &str) -> Vec<&str> {
    // Every mark read here is ASCII, and no byte of a multi-byte character is: a byte scan
    // finds the same stops as a char scan (the char before or after an ASCII mark is the byte
    // there), with no list of chars to build.
    let bytes = text.as_bytes();
    let stop = |b: Option<&u8>| matches!(b, Some(b'.' | b'!' | b'?'));
    let mut out = Vec::new();
    let mut start = 0;
    for (i, b) in bytes.iter().enumerate() {
        let quote_after_stop = *b == b'"' && stop(i.checked_sub(1).and_then(|p| bytes.get(p)));
        if !stop(Some(b)) && !quote_after_stop {
            continue;
        }
        let space = bytes.get(i + 1) == Some(&b' ');
        let next = bytes.get(i + 2);
        if space && next.is_some_and(|c| c.is_ascii_uppercase() || c.is_ascii_digit()) {
            if let Some(s) = text.get(start..=i) {
                out.push(s.trim());
            }
            start = i + 2;
        }
    }
    if let Some(s) = text.get(start..).map(str::trim).filter(|s| !s.is_empty()) {
        out.push(s);
    }
    out
}

/// `text` without its parenthesised asides (and the space before each).
fn without_parentheses(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' => {
                if depth == 0 && out.ends_with(' ') {
                    out.pop();
                }
                depth += 1;
            }
            ')' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The char scan `sentences` replaced, kept as the reference the byte scan must equal.
    fn sentences_by_char(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let mut start = 0;
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        for (k, &(i, c)) in chars.iter().enumerate() {
            let quote_after_stop = c == '"'
                && k > 0
                && chars
                    .get(k - 1)
                    .is_some_and(|&(_, p)| matches!(p, '.' | '!' | '?'));
            if !matches!(c, '.' | '!' | '?') && !quote_after_stop {
                continue;
            }
            let space = chars.get(k + 1).map(|&(_, c)| c) == Some(' ');
            let next = chars.get(k + 2).map(|&(_, c)| c);
            if space && next.is_some_and(|c| c.is_ascii_uppercase() || c.is_ascii_digit()) {
                if let Some(s) = text.get(start..=i) {
                    out.push(s.trim());
                }
                start = i + 2;
            }
        }
        if let Some(s) = text.get(start..).map(str::trim).filter(|s| !s.is_empty()) {
            out.push(s);
        }
        out
    }

    #[test]
    fn sentences_by_byte_equal_the_char_scan() {
        let marks = [
            ".", "!", "?", "\"", " ", "A", "7", "a", "é", "日", "€", "\u{2028}", "(", ")",
        ];
        let mut texts = vec![
            "One. Two! Three? \"Four.\" Five 6. 7 é. É. 日本. Ünder.".to_string(),
            "A token (expired). It was issued at 10:00. Okta says \"no.\" Then?".to_string(),
        ];
        // Every string of up to four marks, so each stop meets every neighbour.
        let mut layer = vec![String::new()];
        for _ in 0..4 {
            layer = layer
                .iter()
                .flat_map(|p| marks.iter().map(move |m| format!("{p}{m}")))
                .collect();
            texts.extend(layer.iter().cloned());
        }
        for t in &texts {
            assert_eq!(sentences(t), sentences_by_char(t), "{t:?}");
        }
    }

    fn finding(id: &str, severity: Severity, fix: &[&str], detail: &str) -> Finding {
        let mut f = Finding::new(id.to_string(), severity, "A title").detail(detail);
        f.fix = fix.iter().map(|s| s.to_string()).collect();
        f
    }

    #[test]
    fn the_todo_is_the_first_steps_first_instruction_without_its_asides() {
        let cases: &[(&[&str], Option<&str>)] = &[
            (&["Get a fresh token: sign in again (command below)."], Some("Get a fresh token: sign in again.")),
            (&["Retry with exponential backoff (e.g. 1 s, 2 s); don't retry blindly."], Some("Retry with exponential backoff.")),
            (&["Check the user's status first. LOCKED_OUT: unlock the user."], Some("Check the user's status first.")),
            (
                &["Grant okta.users.read to the app: Admin Console → Applications → the app → Okta API Scopes → Grant (Super Admins only), or the grants API below."],
                Some("Grant okta.users.read to the app."),
            ),
            (
                &["API token: find its creator (the token list shows each token's userId) and check that admin's roles and resource sets; use a token created by an admin who has them."],
                Some("API token: find its creator and check that admin's roles and resource sets."),
            ),
            (
                &["Service apps: check Admin Console → Settings → Features for early-access features and the org's engine, Identity Engine or Classic, then retry."],
                Some("Check Admin Console → Settings → Features for early-access features and the org's engine, Identity Engine or Classic, then retry."),
            ),
            (&["Check the header is exactly \"Authorization: SSWS <token>\"."], Some("Check the header is exactly \"Authorization: SSWS <token>\".")),
            (&[], None),
        ];
        for (fix, want) in cases {
            let f = finding("x.y", Severity::Error, fix, "");
            assert_eq!(generic_todo(&f).as_deref(), *want, "{fix:?}");
        }
    }

    #[test]
    fn family_choices_win_and_a_note_without_steps_says_there_is_nothing_to_fix() {
        let mut note = finding(
            "jwt.okta_access_token",
            Severity::Info,
            &[],
            "An access token.",
        );
        write(&mut note);
        assert_eq!(note.todo.as_deref(), Some("Nothing to fix."));
        assert_eq!(note.why.as_deref(), Some("An access token."));
        let mut idx = finding(
            "idx.errors.E0000004",
            Severity::Error,
            &["Follow the okta_error.E0000004 finding's steps."],
            "",
        );
        write(&mut idx);
        assert_eq!(
            idx.todo.as_deref(),
            Some("Fix the Okta error E0000004: its card says how.")
        );
        assert_eq!(idx.why, None, "no detail, no why");
        let mut worded = finding("x.y", Severity::Error, &["Do this."], "Because.");
        worded.todo = Some("The family's own line.".into());
        write(&mut worded);
        assert_eq!(worded.todo.as_deref(), Some("The family's own line."));
    }

    #[test]
    fn the_why_is_two_sentences_of_explanation_without_raw_numbers() {
        let cases = [
            ("One. Two. Three.", "One. Two."),
            (
                "Okta said \"Too many.\" It resets soon. More.",
                "Okta said \"Too many.\" It resets soon.",
            ),
            (
                "exp is 2016-06-28T21:18:14Z (1467148694). It is gone.",
                "exp is 2016-06-28T21:18:14Z. It is gone.",
            ),
            (
                "The window resets in Reset − now + 1 s = 42 s. Wait.",
                "Wait.",
            ),
            (
                "It failed. Okta's internal code for this text is x_y. Retry.",
                "It failed. Retry.",
            ),
            (
                "Use okta.users.read, e.g. for a list. Done.",
                "Use okta.users.read, e.g. for a list. Done.",
            ),
        ];
        for (detail, want) in cases {
            assert_eq!(generic_why(detail).as_deref(), Some(want), "{detail}");
        }
        let long = format!("{}. {}.", "a".repeat(200), "B".repeat(200));
        assert_eq!(generic_why(&long), Some(format!("{}.", "a".repeat(200))));
        assert_eq!(generic_why(""), None);
    }
}
