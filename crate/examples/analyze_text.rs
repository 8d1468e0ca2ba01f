//! analyzeText's and showText's cost, for callgrind (docs/performance-log.md, "analyzeText, fifth
//! pass"): analyses bench/core.mjs's 850-byte Okta access token N times as the ui module does —
//! `facts_of_text` then `report::compact::to_json` (analyzeText), or `analyze_text_trusting`
//! then `to_json` (showText, `show` as the second argument). Instructions per call =
//! (Ir(N = 1,200) − Ir(N = 200)) / 1,000:
//!
//!   cargo build --release --example analyze_text
//!   valgrind --tool=callgrind target/release/examples/analyze_text 200 [show]
//!   valgrind --tool=callgrind target/release/examples/analyze_text 1200 [show]
//!   callgrind_annotate --inclusive=yes callgrind.out.<pid>
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};

const NOW: i64 = 1_750_000_000;

/// bench/core.mjs's `oktaToken(850)`, byte for byte (the test below checks its length).
fn okta_token() -> String {
    let header = r#"{"kid":"pEFjpqAosDpYz7lIYlAXpaKND4Kmh5aCIcMnB8llK1E","alg":"RS256"}"#;
    let claims = format!(
        r#"{{"ver":1,"jti":"AT.kXQiGndvnMxtAnxc8Tfb7yKdY8JRL4c2YQP_UXIGOtg","iss":"https://dev-123456.okta.com/oauth2/default","aud":"api://default","iat":{},"exp":{},"cid":"0oa4dr9kzkykPrLhq0g7","uid":"00u3p97x5mnrXhsiN0g7","scp":["openid","email"],"sub":"{}@example.com"}}"#,
        NOW - 600,
        NOW + 3000,
        "x".repeat(37)
    );
    let signature = URL_SAFE_NO_PAD.encode([7u8; 256]);
    format!(
        "{}.{}.{signature}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(claims)
    )
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(1_200);
    let show = args.next().as_deref() == Some("show");
    let token = okta_token();
    if token.len() != 850 {
        eprintln!("token is {} bytes, not bench/core.mjs's 850", token.len());
        std::process::exit(1);
    }
    let trusted = okta_medic::Trusted::default();
    let mut bytes = 0usize;
    for _ in 0..n {
        let token = std::hint::black_box(token.as_str());
        let report = if show {
            okta_medic::analyze_text_trusting(token, NOW, &trusted)
        } else {
            okta_medic::facts_of_text(token, NOW)
        };
        bytes += okta_medic::report::compact::to_json(&report).map_or(0, |s| s.len());
    }
    println!("{n} calls, {bytes} bytes of report");
}
