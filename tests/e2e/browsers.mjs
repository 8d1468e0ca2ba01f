// Launching Debian's Chromium for every Chromium spec, with or without the built extension: the
// flags of toolchain.md §3, each explained where it is defined. Firefox: firefox-session.mjs.
//
//   const browser = await openChromium(EXT, { name: 'live', problems, viewport, args: [...] });
//   browser.context; browser.worker; browser.extensionId; browser.origin; await browser.close();
//   const plain = await launchChromium({ args: [...] });   // no extension (offline page, HAR recording)
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const TIMEOUT = 15_000;

const HEADLESS = [
  '--headless=new', // the new headless mode, which runs extensions like a headed browser
  '--no-sandbox', // the specs run as root, where Chromium's sandbox does not start
];

// The probe's flags of toolchain.md §3: no background networking, component updates, sync or
// QUIC, which this machine's closed network refuses (and which would be requests no spec made);
// no first-run UI over the pages.
const QUIET = ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/** Loads the unpacked extension, and no other (Debian's wrapper adds an empty --load-extension). */
const withExtension = (extensionDir) => [`--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`];

/**
 * A persistent Chromium context in `userDataDir` with the unpacked extension `extensionDir`.
 * `args` are added to the standard flags; other options go to Playwright as they are.
 */
function chromiumWithExtension(userDataDir, extensionDir, { args = [], ...options } = {}) {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: false, // '--headless=new' below: the new headless mode runs extensions
    ...options,
    args: [...HEADLESS, ...withExtension(extensionDir), ...QUIET, ...args],
  });
}

/**
 * Chromium with the built extension `extensionDir` in a fresh profile (a temporary folder named
 * after `name`, removed by `close()`), once its service worker runs:
 * `{ context, worker, extensionId, origin, userDataDir, close() }` (`origin` ends in '/').
 * `problems` (an array) collects the pages' uncaught errors as `page error: …`; `listen(context)`
 * runs before the worker is waited for, for listeners that must see the start (requests, console).
 * `worker: false` does not wait for it (the DevTools spec, whose extension id it does not need).
 * Other options go to chromiumWithExtension (Playwright's, and `args`).
 */
export async function openChromium(extensionDir, { name = 'chromium', problems, listen, worker: waitForWorker = true, ...options } = {}) {
  if (!existsSync(join(extensionDir, 'manifest.json'))) throw new Error(`${extensionDir} is not built: run ./build.sh`);
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} missing: run ./build.sh test`);
  const userDataDir = mkdtempSync(join(tmpdir(), `okta-medic-${name}-`));
  const removeProfile = () => rmSync(userDataDir, { recursive: true, force: true });
  let context;
  try {
    context = await chromiumWithExtension(userDataDir, extensionDir, options);
  } catch (err) {
    removeProfile();
    throw err;
  }
  const close = async () => {
    await context.close();
    removeProfile();
  };
  try {
    if (problems) context.on('weberror', (err) => problems.push(`page error: ${err.error().message}`));
    listen?.(context);
    let worker = null;
    if (waitForWorker) {
      [worker] = context.serviceWorkers();
      worker ??= await context.waitForEvent('serviceworker', { timeout: TIMEOUT });
    }
    const extensionId = worker ? new URL(worker.url()).host : null;
    return { context, worker, extensionId, origin: extensionId && `chrome-extension://${extensionId}/`, userDataDir, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * Chromium without an extension (`chromium.launch`: each `browser.newContext()` a fresh profile).
 * `args` are added to the standard flags; other options go to Playwright as they are.
 */
export function launchChromium({ args = [], ...options } = {}) {
  return chromium.launch({ executablePath: CHROMIUM, ...options, args: [...HEADLESS, ...QUIET, ...args] });
}

/**
 * Chromium started directly, with no test driver attached while `url` loads and runs: a driver's
 * network instrumentation costs a page more than any extension does (measured: ~350 requests/s
 * under Playwright, ~1,100/s without it), so storms run this way. `connect()` attaches Playwright
 * afterwards (CDP on a port Chromium picks). `extensionDir` may be null (no extension).
 */
export async function launchChromiumDirect(extensionDir, { url, args = [], name = 'direct' } = {}) {
  const dir = mkdtempSync(join(tmpdir(), `okta-medic-${name}-`));
  const all = [...HEADLESS, `--user-data-dir=${dir}`, '--remote-debugging-port=0', ...QUIET, ...args];
  if (extensionDir) all.push(...withExtension(extensionDir));
  // Its own process group, so that its renderers go with it.
  const child = spawn(CHROMIUM, [...all, url], { stdio: 'ignore', detached: true });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let connected = null;
  return {
    dir,
    /** Playwright attached to the running browser (once; later calls get the same one). */
    async connect() {
      if (!connected) {
        const file = join(dir, 'DevToolsActivePort');
        const deadline = Date.now() + 15_000;
        while (!existsSync(file) || readFileSync(file, 'utf8').split('\n').length < 2) {
          if (Date.now() > deadline) throw new Error('Chromium wrote no DevToolsActivePort');
          await new Promise((r) => setTimeout(r, 50));
        }
        const port = readFileSync(file, 'utf8').split('\n')[0];
        connected = await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
      }
      return connected;
    },
    /**
     * Opens `url` again in a new tab through the DevTools HTTP endpoint (`PUT /json/new`: no
     * driver attached) and closes the tabs still showing it unloaded. Headless Chromium started
     * with --load-extension and a URL sometimes never loads that URL (its tab stays blank,
     * whatever the extension; at every start on a loaded machine, 2026-12-06 16:10 UTC), while a
     * tab opened later loads; Playwright's connect waits forever on the blank tab, hence the close.
     */
    async openAgain(url) {
      const file = join(dir, 'DevToolsActivePort');
      if (!existsSync(file)) return false;
      const endpoint = `http://127.0.0.1:${readFileSync(file, 'utf8').split('\n')[0]}`;
      const blank = await fetch(`${endpoint}/json`).then((r) => r.json()).catch(() => []);
      const opened = await fetch(`${endpoint}/json/new?${encodeURIComponent(url)}`, { method: 'PUT' }).catch(() => null);
      for (const t of blank) {
        if (t.type === 'page' && t.url === url && !t.title) await fetch(`${endpoint}/json/close/${t.id}`).catch(() => {});
      }
      return Boolean(opened?.ok);
    },
    async close() {
      await connected?.close().catch(() => {});
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      await exited;
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    },
  };
}
