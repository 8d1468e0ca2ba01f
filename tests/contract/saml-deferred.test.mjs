// The service worker's module reads no SAML (crate/src/wasm/live.rs, cfg `saml_deferred`):
// its `liveFoldFields` answers `false` for an exchange or redirect target that mentions SAML
// and changes nothing, `true` after folding any other. The UI module is the full module: it
// exports the same live calls, folds everything, and takes the tabs over through
// `liveSnapshot`/`liveRestore` and `liveCrossTab`/`liveRestoreCrossTab`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foldCall } from '../../extension/lib/exchange.js';
import { loadCore } from '../core.mjs';

const { sw, ui } = loadCore();
const T0 = 1_750_000_000_000;
const h = (o) => Object.entries(o).map(([name, value]) => ({ name, value }));
const form = (o) => Object.entries(o).map(([name, value]) => ({ name, value }));
const NS = 'xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"';
const RESPONSE = Buffer.from(`<samlp:Response ${NS} ID="r1" Destination="https://app.example.com/saml/acs"><saml:Issuer>http://www.okta.com/exk1</saml:Issuer></samlp:Response>`).toString('base64');

const refresh = (i, rt) => ({
  observedAt: T0 + i * 5000, method: 'POST', url: 'https://dev-1.okta.com/oauth2/default/v1/token', statusCode: 200, type: 'xmlhttprequest',
  requestHeaders: [], responseHeaders: [], requestForm: form({ grant_type: 'refresh_token', client_id: '0oa1', refresh_token: rt }),
});
const api = (i) => ({ observedAt: T0 + i * 5000, method: 'GET', url: `https://dev-1.okta.com/api/v1/users/${i}`, statusCode: 401, requestHeaders: [], responseHeaders: h({ 'X-Okta-Request-Id': `r${i}` }), body: '{"errorCode":"E0000011","errorSummary":"Invalid token provided","errorCauses":[]}' });
const acs = (i) => ({ observedAt: T0 + i * 5000, method: 'POST', url: 'https://app.example.com/saml/acs', statusCode: 302, type: 'main_frame', requestHeaders: [], responseHeaders: [], requestForm: form({ SAMLResponse: RESPONSE, RelayState: '/home' }) });

/** Tab 1 and 2's exchanges, in order: a refresh token in tab 1, SAML, the same token in tab 2. */
const STEPS = [[1, refresh(0, 'RT-1')], [2, api(1)], [1, acs(2)], [2, refresh(3, 'RT-1')], [1, api(4)]];

const exportsOf = (m) => Object.keys(m).filter((k) => typeof m[k] === 'function' && !['default', 'initSync'].includes(k) && !k.startsWith('__'));

test("the UI module exports every call of the service worker's module", () => {
  const missing = exportsOf(sw).filter((k) => !(k in ui));
  assert.deepEqual(missing, []);
  for (const k of ['liveFoldFields', 'liveCrossTab', 'liveRestoreCrossTab']) assert.equal(typeof sw[k], 'function', k);
});

test('the service worker module answers false for SAML and changes nothing; the UI module folds it', () => {
  const sfold = foldCall(sw.liveFoldFields);
  const ufold = foldCall(ui.liveFoldFields);
  const before = JSON.stringify(sw.liveCrossTab());
  assert.equal(sfold(91, acs(0)), false);
  assert.equal(sw.liveHas(91), false, 'no tab made resident');
  assert.equal(sfold(91, api(0), `https://dev-1.okta.com/app/x/exk1/sso/saml?SAMLRequest=${encodeURIComponent(RESPONSE)}`), false, 'a redirect target');
  assert.equal(sw.liveHas(91), false);
  // An unreadable exchange's report quotes its reason, which can quote a field.
  assert.equal(sfold(91, { ...api(0), bodySource: 'SAMLResponse=x' }), false, 'an unreadable exchange');
  assert.equal(sw.liveHas(91), false);
  assert.equal(JSON.stringify(sw.liveCrossTab()), before);
  assert.equal(sfold(91, { ...api(0), bodySource: 'other' }), true, 'an unreadable exchange without SAML');
  sw.liveForget(91);
  assert.equal(sfold(91, api(0)), true);
  assert.equal(sw.liveHas(91), true);
  assert.equal(ufold(91, acs(0)), true);
  assert.deepEqual(ui.liveSnapshot(91).digest.groups.map((g) => g.id), ['saml.response']);
  sw.liveForget(91);
  ui.liveForget(91);
});

test('tabs moved from the service worker module to the UI module at the first SAML exchange fold on as if the UI module had folded all', () => {
  const reset = (m) => { m.liveForget(1); m.liveForget(2); m.liveRestoreCrossTab({ refreshes: [] }); };
  // The reference: everything folded in the full module.
  reset(ui);
  const ufold = foldCall(ui.liveFoldFields);
  for (const [tab, e] of STEPS) assert.equal(ufold(tab, e), true);
  const want = [1, 2].map((t) => JSON.stringify([ui.liveSnapshot(t), ui.liveBadge(t, T0 + 60_000)]));
  reset(ui);
  reset(sw);
  // The worker: its own module until it answers false, then the tabs and the memory move.
  const sfold = foldCall(sw.liveFoldFields);
  let fold = sfold;
  for (const [tab, e] of STEPS) {
    if (fold(tab, e)) continue;
    assert.equal(fold, sfold, 'only the worker module defers');
    for (const t of [1, 2]) {
      const s = sw.liveSnapshot(t);
      if (s) ui.liveRestore(t, s.digest, s.timeline, s.reports);
    }
    ui.liveRestoreCrossTab(JSON.parse(JSON.stringify(sw.liveCrossTab())));
    fold = ufold;
    assert.equal(fold(tab, e), true);
  }
  assert.equal(fold, ufold, 'the SAML exchange moved the tabs');
  const got = [1, 2].map((t) => JSON.stringify([ui.liveSnapshot(t), ui.liveBadge(t, T0 + 60_000)]));
  assert.deepEqual(got, want);
  assert.match(want[1], /flow\.refresh_token_reused/, "tab 2's reuse: the cross-tab memory moved");
  reset(ui);
  reset(sw);
});
