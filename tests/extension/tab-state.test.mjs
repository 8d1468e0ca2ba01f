// lib/tab-state.js and lib/badge.js on the built core (run after ./build.sh): folding a storm of
// exchanges keeps exact counts in bounded state (digest and timeline bounded by the core, the
// full reports, page origins and no-response entries by tab-state), never a credential; the badge
// counts error findings, takes the worst severity's colour and marks a low bucket.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COLORS, LOW_MARK, badgeFor } from '../../extension/lib/badge.js';
import {
  MAX_NETWORK_ERRORS,
  MAX_ORIGINS,
  MAX_REPORTS,
  emptyState,
  errorCount,
  foldExchange,
  readState,
  tabIdOf,
  tabKey,
  withNetworkError,
  withOrigin,
} from '../../extension/lib/tab-state.js';
import { withFindingsOf } from '../../extension/lib/capture.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const core = await import(join(ROOT, 'extension', 'pkg', 'okta_medic.js'));
core.initSync({ module: readFileSync(join(ROOT, 'extension', 'pkg', 'okta_medic_bg.wasm')) });

const T0 = 1_750_000_000_000;
const SSWS = '00Qm3ZcvH4r8tLx2wYb7NfPq9sDkJ1aVeUoT6hGiRc';
const JWT_SIGNATURE = 'c2lnbmF0dXJlLW5vdC1rZXB0LWluLXN0YXRl';
const jwt = [
  Buffer.from('{"kid":"k1","alg":"RS256"}').toString('base64url'),
  Buffer.from(JSON.stringify({ ver: 1, jti: 'AT.unit', iss: 'https://dev-1.okta.com', scp: ['okta.users.read'], iat: 1_749_999_000, exp: 1_750_003_000 })).toString('base64url'),
  JWT_SIGNATURE,
].join('.');

const h = (o) => Object.entries(o).map(([name, value]) => ({ name, value }));

function exchange(i) {
  const at = T0 + i * 50;
  const kind = i % 3;
  return {
    observedAt: at,
    method: 'GET',
    url: kind === 0 ? 'https://dev-1.okta.com/api/v1/users/me' : `https://dev-1.okta.com/api/v1/groups?after=${i}`,
    statusCode: kind === 0 ? 401 : kind === 1 ? 403 : 200,
    requestHeaders: h({ Authorization: kind === 0 ? `SSWS ${SSWS}` : `Bearer ${jwt}` }),
    responseHeaders: h({
      'X-Okta-Request-Id': `req${i}`,
      'X-Rate-Limit-Limit': '600',
      'X-Rate-Limit-Remaining': '590',
      'X-Rate-Limit-Reset': String(Math.floor(at / 1000) + 30),
      ...(kind === 1 ? { 'WWW-Authenticate': 'Bearer error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", scope="okta.groups.read"' } : {}),
    }),
    body: kind === 0 ? '{"errorCode":"E0000011","errorSummary":"Invalid token provided","errorLink":"E0000011","errorId":"oaeY-4G_TBUTBSZAn9n7oZCfw","errorCauses":[]}' : undefined,
  };
}

function fold(n) {
  let state = emptyState(5, T0);
  for (let i = 0; i < n; i++) {
    const ex = exchange(i);
    state = foldExchange(state, { report: core.analyzeExchange(ex), exchange: ex, at: ex.observedAt, pageOrigin: `http://localhost:${3000 + (i % 9)}` }, core);
  }
  return state;
}

test('a storm of 2,000 exchanges: exact counts, bounded state, no credential', () => {
  const state = fold(2000);
  assert.equal(state.digest.exchanges, 2000);
  const e11 = state.digest.groups.find((g) => g.id === 'okta_error.E0000011');
  assert.equal(e11.count, 667);
  assert.equal(state.reports.length, MAX_REPORTS);
  assert.equal(state.pageOrigins.length, MAX_ORIGINS);
  const text = JSON.stringify(state);
  assert.ok(text.length < 512 * 1024, `state is ${text.length} bytes`);
  assert.equal(text.includes(SSWS), false, 'no SSWS token');
  assert.equal(text.includes(JWT_SIGNATURE), false, 'no JWT signature');
  assert.ok(text.includes('okta.users.read'), 'claims are kept');
  console.log(`2,000 exchanges → ${text.length} bytes of tab state`);
});

