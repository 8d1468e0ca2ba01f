//! Exports a person may paste into a support ticket or a chat: a Markdown snippet and a JSON
//! document made from any report (one pasted input, a HAR, a tab's timeline). Reports never
//! hold a credential (signatures dropped, secrets masked, URLs redacted), and the export says
//! so. Text from the input is escaped so it can't turn into links, images or HTML there.

use serde::Serialize;

use crate::report::{Kept, Report, Severity};

/// What every export states about its contents.
pub const REDACTION_NOTE: &str = "Made locally by Okta Medic. JWT signatures, SSWS and refresh tokens, client secrets, authorization codes, state, nonces, passwords and cookies are never included; errorId and request ids are kept for Okta support.";

/// Escapes Markdown and HTML metacharacters so attacker-controlled text stays text.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '(' | ')' | '#' | '+' | '-' | '.'
            | '!' | '|' | '~' | '>' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '&' => out.push_str("&amp;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Inline code that can't be broken out of: backticks and line breaks removed.
fn code(s: &str) -> String {
    let clean: String = s.chars().filter(|c| *c != '`' && !c.is_control()).collect();
    format!("`{clean}`")
}

fn label(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
        Severity::Ok => "ok",
    }
}

/// A Markdown support snippet: summary, findings with cause and fix, the ids support needs.
pub fn markdown(report: &Report) -> String {
    // Sealed again: the report may come from outside (the panel, an older stored report).
    let mut sealed = report.clone();
    crate::redact::seal(&mut sealed);
    let report = &sealed;
    let mut out = format!("### Okta Medic: {}\n\n", escape(&report.summary));
    out.push_str("| Severity | Finding | Id |\n|---|---|---|\n");
    for f in &report.findings {
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            label(f.severity),
            escape(&f.title),
            code(&f.id)
        ));
    }
    for f in report
        .findings
        .iter()
        .filter(|f| f.severity >= Severity::Warning)
    {
        out.push_str(&format!(
            "\n#### {}\n\n{}\n",
            escape(&f.title),
            escape(&f.detail)
        ));
        if let Some(q) = &f.quote {
            out.push_str(&format!(
                "\n{}:\n> {}\n\n",
                escape(&q.label),
                escape(&q.text)
            ));
        }
        for (i, step) in f.fix.iter().enumerate() {
            out.push_str(&format!("{}. {}\n", i + 1, escape(step)));
        }
        let ids: Vec<String> = f
            .evidence
            .iter()
            .filter(|e| {
                matches!(
                    e.name.as_ref(),
                    "errorId" | "X-Okta-Request-Id" | "errorCode"
                )
            })
            .map(|e| format!("{} {}", escape(&e.name), code(&e.value)))
            .collect();
        if !ids.is_empty() {
            out.push_str(&format!("\n{}\n", ids.join(", ")));
        }
    }
    if let Some(r) = &report.request {
        let mut line = Vec::new();
        if let (Some(m), Some(u)) = (&r.method, &r.url) {
            line.push(format!("{} {}", escape(m), code(u)));
        }
        if let Some(s) = r.status_code {
            line.push(format!("HTTP {s}"));
        }
        if let Some(id) = &r.request_id {
            line.push(format!("X\\-Okta\\-Request\\-Id {}", code(id)));
        }
        if !line.is_empty() {
            out.push_str(&format!("\nRequest: {}\n", line.join(", ")));
        }
    }
    let timeline = report.timeline.as_ref().and_then(Kept::read);
    let request_ids: Vec<String> = timeline
        .iter()
        .flat_map(|t| &t.digest.requests)
        .filter(|r| r.severity >= Severity::Warning)
        .filter_map(|r| r.request_id.as_deref())
        .map(code)
        .collect();
    if !request_ids.is_empty() {
        out.push_str(&format!(
            "\nFailed requests' ids: {}\n",
            request_ids.join(", ")
        ));
    }
    out.push_str(&format!("\n_{}_\n", escape(REDACTION_NOTE)));
    out
}

