// Contract test: the BUILT wasm package's resident live capture (liveRestore, liveFold,
// liveSnapshot, liveForget; crate/src/live.rs) stores byte for byte what the extension stored
// when it folded each exchange through the JS boundary: analyzeExchange, the redirect target's
// findings merged in JS (the rule capture.js had), digestAdd, timelineFold and the latest 10
// warning/error reports — over a storm with redirects, tokens, missing scopes and IDX errors,
// with the worker "restarted" midway (the tab restored from its stored JSON). Run after ./build.sh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PKG_JS = join(ROOT, 'extension', 'pkg', 'okta_medic.js');
const PKG_WASM = join(ROOT, 'extension', 'pkg', 'okta_medic_bg.wasm');
if (!existsSync(PKG_WASM)) throw new Error(`wasm module missing at ${PKG_WASM}: run ./build.sh first`);
const core = await import(PKG_JS);
core.initSync({ module: readFileSync(PKG_WASM) });

const T0 = 1_750_000_000_000;
const RANK = { ok: 0, info: 1, warning: 2, error: 3 };
const rank = (s) => RANK[s] ?? 0;
const SSWS = '00Qm3ZcvH4r8tLx2wYb7NfPq9sDkJ1aVeUoT6hGiRc';
const JWT_SIGNATURE = 'c2lnbmF0dXJlLW5vdC1rZXB0LWluLXN0YXRl';
const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
const jwt = (jti, exp) =>
  [b64({ kid: 'k1', alg: 'RS256' }), b64({ ver: 1, jti, iss: 'https://dev-1.okta.com/oauth2/default', scp: ['okta.users.read'], iat: exp - 3600, exp }), JWT_SIGNATURE].join('.');
const h = (o) => Object.entries(o).map(([name, value]) => ({ name, value }));
const E11 = '{"errorCode":"E0000011","errorSummary":"Invalid token provided","errorLink":"E0000011","errorId":"oaeY-4G_TBUTBSZAn9n7oZCfw","errorCauses":[]}';
const E47 = '{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests.","errorLink":"E0000047","errorId":"oaetdtoG383SIGVNZ0UKgtRug","errorCauses":[]}';
const IDX = '{"version":"1.0.0","messages":{"type":"array","value":[{"message":"Authentication failed","i18n":{"key":"errors.E0000004"},"class":"ERROR"}]}}';
const DENIED = 'http://localhost:8080/cb?state=s3cr3t&error=access_denied&error_description=User+is+not+assigned+to+the+client+application.';

/** The i-th exchange of a mixed storm, and the redirect target when it is a redirect. */
function exchange(i) {
  const at = T0 + i * 7;
  const s = Math.floor(at / 1000);
  const rl = (remaining, resetIn) => ({ 'X-Rate-Limit-Limit': '600', 'X-Rate-Limit-Remaining': String(remaining), 'X-Rate-Limit-Reset': String(s + resetIn) });
  const base = { observedAt: at, method: 'GET', requestHeaders: [], responseHeaders: [] };
  const rid = { 'X-Okta-Request-Id': `req${i}` };
  switch (i % 9) {
    case 0:
    case 1:
      return { exchange: { ...base, url: 'https://dev-1.okta.com/api/v1/users', statusCode: 429, requestHeaders: h({ Authorization: `SSWS ${SSWS}` }), responseHeaders: h({ ...rid, ...rl(0, 30), Date: new Date(at).toUTCString() }), body: E47 } };
    case 2:
    case 3:
      return { exchange: { ...base, url: 'https://dev-1.okta.com/api/v1/users/me', statusCode: 401, requestHeaders: h({ Authorization: `SSWS ${SSWS}` }), responseHeaders: h({ ...rid, ...rl(597, 45) }), body: E11 } };
    case 4:
      return { exchange: { ...base, url: `https://dev-1.okta.com/api/v1/groups?after=${i}`, statusCode: 403, requestHeaders: h({ Authorization: `Bearer ${jwt(`AT.${i % 40}`, s + 600 - (i % 1000))}` }), responseHeaders: h({ ...rid, 'WWW-Authenticate': 'Bearer error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", scope="okta.groups.read"' }) } };
    case 5: // webRequest's redirectUrl, with and without the Location header the core also reads
      return { exchange: { ...base, url: 'https://dev-1.okta.com/oauth2/default/v1/authorize?client_id=x&state=s3cr3t', statusCode: 302, responseHeaders: i % 2 ? [] : h({ Location: DENIED }) }, redirectUrl: DENIED };
    case 6:
      return { exchange: { ...base, url: 'https://dev-1.okta.com/oauth2/default/v1/authorize?client_id=x', statusCode: 302 }, redirectUrl: 'http://localhost:8080/cb?code=abc&state=s3cr3t' };
    case 7:
      return { exchange: { ...base, method: 'POST', url: 'https://dev-5678.oktapreview.com/idp/idx/identify', statusCode: 401, responseHeaders: h({ ...rid, 'Content-Type': 'application/ion+json; okta-version=1.0.0' }), body: IDX } };
    default:
      return { exchange: { ...base, url: `https://dev-1.okta.com/api/v1/apps/${i}`, statusCode: 200, responseHeaders: h({ ...rid, ...rl(600 - (i % 600), 40) }), body: '[]' } };
  }
}

/** capture.js's rule before the core took it over: a redirect target's findings when it warns. */
function withFindingsOf(report, other) {
  const ids = new Set(report.findings.map((f) => f.id));
  const added = other.findings.filter((f) => !ids.has(f.id));
  if (added.length === 0) return report;
  const severity = rank(other.severity) > rank(report.severity) ? other.severity : report.severity;
  return { ...report, severity, findings: [...report.findings, ...added] };
}

