//! The core's shape, as tests (STYLE.md: conventions are tests, not review comments). Plain
//! Rust reading `crate/src`: `wasm_bindgen` only in the wasm boundary, no module importing one
//! above it in the layer order below, and no source file past 600 lines.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::{
    collections::BTreeMap,
    fs,
    path::{Path, PathBuf},
};

/// The modules of `crate/src`, bottom layer first. A module may import modules of its own
/// layer and of the layers below, never one above. `lib` is the entry points (lib.rs's
/// `analyze_*` functions); a new module must be placed here before the test passes.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "foundation: encodings, JSON text, clocks, catalogues, shell quoting, hosts, buckets, \
         issuers",
        &[
            "encoding",
            "json",
            "golden",
            "timestamp",
            "sort",
            "catalogue",
            "shell",
            "domain",
            "bucket",
            "issuer",
        ],
    ),
    (
        "report and credential: the Report (a session's digest is one of its views), the moment \
         answers are judged at, commands, \
         the request context, tokens, SAML messages (a Response is a credential), redaction",
        &[
            "report", "params", "moment", "command", "context", "jwt", "jwks", "token", "redact",
            "digest", "saml",
        ],
    ),
    ("rate-limit headers", &["rate_limit"]),
    ("the exchange, read once", &["exchange"]),
    (
        "concepts",
        &[
            "oauth_error",
            "okta_error",
            "idx",
            "endpoint",
            "introspection",
            "storage",
            "redirect",
            "flow",
        ],
    ),
    (
        "one cause per request: findings that say the same thing folded",
        &["cause"],
    ),
    (
        "CORS: judged after the cause fold, naming the cause the page could not see",
        &["cors"],
    ),
    ("explain: the words, written only when shown", &["explain"]),
    (
        "the exchange pipeline and the recogniser",
        &["recognise", "http"],
    ),
    ("pasted text", &["input"]),
    ("session", &["timeline", "session", "har", "live"]),
    ("export", &["export"]),
    (
        "entry points and the wasm boundary",
        &["lib", "signature", "wasm"],
    ),
];

/// Files allowed past [`MAX_LINES`] for now, each with the size it may not grow beyond; remove
/// an entry once it is split. None today.
const OVERSIZED: &[(&str, usize)] = &[];

