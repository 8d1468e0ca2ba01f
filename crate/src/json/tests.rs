//! The reader against serde_json's: the same `Value` (and the same text written back: key order,
//! float bits, number kinds) or the same refusal, over the golden inputs, the JSON inside them,
//! their truncations and one-byte mutations, and hand-made edges.

use super::number::{display as f64_text, pow10};
use super::read;
use base64::Engine;
use serde_json::Value;

/// The value as serde_json writes it: key order, float bits and number kinds, which `==` on
/// `Value`s does not compare.
fn written(v: &Value) -> String {
    serde_json::to_string(v).unwrap()
}

/// `text` read both ways; a difference as a message.
fn differs(text: &str) -> Option<String> {
    let ours = read(text);
    let theirs = serde_json::from_str::<Value>(text);
    match (&ours, &theirs) {
        (Ok(a), Ok(b)) if a == b && written(a) == written(b) => None,
        (Err(a), Err(b)) if a.to_string() == b.to_string() => None,
        _ => Some(format!(
            "{text:?}\n  ours:  {:?}\n  serde: {:?}",
            ours.map(|v| v.to_string()).map_err(|e| e.to_string()),
            theirs.map(|v| v.to_string()).map_err(|e| e.to_string())
        )),
    }
}

fn check_all<'a>(texts: impl IntoIterator<Item = &'a str>) -> usize {
    let mut n = 0;
    let mut bad = Vec::new();
    for t in texts {
        n += 1;
        if let Some(d) = differs(t) {
            bad.push(d);
        }
    }
    assert!(
        bad.is_empty(),
        "{} of {n} differ:\n{}",
        bad.len(),
        bad[..bad.len().min(20)].join("\n")
    );
    n
}

/// The JSON texts inside an input: the whole, each line, from each `{` or `[` to the end and
/// to each later `}` or `]` (bounded), and every JWT-looking segment's decoded JSON.
fn inner_texts(input: &str) -> Vec<String> {
    let mut out = vec![input.to_string()];
    out.extend(input.lines().map(str::to_string));
    let opens: Vec<usize> = input
        .match_indices(['{', '['])
        .map(|(i, _)| i)
        .take(24)
        .collect();
    let closes: Vec<usize> = input
        .match_indices(['}', ']'])
        .map(|(i, _)| i + 1)
        .collect();
    for &o in &opens {
        out.push(input[o..].to_string());
        for &c in closes
            .iter()
            .filter(|&&c| c > o && c - o <= 16_384)
            .take(24)
        {
            out.push(input[o..c].to_string());
        }
    }
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    for word in input.split(|c: char| !(c.is_ascii_alphanumeric() || "-_.".contains(c))) {
        for seg in word.split('.').filter(|s| s.starts_with("eyJ")) {
            if let Ok(bytes) = b64.decode(seg.trim_end_matches('=')) {
                if let Ok(s) = String::from_utf8(bytes) {
                    out.push(s);
                }
            }
        }
    }
    out
}

/// Every prefix (a sample of them for long texts) and one-byte replacements at a sample of
/// places by bytes that matter to JSON.
fn variants(text: &str, out: &mut Vec<String>) {
    let step = (text.len() / 100).max(1);
    for end in (0..text.len()).step_by(step) {
        if let Some(p) = text.get(..end) {
            out.push(p.to_string());
        }
    }
    const BYTES: &[u8] = b"\"\\,:{}[]0-+eE. \n\tux\x01a9";
    let step = (text.len() / 24).max(1);
    for at in (0..text.len()).step_by(step) {
        for &b in BYTES {
            let mut bytes = text.as_bytes().to_vec();
            bytes[at] = b;
            if let Ok(s) = String::from_utf8(bytes) {
                out.push(s);
            }
        }
    }
}

fn golden_texts() -> Vec<String> {
    let mut texts = Vec::new();
    for (_, input) in crate::golden::inputs() {
        texts.extend(inner_texts(&input));
    }
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures");
    for case in std::fs::read_dir(fixtures).unwrap() {
        if let Ok(expected) = std::fs::read_to_string(case.unwrap().path().join("expected.json")) {
            texts.push(expected);
        }
    }
    texts
}

#[test]
fn the_golden_inputs_and_the_json_in_them_read_as_serde_json_reads_them() {
    let texts = golden_texts();
    let n = check_all(texts.iter().map(String::as_str));
    assert!(n > 5_000, "{n}");
    // Some of them are JSON, some not.
    assert!(texts.iter().filter(|t| read(t).is_ok()).count() > 500);
}

#[test]
fn their_truncations_and_mutations_read_as_serde_json_reads_them() {
    let mut texts: Vec<String> = golden_texts()
        .into_iter()
        .filter(|t| serde_json::from_str::<Value>(t).is_ok())
        .collect();
    texts.sort();
    texts.dedup();
    let mut all = Vec::new();
    for t in texts.iter().filter(|t| t.len() > 1 && t.len() <= 8_192) {
        variants(t, &mut all);
    }
    let n = check_all(all.iter().map(String::as_str));
    assert!(n > 100_000, "{n}");
}

