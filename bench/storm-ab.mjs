// A/B of the storm in one run: `node bench/storm-ab.mjs EXT_A EXT_B [EXT_C …] [N] [ROUNDS]` storms
// the SAML-tracer-shaped observer and two or more builds of the extension (dist/chrome-test
// directories), interleaved round by round (bench/storm.mjs), and prints each one's requests/s, the
// ratio to the observer, how many of the requests each saw, and its CPU by process kind.
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COUNTERS, stormBench } from './storm.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const builds = argv.filter((a) => !/^\d+$/.test(a));
const [n = '3000', rounds = '3'] = argv.filter((a) => /^\d+$/.test(a));
if (builds.length < 2) {
  console.error('usage: node bench/storm-ab.mjs EXT_A EXT_B [EXT_C …] [N] [ROUNDS]');
  process.exit(2);
}
const N = Number(n);
const r = await stormBench({
  observer: { extension: join(ROOT, 'bench', 'observer'), count: COUNTERS.observer },
  ...Object.fromEntries(builds.map((dir, i) => [String.fromCharCode(65 + i), { extension: resolve(dir), count: COUNTERS.oktaMedic }])),
}, { n: N, rounds: Number(rounds) });
for (const [i, dir] of builds.entries()) console.log(`${String.fromCharCode(65 + i)} = ${dir}`);
for (const [name, c] of Object.entries(r)) {
  const ratio = name === 'observer' ? '' : ` = ${(c.perSecond / r.observer.perSecond).toFixed(2)}× observer`;
  console.log(`${name}: ${Math.round(c.perSecond)} requests/s${ratio} (runs ${c.runs.join(', ')} ms; saw ${c.seen.join(', ')} of ${N}; failed ${c.failed})`);
  const kinds = Object.entries(c.cpuKinds).filter(([, ms]) => ms >= 5).sort((x, y) => y[1] - x[1]);
  console.log(`  CPU per storm ${Math.round(c.cpuMs)} ms (runs ${c.cpuRuns.join(', ')}): ${kinds.map(([k, ms]) => `${k} ${Math.round(ms)}`).join(', ')}`);
}
