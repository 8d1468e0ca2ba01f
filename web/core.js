// The offline page's core: the extension's UI wasm module (extension/pkg/okta_medic_ui*, the
// same bytes the popup and the DevTools panel load), its bytes inline as base64 so that nothing
// is fetched (Chrome refuses fetch() from file://), instantiated asynchronously from those bytes
// (CSP 'wasm-unsafe-eval'), and composed by extension/lib/core.js exactly as the extension's
// pages compose it. tools/bundle.mjs turns this into dist/web/core.js, a classic script that
// leaves one global, `OktaMedicCore`; tests/contract/web.test.mjs runs that file on the golden
// fixtures. Decides nothing.
import { compose, ui } from '../extension/lib/core.js';
import { base64 } from 'inline:okta_medic_ui_bg.wasm';

function bytes() {
  const binary = atob(base64);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

let loading = null;

/** Instantiates the wasm module once (no fetch: `module_or_path` is the bytes themselves). */
function load() {
  loading ??= ui.default({ module_or_path: bytes() });
  return loading;
}

globalThis.OktaMedicCore = Object.freeze({
  load,
  /** The UI's calls (lib/core.js `compose`), with the custom domains commands may name. */
  compose: (hosts = () => []) => compose(ui, hosts),
});