fn numbers() -> Vec<String> {
    let mut v: Vec<String> = [
        "0",
        "-0",
        "-0.0",
        "0.0",
        "1",
        "-1",
        "00",
        "01",
        "-01",
        "1.",
        "1.e1",
        ".5",
        "-",
        "+1",
        "1e",
        "1e+",
        "1e-",
        "1E5",
        "1e-5",
        "1.5e3",
        "-1.5E-3",
        "0e0",
        "0e99999999999",
        "1e400",
        "-1e400",
        "1e-400",
        "1e308",
        "1.7976931348623157e308",
        "1.7976931348623159e308",
        "2.2250738585072014e-308",
        "4.9e-324",
        "5e-324",
        "2e-324",
        "1e-323",
        "0.1",
        "0.2",
        "0.30000000000000004",
        "3.141592653589793",
        "1e22",
        "1e23",
        "9007199254740993",
        "18446744073709551615",
        "18446744073709551616",
        "18446744073709551615.5",
        "184467440737095516150",
        "1844674407370955161.5",
        "18446744073709551616e-5",
        "-9223372036854775808",
        "-9223372036854775809",
        "-9223372036854775807",
        "-18446744073709551615",
        "-18446744073709551616",
        "9223372036854775808",
        "123456789012345678901234567890",
        "0.123456789012345678901234567890",
        "1e2147483647",
        "1e2147483648",
        "1e-2147483648",
        "1e-2147483649",
        "0e2147483648",
        "-0e2147483648",
        "1e-99999999999",
        "-1e99999999999",
        "0.0e99999999999",
        "1.0e-99999999999",
        "100000000000000000000000e-30",
        "1e-0",
        "1e+0",
        "1e01",
        "2e-",
        "1.5x",
        "1x",
        "-x",
        "0x10",
        "1_000",
        "1e5.5",
        "--1",
        "1..2",
        "0.",
        "-.5",
        "1e+-5",
    ]
    .map(str::to_string)
    .to_vec();
    let zeros = "0".repeat(400);
    v.push(format!("0.{zeros}1"));
    v.push(format!("1{zeros}"));
    v.push(format!("1{zeros}e-300"));
    v.push(format!("1{zeros}.5e-500"));
    v.push(format!("0.{zeros}1e400"));
    for e in [
        -330, -325, -310, -308, -307, -300, -23, -22, -1, 0, 1, 22, 23, 100, 307, 308, 309,
    ] {
        for m in [
            "1",
            "9",
            "12345",
            "17976931348623157",
            "4.9406564584124654",
            "2.5",
        ] {
            v.push(format!("{m}e{e}"));
            v.push(format!("-{m}e{e}"));
        }
    }
    // Random-looking digit strings, floats printed by serde_json, and with noise around.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..3_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let f = f64::from_bits(x);
        if f.is_finite() {
            v.push(Value::from(f).to_string());
        }
        v.push(format!(
            "{}.{}e{}",
            x % 1000,
            x >> 40,
            (x % 700) as i64 - 350
        ));
        v.push((x >> (x % 64)).to_string());
    }
    let wrapped: Vec<String> = v
        .iter()
        .flat_map(|n| [format!("[{n}]"), format!(" {n} "), format!("{{\"a\":{n}}}")])
        .collect();
    v.extend(wrapped);
    v
}

#[test]
fn numbers_at_every_boundary_read_as_serde_json_reads_them() {
    let v = numbers();
    check_all(v.iter().map(String::as_str));
}

