//! JSON Web Tokens (RFC 7519) in compact serialisation (JWS, RFC 7515 §7.1; JWE, RFC 7516
//! §7.1): lenient extraction from whatever was pasted, decoding of header and claims, and the
//! time checks (`exp`, `nbf`, `iat`) with okta-auth-js's 300 s leeway. Decoding never
//! verifies: the signature is reported as not checked and is never kept.

pub mod claims;
pub(crate) mod lifetime;
pub mod okta;

use serde_json::Value;

use crate::{
    encoding, issuer,
    report::{
        token::{self, name, JwtFormat, Members, Name},
        Finding, Severity,
    },
    timestamp,
};

pub use lifetime::EXPIRING_SOON_SECONDS;

/// Which part of the compact serialisation a problem is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Structure,
    Header,
    Payload,
    Signature,
}

impl Part {
    fn name(self) -> &'static str {
        match self {
            Part::Structure => "token",
            Part::Header => "header",
            Part::Payload => "payload",
            Part::Signature => "signature",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub part: Part,
    pub reason: String,
}

/// A decoded (or partly decoded) token. The signature's bytes are counted, never kept.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Jwt {
    /// The `Authorization` scheme it came with (`Bearer`, `DPoP`, `SSWS`), if any.
    pub scheme: Option<String>,
    pub header: Option<Members>,
    pub claims: Option<Members>,
    pub signature_bytes: Option<usize>,
    /// Five segments: an encrypted token whose claims only the key holder can read.
    pub encrypted: bool,
    pub problems: Vec<Problem>,
}

/// What was pasted, stripped of the wrapping people copy along with a credential: quotes,
/// `Authorization:`, the scheme, whitespace and line breaks, trailing `,`/`;`, %-encoding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credential {
    pub scheme: Option<String>,
    pub value: String,
}

/// Strips the wrapping around a pasted credential. Works for JWTs, SSWS and opaque tokens.
pub fn extract(text: &str) -> Credential {
    let mut t = text.trim().trim_end_matches([',', ';']).trim_end();
    t = strip_quotes(t);
    if let Some(rest) = strip_prefix_ci(t, "authorization:") {
        t = strip_quotes(rest.trim());
    }
    let mut scheme = None;
    for s in ["Bearer", "DPoP", "SSWS"] {
        if let Some(rest) = strip_prefix_ci(t, s) {
            if rest.starts_with(char::is_whitespace) {
                scheme = Some(s.to_string());
                t = strip_quotes(rest.trim());
                break;
            }
        }
    }
    t = t.trim_end_matches([',', ';']);
    t = strip_quotes(t);
    let compact: String = if has_whitespace(t) {
        t.chars().filter(|c| !c.is_whitespace()).collect()
    } else {
        t.to_string()
    };
    let value = if compact.contains('%') {
        encoding::percent_decode(&compact).unwrap_or(compact)
    } else {
        compact
    };
    Credential { scheme, value }
}

/// `t.contains(char::is_whitespace)`, a byte at a time when the text is ASCII (a pasted token
/// nearly always is): char by char it was 6 % of a pasted token's analysis.
fn has_whitespace(t: &str) -> bool {
    if t.is_ascii() {
        // ASCII's White_Space characters: U+0009–U+000D and U+0020 (`char::is_whitespace`).
        t.bytes().any(|b| matches!(b, b'\t'..=b'\r' | b' '))
    } else {
        t.contains(char::is_whitespace)
    }
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| s.get(prefix.len()..))
        .flatten()
}

fn strip_quotes(mut s: &str) -> &str {
    loop {
        let inner = ['"', '\'', '`']
            .iter()
            .find_map(|q| s.strip_prefix(*q).and_then(|r| r.strip_suffix(*q)));
        match inner {
            Some(i) => s = i.trim(),
            None => return s,
        }
    }
}

