// The storm page, for the hardening specs, the storm spec and `./build.sh bench`: a page that fires
// N fetches (32 at a time) at an Okta org, half GET /api/v1/users and half GET /api/v1/users/me
// (the mock answers 429 E0000047 and 401 E0000011), as fast as the browser lets it, while a probe
// measures how late the page's own 10 ms timer fires (responsiveness).
//
//   window.storm(n, oktaOrigin[, width]) → {answered, failed, statuses, errors, ms, lag: {samples, p50, p95, max}}
//   (a request unanswered after 20 s is aborted and counted in `failed`, its error in `errors`)
//
// Opened as /storm?n=N&okta=ORIGIN&auto=1 it runs by itself once the page has been idle for 1.5 s
// (the extension's worker is up), says so with a POST to /started, and POSTs the result to /done, for a browser no test driver is
// attached to (`startStormPage`'s `result()`).
import http from 'node:http';

const SCRIPT = `
window.storm = async (n, okta, width = 32) => {
  const lags = [];
  let running = true;
  let expected = performance.now() + 10;
  const probe = () => {
    const t = performance.now();
    lags.push(t - expected);
    expected = t + 10;
    if (running) setTimeout(probe, 10);
  };
  setTimeout(probe, 10);
  let next = 0, answered = 0, failed = 0;
  const statuses = {};
  const errors = {};
  const one = async () => {
    while (next < n) {
      const i = next++;
      const path = i % 2 === 0 ? '/api/v1/users' : '/api/v1/users/me';
      try {
        // A request that hangs counts as failed instead of stalling the storm.
        const r = await fetch(okta + path, { cache: 'no-store', credentials: 'omit', signal: AbortSignal.timeout(20000) });
        await r.arrayBuffer();
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        answered++;
      } catch (e) {
        failed++;
        errors[String(e)] = (errors[String(e)] ?? 0) + 1;
      }
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: width }, one));
  const ms = performance.now() - t0;
  running = false;
  lags.sort((a, b) => a - b);
  const q = (p) => lags[Math.min(lags.length - 1, Math.floor(p * lags.length))] ?? 0;
  document.getElementById('status').textContent = 'done';
  return { answered, failed, statuses, errors, ms, lag: { samples: lags.length, p50: q(0.5), p95: q(0.95), max: lags.at(-1) ?? 0 } };
};
const params = new URLSearchParams(location.search);
if (params.get('auto') === '1') {
  setTimeout(async () => {
    fetch('/started', { method: 'POST' }).catch(() => {});
    const result = await window.storm(Number(params.get('n')), params.get('okta'));
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await fetch('/done', { method: 'POST', body: JSON.stringify(result) });
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }, 1500);
}`;

export const STORM_PAGE = `<!doctype html>
<html lang="en"><meta charset="utf-8"><title>Storm</title>
<body data-ready="true"><h1>Storm</h1><p id="status">idle</p>
<script>${SCRIPT}</script></body></html>`;

/**
 * Serves the storm page on http://localhost:PORT (`port` 0 picks one). `result()` resolves with
 * the next result an auto-running page POSTs; `url(n, okta)` is such a page's address.
 */
export async function startStormPage({ port = 0 } = {}) {
  let waiting = [];
  let starting = [];
  const server = http.createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/started') {
      res.end('ok');
      for (const resolve of starting) resolve();
      starting = [];
      return;
    }
    if (req.method === 'POST' && req.url === '/done') {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        res.end('ok');
        const result = JSON.parse(body);
        for (const resolve of waiting) resolve(result);
        waiting = [];
      });
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(STORM_PAGE);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const origin = `http://localhost:${server.address().port}`;
  return {
    origin,
    url: `${origin}/storm`,
    autoUrl: (n, okta) => `${origin}/storm?auto=1&n=${n}&okta=${encodeURIComponent(okta)}`,
    result: () => new Promise((resolve) => waiting.push(resolve)),
    /** Resolves when an auto-running page starts its storm (it has loaded and been idle 1.5 s). */
    started: () => new Promise((resolve) => starting.push(resolve)),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
