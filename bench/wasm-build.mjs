// One wasm module built as build.sh builds it (cargo, wasm-bindgen, npm's wasm-opt -Oz), for
// the tools that look inside it: bench/wasm-breakdown.mjs (its bytes) and bench/wasm-copies.mjs
// (its copies and allocations). Names are kept (`wasm-opt -g`) unless `strip`.
import { execFileSync } from 'node:child_process';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CORE_WASM = join(ROOT, 'target', 'wasm32-unknown-unknown', 'release', 'okta_medic.wasm');

/** A node_modules tool's path (binaryen's wasm-opt, wasm-dis, wasm-as). */
export const bin = (name) => join(ROOT, 'node_modules', '.bin', name);

/** Runs `cmd` in the project; its standard output, errors shown. */
export const run = (cmd, argv) => execFileSync(cmd, argv, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 28 });

/** `--name VALUE` among the command line's `args`, else `fallback`. */
export function option(args, name, fallback) {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
}

/** build.sh's wasm32 flag: dependencies' panic-location paths without this machine's cargo home. */
const CARGO_HOME = process.env.CARGO_HOME ?? join(homedir(), '.cargo');
const WASM_RUSTFLAGS = `--remap-path-prefix=${CARGO_HOME}/registry/src/=`;

/** `cargo build` of the `sw` or `ui` module, as build.sh builds it (the ui module with both features). */
export const cargoBuild = (feature) =>
  execFileSync('cargo', ['build', '--release', '--target', 'wasm32-unknown-unknown', '-p', 'okta-medic', '--lib', '--features', feature === 'ui' ? 'ui,sw' : feature], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 28,
    env: { ...process.env, CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS: WASM_RUSTFLAGS },
  });

/** The last cargo build as a wasm-bindgen package `name` in `dir`; its wasm's path. */
export function bindgenOpt(dir, name, { strip = false } = {}) {
  run('wasm-bindgen', ['--target', 'web', '--no-typescript',
    ...(strip ? ['--remove-name-section', '--remove-producers-section'] : []),
    '--out-dir', dir, '--out-name', name, CORE_WASM]);
  const wasm = join(dir, `${name}_bg.wasm`);
  run(bin('wasm-opt'), ['-Oz', ...(strip ? [] : ['-g']), '-o', wasm, wasm]);
  return wasm;
}
