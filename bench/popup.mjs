// ./build.sh bench, part 4: popup open → first finding rendered, in headless Chromium with
// dist/chrome, median of 20 opens. run.mjs imports it; `node bench/popup.mjs` runs it alone
// (after ./build.sh) to try a change to the popup.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { oktaToken } from './core.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic'];

async function withBrowser(extension, fn) {
  const dir = mkdtempSync(join(tmpdir(), 'okta-medic-bench-'));
  const args = extension
    ? [...CHROMIUM_ARGS, `--disable-extensions-except=${extension}`, `--load-extension=${extension}`]
    : CHROMIUM_ARGS;
  const ctx = await chromium.launchPersistentContext(dir, { executablePath: '/usr/bin/chromium', headless: false, args });
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Popup open → first finding (ms since navigation), median of 20 opens after a warm-up. */
export async function popupOpen(token) {
  const ext = process.env.BENCH_EXT ?? join(ROOT, 'dist', 'chrome'); // BENCH_EXT: try a variant
  return withBrowser(ext, async (ctx) => {
    let [sw] = ctx.serviceWorkers();
    if (!sw) sw = await ctx.waitForEvent('serviceworker');
    const id = new URL(sw.url()).host;
    // The token is pasted as soon as the page's DOM exists; the clock starts at navigation.
    await ctx.addInitScript((t) => {
      document.addEventListener('DOMContentLoaded', () => {
        globalThis.__domReady = performance.now();
        const input = document.getElementById('input');
        const seen = new MutationObserver(() => {
          if (document.querySelector('[data-finding-id]')) {
            globalThis.__firstFinding = performance.now();
            seen.disconnect();
          }
        });
        seen.observe(document.body, { childList: true, subtree: true });
        input.value = t;
        // What a real paste fires (the popup analyses a paste at once, typing after a pause).
        input.dispatchEvent(new InputEvent('input', { inputType: 'insertFromPaste', bubbles: true }));
      });
    }, token);
    const times = [];
    const ready = [];
    for (let i = 0; i < 21; i++) {
      const page = await ctx.newPage();
      await page.goto(`chrome-extension://${id}/popup/popup.html`);
      await page.waitForFunction(() => globalThis.__firstFinding !== undefined, null, { timeout: 10000 });
      if (i > 0) { // the first open warms the disk cache
        times.push(await page.evaluate(() => globalThis.__firstFinding));
        ready.push(await page.evaluate(() => globalThis.__domReady));
      }
      await page.close();
    }
    return { firstFinding: median(times), domReady: median(ready) };
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { firstFinding, domReady } = await popupOpen(oktaToken(850));
  console.log(`popup open → first finding ${firstFinding.toFixed(1)} ms (DOM ready ${domReady.toFixed(1)} ms), median of 20`);
}
