// Checks what `./build.sh release` wrote to dist/release/ (it runs this last): SHA256SUMS matches
// the files; the source archive holds what its SOURCE.md lists, and the files a rebuild needs;
// the version is crate/Cargo.toml's everywhere (file names, both manifests, the CLI, the offline
// page's core, SOURCE.md); the packages carry the LICENSE-matching manifests and their stamps
// are SOURCE_DATE_EPOCH's, not the build's clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { crateVersion } from '../../tools/merge-manifest.mjs';
import { releaseNames } from '../../tools/release.mjs';
import { unzip } from '../../tools/zip.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = join(ROOT, 'dist', 'release');
if (!existsSync(join(OUT, 'SHA256SUMS'))) throw new Error(`${OUT}/SHA256SUMS missing: run ./build.sh release`);

const version = crateVersion();
const names = releaseNames(version);
const read = (name) => readFileSync(join(OUT, name));
const entries = (name) => new Map(unzip(read(name)).map((e) => [e.name, e]));

test('SHA256SUMS lists every release file once, with its hash', () => {
  const lines = readFileSync(join(OUT, 'SHA256SUMS'), 'utf8').trim().split('\n');
  const listed = lines.map((line) => {
    const [, hash, name] = line.match(/^([0-9a-f]{64}) {2}(\S+)$/) ?? [];
    assert.ok(name, `bad line: ${line}`);
    assert.equal(createHash('sha256').update(read(name)).digest('hex'), hash, `${name}: hash differs`);
    return name;
  });
  const files = readdirSync(OUT).filter((n) => n !== 'SHA256SUMS').sort();
  assert.deepEqual(listed, files);
  assert.deepEqual(files, [names.chrome, names.firefox, names.source, names.web].sort());
});

test('the version is crate/Cargo.toml’s in both manifests, the CLI and the offline page', async () => {
  const chrome = JSON.parse(entries(names.chrome).get('manifest.json').data);
  const firefox = JSON.parse(entries(names.firefox).get('manifest.json').data);
  assert.equal(chrome.version, version);
  assert.equal(firefox.version, version);
  assert.ok(chrome.minimum_chrome_version, 'no minimum_chrome_version');
  assert.ok(firefox.browser_specific_settings.gecko.strict_min_version, 'no strict_min_version');
  assert.equal(chrome.background.service_worker, 'background.js');
  assert.deepEqual(firefox.background.scripts, ['background.js']);
  const cli = execFileSync(join(ROOT, 'target', 'release', 'okta-medic'), ['--version'], { encoding: 'utf8' });
  assert.match(cli, new RegExp(`\\b${version.replaceAll('.', '\\.')}\\b`));
  // The page's core, from the zip, run as a page runs it.
  const web = entries(names.web);
  const context = vm.createContext({ atob, WebAssembly, TextEncoder, TextDecoder, FinalizationRegistry, console });
  vm.runInContext(web.get(`${names.webFolder}core.js`).data.toString('utf8'), context);
  await context.OktaMedicCore.load();
  assert.equal(context.OktaMedicCore.compose().coreVersion(), version);
  for (const file of ['index.html', 'app.js', 'core.js']) assert.ok(web.has(`${names.webFolder}${file}`), file);
});

test('the source archive holds what SOURCE.md lists and what a rebuild needs', () => {
  const source = entries(names.source);
  const md = source.get(`${names.sourceFolder}SOURCE.md`)?.data.toString('utf8');
  assert.ok(md, 'no SOURCE.md');
  assert.match(md, new RegExp(`Okta Medic ${version.replaceAll('.', '\\.')}`));
  for (const tool of ['rustc', 'cargo', 'wasm-bindgen', 'binaryen', 'Node.js']) assert.match(md, new RegExp(tool), tool);
  assert.match(md, /\.\/build\.sh packages/);
  assert.match(md, /SOURCE_DATE_EPOCH=\d+/);
  const listed = [...md.split('## Contents')[1].matchAll(/^- `([^`]+)`$/gm)].map((m) => m[1]);
  const tops = new Set([...source.keys()].map((n) => n.slice(names.sourceFolder.length).split('/')[0]));
  assert.deepEqual(listed, [...tops].sort(), 'SOURCE.md Contents ≠ the archive');
  for (const path of ['build.sh', 'Cargo.lock', 'Cargo.toml', 'package-lock.json', 'LICENSE', 'crate/Cargo.toml', 'crate/src/lib.rs', 'extension/manifest.base.json', 'tools/bundle.mjs', 'tools/release.mjs', 'web/index.html']) {
    assert.ok(source.has(`${names.sourceFolder}${path}`), `${path} missing from the source archive`);
  }
  assert.equal(source.get(`${names.sourceFolder}build.sh`).mode & 0o111, 0o111, 'build.sh lost its executable bit');
  for (const name of source.keys()) assert.ok(!/\/(target|node_modules|dist)\//.test(name), `${name} is a build output`);
});

test('the packages are stamped with the commit time, in sorted order', () => {
  for (const name of [names.chrome, names.firefox, names.web, names.source]) {
    const list = unzip(read(name));
    const stamps = new Set(list.map((e) => `${e.date}:${e.time}`));
    assert.equal(stamps.size, 1, `${name}: entries carry ${stamps.size} different timestamps`);
    const order = list.map((e) => e.name);
    assert.deepEqual(order, [...order].sort(), `${name}: entries not sorted`);
  }
});

test('LICENSE is MIT, as Cargo.toml and package.json say', () => {
  const license = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
  assert.match(license, /^MIT License/);
  assert.match(license, /Copyright \(c\) \d{4} Okta Medic contributors/);
  assert.match(readFileSync(join(ROOT, 'crate', 'Cargo.toml'), 'utf8'), /^license = "MIT"$/m);
});
