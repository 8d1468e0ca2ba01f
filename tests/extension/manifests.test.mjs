// The built manifests keep least privilege: the shipped Chrome and Firefox extensions (unpacked
// and zipped) hold host permissions for Okta's own domains only (okta.md §7; never <all_urls>),
// ask for anything else (custom domains, an app's origin, an issuer) as optional origins, and
// register no content script up front; each browser gets only the API permissions its live
// capture needs. The E2E test builds differ from them by nothing but the loopback host
// permissions and their name.
// Run after ./build.sh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DIST = join(ROOT, 'dist');
const OKTA = [
  'https://*.okta.com/*',
  'https://*.oktapreview.com/*',
  'https://*.okta-emea.com/*',
  'https://*.okta-gov.com/*',
  'https://*.okta.mil/*',
  'https://*.okta-miltest.com/*',
  'https://*.trex-govcloud.com/*',
  'https://*.trex-gov.com/*',
  'https://*.trexcloud.com/*',
];
const OPTIONAL = ['https://*/*', 'http://*/*'];
const PERMISSIONS = {
  // scripting: the per-site opt-in MAIN-world hook that relays error bodies (Chromium has no
  // response bodies in webRequest).
  chrome: ['storage', 'webRequest', 'activeTab', 'scripting'],
  // Firefox reads error bodies with webRequest.filterResponseData (blocking listener, MV3);
  // scripting (both browsers): reading a page's stored tokens when the user asks.
  firefox: ['storage', 'webRequest', 'activeTab', 'webRequestBlocking', 'webRequestFilterResponse', 'scripting'],
};
const TEST_HOSTS = ['http://127.0.0.1/*', 'https://127.0.0.1/*', 'http://localhost/*'];

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

/** One file of a zip archive (stored or deflated), read through its central directory. */
function unzipFile(zipPath, name) {
  const zip = readFileSync(zipPath);
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, `${zipPath}: not a zip`);
  let at = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < zip.readUInt16LE(eocd + 10); i++) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const skip = nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    if (zip.toString('utf8', at + 46, at + 46 + nameLength) === name) {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + size);
      return method === 0 ? data : inflateRawSync(data);
    }
    at += 46 + skip;
  }
  throw new Error(`${zipPath} has no ${name}`);
}

/** path → sha256 of every file under `dir`. */
function tree(dir) {
  const out = {};
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else out[relative(dir, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

for (const browser of ['chrome', 'firefox']) {
  test(`dist/${browser} and its zip hold Okta's hosts only, everything else optional`, () => {
    assert.ok(existsSync(join(DIST, browser, 'manifest.json')), 'not built: run ./build.sh');
    const unpacked = readJson(join(DIST, browser, 'manifest.json'));
    const zipped = JSON.parse(unzipFile(join(DIST, `okta-medic-${browser}.zip`), 'manifest.json').toString('utf8'));
    for (const manifest of [unpacked, zipped]) {
      assert.deepEqual(manifest.host_permissions, OKTA);
      assert.deepEqual(manifest.optional_host_permissions, OPTIONAL);
      assert.deepEqual(manifest.permissions, PERMISSIONS[browser]);
      assert.equal(manifest.content_scripts, undefined);
      assert.doesNotMatch(JSON.stringify(manifest), /<all_urls>|\*:\/\/\*\/\*/);
      assert.equal(manifest.options_ui.page, 'options/options.html');
      assert.doesNotMatch(manifest.name, /test/i);
    }
    assert.deepEqual(zipped, unpacked);
  });

  test(`dist/${browser}-test is dist/${browser} plus the loopback host permission, nothing else`, () => {
    const shipped = readJson(join(DIST, browser, 'manifest.json'));
    const testBuild = readJson(join(DIST, `${browser}-test`, 'manifest.json'));
    assert.deepEqual(testBuild.host_permissions, [...OKTA, ...TEST_HOSTS]);
    assert.match(testBuild.name, /do not ship/);
    assert.deepEqual(
      { ...testBuild, host_permissions: OKTA, name: shipped.name },
      shipped,
    );
    const files = tree(join(DIST, browser));
    const testFiles = tree(join(DIST, `${browser}-test`));
    delete files['manifest.json'];
    delete testFiles['manifest.json'];
    assert.deepEqual(testFiles, files);
  });
}

// The minimum browser versions the manifests declare rest on the newest platform feature the
// extension's sources use (README § Releases). Each row: how a use is found, and the version
// that introduced it (Chrome; Firefox), from MDN's compatibility tables and Chrome's API
// reference. The Chrome minimum is exactly the newest feature found, so the README's reason stays
// true; Firefox's is at least it (142 for data_collection_permissions, above every row).
const FEATURES = [
  { name: 'CSS color-mix()', files: /\.css$/, use: /color-mix\(/, chrome: 111, firefox: 113 },
  { name: 'storage.session', files: /\.js$/, use: /storage\.session/, chrome: 102, firefox: 115 },
  { name: "scripting.registerContentScripts world: 'MAIN'", files: /\.js$/, use: /world:\s*'MAIN'/, chrome: 102, firefox: 128 },
  { name: 'Object.hasOwn', files: /\.js$/, use: /Object\.hasOwn\(/, chrome: 93, firefox: 92 },
];

test('the minimum browser versions are the newest feature the sources use', () => {
  const sources = [];
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'pkg') walk(path);
      } else sources.push({ path, text: readFileSync(path, 'utf8') });
    }
  };
  walk(join(ROOT, 'extension'));
  const used = FEATURES.filter((f) => sources.some((s) => f.files.test(s.path) && f.use.test(s.text)));
  assert.ok(used.some((f) => f.name === 'CSS color-mix()'), 'the scan finds the CSS it is about');
  const chrome = readJson(join(ROOT, 'extension', 'manifest.chrome.json')).minimum_chrome_version;
  const firefox = readJson(join(ROOT, 'extension', 'manifest.firefox.json')).browser_specific_settings.gecko.strict_min_version;
  assert.equal(Number(chrome), Math.max(...used.map((f) => f.chrome)), `minimum_chrome_version for ${used.map((f) => f.name).join(', ')}`);
  for (const f of used) assert.ok(parseFloat(firefox) >= f.firefox, `Firefox ${firefox} has ${f.name} (${f.firefox})`);
});
