//! Which names hold secrets: the one list in `crate/data/secret_names.tsv`, matched after
//! normalising the name (percent/form decoding, last segment of `a.b`/`a[b]`, case, `_`/`-`),
//! so `refreshToken`, `refresh_token`, `Refresh-Token` and `%72efresh_token` are the same name.

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

struct Rule {
    name: String,
    how: Match,
    secret: Secret,
}

fn rules() -> &'static [Rule] {
    static RULES: OnceLock<Vec<Rule>> = OnceLock::new();
    RULES.get_or_init(|| {
        LIST.lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let mut cols = l.split('\t');
                let name = cols.next()?.trim().to_string();
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
            })
            .collect()
    })
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

/// How a value under `name` is replaced, or `None` when the name holds no secret.
pub fn classify(name: &str) -> Option<Secret> {
    let n = normalise(name);
    if n.is_empty() {
        return None;
    }
    rules()
        .iter()
        .find(|r| match r.how {
            Match::Exact => n == r.name,
            Match::Suffix => n.ends_with(&r.name),
            Match::Contains => contains(n.as_bytes(), r.name.as_bytes()),
        })
        .map(|r| r.secret)
}

/// Whether `needle` occurs in `hay`: a byte scan, as names are short (`str::contains` builds
/// a two-way searcher per call, and every URL a report keeps has its parameter names asked).
fn contains(hay: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle)
}

pub fn is_secret(name: &str) -> bool {
    classify(name).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_name_agree() {
        for name in [
            "refresh_token",
            "refreshToken",
            "Refresh-Token",
            "REFRESH_TOKEN",
            "%72efresh_token",
            "refresh%5Ftoken",
            "x-okta-xsrftoken",
            "X-Device-Token",
            "activationToken",
            "registration_access_token",
            "interactionHandle",
            "stateHandle",
            "Set-Cookie",
        ] {
            assert_eq!(classify(name), Some(Secret::Digest), "{name}");
        }
        for name in [
            "password",
            "oldPassword",
            "tempPassword",
            "credentials.password",
            "user[password]",
            "sharedSecret",
            "client_secret",
            "passCode",
            "answer",
            "code_verifier",
            "client_assertion",
            "user_code",
        ] {
            assert_eq!(classify(name), Some(Secret::Mask), "{name}");
        }
        for name in ["SAMLResponse", "samlRequest", "SAML_Response"] {
            assert_eq!(classify(name), Some(Secret::Saml), "{name}");
        }
        for (name, secret) in [("Code", true), ("%63ode", true), ("STATE", true)] {
            assert_eq!(is_secret(name), secret, "{name}");
        }
    }

    #[test]
    fn support_fields_are_not_secrets() {
        for name in [
            "errorId",
            "errorCode",
            "X-Okta-Request-Id",
            "client_id",
            "token_type",
            "token_type_hint",
            "grant_type",
            "redirect_uri",
            "scope",
            "expires_in",
            "status",
            "identifier",
            "Content-Type",
            "",
            "%%",
        ] {
            assert_eq!(classify(name), None, "{name}");
        }
    }

    #[test]
    fn the_data_file_parses_whole() {
        let listed = LIST
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .count();
        assert_eq!(rules().len(), listed);
        assert!(listed >= 40);
    }
}
