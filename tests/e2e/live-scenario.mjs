// The live-capture scenario both browsers' live specs run: a mock Okta (tests/mock-okta) serving
// HTTPS with a throwaway certificate, reached under two real Okta host names (dev-1234.okta.com,
// dev-5678.oktapreview.com) that the browser maps to the loopback mock, and the sample app
// (tests/sample-app) on http://localhost:PORT calling both. The app's credentials are fresh:
// an SSWS token and an org-authorization-server access token (okta.users.read only) signed with a
// fresh key, whose signature and SSWS value must never reach extension storage.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { issuerKey } from '../mock-okta/keys.mjs';
import { addFlowScenario } from '../mock-okta/flows.mjs';
import { addLiveScenario } from '../mock-okta/scenarios.mjs';
import { addSamlScenario } from '../mock-okta/saml.mjs';
import { startMockOkta } from '../mock-okta/server.mjs';
import { makeCertificate } from '../mock-okta/tls.mjs';
import { startSampleApp } from '../sample-app/server.mjs';

export const PRIMARY = 'dev-1234.okta.com';
export const SECONDARY = 'dev-5678.oktapreview.com';

/** The finding ids each button leads to (DESIGN.md § Finding ids). */
export const FINDINGS = Object.freeze({
  sswsInvalid: 'okta_error.E0000011', // needs the body
  scopeMissing: 'scope.missing', // from WWW-Authenticate, no body needed
  rateLimited: 'rate_limit.exceeded',
  userNotAssigned: 'oauth_error.access_denied', // from the /authorize redirect
  idxAuthFailed: 'okta_error.E0000004', // needs the body
  sswsFromPage: 'cors.api_token_in_browser', // needs the request's Origin (Chromium: extraHeaders)
  originNotTrusted: 'cors.origin_not_trusted', // the untrusted app's preflight (a bearer call: a Trusted Origin would fix it)
  endpointNotCors: 'cors.endpoint_not_cors_enabled', // a cookie call to /api/v1/org (any origin) or /api/v1/apps
  errorHidden: 'cors.error_hidden',
  redirectUriNotRegistered: 'flow.redirect_uri_not_registered', // /authorize answered 400: no sign-in started
  // The sign-in flows (tests/mock-okta/flows.mjs, the sample app's flow buttons):
  pkceMismatch: 'flow.pkce_mismatch',
  codeReused: 'flow.code_reused',
  stateMismatch: 'flow.state_mismatch',
  silentRenewNoSession: 'flow.silent_renew_no_session',
  thirdPartyCookiesBlocked: 'flow.third_party_cookies_blocked',
  refreshTokenReused: 'flow.refresh_token_reused',
  renewLoop: 'flow.renew_loop',
});

/** An SSWS API token shaped like Okta's (00 + 40 base64url characters), fresh per run. */
function sswsToken() {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let s = '00';
  for (const byte of globalThis.crypto.getRandomValues(new Uint8Array(40))) s += alphabet[byte % 64];
  return s;
}

export async function startLiveScenario() {
  const tls = makeCertificate([PRIMARY, SECONDARY]);
  const key = await issuerKey('RS256');
  const now = Math.floor(Date.now() / 1000);
  const bearer = await key.sign({
    ver: 1,
    jti: `AT.${Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(24))).toString('base64url')}`,
    iss: `https://${PRIMARY}`,
    aud: `https://${PRIMARY}`,
    iat: now - 120,
    exp: now + 3480,
    cid: '0oa1sampleapp0000h5d7',
    scp: ['okta.users.read'],
    sub: '0oa1sampleapp0000h5d7',
  });
  const tokens = { ssws: sswsToken(), bearer };
  // The app's origin is known only once it listens; CORS is checked per request, so start the
  // mock with a placeholder list and fill it in.
  const cors = [];
  const okta = await startMockOkta({ tls, cors });
  const sent = addLiveScenario(okta, { host: PRIMARY });
  const app = await startSampleApp({ okta: { primary: `https://${PRIMARY}`, secondary: `https://${SECONDARY}` }, tokens });
  cors.push(app.origin);
  // The sign-in flows of the app's second (SPA) client: its /callback and /renew are Sign-in
  // redirect URIs on both app origins; tokens signed with the scenario's key.
  const flows = addFlowScenario(okta, { sign: (claims) => key.sign(claims), callbackOrigins: () => [app.origin, untrusted.origin] });
  // The same app on a second port: another origin (http://localhost:PORT2, covered by the same
  // host permission as the app's), never added to the mock's CORS list: not a Trusted Origin.
  const untrusted = await startSampleApp({ okta: { primary: `https://${PRIMARY}`, secondary: `https://${SECONDARY}` }, tokens });
  // The Okta SAML apps (issue 17) whose Single sign-on URL is the app's ACS.
  const saml = addSamlScenario(okta, { spOrigin: () => app.origin });
  return {
    okta,
    app,
    untrusted,
    tokens,
    sent,
    flows,
    saml,
    /** The origins the mock's CORS allows (add another test page's origin to it). */
    cors,
    /** What must never be stored: the JWT's signature and the SSWS token. */
    secrets: [bearer.split('.')[2], tokens.ssws],
    async close() {
      await untrusted.close();
      await app.close();
      await okta.close();
    },
  };
}

/** Chromium: map both Okta host names to the mock's port (port 443 → the mock's port). */
export function chromiumHostRules(port) {
  return `--host-resolver-rules=MAP ${PRIMARY}:443 127.0.0.1:${port}, MAP ${SECONDARY}:443 127.0.0.1:${port}`;
}

/**
 * Firefox: the two Okta names resolve to the loopback (network.dns.localDomains) and connections
 * to port 443 go to the mock's port (network.socket.forcePort; the app itself is on
 * localhost:PORT, unaffected); the certificate is accepted through the WebDriver session's
 * acceptInsecureCerts. Measured with firefox-esr 153. (network.dns.forceResolve would also work,
 * but it sends Firefox's own background requests to the mock too.)
 */
export function firefoxNetworkPrefs(port) {
  return {
    'network.dns.localDomains': `${PRIMARY},${SECONDARY}`,
    'network.socket.forcePort': `443=${port}`,
  };
}

/** The finding ids of a tab's stored state (the background's `tab:<id>`), in its order. */
export const groupIds = (state) => (state?.digest?.groups ?? []).map((g) => g.id);
/** How many times the stored state's group `id` was seen (0: none). */
export const groupCount = (state, id) => state?.digest?.groups?.find((g) => g.id === id)?.count ?? 0;

/**
 * `waitFor(tabId, predicate, what, wait = timeout)`: reads the tab's stored state with `tabState`
 * every 100 ms until `predicate` holds, at most `wait` ms; fails naming `what`, the exchanges and
 * the groups (id, count) stored by then.
 */
export function tabWaiter(tabState, timeout = 15_000) {
  return async function waitFor(tabId, predicate, what, wait = timeout) {
    const deadline = Date.now() + wait;
    let state = await tabState(tabId);
    while (!predicate(state) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      state = await tabState(tabId);
    }
    const groups = (state?.digest?.groups ?? []).map((g) => [g.id, g.count]);
    assert.ok(predicate(state), `${what}: exchanges ${state?.digest?.exchanges}, stored groups ${JSON.stringify(groups)}`);
    return state;
  };
}

/** The JSON a test reads back from extension storage, as one string to search. */
export function storageText(value) {
  return JSON.stringify(value);
}

/** The built extension's manifest. */
export const manifestOf = (dir) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
