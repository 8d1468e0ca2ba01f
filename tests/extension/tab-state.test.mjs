// lib/tab-state.js and lib/badge.js on the built core (run after ./build.sh): folding a storm of
// exchanges keeps exact counts in bounded state (digest, timeline and full reports bounded by the
// core, page origins and no-response entries by tab-state), never a credential; a state is caught
// up with the core's copy of the tab by withLive, and a restarted worker continues from the stored
// state, also one the previous version stored (tests/stored/tab-state-v1.json); a redirect
// target's error reaches the tab; the badge is the core's (counted error findings, the worst
// severity's colour, the low-bucket mark), from the resident tab or from the stored state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COLORS, applyBadge, badgeOf } from '../../extension/lib/badge.js';
import {
  MAX_NETWORK_ERRORS,
  MAX_ORIGINS,
  emptyState,
  foldExchange,
  readState,
  tabIdOf,
  tabKey,
  withLive,
  withNetworkError,
  withOrigin,
} from '../../extension/lib/tab-state.js';

import { loadCore } from '../core.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const core = loadCore();

const T0 = 1_750_000_000_000;
/** Full reports the core keeps per tab (crate/src/live.rs MAX_REPORTS). */
const MAX_REPORTS = 10;
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

/** Folds exchanges `from` … `to - 1` into `state` (a fresh tab 5 by default), caught up at the end. */
function fold(to, { from = 0, state = null } = {}) {
  if (!state) core.liveForget(5); // tests share the core: start this tab afresh
  let next = state ?? emptyState(5, T0);
  for (let i = from; i < to; i++) {
    const ex = exchange(i);
    next = foldExchange(next, { exchange: ex, pageOrigin: `http://localhost:${3000 + (i % 9)}` }, core);
  }
  return withLive(next, core);
}

/** What storage.session gives back: a structured clone. */
const stored = (state) => structuredClone(state);

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
  assert.deepEqual(Object.keys(state), Object.keys(emptyState(5, T0)), 'the stored shape');
  assert.equal(state.updatedAt, exchange(1999).observedAt);
  console.log(`2,000 exchanges → ${text.length} bytes of tab state`);
});

test('until withLive, a state carries what the core held when it was last caught up', () => {
  core.liveForget(5);
  let state = foldExchange(emptyState(5, T0), { exchange: exchange(0) }, core);
  state = foldExchange(state, { exchange: exchange(1) }, core);
  assert.equal(state.digest, null, 'the fold itself does not copy the digest out');
  const live = withLive(state, core);
  assert.equal(live.digest.exchanges, 2);
  assert.equal(live.timeline.exchanges, 2);
  assert.equal(live.reports.length, 2);
  core.liveForget(5);
  assert.equal(withLive(live, core), live, 'a tab the core does not hold is left as it is');
  assert.equal(withLive(null, core), null);
});

test('a restarted worker continues from the stored state: the same state as without the restart', () => {
  const straight = fold(300);
  const before = stored(fold(120));
  core.liveForget(5); // the worker stopped: only storage.session is left
  const after = fold(300, { from: 120, state: before });
  assert.deepEqual(after, straight);
  assert.equal(after.digest.exchanges, 300);
});

/** An action API that records what was written. */
function recordingAction() {
  const written = {};
  const set = (what) => async ({ tabId, ...rest }) => {
    written[what] = Object.values(rest)[0];
    written.tabId = tabId;
  };
  return { written, action: { setBadgeText: set('text'), setBadgeBackgroundColor: set('color'), setTitle: set('title'), setBadgeTextColor: set('textColor') } };
}

test("the badge is the core's: failed requests counted, worst colour, the low-bucket mark; resident or stored alike", async () => {
  const state = fold(12);
  // Requests that failed with an error, once each however many findings explained them.
  const errors = state.digest.requests.filter((r) => r.severity === 'error').length;
  assert.ok(errors >= 8);
  const now = T0 + 12 * 50;
  const resident = badgeOf(state, core, now);
  // Remaining 590 of 600, not falling: headroom, no mark.
  assert.deepEqual(resident, { count: errors, severity: 'error', low: false, text: String(errors), title: `Okta Medic — ${errors} requests failed with an error on this tab` });
  assert.equal(state.digest.errors, errors, 'the digest stores the count');
  core.liveForget(5); // a restarted worker: the same badge from the stored state
  assert.deepEqual(badgeOf(stored(state), core, now), resident);
  const { written, action } = recordingAction();
  await applyBadge(action, 5, resident);
  assert.deepEqual(written, { tabId: 5, text: String(errors), color: COLORS.error, title: resident.title, textColor: '#ffffff' });
  assert.deepEqual(badgeOf(null, core, now), { count: 0, severity: 'ok', low: false, text: '', title: 'Okta Medic' });
  const closed = { ...recordingAction().action, setBadgeText: async () => { throw new Error('No tab with id: 5'); } };
  await applyBadge(closed, 5, resident); // a closed tab: ignored
});

