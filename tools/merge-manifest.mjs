// Merges the extension's base manifest with per-browser (and, for the E2E test builds, test)
// overlays, in order (build.sh calls this). Objects merge key by key, recursively; arrays and
// scalars in a later file replace the earlier ones, except under a key ending in `+`, whose
// array is appended to the earlier array of the key without the `+` (e.g. `"permissions+":
// ["scripting"]` adds one permission to the base's list).
// Usage: node tools/merge-manifest.mjs BASE.json OVERLAY.json [OVERLAY.json…] OUT.json
import { readFileSync, writeFileSync } from 'node:fs';

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
if (args.length < 3) {
  console.error('usage: node tools/merge-manifest.mjs BASE.json OVERLAY.json [OVERLAY.json…] OUT.json');
  process.exit(2);
}
const [basePath, ...rest] = args;
const outPath = rest.pop();
try {
  const merged = rest.reduce((acc, path) => deepMerge(acc, readJson(path)), readJson(basePath));
  writeFileSync(outPath, `${JSON.stringify(merged, null, 2)}\n`);
} catch (err) {
  console.error(`merge-manifest: ${err.message}`);
  process.exit(1);
}
