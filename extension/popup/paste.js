// The popup's "Paste" panel: the paste box (lib/paste-view.js, the offline page's too) with the
// extension's parts, the background's draft memory and the online signature check.
//
// It calls the core directly (the popup's own wasm instance) instead of messaging background.js:
// pasting is the hot path and must not wait for a service worker to wake up and load wasm.
// The text itself goes to the background only to be kept in its memory (lib/draft.js: never in
// storage, forgotten 5 minutes after the last edit or when the box is emptied), so that closing
// the popup or "Open in a tab" doesn't lose it; a reopened popup starts from it.
import { actionHandler } from '../lib/actions.js';
import { api } from '../lib/api.js';
import { MSG } from '../lib/messages.js';
import { mountPasteView } from '../lib/paste-view.js';

/** The background's memory of the box's text (best effort: a sleeping worker wakes). */
const draft = {
  get: () => Promise.resolve(api.runtime.sendMessage({ type: MSG.DRAFT_GET })).then((reply) => reply?.text),
  put: (text) => {
    Promise.resolve(api.runtime.sendMessage({ type: MSG.DRAFT_PUT, text })).catch(() => {});
  },
};

/**
 * Wires the popup's paste box.
 * @param {{input: HTMLTextAreaElement, reportBox: HTMLElement, ready: Promise<unknown>,
 *   core: {analyzeText: Function, verifyOnline: Function}, announce: (text: string) => void}} options
 */
export function mountPaste({ input, reportBox, ready, core, announce }) {
  mountPasteView({
    input,
    reportBox,
    ready,
    core,
    announce,
    restart: 'Reopen the popup.',
    draft,
    // A finding's action button may re-check the same text (lib/actions.js), e.g. verifying a
    // token's signature online after the user granted the issuer's origin.
    actions: (action, { text, now, show }) =>
      actionHandler(action, { verifyOnline: () => core.verifyOnline(text, now()), show }),
  });
}
