//! Bounded property tests (`./build.sh fuzz` runs the unbounded, coverage-guided version):
//! thousands of deterministic mutations of the golden fixtures — byte flips, truncations,
//! splices, duplicated segments, deep nesting — through `analyze_text` and `analyze_exchange`.
//! Properties: no panic; schemaVersion 1; the report's severity is its worst finding's; every
//! finding has a `domain.name` id and a title; the JSON round-trips; and no complete JWT
//! leaves the core with its signature. And, over generated hostile issuers, hosts, ids and
//! paths in every input shape: no command sends anything to a host the input chose.

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
            let report = okta_medic::analyze_exchange(&ex);
            check(&report, &text, seed);
            // The path the wasm boundary takes (the exchange handed over, sealed once) gives
            // the same report on every mutation, so it keeps every property too.
            let owned = okta_medic::show_owned_exchange(ex, &okta_medic::Trusted::default());
            let json = |r: &Report| serde_json::to_string(r).unwrap_or_default();
            assert_eq!(json(&owned), json(&report), "seed {seed:#x}");
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

// ---------------------------------------------------------------------------------------------
// Commands never send a secret to a host the input chose (issue 13). Hostile issuers, hosts,
// ids and paths, in every input shape, checked on every command of every finding.

/// Hosts an attacker (or a careless paste) may put in a token, URL or transcript.
const HOSTS: [&str; 34] = [
    "dev-1.okta.com",
    "DEV-1.OKTA.COM",
    "dev-1.okta.com.",
    "dev-1.okta.com:8443",
    "acme.oktapreview.com",
    "login.acme.com",
    "sso.corp.example",
    "evil.example",
    "EVIL.EXAMPLE",
    "evil.example.",
    "evil.example:443",
    "okta.com.evil.example",
    "dev-1.okta.com.evil.example",
    "dev-1.okta.com@evil.example",
    "user:pw@evil.example",
    "evil.example/okta.com",
    "evil.example\\.okta.com",
    "evil.example%2f.okta.com",
    "evil.example#.okta.com",
    "evil.example?.okta.com",
    "xn--dev1-okta-9db.com",
    "dev-1.oktа.com",
    "login.acme.com.evil.example",
    "evilacme.com",
    "127.0.0.1:8443",
    "localhost:3000",
    "[::1]:8080",
    "oktacdn.com",
    "evil$(id).example",
    "evil`id`.example",
    "evil\".example",
    "evil'.example",
    "evil.example\u{2028}.okta.com",
    "dev-1.okta.com\u{202E}elpmaxe.live",
];

const SCHEMES: [&str; 3] = ["https://", "http://", "HTTPS://"];

/// Issuer paths: Okta's shapes, globs, quotes, substitutions, line breaks, bidi, zero-width.
const PATHS: [&str; 16] = [
    "",
    "/",
    "/oauth2/default",
    "/oauth2/aus8aus76q8iphupD0h7",
    "/oauth2/[1-100000000]",
    "/oauth2/{a,b}",
    "/oauth2/aus'1",
    "/oauth2/a\"b",
    "/oauth2/$(id)",
    "/oauth2/`id`",
    "/oauth2/x\ny",
    "/oauth2/x\u{2028}y",
    "/oauth2/x\u{202E}y",
    "/oauth2/x\u{200B}y",
    "/oauth2/default/../../../evil",
    "/oauth2/x\u{FEFF}y",
];

/// User ids, client ids and request ids.
const IDS: [&str; 12] = [
    "00ub0oNGTSWTBKOLGLNR",
    "reqVy8wsvmBQN27h4soUE3ZEnA",
    "0oa1spaAPPid0000x4h7",
    "00u'1",
    "$(id)",
    "`id`",
    "[1-9]",
    "{a,b}",
    "a b",
    "a\u{2028}b",
    "a\u{2066}b",
    "a\nb",
];

const SECRETS: [&str; 4] = [
    "$OKTA_API_TOKEN",
    "$OKTA_CLIENT_SECRET",
    "$REFRESH_TOKEN",
    "$ACCESS_TOKEN",
];

/// Characters that must never reach a command (control, format, separator).
fn hostile_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

fn pick<'a>(rng: &mut Rng, from: &[&'a str]) -> &'a str {
    from[rng.below(from.len())]
}

fn b64(s: &str) -> String {
    use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
    URL_SAFE_NO_PAD.encode(s)
}