/** The old path, one exchange: what capture.js and tab-state.js did through the boundary. */
function foldOld(tab, { exchange: ex, redirectUrl }) {
  const at = ex.observedAt;
  let report = core.analyzeExchange(ex);
  if (redirectUrl) {
    const target = core.analyzeText(redirectUrl, Math.floor(at / 1000));
    if (rank(target?.severity) >= rank('warning')) report = withFindingsOf(report, target);
  }
  const reports = rank(report.severity) >= rank('warning') ? [...tab.reports, report].slice(-10) : tab.reports;
  return { digest: core.digestAdd(tab.digest, report, at), timeline: core.timelineFold(tab.timeline, ex), reports };
}

/** storage.session keeps structured clones; JSON text is what "the same bytes" means here. */
const stored = (tab) => JSON.parse(JSON.stringify(tab));

/** Asserts equal JSON text, showing where the two first differ (the states are ~100 KB). */
function sameJson(actual, expected, what) {
  const [a, e] = [JSON.stringify(actual), JSON.stringify(expected)];
  if (a === e) return;
  let i = 0;
  while (a[i] === e[i]) i++;
  const around = (t) => t.slice(Math.max(0, i - 120), i + 80);
  assert.fail(`${what}: the JSON differs at character ${i} of ${e.length}\n  live: …${around(a)}\n  old:  …${around(e)}`);
}

test('folding through the live API stores exactly what the old path stored, across a restore', () => {
  const N = 1000;
  const RESTART = 450;
  const TAB = 41;
  core.liveForget(TAB);
  let old = { digest: null, timeline: null, reports: [] };
  let answers = 0;
  for (let i = 0; i < N; i++) {
    const item = exchange(i);
    old = foldOld(old, item);
    if (!core.liveHas(TAB)) core.liveRestore(TAB, null, null, []);
    const answer = core.liveFold(TAB, item.exchange, item.redirectUrl);
    assert.deepEqual(Object.keys(answer).sort(), ['findings', 'kept', 'severity'], 'a small answer');
    if (answer.kept) answers++;
    if (i === RESTART) {
      // A restarted worker: only storage is left, the core holds nothing.
      const snapshot = stored(core.liveSnapshot(TAB));
      sameJson(snapshot, stored(old), `the stored state after exchange ${i}`);
      core.liveForget(TAB);
      assert.equal(core.liveHas(TAB), false);
      assert.equal(core.liveSnapshot(TAB), null);
      core.liveRestore(TAB, snapshot.digest, snapshot.timeline, snapshot.reports);
      assert.equal(core.liveHas(TAB), true);
    }
  }
  const live = core.liveSnapshot(TAB);
  sameJson(live, stored(old), `digest, timeline and reports after ${N} exchanges`);
  assert.equal(live.digest.exchanges, N);
  assert.equal(live.reports.length, 10);
  assert.ok(answers > N / 2, `${answers} of ${N} reports kept`);
  assert.ok(live.digest.groups.some((g) => g.id === 'oauth_error.access_denied' && g.finding.oktaCause === 'user_not_assigned'), 'the redirect target is read');
  assert.ok(live.timeline.buckets.length >= 3);
  const text = JSON.stringify(live);
  for (const secret of [SSWS, JWT_SIGNATURE, 's3cr3t']) assert.equal(text.includes(secret), false, `sealed: no ${secret}`);
  core.liveForget(TAB);
});

test('tabs are apart; a fold without a restore starts afresh; bad tab ids are ignored', () => {
  for (const id of [1, 2]) core.liveForget(id);
  core.liveRestore(1, null, null, null);
  core.liveFold(1, exchange(2).exchange);
  core.liveFold(1, exchange(3).exchange);
  core.liveFold(2, exchange(0).exchange);
  assert.equal(core.liveSnapshot(1).digest.exchanges, 2);
  assert.equal(core.liveSnapshot(2).digest.exchanges, 1);
  sameJson(core.liveSnapshot(2), foldOld({ digest: null, timeline: null, reports: [] }, exchange(0)), 'one exchange on a fresh tab');
  assert.equal(core.liveFold(1.5, exchange(0).exchange), null);
  assert.equal(core.liveHas(Number.NaN), false);
  assert.equal(core.liveSnapshot(-0.5), null);
  for (const id of [1, 2]) core.liveForget(id);
  assert.equal(core.liveHas(1), false);
});

test('an unreadable exchange is counted as the core says, not a trap', () => {
  core.liveForget(3);
  const answer = core.liveFold(3, { observedAt: T0, statusCode: 'four hundred', requestHeaders: 7 });
  assert.equal(answer.severity, 'warning');
  const live = core.liveSnapshot(3);
  assert.equal(live.digest.groups[0].id, 'exchange.malformed');
  assert.equal(live.digest.requests[0].observedAt, T0);
  assert.equal(live.timeline.exchanges, 0);
  core.liveForget(3);
});

test('resident tabs are bounded: the least recently used is dropped past 64', () => {
  for (let id = 100; id < 100 + 64; id++) core.liveRestore(id, null, null, []);
  core.liveFold(100, exchange(0).exchange); // 100 used again: 101 is now the oldest
  core.liveRestore(500, null, null, []);
  assert.equal(core.liveHas(100), true);
  assert.equal(core.liveHas(101), false);
  assert.equal(core.liveHas(500), true);
  for (let id = 100; id < 100 + 64; id++) core.liveForget(id);
  core.liveForget(500);
});
