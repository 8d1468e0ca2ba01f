// The DevTools panel's cost of a HAR file: what loading one takes (every entry handed to the
// panel's session, then the timeline report the panel shows first), and what showing every row's
// full report adds. Not a test: it prints numbers. Runs the panel's own page logic
// (extension/devtools/session.js) on the built wasm, so the same script measures another checkout:
//
//   node bench/panel-har.mjs [EXTENSION_DIR]     (default: this checkout's extension/, after ./build.sh)
//
// The HAR: 3,000 entries like a DevTools export of a storm on an app — 2,000 Okta responses (429 +
// E0000047, 401 + E0000011 and 200s, with X-Rate-Limit-* and a bearer JWT) and 1,000 of the app's
// own requests with 8 KB bodies. Median of 7 loads after a warm-up.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const EXT = resolve(process.argv[2] ?? join(ROOT, 'extension'));
const wasm = await import(pathToFileURL(join(EXT, 'pkg', 'okta_medic_ui.js')).href);
wasm.initSync({ module: readFileSync(join(EXT, 'pkg', 'okta_medic_ui_bg.wasm')) });
const { sessionFromHar } = await import(pathToFileURL(join(EXT, 'devtools', 'session.js')).href);
// The core as panel.js hands it to a session (custom domains: none), for either version's panel.
const core = {
  ...wasm,
  analyzeHar: (text) => wasm.analyzeHar(text, []),
  analyzeExchange: (exchange) => wasm.analyzeExchange(exchange, []),
  sessionOpen: () => wasm.sessionOpen([]),
};

const T0 = Date.UTC(2026, 11, 6, 10);
const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
const jwt = `${b64({ kid: 'k1', alg: 'RS256' })}.${b64({ ver: 1, jti: 'AT.bench', iss: 'https://dev-1.okta.com/oauth2/default', scp: ['okta.users.read'], iat: T0 / 1000 - 600, exp: T0 / 1000 + 3000 })}.${Buffer.alloc(256, 7).toString('base64url')}`;
const E11 = '{"errorCode":"E0000011","errorSummary":"Invalid token provided","errorLink":"E0000011","errorId":"oae6nt1xXA2SmSjkYK4cL1-tA","errorCauses":[]}';
const E47 = '{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests.","errorLink":"E0000047","errorId":"oaetdtoG383SIGVNZ0UKgtRug","errorCauses":[]}';
const h = (o) => Object.entries(o).map(([name, value]) => ({ name, value }));

function entry(i) {
  const at = T0 + i * 20;
  const startedDateTime = new Date(at).toISOString();
  if (i % 3 === 2) {
    return { startedDateTime, request: { method: 'GET', url: `https://app.example.com/static/chunk-${i}.js`, headers: h({ Accept: '*/*' }) },
      response: { status: 200, headers: h({ 'Content-Type': 'text/javascript' }), content: { mimeType: 'text/javascript', text: 'x'.repeat(8192) } } };
  }
  const kind = i % 6 === 0 ? 429 : i % 6 === 1 ? 401 : 200;
  const remaining = kind === 429 ? 0 : 600 - (i % 600);
  return {
    startedDateTime,
    request: { method: 'GET', url: `https://dev-1.okta.com/api/v1/users${kind === 401 ? '/me' : `?limit=200&after=${i}`}`, headers: h({ Authorization: `Bearer ${jwt}` }) },
    response: {
      status: kind,
      headers: h({ 'X-Okta-Request-Id': `req${i}`, 'X-Rate-Limit-Limit': '600', 'X-Rate-Limit-Remaining': String(remaining), 'X-Rate-Limit-Reset': String(Math.floor(at / 1000) + 40), 'Content-Type': 'application/json' }),
      content: { mimeType: 'application/json', text: kind === 429 ? E47 : kind === 401 ? E11 : '[]' },
    },
  };
}

const text = JSON.stringify({ log: { version: '1.2', creator: { name: 'bench', version: '1' }, entries: Array.from({ length: 3000 }, (_, i) => entry(i)) } });
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function load() {
  const t0 = process.hrtime.bigint();
  const { session, error } = await sessionFromHar(core, 'bench.har', text, { chunk: 1e9 });
  if (error) throw new Error(error);
  const report = session.report;
  const loaded = ms(t0);
  const t1 = process.hrtime.bigint();
  let findings = 0;
  for (const row of session.rows) findings += session.rowReport(row).findings.length;
  session.close?.();
  return { loaded, rows: ms(t1), okta: report.timeline.oktaEntries, findings };
}

await load();
const runs = [];
for (let i = 0; i < 7; i++) runs.push(await load());
const { okta, findings } = runs[0];
const loadMs = median(runs.map((r) => r.loaded));
const rowsMs = median(runs.map((r) => r.rows));
console.log(JSON.stringify({ extension: EXT, harBytes: text.length, entries: 3000, oktaEntries: okta, rowFindings: findings, loadMs, everyRowReportMs: rowsMs, totalMs: loadMs + rowsMs }));
