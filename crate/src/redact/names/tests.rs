use super::*;

/// The table's rules in file order.
fn rules() -> impl Iterator<Item = &'static Rule> {
    table().rules.iter().flatten()
}

#[test]
fn spellings_of_one_name_agree() {
    for name in [
        "refresh_token",
        "refreshToken",
        "Refresh-Token",
        "REFRESH_TOKEN",
        "%72efresh_token",
        "refresh%5Ftoken",
        "x-okta-xsrftoken",
        "X-Device-Token",
        "activationToken",
        "registration_access_token",
        "interactionHandle",
        "stateHandle",
        "Set-Cookie",
    ] {
        assert_eq!(classify(name), Some(Secret::Digest), "{name}");
    }
    for name in [
        "password",
        "oldPassword",
        "tempPassword",
        "credentials.password",
        "user[password]",
        "sharedSecret",
        "client_secret",
        "passCode",
        "answer",
        "code_verifier",
        "client_assertion",
        "user_code",
    ] {
        assert_eq!(classify(name), Some(Secret::Mask), "{name}");
    }
    for name in ["SAMLResponse", "samlRequest", "SAML_Response"] {
        assert_eq!(classify(name), Some(Secret::Saml), "{name}");
    }
    for (name, secret) in [("Code", true), ("%63ode", true), ("STATE", true)] {
        assert_eq!(is_secret(name), secret, "{name}");
    }
}

#[test]
fn support_fields_are_not_secrets() {
    for name in [
        "errorId",
        "errorCode",
        "X-Okta-Request-Id",
        "client_id",
        "token_type",
        "token_type_hint",
        "grant_type",
        "redirect_uri",
        "scope",
        "expires_in",
        "status",
        "identifier",
        "Content-Type",
        "",
        "%%",
    ] {
        assert_eq!(classify(name), None, "{name}");
    }
}

#[test]
fn the_data_file_parses_whole() {
    let listed = LIST
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .count();
    assert_eq!(rules().count(), listed);
    assert!(listed >= 40);
    // Every rule can match: its name is a normalised one.
    for r in rules() {
        assert!(!r.name.is_empty(), "an empty rule name");
        assert_eq!(normalise(r.name), r.name, "{} is not normalised", r.name);
    }
}

/// The classifier before the tables: normalise into a `String`, then every rule in file order.
fn slow(name: &str) -> Option<Secret> {
    let n = normalise(name);
    if n.is_empty() {
        return None;
    }
    rules()
        .find(|r| match r.how {
            Match::Exact => n == r.name,
            Match::Suffix => n.ends_with(r.name),
            Match::Contains => n.contains(r.name),
        })
        .map(|r| r.secret)
}

fn agree(name: &str) {
    assert_eq!(classify(name), slow(name), "{name:?}");
    if let Some(n) = plain(name, &mut [0; PLAIN_MAX]) {
        assert_eq!(n, normalise(name).as_bytes(), "{name:?}");
    }
}

/// A name spelt as code and protocols spell it, from its normalised form.
fn spellings(n: &str) -> Vec<String> {
    let upper = n.to_ascii_uppercase();
    let camel: String = n
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if i % 4 == 3 {
                c.to_ascii_uppercase()
            } else {
                c
            }
        })
        .collect();
    let snake = n.chars().map(String::from).collect::<Vec<_>>();
    let percent: String = n.bytes().map(|b| format!("%{b:02X}")).collect();
    let first_encoded = n
        .bytes()
        .next()
        .map(|b| format!("%{b:02x}{}", n.get(1..).unwrap_or_default()))
        .unwrap_or_default();
    vec![
        n.to_string(),
        upper.clone(),
        camel.clone(),
        snake.join("_"),
        snake.join("-"),
        format!("X-{camel}"),
        format!("my_{n}"),
        format!("{n}_id"),
        format!("{n}s"),
        format!("{camel}Hint"),
        percent.clone(),
        first_encoded.clone(),
        format!("%25{}", first_encoded.get(1..).unwrap_or_default()),
        format!("user.{n}"),
        format!("{n}.value"),
        format!("credentials.{upper}"),
        format!("user[{n}]"),
        format!("user[{n}]]"),
        format!("user[{n}] "),
        format!("a[{n}][0]"),
        format!("{n}+x"),
        format!("x+{n}"),
        format!("{n}%"),
        format!("{n}%2"),
        format!("{n}%2E"),
        format!("é{n}"),
        format!("{n}é"),
        format!("{}{n}", "x".repeat(28)),
        format!("{}{n}", "x".repeat(60)),
        format!("{n}{}", "y".repeat(70)),
    ]
}

