// lib/hosts.js (match patterns, custom domains, origins) and the two content scripts, which
// can't import it and carry their own match test: run in a node:vm sandbox with a fake window and
// extension API, the MAIN-world hook hands the relay a private port (the page never hears it),
// posts every error body over it, and the relay forwards only watched-host ones (the manifest's
// HTTPS host permissions plus custom domains, which the page is never told); window messages
// from the page are never read as bodies; the wrappers keep name, length and native source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import {
  customDomainPattern,
  MATCHER_MEMORY,
  matcher,
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

test('matcher: the answers of matchesAny, each URL parsed once and remembered, within a bound', () => {
  for (const [pattern, url, expected] of CASES) {
    const m = matcher([pattern]);
    assert.equal(m(url), expected, `${pattern} ~ ${url}`);
    assert.equal(m(url), expected, `${pattern} ~ ${url} (remembered)`);
  }
  const okta = matcher(OKTA);
  const urls = ['https://acme.okta-emea.com/api/v1/users/me', 'https://org.okta-gov.com/oauth2/v1/token', 'https://global.oktacdn.com/x.js', 'http://localhost:3000', 'not a url', undefined];
  for (const url of urls) assert.equal(okta(url), matchesAny(OKTA, url), String(url));
  assert.equal(matcher([])('https://dev-1.okta.com/'), false);
  // The memory is bounded: URLs past it are still answered right (parsed again).
  const many = Array.from({ length: MATCHER_MEMORY * 3 }, (_, i) => `https://org${i}.${i % 2 ? 'okta.com' : 'example.com'}/x`);
  for (const url of [...many, ...many]) assert.equal(okta(url), matchesAny(OKTA, url), url);
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

/**
 * A fake page window: message listeners (capture-phase ones first, as at the target since the
 * 2021 DOM change; stopImmediatePropagation honoured), postMessage delivered asynchronously with
 * its transferred ports, origin. `posted` records every window message; `transferred` every port.
 */
function fakeWindow(extra = {}) {
  const listeners = [];
  const posted = [];
  const transferred = [];
  const win = {
    location: { origin: 'http://localhost:3000', href: 'http://localhost:3000/' },
    addEventListener: (type, fn, capture = false) => type === 'message' && listeners.push({ fn, capture: capture === true || capture?.capture === true }),
    removeEventListener: (type, fn, capture = false) => {
      const i = listeners.findIndex((l) => l.fn === fn && l.capture === (capture === true || capture?.capture === true));
      if (i >= 0) listeners.splice(i, 1);
    },
    postMessage(data, target, transfer = []) {
      posted.push({ data, target });
      transferred.push(...transfer);
      setTimeout(() => {
        let stopped = false;
        const event = { source: win, data, ports: [...transfer], stopImmediatePropagation: () => (stopped = true) };
        const order = [...listeners.filter((l) => l.capture), ...listeners.filter((l) => !l.capture)];
        for (const { fn } of order) {
          if (stopped) break;
          fn(event);
        }
      }, 0);
    },
    ...extra,
  };
  return { win, posted, transferred };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

const HOOK = readFileSync(join(ROOT, 'extension', 'content', 'page-hook.js'), 'utf8');
const RELAY = readFileSync(join(ROOT, 'extension', 'content', 'relay.js'), 'utf8');

/** A page with the hook (MAIN world) and the relay (its own world), as registered at document_start. */
function pageWithCapture({ fetch, customDomains = ['https://login.example.com/*'] }) {
  const page = fakeWindow({ fetch });
  const sent = [];
  const chrome = {
    runtime: { getManifest: () => ({ host_permissions: [...OKTA, 'http://127.0.0.1/*'] }), sendMessage: async (m) => sent.push(m) },
    storage: { local: { get: async () => ({ settings: { customDomains } }) } },
  };
  const main = vm.createContext({ window: page.win, Request, Response: UrlResponse, MessageChannel, MessagePort, URL });
  vm.runInContext(HOOK, main);
  vm.runInNewContext(RELAY, { window: page.win, chrome, URL, Promise });
  // The page's own scripts run after both (document_start) and listen to every message.
  const heard = [];
  page.win.addEventListener('message', (e) => heard.push(e), true);
  page.win.addEventListener('message', (e) => heard.push(e));
  return { ...page, sent, heard, main, close: () => page.transferred.forEach((p) => p.close()) };
}

/** A Response whose `url` (read-only in the platform, set by fetch) is given. */
class UrlResponse extends Response {
  #url;
  constructor(body, init, url) {
    super(body, init);
    this.#url = url;
  }

  get url() {
    return this.#url;
  }
}

/** A fetch whose responses are `responses[url] = [status, text]`. */
const fakeFetch = (responses) => async (url) => {
  const [status, text] = responses[url];
  return new UrlResponse(text, { status }, url);
};

test('hook + relay: bodies go over a private port; the relay forwards watched-host error bodies only; the page hears and is told nothing', async () => {
  const responses = {
    'https://dev-1.okta.com/api/v1/users/me': [401, '{"errorCode":"E0000011"}'],
    'https://login.example.com/oauth2/v1/token': [400, '{"error":"invalid_grant"}'],
    'https://dev-1.okta.com/api/v1/apps': [200, '[]'],
    'https://api.example.com/x': [500, 'app error'],
    'http://127.0.0.1:8080/api': [500, 'a test loopback origin is not Okta'],
    'https://dev-1.okta.com/big': [500, 'x'.repeat(70_000)],
  };
  const page = pageWithCapture({ fetch: fakeFetch(responses) });
  try {
    await tick();
    assert.deepEqual(page.heard, [], 'the page never sees the hook hand its port to the relay');
    const first = await page.win.fetch('https://dev-1.okta.com/api/v1/users/me');
    assert.equal(await first.text(), '{"errorCode":"E0000011"}', 'the page reads its own body');
    for (const url of Object.keys(responses).slice(1)) assert.ok((await page.win.fetch(url)).status > 0);
    // Forgeries through window messages, in the old format and the port's: never read as bodies.
    const forged = { url: 'https://dev-1.okta.com/api/v1/users/me', status: 401, method: 'GET', body: '{"errorCode":"E0000004"}' };
    page.win.postMessage({ 'okta-medic': 'body', ...forged }, 'http://localhost:3000');
    page.win.postMessage(forged, 'http://localhost:3000');
    const fake = new MessageChannel();
    page.win.postMessage({ 'okta-medic': 'port' }, 'http://localhost:3000', [fake.port2]);
    fake.port1.postMessage(forged);
    await tick();
    await tick();
    fake.port1.close();
    assert.deepEqual(
      page.sent.map((m) => [m.type, m.url, m.status, m.method, m.body.length]),
      [
        ['capture:body', 'https://dev-1.okta.com/api/v1/users/me', 401, 'GET', 24],
        ['capture:body', 'https://login.example.com/oauth2/v1/token', 400, 'GET', 25],
        ['capture:body', 'https://dev-1.okta.com/big', 500, 'GET', 64 * 1024],
      ],
    );
    // What the page heard: its own three messages, nothing from the extension.
    const heardData = page.heard.map((e) => e.data);
    assert.equal(heardData.length, 6, 'each of the page\'s messages reached both its listeners');
    assert.ok(!JSON.stringify(heardData).includes('okta.com/*') && !JSON.stringify(heardData).includes('login.example.com/*'));
    const fromExtension = page.posted.filter((p) => !heardData.includes(p.data));
    assert.deepEqual(fromExtension.map((p) => Object.keys(p.data)), [['okta-medic']], 'one window message: the port');
  } finally {
    page.close();
  }
});

test('page-hook.js: fetch and XHR methods as the browser normalises them; the wrappers look native and add no global', async () => {
  const calls = [];
  const fetch = async function fetch(input, init) {
    calls.push(init?.method);
    return new UrlResponse('{"errorCode":"E0000011"}', { status: 401 }, typeof input === 'string' ? input : input.url);
  };
  const before = fakeWindow({ fetch });
  const keys = Reflect.ownKeys(before.win);
  const page = pageWithCapture({ fetch });
  try {
    await tick();
    const url = 'https://dev-1.okta.com/api/v1/users/me';
    await page.win.fetch(url, { method: 'post' });
    await page.win.fetch(url, { method: 'patch' });
    await page.win.fetch(new Request(url, { method: 'DELETE' }));
    await tick();
    assert.deepEqual(page.sent.map((m) => m.method), ['POST', 'patch', 'DELETE']);
    assert.deepEqual(calls, ['post', 'patch', undefined], 'the page\'s arguments reach fetch untouched');
    // Same own keys as a window without the hook (fetch replaced in place), no Symbol.
    assert.deepEqual(Reflect.ownKeys(page.win), keys);
    assert.equal(page.win.fetch.name, 'fetch');
    assert.equal(page.win.fetch.length, fetch.length);
    // (String(fetch) goes through the fake fetch's own realm here; the Chromium E2E checks it.)
    const shown = vm.runInContext('[Function.prototype.toString.call(window.fetch), Function.prototype.toString.toString()]', page.main);
    assert.deepEqual([...shown], [Function.prototype.toString.call(fetch), 'function toString() { [native code] }']);
    // An error thrown through a wrapper carries no frame of the hook.
    const stack = vm.runInContext('try { Function.prototype.toString.call({}) } catch (e) { e.stack }', page.main);
    assert.match(stack, /TypeError/);
    assert.doesNotMatch(stack, /apply_|around|disguise/);
  } finally {
    page.close();
  }
});
