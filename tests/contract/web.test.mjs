// The offline page's core (dist/web/core.js, the classic script the page loads) gives the same
// reports as expected.json and the native CLI on every golden fixture, the same HAR session
// report and sanitised HAR as `okta-medic har`, and carries the extension's UI wasm byte for byte.
// The script runs in a fresh vm context holding only what a browser page has (no Node module,
// no require, no fetch), so a dependency on Node or on the network fails here. Run after ./build.sh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { crateVersion } from '../../tools/merge-manifest.mjs';
import { signedToken } from '../e2e/web-scenario.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const WEB = join(ROOT, 'dist', 'web');
const CLI = join(ROOT, 'target', 'release', 'okta-medic');
const FIXTURES = join(ROOT, 'tests', 'fixtures');
const DEFAULT_NOW = 1750000000;

for (const path of [join(WEB, 'core.js'), join(WEB, 'app.js'), join(WEB, 'index.html'), CLI]) {
  if (!existsSync(path)) throw new Error(`${path} missing: run ./build.sh first`);
}

const coreScript = readFileSync(join(WEB, 'core.js'), 'utf8');

/** dist/web/core.js run as a browser runs a classic script, in a context of its own. */
async function pageCore() {
  const context = vm.createContext({
    atob,
    WebAssembly,
    TextEncoder,
    TextDecoder,
    FinalizationRegistry,
    crypto: globalThis.crypto,
    Crypto,
    CryptoKey,
    SubtleCrypto,
    console,
    setTimeout,
  });
  vm.runInContext(coreScript, context, { filename: 'dist/web/core.js' });
  const api = context.OktaMedicCore;
  assert.ok(api, 'core.js leaves OktaMedicCore');
  await api.load();
  return api.compose();
}

const core = await pageCore();
const cases = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

test('the page embeds the extension UI module, byte for byte', () => {
  const inline = coreScript.match(/base64: "([A-Za-z0-9+/=]+)"/)?.[1];
  assert.ok(inline, 'no inline wasm in core.js');
  const ui = readFileSync(join(ROOT, 'extension', 'pkg', 'okta_medic_ui_bg.wasm'));
  assert.ok(Buffer.from(inline, 'base64').equals(ui), 'core.js wasm ≠ extension/pkg/okta_medic_ui_bg.wasm');
});

test('the page core reports the crate version, as the CLI does', () => {
  assert.equal(core.coreVersion(), crateVersion());
  assert.match(execFileSync(CLI, ['--version'], { encoding: 'utf8' }), new RegExp(`\\b${crateVersion().replaceAll('.', '\\.')}\\b`));
});

test('the page allows no connection and loads classic scripts of its own only', () => {
  const html = readFileSync(join(WEB, 'index.html'), 'utf8');
  const csp = html.match(/http-equiv="Content-Security-Policy"\s+content="([^"]+)"/)?.[1];
  assert.ok(csp, 'no CSP meta');
  const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v.join(' ')]));
  assert.equal(directives.get('default-src'), "'none'");
  assert.equal(directives.get('connect-src'), "'none'");
  assert.equal(directives.get('script-src'), "'self' 'wasm-unsafe-eval'");
  const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]);
  assert.deepEqual(scripts.map((a) => a.match(/src="([^"]+)"/)?.[1]), ['core.js', 'app.js']);
  assert.ok(scripts.every((a) => !/type="module"/.test(a)), 'a module script cannot load from file:// in Chrome');
  for (const file of ['core.js', 'app.js']) {
    const code = readFileSync(join(WEB, file), 'utf8')
      .split('\n')
      .filter((line) => !/^\s*(\*|\/\/|\/\*)/.test(line)); // JSDoc may say import('…')
    const modular = code.filter((line) => /\bimport\s*\(|^\s*(import|export)\s|import\.meta/.test(line));
    assert.deepEqual(modular, [], `${file} is not a classic script`);
  }
  // The UI module's glue imports fetch (the extension's consented online verification); the page
  // never calls it, and its CSP would refuse the request if it did.
  const app = readFileSync(join(WEB, 'app.js'), 'utf8');
  assert.doesNotMatch(app, /\bfetch\(|verifyOnline\(|XMLHttpRequest|WebSocket|sendBeacon/);
});

test('the page verifies a token with a JWKS file, with WebCrypto and no fetch', async () => {
  const now = Math.floor(Date.now() / 1000);
  const { token, jwks } = signedToken(now);
  const ids = (report) => report.findings.map((f) => f.id);
  assert.ok(ids(core.analyzeText(token, now)).includes('jwt.signature_not_checked'));
  const verified = await core.verifyWithJwks(token, now, jwks);
  assert.ok(ids(verified).includes('jwt.signature_valid'), ids(verified).join(', '));
  const other = signedToken(now);
  const refused = await core.verifyWithJwks(token, now, other.jwks);
  assert.ok(!ids(refused).includes('jwt.signature_valid'), 'another key verified the token');
});

test('there are golden fixtures', () => assert.ok(cases.length > 100));

for (const name of cases) {
  test(`fixture ${name}: page report = expected.json = CLI --json`, () => {
    const dir = join(FIXTURES, name);
    const inputPath = join(dir, 'input.txt');
    const nowPath = join(dir, 'now.txt');
    const now = existsSync(nowPath) ? Number(readFileSync(nowPath, 'utf8').trim()) : DEFAULT_NOW;
    const fromPage = JSON.parse(JSON.stringify(core.analyzeText(readFileSync(inputPath).toString('utf8'), now)));
    const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8'));
    assert.deepStrictEqual(fromPage, expected, 'page report differs from expected.json');
    const cli = JSON.parse(execFileSync(CLI, ['--json', '--now', String(now), inputPath], { encoding: 'utf8', maxBuffer: 256 << 20 }));
    assert.deepStrictEqual(fromPage, cli, 'page report differs from the CLI');
  });
}

for (const name of cases.filter((n) => n.startsWith('har-'))) {
  test(`${name}: the page's HAR session = okta-medic har; its sanitised HAR = har --redact`, () => {
    const file = join(FIXTURES, name, 'input.txt');
    const text = readFileSync(file, 'utf8');
    const id = core.sessionOpen();
    for (const entry of JSON.parse(text).log.entries) core.sessionAdd(id, entry);
    const report = JSON.parse(JSON.stringify(core.sessionReport(id)));
    core.sessionClose(id);
    assert.deepStrictEqual(report, JSON.parse(execFileSync(CLI, ['har', '--json', file], { encoding: 'utf8' })));
    const redacted = core.redactHar(text);
    assert.equal(redacted.error, undefined);
    assert.deepStrictEqual(JSON.parse(redacted.har), JSON.parse(execFileSync(CLI, ['har', '--redact', file], { encoding: 'utf8' })));
  });
}
