// Which URLs the live listener watches, as WebExtension match patterns: the manifest's
// `host_permissions` (Okta's own domains, listed in the manifest and nowhere in JS) plus the
// custom domains the user added on the options page. Pure functions over pattern strings, shared
// by the background, the options page and the isolated-world relay (content scripts can't import
// modules, so relay.js carries its own copy of `matches`; tests/extension/hosts.test.mjs keeps
// the two in step).
// https://developer.mozilla.org/docs/Mozilla/Add-ons/WebExtensions/Match_patterns

/** `https://*.okta.com/*` → {scheme, host, path}; null when it is not a pattern we use. */
export function parsePattern(pattern) {
  const m = /^(https?|\*):\/\/(\*|(?:\*\.)?[^/*:]+)(\/.*)$/.exec(String(pattern));
  return m ? { scheme: m[1], host: m[2].toLowerCase(), path: m[3] } : null;
}

function hostMatches(patternHost, host) {
  if (patternHost === '*') return true;
  if (patternHost.startsWith('*.')) {
    const base = patternHost.slice(2);
    return host === base || host.endsWith(`.${base}`);
  }
  return host === patternHost;
}

/** A parsed pattern `p` against a parsed URL `u`. */
function parsedMatch(p, u) {
  const scheme = u.protocol.slice(0, -1);
  if (p.scheme === '*' ? scheme !== 'http' && scheme !== 'https' : scheme !== p.scheme) return false;
  if (p.path !== '/*' && !u.pathname.startsWith(p.path.replace(/\*$/, ''))) return false;
  return hostMatches(p.host, u.hostname.toLowerCase());
}

const parseUrl = (url) => {
  try {
    return new URL(url);
  } catch {
    return null;
  }
};

/** True when `url` (a string) is matched by match pattern `pattern`. Paths are not compared
 * beyond `/*`, the only path our patterns use. */
export function matches(pattern, url) {
  const p = parsePattern(pattern);
  if (!p) return false;
  const u = parseUrl(url);
  return u ? parsedMatch(p, u) : false;
}

/** True when any of `patterns` matches `url`. */
export function matchesAny(patterns, url) {
  return patterns.some((p) => matches(p, url));
}

/** How many URLs a `matcher` remembers the answer for. */
export const MATCHER_MEMORY = 64;

/**
 * `matchesAny(patterns, ·)` for a fixed list, for the live listener's per-event host test: the
 * patterns are parsed once, each URL at most once for all of them, and the answers for the last
 * MATCHER_MEMORY URLs are remembered (a request's events ask about its URL and its page's origin
 * several times; a storm repeats a few URLs thousands of times).
 */
export function matcher(patterns) {
  const parsed = patterns.map(parsePattern).filter(Boolean);
  const memory = new Map();
  return (url) => {
    const known = memory.get(url);
    if (known !== undefined) return known;
    const u = parsed.length > 0 ? parseUrl(url) : null;
    const answer = u !== null && parsed.some((p) => parsedMatch(p, u));
    if (memory.size >= MATCHER_MEMORY) memory.delete(memory.keys().next().value);
    memory.set(url, answer);
    return answer;
  };
}

/**
 * A custom domain as typed by a person (`login.example.com`, `https://login.example.com/`) →
 * its host permission pattern `https://login.example.com/*`, or null when it isn't a host name.
 */
export function customDomainPattern(input) {
  let text = String(input ?? '').trim().toLowerCase();
  if (!text) return null;
  if (!/^[a-z][a-z0-9+.-]*:\/\//.test(text)) text = `https://${text}`;
  let url;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.username || url.password || url.port) return null;
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) return null;
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(url.hostname)) return null;
  return `https://${url.hostname}/*`;
}

/** `https://login.example.com/*` → `login.example.com` (for display). */
export function patternHost(pattern) {
  return parsePattern(pattern)?.host ?? String(pattern);
}

/**
 * The origin a page runs on, as a host permission pattern (port dropped: Firefox refuses ports in
 * patterns and Chromium's port-less pattern covers every port). Null for non-web pages.
 */
export function originPattern(url) {
  let u;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  return `${u.protocol}//${u.hostname}/*`;
}

/** `http://localhost/*` → `http://localhost` (how a site is shown to a person). */
export function patternOrigin(pattern) {
  const p = parsePattern(pattern);
  return p ? `${p.scheme}://${p.host}` : String(pattern);
}
