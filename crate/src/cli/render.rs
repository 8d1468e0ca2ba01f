//! The CLI's text output: a report as a terminal shows it. The words are the core's; this only
//! lays them out — the severity and summary first with what to do now, the token's main claims,
//! then under each finding's title what to do now, its detail and steps wrapped to the terminal
//! with a hanging indent, and its commands on lines of their own at normal weight (never
//! wrapped, so they copy as they are).

mod story;

pub use story::story;

use okta_medic::digest::RequestRef;
use okta_medic::{report::Kept, Report, Severity};
use serde_json::Value;

/// How the output looks: colours (`--color`; main.rs decides) and the width to wrap to.
pub struct Style {
    pub color: bool,
    /// `None`: don't wrap (output to a pipe or a file keeps one line per paragraph).
    pub width: Option<usize>,
}

impl Style {
    /// For standard output: `color` as decided (`--color`, NO_COLOR); a terminal's width.
    pub fn for_stdout(color: bool) -> Style {
        use std::io::IsTerminal;
        let width = std::io::stdout()
            .is_terminal()
            .then(|| terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)))
            .flatten();
        Style { color, width }
    }

    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    fn severity(&self, s: Severity) -> String {
        let (label, code) = match s {
            Severity::Error => ("ERROR", "1;31"),
            Severity::Warning => ("WARNING", "1;33"),
            Severity::Info => ("INFO", "1;36"),
            Severity::Ok => ("OK", "1;32"),
        };
        self.paint(code, label)
    }

    /// `text` after `first` (the first line's indent or list marker), continued under
    /// `rest`, wrapped at word boundaries to the width; a word longer than a line stays whole.
    fn wrap(&self, first: &str, rest: &str, text: &str) -> String {
        let Some(width) = self.width else {
            return format!("{first}{text}\n");
        };
        let mut out = String::new();
        let mut line = String::from(first);
        let mut empty = true;
        for word in text.split_whitespace() {
            let len = line.chars().count();
            if !empty && len + 1 + word.chars().count() > width {
                out.push_str(&line);
                out.push('\n');
                line = String::from(rest);
                empty = true;
            }
            if !empty {
                line.push(' ');
            }
            line.push_str(word);
            empty = false;
        }
        out.push_str(&line);
        out.push('\n');
        out
    }
}

/// Strips control characters from text that came from the input, so a crafted claim cannot
/// drive the terminal (ESC sequences) when the report is printed.
pub fn safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() && c != '\n' {
                '�'
            } else {
                c
            }
        })
        .collect()
}

/// The claims a reader looks for first, in this order.
const MAIN_CLAIMS: &[&str] = &["sub", "aud", "scp", "cid", "iss", "exp"];

/// The token's main claims, one per line (`exp` with its date), when the report has a token.
fn claims(report: &Report, style: &Style) -> String {
    let Some(token) = report.token.as_ref().and_then(Kept::built) else {
        return String::new();
    };
    let Some(claims) = token.claims() else {
        return String::new();
    };
    let mut out = String::new();
    for &name in MAIN_CLAIMS {
        let Some(v) = claims.get(name) else { continue };
        let mut text = match v {
            Value::String(s) => s.clone(),
            Value::Array(a) => a
                .iter()
                .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string))
                .collect::<Vec<_>>()
                .join(" "),
            other => other.to_string(),
        };
        if let Some(time) = token.times().and_then(|t| t.get(name)) {
            text.push_str(&format!(" ({})", time.iso));
        }
        out.push_str(&style.wrap(&format!("  {name:<4} "), "       ", &safe(&text)));
    }
    if out.is_empty() {
        out
    } else {
        format!("\n{}\n{out}", style.paint("1", "Claims"))
    }
}