/// The JSON export of a report: who made it, what it never holds, and the report, sealed.
#[derive(Serialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct Json {
    pub exported_by: String,
    pub redaction: &'static str,
    pub report: Report,
}

/// [`json`] as indented text. Written compact, then laid out through a `serde_json::Value`:
/// the wasm then carries one serializer per report type (the compact one every answer uses)
/// instead of a second, indenting one (measured with `node bench/size-budget.mjs`: see the
/// commit). Key order is kept (`preserve_order`).
pub fn json_text(report: &Report) -> String {
    crate::report::compact::to_json(&json(report))
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_default()
}

/// The report as a JSON export, with the redaction note.
pub fn json(report: &Report) -> Json {
    let mut sealed = report.clone();
    crate::redact::seal(&mut sealed);
    Json {
        exported_by: format!("okta-medic {}", crate::VERSION),
        redaction: REDACTION_NOTE,
        report: sealed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_neutralises_markup() {
        let cases = [
            ("[click](https://evil)", "\\[click\\]\\(https://evil\\)"),
            (
                "<img src=x onerror=alert(1)>",
                "&lt;img src=x onerror=alert\\(1\\)\\>",
            ),
            ("a\nb", "a b"),
            ("plain words", "plain words"),
        ];
        for (input, want) in cases {
            assert_eq!(escape(input), want);
        }
        assert_eq!(code("a`b\nc"), "`abc`");
    }

    #[test]
    fn snippet_has_findings_and_ids_but_no_secrets() {
        let text = "HTTP/1.1 401 Unauthorized\nX-Okta-Request-Id: reqKeep\n\n{\"errorCode\":\"E0000011\",\"errorSummary\":\"Invalid token provided\",\"errorId\":\"oaeKeep\"}";
        let md = markdown(&crate::analyze_text(text, 0));
        assert!(md.contains("E0000011"), "{md}");
        assert!(md.contains("`reqKeep`"), "{md}");
        assert!(md.contains("`oaeKeep`"), "{md}");
        let token = "eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjF9.U0lHTkFUVVJFU0VDUkVU";
        let md = markdown(&crate::analyze_text(token, 0));
        assert!(!md.contains("U0lHTkFUVVJFU0VDUkVU"), "{md}");
        let j = serde_json::to_string(&json(&crate::analyze_text(token, 0))).unwrap_or_default();
        assert!(!j.contains("U0lHTkFUVVJFU0VDUkVU"));
        assert!(j.contains("never included"));
    }

    #[test]
    fn exports_seal_a_report_handed_in_from_outside() {
        // A report from JS or an older stored report may hold an unredacted URL.
        let mut report = crate::analyze_text("hello", 0);
        report.request = Some(crate::report::Request {
            method: Some("GET".into()),
            url: Some("https://a/login?stateToken=st1LEAK&x=1".into()),
            ..Default::default()
        });
        let md = markdown(&report);
        let j = serde_json::to_string(&json(&report)).unwrap_or_default();
        for out in [&md, &j] {
            assert!(!out.contains("st1LEAK"), "{out}");
            assert!(out.contains("stateToken=REDACTED"), "{out}");
        }
    }

    /// The indented export through a `Value` is byte for byte the one written directly, for
    /// every golden fixture's report (tokens, rate limits, HAR timelines).
    #[test]
    fn json_text_is_the_export_indented() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
        let mut seen = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let Ok(input) = std::fs::read(entry.unwrap().path().join("input.txt")) else {
                continue;
            };
            let report = crate::analyze_text(&String::from_utf8_lossy(&input), 1_750_000_000);
            let direct = serde_json::to_string_pretty(&json(&report)).unwrap();
            assert_eq!(json_text(&report), direct);
            seen += 1;
        }
        assert!(seen > 100, "{seen} fixtures");
    }
}
