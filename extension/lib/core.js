// The core as the UI pages (popup, DevTools panel) use it: two wasm modules built from one crate.
// The listener module — the only one the service worker loads — analyses and answers findings
// as data; the words module writes everything the user reads (titles, details, fixes, commands,
// exports) and verifies signatures. This file hands one's answer to the other and decides
// nothing. `hosts()` gives the custom domains (from the settings) commands may name.
import initListener, * as listener from '../pkg/okta_medic.js';
import initWords, * as words from '../pkg/okta_medic_words.js';

export { listener, words };

/** Loads both modules (the popup preloads both files; see popup.html). */
export function load() {
  return Promise.all([
    initListener({ module_or_path: new URL('../pkg/okta_medic_bg.wasm', import.meta.url) }),
    initWords({ module_or_path: new URL('../pkg/okta_medic_words_bg.wasm', import.meta.url) }),
  ]);
}

/**
 * The UI's calls, each a listener answer worded by the words module.
 * @param {object} l the listener module's exports
 * @param {object} w the words module's exports
 * @param {() => string[]} hosts
 */
export function compose(l, w, hosts = () => []) {
  const explain = (report) => (report == null ? report : w.explain(report, hosts()));
  return {
    analyzeText: (text, now) => explain(l.analyzeText(text, now)),
    analyzeExchange: (exchange) => explain(l.analyzeExchange(exchange)),
    verifyOnline: (text, now) => w.verifyOnline(text, l.analyzeText(text, now), hosts()),
    verifyWithJwks: (text, now, jwks) => w.verifyWithJwks(text, l.analyzeText(text, now), jwks, hosts()),
    tabView: (digest, timeline, now) => w.explainView(l.tabView(digest, timeline, now), hosts()),
    digestReport: (digest, timeline, now) => explain(l.digestReport(digest, timeline, now)),
    exportMarkdown: (report) => w.exportMarkdown(report, hosts()),
    exportJson: (report) => w.exportJson(report, hosts()),
    sessionOpen: () => l.sessionOpen(),
    sessionAdd: (id, entry) => {
      const added = l.sessionAdd(id, entry);
      return added == null ? added : w.explainAdded(added, hosts());
    },
    sessionReport: (id) => explain(l.sessionReport(id)),
    sessionClose: (id) => l.sessionClose(id),
    entryIsOkta: (entry) => l.entryIsOkta(entry),
    redactHar: (text) => l.redactHar(text),
    tokenStorageKey: () => l.tokenStorageKey(),
    coreVersion: () => l.coreVersion(),
  };
}

/** The UI's core over the two modules this page loaded. */
export const uiCore = (hosts) => compose(listener, words, hosts);
