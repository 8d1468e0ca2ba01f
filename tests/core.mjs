// The built core for Node tests, loaded the way the extension's pages load it: the listener
// module (what the service worker uses: live*, session*) and the words module, composed by
// extension/lib/core.js exactly as the popup and the panel compose them.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compose, listener, words } from '../extension/lib/core.js';

const EXT = join(dirname(fileURLToPath(import.meta.url)), '..', 'extension');

let loaded = false;

/**
 * The listener module's exports (the service worker's calls) with the UI's composed calls on
 * top (analyzeText, tabView, exports… worded): one object, as a test wants it.
 * @param {() => string[]} [hosts] custom domains commands may name
 */
export function loadCore(hosts = () => []) {
  if (!loaded) {
    listener.initSync({ module: readFileSync(join(EXT, 'pkg', 'okta_medic_bg.wasm')) });
    words.initSync({ module: readFileSync(join(EXT, 'pkg', 'okta_medic_words_bg.wasm')) });
    loaded = true;
  }
  return { ...listener, ...compose(listener, words, hosts), listener, words };
}