const MAX_LINES: usize = 600;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// `src`-relative path with `/` separators.
fn rel(p: &Path) -> String {
    p.strip_prefix(src())
        .unwrap()
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// The top-level module a file belongs to (`jwt/okta.rs` → `jwt`, `lib.rs` → `lib`); `None`
/// for the CLI binary, which reaches the library only through its public API.
fn module_of(rel: &str) -> Option<String> {
    let first = rel.split('/').next()?;
    if first == "cli" {
        return None;
    }
    Some(first.trim_end_matches(".rs").to_string())
}

/// The source with comments, string and char literals blanked out (newlines kept), so that
/// braces can be matched and `crate::` found only in code.
fn code_only(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    let blank = |out: &mut Vec<u8>, c: u8| out.push(if c == b'\n' { b'\n' } else { b' ' });
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == b'/' && next == Some(b'/') {
            while i < b.len() && b[i] != b'\n' {
                out.push(b' ');
                i += 1;
            }
        } else if c == b'/' && next == Some(b'*') {
            let mut depth = 0usize;
            while i < b.len() {
                if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                    depth += 1;
                    out.extend_from_slice(b"  ");
                    i += 2;
                } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                    depth -= 1;
                    out.extend_from_slice(b"  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    blank(&mut out, b[i]);
                    i += 1;
                }
            }
        } else if c == b'r'
            && (next == Some(b'"') || next == Some(b'#'))
            && !b
                .get(i.wrapping_sub(1))
                .is_some_and(|p| p.is_ascii_alphanumeric() || *p == b'_')
        {
            // Raw string r"…", r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&b'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&b'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                match b.get(j) {
                    None => break,
                    Some(b'"') if (0..hashes).all(|k| b.get(j + 1 + k) == Some(&b'#')) => {
                        j += 1 + hashes;
                        break;
                    }
                    _ => j += 1,
                }
            }
            for &x in &b[i..j.min(b.len())] {
                blank(&mut out, x);
            }
            i = j;
        } else if c == b'"' {
            out.push(b' ');
            i += 1;
            while i < b.len() && b[i] != b'"' {
                if b[i] == b'\\' {
                    blank(&mut out, b[i]);
                    i += 1;
                }
                if i < b.len() {
                    blank(&mut out, b[i]);
                    i += 1;
                }
            }
            out.push(b' ');
            i += 1;
        } else if c == b'\'' {
            // A char literal ('x', '\n', '\u{1F600}', '"'), or a lifetime ('a).
            let close = if next == Some(b'\\') {
                b[i + 2..]
                    .iter()
                    .position(|&x| x == b'\'')
                    .map(|p| i + 2 + p)
            } else {
                let ch_len = std::str::from_utf8(&b[i + 1..(i + 5).min(b.len())])
                    .ok()
                    .or_else(|| std::str::from_utf8(&b[i + 1..(i + 2).min(b.len())]).ok())
                    .and_then(|s| s.chars().next())
                    .map_or(1, char::len_utf8);
                (b.get(i + 1 + ch_len) == Some(&b'\'')).then_some(i + 1 + ch_len)
            };
            match close {
                Some(end) => {
                    out.resize(out.len() + end + 1 - i, b' ');
                    i = end + 1;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Removes `#[cfg(test)]` items (test modules and test-only helpers): tests may use anything.
fn without_tests(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let item = &rest[at..];
        let brace = item.find('{');
        let semi = item.find(';');
        let end = match (brace, semi) {
            (Some(b), Some(s)) if s < b => s + 1,
            (Some(b), _) => {
                let mut depth = 0usize;
                let mut end = item.len();
                for (k, ch) in item[b..].char_indices() {
                    match ch {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = b + k + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                end
            }
            (None, Some(s)) => s + 1,
            (None, None) => item.len(),
        };
        rest = &item[end..];
    }
    out.push_str(rest);
    out
}

fn ident(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// Every name a file reaches through `crate::`: `crate::x::…`, `crate::x(…)` and each
/// top-level name of `use crate::{a, b::{…}, c::d}`.
fn crate_names(code: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let before_ok = at == 0
            || !rest[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        rest = &rest[at + "crate::".len()..];
        if !before_ok {
            continue;
        }
        let after = rest.trim_start();
        if let Some(group) = after.strip_prefix('{') {
            let mut depth = 1usize;
            let mut item = String::new();
            for ch in group.chars() {
                match ch {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                if depth == 0 {
                    break;
                }
                if ch == ',' && depth == 1 {
                    names.push(ident(item.trim()).to_string());
                    item.clear();
                } else {
                    item.push(ch);
                }
            }
            names.push(ident(item.trim()).to_string());
        } else {
            names.push(ident(after).to_string());
        }
    }
    names.retain(|n| !n.is_empty() && n != "self");
    names
}

/// Names lib.rs re-exports (`pub use domain::Trusted;`) → the module they come from.
fn reexports(lib: &str) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    for line in lib.lines() {
        let Some(path) = line.trim().strip_prefix("pub use ") else {
            continue;
        };
        let path = path.trim_end_matches(';');
        let Some((module, items)) = path.split_once("::") else {
            continue;
        };
        let items = items.trim_start_matches('{').trim_end_matches('}');
        for item in items.split(',') {
            let name = item.rsplit("::").next().unwrap_or(item).trim();
            if !name.is_empty() {
                map.insert(name.to_string(), module.trim().to_string());
            }
        }
    }
    map
}

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|(_, ms)| ms.contains(&module))
}

/// (file, module, imported module) for every import of a module from a higher layer, and the
/// modules no layer names.
fn layer_violations() -> (Vec<String>, Vec<String>) {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let lib = fs::read_to_string(src().join("lib.rs")).unwrap();
    let reexported = reexports(&lib);
    let modules: Vec<String> = files.iter().filter_map(|f| module_of(&rel(f))).collect();
    let mut unplaced: Vec<String> = modules
        .iter()
        .filter(|m| layer_of(m).is_none())
        .cloned()
        .collect();
    unplaced.dedup();
    let mut violations = Vec::new();
    for f in &files {
        let rel = rel(f);
        let Some(module) = module_of(&rel) else {
            continue;
        };
        // A file that is a test module as a whole.
        if rel.ends_with("/tests.rs") || rel.contains("/tests/") {
            continue;
        }
        let Some(layer) = layer_of(&module) else {
            continue;
        };
        let code = without_tests(&code_only(&fs::read_to_string(f).unwrap()));
        for name in crate_names(&code) {
            let target = if modules.contains(&name) {
                name.clone()
            } else if let Some(m) = reexported.get(&name) {
                m.clone()
            } else if name.starts_with(|c: char| c.is_ascii_uppercase()) {
                // A constant of lib.rs (`VERSION`): a fact, not an entry point.
                continue;
            } else {
                // A function or constant of lib.rs itself: the entry points.
                "lib".to_string()
            };
            if target == module {
                continue;
            }
            if layer_of(&target).is_some_and(|t| t > layer) {
                violations.push(format!("{rel} ({module}) uses crate::{name} ({target})"));
            }
        }
    }
    violations.sort();
    violations.dedup();
    (violations, unplaced)
}

#[test]
fn no_module_imports_one_above_it() {
    let (violations, unplaced) = layer_violations();
    assert!(
        unplaced.is_empty(),
        "modules missing from shape.rs's LAYERS: {unplaced:?}"
    );
    assert!(
        violations.is_empty(),
        "imports from a higher layer (see LAYERS in crate/tests/shape.rs):\n{}",
        violations.join("\n")
    );
}

#[test]
fn wasm_bindgen_only_in_the_boundary() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let outside: Vec<String> = files
        .iter()
        .map(|f| rel(f))
        .filter(|r| r != "wasm.rs" && !r.starts_with("wasm/"))
        .filter(|r| code_only(&fs::read_to_string(src().join(r)).unwrap()).contains("wasm_bindgen"))
        .collect();
    assert!(
        outside.is_empty(),
        "wasm_bindgen outside wasm.rs / wasm/: {outside:?}"
    );
}

/// Findings are data until shown: below the explain layer nothing builds a worded finding
/// (`Finding::new` takes a title; `Finding::fact` takes the values the words need).
#[test]
fn words_are_written_only_in_the_explain_layer() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let wording: Vec<String> = files
        .iter()
        .map(|f| rel(f))
        .filter(|r| !r.starts_with("explain/") && r != "report/mod.rs" && !r.starts_with("cli/"))
        .filter(|r| !r.ends_with("tests.rs") && !r.contains("/tests/"))
        .filter(|r| {
            let code = without_tests(&code_only(&fs::read_to_string(src().join(r)).unwrap()));
            code.contains("Finding::new(")
        })
        .collect();
    assert!(
        wording.is_empty(),
        "worded findings built below the explain layer: {wording:?}"
    );
}

#[test]
fn no_source_file_passes_600_lines() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut over = Vec::new();
    for f in &files {
        let rel = rel(f);
        let lines = fs::read_to_string(f).unwrap().lines().count();
        let limit = OVERSIZED
            .iter()
            .find(|(p, _)| *p == rel)
            .map_or(MAX_LINES, |(_, l)| *l);
        if lines > limit {
            over.push(format!("{rel}: {lines} lines (limit {limit})"));
        }
    }
    assert!(
        over.is_empty(),
        "split these (a file past ~500 lines becomes a folder):\n{}",
        over.join("\n")
    );
}

