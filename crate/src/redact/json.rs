//! A span-keeping JSON reader (RFC 8259) and the JSON redactor built on it. Every node knows
//! its byte range in the source, so redaction splices replacements into the original text and
//! every value it doesn't redact passes byte for byte (`1.5e2`, `\u00e9`, 30-digit integers),
//! whitespace included. Depth is bounded: deeper input is refused (the caller fails closed).

use super::{names, scrub_string, secret, Ctx, MASK};

/// Deepest nesting read (serde_json's own recursion limit is 128 too).
pub const MAX_DEPTH: usize = 128;

#[derive(Debug)]
pub struct Node {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
}

#[derive(Debug)]
pub enum Kind {
    Object(Vec<Member>),
    Array(Vec<Node>),
    /// The decoded string.
    Str(String),
    Number,
    Bool(bool),
    Null,
}

#[derive(Debug)]
pub struct Member {
    pub key: String,
    pub key_start: usize,
    pub value: Node,
}

/// Reads one JSON value filling the whole text (surrounding whitespace allowed).
pub fn parse(src: &str) -> Result<Node, &'static str> {
    let mut r = Reader {
        b: src.as_bytes(),
        src,
        i: 0,
    };
    r.ws();
    let node = r.value(0)?;
    r.ws();
    if r.i != r.b.len() {
        return Err("text after the JSON value");
    }
    Ok(node)
}

struct Reader<'s> {
    b: &'s [u8],
    src: &'s str,
    i: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn eat(&mut self, c: u8) -> Result<(), &'static str> {
        if self.peek() == Some(c) {
            self.i += 1;
            Ok(())
        } else {
            Err("unexpected character")
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, &'static str> {
        if depth >= MAX_DEPTH {
            return Err("nested too deeply");
        }
        let start = self.i;
        let kind = match self.peek().ok_or("unexpected end")? {
            b'{' => Kind::Object(self.object(depth)?),
            b'[' => Kind::Array(self.array(depth)?),
            b'"' => Kind::Str(self.string()?),
            b't' => self.literal("true", Kind::Bool(true))?,
            b'f' => self.literal("false", Kind::Bool(false))?,
            b'n' => self.literal("null", Kind::Null)?,
            b'-' | b'0'..=b'9' => {
                self.number()?;
                Kind::Number
            }
            _ => return Err("unexpected character"),
        };
        Ok(Node {
            start,
            end: self.i,
            kind,
        })
    }

    fn literal(&mut self, word: &str, kind: Kind) -> Result<Kind, &'static str> {
        if self.b.get(self.i..self.i + word.len()) == Some(word.as_bytes()) {
            self.i += word.len();
            Ok(kind)
        } else {
            Err("bad literal")
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        self.i - start
    }

    fn number(&mut self) -> Result<(), &'static str> {
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek() {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err("bad number"),
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if self.digits() == 0 {
                return Err("bad number");
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if self.digits() == 0 {
                return Err("bad number");
            }
        }
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, &'static str> {
        let text = self.src.get(self.i..self.i + 4).ok_or("bad escape")?;
        if !text.bytes().all(|c| c.is_ascii_hexdigit()) {
            return Err("bad escape");
        }
        self.i += 4;
        u32::from_str_radix(text, 16).map_err(|_| "bad escape")
    }

    fn string(&mut self) -> Result<String, &'static str> {
        self.eat(b'"')?;
        let mut out = String::new();
        loop {
            let run = self.i;
            while self
                .peek()
                .is_some_and(|c| c != b'"' && c != b'\\' && c >= 0x20)
            {
                self.i += 1;
            }
            out.push_str(self.src.get(run..self.i).ok_or("bad string")?);
            match self.peek().ok_or("unterminated string")? {
                b'"' => {
                    self.i += 1;
                    return Ok(out);
                }
                b'\\' => {
                    self.i += 1;
                    let e = self.peek().ok_or("bad escape")?;
                    self.i += 1;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi) {
                                self.eat(b'\\')?;
                                self.eat(b'u')?;
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return Err("lone surrogate");
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                hi
                            };
                            out.push(char::from_u32(code).ok_or("lone surrogate")?);
                        }
                        _ => return Err("bad escape"),
                    }
                }
                _ => return Err("control character in string"),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Vec<Member>, &'static str> {
        self.eat(b'{')?;
        let mut members = Vec::new();
        self.ws();
        if self.peek() == Some(b'}') {
            self.i += 1;
            return Ok(members);
        }
        loop {
            self.ws();
            let key_start = self.i;
            let key = self.string()?;
            self.ws();
            self.eat(b':')?;
            self.ws();
            let value = self.value(depth + 1)?;
            members.push(Member {
                key,
                key_start,
                value,
            });
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    return Ok(members);
                }
                _ => return Err("expected , or }"),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Vec<Node>, &'static str> {
        self.eat(b'[')?;
        let mut items = Vec::new();
        self.ws();
        if self.peek() == Some(b']') {
            self.i += 1;
            return Ok(items);
        }
        loop {
            self.ws();
            items.push(self.value(depth + 1)?);
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return Ok(items);
                }
                _ => return Err("expected , or ]"),
            }
        }
    }
}