/// Is this credential an attempt at a JWT? Starts like a JSON header (`eyJ`), or is made of
/// three or five dot-separated token characters.
pub fn looks_like(value: &str) -> bool {
    if value.starts_with("eyJ") {
        return true;
    }
    let dots = value.matches('.').count();
    (dots == 2 || dots == 4)
        && value.len() >= 10
        && value
            .chars()
            .all(|c| c.is_ascii_graphic() && !matches!(c, '{' | '}' | '"' | '<' | '>' | '\\'))
        && !looks_like_hostname(value)
        && !looks_like_url(value)
}

/// `https://dev-1.okta.com/app/a/b/sso/saml`: an absolute URL has dots too, but a scheme's
/// `://` can't occur in a JWT (base64url segments and dots), so it is never a candidate —
/// the live fold reads a redirect's target (Okta's dashboard tile redirects to its app's
/// `/sso/saml`) with the same recognition as a paste.
fn looks_like_url(value: &str) -> bool {
    value.split_once("://").is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

/// `dev-1.okta.com`, `www.example.org`: dot-separated too, but a host name, not a token.
fn looks_like_hostname(value: &str) -> bool {
    let labels_ok = value.split('.').all(|l| {
        !l.is_empty()
            && l.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    });
    let tld_ok = value
        .rsplit('.')
        .next()
        .is_some_and(|t| (2..=6).contains(&t.len()) && t.chars().all(|c| c.is_ascii_lowercase()));
    labels_ok && tld_ok
}

/// Decodes a pasted JWT. `None` when the text is not an attempt at one.
pub fn parse(text: &str) -> Option<Jwt> {
    let cred = extract(text);
    looks_like(&cred.value).then(|| decode(&cred.value, cred.scheme))
}

/// Decodes a compact JWS or JWE, recording every problem and keeping what did decode.
pub fn decode(token: &str, scheme: Option<String>) -> Jwt {
    // The first three segments and how many follow, in one pass and no `Vec` (a signed
    // token's three are all that is read; a JWE's header is its first).
    let mut split = token.split('.');
    let segments = [split.next(), split.next(), split.next()];
    let count = segments.iter().flatten().count() + split.count();
    let mut jwt = Jwt {
        scheme,
        ..Jwt::default()
    };
    if count != 3 && count != 5 {
        jwt.problems.push(Problem {
            part: Part::Structure,
            reason: format!(
                "has {count} dot-separated {} where a signed JWT has 3 (header.payload.signature): the copy is probably truncated or joined with other text",
                if count == 1 { "segment" } else { "segments" }
            ),
        });
    }
    jwt.encrypted = count == 5;
    let [header, payload, sig] = segments;
    jwt.header = header.and_then(|s| decode_json(s, Part::Header, &mut jwt.problems));
    if jwt.encrypted {
        return jwt;
    }
    if let Some(payload) = payload {
        jwt.claims = decode_json(payload, Part::Payload, &mut jwt.problems);
    }
    if count == 3 {
        if let Some(sig) = sig {
            decode_signature(sig, &mut jwt);
        }
    }
    jwt
}

fn decode_json(segment: &str, part: Part, problems: &mut Vec<Problem>) -> Option<Members> {
    let mut fail = |reason: String| {
        problems.push(Problem { part, reason });
        None
    };
    if segment.is_empty() {
        return fail("is empty".to_string());
    }
    let bytes = match encoding::base64url(segment) {
        Ok(b) => b,
        Err(e) => return fail(format!("is not valid base64url: {e}")),
    };
    let text = match std::str::from_utf8(&bytes) {
        Ok(t) => t,
        Err(_) => {
            return fail(
                "decodes to bytes that are not UTF-8 text, so it cannot be JSON".to_string(),
            )
        }
    };
    match json_object(text) {
        Ok(members) => Some(members),
        Err(reason) => fail(reason),
    }
}

/// The payload's JSON object as [`Members`], or why it is not one (the words the `Value`
/// reading always gave: [`json_object_as_value`] is the reference the tests compare with).
fn json_object(text: &str) -> Result<Members, String> {
    // The service worker's module reads a payload through a `Value`: the same members (the
    // tests hold the two readings equal) without a second JSON reader in the module the
    // browser keeps resident (its size budget); pasted tokens are read in the ui module.
    if cfg!(all(feature = "sw", not(feature = "ui"))) || !reads_as_members(text) {
        return json_object_as_value(text);
    }
    // A token's plain object by a byte scan (no serde reader); whatever it leaves (escapes,
    // floats, errors, …) is read as a `Value`, whose members and words are the reference.
    token::scanned_members(text).map_or_else(|| json_object_as_value(text), Ok)
}

/// The reading before [`Members`]: any JSON `Value`, kept when it is an object.
fn json_object_as_value(text: &str) -> Result<Members, String> {
    match crate::json::from_str(text) {
        Ok(Value::Object(map)) => Ok(map.into()),
        Ok(other) => Err(format!(
            "decodes to {} where a JSON object is required",
            json_type(&other)
        )),
        Err(e) => Err(not_json(e)),
    }
}

fn not_json(e: crate::json::Error) -> String {
    format!("decodes to text that is not valid JSON ({e})")
}

/// Does the payload start as a JSON object (after the whitespace JSON allows), to be read
/// straight into [`Members`]? Anything else is read as a `Value`, to say what it is. (A
/// member named as serde_json's raw-value token is left to the `Value` reading by the scan
/// itself, `report::token::scan`: searching the whole text for it here built a Two-Way
/// searcher for each part, docs/performance-log.md, "analyzeText, eleventh pass".)
fn reads_as_members(text: &str) -> bool {
    let first = text
        .bytes()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'));
    first == Some(b'{')
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn decode_signature(sig: &str, jwt: &mut Jwt) {
    let unsigned = jwt.alg().is_some_and(|a| a.eq_ignore_ascii_case("none"));
    match encoding::base64url_len(sig) {
        Ok(len) => {
            jwt.signature_bytes = Some(len);
            if len == 0 && !unsigned && jwt.header.is_some() {
                jwt.problems.push(Problem {
                    part: Part::Signature,
                    reason: format!(
                        "is empty although the header says alg {}: the signature was stripped or cut off",
                        jwt.alg().unwrap_or("(missing)")
                    ),
                });
            }
        }
        Err(e) => jwt.problems.push(Problem {
            part: Part::Signature,
            reason: format!("is not valid base64url: {e}"),
        }),
    }
}

impl Jwt {
    pub fn alg(&self) -> Option<&str> {
        self.header.as_ref()?.known(name::ALG)?.as_str()
    }

    /// A claim the analysis looks up by its known name (read from its slot).
    pub fn known(&self, name: Name) -> Option<&Value> {
        self.claims.as_ref()?.known(name)
    }

    pub fn known_str(&self, name: Name) -> Option<&str> {
        self.known(name)?.as_str()
    }

    pub fn claim(&self, name: &str) -> Option<&Value> {
        self.claims.as_ref()?.get(name)
    }

    pub fn claim_str(&self, name: &str) -> Option<&str> {
        self.claim(name)?.as_str()
    }

    fn time(&self, name: Name) -> Option<i64> {
        self.known(name).and_then(timestamp::numeric_date)
    }

    pub fn issuer(&self) -> Option<issuer::Issuer> {
        issuer::parse(self.known_str(name::ISS)?)
    }

    /// The token as a report shows it: header and claims, times, signature size — never the
    /// signature itself — with a note for each header parameter and claim.
    pub fn view(&self, now: i64) -> token::Jwt {
        *self.analysed(now, true).1
    }

    /// [`Jwt::view`] without the claim notes: words, which `explain::show` writes when the
    /// report is shown (a pasted token's analysis as data; half its instructions were notes).
    pub fn view_without_notes(&self, now: i64) -> token::Jwt {
        *self.analysed(now, false).1
    }

    /// The token's findings ([`findings`]) and view ([`Jwt::view`], its claim notes when
    /// `notes`), classified once for both; the view boxed where it is built, as a report holds
    /// it (by value it was moved five times: performance-log, "analyzeText, thirteenth pass").
    pub fn analysed(&self, now: i64, notes: bool) -> (Vec<Finding>, Box<token::Jwt>) {
        let (findings, mut view) = self.parts(now, notes);
        view.header = self.header.clone();
        view.claims = self.claims.clone();
        (findings, view)
    }

    /// [`Jwt::analysed`] for a token decoded only for this: its header and claims move into
    /// the view instead of being copied.
    pub fn into_analysed(mut self, now: i64, notes: bool) -> (Vec<Finding>, Box<token::Jwt>) {
        let (findings, mut view) = self.parts(now, notes);
        view.header = self.header.take();
        view.claims = self.claims.take();
        (findings, view)
    }

    /// Findings and the view without its header and claims.
    fn parts(&self, now: i64, notes: bool) -> (Vec<Finding>, Box<token::Jwt>) {
        let c = self.classification();
        let findings = findings_classified(self, now, c.as_ref());
        let mut view = self.view_parts(now, c.as_ref());
        let decoded = self.claims.is_some() || self.header.is_some();
        view.notes = (notes && decoded).then(|| claims::notes(self));
        (findings, view)
    }

    /// What the token says about Okta, when its claims can be read.
    fn classification(&self) -> Option<okta::Classification> {
        (self.claims.is_some() && !self.encrypted).then(|| okta::classify(self))
    }

    /// The view, its header, claims and notes left empty.
    fn view_parts(&self, now: i64, c: Option<&okta::Classification>) -> Box<token::Jwt> {
        let format = if self.encrypted {
            JwtFormat::Jwe
        } else if self.problems.is_empty() {
            JwtFormat::Jws
        } else {
            JwtFormat::Malformed
        };
        let time = |name| self.time(name).map(|t| token::Time::at(t, now));
        Box::new(token::Jwt {
            format,
            header: None,
            claims: None,
            times: token::Times {
                exp: time(name::EXP),
                nbf: time(name::NBF),
                iat: time(name::IAT),
                auth_time: time(name::AUTH_TIME),
                as_of: None,
            },
            signature: token::Signature {
                present: self.signature_bytes.is_some_and(|n| n > 0),
                bytes: self.signature_bytes.unwrap_or(0),
                kept: false,
            },
            scheme: self.scheme.clone(),
            notes: None,
            okta: c.map(|c| okta::view(self, c)),
        })
    }

    /// One line for the report's summary.
    pub fn summary(&self, now: i64) -> String {
        if let Some(p) = self.problems.first() {
            return format!("Not a decodable JWT: the {} {}.", p.part.name(), p.reason);
        }
        if self.encrypted {
            return "Encrypted JWT (JWE): only the header can be read.".to_string();
        }
        // Pushed piece by piece: `format!` for each piece was 4 % of a pasted token's analysis.
        let mut s = String::with_capacity(128);
        s.push_str("JWT (");
        s.push_str(&self.alg().map_or("no alg".into(), clipped));
        s.push(')');
        if let Some(iss) = self.known_str(name::ISS) {
            s.push_str(" issued by ");
            s.push_str(&clipped(iss));
        }
        match self.time(name::EXP) {
            Some(exp) => {
                s.push_str(if exp <= now {
                    ", expired "
                } else {
                    ", expires "
                });
                timestamp::relative_into(exp, now, &mut s);
            }
            None => s.push_str(", no expiry"),
        }
        s.push('.');
        s
    }
}

/// Attacker-controlled text placed in a title or summary: one line, at most 120 characters.
pub fn clip(s: &str) -> String {
    clipped(s).into_owned()
}

/// [`clip`], borrowing `s` when it is already one short line (nearly always): what is pushed
/// into a longer text needs no copy of its own.
pub fn clipped(s: &str) -> std::borrow::Cow<'_, str> {
    // No more bytes than 120, so no more characters; printable ASCII is decided by bytes
    // (`char::is_control` is U+0000–U+001F and U+007F–U+009F), anything else char by char.
    let short = s.len() <= 120;
    if short && s.bytes().all(|b| (b' '..b'\x7f').contains(&b)) {
        return s.into();
    }
    if short && !s.contains(char::is_control) {
        return s.into();
    }
    let one_line: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if one_line.chars().count() > 120 {
        let cut: String = one_line.chars().take(117).collect();
        format!("{cut}…").into()
    } else {
        one_line.into()
    }
}

/// Every finding for a decoded token at time `now`.
pub fn findings(jwt: &Jwt, now: i64) -> Vec<Finding> {
    findings_classified(jwt, now, jwt.classification().as_ref())
}

/// [`findings`] with the token's classification (`Some` when its claims can be read).
fn findings_classified(jwt: &Jwt, now: i64, c: Option<&okta::Classification>) -> Vec<Finding> {
    // One vector for all (a pasted Okta token has two or three findings), not one per step.
    let mut out = Vec::with_capacity(4);
    findings_before(jwt, &mut out);
    if jwt.claims.is_some() && !jwt.encrypted {
        lifetime::push_findings(jwt, now, &mut out);
    }
    findings_after(jwt, c, &mut out);
    out
}

fn findings_before(jwt: &Jwt, out: &mut Vec<Finding>) {
    if !jwt.problems.is_empty() {
        out.push(malformed(jwt));
    }
    if jwt.encrypted {
        out.push(Finding::fact("jwt.encrypted", Severity::Info));
        return;
    }
    if jwt.alg().is_some_and(|a| a.eq_ignore_ascii_case("none")) {
        out.push(Finding::fact("jwt.alg_none", Severity::Error).evidence(
            "header",
            "alg",
            jwt.alg().unwrap_or_default(),
        ));
    }
}

fn findings_after(jwt: &Jwt, c: Option<&okta::Classification>, out: &mut Vec<Finding>) {
    if jwt.encrypted {
        return;
    }
    if let Some(c) = c {
        okta::push_findings(jwt, c, out);
    }
    let signed = jwt.signature_bytes.is_some_and(|n| n > 0);
    if signed && jwt.problems.is_empty() {
        out.push(signature_not_checked(jwt, c));
    }
}

/// `jwt.malformed`: which parts failed and why (in order), and which of header and payload
/// decoded all the same.
fn malformed(jwt: &Jwt) -> Finding {
    let parts: Vec<&str> = jwt.problems.iter().map(|p| p.part.name()).collect();
    let reasons: Vec<&str> = jwt.problems.iter().map(|p| p.reason.as_str()).collect();
    let mut f = Finding::fact("jwt.malformed", Severity::Error)
        .with("parts", parts)
        .with("reasons", reasons)
        .with("header", jwt.header.is_some())
        .with("payload", jwt.claims.is_some());
    for p in &jwt.problems {
        f = f.evidence("token", p.part.name(), clip(&p.reason));
    }
    f
}

/// `jwt.signature_not_checked` for a decoded token: its issuer (whose keys would check it)
/// and whether the online check may fetch them.
fn signature_not_checked(jwt: &Jwt, c: Option<&okta::Classification>) -> Finding {
    let mut f = Finding::fact("jwt.signature_not_checked", Severity::Info);
    let header = jwt.header.as_ref();
    let alg = header
        .and_then(|h| h.known(name::ALG))
        .and_then(Value::as_str);
    let kid = header
        .and_then(|h| h.known(name::KID))
        .and_then(Value::as_str);
    let shown = [("alg", alg), ("kid", kid)];
    for (name, value) in shown.into_iter().filter_map(|(n, v)| Some((n, v?))) {
        f.evidence.push(crate::report::Evidence {
            source: "header".into(),
            name: name.into(),
            value: clip(value),
        });
    }
    // The classification read the issuer already (`c` is `None` only without claims).
    if let Some(iss) = c.and_then(|c| c.issuer.as_ref()) {
        let online = crate::jwks::fetchable(iss);
        f.params.set("issuer", iss.url.as_str());
        f.params.set("online", online);
    }
    f
}

/// Tokens for the JWT modules' unit tests.
#[cfg(test)]
pub(crate) mod testing {
    use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
    use serde_json::Value;

    pub const NOW: i64 = 1_750_000_000;

    pub fn b64(v: &Value) -> String {
        URL_SAFE_NO_PAD.encode(v.to_string())
    }

    /// `header.claims.` with a placeholder signature.
    pub fn token(header: Value, claims: Value) -> String {
        format!("{}.{}.c2lnbmF0dXJl", b64(&header), b64(&claims))
    }
}

#[cfg(test)]
mod tests;
