//! Which Okta rate-limit bucket a request counts against, and that bucket's published limits
//! (okta.md §3.3). The map is Okta's own generated method+path → bucket table (as the Terraform
//! provider ships it), extracted by `tools/extract-buckets.py` into `data/buckets.tsv`; the
//! per-plan limits and who else a bucket is counted for (per client, per user, per username,
//! or no limit at all) are in `data/buckets.limits.tsv`.
//!
//! Matching follows Okta's rule, "exact match first, then the longest prefix": an exact
//! method+path entry, else the longest path family the map lists (any method), else the
//! longest bucket name that prefixes the path. `ID` in the map stands for an Okta id; it
//! matches any one segment (an id, a login, `default`, a factor type), and literal segments
//! win over it (`/api/v1/users/me` over `/api/v1/users/ID`).

use std::{borrow::Cow, collections::HashMap};

const LIMITS: &str = crate::catalogue::data!("buckets.limits.tsv");

/// Plans in the order of the published table's columns.
pub const PLANS: [&str; 4] = ["integratorFree", "oneApp", "enterprise", "workforce"];

/// Who a bucket's requests are counted for, beyond the org.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Scope {
    /// Okta documents no rate limit here (key sets, discovery documents).
    pub unlimited: bool,
    /// Client-based limit: 60/min and 5 concurrent per client_id + IP + device.
    pub per_client: bool,
    /// Per authenticated user (end-user dashboard, Identity Engine).
    pub per_user: bool,
    /// Per username: 4 requests per second.
    pub per_username: bool,
}

/// A bucket as Okta names it, with its published per-minute limits (`None` = not published).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Info {
    pub name: &'static str,
    pub published: [Option<u32>; 4],
    pub scope: Scope,
}

/// How a request was matched to its bucket.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum How {
    Exact,
    Family,
    Prefix,
}

impl How {
    pub fn as_str(self) -> &'static str {
        match self {
            How::Exact => "exact",
            How::Family => "family",
            How::Prefix => "prefix",
        }
    }
}

