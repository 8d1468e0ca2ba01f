// The core's part of ./build.sh bench (parts 1–3 of run.mjs), in Node, no browser: analyzeText
// against jose and jwt-decode, analyzeExchange, liveFold into a tab of 10,000, the sizes.
// run.mjs imports it; `node bench/core.mjs` runs it alone (seconds, for trying a change).
import { readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { jwtDecode } from 'jwt-decode';
import { foldCall } from '../extension/lib/exchange.js';
import { exchangeArgs } from '../extension/lib/exchange-args.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export const NOW = 1750000000;

const b64 = (v) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

/** An Okta access token of exactly `size` bytes: Okta's claims, an RS256-sized signature. */
export function oktaToken(size) {
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

/**
 * analyzeExchange(exchange) and showExchange(exchange, hosts) over a ui module's exports: its
 * field-wise exports as lib/core.js calls them, or (a build before them) the object itself.
 */
export function exchangeCalls(ui) {
  return ui.analyzeExchangeFields
    ? { analyzeExchange: (e) => ui.analyzeExchangeFields(...exchangeArgs(e)), showExchange: (e, hosts) => ui.showExchangeFields(...exchangeArgs(e), hosts) }
    : { analyzeExchange: ui.analyzeExchange, showExchange: ui.showExchange };
}

export async function benchCore() {
  const PKG = process.env.BENCH_PKG ?? join(ROOT, 'extension', 'pkg'); // BENCH_PKG: compare two builds
  // The service worker's module (live capture: liveFold, liveBadge…) and the UI module (analysis
  // as data, and the words the user reads), as the extension loads them; `core` has both's calls.
  const sw = await import(join(PKG, 'okta_medic.js'));
  sw.initSync({ module: readFileSync(join(PKG, 'okta_medic_bg.wasm')) });
  const ui = await import(join(PKG, 'okta_medic_ui.js'));
  ui.initSync({ module: readFileSync(join(PKG, 'okta_medic_ui_bg.wasm')) });
  // liveFold as the service worker calls it (a build before liveFoldFields: the object itself);
  // an exchange analysed and shown as the UI pages call them (its fields, `exchangeArgs`).
  const core = { ...ui, ...sw, liveFold: sw.liveFoldFields ? foldCall(sw.liveFoldFields) : sw.liveFold, ...exchangeCalls(ui) };
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

  // 1. Decoding one token.
  const token = oktaToken(850);
  let sink = 0;
  // The analysis alone (findings as data, no words), then the analysis and the words the popup
  // shows (the second call, explain).
  const okta = measure(() => { sink += core.analyzeText(token, NOW).findings.length; });
  // Two ways to the words: the data report handed to JS and read back by a second call
  // (explain), and one call that analyses and words inside wasm (showText, what the popup calls).
  const worded = measure(() => { sink += ui.explain(core.analyzeText(token, NOW), undefined).findings[0].title.length; });
  const shownOnce = measure(() => { sink += ui.showText(token, NOW, undefined).findings[0].title.length; });
  const jose = measure(() => { sink += decodeJwt(token).ver + decodeProtectedHeader(token).alg.length; });
  const jwtd = measure(() => { sink += jwtDecode(token).ver + jwtDecode(token, { header: true }).alg.length; });
  // What crossing the boundary alone costs: a report is one JSON string parsed into an object.
  const reportJson = JSON.stringify(core.analyzeText(token, NOW));
  const shownJson = JSON.stringify(ui.explain(core.analyzeText(token, NOW), undefined));
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
  // …and worded as a page shows it: two calls (analyzeExchange, explain) or one (showExchange).
  const exchangeWordedUs = measure(() => { sink += ui.explain(core.analyzeExchange(exchange), undefined).findings[0].title.length; }, { n: 500, batches: 15 });
  const exchangeShownUs = measure(() => { sink += core.showExchange(exchange, undefined).findings[0].title.length; }, { n: 500, batches: 15 });

  // 2b. Live capture's fold of one response into a tab that already holds 10,000 (a storm's: half
  // 429 E0000047, half 401 E0000011): the wasm-resident tab (liveFold) against the earlier path,
  // where analyzeExchange, digestAdd and timelineFold moved the tab's whole state through JSON.
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
  let { digest: oldDigest, timeline: oldTimeline } = core.liveSnapshot(TAB);
  // (Only while the core still exports digestAdd and timelineFold.)
  const oldFoldUs = core.digestAdd && core.timelineFold ? measure(() => {
    const ex = stormExchange(folds++);
    oldDigest = core.digestAdd(oldDigest, core.analyzeExchange(ex), ex.observedAt);
    oldTimeline = core.timelineFold(oldTimeline, ex);
  }, { n: 20, batches: 15 }) : null;
  // The toolbar badge of that tab, as the background asks for it after each fold.
  const badgeUs = core.liveBadge ? measure(() => { sink += core.liveBadge(TAB, stormExchange(folds).observedAt).count; }, { n: 200, batches: 15 }) : null;
  sink += (oldDigest?.exchanges ?? 0) + core.liveSnapshot(TAB).digest.exchanges;
  core.liveForget(TAB);

  // 3. Sizes.
  const wasm = readFileSync(join(PKG, 'okta_medic_bg.wasm'));
  const uiWasm = readFileSync(join(PKG, 'okta_medic_ui_bg.wasm'));
  const size = (p) => { try { return statSync(join(ROOT, p)).size; } catch { return null; } };
  const sizes = {
    wasmRaw: wasm.length,
    wasmGzip: gzipSync(wasm, { level: 9 }).length,
    uiWasmRaw: uiWasm.length,
    uiWasmGzip: gzipSync(uiWasm, { level: 9 }).length,
    chromeZip: size('dist/okta-medic-chrome.zip'),
    firefoxZip: size('dist/okta-medic-firefox.zip'),
  };
  return { core, token, reportJson, shownJson, okta, worded, shownOnce, jose, jwtd, parseUs, exchangeUs, exchangeWordedUs, exchangeShownUs, liveFoldUs, oldFoldUs, badgeUs, sizes, sink };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await benchCore();
  console.log(`analyzeText ${r.okta.toFixed(2)} µs = ${(r.okta / r.jose).toFixed(2)}× jose (${r.jose.toFixed(2)} µs); JSON.parse of the ${r.reportJson.length}-byte report ${r.parseUs.toFixed(2)} µs`);
  console.log(`analyzeText + explain (the words the popup shows) ${r.worded.toFixed(2)} µs = ${(r.worded / r.jose).toFixed(2)}× jose; ${r.shownJson.length}-byte report`);
  console.log(`showText (analysed and worded in one call, what the popup calls) ${r.shownOnce.toFixed(2)} µs = ${(r.shownOnce / r.jose).toFixed(2)}× jose`);
  console.log(`analyzeExchange ${r.exchangeUs.toFixed(2)} µs = ${Math.round(1e6 / r.exchangeUs).toLocaleString('en')}/s`);
  console.log(`worded: analyzeExchange + explain ${r.exchangeWordedUs.toFixed(2)} µs; showExchange (one call) ${r.exchangeShownUs.toFixed(2)} µs`);
  console.log(`liveFold into a tab of 10,000 ${r.liveFoldUs.toFixed(1)} µs`);
  console.log(`sw wasm (service worker) ${r.sizes.wasmRaw} B raw, ${r.sizes.wasmGzip} B gzip (${(r.sizes.wasmGzip / 1024).toFixed(1)} KiB)`);
  console.log(`ui wasm (UI pages) ${r.sizes.uiWasmRaw} B raw, ${r.sizes.uiWasmGzip} B gzip (${(r.sizes.uiWasmGzip / 1024).toFixed(1)} KiB)`);
}
