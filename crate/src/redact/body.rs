//! Request and response bodies, by what they are: JSON (also behind an XSSI prefix), form
//! bodies, multipart bodies (each part by its name), and HTML/JavaScript/text (Okta's SAML
//! auto-post page, `var stateToken = '…'`, `name=value` pairs). A body that claims to be one
//! of these but can't be read, or is of any other type, is replaced by a marker: redaction
//! fails closed, it never passes an unread body through.

use super::{json, names, scrub_string, scrub_text, secret, url, Ctx};

/// Prefixes servers put before JSON so it can't be loaded as a script (XSSI protection).
const XSSI: [&str; 5] = [")]}',\n", ")]}'\n", ")]}'", "while(1);", "for(;;);"];

/// Text types read by the text scrubber.
const TEXT_TYPES: [&str; 7] = [
    "text/html",
    "text/plain",
    "javascript",
    "ecmascript",
    "text/css",
    "xml",
    "text/",
];

/// The text that replaces a body redaction could not read.
pub fn marker(reason: &str) -> String {
    format!("[REDACTED by Okta Medic: body removed, {reason}]")
}

/// The body redacted, or `None` when nothing in it needed redacting.
pub fn redact(text: &str, mime: Option<&str>, at: &str, ctx: &mut Ctx) -> Option<String> {
    let out = redact_inner(text, mime, at, ctx, 0);
    (out != text).then_some(out)
}

fn replaced(reason: &str, at: &str, ctx: &mut Ctx) -> String {
    ctx.note(at, &format!("body replaced: {reason}"));
    marker(reason)
}

fn redact_inner(text: &str, mime: Option<&str>, at: &str, ctx: &mut Ctx, depth: u8) -> String {
    if text.trim().is_empty() {
        return text.to_string();
    }
    let mime = mime.unwrap_or_default().to_ascii_lowercase();
    let (prefix, rest) = XSSI
        .iter()
        .find_map(|p| text.strip_prefix(p).map(|r| (*p, r)))
        .unwrap_or(("", text));
    let head = rest.trim_start();
    if !prefix.is_empty() || mime.contains("json") || head.starts_with('{') || head.starts_with('[')
    {
        return match json::parse(rest) {
            Ok(node) => {
                let mut out = prefix.to_string();
                json::whole(rest, &node, &mut out, |out| {
                    json::value(rest, &node, at, ctx, out)
                });
                out
            }
            Err(why) if head.starts_with('{') || head.starts_with('[') || mime.contains("json") => {
                replaced(&format!("unparsable JSON ({why})"), at, ctx)
            }
            Err(_) => text_body(text, at, ctx),
        };
    }
    if mime.contains("multipart/")
        || (head.starts_with("--") && head.to_ascii_lowercase().contains("content-disposition"))
    {
        return match multipart(text, &mime, at, ctx, depth) {
            Some(out) => out,
            None => replaced("unparsable multipart", at, ctx),
        };
    }
    if mime.contains("x-www-form-urlencoded") || looks_like_form(text) {
        let body = text.trim_end_matches(['\r', '\n']);
        let trailing = text.get(body.len()..).unwrap_or_default();
        return format!("{}{trailing}", url::params(body, &format!("{at}."), ctx));
    }
    if mime.is_empty() || TEXT_TYPES.iter().any(|t| mime.contains(t)) || head.starts_with('<') {
        return text_body(text, at, ctx);
    }
    replaced(&format!("{mime} not inspected"), at, ctx)
}

/// `a=b&c=d`, maybe with a trailing newline: no other whitespace, every pair named.
fn looks_like_form(text: &str) -> bool {
    let body = text.trim_end_matches(['\r', '\n']);
    !body.is_empty()
        && body.contains('=')
        && !body.contains(char::is_whitespace)
        && body.split('&').all(|pair| {
            let name = pair.split('=').next().unwrap_or_default();
            !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"%-_.[]+~*".contains(&b))
        })
}

