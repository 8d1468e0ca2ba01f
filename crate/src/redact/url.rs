//! URLs and `a=b&c=d` text (RFC 3986 query and fragment, HTML form encoding): parameters judged
//! by name (see `names`), URLs nested in parameter values redacted in turn, credentials in the
//! authority removed, and path tokens masked: the segment after `/welcome/`, `/reset_password/`,
//! `/signin/reset-password/`, `/tokens/`, `/activate/`, `/recovery/`, `/unlock/`, `/qr/` …
//! (Okta's activation, reset, recovery and enrollment links carry the token in the path).

use super::{names, scrub_text, secret, Ctx};

/// Path segments whose next segment is a one-time token (normalised like names).
const PATH_MARKERS: [&str; 13] = [
    "welcome",
    "resetpassword",
    "passwordreset",
    "activate",
    "activation",
    "tokens",
    "recovery",
    "unlock",
    "unlockaccount",
    "qr",
    "verifyemail",
    "emailverify",
    "magiclink",
];

/// How deep URLs nested in parameter values are followed (`redirect_uri=…%3Fcode%3D…`).
const MAX_NESTING: u8 = 4;

/// Does this text look like it holds a URL or a path worth redacting?
pub fn looks_like_url(s: &str) -> bool {
    (s.starts_with('/') && s.len() > 1) || scheme_end(s).is_some()
}

/// Where `://` starts in `s`: the seal asks this of every string a report holds. Not
/// `str::contains("://")` (a two-way searcher per call), not one look per byte (the seventh
/// pass), but eight bytes at a time (`domain::scheme_separator`: docs/performance-log.md,
/// "liveFold, seventh pass" and "eighth pass").
fn scheme_end(s: &str) -> Option<usize> {
    crate::domain::scheme_separator(s)
}

/// Redacts a URL (absolute, or a path with query and fragment).
pub fn redact(u: &str, at: &str, ctx: &mut Ctx) -> String {
    redact_nested(u, at, ctx, 0)
}

fn redact_nested(u: &str, at: &str, ctx: &mut Ctx, depth: u8) -> String {
    let (base, fragment) = u.split_once('#').map_or((u, None), |(b, f)| (b, Some(f)));
    let (path, query) = base
        .split_once('?')
        .map_or((base, None), |(p, q)| (p, Some(q)));
    let mut out = authority(path, at, ctx);
    out = path_tokens(&out, at, ctx);
    if let Some(q) = query {
        out.push('?');
        out.push_str(&params_nested(q, &format!("{at}?"), ctx, depth));
    }
    if let Some(f) = fragment {
        out.push('#');
        match f.split_once('?') {
            Some((route, q)) if q.contains('=') => {
                out.push_str(&path_tokens(route, at, ctx));
                out.push('?');
                out.push_str(&params_nested(q, &format!("{at}#"), ctx, depth));
            }
            _ if f.contains('=') => out.push_str(&params_nested(f, &format!("{at}#"), ctx, depth)),
            _ => out.push_str(&path_tokens(f, at, ctx)),
        }
    }
    let (text, done) = scrub_text(&out);
    for d in done {
        ctx.note(at, d);
    }
    text
}

/// `https://user:password@host/…` → `https://REDACTED@host/…`.
fn authority(path: &str, at: &str, ctx: &mut Ctx) -> String {
    let Some((scheme, rest)) = path.split_once("://") else {
        return path.to_string();
    };
    let end = rest.find('/').unwrap_or(rest.len());
    let (auth, tail) = rest.split_at(end);
    match auth.rsplit_once('@') {
        Some((_, host)) => {
            ctx.note(at, "credentials in the URL masked");
            format!("{scheme}://{}@{host}{tail}", super::MASK)
        }
        None => path.to_string(),
    }
}

