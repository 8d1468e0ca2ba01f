// What the offline page's E2E specs (web-chromium.spec.mjs, web-firefox.spec.mjs) do and expect:
// the page opened from the file system (file:///…/dist/web/index.html), a signed token pasted
// and verified with a JWKS file, an Okta error body pasted, a HAR fixture with a broken sign-in
// dropped, its sanitised HAR exported; and a loopback server standing in for every host the
// inputs name, so that a request leaving the page would be counted.
import { generateKeyPairSync, sign } from 'node:crypto';
import { createServer } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const WEB_INDEX = join(ROOT, 'dist', 'web', 'index.html');
if (!existsSync(WEB_INDEX)) throw new Error(`${WEB_INDEX} missing: run ./build.sh`);
export const WEB_URL = pathToFileURL(WEB_INDEX).href;
export const TIMEOUT = 20_000;

/** The hosts named in `texts` (URLs in tokens, bodies, HAR entries). */
export function hostsIn(...texts) {
  const hosts = new Set();
  for (const text of texts) for (const [, host] of text.matchAll(/https?:\/\/([a-z0-9.-]+)/gi)) hosts.add(host.toLowerCase());
  return hosts;
}

/**
 * The counter's hits for a host the page could have learnt from its inputs. The browser's own
 * background traffic (Chromium's component updater, Firefox's remote settings) reaches the
 * counter too and is no request of the page's.
 */
export function pageHits(hits, hosts) {
  return hits.filter((hit) => [...hosts, '127.0.0.1'].some((host) => hit.split(' ')[1]?.toLowerCase().startsWith(host)));
}

/** A loopback HTTP server (and CONNECT proxy) recording every request it is sent. */
export async function startCounter() {
  const hits = [];
  const server = createServer((req, res) => {
    hits.push(`${req.method} ${req.headers.host ?? ''}${req.url}`);
    res.writeHead(404, { 'content-type': 'text/plain' }).end('counted');
  });
  server.on('connect', (req, socket) => {
    hits.push(`CONNECT ${req.url}`);
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: server.address().port, hits, close: () => new Promise((resolve) => server.close(resolve)) };
}

const b64url = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** An RS256 Okta access token signed by a fresh key, and the JWKS (a file's text) holding it. */
export function signedToken(now = Math.floor(Date.now() / 1000)) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = 'web-e2e-key';
  const header = { kid, alg: 'RS256' };
  const claims = {
    ver: 1,
    jti: 'AT.webE2E0123456789abcdefghijklmnopqrstuvwxyz',
    iss: 'https://dev-123456.okta.com/oauth2/default',
    aud: 'api://default',
    iat: now - 60,
    exp: now + 3600,
    cid: '0oa1b2c3d4e5f6g7h8i9',
    uid: '00u1a2b3c4d5e6f7g8h9',
    scp: ['openid', 'profile'],
    sub: 'jane.doe@example.com',
  };
  const input = `${b64url(header)}.${b64url(claims)}`;
  const signature = sign('sha256', Buffer.from(input), privateKey).toString('base64url');
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  return { token: `${input}.${signature}`, signature, jwks: JSON.stringify({ keys: [jwk] }) };
}

/** Okta's answer to a revoked or unknown API token (okta.md, E0000011). */
export const ERROR_BODY = JSON.stringify({
  errorCode: 'E0000011',
  errorSummary: 'Invalid token provided',
  errorLink: 'E0000011',
  errorId: 'oaeWebE2E0123456789',
  errorCauses: [],
});

/** The HAR the page gets dropped: a sign-in whose state does not round-trip, with its secrets. */
export function harFixture() {
  const dir = join(ROOT, 'tests', 'fixtures', 'flow-har-state-mismatch');
  return {
    name: 'flow-har-state-mismatch.har',
    text: readFileSync(join(dir, 'input.txt'), 'utf8'),
    secrets: readFileSync(join(dir, 'secrets.txt'), 'utf8').split('\n').filter(Boolean),
    flowFinding: 'flow.state_mismatch',
  };
}

/** What a person must see. */
export const EXPECT = Object.freeze({
  token: ['jwt.okta_access_token', 'jwt.signature_not_checked'],
  verified: 'jwt.signature_valid',
  error: 'okta_error.E0000011',
});

/** Page script: drops a file holding `text` on the document, as a file dragged from the desktop. */
export const DROP_SCRIPT = `
  const [name, text] = arguments;
  const data = new DataTransfer();
  data.items.add(new File([text], name, { type: 'application/json' }));
  for (const type of ['dragover', 'drop']) {
    document.body.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
  }`;

/** Page script: what the page itself fetched (Resource Timing) besides its own files. */
export const FOREIGN_RESOURCES_SCRIPT = `
  return performance.getEntriesByType('resource').map((e) => e.name).filter((n) => !n.startsWith(location.href.replace(/[^/]*$/, '')));`;

/** Page script: tries a fetch to `url`; answers whether the CSP refused it ('refused') or not. */
export const PROBE_FETCH_SCRIPT = `
  const url = arguments[0];
  let violated = false;
  document.addEventListener('securitypolicyviolation', () => { violated = true; }, { once: true });
  return fetch(url).then(() => 'sent', () => new Promise((r) => setTimeout(r, 100)).then(() => (violated ? 'refused' : 'failed')));`;