/// A report as the terminal shows it.
pub fn human(report: &Report, style: &Style) -> String {
    let mut out = String::new();
    out.push_str(&style.wrap(
        &format!("{} ", style.severity(report.severity)),
        "  ",
        &safe(&report.summary),
    ));
    if let Some(todo) = &report.todo {
        out.push_str(&style.wrap("  → ", "    ", &style.paint("1", &safe(todo))));
    }
    out.push_str(&claims(report, style));
    for f in &report.findings {
        // The ids folded into this cause stay greppable beside its own.
        let folded = if f.folded.is_empty() {
            String::new()
        } else {
            format!("; folded: {}", safe(&f.folded.join(", ")))
        };
        out.push_str(&format!(
            "\n{} {}  [{}{folded}]\n",
            style.severity(f.severity),
            style.paint("1", &safe(&f.title)),
            f.id
        ));
        if let Some(todo) = &f.todo {
            out.push_str(&style.wrap("  → ", "    ", &style.paint("1", &safe(todo))));
        }
        if !f.detail.is_empty() {
            out.push_str(&style.wrap("  ", "  ", &safe(&f.detail)));
        }
        if let Some(q) = &f.quote {
            out.push_str(&format!("  {}:\n", safe(&q.label)));
            out.push_str(&style.wrap("  > ", "    ", &safe(&q.text.replace('\n', " "))));
        }
        for (i, step) in f.fix.iter().enumerate() {
            let marker = format!("  {}. ", i + 1);
            let hang = " ".repeat(marker.chars().count());
            out.push_str(&style.wrap(&marker, &hang, &safe(step)));
        }
        for c in &f.commands {
            out.push_str(&style.wrap("  # ", "    ", &safe(&c.label)));
            out.push_str(&format!("  {}\n", safe(&c.command)));
        }
        if let Some(url) = &f.docs_url {
            out.push_str(&format!("  docs: {}\n", safe(url)));
        }
    }
    out
}

/// Every Okta request of a HAR, one line each: time, method, status, request id, path and the
/// ids of what was found (the System Log and Okta support take the request id).
pub fn requests(rows: &[RequestRef], style: &Style) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "\n{}\n",
        style.paint("1", &format!("Requests to Okta ({})", rows.len()))
    );
    for r in rows {
        let time = okta_medic::timestamp::iso8601((r.observed_at / 1000.0).floor() as i64);
        let status = r
            .status_code
            .map_or_else(|| "—".to_string(), |s| s.to_string());
        let line = format!(
            "{time} {:<6} {status:>3} {:<26} {}",
            r.method.as_deref().unwrap_or("GET"),
            r.request_id.as_deref().unwrap_or("(no request id)"),
            r.url.as_deref().map(path_of).unwrap_or_default(),
        );
        let ids = r
            .finding_ids
            .iter()
            .filter(|_| r.severity >= Severity::Warning)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        out.push_str(&style.wrap("  ", "      ", &safe(&line)));
        if !ids.is_empty() {
            out.push_str(&style.wrap(
                "      ",
                "      ",
                &format!("{} {}", style.severity(r.severity), safe(&ids)),
            ));
        }
    }
    out
}