test('a tab stored by the previous version is read back, badged and continued', () => {
  const { 'tab:7': value } = JSON.parse(readFileSync(join(ROOT, 'tests', 'stored', 'tab-state-v1.json'), 'utf8'));
  const state = readState(structuredClone(value), 7, T0);
  assert.deepEqual(state, value, 'the stored shape is still the current one');
  core.liveForget(7);
  const badge = badgeOf(state, core, value.updatedAt);
  // The previous version counted 18 error findings (6 × E0000011, E0000047, rate_limit.exceeded)
  // and stored no request count: the badge counts the 12 requests that failed with an error.
  assert.deepEqual([badge.count, badge.severity, badge.low, badge.text], [12, 'error', true, '12↓']);
  assert.match(badge.title, /^Okta Medic — 12 requests failed with an error on this tab — /);
  const next = withLive(foldExchange(state, { exchange: { ...exchange(0), observedAt: value.updatedAt + 1000 } }, core), core);
  assert.equal(next.digest.exchanges, 25);
  assert.equal(next.digest.groups.find((g) => g.id === 'okta_error.E0000011').count, 7);
  assert.deepEqual(next.pageOrigins, value.pageOrigins);
  assert.deepEqual(next.networkErrors, value.networkErrors);
  assert.equal(next.reports.length, MAX_REPORTS);
  core.liveForget(7);
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
  core.liveForget(8);
  const redirect = { observedAt: T0, method: 'GET', url: 'https://dev-1.okta.com/oauth2/default/v1/authorize?client_id=x&state=s3cr3t', statusCode: 302, requestHeaders: [], responseHeaders: [] };
  const redirectUrl = 'http://localhost:8080/cb?state=s3cr3t&error=access_denied&error_description=User+is+not+assigned+to+the+client+application.';
  let state = foldExchange(emptyState(8, T0), { exchange: redirect }, core);
  assert.equal(withLive(state, core).reports.length, 0, 'the redirect alone is fine');
  state = withLive(foldExchange(state, { exchange: { ...redirect, observedAt: T0 + 1 }, redirectUrl }, core), core);
  const [report] = state.reports;
  assert.equal(report.severity, 'error');
  const found = report.findings.filter((f) => f.id === 'oauth_error.access_denied');
  assert.equal(found.length, 1);
  assert.equal(found[0].oktaCause, 'user_not_assigned');
  assert.equal(state.digest.groups[0].id, 'oauth_error.access_denied');
  assert.equal(JSON.stringify(state).includes('s3cr3t'), false, 'state is redacted by the core');
  core.liveForget(8);
});

test("a custom domain from the settings is named in commands; without it, the core's placeholder and reason", () => {
  const custom = {
    observedAt: T0,
    method: 'POST',
    url: 'https://login.acme.com/api/v1/users/00u1/lifecycle/unlock',
    statusCode: 403,
    requestHeaders: h({ Authorization: `SSWS ${SSWS}` }),
    responseHeaders: h({ 'X-Okta-Request-Id': 'reqCustom1' }),
    body: '{"errorCode":"E0000006","errorSummary":"You do not have permission to perform the requested action","errorLink":"E0000006","errorId":"oae1","errorCauses":[]}',
  };
  // The fold stores findings as data; the hosts a command may name are decided when the tab is
  // shown (the popup passes the settings' custom domains to tabView).
  core.liveForget(9);
  const state = withLive(foldExchange(emptyState(9, T0), { exchange: custom }, core), core);
  core.liveForget(9);
  const commandsOf = (trustedHosts) => {
    const view = loadCore(() => trustedHosts).tabView(state.digest, state.timeline, T0);
    const findings = [...view.problems, ...view.quiet].map((g) => g.finding);
    return { commands: findings.flatMap((f) => f.commands.map((c) => c.command)), fix: findings.flatMap((f) => f.fix) };
  };
  const trusted = commandsOf(['https://login.acme.com/*']);
  assert.ok(trusted.commands.some((c) => c.includes('"https://login.acme.com/api/v1/')), trusted.commands.join('\n'));
  assert.ok(trusted.commands.every((c) => !c.startsWith('curl ') || c.startsWith('curl -g ')));
  const untrusted = commandsOf([]);
  assert.ok(untrusted.commands.length > 0);
  assert.ok(untrusted.commands.every((c) => !c.includes('login.acme.com')), untrusted.commands.join('\n'));
  assert.ok(untrusted.commands.some((c) => c.includes('https://$OKTA_DOMAIN/api/v1/')));
  assert.ok(untrusted.fix.some((s) => s.startsWith('login.acme.com is not an Okta domain or one of your custom domains')));
});