/// Masks the token segment after every path marker in `text` (a URL path or free text).
pub fn path_tokens(text: &str, at: &str, ctx: &mut Ctx) -> String {
    if !text.contains('/') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut after_marker = false;
    while let Some(i) = rest.find('/') {
        let (head, tail) = rest.split_at(i);
        out.push_str(head);
        out.push('/');
        let seg_src = tail.get(1..).unwrap_or_default();
        let end = seg_src.find(is_stop).unwrap_or(seg_src.len());
        let (seg, after) = seg_src.split_at(end);
        // Decoded only after a marker: the one segment that may be a token.
        let token = after_marker.then(|| names::decoded(seg));
        match token.filter(|t| is_token_segment(t)) {
            Some(decoded) => {
                let (masked, what) = secret(&decoded, names::Secret::Digest, ctx);
                ctx.note(at, &format!("path token {what}"));
                out.push_str(&masked);
                after_marker = false;
            }
            None => {
                out.push_str(seg);
                after_marker = is_marker(seg) && after.starts_with('/');
            }
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Where a path segment ends.
fn is_stop(c: char) -> bool {
    matches!(
        c,
        '/' | '?' | '#' | '&' | '"' | '\'' | '<' | '>' | '\\' | ')' | ','
    ) || c.is_whitespace()
}

/// Whether [`redact`] gives `u` back unchanged, decided without building anything: ASCII, no
/// fragment, no credentials in the authority, no path marker, no parameter with a secret name
/// or whose value is encoded or holds a path or a URL, nothing JWT- or SSWS-shaped. Most URLs a
/// report keeps are such (`https://dev-1.okta.com/api/v1/users?limit=200`, a bucket's path,
/// an org's origin), and sealing a report redacts each again.
pub fn is_plainly_clean(u: &str) -> bool {
    if !u.is_ascii() || u.contains('#') || super::prefilter::may_hold_secret(u) {
        return false;
    }
    let (base, query) = u.split_once('?').map_or((u, None), |(b, q)| (b, Some(q)));
    if let Some(rest) = scheme_end(base).and_then(|i| base.get(i + 3..)) {
        let auth = rest.split('/').next().unwrap_or_default();
        if auth.contains('@') {
            return false;
        }
    }
    if may_hold_marker(u.as_bytes()) {
        return false;
    }
    query.is_none_or(|q| {
        q.split('&').all(|pair| match pair.split_once('=') {
            Some((k, v)) => {
                v.is_empty() || (!v.contains(['%', '/']) && names::classify(k).is_none())
            }
            None => true,
        })
    })
}

/// Could a segment of this ASCII text be a path marker? One pass, nothing allocated: the text
/// cut at every stop byte (a superset of the segments `path_tokens` looks at), each piece
/// normalised as `names::normalise` does (its last `.` part holding a letter or digit, those
/// lower-cased) and compared. A piece holding `%`, `+`, `[` or `]` (which `normalise` decodes
/// or cuts) answers yes: the redactor then decides.
fn may_hold_marker(bytes: &[u8]) -> bool {
    // The current piece's current `.` part (start, letters and digits in it), and the last
    // earlier part of the piece that had any (start, end, count).
    let (mut start, mut count) = (0, 0);
    let mut prev: Option<(usize, usize, usize)> = None;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'%' | b'+' | b'[' | b']' => return true,
            b'.' => {
                if count > 0 {
                    prev = Some((start, i, count));
                }
                (start, count) = (i + 1, 0);
            }
            _ if b.is_ascii_alphanumeric() => count += 1,
            _ if is_stop(char::from(b)) => {
                let piece = if count > 0 {
                    Some((start, i, count))
                } else {
                    prev
                };
                if piece.is_some_and(|p| part_is_marker(bytes, p)) {
                    return true;
                }
                (start, count, prev) = (i + 1, 0, None);
            }
            _ => {}
        }
    }
    let piece = if count > 0 {
        Some((start, bytes.len(), count))
    } else {
        prev
    };
    piece.is_some_and(|p| part_is_marker(bytes, p))
}

/// Do the letters and digits of `bytes[start..end]` (`count` of them), lower-cased, spell a
/// marker? Compared only against the markers of that length.
fn part_is_marker(bytes: &[u8], (start, end, count): (usize, usize, usize)) -> bool {
    let Some(part) = bytes.get(start..end) else {
        return false;
    };
    PATH_MARKERS.iter().any(|m| {
        m.len() == count
            && part
                .iter()
                .filter(|b| b.is_ascii_alphanumeric())
                .map(u8::to_ascii_lowercase)
                .eq(m.bytes())
    })
}

/// Is `seg` one of [`PATH_MARKERS`] once normalised (`names::normalise`)? A segment with
/// nothing to decode or cut (`api`, `v1`, `users`: nearly all) normalises to its ASCII letters
/// and digits, lower-cased (of its last `.` part): compared on the stack, as every URL a report
/// keeps is redacted.
fn is_marker(seg: &str) -> bool {
    let bytes = seg.as_bytes();
    if bytes
        .iter()
        .any(|b| matches!(b, b'%' | b'+' | b'[' | b']' | b' '))
    {
        return PATH_MARKERS.contains(&names::normalise(seg).as_str());
    }
    // As `normalise` cuts `a.b` to its last part holding a letter or digit.
    let last = bytes
        .rsplit(|b| *b == b'.')
        .find(|part| part.iter().any(u8::is_ascii_alphanumeric))
        .unwrap_or(bytes);
    let mut norm = [0u8; 16]; // longer than every marker
    let mut len = 0;
    for b in last.iter().filter(|b| b.is_ascii_alphanumeric()) {
        let Some(slot) = norm.get_mut(len) else {
            return false;
        };
        *slot = b.to_ascii_lowercase();
        len += 1;
    }
    let norm = norm.get(..len).unwrap_or_default();
    PATH_MARKERS.iter().any(|m| m.as_bytes() == norm)
}

/// A token, not a word: long enough and not only lower-case letters (`recovery/password`).
fn is_token_segment(seg: &str) -> bool {
    seg.chars().count() >= 8 && !seg.chars().all(|c| c.is_ascii_lowercase())
}

/// Masks secret values in `a=b&c=d` text (query strings, fragments, form bodies).
pub fn params(text: &str, at: &str, ctx: &mut Ctx) -> String {
    params_nested(text, at, ctx, 0)
}

fn params_nested(text: &str, at: &str, ctx: &mut Ctx, depth: u8) -> String {
    text.split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => format!("{k}={}", value_nested(k, v, at, ctx, depth)),
            None => pair.to_string(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// One encoded parameter value judged by its (encoded) name: a secret is replaced; anything
/// else keeps its bytes unless it holds a URL or token that needs redacting.
pub fn value(name: &str, v: &str, at: &str, ctx: &mut Ctx) -> String {
    value_nested(name, v, at, ctx, 0)
}

fn value_nested(name: &str, v: &str, at: &str, ctx: &mut Ctx, depth: u8) -> String {
    if v.is_empty() {
        return String::new();
    }
    let class = names::classify(name);
    let decoded = names::decoded(v);
    // Neither a secret name, nor a URL or a path (a `/`) or a token in the value: kept as it is (most
    // parameters: `limit=200`, `client_id=0oa…`), without spelling out where it was.
    if class.is_none() && !decoded.contains('/') && !super::prefilter::may_hold_secret(&decoded) {
        return v.to_string();
    }
    let here = format!("{at}{}", names::decoded(name));
    if let Some(class) = class {
        let (masked, what) = secret(&decoded, class, ctx);
        ctx.note(&here, what);
        // A SAML marker is words: encoded, so the query stays one.
        if class == names::Secret::Saml {
            return encode(&masked);
        }
        return masked;
    }
    let cleaned = if looks_like_url(&decoded) && depth < MAX_NESTING {
        redact_nested(&decoded, &here, ctx, depth + 1)
    } else {
        let (text, done) = scrub_text(&decoded);
        for d in done {
            ctx.note(&here, d);
        }
        path_tokens(&text, &here, ctx)
    };
    if cleaned == *decoded {
        v.to_string()
    } else {
        encode(&cleaned)
    }
}

/// Percent-encodes a parameter value (RFC 3986 unreserved characters, `:` and `/` kept).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b':' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::redact::Receipt;

    /// `scheme_end` finds the first `://` as the window scan it replaced did.
    #[test]
    fn scheme_end_is_the_first_colon_slash_slash() {
        let window = |s: &str| s.as_bytes().windows(3).position(|w| w == b"://");
        for s in [
            "",
            ":",
            "://",
            "a:/",
            "a:b://c",
            "::://",
            "x:",
            "https://a",
            "no colon here",
            "é:é://x",
            "a:/b:://c",
            "urn:x:y",
            "http:/x",
            "ab//:",
            "a:://",
        ] {
            assert_eq!(scheme_end(s), window(s), "{s:?}");
        }
    }

    fn run(u: &str) -> String {
        let mut receipt = Receipt::default();
        let mut ctx = Ctx::new(&mut receipt, false);
        redact(u, "url", &mut ctx)
    }

    const URLS: &[(&str, &str)] = &[
            (
                "https://a/cb?code=abc&state=xyz&x=1",
                "https://a/cb?code=REDACTED&state=REDACTED&x=1",
            ),
            (
                "https://a/cb#access_token=abc&token_type=Bearer",
                "https://a/cb#access_token=REDACTED&token_type=Bearer",
            ),
            (
                "https://a/api/v1/users?limit=200",
                "https://a/api/v1/users?limit=200",
            ),
            ("https://a/cb?Code=abc&%63ode=d", "https://a/cb?Code=REDACTED&%63ode=REDACTED"),
            (
                "https://a/x?error=e#id_token=t",
                "https://a/x?error=e#id_token=REDACTED",
            ),
            (
                "https://a/login?stateToken=st1&interaction_code=ic&device_code=dc&otp=1&SAMLResponse=s&RelayState=r&Token=t",
                "https://a/login?stateToken=REDACTED&interaction_code=REDACTED&device_code=REDACTED&otp=REDACTED&SAMLResponse=%5BSAML%20message%20removed:%20unreadable%20%28base64%29%2C%201%20bytes%5D&RelayState=REDACTED&Token=REDACTED",
            ),
            ("https://a/welcome/XE6wE17zmphl3KqAPFxO", "https://a/welcome/REDACTED"),
            (
                "https://a/signin/reset-password/XE6wE17zmphl3KqAPFxO?x=1",
                "https://a/signin/reset-password/REDACTED?x=1",
            ),
            (
                "https://a/api/v1/authn/recovery/password",
                "https://a/api/v1/authn/recovery/password",
            ),
            (
                "https://a/app/#/reset_password/XE6wE17zmphl3KqAPFxO",
                "https://a/app/#/reset_password/REDACTED",
            ),
            ("https://a/app/#/cb?code=abc", "https://a/app/#/cb?code=REDACTED"),
            (
                "https://a/authorize?redirect_uri=https%3A%2F%2Fb%2Fcb%3Fcode%3Dabc&x=%E9",
                "https://a/authorize?redirect_uri=https://b/cb%3Fcode%3DREDACTED&x=%E9",
            ),
            ("https://u:pw@a/x", "https://REDACTED@a/x"),
            ("/x?e=%zz&f=1.5e2", "/x?e=%zz&f=1.5e2"),
        ];

    #[test]
    fn urls_table() {
        for &(u, want) in URLS {
            assert_eq!(run(u), want, "{u}");
        }
    }

    #[test]
    fn plainly_clean_urls_are_those_the_redactor_keeps() {
        let kept = [
            "https://dev-1.okta.com/api/v1/users?limit=200",
            "/api/v1/users",
            "https://dev-1.okta.com",
            "/x?a&b=&c=1",
        ];
        for u in kept {
            assert!(is_plainly_clean(u), "{u}");
            assert_eq!(run(u), u);
        }
        let not = [
            "https://a/cb?code=abc",
            "https://a/cb#x",
            "https://u:pw@a/x",
            "https://a/welcome/XE6wE17zmphl3KqAPFxO",
            "https://a/x?redirect_uri=https%3A%2F%2Fb%2Fcb%3Fcode%3Dabc",
            "https://a/x?next=/welcome/XE6wE17zmphl3KqAPFxO",
            "https://a/x?t=00igKrTNyNLHCw0wYSIsoDF28cN4B3KZPETBz9pqz0",
            "https://a/é",
            // A marker: left to the redactor (which keeps this one, `password` being a word).
            "https://a/api/v1/authn/recovery/password",
        ];
        for u in not {
            assert!(!is_plainly_clean(u), "{u}");
        }
        // Whatever it says, "clean" means the redactor agrees.
        for u in URLS.iter().map(|(u, _)| *u) {
            if is_plainly_clean(u) {
                assert_eq!(run(u), u);
            }
        }
    }

    #[test]
    fn markers_are_found_as_names_normalise_them() {
        let segs = [
            "welcome",
            "Welcome",
            "reset_password",
            "reset-password",
            "RESETPASSWORD",
            "tokens",
            "qr",
            "q",
            "api",
            "v1",
            "users",
            "recovery",
            "%72ecovery",
            "a.welcome",
            "welcome]",
            "x[tokens]",
            "magic+link",
            "verify_email",
            "éwelcome",
            "welcomewelcomewelcome",
            "",
        ];
        for seg in segs {
            let want = PATH_MARKERS.contains(&names::normalise(seg).as_str());
            assert_eq!(is_marker(seg), want, "{seg}");
            if seg.is_ascii() && !seg.contains(['%', '+', '[', ']', ' ']) {
                assert_eq!(may_hold_marker(seg.as_bytes()), want, "{seg}");
                assert_eq!(
                    may_hold_marker(format!("/x/{seg}?y").as_bytes()),
                    want,
                    "{seg}"
                );
            }
        }
    }

    #[test]
    fn digests_are_stable_and_short() {
        let mut receipt = Receipt::default();
        let mut ctx = Ctx::new(&mut receipt, true);
        let a = redact("https://a/cb?code=abc", "u", &mut ctx);
        let b = redact("https://a/other?code=abc", "u", &mut ctx);
        assert_eq!(a, "https://a/cb?code=REDACTED:sha256:ba7816bf");
        assert!(b.ends_with("code=REDACTED:sha256:ba7816bf"));
        let c = redact("https://a/x?password=abc", "u", &mut ctx);
        assert_eq!(c, "https://a/x?password=REDACTED");
        assert_eq!(receipt.redactions.len(), 3);
    }
}
