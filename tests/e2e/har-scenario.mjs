// The HAR scenario of the HAR and panel specs: a page on the loopback mock Okta
// (tests/mock-okta/samples.mjs) runs a short session that goes wrong — a users listing that
// runs into the rate limit, an SSWS call answered E0000011, an /authorize redirect carrying a
// code, a /token exchange refused with invalid_grant, a /userinfo call with a rejected token —
// and Chromium records it as a HAR (Playwright's recordHar, bodies embedded), as a person would
// export it from DevTools. The page sends seeded secrets (a signed access token, an SSWS token,
// a client secret, a PKCE verifier, a session cookie, state and nonce; the mock's code) that
// every export must drop, and the mock's request ids and errorIds that every export must keep.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issuerKey } from '../mock-okta/keys.mjs';
import { E0000011, E0000047, addSampleRoutes } from '../mock-okta/samples.mjs';
import { startMockOkta } from '../mock-okta/server.mjs';

import { CHROMIUM, launchChromium } from './browsers.mjs';

export { CHROMIUM };

const random = (n) => Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(n))).toString('base64url');

/** An SSWS API token shaped like Okta's: "00" and 40 base64url characters. */
const sswsToken = () => `00${random(30).slice(0, 40)}`;

/**
 * The page's script: the session, one request after the other, then a title the test waits
 * for. The credentials come in the URL's fragment, which no request carries, so the page's own
 * source (recorded in the HAR too) holds none of them.
 */
const PAGE_SCRIPT = `
const s = JSON.parse(decodeURIComponent(location.hash.slice(1)));
history.replaceState(null, '', location.pathname);
document.cookie = 'sid=' + s.cookie + '; path=/';
const call = (url, init) => fetch(url, init).then((r) => r.text(), () => ''); // apps read error bodies
const back = encodeURIComponent(location.origin + '/callback');
(async () => {
  const bearer = { Authorization: 'Bearer ' + s.accessToken, Accept: 'application/json' };
  for (let i = 0; i < 3; i++) await call('/api/v1/users?limit=200', { headers: bearer });
  await call('/api/v1/users/me', { headers: { Authorization: 'SSWS ' + s.ssws, Accept: 'application/json' } });
  await fetch('/oauth2/default/v1/authorize?client_id=0oa4dr9kzkykPrLhq0g7&response_type=code&scope=openid%20profile'
    + '&redirect_uri=' + back + '&state=' + s.state + '&nonce=' + s.nonce + '&code_challenge=' + s.challenge
    + '&code_challenge_method=S256', { redirect: 'manual' });
  await call('/oauth2/default/v1/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: 'grant_type=authorization_code&client_id=0oa4dr9kzkykPrLhq0g7&client_secret=' + s.clientSecret
      + '&code=' + s.code + '&code_verifier=' + s.verifier + '&redirect_uri=' + back,
  });
  await call('/oauth2/default/v1/userinfo', { headers: bearer });
  document.title = 'session done';
})();`;

/**
 * Starts the mock with the sample routes and the page (`/app`).
 * @returns {Promise<{okta, ids, secrets: Record<string, string>, keep: string[], pageUrl: string}>}
 *   `secrets` by name (none may survive an export), `keep` the ids support needs.
 */
export async function startHarScenario() {
  const okta = await startMockOkta();
  const key = await issuerKey('RS256');
  const now = Math.floor(Date.now() / 1000);
  const accessToken = await key.sign({
    ver: 1,
    jti: `AT.${random(32)}`,
    iss: okta.issuer('default'),
    aud: 'api://default',
    iat: now - 600,
    exp: now + 3000,
    cid: '0oa4dr9kzkykPrLhq0g7',
    uid: '00u47ijy7sRLaeSdC0g7',
    scp: ['okta.users.read'],
    sub: 'jane.doe@example.com',
  });
  const secrets = {
    signature: accessToken.split('.')[2],
    ssws: sswsToken(),
    clientSecret: `secret${random(12)}`,
    verifier: `verifier${random(24)}`,
    cookie: `cookie${random(12)}`,
    state: `state${random(12)}`,
    nonce: `nonce${random(12)}`,
    code: `code${random(12)}`,
  };
  const ids = addSampleRoutes(okta, { code: secrets.code });
  const fragment = encodeURIComponent(JSON.stringify({ ...secrets, accessToken, challenge: random(32) }));
  okta.route('GET', /^\/app$/, () => ({
    status: 200,
    headers: { 'Content-Type': 'text/html; charset=utf-8' },
    body: `<!doctype html><title>app</title><script>${PAGE_SCRIPT}</script>`,
  }));
  return { okta, ids, secrets, accessToken, keep: [E0000047.errorId, E0000011.errorId], pageUrl: `${okta.origin}/app#${fragment}` };
}

/**
 * Runs the page in a fresh headless Chromium (no extension) recording a HAR with bodies, and
 * returns the HAR file's path once the browser wrote it.
 */
export async function recordHar(pageUrl, dir = mkdtempSync(join(tmpdir(), 'okta-medic-har-'))) {
  const path = join(dir, 'session.har');
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ recordHar: { path, content: 'embed' } });
    try {
      const page = await context.newPage();
      await page.goto(pageUrl);
      await page.waitForFunction(() => document.title === 'session done', null, { timeout: 15_000 });
    } finally {
      await context.close(); // writes the HAR
    }
  } finally {
    await browser.close();
  }
  return path;
}

/** Which seeded secrets `text` still holds, by name. */
export function leaks(text, secrets) {
  return Object.entries(secrets)
    .filter(([, value]) => text.includes(value))
    .map(([name]) => name);
}

export const readText = (path) => readFileSync(path, 'utf8');
