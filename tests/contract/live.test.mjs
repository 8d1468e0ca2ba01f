// Contract test: the BUILT wasm package's resident live capture (liveRestore, liveFold,
// liveSnapshot, liveForget, liveBadge; crate/src/live.rs on crate/src/session.rs), the calls the
// background makes: a tab stored by the previous version (tests/stored/tab-state-v1.json) is
// read back byte for byte and refolded to the same bytes; a storm with redirects, tokens, missing
// scopes and IDX errors stores the same state with the worker "restarted" midway as without, and
// the same digest and timeline as the DevTools panel's session (sessionAdd) of the same traffic as
// HAR entries — one fold for both. Run after ./build.sh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCore } from '../core.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PKG_JS = join(ROOT, 'extension', 'pkg', 'okta_medic.js');
const PKG_WASM = join(ROOT, 'extension', 'pkg', 'okta_medic_bg.wasm');
if (!existsSync(PKG_WASM)) throw new Error(`wasm module missing at ${PKG_WASM}: run ./build.sh first`);
const core = loadCore();

const T0 = 1_750_000_000_000;
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

/**
 * `value` as the previous version and today's fold agree on it: without the E0000047 finding
 * that today folds into rate_limit.exceeded (its group, its id in a request's list) and with
 * rate_limit.exceeded reduced to its id, severity and count (its words now carry the folded
 * one's evidence, quote and request lookup); without the request count a digest now stores
 * and a request's list of folded ids.
 */
function oneCause(value) {
  const FOLDED = 'okta_error.E0000047';
  const SURVIVOR = 'rate_limit.exceeded';
  return JSON.parse(JSON.stringify(value), (key, x) => {
    if (Array.isArray(x)) return x.filter((e) => e !== FOLDED && e?.id !== FOLDED);
    if (x && typeof x === 'object') {
      if (x.id === SURVIVOR) return { id: x.id, severity: x.severity, count: x.count };
      // A report led by the rate limit leads with its action, which today's live moment words
      // by the gauge ("Wait until the bucket's window resets …") where the stored words froze
      // a wait: compared through the finding above, not the line.
      if ('schemaVersion' in x && x.findings?.[0]?.id === SURVIVOR) delete x.todo;
      if ('exchanges' in x && 'groups' in x) delete x.errors;
      if (x.foldedIds?.length === 0) delete x.foldedIds;
    }
    return x;
  });
}

/**
 * The previous version's words without the countdown its rate-limit titles froze ("Rate limit
 * exceeded — wait 41 s"): issue 15 keeps the wait in the detail, the fix and the gauge.
 */
const withoutFrozenCountdown = (v) => JSON.parse(JSON.stringify(v).replace(/ — wait \d+ s|, resets in \d+ s/g, ''));

/** Findings whose words depend on the moment they are judged at (a recording says so). */
const MOMENT_WORDED = new Set(['rate_limit.exceeded', 'rate_limit.concurrent', 'rate_limit.low', 'rate_limit.status', 'jwt.expired', 'jwt.expiring_soon', 'jwt.not_yet_valid', 'jwt.issued_in_future']);

/**
 * A shown digest with what says which moment left out: the moment-worded findings' words, and
 * a recording's token times measured from the request (`asOf`, `relativeText`).
 */
const withoutMomentWords = (digest) =>
  JSON.parse(
    JSON.stringify({
      ...digest,
      groups: digest.groups.map((g) => (MOMENT_WORDED.has(g.id) ? { ...g, finding: { ...g.finding, title: undefined, detail: undefined, fix: undefined, todo: undefined, why: undefined } } : g)),
    }),
    (key, value) => (key === 'asOf' || key === 'relativeText' ? undefined : value),
  );

/** The 24 exchanges the previous version's tab in tests/stored/tab-state-v1.json was made of. */
function previousVersionTraffic() {
  const t0 = 1_765_000_000_000;
  const body = { 0: E47, 1: E11 };
  return Array.from({ length: 24 }, (_, i) => {
    const at = t0 + i * 1000;
    const [status, path, remaining] = [[429, '/api/v1/users', '0'], [401, '/api/v1/users/me', '590'], [200, '/api/v1/users', String(60 - i)], [200, '/api/v1/groups', '498']][i % 4];
    return {
      observedAt: at,
      method: 'GET',
      url: `https://dev-1.okta.com${path}`,
      statusCode: status,
      requestHeaders: h({ Authorization: `SSWS ${SSWS}` }),
      responseHeaders: h({ 'X-Okta-Request-Id': `req${i}`, 'X-Rate-Limit-Limit': path === '/api/v1/groups' ? '500' : '600', 'X-Rate-Limit-Remaining': remaining, 'X-Rate-Limit-Reset': String(Math.floor(at / 1000) + 40) }),
      body: body[i % 4] ?? '[]',
    };
  });
}

