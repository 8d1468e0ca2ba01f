// The offline page (web/index.html): wires the paste box (paste.js) and the HAR analysis (har.js)
// to the core core.js loaded (the global `OktaMedicCore`, the extension's UI wasm module). Its
// modules are the extension's own renderers (lib/render.js, lib/flow-view.js, devtools/views.js,
// devtools/session.js), concatenated by tools/bundle.mjs into dist/web/app.js, a classic
// script. No browser-extension API, no network, no decision: every word about Okta is the core's.
import { renderError, setClipboardWriter } from '../extension/lib/render.js';
import { copyText } from '../extension/devtools/exports.js';
import { mountHar } from './har.js';
import { mountPaste } from './paste.js';

const $ = (id) => document.getElementById(id);

function announce(text) {
  const status = $('status');
  status.textContent = '';
  setTimeout(() => {
    status.textContent = text;
  }, 50);
}

setClipboardWriter(copyText);

const { OktaMedicCore } = globalThis;
const core = OktaMedicCore?.compose();
const ready = OktaMedicCore ? OktaMedicCore.load() : Promise.reject(new Error('core.js did not load'));

ready.then(
  () => {
    $('version').textContent = `v${core.coreVersion()}`;
    document.body.dataset.ready = 'true';
  },
  (err) => {
    $('load-error').hidden = false;
    $('load-error').replaceChildren(renderError(`The analysis core failed to load: ${err?.message ?? err}`));
  },
);

mountPaste({ $, core, ready, announce });
mountHar({ $, core, ready, announce });
