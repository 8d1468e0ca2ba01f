// The seeded-secrets test of the sign-in flows (issue 16), through the BUILT core and the
// extension's own live-capture code: a live tab fed with a whole flow as the listener hands it
// over — /authorize with state, nonce and Okta's session cookies (idx, sid, DT, JSESSIONID), the
// callback's code and state in the redirect, POST /token forms with code, code_verifier and
// refresh_token (requestForm), a silent renewal in a third-party frame, the hosted sign-in's
// stateToken and Set-Cookie — each secret a known string. None of them may reach what the tab
// store writes (storage.session), the popup's view, the support snippet (Markdown), the JSON
// export, nor — the same flow as a HAR — the sanitised HAR, the panel session's report or its
// exports. tests/secrets/ holds the HAR corpus of every other place a secret hides; this file
// covers what a live flow adds. Run after ./build.sh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTabStore } from '../../extension/lib/tab-store.js';
import { emptyState, foldExchange, withLive } from '../../extension/lib/tab-state.js';
import { loadCore } from '../core.mjs';

const core = loadCore();
const OKTA = 'https://dev-1234.okta.com';
const APP = 'http://localhost:5173';
const T0 = Date.UTC(2026, 11, 6, 10, 0, 0);

/** Every seeded secret, by what it is. */
const S = Object.freeze({
  state: 'SEEDstate0aZk81nQ4rT6yW2pL9xC3vB7mH5jD1fG',
  renewState: 'SEEDstate1Lm4Np8Qr2St6Uv0Wx3Yz7Ab5Cd9Ef1Gh',
  nonce: 'SEEDnonce9xQ2wE4rT6yU8iO0pA1sD3fG5hJ7kL',
  code: 'SEEDcode7Rt3Yu9Io1Pa5Sd2Fg6Hj8Kl0Zx4Cv',
  code2: 'SEEDcode2Mn6Bv0Cx4Za8Sd3Fg7Hj1Kl5Qw9Er',
  verifier: 'SEEDverifier3kF9mQ2xV7bN1pL5tR8wZ4cY6hJ0sD2gA',
  refresh: 'SEEDrefresh5Gh1Jk7Lz3Xc9Vb2Nm8Qw4Er0Ty6Ui',
  idx: 'SEEDidx102Xc9ZfE3kqW7uR1tY5oP',
  idxSet: 'SEEDidx102Nb4Vc8Xz2Lk6Jh0Gf4Ds',
  sid: 'SEEDsid102Qa3Ws5Ed7Rf9Tg1Yh',
  dt: 'SEEDdt4Rf6Tg8Yh0Uj2Ik4Ol6Pz',
  jsession: 'SEEDjsession8A1B2C3D4E5F6A7B8C9D0',
  stateToken: 'SEEDstatetoken02Wq8Er4Ty6Ui0Op2As4Df6Gh',
});

const h = (o) => Object.entries(o).map(([name, value]) => ({ name, value }));
const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'; // public: kept
const CLIENT = '0oa1spaflows0000h5d7';

function authorizeUrl(state, extra = {}) {
  const u = new URL(`${OKTA}/oauth2/default/v1/authorize`);
  u.search = new URLSearchParams({ client_id: CLIENT, response_type: 'code', scope: 'openid profile offline_access', redirect_uri: `${APP}/callback`, state, nonce: S.nonce, code_challenge: challenge, code_challenge_method: 'S256', ...extra }).toString();
  return u.href;
}

const cookieHeader = `idx=${S.idx}; sid=${S.sid}; DT=${S.dt}; JSESSIONID=${S.jsession}`;
const tokenError = (description) => `{"error":"invalid_grant","error_description":"${description}"}`;
const form = (o) => Object.entries(o).map(([name, value]) => ({ name, value }));

