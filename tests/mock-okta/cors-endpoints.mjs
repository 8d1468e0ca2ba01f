// Which Okta API operations answer no CORS headers to a page whatever its Trusted Origins: the
// rows of crate/data/cors_endpoints.tsv (the core's list, read here so that the mock and the core
// agree by construction), matched as the core matches them: the best-fitting template for the
// method, a literal segment beating a `{placeholder}`, a `no` row meaning not CORS-enabled.
// Okta answers OAuth bearer-token calls with CORS headers whatever the flag (2020.04.0), so the
// caller decides whether a request is a bearer call (flows.md §1.1).
import { readFileSync } from 'node:fs';

const ROWS = readFileSync(new URL('../../crate/data/cors_endpoints.tsv', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim() && !line.startsWith('#'))
  .map((line) => line.split('\t'))
  .map(([method, template, cors]) => ({ method, template, enabled: cors?.trim() !== 'no' }));

const segments = (path) => path.split('/').filter(Boolean);

/** Literal matches position by position, or null when `template` doesn't fit `path`'s segments. */
function fit(template, segs) {
  const t = segments(template);
  if (t.length !== segs.length) return null;
  const literal = t.map((s, i) => (s.startsWith('{') && s.endsWith('}') ? false : s === segs[i] ? true : null));
  return literal.includes(null) ? null : literal;
}

/** Compares two fits as the core does (lexicographic on booleans, true above false). */
const better = (a, b) => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i];
  return false;
};

/** Whether `method path` is an operation Okta's API spec does not mark CORS-enabled. */
export function notCorsEnabled(method, path) {
  const segs = segments(path);
  let best = null;
  for (const row of ROWS) {
    if (row.method !== '*' && row.method.toUpperCase() !== method.toUpperCase()) continue;
    const f = fit(row.template, segs);
    if (f && (!best || better(f, best.f))) best = { f, row };
  }
  return best ? !best.row.enabled : false;
}