test("a tab stored by the previous version is read back as it was, and today's fold shows the same answers", () => {
  const TAB = 7;
  const { [`tab:${TAB}`]: old } = JSON.parse(readFileSync(join(ROOT, 'tests', 'stored', 'tab-state-v1.json'), 'utf8'));
  const was = { digest: old.digest, timeline: old.timeline, reports: old.reports };
  core.liveForget(TAB);
  core.liveRestore(TAB, old.digest, old.timeline, old.reports);
  // Read back as it was, plus the count it didn't keep: its requests with a warning or an error.
  const { exchanges, failed, ...rest } = was.digest;
  const counted = { digest: { exchanges, failed, withFindings: 18, ...rest }, timeline: was.timeline, reports: was.reports };
  sameJson(stored(core.liveSnapshot(TAB)), counted, 'restored from the previous version');
  const badge = core.liveBadge(TAB, old.updatedAt);
  // The previous version counted error findings (18: 6 × E0000011, E0000047, rate_limit.exceeded);
  // the badge counts the requests that failed with an error, from the stored request refs.
  assert.deepEqual([badge.count, badge.severity, badge.text], [12, 'error', '12↓']);
  core.liveFold(TAB, { ...previousVersionTraffic()[1], observedAt: old.updatedAt + 1000 });
  const after = core.liveSnapshot(TAB);
  assert.equal(after.digest.exchanges, 25);
  assert.equal(after.digest.groups.find((g) => g.id === 'okta_error.E0000011').count, 7);
  // The same traffic folded by today's core, which stores findings as data and words them when
  // shown: the popup's view, the tab report and every kept report's export are what the
  // previous version's stored words give.
  core.liveForget(TAB);
  for (const ex of previousVersionTraffic()) core.liveFold(TAB, ex);
  const today = stored(core.liveSnapshot(TAB));
  assert.notDeepEqual(today.digest, was.digest, 'today stores findings as data, not words');
  assert.ok(today.digest.groups.some((g) => g.finding.params), 'a stored fact keeps what its words need');
  // Today's fold gives one cause per request: each 429's E0000047 is folded into its
  // rate_limit.exceeded, which lists it. Otherwise the view, the tab report and the exports
  // are what the previous version's stored words give.
  const view = core.tabView(today.digest, today.timeline, old.updatedAt);
  const survivor = view.problems.find((g) => g.id === 'rate_limit.exceeded');
  assert.deepEqual(survivor.finding.folded, ['okta_error.E0000047']);
  assert.equal(survivor.count, core.tabView(was.digest, was.timeline, old.updatedAt).problems.find((g) => g.id === 'okta_error.E0000047').count);
  assert.equal(view.problems.some((g) => g.id === 'okta_error.E0000047'), false, 'no card of its own');
  assert.equal(view.badge.count, 12, 'the failed requests, as the stored tab gave them');
  sameJson(oneCause(view), oneCause(withoutFrozenCountdown(core.tabView(was.digest, was.timeline, old.updatedAt))), "today's fold, shown");
  const report = core.digestReport(today.digest, today.timeline, old.updatedAt);
  const wasReport = withoutFrozenCountdown(core.digestReport(was.digest, was.timeline, old.updatedAt));
  assert.equal(report.summary, '24 Okta requests seen, 12 failed; 12 with an error; 3 causes.');
  assert.equal(wasReport.summary, '24 Okta requests seen, 12 failed; 12 with an error; 4 causes.', 'E0000047 was a cause of its own');
  sameJson(oneCause({ ...report, summary: '' }), oneCause({ ...wasReport, summary: '' }), "today's tab report");
  assert.equal(today.reports.length, was.reports.length);
  today.reports.forEach((r, i) => sameJson(oneCause(JSON.parse(core.exportJson(r))), oneCause(JSON.parse(core.exportJson(withoutFrozenCountdown(was.reports[i])))), `kept report ${i}, exported`));
  core.liveForget(TAB);
});

