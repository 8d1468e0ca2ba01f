// Contract test: the sign-in story through the BUILT wasm, as the extension calls it
// (flow2.md's contract with the capture side): liveFold with the new exchange fields
// (requestForm, initiator, thirdParty, type) and onBeforeRedirect's target; the stored
// snapshot carries the flow state with no secret and no words; tabView(...).flows and
// digestReport(...).flows are worded (label, detail) once shown; the DevTools panel's
// session report carries the same story; a second tab reusing a refresh token is told so.
// Run after ./build.sh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCore } from '../core.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
if (!existsSync(join(ROOT, 'extension', 'pkg', 'okta_medic_bg.wasm'))) throw new Error('run ./build.sh first');
const core = loadCore();

const T0 = 1_795_773_600_000;
const OKTA = 'https://dev-123456.okta.com';
const CB = 'https://app.example.com/login/callback';
// RFC 7636 appendix B: this verifier's S256 challenge.
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const SECRETS = ['SEKRETcode1zq', 'SEKRETstate1zq', 'SEKRETwrongverifier0123456789abcdefghijklmnop', 'SEKRETsid1zq', 'SEKRETrt1zq'];

const authorize = {
  observedAt: T0, method: 'GET', type: 'main_frame', statusCode: 302, initiator: 'https://app.example.com',
  url: `${OKTA}/oauth2/default/v1/authorize?client_id=0oa1&redirect_uri=${encodeURIComponent(CB)}&response_type=code&state=SEKRETstate1zq&code_challenge=${CHALLENGE}&code_challenge_method=S256`,
  requestHeaders: [{ name: 'Cookie', value: 'sid=SEKRETsid1zq; DT=abc' }],
  responseHeaders: [{ name: 'X-Okta-Request-Id', value: 'reqA' }],
};
const token = {
  observedAt: T0 + 1500, method: 'POST', type: 'xmlhttprequest', statusCode: 400, initiator: 'https://app.example.com',
  url: `${OKTA}/oauth2/default/v1/token`,
  requestForm: [
    { name: 'grant_type', value: 'authorization_code' }, { name: 'client_id', value: '0oa1' },
    { name: 'redirect_uri', value: CB }, { name: 'code', value: 'SEKRETcode1zq' },
    { name: 'code_verifier', value: 'SEKRETwrongverifier0123456789abcdefghijklmnop' },
  ],
  requestHeaders: [{ name: 'Origin', value: 'https://app.example.com' }],
  responseHeaders: [{ name: 'X-Okta-Request-Id', value: 'reqB' }, { name: 'Content-Type', value: 'application/json' }],
};
const refresh = (tab, at, status) => core.liveFold(tab, {
  observedAt: at, method: 'POST', type: 'xmlhttprequest', statusCode: status, url: `${OKTA}/oauth2/default/v1/token`,
  requestForm: [{ name: 'grant_type', value: 'refresh_token' }, { name: 'refresh_token', value: 'SEKRETrt1zq' }],
  requestHeaders: [], responseHeaders: [],
});

test('a live tab tells the sign-in story, stores no secret and words it only when shown', () => {
  const TAB = 9101;
  core.liveForget(TAB);
  core.liveFold(TAB, authorize, `${CB}?code=SEKRETcode1zq&state=SEKRETstate1zq`);
  core.liveFold(TAB, token);
  assert.equal(core.liveBadge(TAB, Date.now()).severity, 'error');
  const stored = core.liveSnapshot(TAB);
  const text = JSON.stringify(stored);
  for (const s of SECRETS) assert.ok(!text.includes(s), `${s} stored`);
  assert.ok(stored.digest.flows, 'the flow state is stored with the digest');
  assert.ok(!text.includes('"label"'), 'no words stored');
  assert.ok(stored.digest.groups.some((g) => g.id === 'flow.pkce_mismatch'));

  const view = core.tabView(stored.digest, stored.timeline, T0 + 5000);
  assert.equal(view.flows.length, 1);
  const [flow] = view.flows;
  assert.equal(flow.client, '0oa1');
  assert.equal(flow.host, 'dev-123456.okta.com');
  assert.deepEqual(flow.steps.map((s) => [s.step, s.ok]), [['authorize', true], ['callback', true], ['token', false]]);
  const broken = flow.steps[2];
  assert.equal(broken.findingId, 'flow.pkce_mismatch');
  assert.equal(broken.status, 400);
  assert.equal(broken.label, 'Token');
  assert.match(broken.detail, /^400 — PKCE verifier doesn't match the challenge$/);
  assert.ok(view.problems.some((g) => g.id === 'flow.pkce_mismatch' && g.finding.title.includes('PKCE')));

  const report = core.digestReport(stored.digest, stored.timeline, T0 + 5000);
  assert.deepEqual(report.flows.map((f) => f.steps.map((s) => s.label)), [['Authorize', 'Callback', 'Token']]);
  assert.ok(!JSON.stringify(report.timeline.digest).includes('"pending"'), 'the export carries the story, not the state');
  for (const s of SECRETS) {
    assert.ok(!JSON.stringify(report).includes(s));
    assert.ok(!core.exportMarkdown(report).includes(s));
  }
  core.liveForget(TAB);
});

test('the panel session tells the same story from HAR entries', () => {
  const entry = (ex) => ({
    startedDateTime: new Date(ex.observedAt).toISOString(),
    request: {
      method: ex.method, url: ex.url, headers: ex.requestHeaders,
      ...(ex.requestForm ? { postData: { mimeType: 'application/x-www-form-urlencoded', params: ex.requestForm } } : {}),
    },
    response: { status: ex.statusCode, headers: [...ex.responseHeaders, ...(ex === authorize ? [{ name: 'Location', value: `${CB}?code=SEKRETcode1zq&state=SEKRETstate1zq` }] : [])] },
  });
  const id = core.sessionOpen();
  core.sessionAdd(id, entry(authorize));
  core.sessionAdd(id, entry(token));
  const report = core.sessionReport(id);
  core.sessionClose(id);
  assert.deepEqual(report.flows[0].steps.map((s) => [s.label, s.ok]), [['Authorize', true], ['Callback', true], ['Token', false]]);
  assert.equal(report.flows[0].steps[2].findingId, 'flow.pkce_mismatch');
  for (const s of SECRETS) assert.ok(!JSON.stringify(report).includes(s));
});

test('a refresh token reused by a second tab is reported on that tab', () => {
  core.liveForget(9201);
  core.liveForget(9202);
  refresh(9201, T0, 200);
  refresh(9202, T0 + 45_000, 400);
  const second = core.liveSnapshot(9202);
  const g = second.digest.groups.find((x) => x.id === 'flow.refresh_token_reused');
  assert.ok(g, JSON.stringify(second.digest.groups.map((x) => x.id)));
  const view = core.tabView(second.digest, second.timeline, T0 + 50_000);
  const shown = view.problems.find((x) => x.id === 'flow.refresh_token_reused');
  assert.match(shown.finding.title, /past the default 30 s grace/);
  assert.match(shown.finding.detail, /another tab/);
  assert.ok(!JSON.stringify(second).includes('SEKRETrt1zq'));
  core.liveForget(9201);
  core.liveForget(9202);
});
