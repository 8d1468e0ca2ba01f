// Unit tests of the offline page's bundler (tools/bundle-web.mjs) and the release's zip writer
// (tools/zip.mjs): the forms of import and export the repository uses come out as one classic
// script that behaves like the modules; unknown forms fail loudly; the
// same files give the same zip bytes, which read back as written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vm from 'node:vm';
import { bundle } from '../../tools/bundle-web.mjs';
import { unzip, zip, zipDir } from '../../tools/zip.mjs';

function tree(files) {
  const dir = mkdtempSync(join(tmpdir(), 'okta-medic-bundle-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

test('the bundle runs the module graph as one classic script, exports shared', () => {
  const dir = tree({
    'lib/a.js': "export const state = { count: 0 };\nexport function bump() {\n  state.count += 1;\n}\nconst hidden = 'h';\nexport { hidden as shown };\n",
    'lib/b.js': "import * as a from './a.js';\nexport default function twice() {\n  a.bump();\n  a.bump();\n}\nexport const meta = typeof import.meta.url;\n",
    'main.js':
      "import twice, { meta } from './lib/b.js';\nimport { state, shown, bump } from './lib/a.js';\nimport * as a from './lib/a.js';\nimport { base64 } from 'inline:data';\ntwice();\nbump();\nglobalThis.out = { count: a.state.count, same: a.state === state, shown, meta, base64 };\n",
    'data.bin': 'hi',
  });
  try {
    const code = bundle(join(dir, 'main.js'), new Map([['inline:data', join(dir, 'data.bin')]]));
    assert.doesNotMatch(code, /^\s*(import|export)\s/m);
    const context = vm.createContext({ document: { baseURI: 'file:///x/index.html' } });
    vm.runInContext(code, context);
    assert.deepEqual({ ...context.out }, { count: 3, same: true, shown: 'h', meta: 'string', base64: 'aGk=' });
    assert.equal(bundle(join(dir, 'main.js'), new Map([['inline:data', join(dir, 'data.bin')]])), code, 'not deterministic');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the bundler refuses what it cannot translate', () => {
  for (const [source, message] of [
    ["import x from 'lodash';\n", /bare import/],
    ["const m = await import('./x.js');\n", /dynamic import/],
    ['export * from "./x.js";\n', /unsupported export/],
    ['export let n = 1;\n', /exported let n/],
  ]) {
    const dir = tree({ 'main.js': source, 'x.js': 'export const x = 1;\n' });
    try {
      assert.throws(() => bundle(join(dir, 'main.js')), message);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

test('zip: same files, same bytes; entries read back sorted, stamped and with their modes', () => {
  const dir = tree({ 'b.txt': 'bee\n'.repeat(100), 'a/c.txt': 'sea', 'run.sh': '#!/bin/sh\n' });
  try {
    const first = zipDir(dir, 1764979200);
    writeFileSync(join(dir, 'b.txt'), 'bee\n'.repeat(100)); // a new mtime, the same content
    assert.ok(zipDir(dir, 1764979200).equals(first), 'a rewritten file changed the zip');
    assert.ok(!zipDir(dir, 1764979202).equals(first), 'the stamp is not SOURCE_DATE_EPOCH');
    const entries = unzip(first);
    assert.deepEqual(entries.map((e) => e.name), ['a/c.txt', 'b.txt', 'run.sh']);
    assert.equal(entries[1].data.toString(), 'bee\n'.repeat(100));
    assert.equal(new Set(entries.map((e) => `${e.date}:${e.time}`)).size, 1);
    assert.equal(unzip(zip([{ name: 'x', data: Buffer.from('') }], 0))[0].data.length, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
