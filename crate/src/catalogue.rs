//! The embedded catalogues' common ground: tab-separated rows (`#` comments, one record per
//! line, as `tools/extract-error-catalogues.py` writes them) and Okta's message templates,
//! whose `{0}`, `{1}` … slots hold runtime text (okta.md §1.1, §2.3). Matching is lenient only
//! where Okta itself is inconsistent: surrounding whitespace, runs of spaces and trailing
//! periods (`The access token is invalid` vs `…invalid.`; OC's `invalid_nonce` ends in `..`).

/// A catalogue of `crate/data`, embedded without its `#` comment lines (build.rs strips them;
/// [`rows`] would skip them anyway): `data!("okta_errors.tsv")`.
macro_rules! data {
    ($name:literal) => {
        include_str!(concat!(env!("OUT_DIR"), "/data/", $name))
    };
}
pub(crate) use data;

/// [`data!`] for a catalogue whose columns the service worker's module partly leaves out
/// (build.rs, catalogue/projection.rs): the embedded text; in the crate's tests, on a thread
/// inside `catalogue::sw::with`, that text as the `sw` module embeds it. Its table is held in a [`Parsed`].
macro_rules! read {
    ($name:literal) => {
        $crate::catalogue::as_embedded($name, $crate::catalogue::data!($name))
    };
}
pub(crate) use read;

#[cfg(test)]
mod projection;
#[cfg(test)]
pub(crate) mod sw;

/// The text a module embeds for `name`: `full` itself (build.rs has already emptied the
/// columns the `sw` module never reads).
#[cfg(not(test))]
#[inline(always)]
pub(crate) fn as_embedded(_name: &str, full: &'static str) -> &'static str {
    full
}

#[cfg(test)]
pub(crate) use sw::as_embedded;

/// A table parsed once from a [`read!`] catalogue: a `OnceLock`; in the crate's tests one per
/// data set (the full files, the `sw` module's copies), so both can be read in one process.
pub(crate) struct Parsed<T> {
    full: std::sync::OnceLock<T>,
    #[cfg(test)]
    sw: std::sync::OnceLock<T>,
}

impl<T> Parsed<T> {
    pub(crate) const fn new() -> Self {
        Parsed {
            full: std::sync::OnceLock::new(),
            #[cfg(test)]
            sw: std::sync::OnceLock::new(),
        }
    }

    /// The table, parsed by `init` the first time.
    pub(crate) fn get_or_init(&self, init: impl FnOnce() -> T) -> &T {
        #[cfg(test)]
        if sw::on() {
            return self.sw.get_or_init(init);
        }
        self.full.get_or_init(init)
    }
}

/// The non-comment, non-empty lines of a TSV catalogue, split on tabs.
pub fn rows(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').collect())
}

/// A TSV cell where `-` means "none".
pub fn cell<'a>(row: &[&'a str], i: usize) -> Option<&'a str> {
    row.get(i).copied().filter(|c| !c.is_empty() && *c != "-")
}

/// Whitespace collapsed, trailing periods and spaces dropped: the form texts are compared in.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    while out.ends_with('.') || out.ends_with(' ') {
        out.pop();
    }
    out
}

/// True when a template has runtime slots (`{0}`, `{1}` …).
pub fn has_slots(template: &str) -> bool {
    pieces(template).len() > 1
}

/// The literal pieces between slots: `a {0} b {1}` → `["a ", " b ", ""]`.
fn pieces(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = template;
    let mut start = 0;
    let mut i = 0;
    let bytes = template.as_bytes();
    while i < bytes.len() {
        if bytes.get(i) == Some(&b'{') {
            let digits = bytes
                .get(i + 1..)
                .unwrap_or_default()
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            if digits > 0 && bytes.get(i + 1 + digits) == Some(&b'}') {
                out.push(template.get(start..i).unwrap_or_default());
                i += digits + 2;
                start = i;
                continue;
            }
        }
        i += 1;
    }
    rest = rest.get(start..).unwrap_or_default();
    out.push(rest);
    out
}

/// Matches `text` against `template`; `Some(captures)` (one per slot, in order) when it fits.
/// Both sides are normalised first. Slots match any text, including none; literal pieces are
/// found leftmost-first, which finds a match whenever one exists (slots are plain wildcards).
pub fn matches(template: &str, text: &str) -> Option<Vec<String>> {
    // Okta's text as the catalogue has it (a storm's every response): equal before normalising
    // is equal after, and a template without `{` has no slot to capture.
    if template == text && !template.contains('{') {
        return Some(Vec::new());
    }
    let template = normalise(template);
    let text = normalise(text);
    let parts = pieces(&template);
    let (first, rest) = parts.split_first()?;
    let mut pos = text.strip_prefix(first).map(|_| first.len())?;
    let Some((last, middle)) = rest.split_last() else {
        return (pos == text.len()).then(Vec::new);
    };
    let mut captures = Vec::with_capacity(rest.len());
    for piece in middle {
        let hay = text.get(pos..)?;
        let at = hay.find(piece)?;
        captures.push(hay.get(..at)?.to_string());
        pos += at + piece.len();
    }
    let tail = text.get(pos..)?;
    if !tail.ends_with(last) {
        return None;
    }
    captures.push(tail.get(..tail.len() - last.len())?.to_string());
    Some(captures)
}

