// The service worker's module reads no SAML (crate/src/wasm/live.rs, cfg `saml_deferred`):
// its `liveFoldFields` answers `false` for an exchange or redirect target that mentions SAML
// and changes nothing, `true` after folding any other. The UI module is the full module: it
// exports the same live calls and folds everything. Moving the tabs to it, as the worker does,
// is tests/contract/live-switch.test.mjs (through lib/live-core.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foldCall } from '../../extension/lib/exchange.js';
import { loadCore } from '../core.mjs';

const { sw, ui } = loadCore();
const T0 = 1_750_000_000_000;
const h = (o) => Object.entries(o).map(([name, value]) => ({ name, value }));
const NS = 'xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"';
const RESPONSE = Buffer.from(`<samlp:Response ${NS} ID="r1" Destination="https://app.example.com/saml/acs"><saml:Issuer>http://www.okta.com/exk1</saml:Issuer></samlp:Response>`).toString('base64');

const api = (i) => ({ observedAt: T0 + i * 5000, method: 'GET', url: `https://dev-1.okta.com/api/v1/users/${i}`, statusCode: 401, requestHeaders: [], responseHeaders: h({ 'X-Okta-Request-Id': `r${i}` }), body: '{"errorCode":"E0000011","errorSummary":"Invalid token provided","errorCauses":[]}' });
const acs = (i) => ({ observedAt: T0 + i * 5000, method: 'POST', url: 'https://app.example.com/saml/acs', statusCode: 302, type: 'main_frame', requestHeaders: [], responseHeaders: [], requestForm: h({ SAMLResponse: RESPONSE, RelayState: '/home' }) });

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
