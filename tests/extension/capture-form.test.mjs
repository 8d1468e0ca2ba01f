// The form bodies live capture reads for the sign-in flow checks (issue 16 item 1), without a
// browser: onBeforeRequest's requestBody.formData is flattened generically into the exchange's
// `requestForm` (fields in order, every value of a repeated name, bounded), beside the page's
// `initiator` and Firefox's `thirdParty`; the raw values live only in the pending map until the
// hop ends and go to the core once (a redirect's next hop carries none, a failed or evicted
// request drops them), and the capture stores only what the core returns — never a raw code,
// verifier, refresh token, state or cookie value (the core itself digests them: the seeded
// secrets contract test checks what it keeps).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_FORM_FIELDS, MAX_FORM_VALUE, PendingExchanges, formFields, omittedSamlFields } from '../../extension/lib/exchange.js';

const CODE = 'SEEDcodeQm3ZcvH4r8tLx2wYb7NfPq';
const VERIFIER = 'SEEDverifier0123456789abcdef0123456789abcdef0123';
const REFRESH = 'SEEDrefreshNrJBJ5-89k9CHZ7CJz4Q42yNqoIjm7Bc';
const COOKIE = 'SEEDsid102Xc9ZfE3kq';
const TOKEN_URL = 'https://dev-1234.okta.com/oauth2/default/v1/token';

const tokenPost = (over = {}) => ({
  requestId: '9',
  tabId: 4,
  frameId: 0,
  method: 'POST',
  type: 'xmlhttprequest',
  url: TOKEN_URL,
  initiator: 'http://localhost:5173',
  requestBody: {
    formData: {
      grant_type: ['authorization_code'],
      client_id: ['0oa1sampleapp0000h5d7'],
      redirect_uri: ['http://localhost:5173/callback'],
      code: [CODE],
      code_verifier: [VERIFIER],
    },
  },
  ...over,
});

test('formData → requestForm: every field in order, repeated names kept, not a form → null', () => {
  assert.deepEqual(formFields(tokenPost().requestBody), [
    { name: 'grant_type', value: 'authorization_code' },
    { name: 'client_id', value: '0oa1sampleapp0000h5d7' },
    { name: 'redirect_uri', value: 'http://localhost:5173/callback' },
    { name: 'code', value: CODE },
    { name: 'code_verifier', value: VERIFIER },
  ]);
  assert.deepEqual(formFields({ formData: { scope: ['openid', 'offline_access'] } }), [
    { name: 'scope', value: 'openid' },
    { name: 'scope', value: 'offline_access' },
  ]);
  assert.equal(formFields(undefined), null);
  assert.equal(formFields({ raw: [{ bytes: new ArrayBuffer(4) }] }), null, 'a JSON/binary body is not a form');
  assert.equal(formFields({ formData: {} }), null);
  assert.equal(formFields({ error: 'Unknown error.' }), null);
});

test('bounded: at most MAX_FORM_FIELDS fields; a value over MAX_FORM_VALUE is left out, never cut', () => {
  const many = Object.fromEntries(Array.from({ length: MAX_FORM_FIELDS + 10 }, (_, i) => [`f${i}`, [String(i)]]));
  assert.equal(formFields({ formData: many }).length, MAX_FORM_FIELDS);
  const huge = 'x'.repeat(MAX_FORM_VALUE + 1);
  assert.deepEqual(formFields({ formData: { SAMLResponse: [huge], RelayState: ['r'] } }), [{ name: 'RelayState', value: 'r' }]);
  assert.deepEqual(formFields({ formData: { a: [1, null, 'ok'] } }), [{ name: 'a', value: 'ok' }], 'strings only');
});

