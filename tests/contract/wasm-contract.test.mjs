// Contract test: the BUILT wasm package (extension/pkg, what the extension ships) gives exactly
// the report the native CLI prints with --json, and the golden expected.json, by either route
// (showText, or analyzeText's data worded by explain), for every fixture
// in tests/fixtures/<case>/ (input.txt; optional now.txt; expected.json). Run after ./build.sh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exchangeArgs } from '../../extension/lib/exchange-args.js';
import { loadCore } from '../core.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PKG_JS = join(ROOT, 'extension', 'pkg', 'okta_medic.js');
const PKG_WASM = join(ROOT, 'extension', 'pkg', 'okta_medic_bg.wasm');
const CLI = join(ROOT, 'target', 'release', 'okta-medic');
const FIXTURES = join(ROOT, 'tests', 'fixtures');
const DEFAULT_NOW = 1750000000;

for (const [what, path] of [['wasm package', PKG_JS], ['wasm module', PKG_WASM], ['CLI', CLI]]) {
  if (!existsSync(path)) throw new Error(`${what} missing at ${path}: run ./build.sh first`);
}

const core = loadCore();

const cases = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

test('there are golden fixtures to compare', () => {
  assert.ok(cases.length > 0, `no fixture directories under ${FIXTURES}`);
});

test('coreVersion() equals the CLI --version', () => {
  const printed = execFileSync(CLI, ['--version'], { encoding: 'utf8' });
  const version = printed.match(/\d+\.\d+\.\d+\S*/)?.[0];
  assert.ok(version, `no version number in ${JSON.stringify(printed)}`);
  assert.equal(core.coreVersion(), version);
});

// A JWT in an input: the third segment is its signature, which no report may contain.
const JWT_SIGNATURE = /eyJ[\w-]+\.[\w-]*\.([\w-]{16,})/g;

test('no report contains the signature of a JWT in its input', () => {
  let checked = 0;
  for (const name of cases) {
    const dir = join(FIXTURES, name);
    const input = readFileSync(join(dir, 'input.txt')).toString('utf8');
    const report = readFileSync(join(dir, 'expected.json'), 'utf8');
    for (const [, signature] of input.matchAll(JWT_SIGNATURE)) {
      checked++;
      assert.ok(!report.includes(signature), `${name}: expected.json contains a JWT signature`);
    }
  }
  assert.ok(checked > 0, 'no fixture input holds a signed JWT, so nothing was checked');
});

