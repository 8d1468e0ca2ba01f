// What both browsers' SAML specs share (issue 17): the sample app's SAML buttons (tests/sample-app/
// public/saml.js, the SP in tests/sample-app/saml-sp.mjs) against the mock Okta's SAML apps
// (tests/mock-okta/saml.mjs) under the live scenario's real Okta host names; the finding each one
// leads to; a probe of what webRequest shows a listener of the form POST navigation to the app's
// ACS (field NAMES and value LENGTHS only, never a value); the seeded-secret search; and a HAR of
// the same sign-ins for the DevTools panel's sanitised exports. (Waiting for a tab's stored state
// is live-scenario.mjs's tabWaiter.)
// What stays in each spec is what its driver does (Playwright's pages, selenium's windows).
import assert from 'node:assert/strict';
import { PRIMARY } from './live-scenario.mjs';

export const TIMEOUT = 15_000;

/** Each variant: its button (or link), what the app's page says at the end, the finding on the tab. */
export const SAML = Object.freeze({
  idpInitiated: { id: 'saml-idp-initiated', result: 'Signed in as alex.doe@example.com.', finding: 'saml.response' },
  signIn: { id: 'saml-sign-in', result: 'Signed in as alex.doe@example.com.', finding: 'saml.response' },
  signInPost: { id: 'saml-sign-in-post', result: 'Signed in as alex.doe@example.com.', finding: 'saml.request' },
  audience: { id: 'saml-audience', result: /^SAML sign-in rejected: the Audience https:\/\/sample-app\.example\.com\/saml\/metadata is not this app's entity id/, finding: 'saml.audience_mismatch' },
  destination: { id: 'saml-destination', result: /^SAML sign-in rejected: the Response's Destination .*\/saml\/SSO is not this ACS/, finding: 'saml.destination_mismatch' },
  expired: { id: 'saml-expired', result: /^SAML sign-in rejected: the assertion expired at /, finding: 'saml.expired' },
  unsolicited: { id: 'saml-unsolicited', result: /^SAML sign-in rejected: an unsolicited \(IdP-initiated\) Response/, finding: 'saml.in_response_to_mismatch' },
  // Chromium gives a listener no body: the AuthnRequest answered 403 is what is seen; Firefox
  // reads Okta's page and the core names it.
  notAssigned: { id: 'saml-not-assigned', finding: 'saml.request', withBody: 'saml.okta_error_page' },
});

/**
 * The probe, installed in the extension's background (or an extension page): its own
 * onBeforeRequest listener for top-level and frame navigations, http and https, recording each
 * form body's field names and value lengths (what the README's measurement quotes).
 */
export const SAML_PROBE = `(() => {
  const api = globalThis.browser ?? globalThis.chrome;
  globalThis.samlProbe = [];
  const keep = (rec) => {
    if (!globalThis.document) return globalThis.samlProbe.push(rec);
    const root = document.documentElement;
    root.dataset.samlProbe = JSON.stringify([...JSON.parse(root.dataset.samlProbe ?? '[]'), rec]);
  };
  api.webRequest.onBeforeRequest.addListener((d) => {
    const form = d.requestBody?.formData ?? null;
    keep({ path: new URL(d.url).pathname, method: d.method, type: d.type, tabId: d.tabId,
      hasBody: Boolean(d.requestBody), raw: Array.isArray(d.requestBody?.raw),
      fields: form ? Object.keys(form) : null,
      lengths: form ? Object.fromEntries(Object.entries(form).map(([k, v]) => [k, String(v?.[0] ?? '').length])) : null });
  }, { urls: ['http://*/*', 'https://*/*'], types: ['main_frame', 'sub_frame'] }, ['requestBody']);
  return true;
})()`;

/** Reads the probe back in an extension page (Firefox). */
export const PAGE_SAML_PROBE = "return JSON.parse(document.documentElement.dataset.samlProbe ?? '[]');";

/**
 * A HAR 1.2 of SAML sign-ins as a browser records them (the AuthnRequest GET to Okta, Okta's POST
 * page, the form POST to the ACS): `signIns` = [{ssoUrl, acs, samlResponse, relayState, status}]
 * with the values the mock really issued, so the panel's exports can be searched for them.
 */
export function samlHar(signIns, startedAt = Date.now()) {
  const entry = (i, request, status, mime = 'text/html') => ({
    startedDateTime: new Date(startedAt + i * 1000).toISOString(),
    time: 12,
    request: { method: 'GET', httpVersion: 'HTTP/1.1', headers: [], queryString: [], cookies: [], headersSize: -1, bodySize: 0, ...request },
    response: { status, statusText: '', httpVersion: 'HTTP/1.1', headers: [{ name: 'Content-Type', value: mime }], cookies: [], content: { size: 0, mimeType: mime }, redirectURL: '', headersSize: -1, bodySize: 0 },
    cache: {},
    timings: { send: 0, wait: 10, receive: 2 },
  });
  const entries = signIns.flatMap((s, n) => {
    const form = `SAMLResponse=${encodeURIComponent(s.samlResponse)}&RelayState=${encodeURIComponent(s.relayState)}`;
    return [
      entry(3 * n, { url: s.ssoUrl, queryString: [...new URL(s.ssoUrl).searchParams].map(([name, value]) => ({ name, value })) }, 200),
      entry(3 * n + 1, {
        method: 'POST',
        url: s.acs,
        headers: [{ name: 'Content-Type', value: 'application/x-www-form-urlencoded' }],
        postData: { mimeType: 'application/x-www-form-urlencoded', text: form, params: [{ name: 'SAMLResponse', value: s.samlResponse }, { name: 'RelayState', value: s.relayState }] },
        bodySize: form.length,
      }, s.status),
    ];
  });
  return JSON.stringify({ log: { version: '1.2', creator: { name: 'okta-medic saml e2e', version: '1' }, pages: [], entries } });
}

/**
 * The values the mock seeded (Responses, signature values, attribute values), once the store's
 * write delay has passed, and `found(text, where)`, which fails when `text` holds one of them or
 * the middle of a Response (its base64 cut anywhere is still the Response).
 */
export async function seededSecrets(scenario) {
  await new Promise((r) => setTimeout(r, 600)); // the store's write delay
  const secrets = scenario.saml.secrets();
  assert.ok(secrets.length >= 18, `${secrets.length} secrets issued`);
  const found = (text, where) => {
    for (const secret of secrets) assert.equal(text.includes(secret), false, `${where} holds ${secret.slice(0, 12)}…`);
    for (const secret of secrets.filter((s) => s.length > 1000)) assert.equal(text.includes(secret.slice(400, 480)), false, `${where} holds part of a Response`);
  };
  return { secrets, found };
}

/**
 * The sign-ins the scenario ran, as samlHar takes them: the SSO URLs Okta received with the
 * Responses it issued, each posted to the app's ACS and refused (403).
 */
export function samlSignIns(scenario, secrets) {
  const ssoHits = scenario.okta.requests.filter((r) => /\/sso\/saml\?SAMLRequest=/.test(r.url));
  const responses = secrets.filter((s) => s.length > 1000);
  return responses.slice(0, ssoHits.length).map((samlResponse, i) => ({
    ssoUrl: `https://${PRIMARY}${ssoHits[i].url}`,
    acs: `${scenario.app.origin}/saml/acs`,
    samlResponse,
    relayState: '/after-login',
    status: 403,
  }));
}