#[test]
fn strings_escapes_and_structure_read_as_serde_json_reads_them() {
    let mut v: Vec<String> = [
        r#""""#,
        r#""a""#,
        r#""\"\\\/\b\f\n\r\t""#,
        r#""\u00e9\u4e2d\uFFFF\u0000""#,
        r#""\ud83d\ude00""#,
        r#""\ud83d""#,
        r#""\ud83dx""#,
        r#""\ud83d\""#,
        r#""\ud83d\n""#,
        r#""\ud83d\u0041""#,
        r#""\ude00""#,
        r#""\ud83d\ud83d""#,
        r#""\u12""#,
        r#""\u12g4""#,
        r#""\uZZZZ""#,
        r#""\x""#,
        r#""\"#,
        r#""abc"#,
        "\"a\u{1}b\"",
        "\"a\tb\"",
        "\"a\nb\"",
        "\"é中😀\"",
        "\"\\u00e9é\"",
        r#""\ud83d\ude0""#,
        r#""\ud83d\"#,
        r#""\ud83d\u"#,
        "null",
        "nul",
        "nulx",
        "true",
        "tru",
        "trUe",
        "false",
        "fals",
        "n",
        "t",
        "f",
        "",
        " ",
        "\n\n  ",
        "[]",
        "[ ]",
        "[1,]",
        "[1 2]",
        "[,1]",
        "[1,,2]",
        "[",
        "[1",
        "[1,",
        "{}",
        "{ }",
        "{\"a\"}",
        "{\"a\":}",
        "{\"a\":1,}",
        "{\"a\":1 \"b\":2}",
        "{1:2}",
        "{\"a\":1,2:3}",
        "{\"a\" 1}",
        "{",
        "{\"a\"",
        "{\"a\":",
        "{\"a\":1",
        "{\"a\":1,",
        "{,}",
        "{\"a\":1}}",
        "[1]]",
        "1 2",
        "1 x",
        "[] ",
        " {}\n",
        "\u{feff}{}",
        "{\"a\":1,\"b\":2,\"a\":3}",
        "{\"b\":1,\"a\":2,\"b\":{\"c\":3},\"a\":null}",
        "{\"\":1,\"\":2}",
        "[1,\n2,\n x]",
        "{\n  \"a\": [\n    1,\n    tru\n  ]\n}",
        "{\"a\":\"x\ny\"}",
        "\r\n[\r\n1,\r\n]",
        "é",
        "[é]",
        "{\"é\":é}",
        "\"\\u0000\"",
        "[true,false,null]",
        "[-]",
        "[-0]",
        "{\"a\":[{\"b\":[{}]}]}",
    ]
    .map(str::to_string)
    .to_vec();
    // The raw-value key: its string read again; anything else a type error; the object ends.
    let raw = super::RAW_VALUE;
    for inner in [
        r#""1""#,
        r#""[1,2]""#,
        r#""{\"a\":1}""#,
        r#""""#,
        r#""tru""#,
        r#""1 2""#,
        r#""\"x""#,
        "1",
        "-1",
        "1.5",
        "1e300",
        "-0",
        "18446744073709551616",
        "null",
        "nul",
        "true",
        "false",
        "fals",
        "[1]",
        "{}",
        "x",
        "",
        "-",
        "1e400",
        r#""{\"$serde_json::private::RawValue\":\"[1]\"}""#,
        r#""{\"$serde_json::private::RawValue\":2}""#,
    ] {
        for tail in ["}", ",\"a\":1}", " }", "x", "", ",}"] {
            v.push(format!("{{\"{raw}\":{inner}{tail}"));
            v.push(format!("[{{\"{raw}\" : {inner}{tail}]"));
        }
    }
    v.push(format!("{{\"a\":1,\"{raw}\":\"2\"}}"));
    v.push(format!("{{\"{raw}\"}}"));
    v.push(format!("{{\"{raw}\" 1}}"));
    v.push(format!("{{\"{raw}\":\"[1,]\"}}"));
    v.push(format!("{{\"{raw}\":\"\\n[1,\\n]\"}}"));
    // Depth: 127 levels read, 128 refused, for arrays, objects and a mix.
    for d in [1, 126, 127, 128, 129, 200] {
        v.push(format!("{}{}", "[".repeat(d), "]".repeat(d)));
        v.push("[".repeat(d));
        v.push(format!("{}1{}", "{\"a\":".repeat(d), "}".repeat(d)));
        v.push(format!(
            "{}{}",
            "[{\"a\":".repeat(d / 2),
            "[]".to_string() + &"}]".repeat(d / 2)
        ));
        v.push(format!("{}{}", "[1,".repeat(d), "]".repeat(d)));
    }
    let mut all = v.clone();
    for t in &v {
        variants(t, &mut all);
    }
    check_all(all.iter().map(String::as_str));
}

#[test]
fn powers_of_ten_are_the_literals() {
    for k in 0..=308u32 {
        let lit: f64 = format!("1e{k}").parse().unwrap();
        assert_eq!(pow10(k).to_bits(), lit.to_bits(), "1e{k}");
    }
}

#[test]
fn f64_text_is_display() {
    let mut v = vec![
        0.0,
        -0.0,
        1.0,
        -1.0,
        1.5,
        -1.5,
        0.1,
        1e300,
        -1e300,
        1e-300,
        5e-324,
        f64::MAX,
        f64::MIN,
        f64::MIN_POSITIVE,
        f64::NAN,
        -f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        70000.0,
        65536.0,
        9_007_199_254_740_991.0,
        9_007_199_254_740_992.0,
        9_007_199_254_740_993.0,
        18_014_398_509_481_984.0,
        1e15,
        1e16,
        1e17,
        1e21,
        1e22,
        1e23,
        123.456,
        0.000_123,
        1.0e-7,
        2.5e-5,
        100.0,
        1234567.0,
        0.3,
        2.0f64.powi(63),
        2.0f64.powi(64),
        1e19,
    ];
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..100_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        v.push(f64::from_bits(x));
        v.push((x % 100_000_000) as f64 / 1000.0);
        v.push(((x >> 11) as f64).round());
        v.push((x % 1_000_000) as f64 * 10f64.powi((x % 40) as i32));
    }
    for f in v {
        assert_eq!(f64_text(f), format!("{f}"), "{:e} ({:#x})", f, f.to_bits());
    }
}

#[test]
fn f64_text_is_display_at_ties_too() {
    // m / 2^s near 2^50..2^53: the exact value has one digit more than the shortest, a 5.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..100_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let m = (x >> 12) | (1 << 52);
        for s in 1..=6 {
            let f = m as f64 / f64::from(1u32 << s);
            assert_eq!(f64_text(f), format!("{f}"), "{f:e}");
            assert_eq!(f64_text(-f), format!("{}", -f));
        }
    }
}