/** The flow as the listener hands it to liveFold: [exchange, redirectUrl?] in order. */
const FLOW = [
  // The hosted sign-in's end (another tab's sign-in, as an email link finishes it): its stateToken
  // in the URL, the session cookie it sets, the code and state it sends back.
  [
    { method: 'GET', url: `${OKTA}/login/token/redirect?stateToken=${S.stateToken}`, type: 'main_frame', initiator: OKTA, statusCode: 302, requestHeaders: [],
      responseHeaders: h({ Location: `${APP}/callback?code=${S.code2}&state=${S.renewState}`, 'Set-Cookie': `idx=${S.idxSet}; Path=/; Secure; HttpOnly; SameSite=None` }) },
    `${APP}/callback?code=${S.code2}&state=${S.renewState}`,
  ],
  // A sign-in with Okta's session: /authorize answers with the code at once.
  [
    { method: 'GET', url: authorizeUrl(S.state), type: 'main_frame', initiator: APP, statusCode: 302, requestHeaders: h({ Cookie: cookieHeader }),
      responseHeaders: h({ Location: `${APP}/callback?code=${S.code}&state=${S.state}` }) },
    `${APP}/callback?code=${S.code}&state=${S.state}`,
  ],
  [{ method: 'POST', url: `${OKTA}/oauth2/default/v1/token`, type: 'xmlhttprequest', initiator: APP, statusCode: 400, requestHeaders: h({ 'Content-Type': 'application/x-www-form-urlencoded', Origin: APP }),
    requestForm: form({ client_id: CLIENT, code: S.code, code_verifier: S.verifier, grant_type: 'authorization_code', redirect_uri: `${APP}/callback` }),
    responseHeaders: h({ 'Content-Type': 'application/json;charset=UTF-8', 'X-Okta-Request-Id': 'reqFlowKeep1' }), body: tokenError('PKCE verification failed.'), bodySource: 'network' }],
  [{ method: 'POST', url: `${OKTA}/oauth2/default/v1/token`, type: 'xmlhttprequest', initiator: APP, statusCode: 400, requestHeaders: h({ Origin: APP }),
    requestForm: form({ client_id: CLIENT, code: S.code, code_verifier: S.verifier, grant_type: 'authorization_code', redirect_uri: `${APP}/callback` }),
    responseHeaders: h({ 'Content-Type': 'application/json;charset=UTF-8' }), body: tokenError('The authorization code is invalid or has expired.'), bodySource: 'network' }],
  [{ method: 'GET', url: authorizeUrl(S.renewState, { prompt: 'none', response_mode: 'okta_post_message' }), type: 'sub_frame', initiator: APP, thirdParty: true, statusCode: 200, requestHeaders: [],
    responseHeaders: h({ 'Content-Type': 'text/html;charset=utf-8' }) }],
  [
    { method: 'GET', url: authorizeUrl(S.renewState, { prompt: 'none' }), type: 'sub_frame', initiator: APP, thirdParty: true, statusCode: 302, requestHeaders: h({ Cookie: cookieHeader }),
      responseHeaders: h({ Location: `${APP}/callback?code=${S.code2}&state=${S.renewState}` }) },
    `${APP}/callback?code=${S.code2}&state=${S.renewState}`,
  ],
  ...[0, 1].map(() => [{ method: 'POST', url: `${OKTA}/oauth2/default/v1/token`, type: 'xmlhttprequest', initiator: APP, statusCode: 400, requestHeaders: h({ Origin: APP }),
    requestForm: form({ client_id: CLIENT, grant_type: 'refresh_token', refresh_token: S.refresh, scope: 'openid profile offline_access' }),
    responseHeaders: h({ 'Content-Type': 'application/json;charset=UTF-8', 'X-Okta-Request-Id': 'reqFlowKeep2' }), body: tokenError('The refresh token is invalid or expired.'), bodySource: 'network' }]),
].map(([exchange, redirectUrl], i) => [{ observedAt: T0 + i * 1000, ...exchange }, redirectUrl]);

const leaks = (text) => Object.entries(S).filter(([, secret]) => text.includes(secret)).map(([what]) => what);

/** A storage area in memory (as storage.session). */
function memoryArea() {
  const data = new Map();
  return {
    data,
    async get(key) {
      return data.has(key) ? { [key]: structuredClone(data.get(key)) } : {};
    },
    async set(items) {
      for (const [k, v] of Object.entries(items)) data.set(k, structuredClone(v));
    },
    async remove(keys) {
      for (const k of [keys].flat()) data.delete(k);
    },
  };
}

