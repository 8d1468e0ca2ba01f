// What both browsers' sign-in flow specs share: the sample app's flow buttons (tests/sample-app/
// public/flows.js) against the mock Okta's flows (tests/mock-okta/flows.mjs) under the live
// scenario's real Okta host names, and a probe of what webRequest itself shows a listener — the
// measurements the README's permissions table quotes. The probe records field and cookie NAMES
// only, never a value.

/** The flow buttons: id → the log entry (data-call) its last answer writes, in order of use. */
export const BUTTONS = Object.freeze({
  signIn: { id: 'flow-sign-in', page: 'callback' },
  pkce: { id: 'flow-pkce', page: 'callback' },
  twice: { id: 'flow-code-twice', page: 'callback' },
  magicLink: { id: 'flow-magic-link', page: 'okta' },
  silentRenew: { id: 'flow-silent-renew', call: 'renew' },
  silentRenewFragment: { id: 'flow-silent-renew-fragment', call: 'renew-fragment' },
  refreshTwoTabs: { id: 'flow-refresh-two-tabs', call: 'refresh' },
  refreshOld: { id: 'flow-refresh-old', call: 'refresh-old' },
  renewLoop: { id: 'flow-renew-loop', call: 'loop', count: 12 },
});

/**
 * Installs the probe in the extension's background (a function to run there: its own listeners
 * beside the extension's, same filter and options). `extra` is ['extraHeaders'] on Chromium.
 */
export function probeSource(extra) {
  return `(() => {
    const api = globalThis.browser ?? globalThis.chrome;
    // A service worker keeps the list on its global; an extension page (Firefox: WebDriver runs
    // each script in a fresh sandbox of the page) on its document, as JSON.
    globalThis.flowProbe = [];
    const keep = (rec) => {
      if (!globalThis.document) return globalThis.flowProbe.push(rec);
      const root = document.documentElement;
      root.dataset.flowProbe = JSON.stringify([...JSON.parse(root.dataset.flowProbe ?? '[]'), rec]);
    };
    const f = { urls: ['https://*/*'] };
    const names = (headers = []) => (headers.find((h) => h.name.toLowerCase() === 'cookie')?.value ?? '')
      .split(';').map((c) => c.trim().split('=')[0]).filter(Boolean);
    api.webRequest.onBeforeRequest.addListener((d) => {
      if (d.requestBody) keep({ ev: 'body', path: new URL(d.url).pathname, tabId: d.tabId,
        fields: Object.keys(d.requestBody.formData ?? {}), raw: Array.isArray(d.requestBody.raw) });
    }, f, ['requestBody']);
    api.webRequest.onBeforeSendHeaders.addListener((d) => {
      const u = new URL(d.url);
      keep({ ev: 'send', path: u.pathname, prompt: u.searchParams.get('prompt'), type: d.type,
        frameId: d.frameId, tabId: d.tabId, initiator: d.initiator ?? null, documentUrl: d.documentUrl ? new URL(d.documentUrl).origin : null,
        thirdParty: d.thirdParty ?? null, cookies: names(d.requestHeaders) });
    }, f, ['requestHeaders', ...${JSON.stringify(extra)}]);
    return true;
  })()`;
}

/** Reads the probe back in an extension page (Firefox). */
export const PAGE_PROBE = "return JSON.parse(document.documentElement.dataset.flowProbe ?? '[]');";

/** The probe's record of the `n`-th (from the end) request to `path` with `prompt`. */
export function sent(probe, path, { prompt, last = true } = {}) {
  const all = probe.filter((p) => p.ev === 'send' && p.path.endsWith(path) && (prompt === undefined || p.prompt === prompt));
  return last ? all.at(-1) : all;
}
