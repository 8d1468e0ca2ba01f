// Launching Debian's Chromium with the built extension, for every Chromium spec: the flags of
// toolchain.md §3 (new headless mode, which runs extensions; no sandbox as root; no background
// networking, component updates, sync or QUIC, which this machine's closed network refuses).
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
