// lib/hosts.js (match patterns, custom domains, origins) and the two content scripts, which
// can't import it and carry their own match test: run in a node:vm sandbox with a fake window and
// extension API, the relay forwards only watched-host error bodies (the manifest's HTTPS host
// permissions plus custom domains), and the MAIN-world hook copies only error responses of the
// watched hosts, after the relay told it which, while the page still reads its own body.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import {
  customDomainPattern,
  matches,
  matchesAny,
  originPattern,
  parsePattern,
  patternHost,
  patternOrigin,
} from '../../extension/lib/hosts.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MANIFEST = JSON.parse(readFileSync(join(ROOT, 'extension', 'manifest.base.json'), 'utf8'));
const OKTA = MANIFEST.host_permissions;

const CASES = [
  ['https://*.okta.com/*', 'https://dev-1234.okta.com/api/v1/users', true],
  ['https://*.okta.com/*', 'https://okta.com/', true],
  ['https://*.okta.com/*', 'https://dev-1234.okta.com.evil.example/', false],
  ['https://*.okta.com/*', 'https://evilokta.com/', false],
  ['https://*.okta.com/*', 'http://dev-1234.okta.com/', false],
  ['https://*.okta.com/*', 'https://DEV-1.OKTA.COM:8443/x', true],
  ['https://login.example.com/*', 'https://login.example.com/oauth2/v1/token', true],
  ['https://login.example.com/*', 'https://a.login.example.com/', false],
  ['http://localhost/*', 'http://localhost:3000/cb', true],
  ['*://*/*', 'ftp://x/', false],
  ['junk', 'https://x/', false],
];

test('match patterns as the browsers read them', () => {
  for (const [pattern, url, expected] of CASES) assert.equal(matches(pattern, url), expected, `${pattern} ~ ${url}`);
  assert.equal(matches('https://*.okta.com/*', 'not a url'), false);
  assert.ok(matchesAny(OKTA, 'https://acme.okta-emea.com/api/v1/users/me'));
  assert.ok(matchesAny(OKTA, 'https://org.okta-gov.com/oauth2/v1/token'));
  assert.equal(matchesAny(OKTA, 'https://global.oktacdn.com/x.js'), false);
  assert.deepEqual(parsePattern('https://*.okta.com/*'), { scheme: 'https', host: '*.okta.com', path: '/*' });
});

test('custom domains: typed forms become one https pattern; anything else is refused', () => {
  for (const input of ['login.example.com', ' https://Login.Example.com/ ', 'https://login.example.com']) {
    assert.equal(customDomainPattern(input), 'https://login.example.com/*', input);
  }
  for (const input of ['', 'localhost', 'http://login.example.com', 'https://login.example.com:8443', 'https://login.example.com/path', 'https://u:p@login.example.com', '*.example.com', 'a b.com']) {
    assert.equal(customDomainPattern(input), null, input);
  }
  assert.equal(patternHost('https://login.example.com/*'), 'login.example.com');
});

test('origins ↔ patterns (ports dropped, as Firefox requires)', () => {
  assert.equal(originPattern('http://localhost:3000/app?x=1'), 'http://localhost/*');
  assert.equal(originPattern('chrome-extension://abc/popup.html'), null);
  assert.equal(originPattern('nonsense'), null);
  assert.equal(patternOrigin('http://localhost/*'), 'http://localhost');
});