test('a storm folds to the same state with the worker restarted midway, and to the panel session of the same HAR', () => {
  const N = 1000;
  const RESTART = 450;
  const [TAB, STRAIGHT] = [41, 42];
  for (const id of [TAB, STRAIGHT]) core.liveForget(id);
  const items = Array.from({ length: N }, (_, i) => exchange(i));
  for (const [i, item] of items.entries()) {
    core.liveFold(STRAIGHT, item.exchange, item.redirectUrl);
    if (!core.liveHas(TAB)) core.liveRestore(TAB, null, null, []);
    assert.equal(core.liveFold(TAB, item.exchange, item.redirectUrl), true, 'nothing crosses back but "folded here": the tab stays in the core');
    if (i === RESTART) {
      // A restarted worker: only storage is left, the core holds nothing.
      const snapshot = stored(core.liveSnapshot(TAB));
      core.liveForget(TAB);
      assert.equal(core.liveHas(TAB), false);
      assert.equal(core.liveSnapshot(TAB), null);
      core.liveRestore(TAB, snapshot.digest, snapshot.timeline, snapshot.reports);
      assert.equal(core.liveHas(TAB), true);
    }
  }
  const live = core.liveSnapshot(TAB);
  sameJson(live, stored(core.liveSnapshot(STRAIGHT)), `digest, timeline and reports after ${N} exchanges`);
  assert.equal(live.digest.exchanges, N);
  assert.equal(live.reports.length, 10);
  assert.ok(live.digest.groups.some((g) => g.id === 'oauth_error.access_denied' && g.finding.oktaCause === 'user_not_assigned'), 'the redirect target is read');
  assert.ok(live.timeline.buckets.length >= 3);
  const text = JSON.stringify(live);
  for (const secret of [SSWS, JWT_SIGNATURE, 's3cr3t']) assert.equal(text.includes(secret), false, `sealed: no ${secret}`);
  // The panel's session of the same exchanges as HAR entries (no redirect targets: a HAR has
  // none) counts what a live tab of them counts.
  const toHeaders = (list) => list.map(({ name, value }) => ({ name, value }));
  const plain = items.filter((it) => !it.redirectUrl);
  core.liveForget(STRAIGHT);
  for (const it of plain) core.liveFold(STRAIGHT, it.exchange);
  const id = core.sessionOpen([]);
  for (const { exchange: ex } of plain) {
    const added = core.sessionAdd(id, {
      startedDateTime: new Date(ex.observedAt).toISOString(),
      request: { method: ex.method, url: ex.url, headers: toHeaders(ex.requestHeaders) },
      response: { status: ex.statusCode, headers: toHeaders(ex.responseHeaders), ...(ex.body !== undefined && { content: { text: ex.body } }) },
    });
    assert.ok(added?.row && added.report.input.kind === 'exchange');
  }
  const report = core.sessionReport(id);
  core.sessionClose(id);
  const tab = core.liveSnapshot(STRAIGHT);
  // Both keep findings as data; the panel's report is shown, so compare the tab shown.
  const shownTab = core.digestReport(tab.digest, tab.timeline, Date.now());
  // The same but for the words that say which moment: the panel's are as of each request.
  sameJson(withoutMomentWords(report.timeline.digest), withoutMomentWords(shownTab.timeline.digest), 'the panel session digest = the live tab digest, shown');
  const exceeded = report.timeline.digest.groups.find((g) => g.id === 'rate_limit.exceeded');
  assert.match(exceeded.finding.detail, /at the request \(recorded \d{4}-\d\d-\d\d\), not now/);
  assert.equal(report.timeline.oktaEntries, plain.length);
  for (const id of [TAB, STRAIGHT]) core.liveForget(id);
});

test('tabs are apart; a fold without a restore starts afresh; bad tab ids are ignored', () => {
  for (const id of [1, 2]) core.liveForget(id);
  core.liveRestore(1, null, null, null);
  core.liveFold(1, exchange(2).exchange);
  core.liveFold(1, exchange(3).exchange);
  core.liveFold(2, exchange(0).exchange);
  assert.equal(core.liveSnapshot(1).digest.exchanges, 2);
  assert.equal(core.liveSnapshot(2).digest.exchanges, 1);
  core.liveRestore(3, null, null, []);
  core.liveFold(3, exchange(0).exchange);
  sameJson(core.liveSnapshot(2), core.liveSnapshot(3), 'a fold without a restore = a fold onto an empty restore');
  core.liveForget(3);
  assert.equal(core.liveBadge(1.5, T0), null);
  core.liveFold(1.5, exchange(0).exchange);
  assert.equal(core.liveHas(1.5), false);
  assert.equal(core.liveSnapshot(1.5), null);
  assert.equal(core.liveHas(Number.NaN), false);
  assert.equal(core.liveSnapshot(-0.5), null);
  for (const id of [1, 2]) core.liveForget(id);
  assert.equal(core.liveHas(1), false);
});

test('an unreadable exchange is counted as the core says, not a trap', () => {
  core.liveForget(3);
  core.liveFold(3, { observedAt: T0, statusCode: 'four hundred', requestHeaders: 7 });
  assert.equal(core.liveBadge(3, T0).severity, 'warning');
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
