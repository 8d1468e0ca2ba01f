// The mock Okta's sign-in flows answer as Okta does (tests/mock-okta/flows.mjs): PKCE at
// /authorize and /token (RFC 7636's test vector; "PKCE verification failed."), a code used twice
// ("The authorization code is invalid or has expired."), prompt=none without Okta's session
// cookie → login_required as a query redirect, a fragment redirect, or okta_post_message's page,
// the hosted sign-in setting `idx` (Secure; SameSite=None), and refresh-token rotation with a
// 30 s grace period, reuse after it → "The refresh token is invalid or expired." and the chain
// revoked. Requests for other clients reach the live scenario's routes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { issuerKey } from './keys.mjs';
import { FLOW_CLIENT, OKTA, addFlowScenario, challengeOf } from './flows.mjs';
import { USER_NOT_ASSIGNED, addLiveScenario } from './scenarios.mjs';
import { startMockOkta } from './server.mjs';

const APP = 'http://localhost:5173';
let okta;
let flows;

before(async () => {
  okta = await startMockOkta();
  const key = await issuerKey('RS256');
  addLiveScenario(okta, { host: '127.0.0.1' });
  flows = addFlowScenario(okta, { sign: (claims) => key.sign(claims), callbackOrigins: () => [APP] });
});
after(() => okta.close());

const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';

function authorizeUrl(over = {}) {
  const url = new URL(`${okta.origin}/oauth2/default/v1/authorize`);
  url.search = new URLSearchParams({
    client_id: FLOW_CLIENT,
    response_type: 'code',
    scope: 'openid profile offline_access',
    redirect_uri: `${APP}/callback`,
    state: 'st-1',
    nonce: 'n-1',
    code_challenge: challengeOf(VERIFIER),
    code_challenge_method: 'S256',
    ...over,
  }).toString();
  return url;
}

