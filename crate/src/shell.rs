//! Shell quoting for the ready-to-run commands in findings. Values in a command come from
//! attacker-controlled input (claims, URLs), so every one is POSIX single-quoted.

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

/// True when `s` is safe to place in a command at all: no control characters (a newline in
/// a pasted command would run the rest as a second command in some terminals).
pub fn printable(s: &str) -> bool {
    !s.chars().any(char::is_control)
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
        assert!(printable("https://a.b/c"));
        assert!(!printable("a\nb"));
    }
}
