//! Which names hold secrets: the one list in `crate/data/secret_names.tsv`, matched after
//! normalising the name (percent/form decoding, last segment of `a.b`/`a[b]`, case, `_`/`-`),
//! so `refreshToken`, `refresh_token`, `Refresh-Token` and `%72efresh_token` are the same name.
//!
//! It runs for every URL parameter, body member and token member the seal looks at (the live
//! fold, every paste), so a name with nothing to decode is normalised on the stack ([`plain`])
//! and looked up in the rules bucketed once from the list ([`Table`]): exact rules by first
//! byte, suffix rules by last byte, the few `contains` rules by the bytes of the name. The
//! first rule of the file that matches decides, as when every rule was tried in turn.

use std::{borrow::Cow, sync::OnceLock};

const LIST: &str = crate::catalogue::data!("secret_names.tsv");

/// How a secret value is replaced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Secret {
    /// `REDACTED:sha256:1a2b3c4d` (tokens, codes, cookies): high-entropy values support may
    /// need to match across requests.
    Digest,
    /// `REDACTED`: passwords, passcodes, answers, verifiers.
    Mask,
    /// A whole SAML message: a marker saying what was there (crate/src/saml/marker.rs).
    Saml,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Match {
    Exact,
    Suffix,
    Contains,
}

#[derive(Clone, Copy)]
struct Rule {
    name: &'static str,
    how: Match,
    secret: Secret,
}

/// A set of rules by number, bit `i` for the list's rule `i`: taken lowest first, a set
/// answers in file order.
type Rules = u128;

/// Lines in the list (its `#` comments are stripped at build time): the most rules it holds.
const LINES: usize = lines(LIST.as_bytes());
const _: () = assert!(
    LINES <= Rules::BITS as usize,
    "secret_names.tsv has more lines than names::Rules has bits: widen it"
);

const fn lines(mut text: &[u8]) -> usize {
    let mut count = 1;
    while let [b, rest @ ..] = text {
        if *b == b'\n' {
            count += 1;
        }
        text = rest;
    }
    count
}

/// The list's rules in file order, and which of them a name can match, by the byte its
/// comparison starts from (exact rules by first byte, suffix rules by last byte, `contains`
/// rules by first byte, at each byte of the name) and by length. Nothing on the heap: built
/// once, in place.
struct Table {
    rules: [Option<Rule>; LINES],
    exact: [Rules; SLOTS],
    suffix: [Rules; SLOTS],
    contains: [Rules; SLOTS],
    /// Rules by the length of their name ([`LENS`]): exactly it, and at most it.
    len_is: [Rules; LENS],
    len_fits: [Rules; LENS],
    /// The length of the shortest `contains` rule.
    contains_min: usize,
    /// Suffix or `contains` rules with an empty name (they match every name).
    always: Rules,
}

/// Letters and digits: a normalised name holds nothing else.
const SLOTS: usize = 36;

/// Name lengths told apart; the last counts every longer one too (a set of candidates may
/// hold more rules than can match, never fewer).
const LENS: usize = 33;

fn len_slot(len: usize) -> usize {
    len.min(LENS - 1)
}

fn slot(b: u8) -> Option<usize> {
    match b {
        b'a'..=b'z' => Some(usize::from(b - b'a')),
        b'0'..=b'9' => Some(26 + usize::from(b - b'0')),
        _ => None,
    }
}

/// Adds rule `i` to the set at `b`'s slot (a byte no normalised name holds: never matched).
fn add(sets: &mut [Rules; SLOTS], b: u8, i: usize) {
    if let Some(set) = slot(b).and_then(|s| sets.get_mut(s)) {
        *set |= 1 << i;
    }
}

fn parse(line: &'static str) -> Option<Rule> {
    let mut cols = line.split('\t');
    let name = cols.next()?.trim();
    let how = match cols.next()?.trim() {
        "exact" => Match::Exact,
        "suffix" => Match::Suffix,
        "contains" => Match::Contains,
        _ => return None,
    };
    let secret = match cols.next()?.trim() {
        "digest" => Secret::Digest,
        "mask" => Secret::Mask,
        "saml" => Secret::Saml,
        _ => return None,
    };
    Some(Rule { name, how, secret })
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = Table {
            rules: [None; LINES],
            exact: [0; SLOTS],
            suffix: [0; SLOTS],
            contains: [0; SLOTS],
            len_is: [0; LENS],
            len_fits: [0; LENS],
            contains_min: usize::MAX,
            always: 0,
        };
        let rules = LIST
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(parse);
        for (i, (r, to)) in rules.zip(t.rules.iter_mut()).enumerate() {
            *to = Some(r);
            let name = r.name.as_bytes();
            if let Some(set) = t.len_is.get_mut(len_slot(name.len())) {
                *set |= 1 << i;
            }
            for set in t.len_fits.iter_mut().skip(len_slot(name.len())) {
                *set |= 1 << i;
            }
            match (r.how, name.first().zip(name.last())) {
                (Match::Exact, Some((&b, _))) => add(&mut t.exact, b, i),
                (Match::Suffix, Some((_, &b))) => add(&mut t.suffix, b, i),
                (Match::Contains, Some((&b, _))) => {
                    add(&mut t.contains, b, i);
                    t.contains_min = t.contains_min.min(name.len());
                }
                // An empty name: equal to no name, a suffix and a part of every one.
                (Match::Exact, None) => {}
                (Match::Suffix | Match::Contains, None) => t.always |= 1 << i,
            }
        }
        t
    })
}

