//! What every CLI test needs: run the built `okta-medic` with arguments and standard input,
//! collect its output without letting a full pipe stall it, and kill it if it hangs. The
//! guard only catches hangs; speed is measured by `./build.sh bench`, never asserted here.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::{
    io::Write,
    process::{Command, Output, Stdio},
    time::Duration,
};

use serde_json::Value;

pub const BIN: &str = env!("CARGO_BIN_EXE_okta-medic");
const HANG_GUARD: Duration = Duration::from_secs(20);

/// Runs the CLI with `args`, feeding `stdin`, without the caller's `OKTA_DOMAIN` (which the
/// CLI trusts as a custom domain).
pub fn run(args: &[&str], stdin: &[u8]) -> Output {
    run_with_env(args, stdin, &[])
}

/// [`run`] with environment variables set.
pub fn run_with_env(args: &[&str], stdin: &[u8], env: &[(&str, &str)]) -> Output {
    run_in(None, args, stdin, env)
}

/// [`run_with_env`] in the directory `dir` (for relative file names such as `-x`).
pub fn run_in(
    dir: Option<&std::path::Path>,
    args: &[&str],
    stdin: &[u8],
    env: &[(&str, &str)],
) -> Output {
    let mut command = Command::new(BIN);
    if let Some(dir) = dir {
        command.current_dir(dir);
    }
    let mut child = command
        .args(args)
        .env_remove("OKTA_DOMAIN")
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary starts");
    let pid = child.id();
    let mut input = child.stdin.take().expect("stdin");
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    // Collect output on another thread so a large report can't fill the pipe and stall.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    let out = match rx.recv_timeout(HANG_GUARD) {
        Ok(out) => out.expect("output"),
        Err(_) => {
            let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
            panic!("okta-medic {args:?} did not finish within {HANG_GUARD:?}");
        }
    };
    let _ = writer.join();
    out
}

/// The finding ids of a `--json` report, in order.
pub fn ids(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["id"].as_str().map(String::from))
        .collect()
}