fn js(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// A JWT whose claims come from the generator; expired or not yet valid so that the refresh
/// and clock commands appear, an `AT.` access token so that the org-AS introspect one does.
fn jwt(rng: &mut Rng, iss: &str) -> String {
    let (exp, nbf) = match rng.below(3) {
        0 => (1_600_000_000_i64, 1_500_000_000_i64),
        1 => (4_000_000_000, 3_000_000_000),
        _ => (4_000_000_000, 1_500_000_000),
    };
    let claims = format!(
        r#"{{"ver":1,"jti":"AT.x","iss":{},"aud":"api://default","iat":1500000000,"nbf":{nbf},"exp":{exp},"cid":{},"uid":{},"scp":["openid","okta.users.read"],"sub":"a@b.c"}}"#,
        js(iss),
        js(pick(rng, &IDS)),
        js(pick(rng, &IDS)),
    );
    format!(
        "{}.{}.c2lnbmF0dXJlc2lnbmF0dXJlc2ln",
        b64(r#"{"alg":"RS256","kid":"k1"}"#),
        b64(&claims)
    )
}

/// One hostile input in one of the shapes a user pastes or the browser captures.
enum Shape {
    Text(String),
    Exchange(String),
    Har(String),
}

fn hostile_input(rng: &mut Rng) -> Shape {
    let host = pick(rng, &HOSTS);
    let iss = format!(
        "{}{}{}",
        pick(rng, &SCHEMES),
        pick(rng, &HOSTS),
        pick(rng, &PATHS)
    );
    let token = jwt(rng, &iss);
    let user = pick(rng, &IDS);
    let request = pick(rng, &IDS);
    let scheme = pick(rng, &SCHEMES);
    let body = match rng.below(3) {
        0 => {
            r#"{"errorCode":"E0000006","errorSummary":"You do not have permission to perform the requested action","errorLink":"E0000006","errorId":"oae1","errorCauses":[]}"#
        }
        1 => {
            r#"{"errorCode":"E0000038","errorSummary":"This operation is not allowed in the user's current status.","errorLink":"E0000038","errorId":"oae2","errorCauses":[]}"#
        }
        _ => {
            r#"{"errorCode":"E0000011","errorSummary":"Invalid token provided","errorLink":"E0000011","errorId":"oae3","errorCauses":[]}"#
        }
    };
    let auth = if rng.below(2) == 0 {
        format!("Bearer {token}")
    } else {
        "SSWS 00abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP".to_string()
    };
    let exchange = |status: u16| {
        format!(
            r#"{{"observedAt":1750000000000,"method":"POST","url":{},"statusCode":{status},"requestHeaders":[{{"name":"Authorization","value":{}}}],"responseHeaders":[{{"name":"X-Okta-Request-Id","value":{}}},{{"name":"WWW-Authenticate","value":"Bearer error=\"invalid_token\", error_description=\"The access token is invalid\""}}],"body":{}}}"#,
            js(&format!(
                "{scheme}{host}/api/v1/users/{user}/lifecycle/unlock"
            )),
            js(&auth),
            js(request),
            js(body)
        )
    };
    match rng.below(8) {
        0 => Shape::Text(token),
        1 => Shape::Text(format!("Authorization: Bearer {token}")),
        2 => Shape::Text(format!(
            "> POST /api/v1/users/{user}/lifecycle/suspend HTTP/1.1\n> Host: {host}\n> Authorization: {auth}\n>\n< HTTP/1.1 403 Forbidden\n< Content-Type: application/json\n< X-Okta-Request-Id: {request}\n<\n{body}\n"
        )),
        3 => Shape::Text(format!(
            "HTTP/1.1 401 Unauthorized\nContent-Type: application/json\nX-Okta-Request-Id: {request}\nWWW-Authenticate: Bearer error=\"invalid_token\", error_description=\"The access token is invalid\"\n\n{body}\n"
        )),
        4 => Shape::Text(format!(
            "{scheme}{host}{}/callback?error=access_denied&error_description=User+is+not+assigned+to+the+client+application.&iss={}&state=x",
            pick(rng, &PATHS),
            iss
        )),
        5 => Shape::Exchange(exchange([401, 403, 429][rng.below(3)])),
        6 => Shape::Text(exchange(403)),
        _ => Shape::Har(format!(
            r#"{{"log":{{"version":"1.2","entries":[{{"startedDateTime":"2025-06-15T15:06:40.000Z","request":{{"method":"GET","url":{},"headers":[{{"name":"Authorization","value":{}}}]}},"response":{{"status":401,"headers":[{{"name":"X-Okta-Request-Id","value":{}}}],"content":{{"mimeType":"application/json","text":{}}}}}}}]}}}}"#,
            js(&format!("{scheme}{host}/api/v1/users/{user}")),
            js(&auth),
            js(request),
            js(body)
        )),
    }
}

/// The authority of every `scheme://` URL in a command, as written.
fn url_authorities(command: &str) -> Vec<String> {
    command
        .match_indices("://")
        .map(|(i, _)| {
            command[i + 3..]
                .split(|c: char| "/\"' ?#\\`)".contains(c) || c.is_whitespace())
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

/// Okta's hosts, the trusted ones, or an upper-case `$PLACEHOLDER`; nothing else.
fn allowed(authority: &str, trusted: &[&str]) -> bool {
    if let Some(var) = authority.strip_prefix('$') {
        return !var.is_empty() && var.chars().all(|c| c.is_ascii_uppercase() || c == '_');
    }
    if authority.contains(['@', '[', '%', '$']) {
        return false;
    }
    let host = authority.split(':').next().unwrap_or_default();
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let name = host
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    name && (okta_medic::domain::is_okta_host(&host)
        || trusted.iter().any(|t| match t.strip_prefix("*.") {
            Some(base) => host == base || host.ends_with(&format!(".{base}")),
            None => host == *t,
        }))
}

/// Checks every command of every finding; returns how many commands named a real host.
fn check_commands(report: &Report, input: &str, trusted: &[&str], seed: u64) -> usize {
    let mut named = 0;
    for f in &report.findings {
        for c in &f.commands {
            let cmd = &c.command;
            let at = || format!("seed {seed}, {}: {cmd:?}\ninput: {input:?}", f.id);
            // (1) every URL host is Okta's, trusted, or a placeholder.
            let hosts = url_authorities(cmd);
            for h in &hosts {
                assert!(allowed(h, trusted), "host {h:?} in {}", at());
                named += usize::from(!h.starts_with('$'));
            }
            // (2) no control, format or separator character.
            assert!(
                !cmd.chars()
                    .any(|ch| hostile_char(ch) || okta_medic::shell::invisible(ch)),
                "hostile character in {}",
                at()
            );
            // (3) curl never globs.
            let words: Vec<&str> = cmd.split(' ').collect();
            for (i, w) in words.iter().enumerate() {
                if *w == "curl" {
                    assert_eq!(words.get(i + 1), Some(&"-g"), "curl without -g in {}", at());
                }
            }
            // (4) a secret goes only to such a host, and to some destination at all.
            if SECRETS.iter().any(|s| cmd.contains(s)) && cmd.contains("curl") {
                assert!(
                    !hosts.is_empty() || cmd.contains("\"$OKTA_ISSUER/"),
                    "a secret with no destination in {}",
                    at()
                );
            }
        }
    }
    named
}

fn analyse(shape: &Shape, trusted: &okta_medic::Trusted) -> (Report, String) {
    match shape {
        Shape::Text(t) => (
            okta_medic::analyze_text_trusting(t, 1_750_000_000, trusted),
            t.clone(),
        ),
        Shape::Exchange(t) => {
            let ex: Exchange = serde_json::from_str(t).unwrap();
            (
                okta_medic::analyze_exchange_trusting(&ex, trusted),
                t.clone(),
            )
        }
        Shape::Har(t) => (okta_medic::analyze_har_trusting(t, trusted), t.clone()),
    }
}

#[test]
fn commands_never_send_secrets_to_a_host_the_input_chose() {
    let mut rng = Rng(0x5EED_0000_0000_0013);
    let custom = ["login.acme.com", "*.corp.example"];
    let (mut named, mut placeholders, mut trusted_named) = (0, 0, 0);
    for i in 0..ITERATIONS {
        let seed = rng.0;
        let shape = hostile_input(&mut rng);
        let trusting = i % 2 == 0;
        let list: &[&str] = if trusting { &custom } else { &[] };
        let trusted = okta_medic::Trusted::parse(
            &["https://login.acme.com/*", "*.corp.example"][..list.len()],
        );
        let (report, input) = analyse(&shape, &trusted);
        named += check_commands(&report, &input, list, seed);
        let json = serde_json::to_string(&report).unwrap();
        placeholders +=
            usize::from(json.contains("is not an Okta domain or one of your custom domains"));
        trusted_named += usize::from(trusting && json.contains("https://login.acme.com/"));
    }
    // The property is not vacuous: real Okta and trusted hosts are still named, and
    // untrusted ones are replaced with a reason.
    assert!(named > 500, "only {named} commands named a host");
    assert!(
        placeholders > 500,
        "only {placeholders} reports explained a placeholder"
    );
    assert!(
        trusted_named > 20,
        "only {trusted_named} reports named the trusted custom domain"
    );
}
