// The offline page's paste box: the popup's (extension/popup/paste.js) without the extension's
// parts (the background's draft memory, the online verification). Instead of fetching the
// issuer's keys, the user picks a JWKS file: the core verifies the pasted token with it
// (WebCrypto, on this device) and the new report replaces the first.
import { renderError, renderReport } from '../extension/lib/render.js';

const DEBOUNCE_MS = 150;

const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * @param {{$: (id: string) => HTMLElement, core: object, ready: Promise<unknown>,
 *   announce: (text: string) => void}} options
 */
export function mountPaste({ $, core, ready, announce }) {
  const input = /** @type {HTMLTextAreaElement} */ ($('input'));
  const reportBox = $('report');
  const jwksInput = /** @type {HTMLInputElement} */ ($('jwks-file'));
  const jwksStatus = $('jwks-status');
  const panel = input.closest('section');
  let generation = 0;
  let timer;

  function show(report, mine) {
    if (mine !== generation) return;
    // No action buttons: the one the core offers (verify online) needs the network.
    reportBox.replaceChildren(renderReport(report, { announce, actionFor: () => null }));
    panel?.classList.add('has-result');
  }

  function stopped(err) {
    reportBox.replaceChildren(renderError(`The analysis core stopped: ${err?.message ?? err}. Reload the page.`));
  }

  async function analyze() {
    clearTimeout(timer);
    const mine = ++generation;
    const text = input.value;
    jwksStatus.textContent = '';
    if (text.trim() === '') {
      reportBox.replaceChildren();
      panel?.classList.remove('has-result');
      return;
    }
    try {
      await ready;
    } catch {
      return; // the load error is already shown
    }
    if (mine !== generation) return;
    try {
      show(core.analyzeText(text, nowSeconds()), mine);
    } catch (err) {
      stopped(err);
    }
  }

  async function verify(file) {
    const text = input.value;
    if (!file || text.trim() === '') {
      jwksStatus.textContent = file ? 'Paste a token first.' : '';
      return;
    }
    const mine = generation;
    jwksStatus.textContent = `Verifying with ${file.name}…`;
    try {
      await ready;
      const report = await core.verifyWithJwks(text, nowSeconds(), await file.text());
      if (mine !== generation) return;
      if (report == null) {
        jwksStatus.textContent = 'Nothing to verify.';
        return;
      }
      show(report, mine);
      jwksStatus.textContent = `Checked with ${file.name}.`;
      announce(report.summary ?? '');
    } catch (err) {
      stopped(err);
    }
  }

  input.addEventListener('input', (event) => {
    if (event.inputType === 'insertFromPaste' || event.inputType === 'insertFromDrop') {
      analyze();
      return;
    }
    clearTimeout(timer);
    timer = setTimeout(analyze, DEBOUNCE_MS);
  });
  jwksInput.addEventListener('change', () => {
    const [file] = jwksInput.files;
    verify(file).finally(() => {
      jwksInput.value = ''; // picking the same file again re-verifies
    });
  });
}