impl Table {
    /// The first rule of the file matching the normalised name `n`: of the exact rules of its
    /// first byte and length, the suffix rules of its last byte and the `contains` rules of its
    /// bytes (those two no longer than `n`), each compared in file order until one matches.
    fn find(&self, n: &[u8]) -> Option<Secret> {
        let (first, last) = (slot(*n.first()?)?, slot(*n.last()?)?);
        let at = |sets: &[Rules], s: usize| sets.get(s).copied().unwrap_or(0);
        let len = len_slot(n.len());
        let mut longer = at(&self.suffix, last);
        if n.len() >= self.contains_min {
            for &b in n.get(..=n.len() - self.contains_min).unwrap_or_default() {
                longer |= slot(b).map_or(0, |s| at(&self.contains, s));
            }
        }
        let mut candidates = self.always
            | (at(&self.exact, first) & at(&self.len_is, len))
            | (longer & at(&self.len_fits, len));
        while candidates != 0 {
            let i = candidates.trailing_zeros() as usize;
            candidates &= candidates - 1;
            let Some(Some(r)) = self.rules.get(i) else {
                continue;
            };
            let name = r.name.as_bytes();
            let hit = match r.how {
                Match::Exact => n == name,
                Match::Suffix => n.ends_with(name),
                Match::Contains => contains(n, name),
            };
            if hit {
                return Some(r.secret);
            }
        }
        None
    }
}

/// Whether `needle` occurs in `hay`: a byte scan, as names are short (`str::contains` builds
/// a two-way searcher per call).
fn contains(hay: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle)
}

/// `%XX` decoded where valid (anything else kept as it is), `+` as a space.
pub fn lenient_decode(s: &str) -> String {
    decoded(s).into_owned()
}

/// [`lenient_decode`], borrowing `s` when there is nothing to decode (most names and values).
pub(crate) fn decoded(s: &str) -> Cow<'_, str> {
    if !s.contains(['%', '+']) {
        return Cow::Borrowed(s);
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = |j: usize| bytes.get(j).and_then(|h| (*h as char).to_digit(16));
        match (b, hex(i + 1), hex(i + 2)) {
            (b'%', Some(hi), Some(lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            (b'+', _, _) => {
                out.push(b' ');
                i += 1;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

/// The comparable form of a name: decoded (twice, for double-encoded names), its last segment
/// (`credentials.passcode`, `user[password]`), lower-case letters and digits only.
pub fn normalise(name: &str) -> String {
    let once = decoded(name);
    let twice = decoded(&once);
    let trimmed = twice.trim_end_matches([']', ' ']);
    let last = trimmed
        .rsplit(['.', '['])
        .find(|seg| seg.chars().any(|c| c.is_ascii_alphanumeric()))
        .unwrap_or(trimmed);
    last.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// [`normalise`]'s answer written into `buf`, for a name with nothing to decode (no `%`, no
/// `+`) whose answer fits: then decoding changes nothing, and the trailing `]`/` ` `normalise`
/// trims hold no letter or digit, so the answer is the lower-cased ASCII letters and digits of
/// the last `.`/`[` segment holding any (compared as bytes: every other byte of UTF-8 is
/// dropped). One pass: a letter or digit after a `.` or `[` starts the answer again.
fn plain<'b>(name: &str, buf: &'b mut [u8; PLAIN_MAX]) -> Option<&'b [u8]> {
    let (mut len, mut cut) = (0, false);
    for &b in name.as_bytes() {
        if b.is_ascii_alphanumeric() {
            if cut {
                (len, cut) = (0, false);
            }
            // `| 0x20` lower-cases a letter and keeps a digit (0x30..=0x39).
            *buf.get_mut(len)? = b | 0x20;
            len += 1;
        } else if matches!(b, b'.' | b'[') {
            cut = true;
        } else if matches!(b, b'%' | b'+') {
            return None;
        }
    }
    buf.get(..len)
}

/// Longer than every rule; a longer answer (so far) takes [`normalise`].
const PLAIN_MAX: usize = 32;

/// How a value under `name` is replaced, or `None` when the name holds no secret.
pub fn classify(name: &str) -> Option<Secret> {
    match plain(name, &mut [0; PLAIN_MAX]) {
        Some(n) => table().find(n),
        None => table().find(normalise(name).as_bytes()),
    }
}

pub fn is_secret(name: &str) -> bool {
    classify(name).is_some()
}

#[cfg(test)]
mod tests;