const get = (url, cookie) => fetch(url, { redirect: 'manual', headers: cookie ? { Cookie: cookie } : {} });
const token = (fields) =>
  fetch(`${okta.origin}/oauth2/default/v1/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({ client_id: FLOW_CLIENT, ...fields }),
  });

/** Signs in through the hosted page: returns the code, state and the session cookie. */
async function signIn(over = {}) {
  const page = await get(authorizeUrl(over));
  assert.equal(page.status, 200, 'no session: the hosted sign-in page');
  const finish = /location\.replace\("([^"]+)"\)/.exec(await page.text())[1];
  const done = await get(`${okta.origin}${finish}`);
  assert.equal(done.status, 302);
  const cookie = done.headers.get('set-cookie');
  assert.match(cookie, /^idx=102[\w-]+; Path=\/; Secure; HttpOnly; SameSite=None$/);
  const back = new URL(done.headers.get('location'));
  return { code: back.searchParams.get('code'), state: back.searchParams.get('state'), cookie: cookie.split(';')[0], back };
}

test('RFC 7636 test vector: the challenge of its verifier', () => {
  assert.equal(challengeOf(VERIFIER), 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
});

test('PKCE: the right verifier gets tokens; a wrong one "PKCE verification failed."; a code used twice is invalid', async () => {
  const { code, state, back } = await signIn();
  assert.equal(state, 'st-1');
  assert.equal(back.origin + back.pathname, `${APP}/callback`);
  const bad = await token({ grant_type: 'authorization_code', code, redirect_uri: `${APP}/callback`, code_verifier: `${VERIFIER}x` });
  assert.equal(bad.status, 400);
  assert.equal(bad.headers.get('cache-control'), 'no-cache, no-store');
  assert.equal(await bad.text(), JSON.stringify({ error: 'invalid_grant', error_description: OKTA.pkceVerificationFailed }));
  const again = await token({ grant_type: 'authorization_code', code, redirect_uri: `${APP}/callback`, code_verifier: VERIFIER });
  assert.deepEqual(await again.json(), { error: 'invalid_grant', error_description: 'The authorization code is invalid or has expired.' });

  const second = await signIn({ state: 'st-2' });
  const ok = await token({ grant_type: 'authorization_code', code: second.code, redirect_uri: `${APP}/callback`, code_verifier: VERIFIER });
  assert.equal(ok.status, 200);
  const body = await ok.json();
  assert.deepEqual(Object.keys(body), ['token_type', 'expires_in', 'access_token', 'scope', 'refresh_token', 'id_token']);
  assert.equal(JSON.parse(Buffer.from(body.id_token.split('.')[1], 'base64url')).nonce, 'n-1');
  const missing = await signIn({ state: 'st-3' });
  const noVerifier = await token({ grant_type: 'authorization_code', code: missing.code, redirect_uri: `${APP}/callback` });
  assert.deepEqual(await noVerifier.json(), { error: 'invalid_request', error_description: 'PKCE code verifier is required by the application.' });
});

test('with the session cookie a code comes at once; prompt=none without it is login_required in each response mode', async () => {
  const { cookie } = await signIn({ state: 'st-4' });
  const withSession = await get(authorizeUrl({ prompt: 'none', state: 'st-5' }), cookie);
  assert.equal(withSession.status, 302);
  assert.ok(new URL(withSession.headers.get('location')).searchParams.get('code'));

  const query = await get(authorizeUrl({ prompt: 'none', state: 'st-6' }));
  assert.equal(query.status, 302);
  assert.equal(query.headers.get('referrer-policy'), 'no-referrer');
  const q = new URL(query.headers.get('location')).searchParams;
  assert.deepEqual([q.get('error'), q.get('error_description'), q.get('state')], ['login_required', 'The client specified not to prompt, but the user is not logged in.', 'st-6']);

  const fragment = await get(authorizeUrl({ prompt: 'none', response_mode: 'fragment', state: 'st-7' }));
  assert.match(fragment.headers.get('location'), /\/callback#error=login_required&error_description=The\+client\+specified/);

  const message = await get(authorizeUrl({ prompt: 'none', response_mode: 'okta_post_message', redirect_uri: `${APP}/renew`, state: 'st-8' }));
  assert.equal(message.status, 200);
  assert.match(message.headers.get('content-type'), /^text\/html/);
  const html = await message.text();
  assert.ok(html.includes(`window.parent.postMessage({"error":"login_required","error_description":"${OKTA.loginRequired}","state":"st-8"}, "${APP}")`), html);
});

test('refresh-token rotation: reuse inside the 30 s grace answers; after it 400 and the chain is revoked', async () => {
  const { code } = await signIn({ state: 'state-seeded-nine' });
  const first = await (await token({ grant_type: 'authorization_code', code, redirect_uri: `${APP}/callback`, code_verifier: VERIFIER })).json();
  const rt0 = first.refresh_token;
  const r1 = await (await token({ grant_type: 'refresh_token', refresh_token: rt0, scope: 'openid profile offline_access' })).json();
  assert.notEqual(r1.refresh_token, rt0, 'rotated');
  const inGrace = await token({ grant_type: 'refresh_token', refresh_token: rt0 });
  assert.equal(inGrace.status, 200, 'a second tab inside the grace period still gets tokens');
  flows.advance(31);
  const reused = await token({ grant_type: 'refresh_token', refresh_token: rt0 });
  assert.equal(reused.status, 400);
  assert.deepEqual(await reused.json(), { error: 'invalid_grant', error_description: 'The refresh token is invalid or expired.' });
  assert.equal(flows.revoked(r1.refresh_token), true);
  const secrets = flows.secrets();
  for (const value of [code, rt0, r1.refresh_token, VERIFIER, 'state-seeded-nine']) assert.ok(secrets.includes(value), `secrets() lists ${value}`);
  assert.equal(secrets.includes('refresh_token'), false, 'field names and grant types are not secrets');
  const newest = await token({ grant_type: 'refresh_token', refresh_token: r1.refresh_token });
  assert.equal(newest.status, 400, 'reuse detection revoked the newest token too');
  flows.advance(301);
  const late = await signIn({ state: 'st-10' });
  flows.advance(301);
  const expired = await token({ grant_type: 'authorization_code', code: late.code, redirect_uri: `${APP}/callback`, code_verifier: VERIFIER });
  assert.equal((await expired.json()).error_description, OKTA.invalidCode, 'a code older than 300 s');
});

test('PKCE required at /authorize; an unlisted redirect URI gets the 400 page; another client reaches the live scenario', async () => {
  const noChallenge = await get(authorizeUrl({ code_challenge: '', state: 'st-11' }));
  const q = new URL(noChallenge.headers.get('location')).searchParams;
  assert.deepEqual([q.get('error'), q.get('error_description')], ['invalid_request', 'PKCE code challenge is required by the application.']);
  const unlisted = await get(authorizeUrl({ redirect_uri: `${APP}/elsewhere` }));
  assert.equal(unlisted.status, 400);
  const other = await get(authorizeUrl({ client_id: '0oa1sampleapp0000h5d7' }));
  assert.equal(new URL(other.headers.get('location')).searchParams.get('error_description'), USER_NOT_ASSIGNED);
});
