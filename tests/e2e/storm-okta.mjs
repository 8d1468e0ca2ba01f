// The storm's mock Okta in its own thread (worker_threads), so that the thousands of requests a
// storm sends are answered by an event loop that is not also running Playwright and the test, and
// logged apart from the live scenario's mock; over HTTP/2, as Okta's edge answers. (Measured: this
// thread alone answers 2,000 requests in 0.8 s; what caps a storm at ~350 requests/s is the page
// side — Chromium under Playwright's instrumentation, with or without the extension.) It serves the
// live scenario's routes (tests/mock-okta/scenarios.mjs: /api/v1/users → 429 E0000047,
// /api/v1/users/me → 401 E0000011, with X-Rate-Limit-* and X-Okta-Request-Id) over TLS, with CORS
// for the storm page's origin, and reports what it received on request.
//
//   const storm = await startStormOkta({ tls, cors: [origin] });
//   storm.port; await storm.log();  // since the last log(): {count, paths, notFrom: [requests
//                                   // without an allowed page's Origin/Referer]}
//   await storm.close();
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import http2 from 'node:http2';
import { addLiveScenario } from '../mock-okta/scenarios.mjs';

export async function startStormOkta({ tls, cors, host }) {
  const worker = new Worker(new URL(import.meta.url), { workerData: { tls, cors, host } });
  const port = await new Promise((resolve, reject) => {
    worker.once('message', (m) => resolve(m.port));
    worker.once('error', reject);
  });
  const ask = (type) =>
    new Promise((resolve) => {
      worker.once('message', resolve);
      worker.postMessage({ type });
    });
  return {
    port,
    log: () => ask('log'),
    close: async () => {
      await ask('close');
      await worker.terminate();
    },
  };
}

/** An HTTP/2 (with HTTP/1.1 fallback) TLS server answering the live scenario's routes. */
async function serve({ tls, cors, host }) {
  const routes = [];
  addLiveScenario({ route: (method, pattern, handler) => routes.unshift({ method, pattern, handler }) }, { host });
  const requests = [];
  const server = http2.createSecureServer({ key: tls.key, cert: tls.cert, allowHTTP1: true }, (req, res) => {
    const url = new URL(req.url, `https://${host}`);
    const headers = { ...req.headers, host: req.headers[':authority'] ?? req.headers.host };
    requests.push({ method: req.method, path: url.pathname, url: req.url, headers });
    const origin = req.headers.origin;
    const corsHeaders = origin && cors.includes(origin) ? { 'access-control-allow-origin': origin, vary: 'Origin' } : {};
    const found = routes.filter((r) => r.method === req.method).map((r) => ({ r, match: url.pathname.match(r.pattern) })).find((x) => x.match);
    const reply = found ? found.r.handler({ method: req.method, path: url.pathname, url: req.url, headers, query: url.searchParams, match: found.match }) : { status: 404, headers: {}, body: '' };
    const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? '');
    const out = Object.fromEntries(Object.entries({ ...reply.headers, ...corsHeaders }).map(([k, v]) => [k.toLowerCase(), v]));
    res.writeHead(reply.status ?? 200, { ...out, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  server.on('sessionError', () => {});
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: server.address().port, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

if (!isMainThread && workerData?.tls) {
  const { tls, cors, host } = workerData;
  const okta = await serve({ tls, cors, host });
  parentPort.on('message', async ({ type }) => {
    if (type === 'log') {
      const paths = {};
      for (const r of okta.requests) paths[`${r.method} ${r.path}`] = (paths[`${r.method} ${r.path}`] ?? 0) + 1;
      const notFrom = okta.requests.filter((r) => !cors.some((o) => String(r.headers.origin ?? r.headers.referer ?? '').startsWith(o)));
      parentPort.postMessage({ count: okta.requests.length, paths, notFrom: notFrom.slice(0, 20).map((r) => ({ method: r.method, url: r.url, headers: r.headers })) });
      okta.requests.length = 0; // keep the thread's memory flat between storms
    } else if (type === 'close') {
      parentPort.postMessage({ closed: true });
      okta.close();
    }
  });
  parentPort.postMessage({ port: okta.port });
}
