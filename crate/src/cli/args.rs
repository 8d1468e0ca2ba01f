//! The command line `okta-medic` accepts, declared once with clap (derive): the options, their
//! help, `--opt VALUE` and `--opt=VALUE`, `--` ending the options, `--version`, and the shell
//! completions generated from the same declaration. Errors become one line on standard error
//! (`okta-medic: …`, exit 2), as they were before clap; `--help` and `--version` go to standard
//! output with exit 0.

use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use okta_medic::{Severity, Trusted};

/// The exit statuses, in one place (the help's "Exit status" and main.rs use these).
pub const EXIT_OK: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_USAGE: i32 = 2;

const AFTER_HELP: &str = "\
Exit status:
  0  the input was analysed (and, with --fail-on, no finding at or above that severity)
  1  --fail-on SEVERITY: a finding at or above SEVERITY was found
  2  a usage error, or input that could not be read (a missing file, a file that is not a HAR)

Examples:
  curl -si https://$OKTA_DOMAIN/api/v1/users/me -H \"Authorization: SSWS $OKTA_API_TOKEN\" | okta-medic
  okta-medic --json --now 1750000000 token.txt
  okta-medic --fail-on error response.txt || echo 'Okta said no'
  okta-medic har --redact session.har > clean.har
  okta-medic -- -odd-file-name.txt";

const HAR_AFTER_HELP: &str = "\
HAR files (exported from the browser's Network panel) are read entry by entry, so large ones
fit in little memory. `har --redact` writes a copy safe to attach to a support ticket: JWT
signatures removed (claims kept); tokens, codes and cookies replaced by short digests;
passwords, secrets and SAML messages masked; unreadable bodies and members outside the HAR 1.2
spec removed; errorId, request ids and every other value kept byte for byte. It lists what it
redacted on standard error.

Exit status: 0 analysed or redacted; 1 with --fail-on, a finding at or above it; 2 a usage
error, or a file that cannot be read or is not a HAR.

Examples:
  okta-medic har session.har
  okta-medic har --fail-on warning --json session.har > report.json
  okta-medic har --redact --receipt receipt.json session.har > clean.har";