/** A fake page window: message listeners, postMessage (delivered asynchronously), origin. */
function fakeWindow(extra = {}) {
  const listeners = [];
  const posted = [];
  const win = {
    location: { origin: 'http://localhost:3000', href: 'http://localhost:3000/' },
    addEventListener: (type, fn) => type === 'message' && listeners.push(fn),
    removeEventListener: (type, fn) => {
      const i = listeners.indexOf(fn);
      if (i >= 0) listeners.splice(i, 1);
    },
    postMessage(data, target) {
      posted.push({ data, target });
      setTimeout(() => {
        for (const fn of [...listeners]) fn({ source: win, data });
      }, 0);
    },
    ...extra,
  };
  return { win, posted, deliver: (data, source = win) => listeners.forEach((fn) => fn({ source, data })) };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

test('relay.js forwards only watched-host error bodies, and tells the hook the hosts', async () => {
  const { win, posted, deliver } = fakeWindow();
  const sent = [];
  const chrome = {
    runtime: { getManifest: () => ({ host_permissions: [...OKTA, 'http://127.0.0.1/*'] }), sendMessage: async (m) => sent.push(m) },
    storage: { local: { get: async () => ({ settings: { customDomains: ['https://login.example.com/*'] } }) } },
  };
  vm.runInNewContext(readFileSync(join(ROOT, 'extension', 'content', 'relay.js'), 'utf8'), { window: win, chrome, URL, Promise });
  await tick();
  const hosts = posted.find((p) => p.data['okta-medic'] === 'hosts');
  assert.deepEqual([...hosts.data.patterns], [...OKTA, 'https://login.example.com/*'], 'HTTPS host permissions + custom domains');
  assert.equal(hosts.target, 'http://localhost:3000');
  const body = (url, status = 401, extra = {}) => ({ 'okta-medic': 'body', url, status, method: 'GET', body: '{"errorCode":"E0000011"}', ...extra });
  deliver(body('https://dev-1.okta.com/api/v1/users/me'));
  deliver(body('https://login.example.com/oauth2/v1/token', 400));
  deliver(body('http://127.0.0.1:8080/api', 500)); // a test loopback origin is not Okta
  deliver(body('https://api.example.com/x', 500));
  deliver(body('https://dev-1.okta.com/api/v1/users', 200));
  deliver(body('https://dev-1.okta.com/api/v1/users', 401, { body: 42 }));
  deliver(body('https://dev-1.okta.com/api/v1/groups', 403), { other: 'frame' });
  deliver(body('https://dev-1.okta.com/big', 500, { body: 'x'.repeat(70_000) }));
  assert.deepEqual(sent.map((m) => m.url), ['https://dev-1.okta.com/api/v1/users/me', 'https://login.example.com/oauth2/v1/token', 'https://dev-1.okta.com/big']);
  assert.equal(sent[0].type, 'capture:body');
  assert.equal(sent[2].body.length, 64 * 1024);
});

test('page-hook.js copies error bodies of watched hosts only; the page reads its response untouched', async () => {
  const responses = {
    'https://dev-1.okta.com/api/v1/users/me': [401, '{"errorCode":"E0000011"}'],
    'https://dev-1.okta.com/api/v1/apps': [200, '[]'],
    'https://api.example.com/x': [500, 'app error'],
  };
  const fetch = async (url) => {
    const [status, text] = responses[url];
    const res = new Response(text, { status });
    Object.defineProperty(res, 'url', { value: url });
    return res;
  };
  const { win, posted } = fakeWindow({ fetch });
  vm.runInNewContext(readFileSync(join(ROOT, 'extension', 'content', 'page-hook.js'), 'utf8'), {
    window: win, Request, Response, URL, Promise, setTimeout, Object, Symbol, WeakMap, JSON, String,
  });
  const before = await win.fetch('https://dev-1.okta.com/api/v1/users/me');
  assert.equal(await before.text(), '{"errorCode":"E0000011"}', 'the page reads its own body');
  // The relay says which hosts to watch; a response that arrived earlier waits for it.
  win.postMessage({ 'okta-medic': 'hosts', patterns: ['https://*.okta.com/*'] }, 'http://localhost:3000');
  for (const url of Object.keys(responses)) assert.ok((await win.fetch(url)).status > 0);
  await tick();
  const bodies = posted.filter((p) => p.data['okta-medic'] === 'body').map((p) => [p.data.url, p.data.status, p.data.method, p.data.body]);
  assert.deepEqual(bodies, [
    ['https://dev-1.okta.com/api/v1/users/me', 401, 'GET', '{"errorCode":"E0000011"}'],
    ['https://dev-1.okta.com/api/v1/users/me', 401, 'GET', '{"errorCode":"E0000011"}'],
  ]);
  assert.ok(posted.every((p) => p.target === 'http://localhost:3000'));
});
