// A/B of wasm builds in one process: each directory holds a wasm-bindgen package (copy
// extension/pkg after each build); batches of analyzeText and analyzeExchange alternate between
// them (and showText when both have it; liveFold into a tab of 10,000 when both hold the sw
// module), so load from other processes falls on both alike; prints min and median µs per call.
//   node bench/ab-core.mjs /tmp/pkg-before /tmp/pkg-after
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exchangeCalls, oktaToken, NOW } from './core.mjs';
import { foldCall } from '../extension/lib/exchange.js';
const dirs = process.argv.slice(2);
const cores = [];
for (const d of dirs) { const c = await import(join(d, 'okta_medic_ui.js') + '?' + d); c.initSync({ module: readFileSync(join(d, 'okta_medic_ui_bg.wasm')) }); cores.push({ ...c, ...exchangeCalls(c) }); }
const token = oktaToken(850);
const exchange = { observedAt: NOW * 1000, method: 'GET', url: 'https://dev-123456.okta.com/api/v1/users?limit=200', statusCode: 429,
  requestHeaders: [{ name: 'Accept', value: 'application/json' }],
  responseHeaders: [{ name: 'Date', value: new Date(NOW * 1000).toUTCString() }, { name: 'Content-Type', value: 'application/json' },
    { name: 'X-Rate-Limit-Limit', value: '600' }, { name: 'X-Rate-Limit-Remaining', value: '0' },
    { name: 'X-Rate-Limit-Reset', value: String(NOW + 42) }, { name: 'X-Okta-Request-Id', value: 'reqVy8wsvmBQN27h4soUE3ZEnA' }],
  body: '{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests.","errorLink":"E0000047","errorId":"oaetdtoG383SIGVNZ0UKgtRug","errorCauses":[]}' };
const ops = { analyzeText: (c) => c.analyzeText(token, NOW).findings.length, analyzeExchange: (c) => c.analyzeExchange(exchange).findings.length };
// The popup's call (analysis and words in one), when both builds have it.
if (cores.every((c) => c.showText)) ops.showText = (c) => c.showText(token, NOW, undefined).findings.length;
// …and an exchange analysed and worded in one call (lib/core.js's analyzeExchange).
if (cores.every((c) => c.showExchange)) ops.showExchange = (c) => c.showExchange(exchange, undefined).findings.length;
let sink = 0;
for (const [name, op] of Object.entries(ops)) {
  const per = cores.map(() => []);
  for (let b = 0; b < 40; b++) cores.forEach((c, k) => { const n = 300; const t0 = process.hrtime.bigint(); for (let i = 0; i < n; i++) sink += op(c); per[k].push(Number(process.hrtime.bigint() - t0) / 1000 / n); });
  const stats = per.map((xs) => { const s = [...xs].sort((a, b) => a - b); return `min ${s[0].toFixed(2)} med ${s[20].toFixed(2)}`; });
  console.log(name, dirs.map((d, k) => `${d.split('/').pop()}: ${stats[k]} µs`).join(' | '));
}
// The service worker's liveFold into a tab of 10,000 storm exchanges (bench/core.mjs's storm:
// half 429 E0000047, half 401 E0000011), when each directory holds the sw module too.
if (dirs.every((d) => existsSync(join(d, 'okta_medic.js')))) {
  const e11 = '{"errorCode":"E0000011","errorSummary":"Invalid token provided","errorLink":"E0000011","errorId":"oae6nt1xXA2SmSjkYK4cL1-tA","errorCauses":[]}';
  const storm = (i) => (i % 2 === 0
    ? { ...exchange, observedAt: NOW * 1000 + i }
    : { ...exchange, observedAt: NOW * 1000 + i, url: 'https://dev-123456.okta.com/api/v1/users/me', statusCode: 401, body: e11 });
  const sws = [];
  for (const d of dirs) { const c = await import(join(d, 'okta_medic.js') + '?' + d); c.initSync({ module: readFileSync(join(d, 'okta_medic_bg.wasm')) });
    // A build before liveFoldFields takes the exchange as one object.
    sws.push({ liveFold: c.liveFoldFields ? foldCall(c.liveFoldFields) : c.liveFold }); }
  const folds = sws.map(() => 0);
  sws.forEach((c, k) => { for (let i = 0; i < 10000; i++) c.liveFold(1, storm(folds[k]++)); });
  const per = sws.map(() => []);
  for (let b = 0; b < 40; b++) sws.forEach((c, k) => { const n = 300; const t0 = process.hrtime.bigint(); for (let i = 0; i < n; i++) c.liveFold(1, storm(folds[k]++)); sink++; per[k].push(Number(process.hrtime.bigint() - t0) / 1000 / n); });
  const stats = per.map((xs) => { const s = [...xs].sort((a, b) => a - b); return `min ${s[0].toFixed(2)} med ${s[20].toFixed(2)}`; });
  console.log('liveFold', dirs.map((d, k) => `${d.split('/').pop()}: ${stats[k]} µs`).join(' | '));
}
console.log(sink % 7);