/// Explains an Okta token, error body, OAuth error, rate-limit headers or `curl -si` output.
///
/// Reads FILE, or standard input when FILE is `-` or absent. Everything stays on this machine.
#[derive(Parser, Debug)]
#[command(
    name = "okta-medic",
    version,
    args_conflicts_with_subcommands = true,
    after_help = AFTER_HELP,
    disable_help_subcommand = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub text: TextArgs,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Analyse a HAR file (the browser's Network panel export), or redact it for a support ticket
    #[command(after_help = HAR_AFTER_HELP)]
    Har(HarArgs),
    /// Print a completion script for SHELL (e.g. `okta-medic completions bash > /etc/bash_completion.d/okta-medic`)
    Completions {
        /// The shell to complete for
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// A token, error body or transcript: the tool's default command.
#[derive(Args, Debug)]
pub struct TextArgs {
    #[command(flatten)]
    pub output: Output,
    /// The time to judge expiry against, in seconds since 1970 (default: this machine's clock)
    #[arg(long, value_name = "EPOCH_SECONDS", value_parser = epoch_seconds, allow_negative_numbers = true)]
    pub now: Option<i64>,
    /// Verify a JWT's signature with these keys (save them first:
    /// curl -g -s https://$OKTA_DOMAIN/oauth2/default/v1/keys > keys.json)
    #[arg(long, value_name = "JWKS_FILE")]
    pub jwks: Option<PathBuf>,
    #[command(flatten)]
    pub domains: Domains,
    /// The file to read; `-` or none: standard input
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct HarArgs {
    /// Write a copy safe to share to standard output instead of a report
    #[arg(long, conflicts_with_all = ["json", "fail_on"])]
    pub redact: bool,
    /// With --redact: also write what was redacted, as JSON, to RECEIPT_JSON
    #[arg(long, value_name = "RECEIPT_JSON", requires = "redact")]
    pub receipt: Option<PathBuf>,
    #[command(flatten)]
    pub output: Output,
    #[command(flatten)]
    pub domains: Domains,
    /// The HAR file to read (`-`: standard input)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

/// How a report is printed, and when the run fails: the same for text and HAR.
#[derive(Args, Debug)]
pub struct Output {
    /// Print the Report as JSON
    #[arg(long)]
    pub json: bool,
    /// Colour the text report: auto = when standard output is a terminal and NO_COLOR is unset
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
    /// Exit 1 when a finding at or above SEVERITY is found (for CI and scripts)
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,
}

#[derive(Args, Debug)]
pub struct Domains {
    /// Your org's custom domain (login.example.com or *.example.com); repeat for several.
    /// Commands name a host from the input only when it is Okta's (*.okta.com,
    /// *.oktapreview.com…), one of these, or the host of $OKTA_DOMAIN; otherwise they use
    /// $OKTA_DOMAIN or $OKTA_ISSUER and say why. Hosts must be reached over https.
    #[arg(long = "domain", value_name = "HOST", value_parser = host)]
    pub hosts: Vec<String>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

impl ColorWhen {
    /// Colour or not, per no-color.org: a non-empty `NO_COLOR` turns `auto` off; an explicit
    /// `--color always` (a per-run argument) overrides it.
    pub fn resolve(self, terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
        match self {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => terminal && no_color.is_none_or(|v| v.is_empty()),
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    Info,
    Warning,
    Error,
}

impl FailOn {
    /// The exit status for a report of `severity` (the maximum of its findings').
    pub fn status(threshold: Option<FailOn>, severity: Severity) -> i32 {
        let at = match threshold {
            None => return EXIT_OK,
            Some(FailOn::Info) => Severity::Info,
            Some(FailOn::Warning) => Severity::Warning,
            Some(FailOn::Error) => Severity::Error,
        };
        if severity >= at {
            EXIT_FINDINGS
        } else {
            EXIT_OK
        }
    }
}

fn epoch_seconds(v: &str) -> Result<i64, String> {
    v.parse()
        .map_err(|_| "not a whole number of seconds".to_string())
}

fn host(v: &str) -> Result<String, String> {
    if Trusted::parse(&[v]).is_empty() {
        return Err("not a host name (login.example.com or *.example.com)".to_string());
    }
    Ok(v.to_string())
}

/// What the command line asks for: a run, or text to print and an exit status (help, version,
/// a usage error).
#[derive(Debug)]
pub enum Parsed {
    Run(Box<Cli>),
    Exit {
        stdout: String,
        stderr: String,
        status: i32,
    },
}

pub fn parse(argv: impl IntoIterator<Item = std::ffi::OsString>) -> Parsed {
    match Cli::try_parse_from(argv) {
        Ok(cli) => Parsed::Run(Box::new(cli)),
        Err(e) if !e.use_stderr() => Parsed::Exit {
            stdout: e.to_string(),
            stderr: String::new(),
            status: EXIT_OK,
        },
        Err(e) => Parsed::Exit {
            stdout: String::new(),
            stderr: format!("okta-medic: {}\n", message(&e)),
            status: EXIT_USAGE,
        },
    }
}

/// A usage error in words. clap reads a second FILE, or a command after other arguments, as a
/// subcommand given too late; say what is meant instead.
fn message(e: &clap::Error) -> String {
    use clap::error::{ContextKind, ContextValue};
    if let Some(ContextValue::String(sub)) = e.get(ContextKind::InvalidSubcommand) {
        let commands = Cli::command();
        if commands.find_subcommand(sub).is_some() {
            return format!("{sub} comes first: okta-medic {sub} … (see okta-medic {sub} --help)");
        }
        return format!("only one FILE may be given, got another: {sub} (see --help)");
    }
    one_line(&e.to_string())
}

/// clap's error on one line: its message (with the argument names it lists on lines of their
/// own), then its tip (a similar option) if any, then where to look. The usage block it prints
/// after is left to `--help`.
fn one_line(rendered: &str) -> String {
    let mut words = Vec::new();
    let mut tips = Vec::new();
    for line in rendered.lines().map(str::trim) {
        if line.starts_with("Usage:") || line.starts_with("For more information") {
            break;
        }
        match line.strip_prefix("tip: ") {
            Some(tip) => tips.push(tip),
            None if !line.is_empty() => words.push(line.strip_prefix("error: ").unwrap_or(line)),
            None => {}
        }
    }
    let mut out = words.join(" ");
    for tip in tips {
        out.push_str("; ");
        out.push_str(tip);
    }
    out.push_str(" (see --help)");
    out
}

/// The completion script for `shell`, generated from the declaration above (into memory:
/// clap_complete panics when its writer fails, as stdout does under `| head`).
pub fn completions(shell: clap_complete::Shell) -> Vec<u8> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "okta-medic", &mut script);
    script
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Cli {
        let argv = std::iter::once("okta-medic").chain(args.iter().copied());
        match parse(argv.map(Into::into)) {
            Parsed::Run(cli) => *cli,
            Parsed::Exit { stderr, .. } => panic!("{args:?}: {stderr}"),
        }
    }

    fn usage_error(args: &[&str]) -> String {
        let argv = std::iter::once("okta-medic").chain(args.iter().copied());
        match parse(argv.map(Into::into)) {
            Parsed::Exit { stderr, status, .. } if status == EXIT_USAGE => stderr,
            other => panic!("{args:?} was accepted: {other:?}"),
        }
    }

    #[test]
    fn the_declaration_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn both_spellings_of_a_value_and_the_double_dash() {
        for args in [
            &[
                "--now",
                "5",
                "--jwks",
                "k.json",
                "--domain",
                "login.example.com",
            ][..],
            &["--now=5", "--jwks=k.json", "--domain=login.example.com"],
        ] {
            let cli = run(args);
            assert_eq!(cli.text.now, Some(5));
            assert_eq!(cli.text.jwks, Some(PathBuf::from("k.json")));
            assert_eq!(cli.text.domains.hosts, ["login.example.com"]);
        }
        assert_eq!(run(&["--now", "-5"]).text.now, Some(-5));
        assert_eq!(run(&["--", "-x"]).text.file, Some(PathBuf::from("-x")));
        assert_eq!(run(&["--", "har"]).text.file, Some(PathBuf::from("har")));
        assert!(run(&["--", "har"]).command.is_none());
    }

    #[test]
    fn errors_are_one_line() {
        for args in [
            &["--bogus"][..],
            &["--now"],
            &["--now", "soon"],
            &["a", "b"],
            &["--color", "sometimes"],
            &["har"],
            &["har", "--receipt", "r.json", "x"],
            &["har", "--redact", "--fail-on", "error", "x"],
        ] {
            let e = usage_error(args);
            assert!(e.starts_with("okta-medic: "), "{e}");
            assert_eq!(e.lines().count(), 1, "{e}");
        }
    }

    #[test]
    fn color_follows_no_color_org() {
        let set = Some(std::ffi::OsStr::new("1"));
        let empty = Some(std::ffi::OsStr::new(""));
        let table = [
            (ColorWhen::Auto, true, None, true),
            (ColorWhen::Auto, true, empty, true),
            (ColorWhen::Auto, true, set, false),
            (ColorWhen::Auto, false, None, false),
            (ColorWhen::Always, false, set, true),
            (ColorWhen::Never, true, None, false),
        ];
        for (when, terminal, no_color, want) in table {
            assert_eq!(
                when.resolve(terminal, no_color),
                want,
                "{when:?} {terminal} {no_color:?}"
            );
        }
    }

    #[test]
    fn fail_on_is_at_or_above() {
        use Severity::*;
        let table = [
            (None, Error, EXIT_OK),
            (Some(FailOn::Info), Ok, EXIT_OK),
            (Some(FailOn::Info), Info, EXIT_FINDINGS),
            (Some(FailOn::Warning), Info, EXIT_OK),
            (Some(FailOn::Warning), Warning, EXIT_FINDINGS),
            (Some(FailOn::Warning), Error, EXIT_FINDINGS),
            (Some(FailOn::Error), Warning, EXIT_OK),
            (Some(FailOn::Error), Error, EXIT_FINDINGS),
        ];
        for (threshold, severity, want) in table {
            assert_eq!(
                FailOn::status(threshold, severity),
                want,
                "{threshold:?} {severity:?}"
            );
        }
    }
}
