//! HAR documents (HAR 1.2, <http://www.softwareishard.com/blog/har-12-spec/>): members are kept
//! by an allow-list of the spec's members (plus a few scalar Chrome extras); everything else
//! (`_initiator`, `_webSocketMessages`, unknown members) is dropped and the receipt says so.
//! Headers, cookies, query and form parameters are judged by name; bodies by their type.

use super::json::{self, Kind, Member, Node};
use super::{body, names, scrub_string, secret, url, Ctx};

/// Chrome's underscore members that are plain facts about the request, kept when scalar.
const EXTRAS: [&str; 6] = [
    "_resourceType",
    "_priority",
    "_fromCache",
    "_transferSize",
    "_error",
    "_workerRespondWithSettled",
];

/// What a member of an allow-listed object is.
#[derive(Clone, Copy)]
enum Field {
    /// A number, boolean or short string (strings scrubbed like any text).
    Scalar,
    /// A URL.
    Url,
    /// Free text that may hold a URL (page titles, ids, comments): scrubbed.
    Text,
    Creator,
    Pages,
    PageTimings,
    Entries,
    Request,
    Response,
    Cache,
    CacheEntry,
    Timings,
    Headers,
    Cookies,
    Query,
    PostData,
    Params,
    Content,
}

fn log_field(key: &str) -> Option<Field> {
    Some(match key {
        "version" => Field::Scalar,
        "creator" | "browser" => Field::Creator,
        "pages" => Field::Pages,
        "entries" => Field::Entries,
        "comment" => Field::Text,
        _ => return None,
    })
}

fn fields(of: Field, key: &str) -> Option<Field> {
    use Field::*;
    let f = match (of, key) {
        (_, "comment") => Text,
        (Creator, "name" | "version") => Scalar,
        (Pages, "startedDateTime") => Scalar,
        (Pages, "id" | "title") => Text,
        (Pages, "pageTimings") => PageTimings,
        (PageTimings, "onContentLoad" | "onLoad") => Scalar,
        (Entries, "pageref") => Text,
        (Entries, "startedDateTime" | "time" | "serverIPAddress" | "connection") => Scalar,
        (Entries, "request") => Request,
        (Entries, "response") => Response,
        (Entries, "cache") => Cache,
        (Entries, "timings") => Timings,
        (Request, "method" | "httpVersion" | "headersSize" | "bodySize") => Scalar,
        (Request, "url") => Url,
        (Request | Response, "cookies") => Cookies,
        (Request | Response, "headers") => Headers,
        (Request, "queryString") => Query,
        (Request, "postData") => PostData,
        (Response, "status" | "statusText" | "httpVersion" | "headersSize" | "bodySize") => Scalar,
        (Response, "redirectURL") => Url,
        (Response, "content") => Content,
        (Cache, "beforeRequest" | "afterRequest") => CacheEntry,
        (CacheEntry, "expires" | "lastAccess" | "eTag" | "hitCount") => Scalar,
        (Timings, _) => Scalar,
        (PostData, "mimeType") => Scalar,
        (PostData, "params") => Params,
        (Content, "size" | "compression" | "mimeType" | "encoding") => Scalar,
        (Entries | Request | Response, k) if EXTRAS.contains(&k) => Scalar,
        _ => return None,
    };
    Some(f)
}

fn dropped(at: &str, ctx: &mut Ctx) -> bool {
    ctx.note(at, "member dropped");
    false
}

