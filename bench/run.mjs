// ./build.sh bench: what Okta Medic costs, measured side by side with what people use instead.
// Prints one table and writes bench/results.json. Not a test: it reports numbers, asserts none.
//
//   1. decode one 850-byte Okta access token: analyzeText (decode + every annotation) vs jose's
//      decodeJwt + decodeProtectedHeader vs jwt-decode — µs/op, median of batches, ratio to jose
//   2. analyzeExchange on a 429 with rate-limit headers and an E0000047 body — exchanges/s; and
//      live capture's fold of one response into a tab of 10,000 (liveFold), and the badge of it
//   3. sizes: wasm raw and gzipped, each browser package
//   4. popup open → first finding rendered, headless Chromium, median of 20 opens
//   5. a request storm on one tab (bench/storm.mjs): a page firing 3,000 fetches at a loopback
//      mock Okta, with no extension, with a SAML-tracer-shaped observer, with Okta Medic —
//      requests/s, median of 3 interleaved runs, each extension shown to have seen every request
import { readFileSync, statSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir, cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { jwtDecode } from 'jwt-decode';
import { chromium } from 'playwright-core';
import { COUNTERS, stormBench } from './storm.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PKG = join(ROOT, 'extension', 'pkg');
const core = await import(join(PKG, 'okta_medic.js'));
core.initSync({ module: readFileSync(join(PKG, 'okta_medic_bg.wasm')) });
const NOW = 1750000000;

const b64 = (v) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

/** An Okta access token of exactly `size` bytes: Okta's claims, an RS256-sized signature. */
function oktaToken(size) {
  const header = { kid: 'pEFjpqAosDpYz7lIYlAXpaKND4Kmh5aCIcMnB8llK1E', alg: 'RS256' };
  const claims = {
    ver: 1, jti: 'AT.kXQiGndvnMxtAnxc8Tfb7yKdY8JRL4c2YQP_UXIGOtg', iss: 'https://dev-123456.okta.com/oauth2/default',
    aud: 'api://default', iat: NOW - 600, exp: NOW + 3000, cid: '0oa4dr9kzkykPrLhq0g7', uid: '00u3p97x5mnrXhsiN0g7',
    scp: ['openid', 'email'], sub: '@example.com',
  };
  const signature = Buffer.alloc(256, 7).toString('base64url'); // a 2048-bit RSA signature's length
  const build = () => `${b64(header)}.${b64(claims)}.${signature}`;
  while (build().length < size) claims.sub = `x${claims.sub}`;
  const token = build();
  if (token.length !== size) throw new Error(`token is ${token.length} bytes, wanted ${size}`);
  return token;
}

/** µs per op: the median over `batches` batches of `n` calls each (after a warm-up). */
function measure(fn, { n = 2000, batches = 25 } = {}) {
  for (let i = 0; i < n; i++) fn();
  const per = [];
  for (let b = 0; b < batches; b++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    per.push(Number(process.hrtime.bigint() - t0) / 1000 / n);
  }
  per.sort((a, b) => a - b);
  return per[Math.floor(per.length / 2)];
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// 1. Decoding one token.
const token = oktaToken(850);
let sink = 0;
const okta = measure(() => { sink += core.analyzeText(token, NOW).findings.length; });
const jose = measure(() => { sink += decodeJwt(token).ver + decodeProtectedHeader(token).alg.length; });
const jwtd = measure(() => { sink += jwtDecode(token).ver + jwtDecode(token, { header: true }).alg.length; });
// What crossing the boundary alone costs: a report is one JSON string parsed into an object.
const reportJson = JSON.stringify(core.analyzeText(token, NOW));
const parseUs = measure(() => { sink += JSON.parse(reportJson).findings.length; });

// 2. Exchanges per second.
const exchange = {
  observedAt: NOW * 1000, method: 'GET', url: 'https://dev-123456.okta.com/api/v1/users?limit=200', statusCode: 429,
  requestHeaders: [{ name: 'Accept', value: 'application/json' }],
  responseHeaders: [
    { name: 'Date', value: new Date(NOW * 1000).toUTCString() }, { name: 'Content-Type', value: 'application/json' },
    { name: 'X-Rate-Limit-Limit', value: '600' }, { name: 'X-Rate-Limit-Remaining', value: '0' },
    { name: 'X-Rate-Limit-Reset', value: String(NOW + 42) }, { name: 'X-Okta-Request-Id', value: 'reqVy8wsvmBQN27h4soUE3ZEnA' },
  ],
  body: '{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests.","errorLink":"E0000047","errorId":"oaetdtoG383SIGVNZ0UKgtRug","errorCauses":[]}',
};
const exchangeUs = measure(() => { sink += core.analyzeExchange(exchange).findings.length; }, { n: 500, batches: 15 });

// 2b. Live capture's fold of one response into a tab that already holds 10,000 (a storm's: half
// 429 E0000047, half 401 E0000011) in the wasm-resident tab (liveFold), and its badge (liveBadge).
const e11 = '{"errorCode":"E0000011","errorSummary":"Invalid token provided","errorLink":"E0000011","errorId":"oae6nt1xXA2SmSjkYK4cL1-tA","errorCauses":[]}';
let stormAt = NOW * 1000;
const stormExchange = (i) => {
  stormAt += 1;
  return i % 2 === 0
    ? { ...exchange, observedAt: stormAt }
    : { ...exchange, observedAt: stormAt, url: 'https://dev-123456.okta.com/api/v1/users/me', statusCode: 401, body: e11 };
};
const TAB = 1;
for (let i = 0; i < 10000; i++) core.liveFold(TAB, stormExchange(i));
let folds = 0;
const liveFoldUs = measure(() => { core.liveFold(TAB, stormExchange(folds++)); }, { n: 200, batches: 15 });
const badgeUs = measure(() => { sink += core.liveBadge(TAB, stormAt).count; }, { n: 200, batches: 15 });
sink += core.liveSnapshot(TAB).digest.exchanges;
core.liveForget(TAB);

// 3. Sizes.
const wasm = readFileSync(join(PKG, 'okta_medic_bg.wasm'));
const size = (p) => { try { return statSync(join(ROOT, p)).size; } catch { return null; } };
const sizes = {
  wasmRaw: wasm.length,
  wasmGzip: gzipSync(wasm, { level: 9 }).length,
  chromeZip: size('dist/okta-medic-chrome.zip'),
  firefoxZip: size('dist/okta-medic-firefox.zip'),
};

// 4 needs the browser (5 is in storm.mjs).
const CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic'];

async function withBrowser(extension, fn) {
  const dir = mkdtempSync(join(tmpdir(), 'okta-medic-bench-'));
  const args = extension
    ? [...CHROMIUM_ARGS, `--disable-extensions-except=${extension}`, `--load-extension=${extension}`]
    : CHROMIUM_ARGS;
  const ctx = await chromium.launchPersistentContext(dir, { executablePath: '/usr/bin/chromium', headless: false, args });
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function popupOpen() {
  const ext = join(ROOT, 'dist', 'chrome');
  return withBrowser(ext, async (ctx) => {
    let [sw] = ctx.serviceWorkers();
    if (!sw) sw = await ctx.waitForEvent('serviceworker');
    const id = new URL(sw.url()).host;
    // The token is pasted as soon as the page's DOM exists; the clock starts at navigation.
    await ctx.addInitScript((t) => {
      document.addEventListener('DOMContentLoaded', () => {
        globalThis.__domReady = performance.now();
        const input = document.getElementById('input');
        const seen = new MutationObserver(() => {
          if (document.querySelector('[data-finding-id]')) {
            globalThis.__firstFinding = performance.now();
            seen.disconnect();
          }
        });
        seen.observe(document.body, { childList: true, subtree: true });
        input.value = t;
        // What a real paste fires (the popup analyses a paste at once, typing after a pause).
        input.dispatchEvent(new InputEvent('input', { inputType: 'insertFromPaste', bubbles: true }));
      });
    }, token);
    const times = [];
    const ready = [];
    for (let i = 0; i < 21; i++) {
      const page = await ctx.newPage();
      await page.goto(`chrome-extension://${id}/popup/popup.html`);
      await page.waitForFunction(() => globalThis.__firstFinding !== undefined, null, { timeout: 10000 });
      if (i > 0) { // the first open warms the disk cache
        times.push(await page.evaluate(() => globalThis.__firstFinding));
        ready.push(await page.evaluate(() => globalThis.__domReady));
      }
      await page.close();
    }
    return { firstFinding: median(times), domReady: median(ready) };
  });
}

const popup = await popupOpen();
const popupMs = popup.firstFinding;
const STORM = 3000;
const storm = await stormBench({
  none: { extension: null },
  observer: { extension: join(ROOT, 'bench', 'observer'), count: COUNTERS.observer },
  oktaMedic: { extension: join(ROOT, 'dist', 'chrome-test'), count: COUNTERS.oktaMedic },
}, { n: STORM, rounds: 3 });
const seenAll = (c) => c.seen.every((n) => n === STORM);

const results = {
  date: new Date().toISOString(),
  machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  decode: { tokenBytes: token.length, oktaMedicUs: okta, joseUs: jose, jwtDecodeUs: jwtd, ratioToJose: okta / jose, reportBytes: reportJson.length, jsonParseUs: parseUs },
  exchange: { usPerExchange: exchangeUs, perSecond: 1e6 / exchangeUs },
  liveFold: { tabExchanges: 10000, liveFoldUs, liveBadgeUs: badgeUs },
  sizes,
  popup: { firstFindingMs: popupMs, domContentLoadedMs: popup.domReady },
  storm: { requests: STORM, ...storm, secondsFor10000: Object.fromEntries(Object.entries(storm).map(([k, v]) => [k, 10000 / v.perSecond])) },
  targets: { ratioToJose: 1.0, exchangesPerSecond: 100000, wasmGzipBytes: 150 * 1024, packageBytes: 400 * 1024, popupMs: 100, stormSecondsFor10000: 10 },
};
writeFileSync(join(ROOT, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);

const kb = (n) => (n == null ? 'missing' : `${(n / 1024).toFixed(1)} KiB`);
const verdict = (ok) => (ok ? 'met' : 'MISSED');
const rows = [
  ['analyzeText, 850-byte token', `${okta.toFixed(2)} µs/op`, `jose ${jose.toFixed(2)} µs · jwt-decode ${jwtd.toFixed(2)} µs · ratio ${(okta / jose).toFixed(2)}×`, `≤ 1.0× jose`, verdict(okta <= jose)],
  ['  of which JSON.parse of the report', `${parseUs.toFixed(2)} µs`, `${reportJson.length.toLocaleString('en')}-byte report (jose returns the bare claims)`, '', ''],
  ['live fold, tab of 10,000', `${liveFoldUs.toFixed(1)} µs/response`, `its badge (liveBadge) ${badgeUs.toFixed(1)} µs`, '≤ 10 µs', verdict(liveFoldUs <= 10)],
  ['analyzeExchange, 429 + E0000047', `${Math.round(1e6 / exchangeUs).toLocaleString('en')}/s`, `${exchangeUs.toFixed(2)} µs/exchange`, '≥ 100,000/s', verdict(1e6 / exchangeUs >= 100000)],
  ['wasm size', kb(sizes.wasmGzip) + ' gzip', `${kb(sizes.wasmRaw)} raw`, '≤ 150 KiB gzip', verdict(sizes.wasmGzip <= 150 * 1024)],
  ['packages', `chrome ${kb(sizes.chromeZip)}`, `firefox ${kb(sizes.firefoxZip)}`, '≤ 400 KiB each', verdict(Math.max(sizes.chromeZip ?? Infinity, sizes.firefoxZip ?? Infinity) <= 400 * 1024)],
  ['popup open → first finding', `${popupMs.toFixed(1)} ms`, `median of 20, headless Chromium; the page's DOM is ready at ${popup.domReady.toFixed(1)} ms`, '≤ 100 ms', verdict(popupMs <= 100)],
  ['storm: Okta requests/s on one tab', `${Math.round(storm.oktaMedic.perSecond).toLocaleString('en')}/s${seenAll(storm.oktaMedic) ? '' : ' (DID NOT SEE ALL)'}`,
    `no extension ${Math.round(storm.none.perSecond).toLocaleString('en')}/s · SAML-tracer-shaped observer ${Math.round(storm.observer.perSecond).toLocaleString('en')}/s${seenAll(storm.observer) ? '' : ' (DID NOT SEE ALL)'} · 10,000 in ${(10000 / storm.oktaMedic.perSecond).toFixed(1)} s`,
    '10,000 in ≤ 10 s', verdict(10000 / storm.oktaMedic.perSecond <= 10 && seenAll(storm.oktaMedic))],
];
console.log(`\nOkta Medic benchmarks — ${results.date} — ${results.machine}\n`);
const widths = [0, 1, 2, 3, 4].map((c) => Math.max(...rows.map((r) => r[c].length)));
for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c])).join('  '));
console.log(`\n(results in bench/results.json; checksum ${sink % 997})`);
