// MAIN-world content script (Chromium only; registered per site when the user opts in to
// "capture error bodies on this site"; Firefox reads bodies with filterResponseData instead).
// It wraps window.fetch and XMLHttpRequest so that, for responses from the watched hosts with a
// status of 400 or more, a copy of the body (at most 64 KiB) is posted to this window, where the
// isolated-world relay (relay.js) picks it up for the background. Nothing else is read, nothing
// is changed: the page gets its own response untouched. The watched host patterns arrive from the
// relay in a first message (this world has no extension API); until then nothing is posted.
// Classic script (content scripts can't be modules); no dependency; errors never reach the page.
(() => {
  const TAG = 'okta-medic';
  const CAP = 64 * 1024;
  const WAIT_FOR_HOSTS_MS = 5000;
  const target = window.location.origin === 'null' ? null : window.location.origin;
  if (!target || window[Symbol.for(TAG)]) return;
  Object.defineProperty(window, Symbol.for(TAG), { value: true });

  let patterns = null;
  let hostsArrived;
  const hosts = new Promise((resolve) => {
    hostsArrived = resolve;
    setTimeout(resolve, WAIT_FOR_HOSTS_MS);
  });
  window.addEventListener('message', function onHosts(event) {
    const data = event.data;
    if (event.source !== window || !data || data[TAG] !== 'hosts' || !Array.isArray(data.patterns)) return;
    window.removeEventListener('message', onHosts);
    patterns = data.patterns.filter((p) => typeof p === 'string');
    hostsArrived();
  });

  // Match patterns as in lib/hosts.js (`https://*.okta.com/*`): scheme, host with an optional
  // `*.` prefix, any path.
  const watched = (url) => {
    let u;
    try {
      u = new URL(url, window.location.href);
    } catch {
      return false;
    }
    return (patterns ?? []).some((pattern) => {
      const m = /^(https?|\*):\/\/(\*|(?:\*\.)?[^/*:]+)\//.exec(pattern);
      if (!m) return false;
      const scheme = u.protocol.slice(0, -1);
      if (m[1] === '*' ? scheme !== 'http' && scheme !== 'https' : scheme !== m[1]) return false;
      const host = m[2].toLowerCase();
      const name = u.hostname.toLowerCase();
      if (host === '*') return true;
      if (host.startsWith('*.')) return name === host.slice(2) || name.endsWith(host.slice(1));
      return name === host;
    });
  };

  const post = (url, status, method, body) => {
    if (typeof body !== 'string') return;
    window.postMessage({ [TAG]: 'body', url, status, method, body: body.slice(0, CAP) }, target);
  };

  /** Reads a cloned error response once the watched hosts are known. */
  const report = (response, method) => {
    if (!response || response.status < 400) return;
    let copy;
    try {
      copy = response.clone(); // now, before the page reads (and locks) the body
    } catch {
      return;
    }
    hosts.then(() => {
      if (!watched(response.url)) {
        copy.body?.cancel().catch(() => {});
        return;
      }
      copy.text().then((body) => post(response.url, response.status, method, body), () => {});
    });
  };

  const nativeFetch = window.fetch;
  if (typeof nativeFetch === 'function') {
    const wrapped = function fetch(input, init) {
      const promise = nativeFetch.apply(this, arguments);
      try {
        const method = String(init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
        promise.then((response) => report(response, method), () => {});
      } catch {
        // never disturb the page's own call
      }
      return promise;
    };
    window.fetch = wrapped;
  }

  const XHR = window.XMLHttpRequest;
  if (typeof XHR === 'function') {
    const methods = new WeakMap();
    const { open, send } = XHR.prototype;
    XHR.prototype.open = function (method) {
      methods.set(this, String(method).toUpperCase());
      return open.apply(this, arguments);
    };
    XHR.prototype.send = function () {
      try {
        this.addEventListener('loadend', () => {
          if (this.status < 400) return;
          const url = this.responseURL;
          let body;
          try {
            if (this.responseType === '' || this.responseType === 'text') body = this.responseText;
            else if (this.responseType === 'json') body = JSON.stringify(this.response);
          } catch {
            return;
          }
          const status = this.status;
          const method = methods.get(this) ?? 'GET';
          hosts.then(() => {
            if (watched(url)) post(url, status, method, body);
          });
        });
      } catch {
        // never disturb the page's own call
      }
      return send.apply(this, arguments);
    };
  }
})();
