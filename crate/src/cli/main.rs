//! `okta-medic`: the core on the command line. `curl -si … | okta-medic`, a file, or
//! `okta-medic har FILE` for a browser's HAR export (streamed; `--redact` sanitises it).
//! Human-readable by default (colour on a terminal), the Report as JSON with `--json`.
//! Exit 0 when the input was analysed, 2 on a usage or I/O error.

#![cfg_attr(
    test,
    allow(
        clippy::indexing_slicing,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic
    )
)]

mod har;
mod render;

use std::io::{IsTerminal, Read, Write};

use okta_medic::{Report, Trusted};

const USAGE: &str = "\
Usage: okta-medic [--json] [--now EPOCH_SECONDS] [--jwks JWKS_FILE] [--domain HOST]... [FILE|-]
       okta-medic har [--json] [--domain HOST]... FILE
       okta-medic har --redact [--receipt RECEIPT_JSON] FILE > clean.har

Explains an Okta token, error body, OAuth error, rate-limit headers or `curl -si` output.
Reads FILE, or standard input when FILE is `-` or absent. Everything stays on this machine.

Options:
  --json                 print the Report as JSON
  --now EPOCH_SECONDS    the time to judge expiry against (default: this machine's clock)
  --jwks JWKS_FILE       verify a JWT's signature with these keys (save them first:
                         curl -g -s https://$OKTA_DOMAIN/oauth2/default/v1/keys > keys.json)
  --domain HOST          your org's custom domain (login.example.com or *.example.com);
                         repeat for several. Commands name a host from the input only
                         when it is Okta's (*.okta.com, *.oktapreview.com…), one of these,
                         or the host of $OKTA_DOMAIN; otherwise they use $OKTA_DOMAIN or
                         $OKTA_ISSUER and say why. Hosts must be reached over https.
  -h, --help             show this help
  -V, --version          show the version

HAR files (exported from the browser's Network panel) are read entry by entry, so
large ones fit in little memory. `har --redact` writes a copy safe to attach to a support
ticket: JWT signatures removed (claims kept); tokens, codes and cookies replaced by short
digests; passwords, secrets and SAML messages masked; unreadable bodies and members outside the
HAR 1.2 spec removed; errorId, request ids and every other value kept byte for byte. It lists
what it redacted on standard error.

Examples:
  curl -si https://$OKTA_DOMAIN/api/v1/users/me -H \"Authorization: SSWS $OKTA_API_TOKEN\" | okta-medic
  okta-medic --json --now 1750000000 token.txt
  okta-medic har --redact session.har > clean.har
";

struct Args {
    json: bool,
    now: Option<i64>,
    jwks: Option<String>,
    domains: Vec<String>,
    file: Option<String>,
}

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

/// `--domain HOST` / `--domain=HOST`; `Ok(None)` when `a` is another argument.
fn domain_arg(a: &str, args: &mut dyn Iterator<Item = String>) -> Result<Option<String>, String> {
    let value = match a.strip_prefix("--domain=") {
        Some(v) => v.to_string(),
        None if a == "--domain" => args
            .next()
            .ok_or("--domain needs a host (login.example.com)")?,
        None => return Ok(None),
    };
    if Trusted::parse(&[&value]).is_empty() {
        return Err(format!(
            "--domain: not a host name: {value} (login.example.com or *.example.com)"
        ));
    }
    Ok(Some(value))
}

enum Parsed {
    Run(Args),
    Exit(String),
}

fn parse_args(args: impl Iterator<Item = String>) -> Result<Parsed, String> {
    let mut out = Args {
        json: false,
        now: None,
        jwks: None,
        domains: Vec::new(),
        file: None,
    };
    let mut args = args.peekable();
    while let Some(a) = args.next() {
        if let Some(d) = domain_arg(&a, &mut args)? {
            out.domains.push(d);
            continue;
        }
        match a.as_str() {
            "-h" | "--help" => return Ok(Parsed::Exit(USAGE.to_string())),
            "-V" | "--version" => {
                return Ok(Parsed::Exit(format!(
                    "okta-medic {}\n",
                    okta_medic::VERSION
                )))
            }
            "--json" => out.json = true,
            "--jwks" => {
                out.jwks = Some(args.next().ok_or("--jwks needs a file (a JWKS document)")?)
            }
            "--now" => {
                let v = args.next().ok_or("--now needs a value (epoch seconds)")?;
                out.now = Some(
                    v.parse()
                        .map_err(|_| format!("--now: not a whole number of seconds: {v}"))?,
                );
            }
            s if s.starts_with("--now=") => {
                let v = s.trim_start_matches("--now=");
                out.now = Some(
                    v.parse()
                        .map_err(|_| format!("--now: not a whole number of seconds: {v}"))?,
                );
            }
            s if s.starts_with('-') && s != "-" => {
                return Err(format!("unknown option {s} (see --help)"))
            }
            s => {
                if out.file.replace(s.to_string()).is_some() {
                    return Err("only one FILE may be given".to_string());
                }
            }
        }
    }
    Ok(Parsed::Run(out))
}

fn read_input(file: Option<&str>) -> Result<String, String> {
    let limit = okta_medic::input::MAX_INPUT_BYTES as u64 + 1;
    let mut bytes = Vec::new();
    match file {
        None | Some("-") => {
            if std::io::stdin().is_terminal() {
                // Typed or pasted at the prompt: say so, rather than wait in silence.
                eprintln!("okta-medic: reading standard input: paste a token, an error body or curl -si output, then press Ctrl-D (okta-medic --help for more).");
            }
            std::io::stdin().take(limit).read_to_end(&mut bytes)
        }
        Some(path) => std::fs::File::open(path)
            .map_err(|e| format!("cannot open {path}: {e}"))?
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

struct HarArgs {
    json: bool,
    redact: bool,
    receipt: Option<String>,
    domains: Vec<String>,
    file: String,
}

fn parse_har_args(args: impl Iterator<Item = String>) -> Result<HarArgs, String> {
    let (mut json, mut redact, mut receipt, mut file) = (false, false, None, None);
    let mut domains = Vec::new();
    let mut args = args.peekable();
    while let Some(a) = args.next() {
        if let Some(d) = domain_arg(&a, &mut args)? {
            domains.push(d);
            continue;
        }
        match a.as_str() {
            "--json" => json = true,
            "--redact" => redact = true,
            "--receipt" => receipt = Some(args.next().ok_or("--receipt needs a file to write")?),
            s if s.starts_with('-') && s != "-" => {
                return Err(format!("har: unknown option {s} (see --help)"))
            }
            s => {
                if file.replace(s.to_string()).is_some() {
                    return Err("har: only one FILE may be given".to_string());
                }
            }
        }
    }
    let file = file.ok_or("har: which file? (okta-medic har FILE)")?;
    if receipt.is_some() && !redact {
        return Err("har: --receipt goes with --redact".to_string());
    }
    Ok(HarArgs {
        json,
        redact,
        receipt,
        domains,
        file,
    })
}

fn open(file: &str) -> Result<Box<dyn Read>, String> {
    if file == "-" {
        return Ok(Box::new(std::io::stdin()));
    }
    std::fs::File::open(file)
        .map(|f| Box::new(f) as Box<dyn Read>)
        .map_err(|e| format!("cannot open {file}: {e}"))
}

fn run_har(args: HarArgs) -> Result<(), String> {
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
            std::fs::write(path, text).map_err(|e| format!("cannot write {path}: {e}"))?;
        }
        return Ok(());
    }
    let analysis = okta_medic::har::Analysis {
        trusted: trusted(&args.domains, env_domain()),
        ..Default::default()
    };
    let mut sink = har::Analyse::new(analysis);
    har::stream(input, &mut sink)?;
    let (report, requests) = sink.finish();
    print_report_with(&report, args.json, &requests);
    Ok(())
}

fn print_report(report: &Report, json: bool) {
    print_report_with(report, json, &[]);
}

/// The report, then (in text) the request table of a HAR's Okta requests.
fn print_report_with(report: &Report, json: bool, requests: &[okta_medic::digest::RequestRef]) {
    let rendered = if json {
        let mut s = serde_json::to_string_pretty(report).unwrap_or_default();
        s.push('\n');
        s
    } else {
        let style = render::Style::for_stdout();
        let flows = report.flows.as_deref().unwrap_or_default();
        render::human(report, &style)
            + &render::story(flows, &style)
            + &render::requests(requests, &style)
    };
    // A closed pipe (`| head`) is not an error worth reporting.
    let _ = std::io::stdout().lock().write_all(rendered.as_bytes());
}

fn run() -> Result<(), String> {
    let mut argv = std::env::args().skip(1).peekable();
    if argv.peek().map(String::as_str) == Some("har") {
        argv.next();
        return run_har(parse_har_args(argv)?);
    }
    let args = match parse_args(argv)? {
        Parsed::Exit(text) => {
            print!("{text}");
            return Ok(());
        }
        Parsed::Run(a) => a,
    };
    let text = read_input(args.file.as_deref())?;
    let now = args.now.unwrap_or_else(now);
    let trusted = trusted(&args.domains, env_domain());
    let report = match &args.jwks {
        Some(path) => {
            let keys =
                std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
            okta_medic::signature::analyze_with_jwks(&text, now, &keys, &trusted)
        }
        None => okta_medic::analyze_text_trusting(&text, now, &trusted),
    };
    print_report(&report, args.json);
    Ok(())
}

fn main() {
    if let Err(message) = run() {
        eprintln!("okta-medic: {message}");
        std::process::exit(2);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Parsed, String> {
        parse_args(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn argument_table() {
        assert!(matches!(
            parse(&["--json", "--now", "5", "f"]),
            Ok(Parsed::Run(Args {
                json: true,
                now: Some(5),
                ..
            }))
        ));
        assert!(matches!(
            parse(&["--now=7"]),
            Ok(Parsed::Run(Args {
                now: Some(7),
                file: None,
                ..
            }))
        ));
        assert!(matches!(
            parse(&["-"]),
            Ok(Parsed::Run(Args { file: Some(_), .. }))
        ));
        assert!(matches!(parse(&["--help"]), Ok(Parsed::Exit(_))));
        assert!(matches!(parse(&["--version"]), Ok(Parsed::Exit(_))));
        for bad in [&["--now"][..], &["--now", "x"], &["--bogus"], &["a", "b"]] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn terminal_output_is_inert() {
        assert_eq!(render::safe("a\x1b[31mb\u{7}"), "a�[31mb�");
    }
}