/// `multipart/form-data` (RFC 7578): each part judged by its name, its body redacted as a
/// body of its own type. `None` when the structure can't be read.
fn multipart(text: &str, mime: &str, at: &str, ctx: &mut Ctx, depth: u8) -> Option<String> {
    if depth > 2 {
        return None;
    }
    let boundary = mime
        .split(';')
        .filter_map(|p| p.trim().strip_prefix("boundary="))
        .next()
        .map(|b| b.trim_matches('"').to_string())
        .or_else(|| {
            let first = text.trim_start().lines().next()?;
            first.strip_prefix("--").map(|b| b.trim_end().to_string())
        })?;
    // The boundary in the MIME type is lower-cased above; find its real spelling in the text.
    let delim = format!("--{boundary}");
    let start = text
        .to_ascii_lowercase()
        .find(&delim.to_ascii_lowercase())?;
    let delim = text.get(start..start + delim.len())?.to_string();
    let mut out = text.get(..start)?.to_string();
    let mut rest = text.get(start..)?;
    let mut closed = false;
    while let Some(after) = rest.strip_prefix(delim.as_str()) {
        out.push_str(&delim);
        if let Some(epilogue) = after.strip_prefix("--") {
            out.push_str("--");
            out.push_str(epilogue);
            closed = true;
            break;
        }
        let end = after.find(delim.as_str())?;
        let part = after.get(..end)?;
        out.push_str(&part_redacted(part, at, ctx, depth)?);
        rest = after.get(end..)?;
    }
    closed.then_some(out)
}

fn part_redacted(part: &str, at: &str, ctx: &mut Ctx, depth: u8) -> Option<String> {
    let (sep, split) = ["\r\n\r\n", "\n\n"]
        .iter()
        .find_map(|s| part.find(s).map(|i| (*s, i)))?;
    let headers = part.get(..split)?;
    let content = part.get(split + sep.len()..)?;
    let body = content.trim_end_matches(['\r', '\n']);
    let trailing = content.get(body.len()..).unwrap_or_default();
    let lower = headers.to_ascii_lowercase();
    let name = header_param(headers, "name").unwrap_or_default();
    let ctype = lower
        .lines()
        .find_map(|l| l.trim().strip_prefix("content-type:"))
        .map(|v| v.trim().to_string());
    let here = format!("{at}[{name}]");
    let redacted = match names::classify(&name) {
        Some(class) if !body.is_empty() => {
            let (masked, what) = secret(body, class, ctx);
            ctx.note(&here, what);
            masked
        }
        _ => match ctype {
            Some(t) => redact_inner(body, Some(&t), &here, ctx, depth + 1),
            None => scrub_string(body, &here, ctx).unwrap_or_else(|| body.to_string()),
        },
    };
    Some(format!("{headers}{sep}{redacted}{trailing}"))
}

/// `name="x"` (or `name=x`) in a Content-Disposition header, not `filename=`.
fn header_param(headers: &str, param: &str) -> Option<String> {
    let lower = headers.to_ascii_lowercase();
    let needle = format!("{param}=");
    let mut from = 0;
    while let Some(i) = lower.get(from..)?.find(&needle) {
        let at = from + i;
        let before = lower.get(..at)?.chars().last();
        if before.is_some_and(|c| c == ';' || c.is_whitespace()) {
            let rest = headers.get(at + needle.len()..)?;
            return Some(match rest.strip_prefix('"') {
                Some(q) => q.split('"').next()?.to_string(),
                None => rest.split([';', '\r', '\n']).next()?.trim().to_string(),
            });
        }
        from = at + needle.len();
    }
    None
}

/// HTML, JavaScript and other text: `<input name=… value=…>` judged by name, `secret = '…'`
/// and `secret=…` pairs masked, path tokens masked, JWT signatures and SSWS tokens removed.
pub fn text_body(text: &str, at: &str, ctx: &mut Ctx) -> String {
    let out = inputs(text, at, ctx);
    let out = assignments(&out, at, ctx);
    let out = url::path_tokens(&out, at, ctx);
    let (out, done) = scrub_text(&out);
    for d in done {
        ctx.note(at, d);
    }
    out
}

/// A quoted or bare HTML attribute value at the start of `s`: (value, its byte length).
fn attribute_value(s: &str) -> Option<(usize, usize)> {
    let s2 = s.trim_start();
    let lead = s.len() - s2.len();
    match s2.chars().next()? {
        q @ ('"' | '\'') => {
            let inner = s2.get(1..)?;
            let end = inner.find(q)?;
            Some((lead + 1, end))
        }
        _ => {
            let end = s2
                .find(|c: char| c.is_whitespace() || c == '>')
                .unwrap_or(s2.len());
            Some((lead, end))
        }
    }
}

/// Attribute `attr`'s value span inside one tag's text: (start, length).
fn attribute(tag: &str, attr: &str) -> Option<(usize, usize)> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower.get(from..)?.find(attr) {
        let at = from + i;
        let before_ok = lower
            .get(..at)?
            .chars()
            .last()
            .is_some_and(char::is_whitespace);
        let after = lower.get(at + attr.len()..)?;
        let eq = after.trim_start();
        if before_ok && eq.starts_with('=') {
            let value_from = at + attr.len() + (after.len() - eq.len()) + 1;
            let (off, len) = attribute_value(tag.get(value_from..)?)?;
            return Some((value_from + off, len));
        }
        from = at + attr.len();
    }
    None
}

