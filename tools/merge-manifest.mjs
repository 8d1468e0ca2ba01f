// Merges the extension's base manifest with per-browser (and, for the E2E test builds, test)
// overlays, in order (build.sh calls this). Objects merge key by key, recursively; arrays and
// scalars in a later file replace the earlier ones, except under a key ending in `+`, whose
// array is appended to the earlier array of the key without the `+` (e.g. `"permissions+":
// ["scripting"]` adds one permission to the base's list).
// The version is not in any manifest source: it is crate/Cargo.toml's [package] version (the one
// place it lives; the CLI's --version and the core's coreVersion() read it too), set here.
// Usage: node tools/merge-manifest.mjs BASE.json OVERLAY.json [OVERLAY.json…] OUT.json
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CARGO_TOML = join(dirname(fileURLToPath(import.meta.url)), '..', 'crate', 'Cargo.toml');

/** `version = "…"` of the [package] table of crate/Cargo.toml. */
export function crateVersion(text = readFileSync(CARGO_TOML, 'utf8')) {
  const pkg = text.split(/^\[/m).find((table) => table.startsWith('package]'));
  const version = pkg?.match(/^version\s*=\s*"([^"]+)"\s*$/m)?.[1];
  if (!version) throw new Error(`${CARGO_TOML}: no [package] version`);
  return version;
}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

export function deepMerge(base, overlay) {
  if (!isObject(base) || !isObject(overlay)) return structuredClone(overlay);
  const out = structuredClone(base);
  for (const [key, value] of Object.entries(overlay)) {
    if (key.endsWith('+') && Array.isArray(value)) {
      const target = key.slice(0, -1);
      const earlier = Array.isArray(out[target]) ? out[target] : [];
      out[target] = [...earlier, ...structuredClone(value).filter((v) => !earlier.includes(v))];
    } else {
      out[key] = key in out ? deepMerge(out[key], value) : structuredClone(value);
    }
  }
  return out;
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`${path}: ${err.message}`);
  }
}

const args = process.argv.slice(2);
if (process.argv[1] !== fileURLToPath(import.meta.url)) {
  // imported (tests): no command line to run
} else if (args.length < 3) {
  console.error('usage: node tools/merge-manifest.mjs BASE.json OVERLAY.json [OVERLAY.json…] OUT.json');
  process.exit(2);
} else {
  const [basePath, ...rest] = args;
  const outPath = rest.pop();
  try {
    const sources = [basePath, ...rest].map((path) => [path, readJson(path)]);
    for (const [path, json] of sources) {
      if ('version' in json) throw new Error(`${path}: has a version; it belongs in crate/Cargo.toml only`);
    }
    const merged = sources.slice(1).reduce((acc, [, json]) => deepMerge(acc, json), sources[0][1]);
    // `version` third, after manifest_version and name, as the stores show it.
    const { manifest_version: mv, name, ...others } = merged;
    const out = { manifest_version: mv, name, version: crateVersion(), ...others };
    writeFileSync(outPath, `${JSON.stringify(out, null, 2)}\n`);
  } catch (err) {
    console.error(`merge-manifest: ${err.message}`);
    process.exit(1);
  }
}