/// The checks above must see what they claim to see.
#[test]
fn the_readers_find_imports_in_code_only() {
    let src = r##"
use crate::{
    bucket, domain::{self, Trusted},
    rate_limit::{self as rl, Clock},
};
// crate::commented::out
/// [`crate::doc_link`]
const S: &str = "crate::in_a_string";
const R: &str = r#"crate::in_a_raw_string { "#;
const C: char = '{';
fn f<'a>(x: &'a str) -> bool { crate::report::Finding::new(x); crate::analyze_text(x, 0); true }
#[cfg(test)]
mod tests {
    use crate::wasm;
    fn g() { let _ = '}'; crate::live::x(); }
}
fn after() { crate::timestamp::now(); }
"##;
    let code = without_tests(&code_only(src));
    assert_eq!(
        crate_names(&code),
        [
            "bucket",
            "domain",
            "rate_limit",
            "report",
            "analyze_text",
            "timestamp"
        ]
    );
    assert!(code_only("wasm_bindgen").contains("wasm_bindgen"));
    assert!(!code_only("// wasm_bindgen\n\"wasm_bindgen\"").contains("wasm_bindgen"));
    let map = reexports("pub use domain::Trusted;\npub use report::{Finding, Kind};\n");
    assert_eq!(map.get("Trusted").map(String::as_str), Some("domain"));
    assert_eq!(map.get("Kind").map(String::as_str), Some("report"));
    assert_eq!(module_of("jwt/okta.rs").as_deref(), Some("jwt"));
    assert_eq!(module_of("cli/main.rs"), None);
}