fn slice(src: &str, from: usize, to: usize) -> &str {
    src.get(from..to).unwrap_or_default()
}

/// A JSON string literal for `s`.
pub fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{MASK}\""))
}

impl Node {
    pub fn source<'s>(&self, src: &'s str) -> &'s str {
        slice(src, self.start, self.end)
    }

    pub fn str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.kind {
            Kind::Object(members) => members.iter().find(|m| m.key == key).map(|m| &m.value),
            _ => None,
        }
    }
}

/// Writes a whole text holding `node`: the whitespace around the value kept, `write` writing
/// the value itself.
pub fn whole(src: &str, node: &Node, out: &mut String, write: impl FnOnce(&mut String)) {
    out.push_str(slice(src, 0, node.start));
    write(out);
    out.push_str(slice(src, node.end, src.len()));
}

/// Writes an object, keeping the source's whitespace and separators: `keep` writes a kept
/// member's value into `out` and returns `true`, or returns `false` to drop the member.
pub fn object<'n>(
    src: &str,
    node: &'n Node,
    out: &mut String,
    mut keep: impl FnMut(&'n Member, &mut String) -> bool,
) {
    let Kind::Object(members) = &node.kind else {
        out.push_str(node.source(src));
        return;
    };
    let (Some(first), Some(last)) = (members.first(), members.last()) else {
        out.push_str(node.source(src));
        return;
    };
    out.push_str(slice(src, node.start, first.key_start));
    let mut any = false;
    let mut prev_end = first.key_start;
    for m in members {
        let saved = out.len();
        if any {
            out.push_str(slice(src, prev_end, m.key_start));
        }
        out.push_str(slice(src, m.key_start, m.value.start));
        if keep(m, out) {
            any = true;
        } else {
            out.truncate(saved);
        }
        prev_end = m.value.end;
    }
    out.push_str(slice(src, last.value.end, node.end));
}

/// Writes an array item by item, keeping the source's whitespace and separators.
pub fn array<'n>(
    src: &str,
    node: &'n Node,
    out: &mut String,
    mut each: impl FnMut(usize, &'n Node, &mut String),
) {
    let Kind::Array(items) = &node.kind else {
        out.push_str(node.source(src));
        return;
    };
    let (Some(first), Some(last)) = (items.first(), items.last()) else {
        out.push_str(node.source(src));
        return;
    };
    out.push_str(slice(src, node.start, first.start));
    let mut prev_end = first.start;
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(slice(src, prev_end, item.start));
        }
        each(i, item, out);
        prev_end = item.end;
    }
    out.push_str(slice(src, last.end, node.end));
}

/// Is this object a `{name, value}` pair whose name is a secret (IDX form values, HAR lists),
/// or a form field marked `"secret": true`?
fn pair_secret(node: &Node) -> Option<names::Secret> {
    let Kind::Object(members) = &node.kind else {
        return None;
    };
    let by_name = members
        .iter()
        .filter(|m| m.key == "name")
        .filter_map(|m| m.value.str())
        .find_map(names::classify);
    let flagged = members
        .iter()
        .any(|m| m.key == "secret" && matches!(m.value.kind, Kind::Bool(true)));
    by_name.or(flagged.then_some(names::Secret::Mask))
}

/// Writes a value under a secret name: strings replaced (JWTs keep their claims), numbers,
/// objects and arrays replaced whole; booleans, null and empty values kept.
pub fn secret_value(
    src: &str,
    node: &Node,
    class: names::Secret,
    at: &str,
    ctx: &mut Ctx,
    out: &mut String,
) {
    match &node.kind {
        Kind::Str(s) if !s.is_empty() => {
            let (masked, what) = secret(s, class, ctx);
            ctx.note(at, what);
            out.push_str(&quote(&masked));
        }
        Kind::Number => {
            ctx.note(at, "masked");
            out.push_str(&quote(MASK));
        }
        Kind::Object(m) if !m.is_empty() => {
            ctx.note(at, "masked (object)");
            out.push_str(&quote(MASK));
        }
        Kind::Array(items) if !items.is_empty() => {
            ctx.note(at, "masked (array)");
            out.push_str(&quote(MASK));
        }
        _ => out.push_str(node.source(src)),
    }
}

