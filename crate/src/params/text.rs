//! Whether two texts are the same, read eight bytes at a time: what a repeated finding's
//! comparison reads (a digest group holding the finding a storm repeats compares every id,
//! evidence value and parameter of it again: `Digest::add_sealed`). `==` on `str` is a
//! `memcmp`, which in the wasm build is compiler-builtins' loop over single bytes
//! (docs/performance-log.md, "liveFold, fifteenth pass"). Safe code: each word a
//! `[u8; 8]` taken from the slice.

/// `a == b`: the same length; the same text when the same place (a core label or word, kept
/// borrowed, is set and compared through the same literal); else every word, then the last
/// (overlapping) word; a text shorter than a word by its halves.
#[inline]
pub(crate) fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    if std::ptr::eq(a.as_ptr(), b.as_ptr()) {
        return true;
    }
    same_bytes(a, b)
}

/// `a == b` for slices of one length, not the same place.
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n >= 8 {
        let words = a.chunks_exact(8).zip(b.chunks_exact(8));
        let tail = n - 8;
        return words.into_iter().all(|(x, y)| word(x) == word(y))
            && word(a.get(tail..).unwrap_or_default()) == word(b.get(tail..).unwrap_or_default());
    }
    if n >= 4 {
        let tail = n - 4;
        return half(a) == half(b)
            && half(a.get(tail..).unwrap_or_default()) == half(b.get(tail..).unwrap_or_default());
    }
    // 0 to 3 bytes: the first, the middle and the last (the same byte when fewer).
    let at = |s: &[u8], i: usize| s.get(i).copied();
    n == 0 || (at(a, 0) == at(b, 0) && at(a, n / 2) == at(b, n / 2) && at(a, n - 1) == at(b, n - 1))
}

/// The first eight bytes of `s` as one number (0 when `s` is shorter: never, as called).
#[inline]
fn word(s: &[u8]) -> u64 {
    let w = s.get(..8).and_then(|w| <[u8; 8]>::try_from(w).ok());
    u64::from_ne_bytes(w.unwrap_or_default())
}

/// The first four bytes of `s` as one number (0 when `s` is shorter: never, as called).
#[inline]
fn half(s: &[u8]) -> u32 {
    let w = s.get(..4).and_then(|w| <[u8; 4]>::try_from(w).ok());
    u32::from_ne_bytes(w.unwrap_or_default())
}
