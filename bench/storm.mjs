// ./build.sh bench, part 5: a request storm on one tab, with and without extensions, in the same
// run. A page on http://localhost fires N fetches (32 at a time) at https://dev-9012.okta.com —
// mapped to a loopback TLS mock Okta (tests/e2e/storm-okta.mjs: HTTP/2, half 429 E0000047 with
// X-Rate-Limit-*, half 401 E0000011) — and posts back how long they took. Chromium is started
// directly, not through Playwright: a test driver's network instrumentation costs more than any
// extension (measured: ~350 requests/s under Playwright, ~1,100/s without it, no extension).
//
// Configurations, interleaved run by run, the median kept:
//   none      no extension
//   observer  bench/observer: a SAML-tracer-shaped peer (three webRequest listeners with headers)
//   okta      Okta Medic, dist/chrome-test: the shipped package with the page's origin granted,
//             as "Enable on this site" does (Chromium shows an extension a page's requests only
//             when it may access the page's origin too)
// After each storm the bench attaches to the browser (CDP) and asks the extension how many of the
// requests it saw, so a configuration that silently saw nothing can't pass for a fast one.
import http from 'node:http';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { makeCertificate } from '../tests/mock-okta/tls.mjs';
import { startStormOkta } from '../tests/e2e/storm-okta.mjs';

const HOST = 'dev-9012.okta.com';
const CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic'];

const page = (n, width) => `<!doctype html><title>storm</title><script>
(async () => {
  const okta = 'https://${HOST}';
  let next = 0, answered = 0, failed = 0;
  const one = async () => {
    while (next < ${n}) {
      const i = next++;
      try {
        const r = await fetch(okta + (i % 2 ? '/api/v1/users/me' : '/api/v1/users'), { cache: 'no-store', credentials: 'omit' });
        await r.arrayBuffer();
        answered++;
      } catch {
        failed++;
      }
    }
  };
  await new Promise((r) => setTimeout(r, 1500)); // the extension's worker is up
  const t0 = performance.now();
  await Promise.all(Array.from({ length: ${width} }, one));
  const ms = performance.now() - t0;
  await fetch('/done', { method: 'POST', body: JSON.stringify({ answered, failed, ms }) });
})();
</script>`;

/** How many of the storm's requests the extension's worker saw (`count` runs in the worker). */
async function seenBy(dir, count) {
  const port = readFileSync(join(dir, 'DevToolsActivePort'), 'utf8').split('\n')[0];
  const browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
  try {
    const [context] = browser.contexts();
    let [worker] = context.serviceWorkers();
    worker ??= await context.waitForEvent('serviceworker', { timeout: 10_000 });
    // Okta Medic writes a burst's tail after its coalescing delay: wait until the count settles.
    let seen = -1;
    for (let i = 0; i < 50; i++) {
      const now = await worker.evaluate(count);
      if (now === seen) break;
      seen = now;
      await new Promise((r) => setTimeout(r, 300));
    }
    return seen;
  } finally {
    await browser.close().catch(() => {});
  }
}

/** One storm in a fresh Chromium with `config.extension` (a directory, or null). */
async function once({ extension, count }, { n, width, okta }) {
  let resolveDone;
  const done = new Promise((r) => { resolveDone = r; });
  const server = http.createServer((req, res) => {
    if (req.method === 'POST') {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => { res.end('ok'); resolveDone(JSON.parse(body)); });
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html', 'Cache-Control': 'no-store' });
    res.end(page(n, width));
  });
  await new Promise((r) => server.listen(okta.pagePort, '127.0.0.1', r));
  const dir = mkdtempSync(join(tmpdir(), 'okta-medic-storm-'));
  const args = [...CHROMIUM_ARGS, `--user-data-dir=${dir}`, `--host-resolver-rules=MAP ${HOST}:443 127.0.0.1:${okta.port}`,
    '--ignore-certificate-errors', '--remote-debugging-port=0'];
  if (extension) args.push(`--disable-extensions-except=${extension}`, `--load-extension=${extension}`);
  // Its own process group, so that the renderers go with it.
  const browser = spawn('/usr/bin/chromium', [...args, `http://localhost:${okta.pagePort}/storm`], { stdio: 'ignore', detached: true });
  const timeout = setTimeout(() => resolveDone({ answered: 0, failed: n, ms: NaN, timedOut: true }), 180_000);
  try {
    const result = await done;
    if (count) result.seen = await seenBy(dir, count);
    return result;
  } finally {
    clearTimeout(timeout);
    const exited = new Promise((r) => (browser.exitCode === null ? browser.once('exit', r) : r()));
    try {
      process.kill(-browser.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await exited;
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }
}

/** Counts for `count`: what each extension's worker saw of the storm. */
export const COUNTERS = {
  observer: () => globalThis.responses,
  oktaMedic: async () => {
    const all = await chrome.storage.session.get(null);
    return Object.values(all).reduce((n, v) => n + (v?.digest?.exchanges ?? 0), 0);
  },
};

/**
 * Runs `rounds` storms of `n` requests per configuration, interleaved; resolves with
 * {name: {perSecond, ms, runs: [ms…], failed}} (medians).
 */
export async function stormBench(configs /* {name: {extension, count}} */, { n = 3000, width = 32, rounds = 3, onRun } = {}) {
  const pagePort = 20000 + Math.floor(Math.random() * 20000);
  const pageOrigin = `http://localhost:${pagePort}`;
  const mock = await startStormOkta({ tls: makeCertificate([HOST]), cors: [pageOrigin], host: HOST });
  const runs = Object.fromEntries(Object.keys(configs).map((k) => [k, []]));
  try {
    for (let round = 0; round < rounds; round++) {
      for (const [name, config] of Object.entries(configs)) {
        const run = await once(config, { n, width, okta: { port: mock.port, pagePort } });
        runs[name].push(run);
        onRun?.(name, run);
        await mock.log(); // empties the mock's request log between storms
      }
    }
  } finally {
    await mock.close();
  }
  const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return Object.fromEntries(Object.entries(runs).map(([name, rs]) => {
    const ms = med(rs.map((r) => r.ms));
    return [name, {
      ms,
      perSecond: (n / ms) * 1000,
      runs: rs.map((r) => Math.round(r.ms)),
      failed: rs.reduce((s, r) => s + r.failed, 0),
      seen: rs.map((r) => r.seen ?? null),
    }];
  }));
}
