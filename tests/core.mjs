// The built core for Node tests, loaded the way the extension loads it: the service worker's
// module (`sw`: live*, tabBadge) and the UI module (analysis, panel sessions, words, exports),
// composed by extension/lib/core.js exactly as the popup and the panel compose it.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compose, ui } from '../extension/lib/core.js';
import { foldCall } from '../extension/lib/exchange.js';
import * as sw from '../extension/pkg/okta_medic.js';

const EXT = join(dirname(fileURLToPath(import.meta.url)), '..', 'extension');

let loaded = false;

/**
 * The service worker's module's exports (live*, tabBadge; liveFold as the worker
 * calls it, `foldCall(liveFoldFields)`) with the UI's composed
 * calls on top (analyzeText, tabView, exports… worded): one object, as a test wants it. `sw`
 * and `ui` are the two modules' raw exports.
 * @param {() => string[]} [hosts] custom domains commands may name
 */
export function loadCore(hosts = () => []) {
  if (!loaded) {
    sw.initSync({ module: readFileSync(join(EXT, 'pkg', 'okta_medic_bg.wasm')) });
    ui.initSync({ module: readFileSync(join(EXT, 'pkg', 'okta_medic_ui_bg.wasm')) });
    loaded = true;
  }
  return { ...sw, liveFold: foldCall(sw.liveFoldFields), ...compose(ui, hosts), sw, ui };
}
