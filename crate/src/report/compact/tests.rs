use super::*;
use serde::Serialize;
use std::collections::BTreeMap;

/// Byte for byte what serde_json writes, on every golden fixture's report, as data and
/// as shown (escapes, non-ASCII text and nesting included).
#[test]
fn same_text_as_serde_json() {
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures");
    let mut checked = 0;
    for dir in std::fs::read_dir(fixtures).unwrap() {
        let Ok(text) = std::fs::read_to_string(dir.unwrap().path().join("input.txt")) else {
            continue;
        };
        let data = crate::facts_of_text(&text, 1_750_000_000);
        let shown = crate::analyze_text(&text, 1_750_000_000);
        for report in [&data, &shown] {
            assert_eq!(to_json(report), serde_json::to_string(report).ok());
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked}");
}

fn same<T: Serialize + ?Sized>(v: &T) {
    assert_eq!(to_json(v), serde_json::to_string(v).ok());
}

#[derive(Serialize)]
enum Shapes {
    Unit,
    Newtype(i8),
    Tuple(u16, i32),
    Struct { a: Option<u8>, b: () },
}

#[derive(Serialize)]
struct Odd {
    #[serde(rename = "we\"ird\n")]
    weird: char,
    #[serde(skip_serializing_if = "Option::is_none")]
    skipped: Option<u32>,
    unit: Unit,
    newtype: Newtype,
    tuple: (bool, i64, u64),
    shapes: Vec<Shapes>,
    #[serde(with = "serde_bytes_like")]
    bytes: Vec<u8>,
    empty: Vec<u8>,
    empty_map: BTreeMap<String, u8>,
}

#[derive(Serialize)]
struct Unit;

#[derive(Serialize)]
struct Newtype(&'static str);

/// `serialize_bytes`, which no derive calls by itself.
mod serde_bytes_like {
    pub fn serialize<S: serde::Serializer>(v: &[u8], s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_bytes(v)
    }
}

/// Values no report holds today, written as serde_json writes them all the same: escapes
/// of every kind, floats (finite or not), the integer extremes, every enum shape, keys that
/// are numbers or bools.
#[test]
fn same_text_as_serde_json_on_odd_values() {
    same(
        &serde_json::json!({"q": "\"\\\n\u{1}\u{8}\u{c}\r\t\u{1f}\u{7f}/é€😀", "n": [1.5, -0.0, null, true]}),
    );
    same(&[f64::NAN, f64::INFINITY, 1e300, -2.5e-7, 0.1]);
    same(&[f32::MIN, 3.25]);
    same(&(
        i64::MIN,
        i64::MAX,
        u64::MAX,
        0u64,
        -1i8,
        i128::MIN,
        u128::MAX,
    ));
    same(&Odd {
        weird: '"',
        skipped: None,
        unit: Unit,
        newtype: Newtype("a\u{0}b"),
        tuple: (false, -42, 7),
        shapes: vec![
            Shapes::Unit,
            Shapes::Newtype(-3),
            Shapes::Tuple(1, 2),
            Shapes::Struct { a: Some(9), b: () },
        ],
        bytes: vec![0, 255, 10],
        empty: vec![],
        empty_map: BTreeMap::new(),
    });
    let ints: BTreeMap<i32, &str> = [(-1, "a"), (20, "b")].into();
    same(&ints);
    let bools: BTreeMap<bool, u8> = [(true, 1), (false, 0)].into();
    same(&bools);
    let chars: BTreeMap<char, u8> = [('"', 1), ('é', 0)].into();
    same(&chars);
    let units: BTreeMap<u8, ()> = [(255, ())].into();
    same(&units);
    // Strings of every length around the eight-byte step, with an escape at each place.
    for len in 0..20 {
        for at in 0..=len {
            let mut s: String = "abcdefghijklmnopqrstu".chars().take(len).collect();
            s.insert(at, '"');
            same(&s);
            s.insert(at, '\u{1}');
            same(&s);
        }
    }
}

/// Keys serde_json refuses are refused here too.
#[test]
fn keys_serde_json_refuses_fail() {
    let seqs: BTreeMap<String, BTreeMap<Vec<u8>, u8>> =
        [("a".to_string(), [(vec![1], 1)].into())].into();
    assert!(serde_json::to_string(&seqs).is_err());
    assert_eq!(to_json(&seqs), None);
    assert!(serde_json::to_string(&FloatKey(f64::NAN)).is_err());
    assert_eq!(to_json(&FloatKey(f64::NAN)), None);
    same(&FloatKey(-1.5));
}

/// A map whose one key is a float (no std map holds those).
struct FloatKey(f64);

impl Serialize for FloatKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_map([(self.0, "v")])
    }
}

/// The eight-at-a-time test answers as the byte rule does, for every byte at every place
/// among bytes of any other value.
#[test]
fn chunk_test_matches_the_byte_rule() {
    for b in 0..=255u8 {
        for fill in 0..=255u8 {
            for at in 0..8 {
                let mut word = [fill; 8];
                if let Some(w) = word.get_mut(at) {
                    *w = b;
                }
                let expected = word.iter().any(|x| needs_escape(*x));
                assert_eq!(
                    chunk_needs_escape(u64::from_le_bytes(word)),
                    expected,
                    "{word:?}"
                );
            }
        }
    }
}

/// A string of at most eight bytes (checked as one word, written as ten bytes cut to length)
/// is written as serde_json writes it: every ASCII character and some wider ones at every
/// place of strings of 0–10 bytes among fills of every kind, after text already written.
#[test]
fn short_strings_are_serde_jsons() {
    let odd = ['é', '€', '😀', '\u{7f}', '\u{80}'];
    let chars: Vec<char> = (0..=127u8).map(char::from).chain(odd).collect();
    let mut checked = 0;
    for fill in ['a', ' ', '"', '\\', '\n', '\0', 'é'] {
        for len in 0..=10usize {
            for at in 0..len.max(1) {
                for &c in &chars {
                    let s: String = (0..len).map(|i| if i == at { c } else { fill }).collect();
                    let v = ("x", &s, [&s[..], "tail"]);
                    same(&v);
                    assert_eq!(short_word(s.as_bytes()).is_some(), s.len() <= 8);
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 5_000, "{checked}");
    // The wasm build's way writes what the native one does, after any text.
    for len in 0..=8usize {
        for &c in &chars[..128] {
            let s: String = (0..len)
                .map(|i| if i + 1 == len { c } else { 'q' })
                .collect();
            let (mut stored, mut pushed) = (Writer(b"[1,".to_vec()), Writer(b"[1,".to_vec()));
            stored.short_stored(short_word(s.as_bytes()).unwrap(), len);
            pushed.short_pushed(s.as_bytes());
            assert_eq!(stored.0, pushed.0, "{s:?}");
        }
    }
    // The word is the bytes, zero above them.
    for len in 0..=8usize {
        let s: Vec<u8> = (1..=len as u8).collect();
        let mut word = [0u8; 8];
        word[..len].copy_from_slice(&s);
        assert_eq!(short_word(&s), Some(u64::from_le_bytes(word)), "{len}");
    }
}