test('the badge: error findings counted, worst colour, the low-bucket mark', () => {
  const state = fold(12);
  const view = core.timelineView(state.timeline, T0 + 12 * 50);
  const badge = badgeFor(state, view);
  const errors = errorCount(state);
  assert.equal(errors, state.digest.groups.filter((g) => g.severity === 'error').reduce((n, g) => n + g.count, 0));
  assert.ok(errors >= 8);
  assert.equal(badge.color, COLORS.error);
  // Remaining 590 of 600, not falling: headroom, no mark.
  assert.equal(badge.text, String(errors));
  assert.match(badge.title, new RegExp(`${errors} error findings on this tab`));
  const low = { buckets: [{ severity: 'warning', title: '/api/v1/users: 30 of 600 left (95% used)' }] };
  assert.equal(badgeFor(state, low).text, `${errors}${LOW_MARK}`);
  assert.match(badgeFor(state, low).title, /30 of 600 left/);
  assert.deepEqual(badgeFor(null, null), { text: '', color: COLORS.ok, title: 'Okta Medic' });
  assert.equal(badgeFor({ digest: { groups: [{ severity: 'error', count: 5000 }] } }, null).text, '999+');
});

test('origins and no-response entries are bounded and deduplicated', () => {
  let state = emptyState(1, T0);
  for (let i = 0; i < 20; i++) state = withOrigin(state, `http://localhost:${i % 7}`);
  assert.equal(state.pageOrigins.length, MAX_ORIGINS);
  for (let i = 0; i < 5; i++) state = withNetworkError(state, { host: 'dev-1.okta.com', error: 'net::ERR_FAILED', at: T0 + i });
  assert.deepEqual(state.networkErrors.map((e) => [e.host, e.count, e.firstSeen, e.lastSeen]), [['dev-1.okta.com', 5, T0, T0 + 4]]);
  for (let i = 0; i < 30; i++) state = withNetworkError(state, { host: `h${i}.okta.com`, error: 'net::ERR_FAILED', at: T0 + i });
  assert.equal(state.networkErrors.length, MAX_NETWORK_ERRORS);
  assert.equal(state.networkErrors.at(-1).host, 'h29.okta.com', 'the newest kept');
});

test('stored values: keys, and anything unreadable starts afresh', () => {
  assert.equal(tabKey(12), 'tab:12');
  assert.equal(tabIdOf('tab:12'), 12);
  assert.equal(tabIdOf('tabs:index'), null);
  assert.deepEqual(readState({ version: 0 }, 3, 9), emptyState(3, 9));
  assert.deepEqual(readState({ ...emptyState(4, 1) }, 3, 9), emptyState(3, 9), "another tab's state is not this one's");
});

test('a redirect target with an error adds its findings to the redirect exchange', () => {
  const redirect = core.analyzeExchange({ observedAt: T0, method: 'GET', url: 'https://dev-1.okta.com/oauth2/default/v1/authorize?client_id=x&state=s3cr3t', statusCode: 302, requestHeaders: [], responseHeaders: [] });
  const target = core.analyzeText('http://localhost:8080/cb?state=s3cr3t&error=access_denied&error_description=User+is+not+assigned+to+the+client+application.', T0 / 1000);
  const merged = withFindingsOf(redirect, target);
  assert.equal(merged.severity, 'error');
  const finding = merged.findings.find((f) => f.id === 'oauth_error.access_denied');
  assert.equal(finding.oktaCause, 'user_not_assigned');
  assert.equal(JSON.stringify(merged).includes('s3cr3t'), false, 'state is redacted by the core');
  assert.equal(withFindingsOf(merged, target), merged, 'no duplicate');
});
