// ./build.sh bench, part 5: a request storm on one tab, with and without extensions, in the same
// run. The storm page (tests/e2e/storm-page.mjs) on http://localhost fires N fetches (32 at a
// time) at https://dev-9012.okta.com — mapped to a loopback TLS mock Okta (tests/e2e/storm-okta.mjs:
// HTTP/2, half 429 E0000047 with X-Rate-Limit-*, half 401 E0000011) — and posts back how long they
// took. Chromium runs with no test driver attached during the storm (tests/e2e/browsers.mjs
// launchChromiumDirect): a driver's network instrumentation costs more than any extension.
//
// Configurations, interleaved run by run, the median kept:
//   none      no extension
//   observer  bench/observer: a SAML-tracer-shaped peer (three webRequest listeners with headers)
//   oktaMedic dist/chrome-test: the shipped package with the page's origin granted, as "Enable on
//             this site" does (Chromium shows an extension a page's requests only when it may
//             access the page's origin too)
// After each storm the bench attaches (CDP) and asks the extension how many of the requests it
// saw, so a configuration that silently saw nothing can't pass for a fast one.
import { readFileSync, readdirSync } from 'node:fs';
import { makeCertificate } from '../tests/mock-okta/tls.mjs';
import { launchChromiumDirect } from '../tests/e2e/browsers.mjs';
import { startStormOkta } from '../tests/e2e/storm-okta.mjs';
import { startStormPage } from '../tests/e2e/storm-page.mjs';

const HOST = 'dev-9012.okta.com';

/** Counts for `count`: what each extension's worker saw of the storm (run in the worker). */
export const COUNTERS = {
  observer: () => globalThis.responses,
  oktaMedic: async () => {
    const all = await chrome.storage.session.get(null);
    return Object.values(all).reduce((n, v) => n + (v?.digest?.exchanges ?? 0), 0);
  },
};

/** How many requests the extension's worker saw, once the count stops moving. */
async function seenBy(browser, count) {
  const browserConnection = await browser.connect();
  const [context] = browserConnection.contexts();
  let [worker] = context.serviceWorkers();
  worker ??= await context.waitForEvent('serviceworker', { timeout: 10_000 });
  // Okta Medic writes a burst's tail after its coalescing delay (up to 1 s in a burst,
  // lib/tab-store.js): wait until the count has not moved for longer than that.
  let seen = -1;
  for (let i = 0; i < 30; i++) {
    const now = await worker.evaluate(count);
    if (now === seen) break;
    seen = now;
    await new Promise((r) => setTimeout(r, 1_200));
  }
  return seen;
}

/**
 * CPU time (ms, user + system) of every process of the Chromium started with user-data `dir`
 * (its process group: browsers.mjs starts it detached). Less moved by other load on the machine
 * than the storm's wall time, so the bench prints it beside requests/s.
 */
function cpuMs(dir) {
  return Object.values(processCpu(dir)).reduce((sum, p) => sum + p.ms, 0) || NaN;
}

/** What a Chromium child process is, from its command line (the title it rewrote: one string). */
function processKind(cmdline) {
  const arg = (name) => cmdline.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const type = arg('type');
  if (!type) return 'browser';
  if (type === 'renderer') return cmdline.includes('--extension-process') ? 'extension' : 'page';
  if (type === 'utility') return arg('utility-sub-type')?.split('.').at(-1) ?? 'utility';
  return type;
}

/**
 * {pid: {kind, ms}}: CPU time (user + system) of each process of the Chromium started with
 * user-data `dir`, and what it is (browser, page, extension, NetworkService, gpu-process …).
 */
export function processCpu(dir) {
  const stat = (pid) => {
    try {
      const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return text.slice(text.lastIndexOf(')') + 2).split(' ');
    } catch {
      return null;
    }
  };
  const pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  const leader = pids.find((p) => {
    try {
      return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(`--user-data-dir=${dir}\0`);
    } catch {
      return false;
    }
  });
  if (!leader) return {};
  const group = stat(leader)?.[2]; // fields after the command: state, ppid, pgrp, …
  const out = {};
  for (const p of pids) {
    const f = stat(p);
    if (!f || f[2] !== group) continue;
    let cmdline = [];
    try {
      cmdline = readFileSync(`/proc/${p}/cmdline`, 'utf8').split(/[\0 ]/);
    } catch {
      // gone meanwhile
    }
    // utime + stime, in ticks of USER_HZ (100 on Linux)
    out[p] = { kind: processKind(cmdline), ms: ((Number(f[11]) + Number(f[12])) * 1000) / 100 };
  }
  return out;
}

