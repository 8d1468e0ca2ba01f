// Where a wasm call's `memory.copy` instructions and allocations come from. V8 runs each
// `memory.copy` as a call out to C (~40–110 instructions however few bytes it moves), and every
// allocation goes through dlmalloc in wasm, so both are costs the native harnesses do not show
// (docs/performance-log.md, "liveFold, sixteenth pass" and "analyzeText, twelfth pass").
//
// Builds the op's module with names as build.sh does (cargo, wasm-bindgen, wasm-opt -Oz -g),
// rewrites its text (wasm-dis): each `memory.copy` becomes a call to a counting function that
// then copies, and each call of dlmalloc's `malloc` goes through a counting wrapper; assembles it
// again (wasm-as), runs bench/workload.mjs's op (liveFold after 10,000 folds into one tab), and
// prints per call: the copies and their bytes by function (callees inlined by wasm-opt count
// in their caller), then the allocations by the functions up the stack (--stack N frames).
//
//   node bench/wasm-copies.mjs [liveFold|analyzeExchange|analyzeText] [--calls N] [--stack N] [--out DIR]
//
// Heavy (one cargo build, ~1–2 min): run it alone, under `nice`. A benchmark, not a test.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bin, bindgenOpt, cargoBuild, option, run } from './wasm-build.mjs';
import { calls, moduleOf } from './workload.mjs';

const args = process.argv.slice(2);
const op = args.find((a) => ['liveFold', 'analyzeExchange', 'analyzeText'].includes(a)) ?? 'liveFold';
const N = Number(option(args, '--calls', '2000'));
const STACK = Number(option(args, '--stack', '3'));
const out = option(args, '--out', join(tmpdir(), `okta-medic-copies-${op}`));
const FEATURES = ['--enable-bulk-memory', '--enable-bulk-memory-opt', '--enable-reference-types', '--enable-mutable-globals',
  '--enable-sign-ext', '--enable-nontrapping-float-to-int', '--enable-multivalue'];
const COUNTER = 'okta-medic-count';

const name = moduleOf(op);
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
cargoBuild(name === 'okta_medic' ? 'sw' : 'ui');
const wasm = bindgenOpt(out, name);
run(bin('wasm-dis'), [wasm, '-o', join(out, 'named.wat')]);

// The rewrite. wasm-dis writes one function a `(func $name` line at depth one, an instruction's
// head on its own line; names with spaces or brackets are quoted (`$"<a as b>::c"`).
const lines = readFileSync(join(out, 'named.wat'), 'utf8').split('\n');
const sites = []; // site number → function
let fn = '?';
let malloc;
for (let i = 0; i < lines.length; i++) {
  const f = /^ \(func (\$"(?:[^"\\]|\\.)*"|\$\S+)/.exec(lines[i]);
  if (f) {
    fn = f[1];
    if (/Dlmalloc<.*>>::malloc"?$/.test(fn)) malloc = fn;
  }
  if (/\(memory\.copy\b/.test(lines[i])) {
    lines[i] = lines[i].replace(/\(memory\.copy\b/, `(call $__count_copy (i32.const ${sites.length})`);
    sites.push(fn);
  }
}
if (!malloc) throw new Error('dlmalloc\'s malloc not found by name in the module');
let text = lines.join('\n');
text = text.split(`(call ${malloc}`).join('(call $__count_malloc');
const firstImport = text.indexOf('\n (import ');
const end = text.lastIndexOf(')'); // the module's own
text = `${text.slice(0, firstImport)}
 (import "${COUNTER}" "copy" (func $__copied (param i32 i32)))
 (import "${COUNTER}" "malloc" (func $__allocated (param i32)))${text.slice(firstImport, end)}
 (func $__count_copy (param $site i32) (param $d i32) (param $s i32) (param $n i32)
  (call $__copied (local.get $site) (local.get $n))
  (memory.copy (local.get $d) (local.get $s) (local.get $n)))
 (func $__count_malloc (param $n i32) (result i32)
  (call $__allocated (local.get $n))
  (call ${malloc} (local.get $n)))
)
`;
writeFileSync(join(out, 'counted.wat'), text);
run(bin('wasm-as'), [...FEATURES, '-g', join(out, 'counted.wat'), '-o', wasm]);

// The counters, given to the module beside the glue's own imports.
let counting = false;
const copies = new Map(); // site → [count, bytes]
const allocations = new Map(); // frames → { n, sizes: size → count }
// The frames above the allocator's own (std's allocation and collection code, the wrapper).
const MACHINERY = /^(__count_malloc|__rustc|__rdl|__rust|alloc::|<alloc|core::|<core|dlmalloc|<dlmalloc)/;
const frames = () => new Error().stack.split('\n').slice(1).filter((l) => !l.includes('file://'))
  .map((l) => l.replace(/^\s*at /, '').replace(/ \(wasm:.*$/, '').replace(/^.*\.wasm\./, '').replace(/\[[0-9a-f]{16}\]/g, '')
    .replace(/::h[0-9a-f]{16}$/, ''))
  .filter((f) => !MACHINERY.test(f)).slice(0, STACK).map((f) => f.slice(0, 90)).join(' ← ');
const counters = {
  copy(site, n) {
    if (!counting) return;
    const c = copies.get(site) ?? [0, 0];
    copies.set(site, [c[0] + 1, c[1] + n]);
  },
  malloc(n) {
    if (!counting) return;
    const at = frames();
    const a = allocations.get(at) ?? { n: 0, sizes: new Map() };
    a.n += 1;
    a.sizes.set(n, (a.sizes.get(n) ?? 0) + 1);
    allocations.set(at, a);
  },
};
Error.stackTraceLimit = STACK + 16;
const Instance = WebAssembly.Instance;
WebAssembly.Instance = function counted(module, imports) {
  return new Instance(module, { ...imports, [COUNTER]: counters });
};

const call = await calls(out, op);
const warm = op === 'liveFold' ? 10000 : 10;
let i = 0;
for (; i < warm; i++) call(i);
counting = true;
for (let j = 0; j < N; j++, i++) call(i);
counting = false;

const perCall = (x) => (x / N).toFixed(2).padStart(8);
const byFn = new Map();
for (const [site, [n, bytes]] of copies) {
  const f = sites[site].replace(/^\$"?|"$/g, '').replace(/::h[0-9a-f]{16}$/, '');
  const c = byFn.get(f) ?? [0, 0];
  byFn.set(f, [c[0] + n, c[1] + bytes]);
}
const total = [...copies.values()].reduce((a, [n, b]) => [a[0] + n, a[1] + b], [0, 0]);
console.log(`${op}: ${perCall(total[0]).trim()} memory.copy a call (${perCall(total[1]).trim()} bytes), `
  + `${perCall([...allocations.values()].reduce((a, { n }) => a + n, 0)).trim()} allocations; ${N} calls counted`);
console.log('\nmemory.copy a call, by function (copies, bytes):');
for (const [f, [n, bytes]] of [...byFn].sort((a, b) => b[1][0] - a[1][0])) console.log(`${perCall(n)} ${perCall(bytes)}  ${f.slice(0, 140)}`);
console.log(`\nallocations a call, by the ${STACK} frames above the allocator's (the commonest sizes in bytes, ×count a call):`);
for (const [at, { n, sizes }] of [...allocations].sort((a, b) => b[1].n - a[1].n)) {
  const common = [...sizes].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([size, k]) => `${size}×${Number((k / N).toPrecision(2))}`);
  console.log(`${perCall(n)}  ${at}  [${common.join(' ')}]`);
}
