// Launching Debian's Chromium with the built extension, for every Chromium spec: the flags of
// toolchain.md §3 (new headless mode, which runs extensions; no sandbox as root; no background
// networking, component updates, sync or QUIC, which this machine's closed network refuses).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

const QUIET = ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/**
 * A persistent Chromium context in `userDataDir` with the unpacked extension `extensionDir`.
 * `args` are added to the standard flags; other options go to Playwright as they are.
 */
export function chromiumWithExtension(userDataDir, extensionDir, { args = [], ...options } = {}) {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: false, // '--headless=new' below: the new headless mode runs extensions
    ...options,
    args: ['--headless=new', '--no-sandbox', `--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`, ...QUIET, ...args],
  });
}

/**
 * Chromium started directly, with no test driver attached while `url` loads and runs: a driver's
 * network instrumentation costs a page more than any extension does (measured: ~350 requests/s
 * under Playwright, ~1,100/s without it), so storms run this way. `connect()` attaches Playwright
 * afterwards (CDP on a port Chromium picks). `extensionDir` may be null (no extension).
 */
export async function launchChromiumDirect(extensionDir, { url, args = [], name = 'direct' } = {}) {
  const dir = mkdtempSync(join(tmpdir(), `okta-medic-${name}-`));
  const all = ['--headless=new', '--no-sandbox', `--user-data-dir=${dir}`, '--remote-debugging-port=0', ...QUIET, ...args];
  if (extensionDir) all.push(`--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`);
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
