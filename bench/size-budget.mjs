// ./build.sh test, step size-budget: fails when the service worker's wasm (the sw module, gzip -9),
// the UI pages' ui module or either browser package grows past the numbers committed in
// bench/size-budget.json. The budget is the
// measured size plus a small margin; lowering it after a cut is how the progress is kept.
// `node bench/size-budget.mjs --print` prints the current sizes without judging them.
import { readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const budget = JSON.parse(readFileSync(join(ROOT, 'bench', 'size-budget.json'), 'utf8'));

/** Bytes of each budgeted artefact, null when it is missing (a missing artefact fails). */
function measure() {
  const read = (p) => { try { return readFileSync(join(ROOT, p)); } catch { return null; } };
  const size = (p) => { try { return statSync(join(ROOT, p)).size; } catch { return null; } };
  const wasm = read('extension/pkg/okta_medic_bg.wasm');
  const ui = read('extension/pkg/okta_medic_ui_bg.wasm');
  return {
    serviceWorkerWasmGzip: wasm && gzipSync(wasm, { level: 9 }).length,
    uiWasmGzip: ui && gzipSync(ui, { level: 9 }).length,
    chromePackage: size('dist/okta-medic-chrome.zip'),
    firefoxPackage: size('dist/okta-medic-firefox.zip'),
  };
}

const sizes = measure();
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
let failed = 0;
for (const [name, limit] of Object.entries(budget.bytes)) {
  const got = sizes[name];
  if (process.argv.includes('--print')) {
    console.log(`${name}: ${got} B`);
    continue;
  }
  if (got == null) {
    console.log(`not ok - ${name}: missing (build first)`);
    failed++;
  } else if (got > limit) {
    console.log(`not ok - ${name}: ${got} B (${kib(got)}) is over its budget of ${limit} B (${kib(limit)}); cut it, or raise bench/size-budget.json and say why in the commit`);
    failed++;
  } else {
    console.log(`ok - ${name}: ${got} B (${kib(got)}), budget ${limit} B (${kib(limit)}), ${limit - got} B to spare`);
  }
}
for (const name of Object.keys(sizes)) {
  if (!(name in budget.bytes)) {
    console.log(`not ok - ${name}: has no budget in bench/size-budget.json`);
    failed++;
  }
}
process.exitCode = failed ? 1 : 0;
