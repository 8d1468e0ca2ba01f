// The popup: two panels behind a tab switch. "This tab" (live.js) shows what the live capture saw
// on the current tab; "Paste" (paste.js) analyses anything pasted. It opens on "This tab" when the
// tab has captured data, else on "Paste". One wasm instance serves both. `?tab=ID` shows another
// tab's capture (the "Open in a tab" link, and the E2E tests, which open this page in a tab).
import { load, uiCore } from '../lib/core.js';
import { api } from '../lib/api.js';
import { announcer } from '../lib/dom.js';
import { renderError } from '../lib/render.js';
import { loadSettings } from '../lib/settings.js';
import { mountLive } from './live.js';
import { mountPaste } from './paste.js';

const input = /** @type {HTMLTextAreaElement} */ (document.getElementById('input'));
const reportBox = document.getElementById('report');
const status = document.getElementById('status');
const version = document.getElementById('version');
const livePanel = document.getElementById('live-panel');
const switches = {
  live: document.getElementById('tab-live'),
  paste: document.getElementById('tab-paste'),
};
const panels = { live: livePanel, paste: document.getElementById('paste-panel') };

// Commands in pasted text's reports may name the org's custom domains (the options page's list)
// besides Okta's hosts: the core decides, the popup only passes the list.
let customDomains = [];
const ready = Promise.all([
  load(),
  loadSettings().then((s) => {
    customDomains = s.customDomains;
  }, () => {}),
]);
// The UI module analyses, then words (lib/core.js); a tab's findings are
// stored as data and worded here too, with the same custom domains.
const core = uiCore(() => customDomains);

ready.then(
  () => {
    version.textContent = `v${core.coreVersion()}`;
  },
  (err) => reportBox.replaceChildren(renderError(`The analysis core failed to load: ${err?.message ?? err}`)),
);

const announce = announcer(status);

function select(name, { focus = false } = {}) {
  for (const [key, button] of Object.entries(switches)) {
    const on = key === name;
    button.setAttribute('aria-selected', String(on));
    button.tabIndex = on ? 0 : -1;
    panels[key].hidden = !on;
  }
  document.body.dataset.panel = name;
  if (focus) switches[name].focus();
}

for (const [name, button] of Object.entries(switches)) {
  button.addEventListener('click', () => select(name));
  button.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    select(name === 'live' ? 'paste' : 'live', { focus: true });
  });
}

mountPaste({ input, reportBox, ready, core, announce });
select('paste');
input.focus();

async function currentTabId() {
  const param = new URLSearchParams(window.location.search).get('tab');
  if (param !== null && /^\d+$/.test(param)) return Number(param);
  const [tab] = await api.tabs.query({ active: true, currentWindow: true });
  return tab?.id;
}

currentTabId()
  .then(async (tabId) => {
    if (!Number.isInteger(tabId)) {
      livePanel.replaceChildren(renderError('No current tab to show.'));
      return;
    }
    const opener = document.getElementById('open-in-tab');
    opener.hidden = new URLSearchParams(window.location.search).has('tab');
    opener.addEventListener('click', () => {
      api.tabs.create({ url: `${api.runtime.getURL('popup/popup.html')}?tab=${tabId}` }).then(() => window.close());
    });
    const { hasData } = await mountLive({ panel: livePanel, tabId, ready, core, announce });
    // Only switch if the person has not started pasting meanwhile.
    if (hasData && input.value === '') select('live', { focus: document.activeElement === input });
    // A User Timing mark (DevTools' performance panel shows it; the E2E specs read it).
    performance.mark('okta-medic:live-ready');
    document.body.dataset.liveReady = 'true';
  })
  .catch((err) => {
    livePanel.replaceChildren(renderError(`The live view failed: ${err?.message ?? err}`));
    document.body.dataset.liveReady = 'true';
  });
