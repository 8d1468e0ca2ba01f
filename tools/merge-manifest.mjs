// Merges the extension's base manifest with one per-browser overlay (build.sh calls this).
// Objects merge key by key, recursively; arrays and scalars in the overlay replace the base's.
// Usage: node tools/merge-manifest.mjs BASE.json OVERLAY.json OUT.json
import { readFileSync, writeFileSync } from 'node:fs';

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

export function deepMerge(base, overlay) {
  if (!isObject(base) || !isObject(overlay)) return structuredClone(overlay);
  const out = structuredClone(base);
  for (const [key, value] of Object.entries(overlay)) {
    out[key] = key in out ? deepMerge(out[key], value) : structuredClone(value);
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

const [basePath, overlayPath, outPath] = process.argv.slice(2);
if (!basePath || !overlayPath || !outPath) {
  console.error('usage: node tools/merge-manifest.mjs BASE.json OVERLAY.json OUT.json');
  process.exit(2);
}
try {
  const merged = deepMerge(readJson(basePath), readJson(overlayPath));
  writeFileSync(outPath, `${JSON.stringify(merged, null, 2)}\n`);
} catch (err) {
  console.error(`merge-manifest: ${err.message}`);
  process.exit(1);
}
