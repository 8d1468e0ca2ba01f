// A/B of popup variants: each directory (a copy of dist/chrome holding a variant.txt that names
// it) is loaded into one headless Chromium and the popups are opened alternately, so load from
// other processes falls on every variant alike; prints each one's median first finding.
//   node bench/ab-popup.mjs /tmp/ext-before /tmp/ext-after      (N=30 opens each by default)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { oktaToken } from './core.mjs';
const exts = process.argv.slice(2);
const token = oktaToken(850);
const dir = mkdtempSync(join(tmpdir(), 'om-ab-'));
const ctx = await chromium.launchPersistentContext(dir, { executablePath: '/usr/bin/chromium', headless: false,
  args: ['--headless=new', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
    `--disable-extensions-except=${exts.join(',')}`, `--load-extension=${exts.join(',')}`] });
while (ctx.serviceWorkers().length < exts.length) await ctx.waitForEvent('serviceworker');
const order = ctx.serviceWorkers().map((sw) => new URL(sw.url()).host);
await ctx.addInitScript((t) => {
  document.addEventListener('DOMContentLoaded', () => {
    globalThis.__domReady = performance.now();
    const input = document.getElementById('input');
    if (!input) return;
    const seen = new MutationObserver(() => { if (document.querySelector('[data-finding-id]')) { globalThis.__firstFinding = performance.now(); seen.disconnect(); } });
    seen.observe(document.body, { childList: true, subtree: true });
    input.value = t;
    input.dispatchEvent(new InputEvent('input', { inputType: 'insertFromPaste', bubbles: true }));
  });
}, token);
const res = Object.fromEntries(order.map((id) => [id, { ff: [], dr: [], variant: null }]));
for (const id of order) { const p = await ctx.newPage(); await p.goto(`chrome-extension://${id}/variant.txt`); res[id].variant = (await p.textContent('body')).trim(); await p.close(); }
const N = Number(process.env.N ?? 30);
for (let i = 0; i < N; i++) for (const id of (i % 2 ? order : [...order].reverse())) {
  const page = await ctx.newPage();
  await page.goto(`chrome-extension://${id}/popup/popup.html`);
  await page.waitForFunction(() => globalThis.__firstFinding !== undefined, null, { timeout: 10000 });
  if (i > 0) { res[id].ff.push(await page.evaluate(() => globalThis.__firstFinding)); res[id].dr.push(await page.evaluate(() => globalThis.__domReady)); }
  await page.close();
}
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const r of Object.values(res)) console.log(`${r.variant}: first finding ${med(r.ff).toFixed(1)} ms, DOM ready ${med(r.dr).toFixed(1)} ms (n=${r.ff.length})`);
await ctx.close(); rmSync(dir, { recursive: true, force: true });
