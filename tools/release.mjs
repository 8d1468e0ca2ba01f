// The release files (`./build.sh release` calls this; build.sh has built dist/ first):
//
//   node tools/release.mjs pack DIST OUT [--source]   OUT/okta-medic-V-chrome.zip (DIST/chrome),
//        okta-medic-V-firefox.xpi (DIST/firefox), okta-medic-V-web.zip (DIST/web, in a folder);
//        with --source also okta-medic-V-source.zip (git HEAD + SOURCE.md: the toolchain and the
//        commands addons.mozilla.org's reviewers need for the compiled wasm); then SHA256SUMS.
//   node tools/release.mjs compare OUT1 OUT2          the packages of two builds, byte for byte
//                                                     (exit 1 naming what differs)
//
// V is crate/Cargo.toml's version (the one place it lives). Every zip is deterministic
// (tools/zip.mjs), stamped SOURCE_DATE_EPOCH (the last commit's time when unset).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crateVersion } from './merge-manifest.mjs';
import { entriesUnder, unzip, zip, zipDir } from './zip.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

const run = (cmd, args, options = {}) => execFileSync(cmd, args, { encoding: 'utf8', cwd: ROOT, ...options }).trim();

/** The release's file names for `version`. */
export function releaseNames(version = crateVersion()) {
  const base = `okta-medic-${version}`;
  return {
    chrome: `${base}-chrome.zip`,
    firefox: `${base}-firefox.xpi`,
    web: `${base}-web.zip`,
    webFolder: `${base}-web/`,
    source: `${base}-source.zip`,
    sourceFolder: `${base}-source/`,
    sums: 'SHA256SUMS',
  };
}

function epoch() {
  const set = process.env.SOURCE_DATE_EPOCH;
  if (set !== undefined) {
    if (!/^\d+$/.test(set)) throw new Error(`SOURCE_DATE_EPOCH is not epoch seconds: ${set}`);
    return Number(set);
  }
  return Number(run('git', ['log', '-1', '--format=%ct']));
}

/** `sha256sum` lines for every file in `dir` but SHA256SUMS, sorted by name. */
export function sums(dir) {
  return readdirSync(dir)
    .filter((name) => name !== 'SHA256SUMS')
    .sort()
    .map((name) => `${createHash('sha256').update(readFileSync(join(dir, name))).digest('hex')}  ${name}\n`)
    .join('');
}

function versionOf(cmd, args) {
  try {
    return run(cmd, args);
  } catch {
    return `(${cmd} not found)`;
  }
}

const lockedVersion = (name) => JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')).packages?.[`node_modules/${name}`]?.version;

/**
 * The source archive's build instructions: the exact toolchain this release was built with and
 * the commands that rebuild its packages byte for byte. The test reads its "Contents" list.
 */