/// `<input name="SAMLResponse" value="…">` and `<meta name="csrf-token" content="…">`: the
/// value replaced when the name is a secret, redacted as a URL when it holds one (`fromURI`).
fn inputs(text: &str, at: &str, ctx: &mut Ctx) -> String {
    let out = tags(text, "<input", "value", at, ctx);
    tags(&out, "<meta", "content", at, ctx)
}

fn tags(text: &str, open: &str, value_attr: &str, at: &str, ctx: &mut Ctx) -> String {
    let lower = text.to_ascii_lowercase();
    if !lower.contains(open) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    while let Some(i) = lower.get(pos..).and_then(|l| l.find(open)) {
        let start = pos + i;
        let end = lower
            .get(start..)
            .and_then(|l| l.find('>'))
            .map_or(text.len(), |e| start + e);
        let tag = text.get(start..end).unwrap_or_default();
        out.push_str(text.get(pos..start).unwrap_or_default());
        let name = attribute(tag, "name")
            .and_then(|(s, l)| tag.get(s..s + l))
            .map(html_unescape)
            .unwrap_or_default();
        match attribute(tag, value_attr) {
            Some((s, l)) if l > 0 => {
                let raw = tag.get(s..s + l).unwrap_or_default();
                let here = format!("{at}{open} {name}>");
                let value = html_unescape(raw);
                let new = match names::classify(&name) {
                    Some(class) => {
                        let (masked, what) = secret(&value, class, ctx);
                        ctx.note(&here, what);
                        Some(masked)
                    }
                    None => scrub_string(&value, &here, ctx),
                };
                match new {
                    Some(v) => {
                        out.push_str(tag.get(..s).unwrap_or_default());
                        out.push_str(&html_escape(&v));
                        out.push_str(tag.get(s + l..).unwrap_or_default());
                    }
                    None => out.push_str(tag),
                }
            }
            _ => out.push_str(tag),
        }
        pos = end;
    }
    out.push_str(text.get(pos..).unwrap_or_default());
    out
}

fn html_unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&#x2f;", "/")
        .replace("&#x2F;", "/")
        .replace("&#x3d;", "=")
        .replace("&#x3D;", "=")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
        .replace('<', "&lt;")
}

