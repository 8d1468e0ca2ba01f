// Chromium storm E2E (issue 9): 10,000 Okta responses on one tab at the browser's own speed.
// Chromium is started with dist/chrome-test and no test driver attached (browsers.mjs
// launchChromiumDirect: Playwright's network instrumentation alone would slow the page to a third);
// the storm page (storm-page.mjs) runs by itself against the mock Okta in its own thread
// (storm-okta.mjs, HTTP/2 over TLS under dev-9012.okta.com: half 429 E0000047 with X-Rate-Limit-*,
// half 401 E0000011) and posts back what it got and how late its own 10 ms timer ran. Only then
// does Playwright attach (CDP) to check:
// - every response answered; the page's timer late by little (the browser stayed responsive);
// - the tab's counts in storage.session exact (10,000 exchanges, 5,000 + 5,000 findings), its
//   entry within the README's bound;
// - the popup opened on that tab shows the exact counts (the time from navigation start to its
//   first finding group is printed: median of 5 opens after a warm-up);
// - the mock Okta received exactly the storm page's requests, nothing from the extension.
// The rate is printed (`./build.sh bench` compares it with no extension and a SAML-tracer-shaped
// peer). Run after ./build.sh. STORM=N changes the storm's size.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeCertificate } from '../mock-okta/tls.mjs';
import { launchChromiumDirect } from './browsers.mjs';
import { TAB_STATE_BOUND, median } from './hardening-setup.mjs';
import { FINDINGS, groupCount } from './live-scenario.mjs';
import { startStormOkta } from './storm-okta.mjs';
import { startStormPage } from './storm-page.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const EXT = join(ROOT, 'dist', 'chrome-test');
const HOST = 'dev-9012.okta.com';
const STORM = Number(process.env.STORM ?? 10_000);
const TIMEOUT = 15_000;

