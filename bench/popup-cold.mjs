// The popup's first open in a fresh browser against its second and third: bench/popup.mjs and
// ab-popup.mjs drop the first open as a warm-up, but a person's popup is often the first page of
// the extension's renderer to analyse anything (no compiled JS, no compiled wasm functions, no
// ICU data loaded yet). N fresh Chromiums (default 8), each opening the popup three times with
// bench/popup.mjs's paste; medians in ms since navigation start, plus how long the wasm's
// instantiateStreaming took and the time spent creating and calling Intl formatters (the
// report's local times; `intlOnPath` is the part of it spent before the first finding showed,
// `fromDomReady` the first finding's time after the paste). User Timing marks the page sets are
// printed too.
//   node bench/popup-cold.mjs [EXT]       (default dist/chrome)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { oktaToken } from './core.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const ext = process.argv[2] ?? join(ROOT, 'dist', 'chrome');
const N = Number(process.env.N ?? 8);
const OPENS = ['first', 'second', 'third'];
const runs = Object.fromEntries(OPENS.map((o) => [o, []]));

for (let k = 0; k < N; k++) {
  const dir = mkdtempSync(join(tmpdir(), 'om-cold-'));
  const ctx = await chromium.launchPersistentContext(dir, {
    executablePath: '/usr/bin/chromium', headless: false,
    args: ['--headless=new', '--no-sandbox', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic', `--disable-extensions-except=${ext}`, `--load-extension=${ext}`],
  });
  try {
    let [sw] = ctx.serviceWorkers();
    if (!sw) sw = await ctx.waitForEvent('serviceworker');
    const id = new URL(sw.url()).host;
    await ctx.addInitScript((token) => {
      const t = (globalThis.__t = { intl: 0 });
      for (const name of ['DateTimeFormat', 'RelativeTimeFormat']) {
        const Orig = Intl[name];
        Intl[name] = function (...args) {
          const s = performance.now();
          const f = new Orig(...args);
          t.intl += performance.now() - s;
          const format = f.format.bind(f);
          f.format = (...xs) => {
            const s2 = performance.now();
            const out = format(...xs);
            t.intl += performance.now() - s2;
            return out;
          };
          return f;
        };
      }
      const stream = WebAssembly.instantiateStreaming;
      WebAssembly.instantiateStreaming = function (...args) {
        const s = performance.now();
        const p = stream.apply(this, args);
        p.then(() => { t.instantiate = performance.now() - s; }, () => {});
        return p;
      };
      document.addEventListener('DOMContentLoaded', () => {
        t.domReady = performance.now();
        const input = document.getElementById('input');
        const seen = new MutationObserver(() => {
          if (document.querySelector('[data-finding-id]')) { t.firstFinding = performance.now(); t.intlOnPath = t.intl; t.fromDomReady = t.firstFinding - t.domReady; seen.disconnect(); }
        });
        seen.observe(document.body, { childList: true, subtree: true });
        input.value = token;
        input.dispatchEvent(new InputEvent('input', { inputType: 'insertFromPaste', bubbles: true }));
      });
    }, oktaToken(850));
    await new Promise((r) => setTimeout(r, 500)); // let the service worker's start settle
    for (const open of OPENS) {
      const page = await ctx.newPage();
      await page.goto(`chrome-extension://${id}/popup/popup.html`);
      await page.waitForFunction(() => globalThis.__t?.firstFinding !== undefined, null, { timeout: 10000 });
      runs[open].push(await page.evaluate(() => {
        const out = { ...globalThis.__t };
        for (const m of performance.getEntriesByType('mark')) out[`mark ${m.name}`] ??= m.startTime;
        return out;
      }));
      await page.close();
    }
  } finally {
    await ctx.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [open, list] of Object.entries(runs)) {
  const keys = [...new Set(list.flatMap(Object.keys))];
  const cells = keys.map((k) => `${k} ${median(list.map((s) => s[k]).filter((v) => v !== undefined)).toFixed(1)}`);
  console.log(`${open} open (median of ${list.length}): ${cells.join(', ')}`);
}