/// Writes any JSON value redacted: secret keys mask their whole value, `{name, value}` pairs
/// are judged by name, every other string is scrubbed (JWT signatures, SSWS tokens, URLs).
pub fn value(src: &str, node: &Node, at: &str, ctx: &mut Ctx, out: &mut String) {
    match &node.kind {
        Kind::Object(_) => {
            let pair = pair_secret(node);
            object(src, node, out, |m, out| {
                let here = format!("{at}.{}", m.key);
                let class = names::classify(&m.key).or(pair.filter(|_| m.key == "value"));
                match class {
                    Some(class) => secret_value(src, &m.value, class, &here, ctx, out),
                    None => value(src, &m.value, &here, ctx, out),
                }
                true
            });
        }
        Kind::Array(_) => array(src, node, out, |i, item, out| {
            value(src, item, &format!("{at}[{i}]"), ctx, out);
        }),
        Kind::Str(s) => match scrub_string(s, at, ctx) {
            Some(clean) => out.push_str(&quote(&clean)),
            None => out.push_str(node.source(src)),
        },
        _ => out.push_str(node.source(src)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::redact::Receipt;

    fn run(text: &str) -> (String, Receipt) {
        let mut receipt = Receipt::default();
        let mut ctx = Ctx::new(&mut receipt, true);
        let node = parse(text).unwrap();
        let mut out = String::new();
        value(text, &node, "$", &mut ctx, &mut out);
        (out, receipt)
    }

    #[test]
    fn reader_accepts_what_serde_accepts() {
        let cases = [
            "{}",
            "[]",
            " { \"a\" : [ 1 , -0.5e+3, true, false, null, \"\\u00e9\\ud83d\\ude00\" ] } ",
            "123456789012345678901234567890",
            "\"\"",
        ];
        for c in cases {
            assert!(parse(c).is_ok(), "{c}");
            assert!(serde_json::from_str::<serde_json::Value>(c).is_ok(), "{c}");
        }
        let bad = [
            "",
            "{",
            "[1,]",
            "{\"a\":1,}",
            "01",
            "1.",
            "-",
            "\"\\ud800\"",
            "\"a\nb\"",
            "tru",
            "{} x",
            "\"\\x\"",
            "{1:2}",
        ];
        for c in bad {
            assert!(parse(c).is_err(), "{c}");
            assert!(serde_json::from_str::<serde_json::Value>(c).is_err(), "{c}");
        }
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert!(parse(&deep).is_err());
    }

    #[test]
    fn values_not_redacted_pass_byte_for_byte() {
        let text = "{ \"n\": 123456789012345678901234567890, \"f\": 1.5e2, \"s\": \"caf\\u00e9\",\n  \"a\": [ 1 ,2 ], \"password\": \"hunter2\" }";
        let (out, receipt) = run(text);
        assert_eq!(
            out,
            "{ \"n\": 123456789012345678901234567890, \"f\": 1.5e2, \"s\": \"caf\\u00e9\",\n  \"a\": [ 1 ,2 ], \"password\": \"REDACTED\" }"
        );
        assert_eq!(receipt.redactions.len(), 1);
        assert_eq!(receipt.redactions[0].location, "$.password");
    }

    #[test]
    fn secret_keys_mask_whole_values_and_pairs_are_judged_by_name() {
        let cases = [
            (
                r#"{"oldPassword":{"value":"p1"}}"#,
                r#"{"oldPassword":"REDACTED"}"#,
            ),
            (
                r#"{"credentials":{"password":{"value":"p2"},"recovery_question":{"question":"q","answer":"a1"}}}"#,
                r#"{"credentials":{"password":"REDACTED","recovery_question":{"question":"q","answer":"REDACTED"}}}"#,
            ),
            (
                r#"[{"name":"interaction_code","value":"abc"},{"name":"grant_type","value":"interaction_code"}]"#,
                r#"[{"name":"interaction_code","value":"REDACTED:sha256:ba7816bf"},{"name":"grant_type","value":"interaction_code"}]"#,
            ),
            (
                r#"{"name":"passcode","secret":true,"value":"123456"}"#,
                r#"{"name":"passcode","secret":true,"value":"REDACTED"}"#,
            ),
            (
                r#"{"passCode":123456,"secret":true,"sharedSecret":null}"#,
                r#"{"passCode":"REDACTED","secret":true,"sharedSecret":null}"#,
            ),
            (
                r#"{"refreshToken":"abc","tokens":["x"]}"#,
                r#"{"refreshToken":"REDACTED:sha256:ba7816bf","tokens":"REDACTED"}"#,
            ),
            (
                r#"{"href":"https://a/cb?code=abc","errorId":"oae1"}"#,
                r#"{"href":"https://a/cb?code=REDACTED:sha256:ba7816bf","errorId":"oae1"}"#,
            ),
        ];
        for (input, want) in cases {
            assert_eq!(run(input).0, want, "{input}");
            assert!(serde_json::from_str::<serde_json::Value>(want).is_ok());
        }
    }

    #[test]
    fn dropping_members_keeps_the_object_valid() {
        let text = r#"{ "a": 1, "b": 2 , "c": 3 }"#;
        let node = parse(text).unwrap();
        for drop in ["a", "b", "c"] {
            let mut out = String::new();
            object(text, &node, &mut out, |m, out| {
                out.push_str(m.value.source(text));
                m.key != drop
            });
            let v: serde_json::Value = serde_json::from_str(&out).unwrap();
            assert!(v.get(drop).is_none(), "{out}");
            assert_eq!(v.as_object().unwrap().len(), 2);
        }
        let mut out = String::new();
        object(text, &node, &mut out, |_, _| false);
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&out).unwrap(),
            serde_json::json!({})
        );
    }
}
