//! The seal of a report's token view. A built JWT view's decoded header and claims are judged
//! by name and scrubbed in one pass (`members::seal_noting`), and the strings that pass left
//! as they were are remembered ([`Known`]): the view's classification and the findings copy
//! them (a client id, a user id, scopes, the audience), and a copy of a string the seal left
//! unchanged is one it would leave unchanged again — the scrub of a string depends on that
//! string alone — so it is not scanned a second time (docs/performance-log.md, "analyzeText,
//! eighth pass"). Any other token (a secret, a storage, a view read back) is sealed whole.

use serde_json::Value;

use super::{
    members,
    prefilter::{may_hold_secret, plainly_short},
    report_url, scrub_text, scrub_value_string, url, Clean,
};
use crate::report::{
    each_string_in,
    token::{Jwt, Members, Part},
    Kept, Token,
};

/// The most strings [`Known`] holds: past it a copy is simply scrubbed again (a hostile
/// token's thousand-item claim must not make every later string a thousand comparisons).
const MAX_KNOWN: usize = 64;

/// Strings of a token's decoded header and claims that the seal left as they were: a top-level
/// string or list of strings under a name that is not a secret's.
#[derive(Debug, Default)]
pub(crate) struct Known<'r> {
    strings: Vec<&'r str>,
    /// Bit `len % 64` for each string's length: most strings asked about are no copy, and
    /// their length says so.
    lengths: u64,
}

impl<'r> Known<'r> {
    /// Is `s` one of them (so sealing it changes nothing)?
    pub(crate) fn has(&self, s: &str) -> bool {
        self.lengths & length_bit(s) != 0 && self.strings.contains(&s)
    }

    /// The values at the places `kept` names (bit `i` for place `i`).
    fn add(&mut self, members: Option<&'r Members>, kept: u64) {
        let places = members.into_iter().flat_map(|m| m.iter()).take(64);
        for (i, (_, value)) in places.enumerate() {
            if kept & (1 << i) == 0 {
                continue;
            }
            match value {
                Value::String(s) => self.push(s),
                Value::Array(items) => items
                    .iter()
                    .filter_map(Value::as_str)
                    .for_each(|s| self.push(s)),
                _ => {}
            }
        }
    }

    fn push(&mut self, s: &'r str) {
        if self.strings.len() < MAX_KNOWN {
            self.lengths |= length_bit(s);
            self.strings.push(s);
        }
    }
}

/// [`scrub_value_string`]'s steps, answering whether they changed `s` (a test holds them
/// equal to the steps before: `scrub_value_changed_is_the_scrub_before`).
pub(super) fn scrub_value_changed(s: &mut String, clean: &mut Clean) -> bool {
    if plainly_short(s) || clean.knows(s) {
        return false;
    }
    let mut changed = false;
    if url::looks_like_url(s) && !s.contains(char::is_whitespace) && !clean.check(s) {
        let redacted = report_url(s);
        if redacted != *s {
            *s = redacted;
            changed = true;
        }
    }
    if may_hold_secret(s) {
        let (text, done) = scrub_text(s);
        if !done.is_empty() {
            *s = text;
            changed = true;
        }
    }
    changed
}

fn length_bit(s: &str) -> u64 {
    1 << (s.len() % 64)
}

/// Seals a report's token view: names judged (`members`), then every string scrubbed — a
/// built JWT's decoded members once, its other strings unless [`Known`]. Answers what it
/// knows clean, for the findings sealed after it.
pub(crate) fn seal<'r>(token: Option<&'r mut Kept<Token>>, clean: &mut Clean) -> Known<'r> {
    match token {
        Some(Kept::Built(Token::Jwt(jwt))) => seal_jwt(jwt, clean),
        // A storage's JWTs each sealed as one (what they know is not kept: no finding copies
        // a stored token's claims), its other strings scrubbed.
        Some(Kept::Built(t)) => {
            t.each_part(&mut |part| match part {
                Part::Jwt(j) => drop(seal_jwt(j, clean)),
                Part::String(s) => scrub_value_string(s, clean),
            });
            Known::default()
        }
        Some(Kept::Read(view)) => {
            members::seal_read(view);
            each_string_in(view, &mut |s| scrub_value_string(s, clean));
            Known::default()
        }
        None => Known::default(),
    }
}

