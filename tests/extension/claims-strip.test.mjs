// The claims strip under the popup's token timeline and the CLI's "Claims" lines show the same
// claims in the same order: one list of names, kept in two languages, tested equal here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { MAIN_CLAIMS } from '../../extension/lib/token-view.js';

test('the popup strip and the CLI name the same main claims in the same order', () => {
  const rust = readFileSync(new URL('../../crate/src/cli/render.rs', import.meta.url), 'utf8');
  const list = rust.match(/const MAIN_CLAIMS: &\[&str\] = &\[([^\]]*)\];/);
  assert.ok(list, 'MAIN_CLAIMS in crate/src/cli/render.rs');
  const names = [...list[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(MAIN_CLAIMS, names);
  assert.deepEqual(names, ['sub', 'aud', 'scp', 'cid', 'iss', 'exp']);
});
