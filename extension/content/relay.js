// Isolated-world content script (Chromium only; registered with page-hook.js for the sites where
// the user opted in to error-body capture). It takes the private MessagePort the MAIN-world hook
// posts at document_start (its capture-phase listener runs before any the page can add, and
// stops that one event, so the page never sees it), then relays the bodies that arrive on that
// port — only for the watched hosts (the manifest's Okta host permissions plus the user's custom
// domains, which only this script and the background know), status ≥ 400, at most 64 KiB — to
// the background. The background accepts a body only for a response its webRequest listener saw
// on this tab, once (lib/body-join.js). The page is told nothing, and window messages from the
// page are never read as bodies.
// Classic script (content scripts can't be modules).
(() => {
  const api = globalThis.browser ?? globalThis.chrome;
  const TAG = 'okta-medic';
  const CAP = 64 * 1024;
  if (window.location.origin === 'null') return;

  // Same match-pattern test as lib/hosts.js `matches` (tests/extension/hosts.test.mjs checks both).
  const matches = (pattern, url) => {
    const m = /^(https?|\*):\/\/(\*|(?:\*\.)?[^/*:]+)\//.exec(pattern);
    let u;
    try {
      u = new URL(url);
    } catch {
      return false;
    }
    if (!m) return false;
    const scheme = u.protocol.slice(0, -1);
    if (m[1] === '*' ? scheme !== 'http' && scheme !== 'https' : scheme !== m[1]) return false;
    const host = m[2].toLowerCase();
    const name = u.hostname.toLowerCase();
    if (host === '*') return true;
    if (host.startsWith('*.')) return name === host.slice(2) || name.endsWith(host.slice(1));
    return name === host;
  };

  // Okta's domains: the manifest's HTTPS host permissions (see lib/settings.js oktaPatterns).
  const hostPatterns = (api.runtime.getManifest().host_permissions ?? []).filter(
    (p) => typeof p === 'string' && p.startsWith('https://'),
  );
  const patterns = Promise.resolve(api.storage.local.get('settings'))
    .catch(() => ({}))
    .then((got) => {
      const custom = Array.isArray(got?.settings?.customDomains) ? got.settings.customDomains : [];
      return [...hostPatterns, ...custom.filter((p) => typeof p === 'string')];
    });

  const relay = (data) => {
    if (!data || typeof data !== 'object') return;
    const { url, status, method, body } = data;
    if (typeof url !== 'string' || !Number.isInteger(status) || status < 400 || typeof body !== 'string') return;
    patterns.then((list) => {
      if (!list.some((p) => matches(p, url))) return;
      const message = {
        type: 'capture:body',
        url,
        status,
        method: typeof method === 'string' ? method.slice(0, 16) : 'GET',
        body: body.slice(0, CAP),
      };
      Promise.resolve(api.runtime.sendMessage(message)).catch(() => {});
    });
  };

  // The hook's port: the first window message of this document carrying it. Later look-alikes
  // (the page's own) pass by untouched, so the page can't tell this listener was ever here.
  const takePort = (event) => {
    const data = event.data;
    if (event.source !== window || !data || data[TAG] !== 'port' || event.ports?.length !== 1) return;
    event.stopImmediatePropagation();
    window.removeEventListener('message', takePort, true);
    const [port] = event.ports;
    port.onmessage = (e) => relay(e.data);
  };
  window.addEventListener('message', takePort, true);
})();