/** CPU ms by process kind, between two `processCpu` readings. */
export function cpuByKind(before, after) {
  const byKind = {};
  for (const [pid, { kind, ms }] of Object.entries(after)) byKind[kind] = (byKind[kind] ?? 0) + ms - (before[pid]?.ms ?? 0);
  return byKind;
}

const within = (promise, ms) => Promise.race([promise.then(() => true), new Promise((r) => setTimeout(() => r(false), ms).unref())]);

/**
 * Resolves true once the page has started its storm; a page that has not started 15 s after
 * launch is opened again in a new tab, undriven (browsers.mjs `openAgain`: Chromium sometimes
 * never loads the URL it was started with).
 */
async function pageStarted(browser, page, url) {
  if (await within(page.started(), 15_000)) return true;
  const again = page.started();
  if (!(await browser.openAgain(url))) return false;
  console.warn('storm bench: the page did not start in 15 s; opened it in a new tab');
  return within(again, 20_000);
}

/** One storm in a fresh Chromium with `config.extension` (a directory, or null). */
async function once({ extension, count }, { n, page, mock }) {
  const result = page.result();
  const url = page.autoUrl(n, `https://${HOST}`);
  const browser = await launchChromiumDirect(extension, {
    name: 'storm-bench',
    url,
    args: [`--host-resolver-rules=MAP ${HOST}:443 127.0.0.1:${mock.port}`, '--ignore-certificate-errors'],
  });
  try {
    if (!(await pageStarted(browser, page, url))) return { answered: 0, failed: n, ms: NaN, timedOut: true };
    const timeout = new Promise((resolve) => setTimeout(() => resolve({ answered: 0, failed: n, ms: NaN, timedOut: true }), 180_000).unref());
    const done = await Promise.race([result, timeout]);
    done.cpuMs = cpuMs(browser.dir);
    done.cpuKinds = cpuByKind({}, processCpu(browser.dir));
    if (count && !done.timedOut) done.seen = await seenBy(browser, count);
    return done;
  } finally {
    await browser.close();
    await mock.log(); // empties the mock's request log between storms
  }
}

/**
 * Runs `rounds` storms of `n` requests per configuration ({name: {extension, count}}),
 * interleaved; resolves with {name: {ms, perSecond, runs: [ms…], failed, seen: [n…]}} (medians).
 */
export async function stormBench(configs, { n = 3000, rounds = 3, onRun } = {}) {
  const page = await startStormPage();
  const mock = await startStormOkta({ tls: makeCertificate([HOST]), cors: [page.origin], host: HOST });
  const runs = Object.fromEntries(Object.keys(configs).map((k) => [k, []]));
  try {
    for (let round = 0; round < rounds; round++) {
      for (const [name, config] of Object.entries(configs)) {
        let run = await once(config, { n, page, mock });
        // A page that never reported (Chromium sometimes never loads the page it was started with,
        // tests/e2e/storm-chromium.spec.mjs): say so, and run it again once.
        if (run.timedOut) {
          console.warn(`storm bench: ${name} round ${round + 1}: the page never reported; running it again`);
          run = await once(config, { n, page, mock });
        }
        runs[name].push(run);
        onRun?.(name, run);
      }
    }
  } finally {
    await mock.close();
    await page.close();
  }
  const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return Object.fromEntries(
    Object.entries(runs).map(([name, rs]) => {
      // The median of the storms that finished: a run that never reported has no time and must
      // not sort in as the fastest or the slowest.
      const finished = rs.map((r) => r.ms).filter(Number.isFinite);
      const ms = finished.length > 0 ? med(finished) : NaN;
      return [name, {
        ms,
        perSecond: (n / ms) * 1000,
        runs: rs.map((r) => Math.round(r.ms)),
        cpuMs: med(rs.map((r) => r.cpuMs).filter(Number.isFinite)),
        cpuRuns: rs.map((r) => Math.round(r.cpuMs)),
        // the median of each process kind's CPU (browser, page, extension, NetworkService …)
        cpuKinds: Object.fromEntries(
          [...new Set(rs.flatMap((r) => Object.keys(r.cpuKinds ?? {})))].map((k) => [k, med(rs.map((r) => r.cpuKinds?.[k] ?? 0))]),
        ),
        failed: rs.reduce((s, r) => s + r.failed, 0),
        seen: rs.map((r) => r.seen ?? null),
      }];
    }),
  );
}
