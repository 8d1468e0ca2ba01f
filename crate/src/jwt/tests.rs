use super::testing::{b64, token, NOW};
use super::*;
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use serde_json::json;

fn ids(jwt: &Jwt) -> Vec<String> {
    findings(jwt, NOW)
        .into_iter()
        .map(|f| f.id.into_owned())
        .collect()
}

#[test]
fn extract_strips_what_people_copy_along() {
    let t = "eyJhbGciOiJSUzI1NiJ9.e30.c2ln";
    let cases = [
        (t.to_string(), None),
        (format!("Bearer {t}"), Some("Bearer")),
        (format!("authorization: bearer {t}"), Some("Bearer")),
        (format!("Authorization: DPoP {t}"), Some("DPoP")),
        (format!("\"{t}\""), None),
        (format!("'Bearer {t}',"), Some("Bearer")),
        ("  eyJhbGciOiJSUzI1NiJ9\n.e30\r\n.c2ln  ".to_string(), None),
        ("eyJhbGciOiJSUzI1NiJ9%2Ee30%2Ec2ln".to_string(), None),
    ];
    for (input, scheme) in cases {
        let c = extract(&input);
        assert_eq!(c.value, t, "{input:?}");
        assert_eq!(c.scheme.as_deref(), scheme, "{input:?}");
    }
}

#[test]
fn alg_none_is_an_error_and_has_no_signature_finding() {
    let t = format!(
        "{}.{}.",
        b64(&json!({"alg": "none"})),
        b64(&json!({"exp": NOW + 999}))
    );
    let jwt = decode(&t, None);
    assert!(jwt.problems.is_empty());
    assert_eq!(ids(&jwt), ["jwt.alg_none", "jwt.not_okta"]);
}

#[test]
fn malformed_names_the_part_and_keeps_what_decoded() {
    let good_header = b64(&json!({"alg": "RS256"}));
    let cases: &[(String, Part, &str, bool, bool)] = &[
        (
            format!("{good_header}.not-json!!.sig"),
            Part::Payload,
            "'!'",
            true,
            false,
        ),
        (
            format!("{good_header}.{}.sig", URL_SAFE_NO_PAD.encode("hello")),
            Part::Payload,
            "not valid JSON",
            true,
            false,
        ),
        (
            format!("{good_header}.{}.sig", URL_SAFE_NO_PAD.encode("[1]")),
            Part::Payload,
            "an array",
            true,
            false,
        ),
        (
            format!("{good_header}.{}", b64(&json!({"a": 1}))),
            Part::Structure,
            "2 dot-separated segments",
            true,
            true,
        ),
        (
            format!("{good_header}.{}.", b64(&json!({"a": 1}))),
            Part::Signature,
            "empty",
            true,
            true,
        ),
        (
            "abc.def.ghi".to_string(),
            Part::Header,
            "not UTF-8",
            false,
            false,
        ),
        (
            format!("{good_header}.{}.s", b64(&json!({}))),
            Part::Signature,
            "length (1)",
            true,
            true,
        ),
        (
            "eyJhbGciOiJSUzI1NiJ9".to_string(),
            Part::Structure,
            "1 dot-separated segment ",
            true,
            false,
        ),
    ];
    for (t, part, reason, header, claims) in cases {
        let jwt = decode(t, None);
        let p = jwt.problems.first();
        assert_eq!(p.map(|p| p.part), Some(*part), "{t}");
        assert!(
            p.is_some_and(|p| p.reason.contains(reason)),
            "{t}: {:?}",
            jwt.problems
        );
        assert_eq!(jwt.header.is_some(), *header, "{t}");
        assert_eq!(jwt.claims.is_some(), *claims, "{t}");
        let mut f = findings(&jwt, NOW);
        f.iter_mut().for_each(crate::explain::finding);
        assert_eq!(f.first().map(|f| &*f.id), Some("jwt.malformed"));
        assert!(f
            .first()
            .is_some_and(|f| f.title.starts_with("Malformed JWT")));
    }
}

#[test]
fn five_segments_are_a_jwe() {
    let t = format!(
        "{}.a.b.c.d",
        b64(&json!({"alg": "RSA-OAEP", "enc": "A256GCM"}))
    );
    let jwt = decode(&t, None);
    assert!(jwt.encrypted);
    assert_eq!(ids(&jwt), ["jwt.encrypted"]);
}