/// One JWT view: its decoded members judged and scrubbed once, then the rest of the view.
fn seal_jwt<'r>(jwt: &'r mut Jwt, clean: &mut Clean) -> Known<'r> {
    let (header, claims, mut rest) = jwt.split();
    let kept_header = header
        .as_mut()
        .map_or(0, |h| members::seal_noting(h, false, clean));
    let kept_claims = claims
        .as_mut()
        .map_or(0, |c| members::seal_noting(c, true, clean));
    let (header, claims): (&'r Option<Members>, &'r Option<Members>) = (header, claims);
    let mut known = Known {
        strings: Vec::with_capacity(16),
        lengths: 0,
    };
    known.add(header.as_ref(), kept_header);
    known.add(claims.as_ref(), kept_claims);
    rest.each_string(&mut |s| {
        if !known.has(s) {
            scrub_value_string(s, clean);
        }
    });
    known
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::super::{members, report_url, scrub, scrub_evidence, scrub_words, seal, Clean};
    use crate::redact::members::seal_read;
    use crate::report::{Kept, Report, Strings, Token};

    const NOW: i64 = 1_750_000_000;

    /// The seal as it was before [`super::seal`] (the reference): the findings first, then the
    /// token's members judged by name, then every string of the token scrubbed (each string
    /// by the scrub before, [`scrub_value_before`]).
    fn seal_before(report: &mut Report) {
        let scrub_value_string = scrub_value_before;
        let mut clean = Clean::default();
        scrub(&mut report.summary);
        report.todo.iter_mut().for_each(scrub);
        if let Some(u) = report.request.as_mut().and_then(|r| r.url.as_mut()) {
            if !clean.check(u) {
                *u = report_url(u);
                scrub(u);
            }
        }
        for f in &mut report.findings {
            scrub_words(f);
            for e in &mut f.evidence {
                scrub_evidence(&mut e.value, &mut clean);
            }
            f.params
                .each_string(&mut |s| scrub_value_string(s, &mut clean));
        }
        // The walk before: every decoded JWT's members judged by name, then every string.
        if let Some(t) = &mut report.token {
            match t {
                Kept::Built(t) => t.each_part(&mut |part| {
                    if let crate::report::token::Part::Jwt(j) = part {
                        let (header, claims, _) = j.split();
                        for (m, claims) in [(header, false), (claims, true)] {
                            if let Some(m) = m {
                                members::seal(m.iter_mut(), claims);
                            }
                        }
                    }
                }),
                Kept::Read(v) => seal_read(v),
            }
        }
        let f = &mut |s: &mut String| scrub_value_string(s, &mut clean);
        if let Some(t) = &mut report.token {
            t.each_string(f);
        }
        if let Some(r) = &mut report.rate_limit {
            r.each_string(f);
        }
        if let Some(t) = &mut report.timeline {
            t.each_string(f);
        }
    }

    /// `{header}.{claims}.c2ln`, base64url.
    fn token(header: &Value, claims: &Value) -> String {
        use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
        let part = |v: &Value| URL_SAFE_NO_PAD.encode(v.to_string());
        format!("{}.{}.c2ln", part(header), part(claims))
    }

    /// Every string a pasted text might hold: the golden inputs and the seeded-secrets
    /// corpus's URLs, header lines and bodies.
    fn pieces() -> Vec<String> {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests");
        let mut pieces = Vec::new();
        let fixtures = std::fs::read_dir(format!("{root}/fixtures")).unwrap();
        for dir in fixtures {
            let path = dir.unwrap().path().join("input.txt");
            pieces.extend(std::fs::read_to_string(path).ok());
        }
        let corpus = std::fs::read_to_string(format!("{root}/secrets/corpus.har")).unwrap();
        let har: Value = serde_json::from_str(&corpus).unwrap();
        for entry in har["log"]["entries"].as_array().unwrap() {
            let (req, res) = (&entry["request"], &entry["response"]);
            pieces.extend(req["url"].as_str().map(str::to_string));
            for side in [req, res] {
                for h in side["headers"].as_array().into_iter().flatten() {
                    pieces.push(format!("{}: {}", h["name"], h["value"]));
                    pieces.extend(h["value"].as_str().map(str::to_string));
                }
            }
            pieces.extend(req["postData"]["text"].as_str().map(str::to_string));
            pieces.extend(res["content"]["text"].as_str().map(str::to_string));
        }
        pieces
    }

    /// Reports to seal: each piece analysed as pasted (the data report, and the report with
    /// its token's claim notes), and each piece as the claims of an Okta-shaped token —
    /// under plain names the classification and findings copy, under secret names, `nonce`,
    /// nested, in lists, repeated — analysed the same two ways.
    fn reports() -> Vec<Report> {
        let mut texts = pieces();
        let n = texts.len();
        for i in 0..n {
            let p = texts[i].clone();
            let claims = json!({
                "ver": 1, "jti": "AT.1", "iss": p, "aud": p, "cid": p, "uid": p, "sub": p,
                "scp": [p, "openid"], "password": p, "nonce": p, "x": {"refresh_token": p, "y": [p]},
                "exp": NOW + 60,
            });
            texts.push(token(&json!({"alg": "RS256", "kid": p}), &claims));
            let plain = json!({"cid": "0oa1", "scp": ["a", p], "iss": "https://dev-1.okta.com/oauth2/default", "sub": p, "sub ": 1});
            texts.push(token(&json!({"alg": p}), &plain));
        }
        let many: serde_json::Map<String, Value> = (0..70)
            .map(|i| (format!("c{i}"), json!(format!("v{i}"))))
            .collect();
        texts.push(token(&json!({"alg": "none"}), &Value::Object(many)));
        let mut out = Vec::new();
        for text in &texts {
            let report = crate::input::analyze(text, NOW, &crate::har::analyze_data);
            let mut noted = report.clone();
            if let Some(Kept::Built(Token::Jwt(j))) = noted.token.as_mut() {
                j.notes = Some(crate::jwt::claims::notes_of(
                    j.header.as_ref(),
                    j.claims.as_ref(),
                ));
            }
            out.push(report);
            out.push(noted);
        }
        out
    }

    /// The seal with the token first and its clean claims remembered gives every report the
    /// reference seal gives, byte for byte.
    #[test]
    fn sealing_the_claims_once_is_the_seal_before() {
        let reports = reports();
        let mut tokens = 0;
        for report in reports {
            tokens += usize::from(matches!(report.token, Some(Kept::Built(Token::Jwt(_)))));
            let mut before = report.clone();
            seal_before(&mut before);
            let mut now = report;
            seal(&mut now);
            assert_eq!(
                serde_json::to_string(&now).unwrap(),
                serde_json::to_string(&before).unwrap()
            );
        }
        assert!(tokens > 1_000, "{tokens} token views");
    }

    /// `scrub_value_string` as it was before it took [`super::scrub_value_changed`]'s body.
    fn scrub_value_before(s: &mut String, clean: &mut Clean) {
        if clean.knows(s) {
            return;
        }
        if crate::redact::url::looks_like_url(s)
            && !s.contains(char::is_whitespace)
            && !clean.check(s)
        {
            let redacted = report_url(s);
            if redacted != *s {
                *s = redacted;
            }
        }
        scrub(s);
    }

    /// [`super::scrub_value_changed`] does what the scrub before did, and says so exactly
    /// when the string changed: every piece, and every piece as a URL's query and path.
    #[test]
    fn scrub_value_changed_is_the_scrub_before() {
        let mut changes = 0;
        for p in pieces() {
            for s in [
                p.clone(),
                format!("https://a.example/cb?x={p}"),
                format!("/p/{p}"),
            ] {
                let (mut ours, mut theirs) = (s.clone(), s.clone());
                let changed = super::scrub_value_changed(&mut ours, &mut Clean::default());
                scrub_value_before(&mut theirs, &mut Clean::default());
                assert_eq!((&ours, changed), (&theirs, theirs != s), "{s}");
                changes += usize::from(changed);
            }
        }
        assert!(changes > 100, "{changes}");
    }

    /// `scrub_evidence` as it was before it asked [`super::plainly_short`].
    fn scrub_evidence_before(s: &mut String) {
        let clean = &mut Clean::default();
        if crate::redact::url::looks_like_url(s)
            && !s.contains(char::is_whitespace)
            && !clean.check(s)
        {
            *s = report_url(s);
        }
        scrub(s);
    }

    /// A string [`super::plainly_short`] lets through is one the scrub leaves as it is: the
    /// scrubs with that test (a value's, a finding's evidence) are the scrubs before over windows of every piece (every fifth
    /// place, 1–45 bytes), the pieces themselves and the edges of both rules (SSWS tokens
    /// of 41–43 characters, `eyJ`, `/`, `://` at either end).
    #[test]
    fn plainly_short_strings_are_left_by_the_scrub() {
        let ssws = "00igKrTNyNLHCw0wYSIsoDF28cN4B3KZPETBz9pqz0";
        let mut texts = vec![
            ssws.to_string(),
            ssws[..41].to_string(),
            format!("{ssws}1"),
            format!("x {ssws}"),
            "eyJ".into(),
            "a eyJhbGciOiJIUzI1NiJ9 b".into(),
            "/p".into(),
            "/".into(),
            "a://b".into(),
            "https://x".into(),
            "2025-06-15T15:56:40Z".into(),
        ];
        for p in pieces() {
            for start in (0..p.len().min(400)).step_by(5) {
                for len in 1..=45 {
                    texts.extend(p.get(start..start + len).map(str::to_string));
                }
            }
            texts.push(p);
        }
        let mut plain = 0;
        for s in texts {
            let (mut ours, mut theirs) = (s.clone(), s.clone());
            let changed = super::scrub_value_changed(&mut ours, &mut Clean::default());
            scrub_value_before(&mut theirs, &mut Clean::default());
            assert_eq!((&ours, changed), (&theirs, theirs != s), "{s}");
            let (mut ours, mut theirs) = (s.clone(), s.clone());
            scrub_evidence(&mut ours, &mut Clean::default());
            scrub_evidence_before(&mut theirs);
            assert_eq!(ours, theirs, "{s}");
            plain += usize::from(super::plainly_short(&s));
        }
        assert!(plain > 10_000, "{plain}");
    }

    /// A name the analysis looks up, which the seal does not judge, is no secret's.
    #[test]
    fn no_known_name_is_a_secrets() {
        for name in crate::report::token::KNOWN {
            assert_eq!(super::super::names::classify(name), None, "{name}");
        }
    }

    /// Nor a token claim's that the seal exempts (`redact::members::seal_noting` does not
    /// compare a known name with them).
    #[test]
    fn no_known_name_is_a_token_claims() {
        for name in crate::report::token::KNOWN {
            assert!(
                !super::super::members::TOKEN_CLAIMS.contains(&name),
                "{name}"
            );
        }
    }
}
