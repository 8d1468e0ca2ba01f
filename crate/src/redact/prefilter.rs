//! The seal's prefilter: could a string hold a JWT or an SSWS token at all? Sealing scans every
//! string of every report, almost all of them plain prose, so this must be cheap: eight bytes
//! at a time, looking byte by byte only at a word that holds a 'J' (a JWT starts "eyJ") or a
//! '0' (an SSWS token is a run of exactly 42 token characters starting "00").

/// One pass over the bytes, no allocation.
pub(crate) fn may_hold_secret(s: &str) -> bool {
    let bytes = s.as_bytes();
    let hit = |i: usize, b: u8| hit_at(bytes, i, b);
    let words = bytes.chunks_exact(8);
    let tail = words.remainder();
    let at_tail = bytes.len() - tail.len();
    // An SSWS token is a run of 42 bytes: a shorter string can hold only a JWT's "eyJ", so
    // its '0's (every number, most ids) need no look (docs/performance-log.md, "liveFold, seventh
    // pass").
    let ssws = bytes.len() >= SSWS_LEN;
    for (w, chunk) in words.enumerate() {
        let word = <[u8; 8]>::try_from(chunk).map_or(u64::MAX, u64::from_le_bytes);
        if has_byte(word, b'J') || (ssws && has_byte(word, b'0')) {
            let start = w * 8;
            if chunk.iter().enumerate().any(|(k, b)| hit(start + k, *b)) {
                return true;
            }
        }
    }
    tail.iter()
        .enumerate()
        .any(|(k, b)| (ssws || *b == b'J') && hit(at_tail + k, *b))
}

/// An SSWS token's length: "00" and 40 more token characters.
const SSWS_LEN: usize = 42;

/// A string the seal's value scrub leaves as it is without looking further: shorter than an
/// SSWS token, with no `J` (so no `eyJ`: [`may_hold_secret`] is false) and no `/` (so no
/// `://` and no leading `/`: `url::looks_like_url` is false). Most short strings of a token
/// report — an algorithm, ids, scopes, times, fixed evidence — are, and are answered by two
/// byte tests eight bytes at a time (docs/performance-log.md, "analyzeText, tenth pass").
pub(crate) fn plainly_short(s: &str) -> bool {
    let bytes = s.as_bytes();
    if bytes.len() >= SSWS_LEN {
        return false;
    }
    let words = bytes.chunks_exact(8);
    let tail = words.remainder();
    let mut hit = false;
    for w in words {
        // Always eight bytes; were it not, the word would read as `J`s: not plain.
        let x = <[u8; 8]>::try_from(w).map_or(u64::from_le_bytes([b'J'; 8]), u64::from_le_bytes);
        hit |= has_byte(x, b'J') | has_byte(x, b'/');
    }
    !hit && !tail.iter().any(|b| *b == b'J' || *b == b'/')
}

fn token_char(b: Option<&u8>) -> bool {
    b.is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_')
}

/// Does the secret-shaped run start at byte `i` (which is `b`)?
fn hit_at(bytes: &[u8], i: usize, b: u8) -> bool {
    match b {
        b'J' => i >= 2 && bytes.get(i - 2..i) == Some(b"ey"),
        b'0' => {
            i >= 1
                && bytes.get(i - 1) == Some(&b'0')
                && (i == 1 || !token_char(bytes.get(i - 2)))
                && bytes
                    .get(i - 1..i + 41)
                    .is_some_and(|run| run.iter().all(|b| token_char(Some(b))))
                && !token_char(bytes.get(i + 41))
        }
        _ => false,
    }
}

/// Does `word` contain the byte `b`? (The classic SWAR zero-byte test on `word ^ b…b`.)
fn has_byte(word: u64, b: u8) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let x = word ^ (ONES * u64::from(b));
    x.wrapping_sub(ONES) & !x & HIGHS != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    const JWT: &str = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIwMHUxIn0.SIGNATURESECRETSIGNATURESECRET";
    const SSWS: &str = "00igKrTNyNLHCw0wYSIsoDF28cN4B3KZPETBz9pqz0";

    /// Every byte, one by one: what the word-at-a-time scan must agree with.
    fn bytewise(s: &str) -> bool {
        let bytes = s.as_bytes();
        bytes.iter().enumerate().any(|(i, b)| hit_at(bytes, i, *b))
    }

    #[test]
    fn agrees_with_bytewise_at_every_word_offset() {
        let run43 = "0".repeat(43);
        let fragments = [
            "eyJ", "ey", "J", "e", "00", "0", SSWS, JWT, &run43, "a", " ", "é", "yJ",
        ];
        let mut checked = 0;
        for pad in 0..17 {
            for a in fragments {
                for b in fragments {
                    for sep in ["", " ", "x"] {
                        let text = format!("{}{a}{sep}{b}", "x".repeat(pad));
                        let spaced = format!("{} {a}{sep}{b} ", " ".repeat(pad));
                        for t in [&text, &spaced] {
                            assert_eq!(may_hold_secret(t), bytewise(t), "{t:?}");
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert!(checked > 10_000);
        // Positives and negatives both occur at the boundaries of the eight-byte words.
        assert!(may_hold_secret(&format!("{}eyJ", "x".repeat(6))));
        assert!(may_hold_secret(&format!("{} {SSWS}", "x".repeat(6))));
        assert!(!may_hold_secret(&format!("{}ey J", "x".repeat(6))));
    }
}