/// Writes one member's value as `field`; `false` drops it (wrong shape).
fn field(src: &str, node: &Node, f: Field, at: &str, ctx: &mut Ctx, out: &mut String) -> bool {
    match (f, &node.kind) {
        (Field::Scalar | Field::Text, Kind::Str(s)) => {
            match scrub_string(s, at, ctx) {
                Some(clean) => out.push_str(&json::quote(&clean)),
                None => out.push_str(node.source(src)),
            }
            true
        }
        (Field::Url, Kind::Str(s)) => {
            let clean = url::redact(s, at, ctx);
            if &clean == s {
                out.push_str(node.source(src));
            } else {
                out.push_str(&json::quote(&clean));
            }
            true
        }
        (Field::Scalar | Field::Text | Field::Url, Kind::Number | Kind::Bool(_) | Kind::Null) => {
            out.push_str(node.source(src));
            true
        }
        (Field::Scalar | Field::Text | Field::Url, _) => dropped(at, ctx),
        (Field::Pages | Field::Entries, Kind::Array(_)) => {
            json::array(src, node, out, |i, item, out| {
                // Entries are named as the streaming CLI names them: `entries[3]`.
                if matches!(f, Field::Entries) {
                    entry(src, item, &format!("entries[{i}]"), ctx, out);
                } else {
                    members(src, item, f, &format!("{at}[{i}]"), ctx, out);
                }
            });
            true
        }
        (Field::Headers | Field::Cookies | Field::Query | Field::Params, Kind::Array(_)) => {
            json::array(src, node, out, |_, item, out| {
                pair(src, item, f, at, ctx, out)
            });
            true
        }
        (Field::PostData, Kind::Object(_)) => {
            let mime = node.get("mimeType").and_then(Node::str);
            body_holder(src, node, f, mime, at, ctx, out);
            true
        }
        (Field::Content, Kind::Object(_)) => {
            let mime = node.get("mimeType").and_then(Node::str);
            body_holder(src, node, f, mime, at, ctx, out);
            true
        }
        (_, Kind::Object(_)) => {
            members(src, node, f, at, ctx, out);
            true
        }
        _ => dropped(at, ctx),
    }
}

/// An allow-listed object: known members written as their field, the rest dropped.
fn members(src: &str, node: &Node, of: Field, at: &str, ctx: &mut Ctx, out: &mut String) {
    if !matches!(node.kind, Kind::Object(_)) {
        ctx.note(at, "member replaced: not an object");
        out.push_str("{}");
        return;
    }
    json::object(src, node, out, |m, out| {
        let here = format!("{at}.{}", m.key);
        match fields(of, &m.key) {
            Some(f) => field(src, &m.value, f, &here, ctx, out),
            None => dropped(&here, ctx),
        }
    });
}

/// One entry of `log.entries`.
pub fn entry(src: &str, node: &Node, at: &str, ctx: &mut Ctx, out: &mut String) {
    members(src, node, Field::Entries, at, ctx, out);
}

/// One member of `log` other than `entries` (streamed separately by the CLI); `false` drops it.
pub fn log_member(src: &str, m: &Member, ctx: &mut Ctx, out: &mut String) -> bool {
    let here = format!("log.{}", m.key);
    match log_field(&m.key) {
        Some(f) => field(src, &m.value, f, &here, ctx, out),
        None => dropped(&here, ctx),
    }
}

/// A whole HAR document.
pub fn document(src: &str, node: &Node, ctx: &mut Ctx, out: &mut String) {
    json::object(src, node, out, |m, out| {
        if m.key != "log" {
            return dropped(&m.key, ctx);
        }
        if !matches!(m.value.kind, Kind::Object(_)) {
            return dropped("log", ctx);
        }
        json::object(src, &m.value, out, |lm, out| log_member(src, lm, ctx, out));
        true
    });
}

/// `{name, value, …}` in headers, cookies, queryString and postData.params.
fn pair(src: &str, node: &Node, list: Field, at: &str, ctx: &mut Ctx, out: &mut String) {
    let Kind::Object(ms) = &node.kind else {
        ctx.note(at, "member replaced: not an object");
        out.push_str("{}");
        return;
    };
    let names_: Vec<&str> = ms
        .iter()
        .filter(|m| m.key == "name")
        .filter_map(|m| m.value.str())
        .collect();
    let name = names_.first().copied().unwrap_or_default();
    let here = format!("{at}[{name}]");
    let class = names_.iter().find_map(|n| names::classify(n));
    let is_cookie_header = names_
        .iter()
        .any(|n| n.eq_ignore_ascii_case("cookie") || n.eq_ignore_ascii_case("set-cookie"));
    json::object(src, node, out, |m, out| {
        let key = m.key.as_str();
        let allowed = matches!(
            (list, key),
            (_, "name" | "value" | "comment")
                | (
                    Field::Cookies,
                    "path" | "domain" | "expires" | "httpOnly" | "secure" | "sameSite"
                )
                | (Field::Params, "fileName" | "contentType")
        );
        if !allowed {
            return dropped(&format!("{here}.{key}"), ctx);
        }
        if key != "value" {
            return field(
                src,
                &m.value,
                Field::Text,
                &format!("{here}.{key}"),
                ctx,
                out,
            );
        }
        let Kind::Str(v) = &m.value.kind else {
            return match class {
                Some(c) => {
                    json::secret_value(src, &m.value, c, &here, ctx, out);
                    true
                }
                None => field(src, &m.value, Field::Scalar, &here, ctx, out),
            };
        };
        let new = if v.is_empty() {
            None
        } else if matches!(list, Field::Cookies) {
            let (masked, what) = secret(v, class.unwrap_or(names::Secret::Digest), ctx);
            ctx.note(&here, what);
            Some(masked)
        } else if is_cookie_header {
            Some(cookie_header(v, &here, ctx))
        } else if let Some(c) = class {
            let (masked, what) = secret(v, c, ctx);
            ctx.note(&here, what);
            Some(masked)
        } else if matches!(list, Field::Query | Field::Params) {
            let clean = url::value("", v, &here, ctx);
            (clean != *v).then_some(clean)
        } else {
            scrub_string(v, &here, ctx)
        };
        match new {
            Some(n) => out.push_str(&json::quote(&n)),
            None => out.push_str(m.value.source(src)),
        }
        true
    });
}