export function sourceMd({ version, commit, when, contents }) {
  const debian = existsSync('/etc/debian_version') ? readFileSync('/etc/debian_version', 'utf8').trim() : 'unknown';
  return `# Okta Medic ${version}: source and build instructions

This archive is the source of Okta Medic ${version} (git commit \`${commit}\`), for reviewers of
the compiled WebAssembly in the Chrome and Firefox packages (addons.mozilla.org's source-code
policy). The packages' \`pkg/okta_medic_bg.wasm\` and \`pkg/okta_medic_ui_bg.wasm\` and their
\`pkg/*.js\` glue are generated from \`crate/\` (Rust) by the commands below; every other file in
the packages is copied from \`extension/\` as it is here (the manifests are merged from
\`extension/manifest.*.json\`, with the version from \`crate/Cargo.toml\`). The offline page's
\`core.js\` and \`app.js\` are concatenated from \`web/\` and \`extension/\` by \`tools/bundle.mjs\`,
which also writes its \`index.html\` from \`web/index.html\` with the DevTools panel's HAR view markup
(\`extension/devtools/panel.html\`) in place of its include comments.

## Toolchain (what built this release)

| Tool | Version |
|---|---|
| OS | Debian ${debian} (x86_64) |
| rustc | ${versionOf('rustc', ['--version'])} (with the \`wasm32-unknown-unknown\` target) |
| cargo | ${versionOf('cargo', ['--version'])} |
| wasm-bindgen-cli | ${versionOf('wasm-bindgen', ['--version'])} (the version Cargo.lock pins) |
| wasm-opt | npm binaryen ${lockedVersion('binaryen')} (package-lock.json; not Debian's binaryen) |
| Node.js | ${process.version} |
| npm | ${versionOf('npm', ['--version'])} |
| web-ext | ${lockedVersion('web-ext')} (package-lock.json; lint only) |

Rust crates are locked by \`Cargo.lock\`, npm tools by \`package-lock.json\` (npm ci).

## Build

\`\`\`sh
# rustup (https://rustup.rs) and Node.js >= 20, then the exact Rust release above:
rustup toolchain install ${versionOf('rustc', ['--version']).split(' ')[1] ?? 'stable'} --target wasm32-unknown-unknown
export RUSTUP_TOOLCHAIN=${versionOf('rustc', ['--version']).split(' ')[1] ?? 'stable'}
export SOURCE_DATE_EPOCH=${when}
./build.sh packages        # installs wasm-bindgen-cli (cargo) and the npm tools (npm ci) when missing,
                           # then builds extension/pkg/, dist/chrome/, dist/firefox/, dist/web/
node tools/release.mjs pack dist dist/release   # the zips, deterministic, and SHA256SUMS
\`\`\`

\`dist/release/${releaseNames(version).chrome}\`, \`${releaseNames(version).firefox}\` and \`${releaseNames(version).web}\`
are then byte-identical to the published ones (compare with the published SHA256SUMS);
\`./build.sh release\` in a git checkout does all of this twice and compares.

## Contents

${contents.map((name) => `- \`${name}\``).join('\n')}
`;
}

/** HEAD's files (git archive), plus SOURCE.md, as zip entries under `folder`. */
function sourceEntries(version, folder, when) {
  const tmp = mkdtempSync(join(tmpdir(), 'okta-medic-source-'));
  try {
    execFileSync('sh', ['-c', `git archive --format=tar HEAD | tar -x -C "${tmp}"`], { cwd: ROOT });
    const entries = entriesUnder(tmp, folder);
    const contents = [...new Set(entries.map((e) => e.name.slice(folder.length).split('/')[0]))].sort();
    const commit = run('git', ['rev-parse', 'HEAD']);
    const md = sourceMd({ version, commit, when, contents: [...contents, 'SOURCE.md'].sort() });
    return [...entries, { name: `${folder}SOURCE.md`, data: Buffer.from(md) }];
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

export function pack(dist, out, { source = false } = {}) {
  const version = crateVersion();
  const names = releaseNames(version);
  const when = epoch();
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const [dir, file] of [['chrome', names.chrome], ['firefox', names.firefox]]) {
    const manifest = JSON.parse(readFileSync(join(dist, dir, 'manifest.json'), 'utf8'));
    if (manifest.version !== version) throw new Error(`${dist}/${dir}/manifest.json is version ${manifest.version}, crate/Cargo.toml ${version}: rebuild`);
    writeFileSync(join(out, file), zipDir(join(dist, dir), when));
  }
  writeFileSync(join(out, names.web), zipDir(join(dist, 'web'), when, names.webFolder));
  if (source) writeFileSync(join(out, names.source), zip(sourceEntries(version, names.sourceFolder, when), when));
  writeFileSync(join(out, names.sums), sums(out));
}

/** Differences between two release folders' packages (not the source archive), as sentences. */
export function compare(a, b) {
  const names = releaseNames();
  const problems = [];
  for (const file of [names.chrome, names.firefox, names.web]) {
    const [x, y] = [join(a, file), join(b, file)].map((p) => (existsSync(p) ? readFileSync(p) : null));
    if (!x || !y) {
      problems.push(`${file}: missing in ${x ? b : a}`);
    } else if (!x.equals(y)) {
      const ey = new Map(unzip(y).map((e) => [e.name, e.data]));
      const differing = unzip(x).filter((e) => !ey.get(e.name)?.equals(e.data)).map((e) => e.name);
      problems.push(`${file} differs: ${differing.join(', ') || 'same contents, different zip bytes'}`);
    }
  }
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [command, first, second, flag] = process.argv.slice(2);
  try {
    if (command === 'pack' && first && second) {
      pack(first, second, { source: flag === '--source' });
      process.stdout.write(readFileSync(join(second, 'SHA256SUMS'), 'utf8'));
    } else if (command === 'compare' && first && second) {
      const problems = compare(first, second);
      if (problems.length) {
        console.error(`release: the two builds differ:\n  ${problems.join('\n  ')}`);
        process.exit(1);
      }
      console.log(`release: ${first} and ${second} hold byte-identical packages`);
    } else {
      console.error('usage: node tools/release.mjs pack DIST OUT [--source] | compare OUT1 OUT2');
      process.exit(2);
    }
  } catch (err) {
    console.error(`release: ${err.message}`);
    process.exit(1);
  }
}
