// A timed test copy of an extension build for bench/storm-profile.mjs `--time-core`: the copy's
// background imports the core through pkg/okta_medic_timed.js, which wraps each export the worker
// calls with performance.now() sums (per call, and by the call's rank in the storm: the first 100,
// 100–300, …, so that a slow start — the wasm running in V8's baseline tier, Liftoff, before
// TurboFan's code replaces it — shows apart from the steady state), and the whole `liveFold`
// (lib/exchange.js foldCall: exchangeArgs' header joining + the glue + the core). It keeps the
// liveFoldFields arguments (references, in order), so that the storm's folds can be replayed,
// warm, in the worker after the storm and in Node (bench/fold-replay.mjs): the same calls with the
// same inputs, without the storm around them. Never a shipped build: the copy lives under the OS's temp dir.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Rank blocks: a call's rank (0-based) falls in the first block whose bound exceeds it. */
export const BLOCKS = [100, 300, 1000, 2000, 3000, Infinity];

const CALLS = ['liveBadge', 'liveFoldFields', 'liveForget', 'liveHas', 'liveRestore', 'liveSnapshot', 'tabBadge'];

const WRAPPER = `// Test-only timing wrapper (bench/storm-timed.mjs); never shipped.
import init, * as m from './okta_medic.js';
export default init;
const BLOCKS = ${JSON.stringify(BLOCKS.map((b) => (b === Infinity ? 1e15 : b)))};
const times = (globalThis.__coreTimes = {});
globalThis.__core = m;
const folds = (globalThis.__foldArgs = []);
export function timed(name, fn) {
  const s = (times[name] = { n: 0, ms: 0, max: 0, blocks: BLOCKS.map((upTo) => ({ upTo, n: 0, ms: 0 })) });
  return function (...a) {
    if (name === 'liveFoldFields') folds.push(a);
    const t0 = performance.now();
    try {
      return fn.apply(this, a);
    } finally {
      const d = performance.now() - t0;
      const b = s.blocks.find((x) => s.n < x.upTo);
      s.n++;
      s.ms += d;
      if (d > s.max) s.max = d;
      b.n++;
      b.ms += d;
    }
  };
}
${CALLS.map((c) => `export const ${c} = timed('${c}', m.${c});`).join('\n')}
`;

/**
 * Copies the build at `ext` to a temp dir with the timing wrapper in; returns the copy's path.
 * `ablateFold`: liveFoldFields does nothing (answers null; the capture ignores the answer), an
 * ablation whose difference in the worker thread's CPU is what the fold costs there.
 */
export function timedCopy(ext, { ablateFold = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'okta-medic-timed-'));
  cpSync(ext, dir, { recursive: true });
  const wrapper = ablateFold ? WRAPPER.replace("timed('liveFoldFields', m.liveFoldFields)", "timed('liveFoldFields', () => null)") : WRAPPER;
  if (wrapper === WRAPPER && ablateFold) throw new Error('bench/storm-timed.mjs: the ablation found no liveFoldFields');
  writeFileSync(join(dir, 'pkg', 'okta_medic_timed.js'), wrapper);
  const bgFile = join(dir, 'background.js');
  let bg = readFileSync(bgFile, 'utf8');
  const importLine = /^import init, \{([^}]*)\} from '\.\/pkg\/okta_medic\.js';$/m;
  const fold = 'liveFold: foldCall(liveFoldFields)';
  if (!importLine.test(bg) || !bg.includes(fold)) throw new Error(`${bgFile}: the core's import or foldCall line moved; update bench/storm-timed.mjs`);
  bg = bg.replace(importLine, "import init, {$1, timed} from './pkg/okta_medic_timed.js';");
  bg = bg.replace(fold, "liveFold: timed('liveFold (foldCall: exchangeArgs + glue + core)', foldCall(liveFoldFields))");
  writeFileSync(bgFile, bg);
  return dir;
}

/**
 * In the worker, after the storm: the sums, and the storm's folds replayed `rounds` times, warm,
 * each round into a fresh spare tab (µs per call by round).
 */
export const READ_TIMES = (rounds) => `(() => {
  const out = { crossOriginIsolated: globalThis.crossOriginIsolated, times: globalThis.__coreTimes };
  const folds = globalThis.__foldArgs ?? [];
  if (folds.length > 0 && globalThis.__core) {
    const core = globalThis.__core;
    out.replay = [];
    for (let r = 0; r < ${rounds}; r++) {
      const tab = 987654 + r;
      const t0 = performance.now();
      for (const a of folds) core.liveFoldFields(tab, ...a.slice(1));
      out.replay.push(((performance.now() - t0) * 1000) / folds.length);
      core.liveForget(tab);
    }
  }
  return JSON.stringify(out);
})()`;

/** In the worker: the storm's fold arguments, for bench/fold-replay.mjs. */
export const READ_FOLDS = 'JSON.stringify(globalThis.__foldArgs ?? [])';

/** Prints what READ_TIMES returned. */
export function printTimes(read, N) {
  console.log(`\ncore calls timed in the worker (performance.now(); crossOriginIsolated ${read.crossOriginIsolated}):`);
  for (const [name, s] of Object.entries(read.times ?? {})) {
    if (s.n === 0) continue;
    console.log(`  ${name.padEnd(48)} ${String(s.n).padStart(6)} calls ${s.ms.toFixed(1).padStart(8)} ms = ${((s.ms * 1000) / s.n).toFixed(1).padStart(7)} µs/call (max ${s.max.toFixed(1)} ms; ${((s.ms * 1000) / N).toFixed(1)} µs/request)`);
    if (s.n > 100) {
      const parts = s.blocks.filter((b) => b.n > 0).map((b, i, all) => `${i === 0 ? 0 : all[i - 1].upTo}–${Math.min(b.upTo, s.n)}: ${((b.ms * 1000) / b.n).toFixed(0)}`);
      console.log(`    µs/call by rank: ${parts.join(', ')}`);
    }
  }
  if (read.replay?.length) console.log(`  the storm's ${read.times?.liveFoldFields?.n} folds replayed warm in the worker, each round into a fresh tab: ${read.replay.map((us) => us.toFixed(1)).join(', ')} µs/call`);
}
