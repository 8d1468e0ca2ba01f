// Shared set-up of the hardening E2E specs (hardening-chromium.spec.mjs, hardening-firefox.spec.mjs):
// one scripted session per browser against loopback servers only.
//
//   live    the live-capture scenario (live-scenario.mjs): mock Okta over TLS under
//           dev-1234.okta.com / dev-5678.oktapreview.com, the sample app on http://localhost:PORT
//   verify  the signature-verification scenario (okta-scenario.mjs): a second mock Okta on
//           http://127.0.0.1:PORT publishing the keys of the tokens the user pastes (the only
//           issuer the user consents to)
//   storm   the storm page (storm-page.mjs) on its own origin (http://localhost:PORT2), firing N
//           fetches at a mock Okta in its own thread (storm-okta.mjs) under the real host name
//           dev-9012.okta.com (half 429 E0000047 with X-Rate-Limit-*, half 401 E0000011)
//   sentinel a loopback HTTP server whose name (sentinel.okta-medic.test) appears in the pasted
//           token's claims: no one may ever contact it; it logs whatever reaches it
//
// Also the Chromium launch with the session's host mapping (Firefox specs launch through
// firefox-session.mjs).
import http from 'node:http';
import { issuerKey } from '../mock-okta/keys.mjs';
import { startScenario } from './okta-scenario.mjs';
import { makeCertificate } from '../mock-okta/tls.mjs';
import { chromiumHostRules, startLiveScenario } from './live-scenario.mjs';
import { startStormOkta } from './storm-okta.mjs';
import { startStormPage } from './storm-page.mjs';

export const TIMEOUT = 15_000;
/** README "Limits": a tab's entry in storage.session stays under this, whatever the traffic. */
export const TAB_STATE_BOUND = 512 * 1024;
export const SENTINEL = 'sentinel.okta-medic.test';
/** The org the storm page calls (a real Okta host name, served by storm-okta.mjs in its own thread). */
export const STORM_HOST = 'dev-9012.okta.com';

async function listen(server) {
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return server.address().port;
}

const closer = (server) => () =>
  new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

/** Starts every server of the session. */
export async function startHardeningScenario() {
  const live = await startLiveScenario();
  const verify = await startScenario();
  const storm = await startStormPage();
  const stormOrigin = storm.origin;
  // The storm page's origin may read the mock's answers (CORS), as the app's may.
  live.cors.push(stormOrigin);
  const stormOkta = await startStormOkta({ tls: makeCertificate([STORM_HOST]), cors: [stormOrigin], host: STORM_HOST });
  const sentinelLog = [];
  const sentinel = http.createServer((req, res) => {
    sentinelLog.push({ method: req.method, url: req.url, host: req.headers.host, at: Date.now() });
    res.writeHead(404);
    res.end();
  });
  const sentinelPort = await listen(sentinel);
  return {
    live,
    verify,
    storm: { origin: stormOrigin, url: storm.url, okta: `https://${STORM_HOST}`, mock: stormOkta },
    sentinel: { port: sentinelPort, origin: `http://${SENTINEL}:${sentinelPort}`, requests: sentinelLog, close: closer(sentinel) },
    async close() {
      await Promise.all([live.close(), verify.okta.close(), stormOkta.close(), storm.close(), closer(sentinel)()]);
    },
  };
}

/**
 * An Okta-shaped access token whose issuer is the sentinel (an org the user never consented to):
 * pasting it must not make anyone contact that host.
 */
export async function sentinelToken(scenario, now = Math.floor(Date.now() / 1000)) {
  const key = await issuerKey('RS256');
  const iss = `${scenario.sentinel.origin}/oauth2/default`;
  return key.sign({ ver: 1, jti: 'AT.sentinel0000000000000000000000000000000000', iss, aud: 'api://default', iat: now - 60, exp: now + 3000, cid: '0oa4dr9kzkykPrLhq0g7', scp: ['openid'], sub: 'sentinel@example.com' });
}

/** Median of numbers. */
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// ---------------------------------------------------------------------------------------------
// Chromium

/**
 * Launches Chromium (playwright-core) with one unpacked extension, the Okta host names mapped to
 * the TLS mock and the sentinel's name to the sentinel. Resolves with the context, the extension
 * id and `close()`.
 */
export async function launchChromium(extensionDir, scenario, { viewport = { width: 900, height: 900 } } = {}) {
  // Imported here, not at the top: the Firefox spec shares this file and needs no Playwright.
  const { openChromium } = await import('./browsers.mjs');
  const rules = `${chromiumHostRules(scenario.live.okta.port)}, MAP ${STORM_HOST}:443 127.0.0.1:${scenario.storm.mock.port}, MAP ${SENTINEL} 127.0.0.1:${scenario.sentinel.port}`;
  const { context, extensionId, close } = await openChromium(extensionDir, {
    name: 'hardening',
    locale: 'en-US',
    viewport,
    acceptDownloads: true,
    args: [rules, '--ignore-certificate-errors'],
  });
  return { context, extensionId, close };
}
