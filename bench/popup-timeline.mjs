// Where a popup open's time goes: one headless Chromium, each extension's popup opened N times
// (the same paste as bench/popup.mjs), alternating with each other and with an empty extension
// page (the floor: a textarea and a 3-line module that marks a finding on paste, no CSS, no
// wasm); the medians of each step in ms since navigation start:
//   node bench/popup-timeline.mjs [EXT…]      (default dist/chrome; N=20 opens each by default)
// The steps come from the page itself (an init script): Navigation Timing, User Timing marks,
// wrappers around WebAssembly's compile/instantiate calls, runtime.sendMessage and
// storage.local.get, the textarea's paste and the first [data-finding-id] node. Each extension
// is copied to a temporary folder; the floor page is added to the first.
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { oktaToken } from './core.mjs';
import { withFloorPage } from './popup.mjs';

const copyOf = (src, dir) => { cpSync(src, dir, { recursive: true }); return dir; };

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const sources = process.argv.length > 2 ? process.argv.slice(2) : [join(ROOT, 'dist', 'chrome')];
const N = Number(process.env.N ?? 20);
const work = mkdtempSync(join(tmpdir(), 'om-timeline-'));
const exts = sources.map((src, i) => (i === 0 ? withFloorPage(src, join(work, `ext${i}`)) : copyOf(src, join(work, `ext${i}`))));
const ctx = await chromium.launchPersistentContext(join(work, 'profile'), {
  executablePath: '/usr/bin/chromium', headless: false,
  args: ['--headless=new', '--no-sandbox', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-quic', `--disable-extensions-except=${exts.join(',')}`, `--load-extension=${exts.join(',')}`],
});
while (ctx.serviceWorkers().length < exts.length) await ctx.waitForEvent('serviceworker');
const loaded = new Set(ctx.serviceWorkers().map((sw) => new URL(sw.url()).host));
// Chromium names an unpacked extension by its folder's absolute path: the first 128 bits of its
// SHA-256, each hex digit mapped to a–p.
const extId = (path) => [...createHash('sha256').update(path).digest('hex').slice(0, 32)]
  .map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
const targets = [['floor', `${extId(exts[0])}/floor.html`],
  ...exts.map((dir, i) => [`${i + 1}: ${basename(sources[i])} popup`, `${extId(dir)}/popup/popup.html`])];
for (const [, path] of targets) {
  if (!loaded.has(path.split('/')[0])) throw new Error(`no extension loaded with id ${path.split('/')[0]}`);
}

await ctx.addInitScript((token) => {
  const t = (globalThis.__t = {});
  const mark = (name) => { if (t[name] === undefined) t[name] = performance.now(); };
  const W = WebAssembly;
  for (const name of ['compile', 'compileStreaming', 'instantiate', 'instantiateStreaming']) {
    const orig = W[name];
    W[name] = function (...args) {
      mark(`${name}.start`);
      const p = orig.apply(this, args);
      p.then(() => mark(`${name}.end`), () => mark(`${name}.fail`));
      return p;
    };
  }
  const rt = globalThis.chrome?.runtime;
  if (rt?.sendMessage) {
    const orig = rt.sendMessage;
    rt.sendMessage = function (...args) {
      mark('sendMessage.first');
      return orig.apply(this, args);
    };
  }
  const area = globalThis.chrome?.storage?.local;
  if (area?.get) {
    const orig = area.get;
    area.get = function (...args) {
      mark('storage.get.start');
      const p = orig.apply(this, args);
      Promise.resolve(p).then(() => mark('storage.get.end'), () => {});
      return p;
    };
  }
  document.addEventListener('DOMContentLoaded', () => {
    mark('domContentLoaded');
    const input = document.getElementById('input');
    const seen = new MutationObserver(() => {
      if (document.querySelector('[data-finding-id]')) { mark('firstFinding'); seen.disconnect(); }
    });
    seen.observe(document.body, { childList: true, subtree: true });
    input.value = token;
    mark('paste');
    input.dispatchEvent(new InputEvent('input', { inputType: 'insertFromPaste', bubbles: true }));
  });
}, oktaToken(850));

async function open(path) {
  const page = await ctx.newPage();
  await page.goto(`chrome-extension://${path}`);
  await page.waitForFunction(() => globalThis.__t?.firstFinding !== undefined, null, { timeout: 10000 });
  await new Promise((r) => setTimeout(r, 50)); // let late marks (a message's reply) land
  const steps = await page.evaluate(() => {
    const out = { ...globalThis.__t };
    const [nav] = performance.getEntriesByType('navigation');
    out['html.responseEnd'] = nav.responseEnd;
    out['domInteractive'] = nav.domInteractive;
    for (const r of performance.getEntriesByType('resource')) {
      const name = r.name.split('/').slice(3).join('/');
      out[`${name}.fetch`] = r.startTime;
      out[`${name}.end`] = r.responseEnd;
    }
    for (const p of performance.getEntriesByType('paint')) out[p.name] = p.startTime;
    for (const m of performance.getEntriesByType('mark')) out[`mark ${m.name}`] ??= m.startTime;
    return out;
  });
  await page.close();
  return steps;
}

const runs = Object.fromEntries(targets.map(([name]) => [name, []]));
for (let i = 0; i <= N; i++) {
  for (const [name, path] of i % 2 ? targets : [...targets].reverse()) {
    const steps = await open(path);
    if (i > 0) runs[name].push(steps); // the first open of each warms the disk cache
  }
}
await ctx.close();
rmSync(work, { recursive: true, force: true });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [name, list] of Object.entries(runs)) {
  const keys = [...new Set(list.flatMap(Object.keys))];
  const rows = keys.map((k) => [k, median(list.map((s) => s[k]).filter((v) => v !== undefined))])
    .sort((a, b) => a[1] - b[1]);
  console.log(`\n${name} (median of ${list.length}, ms since navigation start)`);
  for (const [k, v] of rows) console.log(`  ${v.toFixed(1).padStart(7)}  ${k}`);
}
