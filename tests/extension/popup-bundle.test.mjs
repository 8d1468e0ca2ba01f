// tools/bundle-popup.mjs (build.sh runs it on each dist copy): the popup's modules become one
// file, its popup.html loads that file and preloads only the wasm and its glue; the same sources
// give the same bytes; a module shape the tool does not read fails the build instead of
// shipping a broken popup. (The E2E specs run the bundled popup in Chromium and Firefox.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TOOL = join(ROOT, 'tools', 'bundle-popup.mjs');

function copy() {
  const dir = mkdtempSync(join(tmpdir(), 'om-bundle-'));
  cpSync(join(ROOT, 'extension', 'popup'), join(dir, 'popup'), { recursive: true });
  cpSync(join(ROOT, 'extension', 'lib'), join(dir, 'lib'), { recursive: true });
  return dir;
}

const run = (dir) => execFileSync(process.execPath, [TOOL, dir], { encoding: 'utf8', stdio: 'pipe' });

test('the popup loads one bundle holding every module of popup.js\'s graph, and preloads only the wasm and its glue', () => {
  const dir = copy();
  try {
    const source = readFileSync(join(dir, 'popup', 'popup.html'), 'utf8');
    const graph = [...source.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map(([, h]) => h)
      .filter((h) => !h.startsWith('../pkg/'));
    run(dir);
    const html = readFileSync(join(dir, 'popup', 'popup.html'), 'utf8');
    const bundle = readFileSync(join(dir, 'popup', 'popup.bundle.js'), 'utf8');
    assert.match(html, /<script type="module" src="popup\.bundle\.js"><\/script>/);
    for (const gone of ['popup.js', 'paste.js', 'live.js', 'page-storage.js']) {
      assert.ok(!existsSync(join(dir, 'popup', gone)), `popup/${gone} is in the bundle, not beside it`);
    }
    assert.ok(existsSync(join(dir, 'lib', 'render.js')), 'lib/ stays: other pages import it');
    assert.doesNotMatch(html, /src="popup\.js"/);
    assert.deepEqual([...html.matchAll(/<link rel="(?:module)?preload" href="([^"]+)"/g)].map(([, h]) => h),
      ['../pkg/okta_medic_ui_bg.wasm', '../pkg/okta_medic_ui.js']);
    const wrapped = [...bundle.matchAll(/^\/\/ (\S+)\nconst __module\d+ = /gm)].map(([, f]) => f.replace(/^\.\//, ''));
    assert.deepEqual([...wrapped].sort(), [...graph, 'popup.js'].sort());
    assert.equal(wrapped.at(-1), 'popup.js', 'the entry is evaluated last');
    assert.match(bundle, /^import \* as __glue0 from '\.\.\/pkg\/okta_medic_ui\.js';$/m);
    assert.doesNotMatch(bundle, /^(import|export)\s(?!\* as __glue)/m, 'no module syntax left but the glue import');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the same sources give the same bundle', () => {
  const [a, b] = [copy(), copy()];
  try {
    run(a);
    run(b);
    assert.equal(readFileSync(join(a, 'popup', 'popup.bundle.js'), 'utf8'), readFileSync(join(b, 'popup', 'popup.bundle.js'), 'utf8'));
  } finally {
    rmSync(a, { recursive: true, force: true });
    rmSync(b, { recursive: true, force: true });
  }
});

for (const [what, line] of [
  ['export default', 'export default 1;\n'],
  ['export let', 'export let later = 1;\n'],
  ['a dynamic import', "const later = import('./live.js');\n"],
  ['a multi-line template literal (a line of it starting with // is text)', 'const text = `a\n// b`;\n'],
  ['a module redeclaring a name it imports (node --check refuses the bundle)', 'export function renderReport() {}\n'],
]) {
  test(`${what} fails the build`, () => {
    const dir = copy();
    try {
      appendFileSync(join(dir, 'popup', 'paste.js'), line);
      assert.throws(() => run(dir), (err) => err.status === 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