test('a POST /token hop: its form, initiator and thirdParty reach the exchange, then the pending map forgets them', () => {
  const p = new PendingExchanges();
  p.body(tokenPost());
  p.begin({ ...tokenPost(), requestHeaders: [{ name: 'Content-Type', value: 'application/x-www-form-urlencoded' }] });
  p.headers({ ...tokenPost(), statusCode: 400, timeStamp: 10, responseHeaders: [] });
  assert.equal(p.size, 1);
  assert.ok(JSON.stringify([...p.map.values()]).includes(VERIFIER), 'held while the request is in flight');
  const item = p.finish({ ...tokenPost(), statusCode: 400, timeStamp: 11, thirdParty: false, responseHeaders: [] });
  assert.deepEqual(item.exchange.requestForm.map((f) => f.name), ['grant_type', 'client_id', 'redirect_uri', 'code', 'code_verifier']);
  assert.equal(item.exchange.initiator, 'http://localhost:5173');
  assert.equal(item.exchange.thirdParty, false);
  assert.equal(p.size, 0, 'forgotten once the hop is over');
  assert.equal(JSON.stringify([...p.map.values()]).includes(VERIFIER), false);
});

test('Chromium gives no thirdParty: the exchange has none; a request without a form has no requestForm', () => {
  const p = new PendingExchanges();
  const get = { requestId: '1', tabId: 4, method: 'GET', type: 'main_frame', url: 'https://dev-1234.okta.com/oauth2/default/v1/authorize?x=1' };
  assert.equal(p.body({ ...get, requestBody: undefined }), null, 'no entry for a request without a form');
  assert.equal(p.size, 0);
  p.begin({ ...get, requestHeaders: [{ name: 'Cookie', value: `sid=${COOKIE}` }] });
  const item = p.finish({ ...get, statusCode: 302, redirectUrl: 'http://localhost:5173/callback?code=c&state=s' });
  assert.equal('thirdParty' in item.exchange, false);
  assert.equal('requestForm' in item.exchange, false);
  assert.equal('initiator' in item.exchange, false, 'a typed-in navigation has no initiator');
});

test('a redirect: the form belongs to its hop only; a failed or evicted request drops its form', () => {
  const p = new PendingExchanges(2);
  p.body(tokenPost());
  p.begin(tokenPost());
  const hop = p.finish({ ...tokenPost(), statusCode: 302, redirectUrl: `${TOKEN_URL}?again=1` });
  assert.ok(hop.exchange.requestForm);
  p.begin({ ...tokenPost(), method: 'GET', url: `${TOKEN_URL}?again=1` }); // 302: the browser drops the body
  const next = p.finish({ ...tokenPost(), method: 'GET', url: `${TOKEN_URL}?again=1`, statusCode: 200 });
  assert.equal(next.exchange.requestForm, undefined);

  p.body(tokenPost({ requestId: 'failed' }));
  assert.equal(p.fail({ requestId: 'failed', error: 'net::ERR_CONNECTION_REFUSED' }), null);
  assert.equal(p.size, 0);

  for (const id of ['a', 'b', 'c']) p.body(tokenPost({ requestId: id }));
  assert.deepEqual([...p.map.keys()], ['b', 'c'], 'bounded: the oldest form is forgotten');
});

/** A fake WebExtension API: Chromium-shaped (no response filter, no page relay), memory storage. */
function fakeApi() {
  const areas = { local: new Map(), session: new Map() };
  const area = (map) => ({
    async get(key) {
      if (key === null) return Object.fromEntries(map);
      return map.has(key) ? { [key]: structuredClone(map.get(key)) } : {};
    },
    async set(items) {
      for (const [k, v] of Object.entries(items)) map.set(k, structuredClone(v));
    },
    async remove(keys) {
      for (const k of [keys].flat()) map.delete(k);
    },
  });
  return {
    areas,
    storage: { local: area(areas.local), session: area(areas.session) },
    runtime: { getManifest: () => ({ host_permissions: ['https://*.okta.com/*'] }) },
    webRequest: {},
    action: { setBadgeText: async () => {}, setBadgeBackgroundColor: async () => {}, setTitle: async () => {} },
  };
}