/// A request matched to its bucket.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Match {
    /// Upper-cased; one of HTTP's own methods kept borrowed ([`upper`]).
    pub method: Cow<'static, str>,
    /// The request path with ids and logins replaced by `ID` (see [`normalise`]).
    pub path: String,
    pub info: Info,
    pub how: How,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Seg {
    Literal(&'static str),
    Any,
    StartsWith(&'static str),
}

impl Seg {
    fn parse(s: &'static str) -> Seg {
        if s == "ID" || s == "*" {
            Seg::Any
        } else if let Some(p) = s.strip_suffix('*') {
            Seg::StartsWith(p)
        } else {
            Seg::Literal(s)
        }
    }

    fn matches(self, seg: &str) -> bool {
        match self {
            Seg::Literal(l) => l == seg,
            Seg::Any => !seg.is_empty(),
            Seg::StartsWith(p) => seg.starts_with(p),
        }
    }
}

struct Entry {
    how: How,
    method: &'static str,
    segs: Vec<Seg>,
    bucket: &'static str,
}

struct Table {
    entries: Vec<Entry>,
    /// Entry indexes by the pattern's first segment (always a literal: `api`, `oauth2` …),
    /// for the patterns not in `by_three`.
    by_first: Map<&'static str, Vec<usize>>,
    /// Entry indexes by the pattern's first three segments, when all three are literals
    /// (`api/v1/users`): most patterns start `api/v1`, and a request is tried against those
    /// of its own first three segments only.
    by_three: Map<[&'static str; 3], Vec<usize>>,
    infos: Map<&'static str, Info>,
}

/// The table's maps: their keys are a few short literals of the catalogue, hashed on every
/// request (three look-ups), where SipHash's rounds cost more than the bytes (docs/performance-log.md,
/// "liveFold, eleventh pass"). Nothing is inserted after the catalogue is read,
/// so no input can crowd a bucket.
type Map<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

/// FNV-1a, 64-bit.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

fn segments(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|s| !s.is_empty())
}

fn cells(text: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').collect())
}

fn table() -> &'static Table {
    static TABLE: crate::catalogue::Parsed<Table> = crate::catalogue::Parsed::new();
    TABLE.get_or_init(|| {
        let mut t = Table {
            entries: Vec::new(),
            by_first: Map::default(),
            by_three: Map::default(),
            infos: Map::default(),
        };
        for row in cells(crate::catalogue::read!("buckets.tsv")) {
            let (Some(kind), Some(method), Some(path), Some(bucket)) =
                (row.first(), row.get(1), row.get(2), row.get(3))
            else {
                continue;
            };
            let how = match *kind {
                "exact" => How::Exact,
                "family" => How::Family,
                "prefix" => How::Prefix,
                _ => continue,
            };
            let segs: Vec<Seg> = segments(path).map(Seg::parse).collect();
            let Some(Seg::Literal(first)) = segs.first().copied() else {
                continue;
            };
            match segs.get(..3) {
                Some(&[Seg::Literal(a), Seg::Literal(b), Seg::Literal(c)]) => {
                    t.by_three.entry([a, b, c]).or_default()
                }
                _ => t.by_first.entry(first).or_default(),
            }
            .push(t.entries.len());
            t.entries.push(Entry {
                how,
                method,
                segs,
                bucket,
            });
        }
        for row in cells(LIMITS) {
            let Some(name) = row.first().copied() else {
                continue;
            };
            let mut published = [None; 4];
            for (i, slot) in published.iter_mut().enumerate() {
                *slot = row.get(i + 1).and_then(|c| c.parse().ok());
            }
            let scope = row.get(5).copied().unwrap_or("org");
            let has = |part: &str| scope.split('+').any(|p| p == part);
            let scope = Scope {
                unlimited: has("none"),
                per_client: has("client"),
                per_user: has("user"),
                per_username: has("username"),
            };
            t.infos.insert(
                name,
                Info {
                    name,
                    published,
                    scope,
                },
            );
        }
        t
    })
}

/// The path of a URL or of a bare path, without query or fragment.
pub fn path_of(url: &str) -> &str {
    let rest = match crate::domain::after_scheme(url) {
        Some(r) => r.find('/').and_then(|i| r.get(i..)).unwrap_or("/"),
        None => url,
    };
    crate::domain::before_query(rest)
}

/// An Okta id as the Terraform provider's normaliser sees it: 20 word characters (`[\w]{20}`).
/// We also ask for a digit, because `authorizationServers` is 20 word characters too.
fn is_okta_id(seg: &str) -> bool {
    seg.len() == 20
        && seg.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && seg.bytes().any(|b| b.is_ascii_digit())
}

/// The path with Okta ids and logins (`…@…`) replaced by `ID`, so it can be shown and used as
/// a key without naming a user: `/api/v1/users/00u1qqxig80SMWArY0g7/groups` →
/// `/api/v1/users/ID/groups`. Query and fragment are dropped.
pub fn normalise(url: &str) -> String {
    let path = path_of(url);
    // Sized once: the result is the path at most one byte longer a segment ("ID" for "x").
    let mut out = String::with_capacity(path.len() + 2);
    for seg in segments(path) {
        out.push('/');
        if is_okta_id(seg) || seg.contains('@') || (seg.contains('%') && seg.contains("%40")) {
            out.push_str("ID");
        } else {
            out.push_str(seg);
        }
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

/// How well a pattern fits: whole-path exactness first, then literal segments, then length.
fn fit(entry: &Entry, segs: &[&str], method: &str) -> Option<(usize, usize)> {
    let whole = entry.how == How::Exact;
    if whole && (entry.segs.len() != segs.len() || !entry.method.eq_ignore_ascii_case(method)) {
        return None;
    }
    if entry.segs.len() > segs.len() {
        return None;
    }
    let mut literal = 0;
    for (p, s) in entry.segs.iter().zip(segs) {
        if !p.matches(s) {
            return None;
        }
        if matches!(p, Seg::Literal(_)) {
            literal += 1;
        }
    }
    Some((entry.segs.len(), literal))
}

/// The segments of a request path a pattern is matched against: more than any pattern has
/// (the catalogue's longest has 8; `data_loads_whole` checks).
const SEGMENTS: usize = 12;

/// The bucket `method` + `url` (absolute or a bare path) counts against; `None` for paths no
/// Okta bucket covers. A missing method is taken as `GET`.
pub fn lookup(method: Option<&str>, url: &str) -> Option<Match> {
    let method = method
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .unwrap_or("GET");
    let path = path_of(url);
    // The first segments on the stack: a `Vec` of them was an allocation a fold
    // (docs/performance-log.md, "liveFold, fifteenth pass"). A longer path fits exactly the
    // patterns its first `SEGMENTS` fit: none is as long, so it is no pattern's whole path.
    let mut held = [""; SEGMENTS];
    let mut n = 0;
    for (slot, seg) in held.iter_mut().zip(segments(path)) {
        *slot = seg;
        n += 1;
    }
    lookup_in(method, path, held.get(..n).unwrap_or_default())
}

/// The bucket of `method` + `path`, given the path's first segments `segs`.
fn lookup_in(method: &str, path: &str, segs: &[&str]) -> Option<Match> {
    let t = table();
    let first = segs.first()?;
    let three = match segs.get(..3) {
        Some(&[a, b, c]) => t.by_three.get(&[a, b, c]),
        _ => None,
    };
    let candidates = t.by_first.get(first).into_iter().chain(three).flatten();
    // Ties go to the earlier row of the table, as when every row was tried in order.
    let best = candidates
        .filter_map(|&i| Some((i, t.entries.get(i)?)))
        .filter_map(|(i, e)| fit(e, segs, method).map(|(len, lit)| (i, e, len, lit)))
        .min_by(|(ai, a, al, alit), (bi, b, bl, blit)| {
            a.how
                .cmp(&b.how)
                .then(bl.cmp(al))
                .then(blit.cmp(alit))
                .then(ai.cmp(bi))
        })
        .map(|(_, e, len, lit)| (e, len, lit))?;
    let info = info(best.0.bucket);
    Some(Match {
        method: upper(method),
        path: normalise(path),
        info,
        how: best.0.how,
    })
}

/// HTTP's methods, as a request's method is kept when it is one of them: not copied
/// (`context::method_of`, [`upper`]).
pub(crate) const METHODS: [&str; 9] = [
    "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "CONNECT", "TRACE",
];

/// `method` upper-cased: one of HTTP's methods borrowed ([`METHODS`]: an upper-cased
/// copy was an allocation a fold, and its parameter another: docs/performance-log.md, "liveFold,
/// eighteenth pass"), any other copied.
pub(crate) fn upper(method: &str) -> Cow<'static, str> {
    match METHODS.iter().find(|k| k.eq_ignore_ascii_case(method)) {
        Some(k) => Cow::Borrowed(k),
        None => Cow::Owned(method.to_ascii_uppercase()),
    }
}

/// A bucket's published limits and scope; an unknown name gets neither.
pub fn info(name: &str) -> Info {
    table().infos.get(name).cloned().unwrap_or_default()
}

impl Info {
    /// The published per-minute limit for each plan that has one: `[("enterprise", 600), …]`.
    pub fn published_limits(&self) -> Vec<(&'static str, u32)> {
        PLANS
            .iter()
            .zip(self.published)
            .filter_map(|(p, l)| l.map(|l| (*p, l)))
            .collect()
    }

    /// Plans whose published default equals `limit`, for "this matches the Enterprise default".
    pub fn plans_with(&self, limit: u64) -> Vec<&'static str> {
        self.published_limits()
            .into_iter()
            .filter(|(_, l)| u64::from(*l) == limit)
            .map(|(p, _)| plan_name(p))
            .collect()
    }

    /// One sentence per extra limit this bucket is also counted under.
    pub fn scope_notes(&self) -> Vec<String> {
        let s = self.scope;
        let mut out = Vec::new();
        if s.unlimited {
            out.push("Okta documents no rate limit for this endpoint (key sets and discovery documents are exempt).".to_string());
        }
        if s.per_client {
            out.push("Client-based limit too: 60 requests per minute and 5 at once per client_id + IP address + device (the dt cookie). In enforce mode the headers show this per-client limit (60), not the org bucket.".to_string());
        }
        if s.per_user {
            out.push(if self.name.starts_with("/idp/idx") {
                "Per-user limits too: Identity Engine allows 20 requests per user per 5 s and 10 per state token per 5 s.".to_string()
            } else {
                "Per-user limit too: signed-in end users get 40 requests per user per 10 s per endpoint, and this bucket doesn't count against /api/v1/users/*.".to_string()
            });
        }
        if s.per_username {
            out.push("Per-username limit too: 4 requests per second for the same username; Okta's System Log records these as user_rate_limited.".to_string());
        }
        out
    }
}

/// The plan's name as Okta's published table heads it.
pub fn plan_name(key: &str) -> &'static str {
    match key {
        "integratorFree" => "Integrator Free",
        "oneApp" => "One App",
        "enterprise" => "Enterprise",
        "workforce" => "Workforce Identity",
        _ => "",
    }
}

impl Match {
    /// User and group listing: the case where paging with `limit=200` saves the bucket.
    pub fn is_listing(&self) -> bool {
        self.method == "GET"
            && matches!(
                self.path.as_str(),
                "/api/v1/users"
                    | "/api/v1/groups"
                    | "/api/v1/apps/ID/users"
                    | "/api/v1/groups/ID/users"
                    | "/api/v1/apps/ID/groups"
                    | "/api/v1/users/ID/groups"
                    | "/api/v1/groups/ID/skinny_users"
                    | "/api/v1/apps/ID/skinny_users"
            )
    }

    /// Reads of one user, group or app by id: the pattern that listing would replace.
    pub fn is_single_object_read(&self) -> bool {
        self.method == "GET"
            && matches!(
                self.info.name,
                "/api/v1/users/{id:.+}" | "/api/v1/groups/{id}" | "/api/v1/apps/{id}"
            )
    }
}

#[cfg(test)]
mod tests;