/// `a=1; b=2` (Cookie) or `sid=x; Path=/; Secure` (Set-Cookie): names and attributes kept,
/// each cookie's value a digest.
fn cookie_header(v: &str, at: &str, ctx: &mut Ctx) -> String {
    const ATTRIBUTES: [&str; 9] = [
        "path",
        "domain",
        "expires",
        "max-age",
        "samesite",
        "secure",
        "httponly",
        "priority",
        "partitioned",
    ];
    let mut count = 0;
    let out = v
        .split(';')
        .map(|part| match part.split_once('=') {
            Some((k, val))
                if !ATTRIBUTES.contains(&k.trim().to_ascii_lowercase().as_str())
                    && !val.trim().is_empty() =>
            {
                count += 1;
                format!("{k}={}", secret(val.trim(), names::Secret::Digest, ctx).0)
            }
            _ => part.to_string(),
        })
        .collect::<Vec<_>>()
        .join(";");
    if count > 0 {
        ctx.note(
            at,
            &format!(
                "{count} cookie value(s) {}",
                if ctx.digest { "digested" } else { "masked" }
            ),
        );
    }
    out
}

/// `postData` and `content`: the body (`text`) redacted by its type; base64 content decoded
/// first and written back as text (so `encoding` goes), binary content replaced.
fn body_holder(
    src: &str,
    node: &Node,
    of: Field,
    mime: Option<&str>,
    at: &str,
    ctx: &mut Ctx,
    out: &mut String,
) {
    let text = node.get("text");
    let base64 = node
        .get("encoding")
        .and_then(Node::str)
        .is_some_and(|e| e.eq_ignore_ascii_case("base64"));
    let here = format!("{at}.text");
    // None: keep the source text; Some(s): write s (and drop `encoding` when it was base64).
    let new_text: Option<String> = match text.map(|t| &t.kind) {
        Some(Kind::Str(t)) if base64 => {
            let decoded = crate::encoding::base64url(t.trim())
                .ok()
                .and_then(|b| String::from_utf8(b).ok());
            Some(match decoded {
                Some(plain) => body::redact(&plain, mime, &here, ctx).unwrap_or(plain),
                None if t.is_empty() => String::new(),
                None => {
                    ctx.note(&here, "body replaced: binary");
                    body::marker("binary")
                }
            })
        }
        Some(Kind::Str(t)) => body::redact(t, mime, &here, ctx),
        _ => None,
    };
    let rewrote = new_text.is_some();
    json::object(src, node, out, |m, out| {
        let key = m.key.as_str();
        match (key, &new_text) {
            ("text", Some(t)) => {
                out.push_str(&json::quote(t));
                true
            }
            ("text", None) => {
                if matches!(m.value.kind, Kind::Str(_) | Kind::Null) {
                    out.push_str(m.value.source(src));
                    true
                } else {
                    dropped(&format!("{at}.text"), ctx)
                }
            }
            ("encoding", _) if rewrote && base64 => false,
            _ => {
                let here = format!("{at}.{key}");
                match fields(of, key) {
                    Some(f) => field(src, &m.value, f, &here, ctx, out),
                    None => dropped(&here, ctx),
                }
            }
        }
    });
}
