//! A report (or any answer) as compact JSON text, the way it crosses to JS (`wasm::to_js`).
//! The same bytes as `serde_json::to_string`, written faster: serde_json writes a report as
//! hundreds of small pieces — each quote, colon, comma and brace its own write — and a
//! `Vec<u8>` copies every piece with a call to `memcpy`; here a one-byte piece is pushed.

use serde::Serialize;

/// `v` as compact JSON; `None` only if serialising fails (plain data never does).
pub fn to_json<T: Serialize + ?Sized>(v: &T) -> Option<String> {
    let mut out = Out(Vec::with_capacity(2048));
    serde_json::to_writer(&mut out, v).ok()?;
    String::from_utf8(out.0).ok()
}

struct Out(Vec<u8>);

impl Out {
    #[inline]
    fn put(&mut self, buf: &[u8]) {
        match buf {
            [b] => self.0.push(*b),
            _ => self.0.extend_from_slice(buf),
        }
    }
}

impl std::io::Write for Out {
    #[inline]
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.put(buf);
        Ok(buf.len())
    }

    #[inline]
    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.put(buf);
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let odd = serde_json::json!({"q": "\"\\\n\u{1}é€😀", "n": [1.5, -0.0, null, true]});
        assert_eq!(to_json(&odd), serde_json::to_string(&odd).ok());
        assert!(checked > 100, "{checked}");
    }
}