#[test]
fn view_never_contains_the_signature() {
    let t = token(json!({"alg": "RS256"}), json!({"exp": NOW}));
    let v = decode(&t, Some("Bearer".into())).view(NOW);
    assert!(!serde_json::to_string(&v).unwrap().contains("c2lnbmF0dXJl"));
    assert_eq!(v.signature.bytes, 9);
    assert_eq!(
        v.times.exp.map(|t| t.iso).as_deref(),
        Some("2025-06-15T15:06:40Z")
    );
    assert_eq!(v.scheme.as_deref(), Some("Bearer"));
}

#[test]
fn a_pasted_token_is_read_without_its_notes_and_an_exchange_s_with_them() {
    let t = token(
        json!({"alg": "RS256"}),
        json!({"exp": NOW, "scp": ["openid"]}),
    );
    let jwt = decode(&t, None);
    let (with, without) = (jwt.view(NOW), jwt.view_without_notes(NOW));
    assert!(with.notes.is_some());
    assert_eq!(
        token::Jwt {
            notes: None,
            ..with
        },
        without
    );
    let pasted = crate::recognise::credential(&t, NOW).map(|c| c.view);
    let read = crate::recognise::credential_read(&extract(&t), Some(&jwt), NOW, &t).map(|c| c.view);
    assert!(matches!(pasted, Some(crate::report::Token::Jwt(v)) if v.notes.is_none()));
    assert!(matches!(read, Some(crate::report::Token::Jwt(v)) if v.notes.is_some()));
}

#[test]
fn looks_like_table() {
    let cases = [
        ("eyJ", true),
        ("a.b.c", false),
        ("abc.def.ghi", false),
        ("Zm9v.YmFy.YmF6", true),
        ("kq3j4h5kjh.345kjh345.k3j4h5", true),
        ("dev-123456.okta.com", false),
        ("a1.b2.c3.d4.e5", true),
        ("hello world. foo. bar", false),
        ("www.okta.com", false),
        ("{\"a\":1}.b.c", false),
        ("https://dev-1234.okta.com/app/a/b/sso/saml", false),
        ("http://localhost:8080/a.b/c", false),
    ];
    for (input, want) in cases {
        assert_eq!(looks_like(input), want, "{input}");
    }
}

/// The online check (the popup's verify button) is offered for https: issuers only, for
/// their own origin; an http: issuer gets the terminal commands and a sentence saying why.
#[test]
fn online_verification_is_offered_for_https_issuers_only() {
    let cases = [
        (
            "https://dev-1.okta.com/oauth2/default",
            Some("https://dev-1.okta.com/*"),
        ),
        ("http://localhost:3000/oauth2/default", None),
        ("http://dev-1.okta.com", None),
    ];
    for (iss, origin) in cases {
        let t = token(
            json!({"alg": "RS256", "kid": "k"}),
            json!({"iss": iss, "exp": NOW + 999}),
        );
        let jwt = decode(&t, None);
        let f = findings(&jwt, NOW)
            .into_iter()
            .find(|f| f.id == "jwt.signature_not_checked");
        let mut f = f.unwrap_or_else(|| Finding::new("missing", Severity::Ok, ""));
        crate::explain::finding(&mut f);
        assert_eq!(
            f.action.as_ref().and_then(|a| a.origin.as_deref()),
            origin,
            "{iss}"
        );
        assert_eq!(
            f.detail.contains("only over HTTPS"),
            origin.is_none(),
            "{iss}: {}",
            f.detail
        );
        assert!(!f.commands.is_empty(), "{iss}: the terminal commands stay");
    }
}

