// The shipped wasm modules hold no path of the machine that built them: a panic location's file
// would otherwise name the builder's cargo home (/root/.cargo/registry/src/…) or the checkout,
// and a rebuild under another home (a release's SOURCE.md check) would not give the same bytes.
// build.sh builds the wasm with --remap-path-prefix for the cargo registry. Run after ./build.sh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CARGO_HOME = process.env.CARGO_HOME ?? join(homedir(), '.cargo');

for (const browser of ['chrome', 'firefox']) {
  const pkg = join(ROOT, 'dist', browser, 'pkg');
  const modules = readdirSync(pkg).filter((f) => f.endsWith('.wasm'));
  test(`${browser}: the wasm modules name no directory of the build machine`, () => {
    assert.equal(modules.length, 2, `two modules in ${pkg}`);
    for (const name of modules) {
      const bytes = readFileSync(join(pkg, name)).toString('latin1');
      for (const dir of [CARGO_HOME, homedir(), ROOT, '/registry/src/']) {
        assert.ok(!bytes.includes(dir), `${name} holds ${dir}`);
      }
      // The remap leaves each dependency's file relative to the registry (what it still names).
      assert.ok(bytes.includes('index.crates.io-'), `${name}: its dependencies' panic locations are still there, relative`);
    }
  });
}
