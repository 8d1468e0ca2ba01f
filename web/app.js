// The offline page (web/index.html): wires the paste box (the popup's, extension/lib/paste-view.js,
// without the extension's parts: no draft memory, and instead of fetching the issuer's keys the
// user picks a JWKS file that the core verifies the pasted token with) and the HAR view (the
// DevTools panel's, extension/lib/har-view.js, on the panel's markup that tools/bundle.mjs
// --html writes into the page) to the core core.js loaded (the global `OktaMedicCore`, the
// extension's UI wasm module). Its modules are the extension's own, concatenated by
// tools/bundle.mjs into dist/web/app.js, a classic script. No browser-extension API, no network,
// no decision: every word about Okta is the core's.
import { copyText } from '../extension/devtools/exports.js';
import { announcer } from '../extension/lib/dom.js';
import { mountHarView } from '../extension/lib/har-view.js';
import { mountPasteView } from '../extension/lib/paste-view.js';
import { renderError, setClipboardWriter } from '../extension/lib/render.js';

const $ = (id) => document.getElementById(id);
const announce = announcer($('status'));

setClipboardWriter(copyText);

const { OktaMedicCore } = globalThis;
const core = OktaMedicCore?.compose();
const ready = OktaMedicCore ? OktaMedicCore.load() : Promise.reject(new Error('core.js did not load'));

mountPasteView({
  input: /** @type {HTMLTextAreaElement} */ ($('input')),
  reportBox: $('report'),
  ready,
  core,
  announce,
  restart: 'Reload the page.',
  jwks: {
    input: /** @type {HTMLInputElement} */ ($('jwks-file')),
    status: $('jwks-status'),
    verify: (text, now, keys) => core.verifyWithJwks(text, now, keys),
  },
});
mountHarView({ core, ready, announce }).started.then(
  () => {
    $('version').textContent = `v${core.coreVersion()}`;
    document.body.dataset.ready = 'true';
  },
  (err) => {
    $('core-error').hidden = false;
    $('core-error').replaceChildren(renderError(`The analysis core failed to load: ${err?.message ?? err}`));
  },
);