/// The payload read straight into `Members` gives what the `Value` reading gave — the same
/// members in the same order, or the same problem words — on the benchmark token's claims,
/// every prefix of them, every one-byte change (to each of a dozen JSON-significant bytes),
/// other JSON values, whitespace and serde_json's raw-value token.
#[test]
fn payload_read_as_members_is_the_value_reading() {
    let claims = r#"{"ver":1,"jti":"AT.kXQiGndvnMxtAnxc8Tfb7yKdY8JRL4c2YQP_UXIGOtg","iss":"https://dev-123456.okta.com/oauth2/default","aud":"api://default","iat":1749999400,"exp":1750003000,"cid":"0oa4dr9kzkykPrLhq0g7","uid":"00u3p97x5mnrXhsiN0g7","scp":["openid","email"],"sub":"x@example.com","n":{"a":[1.5,-2e3,null,true]},"s":"\u00e9\"\\"}"#;
    let mut texts: Vec<String> = (0..=claims.len())
        .filter_map(|n| claims.get(..n).map(str::to_string))
        .collect();
    let bytes = claims.as_bytes();
    for i in 0..bytes.len() {
        for b in *b"{}[]\":,\\ x0-" {
            let mut changed = bytes.to_vec();
            changed[i] = b;
            if let Ok(t) = String::from_utf8(changed) {
                texts.push(t);
            }
        }
    }
    let many: String = (0..80)
        .map(|i| format!("\"k{}\":{i}", i % 50))
        .collect::<Vec<_>>()
        .join(",");
    texts.push(format!("{{{many}}}"));
    texts.push(format!("{{{many},\"k3\":\"last\",\"k3\":[1]}}"));
    texts.push(format!("{{{many},}}"));
    for t in [
        "[]",
        "1",
        "\"s\"",
        "null",
        "true",
        " \r\n\t{\"a\":1}\n",
        "{\"a\":1,\"a\":2}",
        "{\"$serde_json::private::RawValue\":\"{}\"}",
        "{\"x\":{\"$serde_json::private::RawValue\":\"1\"}}",
        "",
        "\u{feff}{}",
    ] {
        texts.push(t.to_string());
    }
    for text in &texts {
        assert_eq!(json_object(text), json_object_as_value(text), "{text}");
    }
    assert!(texts.len() > 4_000, "{}", texts.len());
}

/// `clip` as it was: the reference for [`clipped`].
fn clip_by_chars(s: &str) -> String {
    if s.len() <= 120 && !s.contains(char::is_control) {
        return s.to_string();
    }
    let one_line: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if one_line.chars().count() > 120 {
        let cut: String = one_line.chars().take(117).collect();
        format!("{cut}…")
    } else {
        one_line
    }
}

/// Deciding printable ASCII by bytes clips as the char rule did: every character below
/// U+0800 and a few beyond, alone, inside text, and at the lengths around the 120 limit.
#[test]
fn clip_by_bytes_is_clip_by_chars() {
    let chars = (0u32..0x800)
        .chain([0x2028, 0x3000, 0xfeff, 0x1f600])
        .filter_map(char::from_u32);
    for c in chars {
        for n in [0, 1, 59, 118, 119, 120, 121, 200] {
            let text: String = std::iter::repeat_n('a', n).chain([c]).collect();
            for s in [text.clone(), format!("{c}{text}"), c.to_string()] {
                assert_eq!(clipped(&s), clip_by_chars(&s), "{s:?}");
                assert_eq!(clip(&s), clip_by_chars(&s), "{s:?}");
            }
        }
    }
}

