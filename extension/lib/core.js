// The core as the UI pages (popup, DevTools panel, options) use it: the UI wasm module, built
// from the same crate as the service worker's (which holds only the live capture). Its analysis
// answers findings as data; its words write everything the user reads (titles, details, fixes,
// commands, exports) and it verifies signatures. This file hands the one's answer to the other
// and decides nothing. `hosts()` gives the custom domains (from the settings) commands may name.
import initUi, * as ui from '../pkg/okta_medic_ui.js';

export { ui };

/** Loads the UI module (the popup preloads its files; see popup.html). */
export function load() {
  return initUi({ module_or_path: new URL('../pkg/okta_medic_ui_bg.wasm', import.meta.url) });
}

/**
 * The UI's calls over the UI module's exports. Pasted text and a panel session's entry are
 * analysed and worded in one call (showText, sessionAddShown: the data report never crosses to
 * JS and back); a stored or session report, answered as data, is worded by a second call
 * (explain). No page analyses a lone exchange: the live capture folds it (the service worker's
 * liveFoldFields) and the panel adds it to its session, so showExchangeFields is the benches'
 * and the contract tests' (bench/core.mjs, tests/contract/wasm-contract.test.mjs).
 * @param {object} m the UI module's exports
 * @param {() => string[]} hosts
 */
export function compose(m, hosts = () => []) {
  const explain = (report) => (report == null ? report : m.explain(report, hosts()));
  return {
    analyzeText: (text, now) => m.showText(text, now, hosts()),
    verifyOnline: (text, now) => m.verifyOnline(text, m.analyzeText(text, now), hosts()),
    verifyWithJwks: (text, now, jwks) => m.verifyWithJwks(text, m.analyzeText(text, now), jwks, hosts()),
    tabView: (digest, timeline, now) => m.explainView(m.tabView(digest, timeline, now), hosts()),
    digestReport: (digest, timeline, now) => explain(m.digestReport(digest, timeline, now)),
    exportMarkdown: (report) => m.exportMarkdown(report, hosts()),
    exportJson: (report) => m.exportJson(report, hosts()),
    sessionOpen: () => m.sessionOpen(),
    sessionAdd: (id, entry) => m.sessionAddShown(id, entry, hosts()),
    sessionReport: (id) => explain(m.sessionReport(id)),
    sessionClose: (id) => m.sessionClose(id),
    entryIsOkta: (entry) => m.entryIsOkta(entry),
    traceEntries: (doc) => m.traceEntries(doc),
    redactHar: (text) => m.redactHar(text),
    tokenStorageKey: () => m.tokenStorageKey(),
    coreVersion: () => m.coreVersion(),
  };
}

/** The UI's core over the module this page loaded. */
export const uiCore = (hosts) => compose(ui, hosts);
