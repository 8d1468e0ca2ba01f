//! Shell quoting for the ready-to-run commands in findings. Values in a command come from
//! attacker-controlled input (claims, URLs), so every one is POSIX single-quoted, and none that
//! holds a control, format or separator character is placed in a command at all.

/// Quotes `s` for a POSIX shell; plain words are left as they are.
pub fn quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "@%+=:,./_-".contains(c));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// True when `s` is safe to place in a command at all: no control characters (a newline in a
/// pasted command would run the rest as a second command in some terminals) and no Unicode
/// format or separator characters (bidi overrides and zero-width characters make a command
/// read differently from what the shell runs; U+2028/U+2029 break lines in some terminals).
pub fn printable(s: &str) -> bool {
    // Printable ASCII (0x20–0x7E) holds no control, format or separator character: most
    // commands are only that, one byte compare each instead of a char decode and the table.
    s.bytes().all(|b| (0x20..0x7f).contains(&b))
        || !s.chars().any(|c| c.is_control() || invisible(c))
}

/// Unicode general categories Cf (format), Zl (line separator) and Zp (paragraph separator),
/// as of Unicode 15.1 (`DerivedGeneralCategory.txt`; std has no category table).
pub fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{0600}'..='\u{0605}'
            | '\u{061C}'
            | '\u{06DD}'
            | '\u{070F}'
            | '\u{0890}'..='\u{0891}'
            | '\u{08E2}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{110BD}'
            | '\u{110CD}'
            | '\u{13430}'..='\u{1343F}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0001}'
            | '\u{E0020}'..='\u{E007F}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_table() {
        let cases = [
            (
                "https://x.okta.com/oauth2/default",
                "https://x.okta.com/oauth2/default",
            ),
            ("", "''"),
            ("a b", "'a b'"),
            ("it's", r"'it'\''s'"),
            ("$(rm -rf /)", "'$(rm -rf /)'"),
            ("`id`", "'`id`'"),
        ];
        for (input, want) in cases {
            assert_eq!(quote(input), want);
        }
    }

    #[test]
    fn printable_table() {
        let cases = [
            ("https://a.b/c", true),
            ("é ü 日本", true),
            ("a\nb", false),
            ("a\u{7f}b", false),
            ("a\u{85}b", false),
            ("a\u{2028}b", false),
            ("a\u{2029}b", false),
            ("a\u{200B}b", false),
            ("a\u{200F}b", false),
            ("a\u{202A}b", false),
            ("a\u{202E}b", false),
            ("a\u{2066}b", false),
            ("a\u{2069}b", false),
            ("a\u{FEFF}b", false),
            ("a\u{00AD}b", false),
            ("a\u{061C}b", false),
            ("a\u{E0041}b", false),
        ];
        for (s, want) in cases {
            assert_eq!(printable(s), want, "{s:?}");
        }
    }

    /// The printable-ASCII fast path answers as the char rule does for every ASCII byte.
    #[test]
    fn printable_ascii_agrees_with_the_char_rule() {
        for b in 0u8..0x80 {
            let s = format!("a{}b", char::from(b));
            let want = !s.chars().any(|c| c.is_control() || invisible(c));
            assert_eq!(printable(&s), want, "{b:#x}");
        }
    }
}