describe(`Chromium storm: ${STORM.toLocaleString('en-US')} Okta responses on one tab, no driver attached (dist/chrome-test)`, { timeout: 600_000 }, () => {
  let page;
  let mock;
  let browser;
  let done;
  let worker;
  let context;
  let stormTabId;
  const numbers = { storm: STORM };

  const tabState = () => worker.evaluate(async (key) => (await chrome.storage.session.get(key))[key] ?? null, `tab:${stormTabId}`);

  before(async () => {
    page = await startStormPage();
    mock = await startStormOkta({ tls: makeCertificate([HOST]), cors: [page.origin], host: HOST });
    const result = page.result();
    // Headless Chromium started with --load-extension and a URL sometimes never loads that URL
    // (seen 2026-12-06, with 0bdf286's build too: the tab stays untitled, the browser idle, CDP
    // unanswered; about one start in five under load). That is Chromium's start, not the storm
    // this spec measures: a browser whose page has not started its storm 30 s after launch gets
    // the page in a new tab (browsers.mjs openAgain: at every start on a loaded machine, 16:10
    // UTC), and if that does not start either it is closed and started again, at most twice; both
    // counts are printed with the numbers.
    numbers.relaunches = 0;
    numbers.reopened = 0;
    let t0;
    for (;;) {
      const started = page.started();
      t0 = performance.now();
      browser = await launchChromiumDirect(EXT, {
        name: 'storm',
        url: page.autoUrl(STORM, `https://${HOST}`),
        args: [`--host-resolver-rules=MAP ${HOST}:443 127.0.0.1:${mock.port}`, '--ignore-certificate-errors'],
      });
      let wait;
      const within = (promise) => Promise.race([promise.then(() => true), new Promise((resolve) => { wait = setTimeout(() => resolve(false), 30_000); })]).finally(() => clearTimeout(wait));
      if (await within(started)) break;
      const again = page.started();
      if ((await browser.openAgain(page.autoUrl(STORM, `https://${HOST}`))) && (await within(again))) {
        numbers.reopened++;
        break;
      }
      assert.ok(numbers.relaunches < 2, 'Chromium never loaded the storm page in three starts');
      numbers.relaunches++;
      await browser.close();
    }
    let timer;
    done = await Promise.race([
      result,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('the storm page never reported (each of its requests gives up after 20 s)')), 150_000);
      }),
    ]).finally(() => clearTimeout(timer));
    numbers.launchToDoneMs = Math.round(performance.now() - t0);
    const connected = await browser.connect();
    [context] = connected.contexts();
    [worker] = context.serviceWorkers();
    worker ??= await context.waitForEvent('serviceworker', { timeout: TIMEOUT });
    stormTabId = await worker.evaluate(async (origin) => (await chrome.tabs.query({})).find((t) => t.url?.startsWith(origin))?.id, page.origin);
    assert.ok(Number.isInteger(stormTabId), `the storm tab's id: ${stormTabId}`);
  });

  after(async () => {
    console.log(`storm-chromium numbers: ${JSON.stringify(numbers)}`);
    await browser?.close();
    await mock?.close();
    await page?.close();
  });

  test('every response answered; the page\'s own timer ran nearly on time', () => {
    assert.equal(done.failed, 0, JSON.stringify(done));
    assert.deepEqual(done.statuses, { 401: Math.floor(STORM / 2), 429: Math.ceil(STORM / 2) });
    Object.assign(numbers, {
      stormMs: Math.round(done.ms),
      perSecond: Math.round(STORM / (done.ms / 1000)),
      timerLagMs: { p50: +done.lag.p50.toFixed(1), p95: +done.lag.p95.toFixed(1), max: +done.lag.max.toFixed(1), samples: done.lag.samples },
    });
    assert.ok(done.lag.p95 < 100, `timer lag p95 ${done.lag.p95} ms`);
    assert.ok(done.lag.max < 1_000, `timer lag max ${done.lag.max} ms`);
  });

  test('the tab\'s stored counts are exact and its entry stays within the bound', async () => {
    const t0 = performance.now();
    let state;
    while (performance.now() - t0 < 60_000) {
      state = await tabState();
      if ((state?.digest?.exchanges ?? 0) >= STORM) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    numbers.storedAfterDoneMs = Math.round(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 1_200)); // longer than the store's longest write delay (1 s in a burst): nothing more arrives
    state = await tabState();
    assert.equal(state?.digest?.exchanges, STORM, 'every exchange counted, none twice');
    assert.equal(state.digest.failed, STORM, 'every storm answer is a 4xx');
    assert.equal(groupCount(state, FINDINGS.rateLimited), Math.ceil(STORM / 2), 'one rate_limit.exceeded per 429');
    // Chromium shows an extension no response body unless the site opted in, so the 401s are
    // known by their status (and the 429s by their headers), not by their E-codes.
    assert.equal(groupCount(state, 'http.error_status'), Math.floor(STORM / 2), 'one http.error_status per 401');
    const bytes = await worker.evaluate(async (key) => ({
      inUse: await chrome.storage.session.getBytesInUse(key),
      total: await chrome.storage.session.getBytesInUse(null),
    }), `tab:${stormTabId}`);
    Object.assign(numbers, { tabStateBytes: bytes.inUse, sessionBytes: bytes.total, groups: state.digest.groups.map((g) => `${g.id}×${g.count}`) });
    assert.ok(bytes.inUse <= TAB_STATE_BOUND, `tab state ${bytes.inUse} B > ${TAB_STATE_BOUND} B`);
  });

  test('the popup on that tab shows the exact counts (the time to its first finding is printed, median of 5 opens)', async () => {
    const extensionId = new URL(worker.url()).host;
    const url = `chrome-extension://${extensionId}/popup/popup.html?tab=${stormTabId}`;
    const times = [];
    for (let i = 0; i < 6; i++) {
      const popup = await context.newPage();
      await popup.addInitScript(() => {
        new MutationObserver((_, observer) => {
          if (document.querySelector('[data-group-id]')) {
            globalThis.firstFinding = performance.now(); // since navigation start
            observer.disconnect();
          }
        }).observe(document, { childList: true, subtree: true });
      });
      await popup.goto(url);
      await popup.waitForFunction(() => globalThis.firstFinding !== undefined && document.body.dataset.liveReady === 'true', null, { timeout: TIMEOUT });
      if (i > 0) times.push(await popup.evaluate(() => globalThis.firstFinding)); // the first warms the cache
      if (i === 5) {
        const summary = await popup.locator('.live-summary').innerText();
        assert.match(summary, new RegExp(`^${STORM.toLocaleString('en-US').replace(/,/g, ',?')} requests to Okta · `), summary);
        const shown = await popup.locator(`[data-group-id="${FINDINGS.rateLimited}"]`).getAttribute('data-count');
        assert.equal(Number(shown), Math.ceil(STORM / 2));
      }
      await popup.close();
    }
    numbers.popupFirstFindingMs = times.map((t) => Math.round(t));
    // Printed, not asserted: speed is the bench's to report (`./build.sh bench`, popup row), and a
    // loaded machine made this median 221 ms while nothing was wrong.
    numbers.popupMedianMs = Math.round(median(times));
  });

  test('the mock Okta received exactly the storm page\'s requests', async () => {
    const log = await mock.log();
    assert.equal(log.count, STORM);
    assert.deepEqual(log.notFrom, [], 'requests without the storm page as Origin/Referer');
    assert.deepEqual(log.paths, { 'GET /api/v1/users': Math.ceil(STORM / 2), 'GET /api/v1/users/me': Math.floor(STORM / 2) });
  });
});
