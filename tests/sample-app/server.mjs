// A small Okta-backed web app for the live-capture E2E tests and `./build.sh demo`, served on
// 127.0.0.1 (a free port) and opened as http://localhost:PORT. Its buttons call two Okta orgs
// (`okta.primary`, `okta.secondary`: real Okta host names the browser maps to the loopback mock)
// the way apps get it wrong: a bad SSWS token (401), a token without the scope (403), a rate-limited
// list (429), a bucket running low (200), a sign-in whose /authorize redirect comes back with
// user_not_assigned, an Identity Engine identify that fails (E0000004), and three calls that fail
// with a CORS error when the page is served from an origin that is not a Trusted Origin (a
// preflighted call, a simple 200, a simple 401; the live scenario runs a second instance on
// another port for that); and the sign-in flows of a second, working SPA client (public/flows.js:
// PKCE, a code redeemed twice, an email link finished in another tab, a silent renewal in a hidden
// iframe, refresh tokens used from two tabs, after rotation, and in a loop); and, as a SAML service
// provider of the mock Okta's SAML apps (./saml-sp.mjs, public/saml.js), SAML sign-ins that work
// or fail on one Okta app setting each. The credentials are
// the test's own throwaway values, handed to the page in /config.json.
//
//   const app = await startSampleApp({ okta: {primary, secondary}, tokens: {ssws, bearer} });
//   app.origin   // http://localhost:PORT
//   await app.close();
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FLOW_CLIENT } from '../mock-okta/flows.mjs';
import { SAML_APPS, SAML_APP_NAME } from '../mock-okta/saml.mjs';
import { createSamlSp } from './saml-sp.mjs';

const PUBLIC = join(dirname(fileURLToPath(import.meta.url)), 'public');
const FILES = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/callback': ['callback.html', 'text/html; charset=utf-8'],
  '/app.js': ['app.js', 'text/javascript; charset=utf-8'],
  '/callback.js': ['callback.js', 'text/javascript; charset=utf-8'],
  '/flows.js': ['flows.js', 'text/javascript; charset=utf-8'],
  '/renew': ['renew.html', 'text/html; charset=utf-8'],
  '/renew.js': ['renew.js', 'text/javascript; charset=utf-8'],
  '/saml.js': ['saml.js', 'text/javascript; charset=utf-8'],
};

export async function startSampleApp({ okta, tokens, port = 0 }) {
  const saml = { appName: SAML_APP_NAME, apps: SAML_APPS };
  const config = JSON.stringify({ okta, tokens, clientId: '0oa1sampleapp0000h5d7', flowClientId: FLOW_CLIENT, saml });
  let loads = 0;
  let origin = '';
  const sp = createSamlSp({ origin: () => origin, okta: okta.primary });
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const path = url.pathname;
    if (path.startsWith('/saml/')) {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        if (sp.handle(req, res, path, url.searchParams, Buffer.concat(chunks).toString('utf8'))) return;
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        res.end('not found\n');
      });
      return;
    }
    if (path === '/config.json') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(config);
      return;
    }
    const file = FILES[path];
    if (file?.[1].startsWith('text/html')) loads += 1;
    if (!file) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found\n');
      return;
    }
    res.writeHead(200, { 'Content-Type': file[1], 'Cache-Control': 'no-store' });
    res.end(readFileSync(join(PUBLIC, file[0])));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const actual = server.address().port;
  origin = `http://localhost:${actual}`;
  return {
    port: actual,
    origin,
    /** The SAML service provider: `log` of its AuthnRequests and ACS answers. */
    saml: sp,
    /** How many times an app page (index or callback HTML) was loaded. */
    loads: () => loads,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
