// ./build.sh bench, part 4: popup open → first finding rendered, in headless Chromium with
// dist/chrome, median of 20 opens. run.mjs imports it; `node bench/popup.mjs` runs it alone
// (after ./build.sh) to try a change to the popup. Each popup open alternates with an open of the
// floor in the same browser: an empty page of the same extension (a textarea and a 3-line module
// that marks a finding on paste; no CSS, no wasm), the least any extension page takes on this
// machine, so the row can say how much of its time is the popup's own.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

/** A copy of the extension in `dir` with the floor page added (floor.html, floor.js). */
export function withFloorPage(source, dir) {
  cpSync(source, dir, { recursive: true });
  writeFileSync(join(dir, 'floor.html'), '<!doctype html><meta charset="utf-8"><title>floor</title>'
    + '<script type="module" src="floor.js"></script><textarea id="input"></textarea><div id="report"></div>\n');
  writeFileSync(join(dir, 'floor.js'), "const input = document.getElementById('input');\n"
    + "input.addEventListener('input', () => { const d = document.createElement('div'); d.dataset.findingId = 'x';"
    + " d.textContent = input.value.slice(0, 20); document.getElementById('report').append(d); });\n");
  return dir;
}

/**
 * Popup open → first finding (ms since navigation), median of 20 opens after a warm-up; the
 * floor page's first finding, median of 20 opens alternating with them.
 */
export async function popupOpen(token) {
  const source = process.env.BENCH_EXT ?? join(ROOT, 'dist', 'chrome'); // BENCH_EXT: try a variant
  const copy = mkdtempSync(join(tmpdir(), 'okta-medic-bench-ext-'));
  try {
    return await popupOpenIn(withFloorPage(source, join(copy, 'ext')), token);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

async function popupOpenIn(ext, token) {
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
    const open = async (path) => {
      const page = await ctx.newPage();
      await page.goto(`chrome-extension://${id}/${path}`);
      await page.waitForFunction(() => globalThis.__firstFinding !== undefined, null, { timeout: 10000 });
      const times = await page.evaluate(() => [globalThis.__firstFinding, globalThis.__domReady]);
      await page.close();
      return times;
    };
    const times = [];
    const ready = [];
    const floor = [];
    for (let i = 0; i < 21; i++) {
      const [finding, domReady] = await open('popup/popup.html');
      const [floorFinding] = await open('floor.html');
      if (i > 0) { // the first open of each warms the disk cache
        times.push(finding);
        ready.push(domReady);
        floor.push(floorFinding);
      }
    }
    return { firstFinding: median(times), domReady: median(ready), floor: median(floor) };
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { firstFinding, domReady, floor } = await popupOpen(oktaToken(850));
  console.log(`popup open → first finding ${firstFinding.toFixed(1)} ms (DOM ready ${domReady.toFixed(1)} ms), median of 20; the empty extension page's ${floor.toFixed(1)} ms`);
}
