// Unit tests of the release's zip writer (tools/zip.mjs): the same files give the same zip bytes,
// which read back as written. (The offline page's bundler, tools/bundle.mjs, has its own:
// bundle.test.mjs.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzip, zip, zipDir } from '../../tools/zip.mjs';

function tree(files) {
  const dir = mkdtempSync(join(tmpdir(), 'okta-medic-zip-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

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