/// A catalogue template fit to be a title (our data, never the runtime text): its runtime
/// slots shown as `…`, without a final full stop. `None` when it is mostly slots or too long.
pub fn headline(template: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = template.trim();
    while let Some(open) = rest.find('{') {
        let close = rest.get(open..).and_then(|r| r.find('}')).map(|c| open + c);
        let Some(close) = close else { break };
        out.push_str(rest.get(..open)?);
        out.push('…');
        rest = rest.get(close + 1..)?;
    }
    out.push_str(rest);
    let out = out.trim().trim_end_matches('.').to_string();
    let literal = out.chars().filter(|c| c.is_alphabetic()).count();
    (literal >= 8 && out.chars().count() <= 110).then_some(out)
}

/// Runtime text for a report: control characters become spaces and anything past `max`
/// characters is cut (with `…`). Descriptions carry the useful part at the end, so they get
/// more room than a title.
pub fn shown(text: &str, max: usize) -> String {
    // Nearly always already one short line: copied as it is (no more bytes than `max`, so no
    // more characters; nothing to trim or replace).
    if text.len() <= max && text.trim().len() == text.len() && !text.contains(char::is_control) {
        return text.to_string();
    }
    let one_line: String = text
        .trim()
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if one_line.chars().count() > max {
        let cut: String = one_line.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    } else {
        one_line
    }
}

/// Fills `{0}`, `{1}` … in our own advice texts with the captured runtime values.
pub fn fill(text: &str, captures: &[String]) -> String {
    let mut out = text.to_string();
    for (i, c) in captures.iter().enumerate() {
        out = out.replace(&format!("{{{i}}}"), c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast path for a text equal to its slotless template answers as the normalising one
    /// does (a text with the same words, spaced otherwise, takes that path).
    #[test]
    fn an_exact_text_matches_as_a_normalised_one() {
        let texts = [
            "Invalid token provided",
            "API call exceeded rate limit due to too many requests.",
            "Not found: Resource not found: me (User)",
            "",
            "{0}",
            "a {0} b",
        ];
        for t in texts {
            let spaced = format!(" {} ", t.replace(' ', "  "));
            assert_eq!(matches(t, t), matches(t, &spaced), "{t}");
        }
        assert_eq!(matches("a {0} b", "a {0} b"), Some(vec!["{0}".to_string()]));
    }

    #[test]
    fn template_table() {
        let cases: &[(&str, &str, Option<&[&str]>)] = &[
            ("Invalid token provided", "Invalid token provided", Some(&[])),
            ("Invalid token provided", "Invalid token provided.", Some(&[])),
            ("Invalid token provided", "Invalid  token provided ", Some(&[])),
            ("Invalid token provided", "Invalid token", None),
            (
                "Not found: {0}",
                "Not found: Resource not found: me (Session)",
                Some(&["Resource not found: me (Session)"]),
            ),
            (
                "The client is not authorized to use the provided grant type. Configured grant types: [{0}].",
                "The client is not authorized to use the provided grant type. Configured grant types: [refresh_token, implicit, authorization_code].",
                Some(&["refresh_token, implicit, authorization_code"]),
            ),
            (
                "You can't {0} {1} because its Trust claims setting isn't enabled on any other identity provider. To {0} this identity provider",
                "You can't delete Acme IdP because its Trust claims setting isn't enabled on any other identity provider. To delete this identity provider",
                Some(&["delete", "Acme IdP", "delete"]),
            ),
            ("{0}", "anything at all", Some(&["anything at all"])),
            ("{0}.", "x", Some(&["x"])),
            ("Api validation failed: {0}", "Api validation failed", None),
            ("a {0} b", "a b", None),
            ("a {0} b", "a  b", None),
            ("a {0} b", "a x b", Some(&["x"])),
            ("{x} literal", "{x} literal", Some(&[])),
            ("", "", Some(&[])),
        ];
        for (t, s, want) in cases {
            let got = matches(t, s);
            let want: Option<Vec<String>> = want.map(|w| w.iter().map(|x| x.to_string()).collect());
            assert_eq!(got, want, "{t:?} ~ {s:?}");
        }
    }

    #[test]
    fn helpers() {
        assert!(has_slots("Denied scopes: [{0}]."));
        assert!(!has_slots("No client credentials found."));
        assert!(!has_slots("{x}"));
        assert_eq!(normalise(" a \t b.. "), "a b");
        assert_eq!(
            fill("Use {0} or {1}.", &["a".into(), "b".into()]),
            "Use a or b."
        );
        assert_eq!(shown("a\nb", 10), "a b");
        assert_eq!(shown("abcdef", 4), "abc…");
        let rows: Vec<Vec<&str>> = rows("# c\n\na\tb\n-\tc\n").collect();
        assert_eq!(rows, vec![vec!["a", "b"], vec!["-", "c"]]);
        assert_eq!(cell(&rows[1], 0), None);
        assert_eq!(cell(&rows[1], 1), Some("c"));
        assert_eq!(cell(&rows[1], 9), None);
    }
}