test('a live tab fed a seeded flow: storage, the view, the support snippet and the JSON export keep no secret', async () => {
  const TAB = 9001;
  core.liveForget(TAB);
  const area = memoryArea();
  const store = createTabStore({ area, materialise: (s) => withLive(s, core), delayMs: 0 });
  for (const [exchange, redirectUrl] of FLOW) {
    await store.update(TAB, (state) => foldExchange(state ?? emptyState(TAB, exchange.observedAt), { exchange, redirectUrl, pageOrigin: APP }, core));
  }
  await store.flush();
  const state = area.data.get(`tab:${TAB}`);
  assert.equal(state.digest.exchanges, FLOW.length, 'every exchange of the flow was folded');
  // The flow fold read the secrets (as digests): what it found needs them compared.
  const ids = state.digest.groups.map((g) => g.id);
  for (const id of ['flow.pkce_mismatch', 'flow.code_reused', 'flow.refresh_token_reused']) assert.ok(ids.includes(id), `${id} in ${ids}`);
  const stored = JSON.stringify([...area.data.entries()]);
  assert.ok(stored.includes('reqFlowKeep1'), 'request ids are kept');
  assert.deepEqual(leaks(stored), [], 'storage.session');

  const now = T0 + 60_000;
  const view = core.tabView(state.digest, state.timeline, now);
  assert.ok(view.flows?.length >= 1, 'the view tells the story');
  assert.deepEqual(leaks(JSON.stringify(view)), [], "the popup's view");
  const reports = [core.digestReport(state.digest, state.timeline, now), ...[...state.reports].reverse()];
  assert.ok(reports.length >= 2, 'the tab report and the failures in full');
  const snippet = reports.map((r) => core.exportMarkdown(r)).join('\n\n---\n\n');
  assert.match(snippet, /PKCE verification failed|invalid_grant/);
  assert.deepEqual(leaks(snippet), [], 'the support snippet');
  const json = reports.map((r) => core.exportJson(r)).join(',\n');
  assert.deepEqual(leaks(json), [], 'the JSON export');
  core.liveForget(TAB);
});

/** The same flow as the browser's HAR export would record it (form bodies, cookies, redirects). */
function flowHar() {
  const entries = FLOW.map(([ex]) => {
    const url = new URL(ex.url);
    const cookieValue = ex.requestHeaders.find((x) => x.name === 'Cookie')?.value;
    return {
      startedDateTime: new Date(ex.observedAt).toISOString(),
      time: 12,
      request: {
        method: ex.method,
        url: ex.url,
        httpVersion: 'http/2.0',
        headers: ex.requestHeaders,
        queryString: [...url.searchParams].map(([name, value]) => ({ name, value })),
        cookies: cookieValue ? cookieValue.split('; ').map((c) => ({ name: c.split('=')[0], value: c.split('=')[1] })) : [],
        ...(ex.requestForm
          ? { postData: { mimeType: 'application/x-www-form-urlencoded', text: new URLSearchParams(ex.requestForm.map((f) => [f.name, f.value])).toString(), params: ex.requestForm } }
          : {}),
      },
      response: {
        status: ex.statusCode,
        statusText: '',
        httpVersion: 'http/2.0',
        headers: ex.responseHeaders,
        cookies: [],
        content: { size: ex.body?.length ?? 0, mimeType: 'application/json', ...(ex.body ? { text: ex.body } : {}) },
        redirectURL: ex.responseHeaders.find((x) => x.name === 'Location')?.value ?? '',
      },
      _resourceType: ex.type === 'xmlhttprequest' ? 'fetch' : 'document',
    };
  });
  // HAR files often begin at the app's callback: its URL carries the code and the state.
  entries.push({
    startedDateTime: new Date(T0 + 20_000).toISOString(),
    request: { method: 'GET', url: `${APP}/callback?code=${S.code}&state=${S.state}`, headers: [], queryString: [{ name: 'code', value: S.code }, { name: 'state', value: S.state }], cookies: [] },
    response: { status: 200, headers: [], cookies: [], content: { size: 0, mimeType: 'text/html' } },
  });
  return JSON.stringify({ log: { version: '1.2', creator: { name: 'test', version: '1' }, entries } });
}

test('the same flow as a HAR: the sanitised HAR, the panel session report and its exports keep no secret', () => {
  const text = flowHar();
  assert.deepEqual(leaks(text).sort(), Object.keys(S).sort(), 'the raw HAR holds every seeded secret');
  const { har, receipt, error } = core.redactHar(text);
  assert.equal(error, undefined);
  assert.deepEqual(leaks(har), [], 'the sanitised HAR');
  assert.ok(har.includes('reqFlowKeep1') && har.includes(challenge), 'request ids and the (public) code_challenge are kept');
  assert.ok(receipt.redactions.length > 0);
  const id = core.sessionOpen([]);
  for (const entry of JSON.parse(text).log.entries) core.sessionAdd(id, entry);
  const report = core.sessionReport(id);
  core.sessionClose(id);
  assert.ok(report.flows?.length >= 1, "the panel session's report tells the story");
  for (const [what, out] of Object.entries({ report: JSON.stringify(report), markdown: core.exportMarkdown(report), json: core.exportJson(report) })) {
    assert.deepEqual(leaks(out), [], what);
  }
});