for (const name of cases) {
  test(`fixture ${name}: wasm report = CLI --json report = expected.json`, () => {
    const dir = join(FIXTURES, name);
    const inputPath = join(dir, 'input.txt');
    const nowPath = join(dir, 'now.txt');
    const now = existsSync(nowPath) ? Number(readFileSync(nowPath, 'utf8').trim()) : DEFAULT_NOW;
    assert.ok(Number.isSafeInteger(now), `${nowPath} is not epoch seconds`);

    // Lossy UTF-8, like the CLI (invalid sequences become U+FFFD; a BOM is kept).
    const input = readFileSync(inputPath).toString('utf8');
    const fromWasm = core.analyzeText(input, now);

    const stdout = execFileSync(CLI, ['--json', '--now', String(now), inputPath], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    const fromCli = JSON.parse(stdout);
    const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8'));

    // The popup words pasted text in one call (showText); the data report worded by a second
    // call (analyzeText, then explain) is the same report.
    const twoCalls = core.ui.explain(core.ui.analyzeText(input, now), []);
    assert.deepStrictEqual(twoCalls, fromWasm, 'analyzeText + explain differs from showText');

    assert.deepStrictEqual(fromWasm, fromCli, 'wasm and CLI reports differ');
    assert.deepStrictEqual(fromWasm, expected, 'wasm report differs from expected.json');
  });
}

// The exchange enters as its fields (lib/exchange-args.js), as the service worker's foldCall
// hands it to liveFoldFields: as data, and shown in one call (custom domains: none).
const analyzeExchangeData = (exchange) => core.ui.analyzeExchangeFields(...exchangeArgs(exchange));
const showExchange = (exchange) => core.ui.showExchangeFields(...exchangeArgs(exchange), []);

test('an exchange shown in one call (showExchangeFields) = its data report worded (analyzeExchangeFields, explain)', () => {
  const at = DEFAULT_NOW * 1000;
  const headers = [
    { name: 'Content-Type', value: 'application/json' },
    { name: 'X-Rate-Limit-Limit', value: '600' }, { name: 'X-Rate-Limit-Remaining', value: '0' },
    { name: 'X-Rate-Limit-Reset', value: String(DEFAULT_NOW + 42) },
  ];
  const exchanges = [
    { observedAt: at, method: 'GET', url: 'https://dev-123456.okta.com/api/v1/users?limit=200', statusCode: 429,
      responseHeaders: headers,
      body: '{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests.","errorLink":"E0000047","errorId":"oaetdtoG383SIGVNZ0UKgtRug","errorCauses":[]}' },
    { observedAt: at, method: 'GET', url: 'https://dev-123456.okta.com/oauth2/default/v1/userinfo', statusCode: 401,
      responseHeaders: [{ name: 'WWW-Authenticate', value: 'Bearer error="invalid_token", error_description="The access token is invalid."' }] },
    { observedAt: at, url: 42 }, // unreadable: exchange.malformed, worded the same way
  ];
  for (const exchange of exchanges) {
    const shown = showExchange(exchange);
    assert.ok(shown.findings.length > 0 && shown.findings.every((f) => typeof f.title === 'string' && f.title !== ''));
    assert.deepStrictEqual(core.ui.explain(analyzeExchangeData(exchange), []), shown);
  }
});

test('an exchange with a field of the wrong type is exchange.malformed, naming the field, as data and shown', () => {
  const at = DEFAULT_NOW * 1000;
  const url = 'https://dev-123456.okta.com/api/v1/users';
  const cases = [
    [{ observedAt: 'yesterday', url }, 'observedAt: invalid type'],
    [{ observedAt: at, url: 42 }, 'url: invalid type'],
    [{ observedAt: at, url, method: true }, 'method: invalid type'],
    [{ observedAt: at, url, statusCode: 'four hundred' }, 'statusCode: invalid type'],
    [{ observedAt: at, url, statusCode: 70000 }, 'statusCode: invalid value 70000, expected u16'],
    [{ observedAt: at, url, requestHeaders: 7 }, 'requestHeaders: invalid type'],
    [{ observedAt: at, url, responseHeaders: [{ name: 'X-Rate-Limit-Limit', value: 600 }] }, 'responseHeaders: invalid type'],
    [{ observedAt: at, url, body: { errorCode: 'E0000047' } }, 'body: invalid type'],
    [{ observedAt: at, url, bodySource: 'disk' }, 'bodySource: unknown variant `disk`'],
    [{ observedAt: at, url, thirdParty: 'yes' }, 'thirdParty: invalid type'],
  ];
  for (const [exchange, reason] of cases) {
    const data = analyzeExchangeData(exchange);
    assert.deepEqual(data.findings.map((f) => [f.id, f.severity, f.params.reason]), [['exchange.malformed', 'warning', reason]], JSON.stringify(exchange));
    const shown = showExchange(exchange);
    assert.equal(shown.findings[0].id, 'exchange.malformed');
    assert.ok(shown.findings[0].detail.includes(reason), `${shown.findings[0].detail} names ${reason}`);
    assert.deepStrictEqual(core.ui.explain(data, []), shown);
  }
  // Two fields wrong at once: the reason names the first in reading order (exchangeArgs passes
  // each as undefined and sets its bit in `wrong`; wasm/fields.rs checks the bits in that order,
  // the status's range and the body source's name at their places among them), as the core read
  // each field out of JS before.
  const wrongs = [['observedAt', 'yesterday'], ['method', true], ['url', 42], ['statusCode', 70000],
    ['requestHeaders', 7], ['responseHeaders', [{ name: 'Date', value: 1 }]], ['body', {}], ['bodySource', 'disk'],
    ['type', 3], ['error', false], ['initiator', []], ['thirdParty', 'yes']];
  const alone = (name, value) => analyzeExchangeData({ ...(name === 'observedAt' ? {} : { observedAt: at }), url, [name]: value }).findings[0].params.reason;
  for (let i = 0; i < wrongs.length; i++) {
    for (let j = i + 1; j < wrongs.length; j++) {
      const [first, second] = [wrongs[i], wrongs[j]];
      const exchange = { observedAt: at, url, [first[0]]: first[1], [second[0]]: second[1] };
      const got = analyzeExchangeData(exchange).findings.map((f) => [f.id, f.params.reason]);
      assert.deepEqual(got, [['exchange.malformed', alone(...first)]], JSON.stringify(exchange));
    }
  }
  // A wrong-typed form (the rare fields, read by wasm/fields.rs form_fields) too.
  const form = analyzeExchangeData({ observedAt: at, url, requestForm: [{ name: 'code', value: 1 }] });
  assert.deepEqual(form.findings.map((f) => f.id), ['exchange.malformed']);
  assert.match(form.findings[0].params.reason, /invalid type/);
  // …read by hand since the eighth size pass (wasm/fields.rs form_fields): each list and its
  // members as serde-wasm-bindgen read them, a wrong type naming the list.
  const reason = (extra) => analyzeExchangeData({ observedAt: at, url, ...extra }).findings.find((f) => f.id === 'exchange.malformed')?.params.reason;
  for (const [extra, want] of [
    [{ requestForm: [{ name: 'code', value: 1 }] }, 'requestForm: invalid type'],
    [{ requestForm: { name: 'code', value: 'x' } }, 'requestForm: invalid type'],
    [{ requestForm: ['code'] }, 'requestForm: invalid type'],
    [{ requestForm: null }, 'requestForm: invalid type'],
    [{ requestFormOmitted: [{ name: 'SAMLResponse', length: -1 }] }, 'requestFormOmitted: invalid type'],
    [{ requestFormOmitted: [{ name: 'SAMLResponse', length: 1.5 }] }, 'requestFormOmitted: invalid type'],
    [{ requestFormOmitted: [{ name: 'SAMLResponse', length: '9' }] }, 'requestFormOmitted: invalid type'],
    [{ requestForm: [{ name: 'code' }, {}], requestFormOmitted: [{ name: 'SAMLResponse', length: 70000 }, {}] }, undefined],
    [{ requestForm: [] }, undefined],
  ]) {
    assert.equal(reason(extra), want, JSON.stringify(extra));
  }
});

// Every golden exchange (an input.txt that is one webRequest-shaped object) through the
// field-wise exports: the findings the paste of the same object gives (expected.json), and the
// shown report = the data report worded.
test('golden exchanges read as fields give the findings of their pasted report', () => {
  let checked = 0;
  for (const name of cases) {
    let exchange;
    try {
      exchange = JSON.parse(readFileSync(join(FIXTURES, name, 'input.txt'), 'utf8'));
    } catch {
      continue;
    }
    if (exchange === null || typeof exchange !== 'object' || !Array.isArray(exchange.responseHeaders)) continue;
    const expected = JSON.parse(readFileSync(join(FIXTURES, name, 'expected.json'), 'utf8'));
    const shown = showExchange(exchange);
    const ids = (r) => r.findings.map((f) => `${f.id} ${f.severity}`);
    assert.deepEqual(ids(shown), ids(expected), name);
    assert.equal(shown.input.kind, expected.input.kind, name);
    assert.deepStrictEqual(core.ui.explain(analyzeExchangeData(exchange), []), shown, name);
    checked++;
  }
  assert.ok(checked >= 20, `only ${checked} golden exchanges`);
});
