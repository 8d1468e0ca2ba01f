// Where a wasm module's bytes are (docs/performance-log.md, "Service worker's wasm, fourth pass"):
// builds one feature's module as build.sh does (cargo, wasm-bindgen, wasm-opt -Oz) but keeps the
// function names (`wasm-opt -g`), runs `twiggy top` on it and prints the shallow bytes grouped by
// crate and, for the core, by module; then the gzip -9 size of the same build without names,
// which is what `node bench/size-budget.mjs` measures after ./build.sh.
//
//   node bench/wasm-breakdown.mjs [sw|ui] [--depth N] [--out DIR]
//
// Needs twiggy (`cargo install twiggy`), wasm-bindgen and npm's wasm-opt (./build.sh installs
// the last two). Heavy: run it alone, under `nice`, on a shared machine. A benchmark, not a test.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { bindgenOpt, cargoBuild, option, run } from './wasm-build.mjs';

const args = process.argv.slice(2);
const feature = args.find((a) => a === 'sw' || a === 'ui') ?? 'sw';
const depth = Number(option(args, '--depth', '2'));
const out = option(args, '--out', join(tmpdir(), `okta-medic-breakdown-${feature}`));

rmSync(out, { recursive: true, force: true });
for (const d of ['named', 'stripped']) mkdirSync(join(out, d), { recursive: true });
cargoBuild(feature);
const named = bindgenOpt(join(out, 'named'), 'okta_medic');
const stripped = bindgenOpt(join(out, 'stripped'), 'okta_medic', { strip: true });

/** twiggy's CSV: one row per item, `Name,ShallowSize,…`; names may hold quoted commas. */
function items(csv) {
  const rows = [];
  for (const line of csv.split('\n').slice(1)) {
    const m = /^("(?:[^"]|"")*"|[^,]*),(\d+),/.exec(line);
    if (m) rows.push({ name: m[1].replace(/^"|"$/g, '').replace(/""/g, '"'), bytes: Number(m[2]) });
  }
  return rows;
}

const STD = new Set(['core', 'alloc', 'std', 'hashbrown', 'dlmalloc', 'memchr', 'f64', 'f32', 'str', 'char',
  'u8', 'u32', 'u64', 'usize', 'i32', 'i64', 'T', 'A']);

/** The group an item counts in: the core's module (to `depth` path segments), else its crate. */
function group(name) {
  if (name.startsWith('data segment')) return 'data segments (catalogues, strings)';
  if (name.includes('function names') || name.startsWith('"')) return '(names section: not shipped)';
  if (name.includes('externref shim')) return 'export shims (the core inlined into them)';
  let path = name;
  const impl = /^<+&?(?:mut )?([A-Za-z_][\w:]*)/.exec(name);
  if (name.startsWith('<') && impl) path = impl[1];
  const parts = path.replace(/\[[0-9a-f]+\]/g, '').split('::');
  if (parts[0] === 'okta_medic') return parts.length > depth ? parts.slice(0, depth).join('::') : 'okta_medic';
  if (STD.has(parts[0]) || parts[0].startsWith('__')) return 'std (core, alloc, fmt, hashbrown, dlmalloc)';
  if (/^(type|import|export|custom section|elem|table|memory|global|code|data count|wasm magic)/.test(name)) {
    return 'module structure (types, imports, exports, headers)';
  }
  return parts[0].split(' ')[0];
}

const totals = new Map();
for (const { name, bytes } of items(run('twiggy', ['top', '-n', '1000000', '-f', 'csv', named]).toString())) {
  const g = group(name);
  totals.set(g, (totals.get(g) ?? 0) + bytes);
}
const sorted = [...totals].sort((a, b) => b[1] - a[1]);
const shipped = sorted.filter(([g]) => !g.startsWith('(names')).reduce((s, [, b]) => s + b, 0);
console.log(`${feature} module, -Oz, shallow bytes by crate / core module (twiggy top on ${named}):`);
for (const [g, b] of sorted) {
  const share = g.startsWith('(names') ? '' : ` ${((100 * b) / shipped).toFixed(1).padStart(5)} %`;
  console.log(`${String(b).padStart(9)}${share}  ${g}`);
}
const wasm = readFileSync(stripped);
console.log(`shipped build (no names): ${wasm.length} B raw, ${gzipSync(wasm, { level: 9 }).length} B gzip -9 (${stripped})`);
