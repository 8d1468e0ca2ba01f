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
// The calls are bench/workload.mjs's (liveFold counted after 10,000 folds into one tab).
import { spawnSync } from 'node:child_process';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { calls } from './workload.mjs';

const SELF = fileURLToPath(import.meta.url);
const ROOT = join(dirname(SELF), '..');
const COUNTS = { liveFold: [10000, 30000], analyzeExchange: [8000, 16000], analyzeText: [8000, 16000] };

async function child(pkg, op, n) {
  const call = await calls(pkg, op);
  let sink = 0;
  for (let i = 0; i < n; i++) sink += call(i) ?? 0;
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
