// The popup's "Paste" panel: analyses what the user pastes or types and renders the report.
//
// It calls the core directly (the popup's own wasm instance) instead of messaging background.js:
// pasting is the hot path and must not wait for a service worker to wake up and load wasm.
// The text itself goes to the background only to be kept in its memory (lib/draft.js: never in
// storage, forgotten 5 minutes after the last edit or when the box is emptied), so that closing
// the popup or "Open in a tab" doesn't lose it; a reopened popup starts from it.
// A finding's action button (lib/actions.js) may re-check the same text, e.g. verifying a token's
// signature online after the user granted the issuer's origin; its report then replaces this one.
import { actionHandler } from '../lib/actions.js';
import { api } from '../lib/api.js';
import { MSG } from '../lib/messages.js';
import { renderError, renderReport } from '../lib/render.js';

const DEBOUNCE_MS = 150;

const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * Wires the paste box.
 * @param {{input: HTMLTextAreaElement, reportBox: HTMLElement, ready: Promise<unknown>,
 *   core: {analyzeText: Function, verifyOnline: Function}, announce: (text: string) => void}} options
 */
export function mountPaste({ input, reportBox, ready, core, announce }) {
  let generation = 0;
  let timer;
  // The panel holding the box: marked `has-result` while a report shows, so the box shrinks.
  const panel = input.closest('section');

  /** Hands the box's text to the background's memory (best effort: a sleeping worker wakes). */
  function keep(text) {
    Promise.resolve(api.runtime.sendMessage({ type: MSG.DRAFT_PUT, text })).catch(() => {});
  }

  // A reopened popup (or the tab "Open in a tab" made) starts from what was being pasted.
  Promise.resolve(api.runtime.sendMessage({ type: MSG.DRAFT_GET }))
    .then((reply) => {
      if (typeof reply?.text === 'string' && input.value === '') {
        input.value = reply.text;
        analyze();
      }
    })
    .catch(() => {});

  /**
   * Shows `report` for the input of generation `mine`, unless a newer edit superseded it. With
   * `focusIndex`, focus moves to that finding (the one whose action produced this report), so a
   * keyboard or screen-reader user lands on the result instead of the page's start.
   */
  function show(report, text, mine, focusIndex) {
    if (mine !== generation) return;
    const node = renderReport(report, {
      announce,
      actionFor: (action) => {
        const index = report.findings.findIndex((f) => f.action === action);
        return actionHandler(action, {
          verifyOnline: () => core.verifyOnline(text, nowSeconds()),
          show: (next) => show(next, text, mine, index),
        });
      },
    });
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
    keep(text);
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
}