#[test]
fn the_tables_answer_as_every_rule_in_turn() {
    let mut names: Vec<String> = Vec::new();
    for r in rules() {
        names.extend(spellings(r.name));
    }
    // Every claim and header parameter a token view names.
    for line in crate::catalogue::data!("claims.tsv").lines() {
        if let Some(claim) = line.split('\t').next().filter(|c| !c.starts_with('#')) {
            names.extend(spellings(claim));
        }
    }
    names.extend(
        [
            "",
            "%",
            "%2",
            "%%",
            "+",
            ".",
            "[",
            "]",
            "..",
            "[]",
            "a.",
            ".a",
            "token.",
            ".token",
            "token[",
            "x[token]]",
            "x[]",
            "x.]",
            "%2E",
            "a%2Etoken",
            "token%2Ex",
            "a%5Btoken",
            "%252E",
            "%%41",
            "%GG",
            "% token",
            "%C3%A9token",
            "%FF%FEtoken",
            "éé",
            "é.é",
            "tokén",
            "tok-en",
            "TOKEN",
            "t0ken",
            "0",
            "9token",
            "\0token",
            "token\0",
            "\u{0130}d",
            "ſecret",
            "ＴＯＫＥＮ",
            "p a s s w o r d",
            "passwor",
            "passwd",
            "apasswdb",
            "sec.ret",
            "secret.",
            "a]b",
            "a b",
            "tokens",
            "ttokens",
            "handle",
            "code",
            "codes",
            "xcode",
        ]
        .map(String::from),
    );
    // Long names, around the stack buffer's length.
    for len in [30usize, 31, 32, 33, 34, 62, 63, 64, 65, 66, 200, 5_000] {
        for tail in ["token", "password", "code", "samlresponse", ""] {
            let mut name = "a".repeat(len.saturating_sub(tail.len()));
            name.push_str(tail);
            names.push(name.clone());
            names.push(format!("{name}%"));
            names.push(format!("x.{name}"));
            names.push(format!(
                "{}password{}",
                "b".repeat(len / 2),
                "c".repeat(len / 2)
            ));
        }
    }
    // Random names from pieces of rule names and every byte class normalising treats apart.
    let pieces = [
        "to", "ken", "pass", "word", "wd", "sec", "ret", "code", "c", "s", "hand", "le", "_", "-",
        ".", "[", "]", " ", "%", "%2", "%2E", "%5B", "%25", "+", "é", "A", "Z", "0", "\u{7f}",
        "saml", "response", "state", "id", "x",
    ];
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..20_000 {
        let mut name = String::new();
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        for k in 0..(seed % 9) {
            let pick = (seed >> (k * 6 + 4)) as usize % pieces.len();
            name.push_str(pieces.get(pick).copied().unwrap_or_default());
        }
        names.push(name);
    }
    for name in &names {
        agree(name);
    }
    // Both answers, of each kind, many times over: the comparison is not of `None`s alone.
    for secret in [
        Some(Secret::Digest),
        Some(Secret::Mask),
        Some(Secret::Saml),
        None,
    ] {
        let count = names.iter().filter(|n| classify(n) == secret).count();
        assert!(count > 30, "{secret:?}: {count}");
    }
    assert!(names.len() > 20_000, "{}", names.len());
}

/// Every word of every golden fixture's input (its parameter, header, member and field names
/// among them), split at bytes no name holds.
#[test]
fn the_tables_answer_as_every_rule_in_turn_on_the_fixtures() {
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures");
    let mut seen = std::collections::HashSet::new();
    for dir in std::fs::read_dir(fixtures).unwrap() {
        let Ok(text) = std::fs::read_to_string(dir.unwrap().path().join("input.txt")) else {
            continue;
        };
        let words = text.split(|c: char| {
            !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '%' | '+' | '[' | ']'))
        });
        for word in words.filter(|w| !w.is_empty()) {
            if seen.insert(word.to_string()) {
                agree(word);
            }
        }
    }
    assert!(seen.len() > 1_000, "{}", seen.len());
}
