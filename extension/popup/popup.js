// The popup's paste inspector: analyses what the user pastes or types and renders the report.
//
// It calls the core directly (its own wasm instance) instead of messaging background.js:
// - pasting is the hot path and must not wait for a service worker to wake up and load wasm;
// - the pasted credential stays in this page's memory and never crosses a message channel.
// background.js answers the same questions (lib/messages.js) for senders without a DOM.
import init, { analyzeText, coreVersion } from '../pkg/okta_medic.js';
import { renderError, renderReport } from '../lib/render.js';

const DEBOUNCE_MS = 150;

const input = /** @type {HTMLTextAreaElement} */ (document.getElementById('input'));
const reportBox = document.getElementById('report');
const status = document.getElementById('status');
const version = document.getElementById('version');

const ready = init({ module_or_path: new URL('../pkg/okta_medic_bg.wasm', import.meta.url) });

ready.then(
  () => {
    version.textContent = `v${coreVersion()}`;
  },
  (err) => reportBox.replaceChildren(renderError(`The analysis core failed to load: ${err?.message ?? err}`)),
);

function announce(text) {
  // Clear first so the same message ("Copied" twice) is announced again.
  status.textContent = '';
  setTimeout(() => {
    status.textContent = text;
  }, 50);
}

let generation = 0;
let timer;

async function analyze() {
  clearTimeout(timer);
  const mine = ++generation;
  const text = input.value;
  if (text.trim() === '') {
    reportBox.replaceChildren();
    return;
  }
  try {
    await ready;
  } catch {
    return; // the load error is already shown
  }
  if (mine !== generation) return; // a newer edit superseded this one
  try {
    const report = analyzeText(text, Math.floor(Date.now() / 1000));
    reportBox.replaceChildren(renderReport(report, { announce }));
  } catch (err) {
    // The core is total; reaching this means the wasm trapped. Its instance is unusable now.
    reportBox.replaceChildren(
      renderError(`The analysis core stopped: ${err?.message ?? err}. Reopen the popup.`),
    );
  }
}

input.addEventListener('input', (event) => {
  // A paste (or drop) is a complete input: analyse at once. Typing waits for a pause.
  if (event.inputType === 'insertFromPaste' || event.inputType === 'insertFromDrop') {
    analyze();
    return;
  }
  clearTimeout(timer);
  timer = setTimeout(analyze, DEBOUNCE_MS);
});

input.focus();