/// Every header and payload of the golden fixtures' tokens (every `eyJ…` run of token
/// characters in an `input.txt`), decoded.
fn golden_token_parts() -> Vec<String> {
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures");
    let mut parts = Vec::new();
    for dir in std::fs::read_dir(fixtures).unwrap() {
        let Ok(text) = std::fs::read_to_string(dir.unwrap().path().join("input.txt")) else {
            continue;
        };
        for (at, _) in text.match_indices("eyJ") {
            let run: String = text[at..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                .collect();
            for segment in run.split('.').take(2) {
                if let Ok(bytes) = crate::encoding::base64url(segment) {
                    parts.extend(String::from_utf8(bytes).ok());
                }
            }
        }
    }
    parts
}

/// The byte scan (`report::token::scanned_members`) reads what serde_json's `Value` reading
/// reads, member for member, and leaves it everything else: over the golden tokens' headers
/// and payloads, every prefix and one-byte change of an Okta token's claims, integers at and
/// past the 18 digits it reads, nesting at and past its depth, escapes, floats, repeated
/// names, objects at and past 32 members. `json_object` (the scan, then the `Value` reading
/// for what it leaves) answers what the `Value` reading answers, errors included.
#[test]
fn scanned_members_are_the_value_reading() {
    let claims = r#"{"ver":1,"jti":"AT.kXQiGndvnMxtAnxc8Tfb7yKdY8JRL4c2YQP_UXIGOtg","iss":"https://dev-123456.okta.com/oauth2/default","aud":"api://default","iat":1749999400,"exp":-1750003000,"cid":"0oa4dr9kzkykPrLhq0g7","uid":"00u3p97x5mnrXhsiN0g7","scp":["openid","email"],"sub":"x@example.com","n":{"a":[0,-2,null,true,false,{}],"a":[]},"s":"é€😀 "}"#;
    let mut texts = golden_token_parts();
    let golden = texts.len();
    texts.extend((0..=claims.len()).filter_map(|n| claims.get(..n).map(str::to_string)));
    let bytes = claims.as_bytes();
    for i in 0..bytes.len() {
        for b in *b"{}[]\":,\\ \t\n\x01\x1fx09-+.eEtfnlu/\x7f" {
            let mut changed = bytes.to_vec();
            changed[i] = b;
            texts.extend(String::from_utf8(changed).ok());
        }
        let mut cut = bytes.to_vec();
        cut.remove(i);
        texts.extend(String::from_utf8(cut).ok());
    }
    for n in [
        "0",
        "-0",
        "1",
        "-1",
        "01",
        "-01",
        "00",
        "-",
        "1.",
        "1.5",
        "1e3",
        "1E3",
        "-1e-3",
        "0.0",
        "123456789012345678",
        "-123456789012345678",
        "999999999999999999",
        "-999999999999999999",
        "1234567890123456789",
        "-1234567890123456789",
        "9223372036854775807",
        "-9223372036854775808",
        "-9223372036854775809",
        "18446744073709551615",
        "18446744073709551616",
        "1e999",
        "-1e999",
        "1x",
        "+1",
        "[1,]",
        "[,1]",
        "[]",
        "[ ]",
        "{}",
        "{ }",
        "{\"a\":1,\"a\":2}",
        "\"\\u00e9\"",
        "\"\\n\"",
        "\"a\\\"b\"",
        "tru",
        "nul",
        "falsey",
        "true ",
        " null",
        "\"\u{7f}\"",
        "\"\u{1}\"",
    ] {
        texts.push(format!("{{\"v\":{n}}}"));
        texts.push(format!("{{\"v\":[{n},{n}],\"w\":{{\"v\":{n}}}}}"));
    }
    for depth in [14, 15, 16, 17, 18, 127, 128, 129, 200] {
        for (open, close) in [("[", "]"), ("{\"d\":", "}")] {
            texts.push(format!(
                "{{\"d\":{}1{}}}",
                open.repeat(depth),
                close.repeat(depth)
            ));
        }
    }
    for n in [30, 31, 32, 33, 40, 80] {
        let members: Vec<String> = (0..n).map(|i| format!("\"k{}\":{i}", i % 31)).collect();
        texts.push(format!("{{{}}}", members.join(",")));
        let distinct: Vec<String> = (0..n).map(|i| format!("\"k{i}\":\"v\"")).collect();
        texts.push(format!("{{{}}}", distinct.join(",")));
        texts.push(format!(" {{ {} }} ", distinct.join(" , ")));
    }
    for t in [
        "{\"\\u0061\":1}",
        "{\"a\" :1 , \"b\": [ 1 , 2 ] }",
        "{\"\":\"\"}",
        "{\"a\":1}x",
        // serde_json's raw-value token: a value, a later name, a nested name, one byte off.
        "{\"a\":\"$serde_json::private::RawValue\"}",
        "{\"a\":1,\"$serde_json::private::RawValue\":2}",
        "{\"a\":{\"b\":1,\"$serde_json::private::RawValue\":\"x\"}}",
        "{\"a\":[{\"$serde_json::private::RawValue\":\"{}\"}]}",
        "{\"$serde_json::private::RawValue\":\"{}\"}",
        "{\"$serde_json::private::RawValue\":\"[1]\",\"b\":2}",
        "{\"$serde_json::private::RawValuE\":\"{}\"}",
        "{\"$serde_json::private::RawValue \":\"{}\"}",
    ] {
        texts.push(t.to_string());
    }
    let (mut compared, mut scanned) = (0, 0);
    for text in &texts {
        if !reads_as_members(text) {
            continue;
        }
        compared += 1;
        if let Some(members) = token::scanned_members(text) {
            scanned += 1;
            assert_eq!(Ok(members), json_object_as_value(text), "{text}");
        }
        assert_eq!(json_object(text), json_object_as_value(text), "{text}");
    }
    assert!(golden >= 20, "{golden} golden token parts");
    assert!(
        compared > 10_000 && scanned > 2_000,
        "{compared} compared, {scanned} scanned"
    );
    assert!(token::scanned_members(claims).is_some());
}
