// Instructions per call of the wasm core as Node runs it (the JS glue, the wasm code V8 compiled,
// the garbage collector: everything the process executes), counted by callgrind: steadier than
// wall time on a shared machine, and unlike the native harnesses in crate/examples it sees the
// boundary (the glue, the strings copied in and the answer parsed out) and the wasm code's own
// costs (dlmalloc, compiler-builtins' memcmp). Per call = (Ir(N2) − Ir(N1)) / (N2 − N1), each count
// one `node --single-threaded --no-liftoff` process under `valgrind --tool=callgrind`: with
// Liftoff off, V8 compiles each wasm function with TurboFan at its first call, so the compiling
// falls before N1 in both runs; with Liftoff on, a large function's tier-up fell inside the
// window in one run and not the other (analyzeExchange of one build measured 381,680 and 483,762).
//   node bench/wasm-instructions.mjs [PKG…]     (default extension/pkg; needs valgrind)
//   OPS=liveFold,analyzeExchange,analyzeText  (which calls; all three by default)
//   EXCHANGE_ARGS=FILE   an older extension/lib/exchange-args.js, for a package built before the
//                        exchange's fields changed (`git show REV:extension/lib/exchange-args.js`)
// liveFold folds bench/core.mjs's storm (half 429 E0000047, half 401 E0000011) into one tab, after
// 10,000 folds; analyzeExchange analyses its 429; analyzeText its 850-byte token.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NOW, oktaToken } from './core.mjs';

const SELF = fileURLToPath(import.meta.url);
const ROOT = join(dirname(SELF), '..');
const COUNTS = { liveFold: [10000, 30000], analyzeExchange: [8000, 16000], analyzeText: [8000, 16000] };

const exchange = {
  observedAt: NOW * 1000, method: 'GET', url: 'https://dev-123456.okta.com/api/v1/users?limit=200', statusCode: 429,
  requestHeaders: [{ name: 'Accept', value: 'application/json' }],
  responseHeaders: [{ name: 'Date', value: new Date(NOW * 1000).toUTCString() }, { name: 'Content-Type', value: 'application/json' },
    { name: 'X-Rate-Limit-Limit', value: '600' }, { name: 'X-Rate-Limit-Remaining', value: '0' },
    { name: 'X-Rate-Limit-Reset', value: String(NOW + 42) }, { name: 'X-Okta-Request-Id', value: 'reqVy8wsvmBQN27h4soUE3ZEnA' }],
  body: '{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests.","errorLink":"E0000047","errorId":"oaetdtoG383SIGVNZ0UKgtRug","errorCauses":[]}',
};
const e11 = '{"errorCode":"E0000011","errorSummary":"Invalid token provided","errorLink":"E0000011","errorId":"oae6nt1xXA2SmSjkYK4cL1-tA","errorCauses":[]}';
const storm = (i) => (i % 2 === 0
  ? { ...exchange, observedAt: NOW * 1000 + i }
  : { ...exchange, observedAt: NOW * 1000 + i, url: 'https://dev-123456.okta.com/api/v1/users/me', statusCode: 401, body: e11 });

async function child(pkg, op, n) {
  const { exchangeArgs } = await import(process.env.EXCHANGE_ARGS ? resolve(process.env.EXCHANGE_ARGS) : '../extension/lib/exchange-args.js');
  const load = async (name) => {
    const m = await import(join(pkg, `${name}.js`));
    m.initSync({ module: readFileSync(join(pkg, `${name}_bg.wasm`)) });
    return m;
  };
  let sink = 0;
  if (op === 'liveFold') {
    const sw = await load('okta_medic');
    for (let i = 0; i < n; i++) sw.liveFoldFields(1, ...exchangeArgs(storm(i)), undefined);
    sink++;
  } else if (op === 'analyzeExchange') {
    const ui = await load('okta_medic_ui');
    for (let i = 0; i < n; i++) sink += ui.analyzeExchangeFields(...exchangeArgs(exchange)).findings.length;
  } else {
    const ui = await load('okta_medic_ui');
    const token = oktaToken(850);
    for (let i = 0; i < n; i++) sink += ui.analyzeText(token, NOW).findings.length;
  }
  if (sink < 0) console.log(sink);
}

function instructions(pkg, op, n) {
  const run = spawnSync('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null',
    process.execPath, '--single-threaded', '--no-liftoff', SELF, '--child', pkg, op, String(n)], { encoding: 'utf8' });
  const m = /Collected : (\d+)/.exec(run.stderr ?? '');
  if (run.status !== 0 || !m) throw new Error(`valgrind (${run.error?.message ?? `exit ${run.status}`}): ${(run.stderr ?? '').slice(-800)}`);
  return Number(m[1]);
}

const args = process.argv.slice(2);
if (args[0] === '--child') {
  await child(args[1], args[2], Number(args[3]));
} else {
  const pkgs = args.length ? args.map((p) => resolve(p)) : [join(ROOT, 'extension', 'pkg')];
  const ops = (process.env.OPS ?? 'liveFold,analyzeExchange,analyzeText').split(',');
  for (const op of ops) {
    for (const pkg of pkgs) {
      const [n1, n2] = COUNTS[op];
      const per = (instructions(pkg, op, n2) - instructions(pkg, op, n1)) / (n2 - n1);
      console.log(`${op} ${pkg}: ${Math.round(per).toLocaleString('en')} instructions per call`);
    }
  }
}
