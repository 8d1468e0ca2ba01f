// Isolated-world content script (Chromium only; registered with page-hook.js for the sites where
// the user opted in to error-body capture). It tells the MAIN-world hook which hosts to watch
// (the manifest's Okta host permissions plus the user's custom domains), then relays the bodies
// the hook posts — only for those hosts, status ≥ 400, at most 64 KiB — to the background, which
// attaches each to the exchange webRequest saw (a body with no such exchange is dropped there).
// Classic script (content scripts can't be modules).
(() => {
  const api = globalThis.browser ?? globalThis.chrome;
  const TAG = 'okta-medic';
  const CAP = 64 * 1024;
  const target = window.location.origin === 'null' ? null : window.location.origin;
  if (!target) return;

  let patterns = [];
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
  Promise.resolve(api.storage.local.get('settings'))
    .catch(() => ({}))
    .then((got) => {
      const custom = Array.isArray(got?.settings?.customDomains) ? got.settings.customDomains : [];
      patterns = [...hostPatterns, ...custom.filter((p) => typeof p === 'string')];
      window.postMessage({ [TAG]: 'hosts', patterns }, target);
    });

  window.addEventListener('message', (event) => {
    const data = event.data;
    if (event.source !== window || !data || data[TAG] !== 'body') return;
    const { url, status, method, body } = data;
    if (typeof url !== 'string' || !Number.isInteger(status) || status < 400 || typeof body !== 'string') return;
    if (!patterns.some((p) => matches(p, url))) return;
    const message = {
      type: 'capture:body',
      url,
      status,
      method: typeof method === 'string' ? method.slice(0, 16) : 'GET',
      body: body.slice(0, CAP),
    };
    Promise.resolve(api.runtime.sendMessage(message)).catch(() => {});
  });
})();
