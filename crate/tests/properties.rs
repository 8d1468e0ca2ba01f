//! Bounded property tests (`./build.sh fuzz` runs the unbounded, coverage-guided version):
//! thousands of deterministic mutations of the golden fixtures — byte flips, truncations,
//! splices, duplicated segments, deep nesting — through `analyze_text` and `analyze_exchange`.
//! Properties: no panic; schemaVersion 1; the report's severity is its worst finding's; every
//! finding has a `domain.name` id and a title; the JSON round-trips; and no complete JWT
//! leaves the core with its signature.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::{fs, path::PathBuf};

use okta_medic::{Exchange, Report};

const ITERATIONS: usize = 6_000;

/// xorshift64*: deterministic, so a failure names a seed that reproduces it.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

fn seeds() -> Vec<Vec<u8>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let mut out: Vec<Vec<u8>> = fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| fs::read(e.ok()?.path().join("input.txt")).ok())
        .collect();
    out.sort();
    assert!(out.len() > 30);
    out
}

const TOKENS: [&[u8]; 12] = [
    b"\"",
    b"{",
    b"}",
    b"[",
    b"]",
    b".",
    b"=",
    b"%",
    b"\n",
    b"\xff",
    b"eyJ",
    b"HTTP/1.1 429 \r\n",
];

fn mutate(rng: &mut Rng, seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut data = seeds[rng.below(seeds.len())].clone();
    for _ in 0..=rng.below(4) {
        let at = rng.below(data.len() + 1);
        match rng.below(7) {
            0 if !data.is_empty() => {
                let i = rng.below(data.len());
                data[i] ^= 1 << rng.below(8);
            }
            1 => data.truncate(at),
            2 => data
                .splice(at..at, TOKENS[rng.below(TOKENS.len())].iter().copied())
                .for_each(drop),
            3 => {
                let other = &seeds[rng.below(seeds.len())];
                let from = rng.below(other.len());
                data.splice(at..at, other[from..].iter().take(200).copied())
                    .for_each(drop);
            }
            4 if !data.is_empty() => {
                let end = (at + rng.below(64)).min(data.len());
                let piece: Vec<u8> = data[at.min(end)..end].to_vec();
                data.splice(at..at, piece).for_each(drop);
            }
            5 => {
                let depth = rng.below(300);
                let mut nested = vec![b'['; depth];
                nested.extend(std::iter::repeat_n(b']', depth));
                data.splice(at..at, nested).for_each(drop);
            }
            _ => data.retain(|b| !b.is_ascii_whitespace() || rng.below(2) == 0),
        }
    }
    data
}

/// Signatures (third segments, 16+ chars) of every compact JWS in the input.
fn signatures(input: &str) -> Vec<String> {
    let mut out = Vec::new();
    let token_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.';
    for run in input.split(|c: char| !token_char(c)) {
        let parts: Vec<&str> = run.split('.').collect();
        if run.starts_with("eyJ")
            && parts.len() == 3
            && (parts[2].len() >= 16 || parts[2] == "REDACTED")
        {
            out.push(parts[2].to_string());
        }
    }
    out
}

fn check(report: &Report, input: &str, seed: u64) {
    assert_eq!(report.schema_version, 1, "seed {seed}");
    let worst = report
        .findings
        .iter()
        .map(|f| f.severity)
        .max()
        .unwrap_or_default();
    assert_eq!(report.severity, worst, "seed {seed}");
    for f in &report.findings {
        let (domain, name) =
            f.id.split_once('.')
                .unwrap_or_else(|| panic!("seed {seed}: id {:?} is not domain.name", f.id));
        assert!(
            !domain.is_empty() && !name.is_empty(),
            "seed {seed}: {}",
            f.id
        );
        assert!(
            !f.title.trim().is_empty(),
            "seed {seed}: {} has no title",
            f.id
        );
    }
    let json = serde_json::to_string(report).unwrap();
    let back: Report = serde_json::from_str(&json).unwrap();
    assert_eq!(&back, report, "seed {seed}");
    // No complete JWS leaves the core with its signature. (A mutation can splice a fragment
    // of a token — "…payload.signature" — into free text; only whole tokens are credentials.)
    for sig in signatures(&json) {
        assert_eq!(sig, "REDACTED", "seed {seed}: a JWT with its signature reached the report\ninput: {input}\nreport: {json}");
    }
}

#[test]
fn mutated_fixtures_keep_every_property() {
    let seeds = seeds();
    let mut rng = Rng(0x5EED_0000_0000_0001);
    for i in 0..ITERATIONS {
        let seed = rng.0;
        let data = mutate(&mut rng, &seeds);
        let text = String::from_utf8_lossy(&data);
        let now = [0, 1_750_000_000, -1, i64::MAX, i64::MIN][i % 5];
        let report = okta_medic::analyze_text(&text, now);
        check(&report, &text, seed);
    }
}

#[test]
fn mutated_exchanges_keep_every_property() {
    let seeds: Vec<Vec<u8>> = seeds()
        .into_iter()
        .filter(|s| s.starts_with(b"{"))
        .collect();
    let mut rng = Rng(0x5EED_0000_0000_0002);
    let mut analysed = 0;
    for _ in 0..ITERATIONS {
        let seed = rng.0;
        let data = mutate(&mut rng, &seeds);
        let text = String::from_utf8_lossy(&data);
        if let Ok(ex) = serde_json::from_str::<Exchange>(&text) {
            analysed += 1;
            check(&okta_medic::analyze_exchange(&ex), &text, seed);
        }
    }
    assert!(analysed > 100, "only {analysed} mutations were exchanges");
}

#[test]
fn a_jwt_in_any_position_never_reaches_the_report() {
    let jwt = "eyJhbGciOiJSUzI1NiJ9.eyJqdGkiOiJBVC4xIn0.U0VDUkVULVNJR05BVFVSRS1ERU1P";
    let inputs = [
        format!("https://app.example.com/cb?foo={jwt}&error=access_denied"),
        format!("{{\"error\":\"invalid_request\",\"error_description\":\"bad token {jwt}\"}}"),
        format!("{{\"errorCode\":\"E0000011\",\"errorSummary\":\"{jwt}\",\"errorCauses\":[{{\"errorSummary\":\"{jwt}\"}}]}}"),
        format!("HTTP/2 401\nwww-authenticate: Bearer error=\"invalid_token\", error_description=\"{jwt}\"\n\n"),
        format!("{{\"statusCode\":401,\"url\":\"https://dev-1.okta.com/x?t={jwt}\",\"responseHeaders\":[],\"requestHeaders\":[{{\"name\":\"Authorization\",\"value\":\"Bearer {jwt}\"}}]}}"),
        format!("{{\"active\":true,\"sub\":\"{jwt}\"}}"),
    ];
    for input in inputs {
        let json = serde_json::to_string(&okta_medic::analyze_text(&input, 0)).unwrap();
        assert!(
            !json.contains("U0VDUkVULVNJR05BVFVSRS1ERU1P"),
            "{input}\n→ {json}"
        );
    }
}
