// The Okta panel: the HAR view (lib/har-view.js, the offline page's too) on this page's core. In
// DevTools it follows the inspected tab live (live.js); opened as a plain extension page (no
// `devtools` API) it analyses HAR files only, through the same code path, which is how the
// browser tests drive it. The core is loaded here, in the panel page itself.
import { load, uiCore } from '../lib/core.js';
import { api } from '../lib/api.js';
import { announcer } from '../lib/dom.js';
import { mountHarView } from '../lib/har-view.js';
import { setClipboardWriter } from '../lib/render.js';
import { loadSettings } from '../lib/settings.js';
import { copyText } from './exports.js';
import { startLive } from './live.js';

const network = api?.devtools?.network;

setClipboardWriter(copyText);

// The core as the sessions use it. Commands in its reports may name the org's custom domains
// (the options page's list) besides Okta's hosts: the core decides, this only passes the list.
let customDomains = [];
const core = uiCore(() => customDomains);
const ready = load().then(async () => {
  customDomains = await loadSettings().then((s) => s.customDomains, () => []);
});

const view = mountHarView({ core, ready, announce: announcer(document.getElementById('status')), live: Boolean(network) });

view.started.then(
  () => {
    document.getElementById('version').textContent = `v${core.coreVersion()}`;
    if (network) {
      startLive(network, {
        isOkta: (entry) => view.live().isOkta(entry),
        onOkta: (entry) => {
          view.live().addOkta(entry);
          view.changed();
        },
        onOther: () => {
          view.live().addOther();
          view.changed();
        },
      });
    }
    document.body.dataset.ready = 'true';
  },
  (err) => view.showError(`The analysis core failed to load: ${err?.message ?? err}`),
);
