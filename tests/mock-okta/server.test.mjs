// The mock Okta serves what Okta serves (discovery and JWKS shapes and headers, the E0000007 404
// for an unknown authorization server), logs every request, and lets a test add routes. The keys
// it publishes verify tokens signed by ./keys.mjs through the built core (run after ./build.sh).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALGS, issuerKey, tamper } from './keys.mjs';
import { JWKS_HEADERS, startMockOkta } from './server.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
let okta;

before(async () => {
  okta = await startMockOkta();
});
after(() => okta.close());

test('listens on 127.0.0.1 at a free port', () => {
  assert.ok(okta.port > 0);
  assert.equal(okta.origin, `http://127.0.0.1:${okta.port}`);
  assert.equal(okta.issuer(), `http://127.0.0.1:${okta.port}/oauth2/default`);
});

test('discovery: issuer and jwks_uri on the mock, Okta’s documented fields in order', async () => {
  const res = await fetch(`${okta.issuer()}/.well-known/openid-configuration`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/json');
  const doc = await res.json();
  assert.equal(doc.issuer, okta.issuer());
  assert.equal(doc.jwks_uri, `${okta.issuer()}/v1/keys`);
  assert.deepEqual(Object.keys(doc).slice(0, 6), [
    'issuer', 'authorization_endpoint', 'token_endpoint', 'userinfo_endpoint', 'registration_endpoint', 'jwks_uri',
  ]);
  assert.deepEqual(doc.id_token_signing_alg_values_supported, ['RS256']);
});

test('JWKS: Okta’s exact headers, compact JSON, the keys the test published', async () => {
  const key = await issuerKey('RS256');
  okta.setKeys('default', [key.jwk]);
  const res = await fetch(`${okta.issuer()}/v1/keys`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('cache-control'), JWKS_HEADERS['Cache-Control']);
  assert.equal(res.headers.get('content-type'), 'application/json;charset=UTF-8');
  const body = await res.text();
  assert.equal(body, JSON.stringify({ keys: [key.jwk] }));
  assert.deepEqual(Object.keys(key.jwk), ['alg', 'e', 'n', 'kid', 'kty', 'use']);
  assert.equal(key.jwk.e, 'AQAB');
  assert.match(key.kid, /^[A-Za-z0-9_-]{43}$/);
});

test('an unknown authorization server answers 404 E0000007 like Okta', async () => {
  const res = await fetch(`${okta.origin}/oauth2/aus8aus76q8iphupD0h7/v1/keys`);
  assert.equal(res.status, 404);
  const body = await res.json();
  assert.equal(body.errorCode, 'E0000007');
  assert.equal(body.errorSummary, 'Not found: Resource not found: aus8aus76q8iphupD0h7 (AuthorizationServer)');
  assert.deepEqual(body.errorCauses, []);
});

test('every request is logged; routes added later win; unknown paths are a plain 404', async () => {
  okta.requests.length = 0;
  okta.route('GET', /^\/oauth2\/default\/v1\/keys$/, () => ({ status: 503, headers: { 'X-Test': '1' }, body: 'down' }));
  const overridden = await fetch(`${okta.issuer()}/v1/keys`, { headers: { 'X-Probe': 'yes' } });
  assert.equal(overridden.status, 503);
  assert.equal(await overridden.text(), 'down');
  const missing = await fetch(`${okta.origin}/nope?x=1`);
  assert.equal(missing.status, 404);
  assert.match(await missing.text(), /no route for GET \/nope/);
  assert.deepEqual(okta.requests.map((r) => [r.method, r.path, r.url]), [
    ['GET', '/oauth2/default/v1/keys', '/oauth2/default/v1/keys'],
    ['GET', '/nope', '/nope?x=1'],
  ]);
  assert.equal(okta.requests[0].headers['x-probe'], 'yes');
});

test('tokens signed with ./keys.mjs verify against the published JWKS in the built core', async () => {
  const { loadCore } = await import('../core.mjs');
  const core = loadCore();
  const now = 1750000000;
  const claims = { ver: 1, jti: 'AT.x', iss: 'https://dev-1.okta.com/oauth2/default', aud: 'api://default', iat: now - 60, exp: now + 3540, cid: '0oa1', scp: ['openid'], sub: 'a@example.com' };
  for (const alg of Object.keys(ALGS)) {
    const key = await issuerKey(alg);
    const jwks = JSON.stringify({ keys: [key.jwk] });
    const token = await key.sign(claims);
    const ids = async (t) => (await core.verifyWithJwks(t, now, jwks)).findings.map((f) => f.id);
    assert.ok((await ids(token)).includes('jwt.signature_valid'), `${alg} valid`);
    assert.ok((await ids(tamper(token, { ...claims, sub: 'b@example.com' }))).includes('jwt.signature_invalid'), `${alg} tampered`);
  }
});

test('verify traps: redirects to a second host, a foreign jwks_uri, a session cookie', async () => {
  const { addVerifyTraps, SESSION_COOKIE } = await import('./scenarios.mjs');
  const { discoveryDocument } = await import('./server.mjs');
  const mock = await startMockOkta();
  try {
    const elsewhere = 'https://localhost:1';
    addVerifyTraps(mock, { elsewhere, keys: [], discovery: discoveryDocument });
    const redirected = await fetch(`${mock.issuer('discoveryredirect')}/.well-known/openid-configuration`, { redirect: 'manual' });
    assert.equal(redirected.status, 302);
    assert.equal(redirected.headers.get('location'), `${elsewhere}/oauth2/default/.well-known/openid-configuration`);
    const keys = await fetch(`${mock.issuer('keysredirect')}/v1/keys`, { redirect: 'manual' });
    assert.equal(keys.headers.get('location'), `${elsewhere}/oauth2/default/v1/keys`);
    assert.equal((await (await fetch(`${mock.issuer('keysredirect')}/.well-known/openid-configuration`)).json()).jwks_uri, `${mock.issuer('keysredirect')}/v1/keys`);
    const doc = await (await fetch(`${mock.issuer('keyselsewhere')}/.well-known/openid-configuration`)).json();
    assert.equal(doc.jwks_uri, `${elsewhere}/oauth2/default/v1/keys`);
    assert.equal(doc.issuer, mock.issuer('keyselsewhere'));
    const session = await fetch(`${mock.origin}/session`, { headers: { Cookie: 'a=b' } });
    assert.match(session.headers.get('set-cookie'), new RegExp(`^sid=${SESSION_COOKIE}; Path=/; Secure; HttpOnly; SameSite=None$`));
    assert.equal(mock.requests.at(-1).headers.cookie, 'a=b', 'the log keeps the Cookie header');
  } finally {
    await mock.close();
  }
});

test('a second host name: the origin and issuers carry it', async () => {
  const mock = await startMockOkta({ host: 'localhost' });
  try {
    assert.equal(mock.origin, `http://localhost:${mock.port}`);
    assert.equal((await fetch(`${mock.issuer()}/.well-known/openid-configuration`)).status, 200);
  } finally {
    await mock.close();
  }
});

test('CORS: a Trusted Origin gets its headers; any other origin a 200 preflight and no CORS header', async () => {
  const okta = await startMockOkta({ cors: ['http://localhost:3000'] });
  try {
    const preflight = (origin) =>
      fetch(`${okta.origin}/api/v1/users/me`, {
        method: 'OPTIONS',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
      });
    const trusted = await preflight('http://localhost:3000');
    assert.equal(trusted.status, 204);
    assert.equal(trusted.headers.get('access-control-allow-origin'), 'http://localhost:3000');
    const other = await preflight('http://127.0.0.1:3000');
    assert.equal(other.status, 200);
    assert.deepEqual([...other.headers.keys()].filter((k) => k.startsWith('access-control-')), []);
    const simple = await fetch(`${okta.origin}/oauth2/default/.well-known/openid-configuration`, { headers: { Origin: 'http://127.0.0.1:3000' } });
    assert.equal(simple.status, 200);
    assert.equal(simple.headers.get('access-control-allow-origin'), null);
  } finally {
    await okta.close();
  }
});

test('CORS: an endpoint Okta does not mark CORS-enabled gets no CORS header, even for a Trusted Origin, unless the call is a bearer call', async () => {
  const okta = await startMockOkta({ cors: ['http://localhost:3000'] });
  okta.route('GET', /^\/api\/v1\/(org|users\/me)$/, () => ({ status: 200, headers: { 'Content-Type': 'application/json' }, body: '{}' }));
  const acao = (r) => r.headers.get('access-control-allow-origin');
  const get = (path, headers = {}) => fetch(`${okta.origin}${path}`, { headers: { Origin: 'http://localhost:3000', ...headers } });
  const preflight = (path, requestHeaders) =>
    fetch(`${okta.origin}${path}`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:3000', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': requestHeaders },
    });
  try {
    assert.equal(acao(await get('/api/v1/org')), null, 'a cookie call to /api/v1/org');
    assert.equal(acao(await get('/api/v1/org', { Authorization: 'SSWS 00abc' })), null, 'an SSWS call');
    assert.equal(acao(await get('/api/v1/org', { Authorization: 'Bearer eyJ.e30.sig' })), 'http://localhost:3000', 'a bearer call');
    assert.equal(acao(await get('/api/v1/users/me')), 'http://localhost:3000', 'a CORS-enabled endpoint');
    const cookie = await preflight('/api/v1/org', 'content-type, x-okta-user-agent-extended');
    assert.deepEqual([cookie.status, acao(cookie)], [200, null]);
    const withToken = await preflight('/api/v1/org', 'Authorization');
    assert.deepEqual([withToken.status, acao(withToken)], [204, 'http://localhost:3000']);
  } finally {
    await okta.close();
  }
});

test('/favicon.ico is a real icon (200 image/x-icon), as Okta serves it, not a 404', async () => {
  const res = await fetch(`${okta.origin}/favicon.ico`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'image/x-icon');
  const bytes = Buffer.from(await res.arrayBuffer());
  // ICONDIR: reserved 0, type 1 (icon), one image; its entry points at a 40-byte BMP header.
  assert.deepEqual([bytes.readUInt16LE(0), bytes.readUInt16LE(2), bytes.readUInt16LE(4)], [0, 1, 1]);
  const size = bytes.readUInt32LE(6 + 8);
  const offset = bytes.readUInt32LE(6 + 12);
  assert.equal(offset + size, bytes.length);
  assert.equal(bytes.readUInt32LE(offset), 40);
  assert.equal(bytes.readInt32LE(offset + 8), 2 * bytes.readUInt8(7), 'height counts the XOR image and the AND mask');
});
