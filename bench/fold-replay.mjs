// A storm's folds, replayed in Node: `node bench/fold-replay.mjs FOLDS.json [ROUNDS]` (FOLDS.json
// from `node bench/storm-profile.mjs EXT --time-core --save-args FOLDS.json`: every liveFoldFields
// call of the service worker's storm, in order; the package is extension/pkg, or BENCH_PKG). A fresh
// process folds the same calls into a fresh tab per round (default 3 rounds), each call timed, and
// prints µs per call by rank, as storm-profile.mjs does for the worker: the same inputs and module,
// so what differs is where they run (the worker's V8 and its tiering, the storm around it), not
// what they fold. The first round is the cold one (V8 tiers the wasm up from Liftoff while it
// runs); `node --no-liftoff bench/fold-replay.mjs …` compiles it with TurboFan from the start.
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BLOCKS } from './storm-timed.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const [file, rounds = '3'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/fold-replay.mjs FOLDS.json [ROUNDS]');
  process.exit(2);
}
const PKG = process.env.BENCH_PKG ?? join(ROOT, 'extension', 'pkg');
const folds = JSON.parse(readFileSync(file, 'utf8'));
const sw = await import(join(PKG, 'okta_medic.js'));
const t0 = process.hrtime.bigint();
sw.initSync({ module: readFileSync(join(PKG, 'okta_medic_bg.wasm')) });
const initMs = Number(process.hrtime.bigint() - t0) / 1e6;
console.log(`Node ${process.version}: init ${initMs.toFixed(1)} ms; ${folds.length} folds per round`);

for (let r = 0; r < Number(rounds); r++) {
  const blocks = BLOCKS.map((upTo) => ({ upTo, n: 0, us: 0 }));
  let sum = 0;
  for (const [i, a] of folds.entries()) {
    const s = process.hrtime.bigint();
    sw.liveFoldFields(1000 + r, ...a.slice(1));
    const us = Number(process.hrtime.bigint() - s) / 1000;
    sum += us;
    const b = blocks.find((x) => i < x.upTo);
    b.n++;
    b.us += us;
  }
  sw.liveForget(1000 + r);
  const parts = blocks.filter((b) => b.n > 0).map((b, i, all) => `${i === 0 ? 0 : all[i - 1].upTo}–${Math.min(b.upTo, folds.length)}: ${(b.us / b.n).toFixed(0)}`);
  console.log(`  round ${r + 1}: ${(sum / folds.length).toFixed(1)} µs/call; by rank ${parts.join(', ')}`);
}
