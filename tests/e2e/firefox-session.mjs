// Launching Debian's firefox-esr, for every Firefox spec: selenium-webdriver + geckodriver,
// headless, a built extension (when a spec tests one) installed as a temporary add-on under a
// fixed moz-extension:// UUID (Firefox otherwise picks one at random per profile), page console
// output and uncaught errors in geckodriver's log (WebDriver BiDi's log events don't include
// moz-extension:// pages, so the log is where "nothing logged an error" is read), downloads saved
// without asking when a spec wants them.
//
//   const ff = await launchFirefox(EXT, { uuid, name: 'live', prefs: {...}, downloads: true });
//   ff.driver; ff.downloads; ff.dir; await ff.runAsync('return await browser.tabs.query({})');
//   ff.problems(); await ff.downloadedJson(/\.json$/); await ff.close();
//   const page = await launchFirefox(null, { name: 'web', windowSize: { width: 1280, height: 800 } });
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import webdriver from 'selenium-webdriver';
import firefox from 'selenium-webdriver/firefox.js';

export const FIREFOX = '/usr/bin/firefox-esr';
const TIMEOUT = 15_000;

/** geckodriver from $GECKODRIVER, PATH, or cargo's bin directory (`cargo install geckodriver`). */
export function findGeckodriver() {
  const candidates = [
    process.env.GECKODRIVER,
    ...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'geckodriver')),
    join(process.env.CARGO_HOME ?? join(homedir(), '.cargo'), 'bin', 'geckodriver'),
  ];
  return candidates.find((path) => path && existsSync(path));
}

/** The built extension's manifest (its gecko id names the add-on). */
export function manifestAt(extensionDir) {
  const path = join(extensionDir, 'manifest.json');
  if (!existsSync(path)) throw new Error(`${extensionDir} is not built: run ./build.sh`);
  return JSON.parse(readFileSync(path, 'utf8'));
}

const DOWNLOAD_PREFS = {
  'browser.download.folderList': 2,
  'browser.download.useDownloadDir': true,
  'browser.download.always_ask_before_handling_new_types': false,
  'browser.download.start_downloads_in_tmp_dir': false,
  'browser.download.alwaysOpenPanel': false,
};

/**
 * firefox-esr with `extensionDir` installed (null: none). `prefs` are added to the standard ones
 * (en-US, page console → log); `downloads: true` saves every download into `ff.downloads`;
 * `insecureCerts` accepts the mock Okta's throwaway certificate; `windowSize` sets the window's.
 * `ff.dir` is the session's temporary folder (removed by `close()`), for files a spec writes.
 */
export async function launchFirefox(extensionDir, { uuid, name = 'firefox', prefs = {}, downloads = false, insecureCerts = false, windowSize } = {}) {
  const id = extensionDir && manifestAt(extensionDir).browser_specific_settings?.gecko?.id;
  if (extensionDir && !id) throw new Error(`${extensionDir}/manifest.json has no gecko id`);
  if (!existsSync(FIREFOX)) throw new Error(`${FIREFOX} missing: run ./build.sh test`);
  const gecko = findGeckodriver();
  if (!gecko) throw new Error('geckodriver not found: run ./build.sh test');
  const dir = mkdtempSync(join(tmpdir(), `okta-medic-${name}-`));
  const downloadDir = downloads ? join(dir, 'downloads') : null;
  if (downloadDir) mkdirSync(downloadDir);
  const all = {
    ...(id ? { 'extensions.webextensions.uuids': JSON.stringify({ [id]: uuid }) } : {}),
    'intl.locale.requested': 'en-US',
    'devtools.console.stdout.content': true, // console.* of pages → the log
    ...(downloadDir ? { ...DOWNLOAD_PREFS, 'browser.download.dir': downloadDir } : {}),
    ...prefs,
  };
  const options = new firefox.Options().setBinary(FIREFOX).addArguments('-headless');
  if (windowSize) options.windowSize(windowSize);
  if (insecureCerts) options.setAcceptInsecureCerts(true);
  for (const [key, value] of Object.entries(all)) options.setPreference(key, value);
  const logFile = join(dir, 'geckodriver.log');
  const logFd = openSync(logFile, 'w');
  const service = new firefox.ServiceBuilder(gecko).setStdio(['ignore', logFd, logFd]);
  // Without --allow-system-access geckodriver refuses to navigate to moz-extension:// pages.
  if (extensionDir) service.addArguments('--allow-system-access');
  let driver;
  try {
    driver = await new webdriver.Builder().forBrowser('firefox').setFirefoxOptions(options).setFirefoxService(service).build();
    if (extensionDir) await driver.installAddon(extensionDir, true);
  } catch (err) {
    await driver?.quit().catch(() => {});
    closeSync(logFd);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  /** Runs `body` (an async function body; its arguments in `args`) in the current window. */
  async function runAsync(body, ...args) {
    const result = await driver.executeAsyncScript(
      `const done = arguments[arguments.length - 1];
       const args = Array.from(arguments).slice(0, -1);
       (async (...args) => { ${body} })(...args).then((v) => done({ v }), (e) => done({ e: String(e) }));`,
      ...args,
    );
    if (result.e) throw new Error(result.e);
    return result.v;
  }
  let extensionTab = null;

  return {
    driver,
    dir,
    logFile,
    downloads: downloadDir,
    runAsync,

    /**
     * Opens the extension's page `path` in a new tab (`newTab: false`: in the current one), the
     * tab `inExtension` runs in; resolves with its window handle.
     */
    async openExtensionTab(path = 'options/options.html', { newTab = true } = {}) {
      if (newTab) await driver.switchTo().newWindow('tab');
      extensionTab = await driver.getWindowHandle();
      await driver.get(`moz-extension://${uuid}/${path}`);
      return extensionTab;
    },

    /** `runAsync` in the extension's tab (storage, tabs, messages): switches to it first. */
    async inExtension(body, ...args) {
      await driver.switchTo().window(extensionTab);
      return runAsync(body, ...args);
    },

    /**
     * Errors the extension logged: uncaught errors name their moz-extension:// page; a page's
     * console.error is a quoted string (Firefox's own modules print `console.error: Module: …`).
     */
    problems() {
      return readFileSync(logFile, 'utf8')
        .split('\n')
        .filter((line) => line.startsWith(`JavaScript error: moz-extension://${uuid}/`) || line.startsWith('console.error: "'));
    },

    /** A download's content once Firefox has written it whole (it must be JSON). */
    async downloadedJson(pattern) {
      let content = null;
      await driver.wait(() => {
        const file = readdirSync(downloadDir).find((n) => pattern.test(n));
        if (!file) return false;
        content = readFileSync(join(downloadDir, file), 'utf8');
        try {
          JSON.parse(content);
          return true;
        } catch {
          return false;
        }
      }, TIMEOUT, `no download matching ${pattern} in ${downloadDir}`);
      return content;
    },

    async close() {
      await driver.quit().catch(() => {});
      closeSync(logFd);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