/// A URL's path and query (the host is the org's; the table shows what differs per request).
fn path_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    match rest.find('/') {
        Some(i) => rest.get(i..).unwrap_or(rest).to_string(),
        None => "/".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(width: Option<usize>) -> Style {
        Style {
            color: false,
            width,
        }
    }

    #[test]
    fn wraps_with_a_hanging_indent_and_keeps_long_words_whole() {
        let s = plain(Some(20));
        assert_eq!(
            s.wrap(
                "  1. ",
                "     ",
                "Assign the user to the app in the Admin Console"
            ),
            "  1. Assign the user\n     to the app in\n     the Admin\n     Console\n"
        );
        let long = "https://dev-1.okta.com/oauth2/default/v1/keys";
        assert_eq!(s.wrap("  ", "  ", long), format!("  {long}\n"));
        assert_eq!(
            plain(None).wrap("  ", "    ", "one line, however long"),
            "  one line, however long\n"
        );
        assert!(s
            .wrap(
                "  ",
                "  ",
                "a b c d e f g h i j k l m n o p q r s t u v w x y z"
            )
            .lines()
            .all(|l| l.chars().count() <= 20));
    }

    #[test]
    fn commands_are_whole_lines_at_normal_weight_and_claims_come_first() {
        let report = okta_medic::analyze_text(
            "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJ2ZXIiOjEsImp0aSI6IkFULmFiYyIsImlzcyI6Imh0dHBzOi8vZGV2LTEub2t0YS5jb20vb2F1dGgyL2RlZmF1bHQiLCJhdWQiOiJhcGk6Ly9kZWZhdWx0IiwiaWF0IjoxNzUwMDAwMDAwLCJleHAiOjE3NTAwMDM2MDAsImNpZCI6IjBvYTEiLCJ1aWQiOiIwMHUxIiwic2NwIjpbIm9wZW5pZCIsImVtYWlsIl0sInN1YiI6ImFAZXhhbXBsZS5jb20ifQ.c2ln",
            1_750_000_100,
        );
        let colored = Style {
            color: true,
            width: Some(60),
        };
        let text = human(&report, &colored);
        for c in report.findings.iter().flat_map(|f| &f.commands) {
            assert!(
                text.contains(&format!("\n  {}\n", c.command)),
                "{}",
                c.command
            );
        }
        assert!(!text.contains("\x1b[2m"), "nothing is printed dim");
        let claims_at = text.find("Claims").unwrap_or(usize::MAX);
        let first_finding = text
            .find(&format!("[{}]", report.findings[0].id))
            .unwrap_or(0);
        assert!(
            claims_at < first_finding,
            "the claims come before the findings"
        );
        for line in [
            "  sub  a@example.com",
            "  scp  openid email",
            "  cid  0oa1",
            "  exp  1750003600 (2025-06-15T16:06:40Z)",
        ] {
            assert!(text.contains(line), "{line} in:\n{text}");
        }
    }

    #[test]
    fn the_action_comes_first_under_the_summary_and_under_each_title() {
        let report = okta_medic::analyze_text(
            r#"{"errorCode":"E0000011","errorSummary":"Invalid token provided","errorLink":"E0000011","errorId":"oae1","errorCauses":[]}"#,
            1_750_000_000,
        );
        let text = human(&report, &plain(None));
        let lines: Vec<&str> = text.lines().collect();
        let todo = report.todo.clone().unwrap_or_default();
        assert!(!todo.is_empty());
        assert_eq!(lines.get(1).copied(), Some(format!("  → {todo}").as_str()));
        for f in &report.findings {
            let title = lines
                .iter()
                .position(|l| l.ends_with(&format!("[{}]", f.id)))
                .unwrap_or(usize::MAX);
            let want = format!("  → {}", f.todo.clone().unwrap_or_default());
            assert_eq!(lines.get(title + 1).copied(), Some(want.as_str()), "{text}");
        }
    }

    #[test]
    fn the_request_table_lists_every_request_id_and_the_failures_ids() {
        let row = |i: u16, status: u16, sev: Severity| RequestRef {
            observed_at: 1_750_000_000_000.0 + f64::from(i) * 1000.0,
            method: Some("GET".into()),
            url: Some(format!("https://dev-1.okta.com/api/v1/users?after={i}")),
            status_code: Some(status),
            request_id: Some(format!("req{i}")),
            severity: sev,
            finding_ids: vec!["rate_limit.exceeded".into(), "http.request_id".into()],
            folded_ids: Vec::new(),
        };
        let rows = [row(1, 200, Severity::Info), row(2, 429, Severity::Error)];
        let text = requests(&rows, &plain(None));
        assert!(text.contains("Requests to Okta (2)"));
        assert!(text.contains("2025-06-15T15:06:41Z GET    200 req1"));
        assert!(text.contains("req2") && text.contains("/api/v1/users?after=2"));
        assert_eq!(
            text.matches("rate_limit.exceeded").count(),
            1,
            "only the failed request lists ids"
        );
        assert_eq!(requests(&[], &plain(None)), "");
    }
}
