// The paste box, one view for the popup (extension/popup/paste.js) and the offline page
// (web/app.js): it analyses what the user pastes or types with the core and renders the report.
// What differs between the two is a parameter:
// - `draft` (the popup): the background's memory of the text (lib/draft.js), so that closing
//   the popup doesn't lose it; a reopened popup starts from it. The page keeps nothing.
// - `actions` (the popup): a finding's action button (lib/actions.js, which the page's bundle
//   leaves out: it asks the extension for permissions) may re-check the same text, e.g. verifying
//   a token's signature with the issuer's keys fetched after the user granted its origin.
//   Without it (the page: no network) no action button shows.
// - `jwks` (the page): a file input and its status line; the core verifies the pasted token with
//   the picked JWKS file (WebCrypto, on this device).
// In both cases a re-check's report replaces the first.
import { renderError, renderReport } from './render.js';

const DEBOUNCE_MS = 150;

const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * Wires the paste box.
 * @param {{input: HTMLTextAreaElement, reportBox: HTMLElement, ready: Promise<unknown>,
 *   core: {analyzeText: Function}, announce: (text: string) => void, restart: string,
 *   draft?: {get: () => Promise<string | undefined>, put: (text: string) => void},
 *   actions?: (action: string, context: {text: string, now: () => number,
 *     show: (report: object) => void}) => HTMLElement | null,
 *   jwks?: {input: HTMLInputElement, status: HTMLElement,
 *     verify: (text: string, now: number, jwks: string) => Promise<object | null>}}} options
 *   `restart` ends the message shown when the core stops ("Reopen the popup.").
 */
export function mountPasteView({ input, reportBox, ready, core, announce, restart, draft, actions, jwks }) {
  let generation = 0;
  let timer;
  // The panel holding the box: marked `has-result` while a report shows, so the box shrinks.
  const panel = input.closest('section');

  const stopped = (err) => {
    // The core is total; reaching this means the wasm trapped. Its instance is unusable now.
    reportBox.replaceChildren(renderError(`The analysis core stopped: ${err?.message ?? err}. ${restart}`));
  };

  /** The action button of `action` in `report`, or null where the box offers none. */
  const actionFor = (report, text, mine) => (action) => {
    if (!actions) return null;
    const index = report.findings.findIndex((f) => f.action === action);
    return actions(action, { text, now: nowSeconds, show: (next) => show(next, text, mine, index) });
  };

  /**
   * Shows `report` for the input of generation `mine`, unless a newer edit superseded it. With
   * `focusIndex`, focus moves to that finding (the one whose action produced this report), so a
   * keyboard or screen-reader user lands on the result instead of the page's start.
   */
  function show(report, text, mine, focusIndex) {
    if (mine !== generation) return;
    const node = renderReport(report, { announce, actionFor: actionFor(report, text, mine) });
    reportBox.replaceChildren(node);
    panel?.classList.add('has-result');
    if (focusIndex !== undefined && focusIndex >= 0) {
      const finding = node.querySelectorAll('.finding')[focusIndex];
      if (finding) {
        finding.tabIndex = -1;
        finding.focus();
      }
    }
  }

  async function analyze() {
    clearTimeout(timer);
    const mine = ++generation;
    const text = input.value;
    draft?.put(text);
    if (jwks) jwks.status.textContent = '';
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
    if (mine !== generation) return; // a newer edit superseded this one
    try {
      show(core.analyzeText(text, nowSeconds()), text, mine);
    } catch (err) {
      stopped(err);
    }
  }

  /** Verifies the pasted text with the JWKS `file` the user picked (the page's re-check). */
  async function verifyWithFile(file) {
    const text = input.value;
    if (!file || text.trim() === '') {
      jwks.status.textContent = file ? 'Paste a token first.' : '';
      return;
    }
    const mine = generation;
    jwks.status.textContent = `Verifying with ${file.name}…`;
    try {
      await ready;
      const report = await jwks.verify(text, nowSeconds(), await file.text());
      if (mine !== generation) return;
      if (report == null) {
        jwks.status.textContent = 'Nothing to verify.';
        return;
      }
      show(report, text, mine);
      jwks.status.textContent = `Checked with ${file.name}.`;
      announce(report.summary ?? '');
    } catch (err) {
      stopped(err);
    }
  }

  // A reopened popup (or the tab "Open in a tab" made) starts from what was being pasted.
  draft
    ?.get()
    .then((text) => {
      if (typeof text === 'string' && input.value === '') {
        input.value = text;
        analyze();
      }
    })
    .catch(() => {});

  input.addEventListener('input', (event) => {
    // A paste (or drop) is a complete input: analyse at once. Typing waits for a pause.
    if (event.inputType === 'insertFromPaste' || event.inputType === 'insertFromDrop') {
      analyze();
      return;
    }
    clearTimeout(timer);
    timer = setTimeout(analyze, DEBOUNCE_MS);
  });
  jwks?.input.addEventListener('change', () => {
    const [file] = jwks.input.files;
    verifyWithFile(file).finally(() => {
      jwks.input.value = ''; // picking the same file again re-verifies
    });
  });
}