/** A stand-in for the core: keeps what it was handed (in memory) and answers with counts only. */
function fakeCore() {
  const handed = [];
  const tabs = new Map();
  return {
    handed,
    liveHas: (tab) => tabs.has(tab),
    liveRestore: (tab) => tabs.set(tab, 0),
    liveFold: (tab, exchange, redirectUrl) => {
      handed.push({ tab, exchange, redirectUrl });
      tabs.set(tab, tabs.get(tab) + 1);
    },
    liveForget: (tab) => tabs.delete(tab),
    liveSnapshot: (tab) => ({ digest: { exchanges: tabs.get(tab) }, timeline: null, reports: [] }),
    liveBadge: () => ({ text: '', color: '#000000', title: 'Okta Medic' }),
    tabBadge: () => ({}),
  };
}

test('capture: a POST /token\'s form reaches the core once; storage never holds a raw value', async () => {
  const api = fakeApi();
  globalThis.chrome = api;
  const { createCapture } = await import('../../extension/lib/capture.js');
  const { createTabStore } = await import('../../extension/lib/tab-store.js');
  const { withLive } = await import('../../extension/lib/tab-state.js');
  const core = fakeCore();
  const store = createTabStore({ area: api.storage.session, materialise: (s) => withLive(s, core), delayMs: 0 });
  const errors = [];
  const capture = createCapture({ api, core, loadCore: async () => {}, store, onError: (e) => errors.push(e) });

  // The authorize navigation (its Cookie and the callback's code and state in the redirect), then the token POST.
  const nav = { requestId: '1', tabId: 4, frameId: 0, method: 'GET', type: 'main_frame', url: 'https://dev-1234.okta.com/oauth2/default/v1/authorize?state=SEEDstate', initiator: 'http://localhost:5173' };
  capture.beforeRequest(nav);
  capture.beforeSendHeaders({ ...nav, requestHeaders: [{ name: 'Cookie', value: `sid=${COOKIE}` }] });
  capture.headersReceived({ ...nav, statusCode: 302, responseHeaders: [] });
  capture.hopFinished({ ...nav, statusCode: 302, timeStamp: 1, responseHeaders: [], redirectUrl: `http://localhost:5173/callback?code=${CODE}&state=SEEDstate` });
  const post = tokenPost({ requestId: '2' });
  capture.beforeRequest(post);
  capture.beforeSendHeaders({ ...post, requestHeaders: [] });
  capture.headersReceived({ ...post, statusCode: 400, responseHeaders: [] });
  capture.hopFinished({ ...post, statusCode: 400, timeStamp: 2, responseHeaders: [] });
  // Refresh in another tab, answered 200.
  const refresh = tokenPost({ requestId: '3', tabId: 5, requestBody: { formData: { grant_type: ['refresh_token'], refresh_token: [REFRESH] } } });
  capture.beforeRequest(refresh);
  capture.beforeSendHeaders({ ...refresh, requestHeaders: [] });
  capture.hopFinished({ ...refresh, statusCode: 200, timeStamp: 3, responseHeaders: [] });
  // A form POST to a host that is not Okta's: never handed on.
  const other = tokenPost({ requestId: '4', url: 'https://tracker.example.com/collect' });
  capture.beforeRequest(other);
  capture.hopFinished({ ...other, statusCode: 200, timeStamp: 4, responseHeaders: [] });

  const deadline = Date.now() + 2000;
  while (core.handed.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  await store.flush();
  assert.deepEqual(errors, []);
  // Tabs fold independently (each tab's updates in order): find each exchange by tab and URL.
  const tab4 = core.handed.filter((h) => h.tab === 4).map((h) => h.exchange);
  const [tab5] = core.handed.filter((h) => h.tab === 5).map((h) => h.exchange);
  assert.deepEqual(tab4.map((e) => e.url), [nav.url, TOKEN_URL], 'in order; the non-Okta POST never reaches the core');
  assert.equal(core.handed.length, 3);
  assert.equal(tab4[0].requestForm, undefined);
  assert.deepEqual(tab4[1].requestForm.find((f) => f.name === 'code_verifier'), { name: 'code_verifier', value: VERIFIER });
  assert.equal(tab4[1].initiator, 'http://localhost:5173');
  assert.deepEqual(tab5.requestForm, [{ name: 'grant_type', value: 'refresh_token' }, { name: 'refresh_token', value: REFRESH }]);

  const stored = JSON.stringify([...api.areas.session.entries(), ...api.areas.local.entries()]);
  assert.ok(stored.includes('tab:4') && stored.includes('tab:5'), 'both tabs were stored');
  for (const raw of [CODE, VERIFIER, REFRESH, COOKIE, 'SEEDstate']) assert.equal(stored.includes(raw), false, `storage holds ${raw}`);
  delete globalThis.chrome;
});

// SAML (issue 17): Okta's page posts the SAMLResponse to the app's ACS, on the app's origin (not
// a watched host). That form POST is followed through its hops and handed to the core once; the
// app's other form POSTs, and the ACS's redirect afterwards, are not.
const SAML_RESPONSE = `PHNhbWwycDpSZXNwb25zZSBTRUVE${'QUJDRA'.repeat(1500)}`; // ~9 KB, like Okta's
const acsPost = (over = {}) => ({
  requestId: '20',
  tabId: 7,
  frameId: 0,
  method: 'POST',
  type: 'main_frame',
  url: 'http://localhost:5173/saml/acs',
  initiator: 'https://dev-1234.okta.com',
  requestBody: { formData: { SAMLResponse: [SAML_RESPONSE], RelayState: ['/home'] } },
  ...over,
});

test('PendingExchanges: a SAML form is kept whatever the host (samlOnly), any other form is not', () => {
  const p = new PendingExchanges();
  assert.ok(p.body(acsPost(), { samlOnly: true }));
  assert.equal(p.holdsSaml('20'), true);
  assert.equal(p.body(acsPost({ requestId: '21', requestBody: { formData: { username: ['a'], password: ['b'] } } }), { samlOnly: true }), null);
  assert.equal(p.holdsSaml('21'), false);
  const request = acsPost({ requestId: '22', url: 'https://dev-1234.okta.com/app/x/y/sso/saml', requestBody: { formData: { SAMLRequest: ['PHNhbWxwOkF1dGhuUmVxdWVzdA=='] } } });
  assert.equal(p.body(request, { samlOnly: true }).requestForm[0].name, 'SAMLRequest');
  assert.deepEqual([...p.map.keys()], ['20', '22']);
});

test("capture: the SAMLResponse POST to the app's ACS reaches the core once; the app's other forms and the ACS's redirect don't; storage holds no raw value", async () => {
  const api = fakeApi();
  globalThis.chrome = api;
  const { createCapture } = await import('../../extension/lib/capture.js');
  const { createTabStore } = await import('../../extension/lib/tab-store.js');
  const { withLive } = await import('../../extension/lib/tab-state.js');
  const core = fakeCore();
  const store = createTabStore({ area: api.storage.session, materialise: (s) => withLive(s, core), delayMs: 0 });
  const errors = [];
  const capture = createCapture({ api, core, loadCore: async () => {}, store, onError: (e) => errors.push(e) });
  capture.settingsChanged({}); // settings known: the app's origin is not a watched host

  // The ACS answers 302 to the app's home page; the next hop (same requestId) is the app's own GET.
  const post = acsPost();
  capture.beforeRequest(post);
  capture.beforeSendHeaders({ ...post, requestHeaders: [{ name: 'Origin', value: 'https://dev-1234.okta.com' }] });
  capture.headersReceived({ ...post, statusCode: 302, responseHeaders: [{ name: 'Location', value: '/home' }] });
  capture.hopFinished({ ...post, statusCode: 302, timeStamp: 10, responseHeaders: [], redirectUrl: 'http://localhost:5173/home' });
  const home = { ...post, method: 'GET', url: 'http://localhost:5173/home', requestBody: undefined };
  capture.beforeSendHeaders({ ...home, requestHeaders: [] });
  capture.headersReceived({ ...home, statusCode: 200, responseHeaders: [] });
  capture.hopFinished({ ...home, statusCode: 200, timeStamp: 11, responseHeaders: [] });
  // The app's own login form on the same origin: not SAML, never handed on.
  const login = acsPost({ requestId: '23', url: 'http://localhost:5173/login', initiator: 'http://localhost:5173', requestBody: { formData: { username: ['u'], password: ['SEEDpassword'] } } });
  capture.beforeRequest(login);
  capture.beforeSendHeaders({ ...login, requestHeaders: [] });
  capture.hopFinished({ ...login, statusCode: 200, timeStamp: 12, responseHeaders: [] });

  const deadline = Date.now() + 2000;
  while (core.handed.length < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => setTimeout(r, 50));
  await store.flush();
  assert.deepEqual(errors, []);
  assert.equal(core.handed.length, 1, JSON.stringify(core.handed.map((h) => h.exchange.url)));
  const [{ exchange, redirectUrl }] = core.handed;
  assert.deepEqual([exchange.method, exchange.url, exchange.statusCode, exchange.type], ['POST', 'http://localhost:5173/saml/acs', 302, 'main_frame']);
  assert.deepEqual(exchange.requestForm, [{ name: 'SAMLResponse', value: SAML_RESPONSE }, { name: 'RelayState', value: '/home' }]);
  assert.equal(exchange.initiator, 'https://dev-1234.okta.com');
  assert.equal(redirectUrl, 'http://localhost:5173/home');
  const stored = JSON.stringify([...api.areas.session.entries(), ...api.areas.local.entries()]);
  assert.ok(stored.includes('tab:7'));
  for (const raw of [SAML_RESPONSE.slice(0, 40), 'SEEDpassword']) assert.equal(stored.includes(raw), false, `storage holds ${raw}`);
  delete globalThis.chrome;
});

test("capture: a SAMLResponse over MAX_FORM_VALUE reaches the core as its name and length only, never its value", async () => {
  const huge = `PHNhbWwycDpSZXNwb25zZSBTRUVE${'QUJDRA'.repeat(12_000)}`; // ~72 KB
  assert.ok(huge.length > MAX_FORM_VALUE);
  assert.deepEqual(omittedSamlFields({ formData: { SAMLResponse: [huge], RelayState: ['/home'] } }), [{ name: 'SAMLResponse', length: huge.length }]);
  assert.equal(omittedSamlFields({ formData: { SAMLResponse: ['short'], other: ['x'.repeat(MAX_FORM_VALUE + 1)] } }), null, 'only SAML fields, only when over');
  const api = fakeApi();
  globalThis.chrome = api;
  const { createCapture } = await import('../../extension/lib/capture.js');
  const { createTabStore } = await import('../../extension/lib/tab-store.js');
  const { withLive } = await import('../../extension/lib/tab-state.js');
  const core = fakeCore();
  const store = createTabStore({ area: api.storage.session, materialise: (s) => withLive(s, core), delayMs: 0 });
  const errors = [];
  const capture = createCapture({ api, core, loadCore: async () => {}, store, onError: (e) => errors.push(e) });
  capture.settingsChanged({});
  // Without RelayState too: the oversized Response alone makes the app's ACS POST followed.
  for (const [id, formData] of [['30', { SAMLResponse: [huge], RelayState: ['/home'] }], ['31', { SAMLResponse: [huge] }]]) {
    const post = acsPost({ requestId: id, tabId: 8, requestBody: { formData } });
    capture.beforeRequest(post);
    capture.beforeSendHeaders({ ...post, requestHeaders: [] });
    capture.headersReceived({ ...post, statusCode: 302, responseHeaders: [] });
    capture.hopFinished({ ...post, statusCode: 302, timeStamp: 20, responseHeaders: [] });
  }
  const deadline = Date.now() + 2000;
  while (core.handed.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  await store.flush();
  assert.deepEqual(errors, []);
  assert.equal(core.handed.length, 2);
  const [withRelay, alone] = core.handed.map((h) => h.exchange);
  assert.deepEqual(withRelay.requestForm, [{ name: 'RelayState', value: '/home' }]);
  assert.deepEqual(withRelay.requestFormOmitted, [{ name: 'SAMLResponse', length: huge.length }]);
  assert.equal(alone.requestForm, undefined);
  assert.deepEqual(alone.requestFormOmitted, [{ name: 'SAMLResponse', length: huge.length }]);
  assert.equal(JSON.stringify(core.handed).includes(huge.slice(0, 40)), false, 'the value never reaches the core');
  delete globalThis.chrome;
});