/// `secretName = '…'`, `"secretName": "…"`, `secretName=…` anywhere in text: the value masked.
fn assignments(text: &str, at: &str, ctx: &mut Ctx) -> String {
    let word = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '%' | '.');
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let bytes = text.as_bytes();
    while i < bytes.len() {
        let rest = text.get(i..).unwrap_or_default();
        let Some(c) = rest.chars().next() else { break };
        if !word(c) {
            out.push(c);
            i += c.len_utf8();
            continue;
        }
        let wlen = rest.find(|c: char| !word(c)).unwrap_or(rest.len());
        let name = rest.get(..wlen).unwrap_or_default();
        out.push_str(name);
        i += wlen;
        // After the name: an optional closing quote, spaces, `=` or `:`, spaces, the value.
        let after = text.get(i..).unwrap_or_default();
        let mut j = 0;
        for q in ["\\\"", "&quot;", "\"", "'"] {
            if after.get(j..).is_some_and(|a| a.starts_with(q)) {
                j += q.len();
                break;
            }
        }
        let spaced = after.get(j..).unwrap_or_default();
        let s1 = spaced.len() - spaced.trim_start_matches([' ', '\t']).len();
        j += s1;
        let sep = after.get(j..j + 1).unwrap_or_default();
        if sep != "=" && sep != ":" || after.get(j + 1..j + 2) == Some("=") {
            continue;
        }
        // Only now the name check: most words are not followed by `=` or `:`.
        let Some(class) = names::classify(name) else {
            continue;
        };
        j += 1;
        let spaced = after.get(j..).unwrap_or_default();
        j += spaced.len() - spaced.trim_start_matches([' ', '\t']).len();
        let value_at = after.get(j..).unwrap_or_default();
        let (open, close): (&str, &str) = ["\\\"", "&quot;", "&#34;", "\"", "'"]
            .iter()
            .find(|q| value_at.starts_with(**q))
            .map_or(("", ""), |q| (*q, *q));
        let inner = value_at.get(open.len()..).unwrap_or_default();
        let len = if close.is_empty() {
            inner
                .find(|c: char| c.is_whitespace() || "&#\"'<>;,)}]".contains(c))
                .unwrap_or(inner.len())
        } else {
            match inner.find(close) {
                Some(n) => n,
                None => continue,
            }
        };
        let value = inner.get(..len).unwrap_or_default();
        if value.is_empty() || (close.is_empty() && value.starts_with(['$', '{', '[', '('])) {
            continue;
        }
        let (masked, what) = secret(value, class, ctx);
        ctx.note(&format!("{at}:{}", names::lenient_decode(name)), what);
        out.push_str(after.get(..j).unwrap_or_default());
        out.push_str(open);
        out.push_str(&masked);
        i += j + open.len() + len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::redact::Receipt;

    fn run(text: &str, mime: Option<&str>) -> String {
        let mut receipt = Receipt::default();
        let mut ctx = Ctx::new(&mut receipt, false);
        redact(text, mime, "body", &mut ctx).unwrap_or_else(|| text.to_string())
    }

    #[test]
    fn bodies_table() {
        let cases: [(&str, Option<&str>, &str); 13] = [
            ("code=abc&x=1\n", None, "code=REDACTED&x=1\n"),
            ("grant_type=password&username=u&password=p%20w", Some("application/x-www-form-urlencoded"), "grant_type=password&username=u&password=REDACTED"),
            (")]}',\n{\"stateHandle\":\"abc\",\"n\":1.5e2}", None, ")]}',\n{\"stateHandle\":\"REDACTED\",\"n\":1.5e2}"),
            ("{\"a\":", Some("application/json"), "[REDACTED by Okta Medic: body removed, unparsable JSON (unexpected end)]"),
            ("\u{0}\u{1}", Some("application/octet-stream"), "[REDACTED by Okta Medic: body removed, application/octet-stream not inspected]"),
            (
                "<form><input type=\"hidden\" name=\"SAMLResponse\" value=\"PHNhbWw+\"/><input name=\"RelayState\" value='rs1'><input name=\"fromURI\" value=\"/app?code=c1&amp;x=1\"></form>",
                Some("text/html"),
                "<form><input type=\"hidden\" name=\"SAMLResponse\" value=\"[SAML message removed: unreadable (not_xml), 8 bytes]\"/><input name=\"RelayState\" value='REDACTED'><input name=\"fromURI\" value=\"/app?code=REDACTED&amp;x=1\"></form>",
            ),
            ("<script>var stateToken = '00abc\\x2Ddef';</script>", Some("text/html"), "<script>var stateToken = 'REDACTED';</script>"),
            ("x = {\"stateToken\" : \"st\"}", Some("text/javascript"), "x = {\"stateToken\" : \"REDACTED\"}"),
            ("SAMLResponse=PHN%2Bx&RelayState=%2Fapp", None, "SAMLResponse=%5BSAML%20message%20removed:%20unreadable%20%28base64%29%2C%205%20bytes%5D&RelayState=REDACTED"),
            ("go to https://a/welcome/XE6wE17zmphl3KqAPFxO now", Some("text/plain"), "go to https://a/welcome/REDACTED now"),
            ("if (a == b) { password: $p }", Some("text/javascript"), "if (a == b) { password: $p }"),
            ("<meta name=\"csrf-token\" content=\"ct1\"><meta name=\"viewport\" content=\"width=1\">", Some("text/html"), "<meta name=\"csrf-token\" content=\"REDACTED\"><meta name=\"viewport\" content=\"width=1\">"),
            ("hello", Some("image/png"), "[REDACTED by Okta Medic: body removed, image/png not inspected]"),
        ];
        for (text, mime, want) in cases {
            assert_eq!(run(text, mime), want, "{text}");
        }
    }

    #[test]
    fn multipart_parts_by_name() {
        let text = "--XyZ\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\nhunter2\r\n--XyZ\r\nContent-Disposition: form-data; name=\"user\"\r\n\r\nbob\r\n--XyZ\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{\"refresh_token\":\"r1\"}\r\n--XyZ--\r\n";
        let out = run(text, Some("multipart/form-data; boundary=XyZ"));
        assert!(!out.contains("hunter2") && !out.contains("r1\""), "{out}");
        assert!(out.contains("bob") && out.ends_with("--XyZ--\r\n"), "{out}");
        let broken = run(
            "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nsecret",
            Some("multipart/form-data; boundary=XyZ"),
        );
        assert!(broken.starts_with("[REDACTED"), "{broken}");
    }
}
