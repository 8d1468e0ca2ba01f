//! `okta-medic`: the core on the command line. `curl -si … | okta-medic`, a file, or
//! `okta-medic har FILE` for a browser's HAR export (streamed; `--redact` sanitises it).
//! Human-readable by default (colour on a terminal), the Report as JSON with `--json`.
//! Exit 0 when the input was analysed, 1 when `--fail-on` finds a finding at or above its
//! severity, 2 on a usage or I/O error (args.rs declares the command line).

#![cfg_attr(
    test,
    allow(
        clippy::indexing_slicing,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic
    )
)]

mod args;
mod har;
mod render;

use std::io::{IsTerminal, Read, Write};
use std::path::Path;

use args::{Cli, Command, FailOn, HarArgs, Output, Parsed, TextArgs};
use okta_medic::{Report, Trusted};

/// The hosts commands may name besides Okta's: every `--domain`, and the host of the
/// `OKTA_DOMAIN` environment variable (the variable the commands themselves use).
fn trusted(domains: &[String], okta_domain: Option<String>) -> Trusted {
    let mut all = domains.to_vec();
    all.extend(okta_domain.filter(|d| !d.trim().is_empty()));
    Trusted::parse(&all)
}

fn env_domain() -> Option<String> {
    std::env::var("OKTA_DOMAIN").ok()
}

/// `-` (or no FILE) is standard input.
fn is_stdin(file: Option<&Path>) -> bool {
    file.is_none_or(|f| f == Path::new("-"))
}

fn read_input(file: Option<&Path>) -> Result<String, String> {
    let limit = okta_medic::input::MAX_INPUT_BYTES as u64 + 1;
    let mut bytes = Vec::new();
    match file.filter(|_| !is_stdin(file)) {
        None => {
            if std::io::stdin().is_terminal() {
                // Typed or pasted at the prompt: say so, rather than wait in silence.
                eprintln!("okta-medic: reading standard input: paste a token, an error body or curl -si output, then press Ctrl-D (okta-medic --help for more).");
            }
            std::io::stdin().take(limit).read_to_end(&mut bytes)
        }
        Some(path) => std::fs::File::open(path)
            .map_err(|e| format!("cannot open {}: {e}", path.display()))?
            .take(limit)
            .read_to_end(&mut bytes),
    }
    .map_err(|e| format!("cannot read input: {e}"))?;
    // Invalid UTF-8 is replaced (U+FFFD), as a browser's TextDecoder does: the core still reports.
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn open(file: &Path) -> Result<Box<dyn Read>, String> {
    if is_stdin(Some(file)) {
        return Ok(Box::new(std::io::stdin()));
    }
    std::fs::File::open(file)
        .map(|f| Box::new(f) as Box<dyn Read>)
        .map_err(|e| format!("cannot open {}: {e}", file.display()))
}

/// `okta-medic har`: the report of a HAR, or (`--redact`) a copy safe to share.
fn run_har(args: HarArgs) -> Result<i32, String> {
    let input = open(&args.file)?;
    if args.redact {
        let mut sink = har::Redact::new(std::io::BufWriter::new(std::io::stdout().lock()));
        har::stream(input, &mut sink)?;
        let receipt = sink.finish()?;
        let mut err = std::io::stderr().lock();
        let _ = writeln!(
            err,
            "okta-medic: redacted {} values:",
            receipt.redactions.len()
        );
        for r in &receipt.redactions {
            let _ = writeln!(err, "  {}: {}", r.location, r.what);
        }
        if let Some(path) = &args.receipt {
            let text = serde_json::to_string_pretty(&receipt).map_err(|e| e.to_string())?;
            std::fs::write(path, text)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
        return Ok(args::EXIT_OK);
    }
    let analysis = okta_medic::har::Analysis {
        trusted: trusted(&args.domains.hosts, env_domain()),
        ..Default::default()
    };
    let mut sink = har::Analyse::new(analysis);
    har::stream(input, &mut sink)?;
    let (report, requests) = sink.finish();
    print_report(&report, &args.output, &requests);
    Ok(FailOn::status(args.output.fail_on, report.severity))
}

/// The default command: a token, error body or transcript from FILE or standard input.
fn run_text(args: TextArgs) -> Result<i32, String> {
    let text = read_input(args.file.as_deref())?;
    let now = args.now.unwrap_or_else(now);
    let trusted = trusted(&args.domains.hosts, env_domain());
    let report = match &args.jwks {
        Some(path) => {
            let keys = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            okta_medic::signature::analyze_with_jwks(&text, now, &keys, &trusted)
        }
        None => okta_medic::analyze_text_trusting(&text, now, &trusted),
    };
    print_report(&report, &args.output, &[]);
    Ok(FailOn::status(args.output.fail_on, report.severity))
}

/// The report, then (in text) the sign-in story and the request table of a HAR's Okta requests.
fn print_report(report: &Report, output: &Output, requests: &[okta_medic::digest::RequestRef]) {
    let rendered = if output.json {
        let mut s = serde_json::to_string_pretty(report).unwrap_or_default();
        s.push('\n');
        s
    } else {
        let color = output.color.resolve(
            std::io::stdout().is_terminal(),
            std::env::var_os("NO_COLOR").as_deref(),
        );
        let style = render::Style::for_stdout(color);
        let flows = report.flows.as_deref().unwrap_or_default();
        render::human(report, &style)
            + &render::story(flows, &style)
            + &render::requests(requests, &style)
    };
    // A closed pipe (`| head`) is not an error worth reporting.
    let _ = std::io::stdout().lock().write_all(rendered.as_bytes());
}

fn run(cli: Cli) -> Result<i32, String> {
    match cli.command {
        Some(Command::Har(args)) => run_har(args),
        Some(Command::Completions { shell }) => {
            // A closed pipe (`| head`) is not an error worth reporting.
            let _ = std::io::stdout()
                .lock()
                .write_all(&args::completions(shell));
            Ok(args::EXIT_OK)
        }
        None => run_text(cli.text),
    }
}

fn main() {
    let status = match args::parse(std::env::args_os()) {
        Parsed::Run(cli) => run(*cli).unwrap_or_else(|message| {
            eprintln!("okta-medic: {message}");
            args::EXIT_USAGE
        }),
        Parsed::Exit {
            stdout,
            stderr,
            status,
        } => {
            print!("{stdout}");
            eprint!("{stderr}");
            status
        }
    };
    let _ = std::io::stdout().flush();
    std::process::exit(status);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_output_is_inert() {
        assert_eq!(render::safe("a\x1b[31mb\u{7}"), "a�[31mb�");
    }

    #[test]
    fn trusted_hosts_are_the_domains_and_okta_domain() {
        let t = trusted(&["login.example.com".into()], Some("id.example.org".into()));
        assert!(!t.is_empty());
        assert!(trusted(&[], Some("  ".into())).is_empty());
    }
}
