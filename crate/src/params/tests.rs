use super::*;

#[test]
fn reads_what_was_set_and_nothing_else() {
    let mut p = Params::default();
    assert!(p.is_empty());
    p.set("exp", 1_750_000_000i64);
    p.set("iss", "https://dev-1.okta.com");
    p.set("scopes", vec!["openid", "email"]);
    p.set("dpop", true);
    p.set("missing", Option::<String>::None);
    assert_eq!(p.int("exp"), Some(1_750_000_000));
    assert_eq!(p.num("exp"), Some(1_750_000_000.0));
    assert_eq!(p.text("iss"), Some("https://dev-1.okta.com"));
    assert_eq!(p.texts("scopes"), vec!["openid", "email"]);
    assert!(p.flag("dpop"));
    assert!(p.num("missing").is_none() && p.bool("missing").is_none());
    assert_eq!(p.str("absent"), "");
    assert!(!p.flag("absent"));
    assert_eq!(p.int("iss"), None);
}

#[test]
fn round_trips_as_a_json_object() {
    let mut p = Params::default();
    p.set("status", 429u16);
    p.set("bucket", "/api/v1/users");
    let json = serde_json::to_string(&p).unwrap_or_default();
    assert_eq!(json, r#"{"status":429,"bucket":"/api/v1/users"}"#);
    let back: Params = serde_json::from_str(&json).unwrap_or_default();
    assert_eq!(back, p);
}

/// Typed values write and compare as the `Value`s they were set from: a whole number past
/// `i64`, a float, a list; a stored `null` reads back and writes again.
#[test]
fn typed_values_keep_serde_json_numbers_and_stored_nulls() {
    let mut p = Params::default();
    p.set("big", u64::MAX);
    p.set("neg", -3i64);
    p.set("float", 1.5f64);
    p.set("whole", 2.0f64);
    p.set("nan", f64::NAN);
    p.set("list", vec!["a", "b"]);
    assert_eq!(p.uint("big"), Some(u64::MAX));
    assert_eq!((p.int("big"), p.uint("neg")), (None, None));
    assert_eq!((p.int("float"), p.num("float")), (None, Some(1.5)));
    assert_eq!(p.num("nan"), None);
    let json = serde_json::to_string(&p).unwrap_or_default();
    let want = r#"{"big":18446744073709551615,"neg":-3,"float":1.5,"whole":2.0,"list":["a","b"]}"#;
    assert_eq!(json, want);
    let back: Params = serde_json::from_str(&json).unwrap_or_default();
    assert_eq!(back, p);
    assert_eq!(
        serde_json::to_string(&back.into_object()).unwrap_or_default(),
        want
    );
    let stored = serde_json::json!({"gone": null, "n": 4});
    let read = Params::from_object(&stored);
    assert_eq!(read.int("n"), Some(4));
    assert_eq!(serde_json::to_value(&read).ok(), Some(stored));
}

/// Folded facts write as the `{id, severity, params}` list they were kept as, read back
/// typed when stored in that shape (and compare equal to the facts written), and a stored
/// list of any other shape writes again exactly as it was read.
#[test]
fn folded_facts_write_and_read_back_as_the_json_they_were() {
    let mut inner = Params::default();
    inner.set("code", "E0000047");
    inner.set("status", 429u16);
    inner.set("bucket", Word("/api/v1/users"));
    let mut p = Params::default();
    p.set("signal", Word("E0000047"));
    p.set_facts(
        FOLDED,
        vec![Fact {
            id: "okta_error.E0000047".into(),
            severity: Severity::Error,
            params: inner,
        }],
    );
    let json = serde_json::to_string(&p).unwrap_or_default();
    let want = r#"{"signal":"E0000047","folded":[{"id":"okta_error.E0000047","severity":"error","params":{"code":"E0000047","status":429,"bucket":"/api/v1/users"}}]}"#;
    assert_eq!(json, want);
    let back: Params = serde_json::from_str(&json).unwrap_or_default();
    assert_eq!(back, p);
    assert_eq!(back.facts(FOLDED).len(), 1);
    let read = Params::from_object(&serde_json::from_str(&json).unwrap_or_default());
    assert_eq!(read, p);
    assert_eq!(
        serde_json::to_string(&p.clone().into_object()).unwrap_or_default(),
        want
    );
    for odd in [
        r#"{"folded":[{"severity":"error","id":"x","params":{}}]}"#,
        r#"{"folded":[{"id":"x","severity":"fatal","params":{}}]}"#,
        r#"{"folded":[{"id":"x","severity":"error","params":{},"more":1}]}"#,
        r#"{"folded":[{"id":"x","severity":"error","params":[]}]}"#,
        r#"{"folded":"x"}"#,
    ] {
        let back: Params = serde_json::from_str(odd).unwrap_or_default();
        assert!(back.facts(FOLDED).is_empty(), "{odd}");
        assert_eq!(serde_json::to_string(&back).unwrap_or_default(), odd);
    }
}

/// An entry is 40 bytes (a name 16, a value 24: `Cow<str>` and `String` made it 56), so a
/// usage finding's 25 fit one thread-cache block; the boxed text and name read, compare, write
/// and hand the redactor the same text as before, and the redactor's change is kept.
#[test]
fn entries_are_forty_bytes_and_read_as_before() {
    assert_eq!(std::mem::size_of::<(Name, Param)>(), 40);
    // rate_limit::facts asserts its USAGE_PARAMS entries fit 1,032 bytes at compile time.
    let stored =
        r#"{"status":429,"bucket":"/api/v1/users","note":"Bearer abc","n":null,"list":["x"]}"#;
    let mut read: Params = serde_json::from_str(stored).unwrap_or_default();
    let mut set = Params::default();
    set.set("status", 429u16);
    set.set("bucket", Word("/api/v1/users"));
    set.set("note", String::from("Bearer abc"));
    assert_eq!(read.text("bucket"), set.text("bucket"));
    assert_eq!(read.text("note"), Some("Bearer abc"));
    assert!(read != set, "the stored null and list are kept");
    assert_eq!(serde_json::to_string(&read).unwrap_or_default(), stored);
    // Names compare by their text wherever they came from (a stored one, another literal).
    let other = String::from("status");
    assert!(read.0.iter().any(|(n, _)| *n == *other.as_str()));
    assert!(Name::Read(Box::new(other.as_str().into())) == Name::Core("status"));
    assert!(Name::Core("statut") != Name::Core("status"));
    assert!(Name::Core("") == Name::Read(Box::default()));
    let mut seen = Vec::new();
    for p in [&mut read, &mut set] {
        p.each_string(&mut |s| {
            seen.push(s.clone());
            if s.starts_with("Bearer") {
                *s = "[REDACTED]".into();
            }
        });
    }
    assert_eq!(seen, ["/api/v1/users", "Bearer abc", "x", "Bearer abc"]);
    assert_eq!(
        (read.text("note"), set.text("note")),
        (Some("[REDACTED]"), Some("[REDACTED]"))
    );
    assert_eq!(read.text("bucket"), Some("/api/v1/users"));
}

/// With the marks, setting and reading answer what looking at every name answered: 300 names
/// (many sharing a mark) set, set again, read back, taken out and set again, against a plain
/// list of pairs; stored names too.
#[test]
fn marks_answer_what_the_scan_answered() {
    let names: Vec<&'static str> = (0..300)
        .map(|i| &*Box::leak(format!("n{}{}", i % 17, "x".repeat(i % 5)).into_boxed_str()))
        .collect();
    let mut p = Params::default();
    let mut want: Vec<(&str, i64)> = Vec::new();
    for (i, name) in names.iter().enumerate() {
        p.set(name, i as i64);
        match want.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = i as i64,
            None => want.push((name, i as i64)),
        }
    }
    let got: Vec<(&str, i64)> =
        p.0.iter()
            .map(|(n, v)| (n.as_str(), v.as_i64().unwrap_or(-1)))
            .collect();
    assert_eq!(got, want);
    for (n, v) in &want {
        assert_eq!(p.int(n), Some(*v));
    }
    assert_eq!(p.int("absent"), None);
    p.set_facts(FOLDED, Vec::new());
    assert!(p.take_facts(FOLDED).is_empty() && p.get(FOLDED).is_none());
    p.set_facts(
        FOLDED,
        vec![Fact {
            id: "x".into(),
            severity: Severity::Info,
            params: Params::default(),
        }],
    );
    assert_eq!(p.facts(FOLDED).len(), 1);
    let mut stored: Params = serde_json::from_str(r#"{"status":1,"n1x":2}"#).unwrap_or_default();
    stored.set("status", 3);
    stored.set("n1x", 4);
    stored.set("new", 5);
    assert_eq!(
        serde_json::to_string(&stored).unwrap_or_default(),
        r#"{"status":3,"n1x":4,"new":5}"#
    );
}

/// The way every parameter was set before `params/into.rs`: through its JSON value.
fn through_value(v: impl Into<Value>) -> Option<Param> {
    Param::of(v.into())
}

/// Same variant and same value (`Param`'s `==` lets a word equal a text; here the variant counts).
fn same(a: &Option<Param>, b: &Option<Param>) -> bool {
    let name = |p: &Option<Param>| format!("{p:?}");
    name(a) == name(b) && a == b
}

#[test]
fn set_straight_is_set_through_the_value() {
    let texts = [
        "",
        "a",
        "é\"\\\n\u{1}",
        "https://dev-1.okta.com/oauth2/v1/token?x=1",
    ];
    for t in texts {
        assert!(same(&t.into_param(), &through_value(t)), "{t:?}");
        let s = t.to_string();
        assert!(
            same(&(&s).into_param(), &through_value(s.as_str())),
            "{t:?}"
        );
        let mut long = String::with_capacity(64);
        long.push_str(t);
        assert!(
            same(&long.clone().into_param(), &through_value(long)),
            "{t:?}"
        );
        let cow = std::borrow::Cow::Borrowed(t);
        assert!(
            same(&cow.clone().into_param(), &through_value(cow)),
            "{t:?}"
        );
        assert!(
            same(&Some(t).into_param(), &through_value(Some(t))),
            "{t:?}"
        );
    }
    for b in [true, false] {
        assert!(same(&b.into_param(), &through_value(b)));
    }
    for i in [0, 1, -1, i64::MIN, i64::MAX, 429, -86_400] {
        assert!(same(&i.into_param(), &through_value(i)), "{i}");
        assert!(same(&Some(i).into_param(), &through_value(Some(i))), "{i}");
        if let Ok(n) = i32::try_from(i) {
            assert!(same(&n.into_param(), &through_value(n)), "{n}");
        }
        if let Ok(n) = u16::try_from(i) {
            assert!(same(&n.into_param(), &through_value(n)), "{n}");
        }
        if let Ok(n) = u32::try_from(i) {
            assert!(same(&n.into_param(), &through_value(n)), "{n}");
        }
        if let Ok(n) = usize::try_from(i) {
            assert!(same(&n.into_param(), &through_value(n)), "{n}");
        }
    }
    for u in [0, 1, i64::MAX as u64, i64::MAX as u64 + 1, u64::MAX] {
        assert!(same(&u.into_param(), &through_value(u)), "{u}");
    }
    for f in [
        0.0,
        -0.0,
        3.0,
        0.5,
        -1e300,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
    ] {
        assert!(same(&f.into_param(), &through_value(f)), "{f}");
        assert!(
            same(&(f as f32).into_param(), &through_value(f as f32)),
            "{f}"
        );
    }
    assert!(same(
        &Option::<&str>::None.into_param(),
        &through_value(Option::<&str>::None)
    ));
    assert!(same(
        &Option::<i64>::None.into_param(),
        &through_value(Option::<i64>::None)
    ));
    let list = vec!["openid", "email"];
    assert!(same(
        &list.clone().into_param(),
        &through_value(list.clone())
    ));
    assert!(same(
        &list.as_slice().into_param(),
        &through_value(list.as_slice())
    ));
    let v = serde_json::json!({"a": [1, null]});
    assert!(same(&v.clone().into_param(), &through_value(v.clone())));
    let m = v.as_object().cloned().unwrap_or_default();
    assert!(same(&m.clone().into_param(), &through_value(m)));
    assert!(same(&Value::Null.into_param(), &None));
}

/// `same` (a word at a time, a literal by where it is) is `==`: texts of 0 to 40 bytes
/// against themselves copied, against each one-byte change at every place, against every
/// shorter and longer cut, and cuts of one buffer that start at the same place.
#[test]
fn same_is_str_eq() {
    let base = "https://dev-123456.okta.com/api/v1/users?limit=200é";
    let (mut equal, mut unequal) = (0, 0);
    let mut check = |a: &str, b: &str| {
        assert_eq!(text::same(a, b), a == b, "{a:?} {b:?}");
        match a == b {
            true => equal += 1,
            false => unequal += 1,
        }
    };
    for n in 0..=40 {
        let a = base.get(..n).unwrap();
        check(a, a);
        // A copy: the same text in another place.
        let copy = String::from(a);
        check(a, &copy);
        for m in 0..=40 {
            check(a, base.get(..m).unwrap());
            let copy = String::from(base.get(..m).unwrap());
            check(a, &copy);
        }
        for at in 0..n {
            for to in [b'\0', b'x', b'A', b'~'] {
                let mut b = a.as_bytes().to_vec();
                b[at] = if b[at] == to { to + 1 } else { to };
                let b = String::from_utf8(b).unwrap();
                check(a, &b);
                check(&b, a);
            }
        }
    }
    check("é", "è");
    check(base, base.strip_suffix('é').unwrap());
    assert!(equal > 150 && unequal > 5_000, "{equal} {unequal}");
}
