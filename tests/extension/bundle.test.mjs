// tools/bundle.mjs, the one ES-module bundler, in both of build.sh's uses: the offline page's
// classic scripts (dist/web/: the wasm inline, import.meta.url read as document.baseURI) and
// dist's popup (one ES module; the wasm-bindgen glue stays a module of its own; whole-line
// comments dropped; popup.html pointed at the bundle). The forms of import and export the
// repository uses come out behaving like the modules; the same sources give the same bytes;
// a form the tool does not translate fails the build instead of shipping a broken page. (The E2E
// specs run the bundled popup and dist/web/ in Chromium and Firefox.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { bundle, check, includeParts, unnamed } from '../../tools/bundle.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TOOL = join(ROOT, 'tools', 'bundle.mjs');

function tree(files) {
  const dir = mkdtempSync(join(tmpdir(), 'okta-medic-bundle-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

function withTree(files, fn) {
  const dir = tree(files);
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const GRAPH = {
  'lib/a.js': "export const state = { count: 0 };\nexport function bump() {\n  state.count += 1;\n}\nconst hidden = 'h';\nexport { hidden as shown };\nlet counter = 0;\nexport function inc() {\n  counter += 1;\n}\nexport { counter };\n",
  'lib/b.js': "import * as a from './a.js';\nexport default function twice() {\n  a.bump();\n  a.bump();\n}\nexport const meta = typeof import.meta.url;\n",
  'main.js':
    "import twice, { meta } from './lib/b.js';\nimport { state, shown, bump } from './lib/a.js';\nimport * as a from './lib/a.js';\nimport { base64 } from 'inline:data';\ntwice();\nbump();\na.inc();\nglobalThis.out = { count: a.state.count, same: a.state === state, shown, meta, base64, counter: a.counter };\n",
  'data.bin': 'hi',
};

test('classic: the module graph runs as one classic script, exports shared (a reassigned let read live), the inline file as base64', () => {
  withTree(GRAPH, (dir) => {
    const options = { inline: new Map([['inline:data', join(dir, 'data.bin')]]) };
    const { code, modules } = bundle(join(dir, 'main.js'), options);
    assert.doesNotMatch(code, /^\s*(import|export)\s/m);
    check(code, 'classic');
    const context = vm.createContext({ document: { baseURI: 'file:///x/index.html' } });
    vm.runInContext(code, context);
    assert.deepEqual({ ...context.out }, { count: 3, same: true, shown: 'h', meta: 'string', base64: 'aGk=', counter: 1 });
    assert.deepEqual(modules.map((f) => f.slice(dir.length + 1)), ['lib/a.js', 'lib/b.js', 'main.js'], 'depth-first, entry last');
    assert.equal(bundle(join(dir, 'main.js'), options).code, code, 'not deterministic');
  });
});

test('module: external modules stay module imports, import.meta.url is each module\'s own URL', async () => {
  const files = {
    'pkg/glue.js': 'export const glue = {};\nexport default function init() {\n  return 1;\n}\n',
    'lib/where.js': 'export const where = import.meta.url;\n',
    'popup/main.js':
      "import init, * as g from '../pkg/glue.js';\nimport { where } from '../lib/where.js';\n// a comment line\nglobalThis.bundled = { g, init: init(), where, self: import.meta.url }; // kept\n",
  };
  const dir = tree(files);
  try {
    const out = join(dir, 'popup', 'main.bundle.js');
    const options = { format: 'module', out, external: [join(dir, 'pkg')], stripComments: true };
    const { code, external } = bundle(join(dir, 'popup', 'main.js'), options);
    assert.deepEqual(external, [join(dir, 'pkg', 'glue.js')]);
    assert.match(code, /^import \* as __external0 from "\.\.\/pkg\/glue\.js";$/m);
    assert.doesNotMatch(code, /^(import|export)\s(?!\* as __external)/m, 'no module syntax left but the external import');
    assert.doesNotMatch(code, /a comment line/);
    assert.match(code, /\/\/ kept/, 'a comment after code stays');
    check(code, 'module');
    writeFileSync(out, code);
    await import(pathToFileURL(out).href);
    const glue = await import(pathToFileURL(join(dir, 'pkg', 'glue.js')).href);
    assert.equal(globalThis.bundled.g.glue, glue.glue, 'the glue is one module instance, not a copy');
    assert.equal(globalThis.bundled.init, 1);
    assert.equal(globalThis.bundled.where, pathToFileURL(join(dir, 'lib', 'where.js')).href);
    assert.equal(globalThis.bundled.self, pathToFileURL(join(dir, 'popup', 'main.js')).href);
  } finally {
    delete globalThis.bundled;
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the bundler refuses what it cannot translate', () => {
  for (const [source, message, options] of [
    ["import x from 'lodash';\n", /bare import/],
    ["const m = await import('./x.js');\n", /dynamic import/],
    ['export * from "./x.js";\n', /unsupported export/],
    ["export { x } from './x.js';\n", /unsupported export/],
    ['export let n = 1;\n', /exported let n/],
    ["import './main.js';\n", /import cycle/],
    ["import { x } from './x.js';\n", /needs --format module/, { external: ['x.js'] }],
    ['const text = `a\n// b`;\n', /multi-line template literal/, { stripComments: true }],
    ['/* note */ const n = 1;\n', /code after a block comment/, { stripComments: true }],
  ]) {
    withTree({ 'main.js': source, 'x.js': 'export const x = 1;\n' }, (dir) => {
      const external = (options?.external ?? []).map((f) => join(dir, f));
      assert.throws(() => bundle(join(dir, 'main.js'), { ...options, external }), message);
    });
  }
  assert.throws(() => check('const a = 1;\nconst a = 2;\n', 'classic'), /does not parse/);
});

test('--html: an include becomes the named part of another page, indented, its headings moved down', () => {
  const files = {
    'ext/main.js': 'globalThis.x = 1;\n',
    'ext/panel.html':
      '<main>\n  <!-- part bar -->\n  <div class="bar"><button>Go</button></div>\n  <!-- /part bar -->\n' +
      '  <!-- part view -->\n  <section>\n    <h2 id="t">Title</h2>\n    <p>Text</p>\n\n    <h3>Sub</h3>\n  </section>\n  <!-- /part view -->\n</main>\n',
    'web/index.html':
      '<body>\n  <section>\n    <!-- include bar from ../ext/panel.html -->\n' +
      '    <!-- include view from ../ext/panel.html, headings +1 -->\n  </section>\n</body>\n',
  };
  withTree(files, (dir) => {
    assert.equal(
      includeParts(join(dir, 'web', 'index.html')),
      '<body>\n  <section>\n    <div class="bar"><button>Go</button></div>\n' +
        '    <section>\n      <h3 id="t">Title</h3>\n      <p>Text</p>\n\n      <h4>Sub</h4>\n    </section>\n  </section>\n</body>\n',
    );
    const out = join(dir, 'out.html');
    execFileSync(process.execPath, [TOOL, join(dir, 'ext', 'main.js'), join(dir, 'out.js'), '--html', `${join(dir, 'web', 'index.html')}=${out}`]);
    assert.equal(readFileSync(out, 'utf8'), includeParts(join(dir, 'web', 'index.html')), 'the CLI writes what includeParts gives');
  });
});

test('--html refuses a part that is missing, twice there or unreadable, headings past h6 and an include it cannot read', () => {
  const panel = '<!-- part p -->\n<h6>x</h6>\n<!-- /part p -->\n<!-- part twice -->\n<!-- /part twice -->\n<!-- part twice -->\n<!-- /part twice -->\n';
  for (const [include, message] of [
    ['<!-- include nope from panel.html -->', /no single part nope/],
    ['<!-- include twice from panel.html -->', /no single part twice/],
    ['<!-- include p from gone.html -->', /gone\.html cannot be read/],
    ['<!-- include p from panel.html, headings +1 -->', /moved past <h6>/],
    ['<!-- include p from panel.html headings +1 -->', /an include this tool does not read/],
  ]) {
    withTree({ 'panel.html': panel, 'index.html': `${include}\n` }, (dir) => {
      assert.throws(() => includeParts(join(dir, 'index.html')), message);
    });
  }
});

test('--prune keeps a module any file left names by path, from its folder or from the root, and only those', () => {
  withTree({
    'popup/popup.js': '', 'popup/live.js': '', 'popup/kept.js': '',
    'lib/only-popup.js': '', 'lib/shared.js': "import { y } from './by-shared.js';\n", 'lib/by-shared.js': '',
    'lib/by-manifest.js': '', 'lib/by-worker.js': '',
    'devtools/live.js': "import { x } from '../lib/shared.js';\n",
    'devtools/panel.html': '<script type="module" src="live.js"></script>\n',
    'background.js': "chrome.scripting.registerContentScripts([{ js: ['lib/by-worker.js'] }]);\n",
    'manifest.json': '{ "background": { "service_worker": "lib/by-manifest.js" } }\n',
    'popup/popup.html': '<script type="module" src="popup.bundle.js"></script><!-- kept.js in a comment, unquoted -->\n',
    'popup/popup.bundle.js': 'const s = "./kept.js";\n',
  }, (dir) => {
    const modules = ['popup/popup.js', 'popup/live.js', 'popup/kept.js', 'lib/only-popup.js', 'lib/shared.js',
      'lib/by-shared.js', 'lib/by-manifest.js', 'lib/by-worker.js'].map((f) => join(dir, f));
    assert.deepEqual(unnamed(modules, dir).map((f) => f.slice(dir.length + 1)),
      ['popup/popup.js', 'popup/live.js', 'lib/only-popup.js'],
      'devtools/live.js is another file than popup/live.js; a bundle naming ./kept.js still needs it; '
      + 'lib/by-shared.js is named only by a bundled module that stays');
  });
});

const filesUnder = (dir) => readdirSync(dir, { recursive: true }).map((f) => join(dir, f)).filter((f) => statSync(f).isFile());

// dist's popup, as build.sh's assemble_extension bundles it: the whole extension, so that --prune
// sees every page that could name a module.
function copy() {
  const dir = mkdtempSync(join(tmpdir(), 'om-bundle-'));
  cpSync(join(ROOT, 'extension'), dir, { recursive: true, filter: (from) => !from.startsWith(join(ROOT, 'extension', 'pkg')) });
  return dir;
}

const run = (dir) => execFileSync(process.execPath, [TOOL, join(dir, 'popup', 'popup.js'), join(dir, 'popup', 'popup.bundle.js'),
  '--format', 'module', '--external', join(dir, 'pkg'), '--strip-comments', '--page', join(dir, 'popup', 'popup.html'), '--prune'],
{ encoding: 'utf8', stdio: 'pipe' });

test('the popup loads one bundle holding every module of popup.js\'s graph, and preloads only the wasm and its glue', () => {
  const dir = copy();
  try {
    const source = readFileSync(join(dir, 'popup', 'popup.html'), 'utf8');
    const graph = [...source.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map(([, h]) => h)
      .filter((h) => !h.startsWith('../pkg/'));
    run(dir);
    const html = readFileSync(join(dir, 'popup', 'popup.html'), 'utf8');
    const bundled = readFileSync(join(dir, 'popup', 'popup.bundle.js'), 'utf8');
    assert.match(html, /<script type="module" src="popup\.bundle\.js"><\/script>/);
    for (const gone of ['popup.js', 'paste.js', 'live.js', 'page-storage.js']) {
      assert.ok(!existsSync(join(dir, 'popup', gone)), `popup/${gone} is in the bundle, not beside it`);
    }
    assert.ok(existsSync(join(dir, 'lib', 'render.js')), 'lib/render.js stays: the DevTools panel imports it');
    assert.ok(!existsSync(join(dir, 'lib', 'paste-view.js')), 'lib/paste-view.js leaves: only the popup (bundled) imports it');
    const left = graph.map((h) => join(dir, 'popup', h)).filter((f) => existsSync(f));
    assert.deepEqual(unnamed(left, dir), [], 'every bundled module left in the extension is one another page loads');
    // Nothing a page left in the extension loads is gone: every relative import of every module
    // left (a page's scripts, the worker's, and what they import) is there.
    for (const file of filesUnder(dir).filter((f) => f.endsWith('.js'))) {
      for (const [, spec] of readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s*'(\.{1,2}\/[^']+)'/gms)) {
        const target = join(dirname(file), spec);
        if (!target.includes(`${dir}/pkg/`)) assert.ok(existsSync(target), `${file.slice(dir.length + 1)} imports ${spec}, pruned`);
      }
    }
    assert.doesNotMatch(html, /src="popup\.js"/);
    assert.deepEqual([...html.matchAll(/<link rel="(?:module)?preload" href="([^"]+)"/g)].map(([, h]) => h),
      ['../pkg/okta_medic_ui_bg.wasm', '../pkg/okta_medic_ui.js']);
    const wrapped = [...bundled.matchAll(/^\/\/ ---- (\S+)\nconst __m\d+ = /gm)].map(([, f]) => f.replace(/^\.\//, ''));
    assert.deepEqual([...wrapped].sort(), [...graph, 'popup.js'].sort());
    assert.equal(wrapped.at(-1), 'popup.js', 'the entry is evaluated last');
    assert.match(bundled, /^import \* as __external0 from "\.\.\/pkg\/okta_medic_ui\.js";$/m);
    assert.doesNotMatch(bundled, /^(import|export)\s(?!\* as __external)/m, 'no module syntax left but the glue import');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the same popup sources give the same bundle', () => {
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
  ['export let', 'export let later = 1;\n'],
  ['a dynamic import', "const later = import('./live.js');\n"],
  ['a multi-line template literal (a line of it starting with // is text)', 'const text = `a\n// b`;\n'],
  ['a module redeclaring a name it imports (node --check refuses the bundle)', 'export function mountPasteView() {}\n'],
]) {
  test(`in the popup, ${what} fails the build and writes nothing`, () => {
    const dir = copy();
    try {
      appendFileSync(join(dir, 'popup', 'paste.js'), line);
      assert.throws(() => run(dir), (err) => err.status === 1 && /^bundle: /m.test(err.stderr));
      assert.ok(!existsSync(join(dir, 'popup', 'popup.bundle.js')));
      assert.match(readFileSync(join(dir, 'popup', 'popup.html'), 'utf8'), /src="popup\.js"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
