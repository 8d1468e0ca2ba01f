// "Read stored tokens" (one of the live view's set-up controls): on the user's click, reads the tab's okta-auth-js token storage (the
// key prefix comes from the core), analyses each value with the core, and shows the reports.
// Nothing read is stored, sent or kept beyond the open popup; the core's reports carry no
// signature and mask refresh tokens. Needs access to the page: the popup's activeTab grant
// (opened from the toolbar) or the site enabled ("Enable on this site").
import { api } from '../lib/api.js';
import { el, pageChrome } from '../lib/dom.js';
import { renderReport } from '../lib/render.js';

/** Runs in the page: every localStorage / sessionStorage item and cookie named `prefix…`. */
function readStorage(prefix) {
  const found = [];
  for (const [area, store] of [['localStorage', globalThis.localStorage], ['sessionStorage', globalThis.sessionStorage]]) {
    for (let i = 0; i < (store?.length ?? 0); i++) {
      const key = store.key(i);
      if (key?.startsWith(prefix)) found.push({ where: `${area}: ${key}`, value: store.getItem(key) ?? '' });
    }
  }
  for (const cookie of document.cookie.split(';')) {
    const name = cookie.split('=')[0].trim();
    if (name.startsWith(prefix)) found.push({ where: `cookie: ${name}`, value: cookie.trim() });
  }
  return found;
}

/**
 * @param {{tabId: number, ready: Promise<unknown>, core: {analyzeText: Function, tokenStorageKey: Function},
 *   announce: (text: string) => void}} options
 */
export function pageStorageNode({ tabId, ready, core, announce }) {
  const results = el('div', { className: 'page-storage-results' });
  const status = el('p', { className: 'action-status' });
  status.setAttribute('role', 'status');
  const read = /** @type {HTMLButtonElement} */ (pageChrome('live-chrome', 'read-page-storage'));
  read.addEventListener('click', async () => {
    read.disabled = true;
    status.textContent = '';
    try {
      await ready;
      const [injection] = await api.scripting.executeScript({
        target: { tabId },
        func: readStorage,
        args: [core.tokenStorageKey()],
      });
      const found = injection?.result ?? [];
      const now = Math.floor(Date.now() / 1000);
      results.replaceChildren(
        ...found.map(({ where, value }) =>
          el('div', { className: 'page-storage-item' }, el('h4', { text: where }), renderReport(core.analyzeText(value, now), { announce })),
        ),
      );
      status.textContent = found.length === 0 ? 'No stored tokens found in this page.' : `Read ${found.length} stored item${found.length === 1 ? '' : 's'} (not kept).`;
    } catch (err) {
      status.textContent = `Can't read this page: ${err?.message ?? err}. Open the popup from the toolbar on this tab, or enable Okta Medic on this site.`;
    } finally {
      read.disabled = false;
    }
  });
  // The button joins the controls' line; what it read shows below the line.
  return el('div', { className: 'page-storage' }, read, status, results);
}
