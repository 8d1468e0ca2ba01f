// `./build.sh demo`: the live capture against a loopback mock Okta. Starts the mock (HTTPS, a
// throwaway certificate) and the sample app (tests/sample-app, http://localhost:PORT) whose
// buttons trigger a 401, a 403 with a missing scope, a 429, a bucket running low, an Identity
// Engine E0000004 and an /authorize redirect with user_not_assigned — all to dev-1234.okta.com
// and dev-5678.oktapreview.com, which Chromium is told to resolve to the mock. Then opens
// Chromium with the shipped extension (dist/chrome) on the app: headed when a display exists;
// otherwise it prints the URLs and the command line to run on a machine with one.
//
//   node tools/demo.mjs            run until Ctrl-C (or until the browser is closed)
//   node tools/demo.mjs --smoke    headless: click every button, print what the extension
//                                  recorded for the tab and its badge, exit (checks the demo)
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PRIMARY, SECONDARY, chromiumHostRules, startLiveScenario } from '../tests/e2e/live-scenario.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = '/usr/bin/chromium';
const smoke = process.argv.includes('--smoke');
const EXT = join(ROOT, 'dist', smoke ? 'chrome-test' : 'chrome');

if (!existsSync(join(EXT, 'manifest.json'))) {
  console.error(`demo: ${EXT} is not built: run ./build.sh`);
  process.exit(1);
}

const scenario = await startLiveScenario();
const profile = mkdtempSync(join(tmpdir(), 'okta-medic-demo-'));
const flags = [
  `--user-data-dir=${profile}`,
  `--disable-extensions-except=${EXT}`,
  `--load-extension=${EXT}`,
  // Chrome 137+ ignores --load-extension unless this feature is off (Chromium builds may not).
  '--disable-features=DisableLoadExtensionCommandLineSwitch',
  chromiumHostRules(scenario.okta.port),
  '--ignore-certificate-errors',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-quic',
];

async function shutdown(code = 0) {
  await scenario.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
  process.exit(code);
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

console.log(`Okta Medic demo
  mock Okta   https://127.0.0.1:${scenario.okta.port}  (as https://${PRIMARY} and https://${SECONDARY})
  sample app  ${scenario.app.origin}/
  extension   ${EXT}
`);

if (smoke) {
  const { chromium } = await import('playwright-core');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: false,
    args: ['--headless=new', '--no-sandbox', ...flags.filter((f) => !f.startsWith('--user-data-dir'))],
  });
  let [worker] = context.serviceWorkers();
  worker ??= await context.waitForEvent('serviceworker');
  const [app] = context.pages();
  await app.goto(scenario.app.origin);
  await app.waitForFunction(() => document.body.dataset.ready === 'true');
  for (const id of ['call-401', 'call-403', 'call-429', 'call-low', 'idx-identify']) {
    const before = await app.locator('#log li').count();
    await app.click(`#${id}`);
    await app.waitForFunction((n) => document.querySelectorAll('#log li').length > n, before);
  }
  await app.click('#sign-in');
  await app.waitForURL(/\/callback\?/);
  await new Promise((r) => setTimeout(r, 800));
  const recorded = await worker.evaluate(async () => {
    const all = await chrome.storage.session.get(null);
    const [key, state] = Object.entries(all).find(([k]) => k.startsWith('tab:')) ?? [];
    if (!state) return null;
    const tabId = Number(key.slice(4));
    return {
      badge: await chrome.action.getBadgeText({ tabId }),
      groups: state.digest.groups.map((g) => `${g.severity.padEnd(7)} ×${g.count} ${g.id}: ${g.finding.title}`),
    };
  });
  console.log(recorded ? `badge: ${recorded.badge}\n${recorded.groups.join('\n')}` : 'nothing recorded');
  await context.close();
  await shutdown(recorded?.groups.length ? 0 : 1);
} else if (process.env.DISPLAY || process.env.WAYLAND_DISPLAY) {
  console.log('Opening Chromium. Click "Enable on this site" in the popup, then the app\'s buttons.\nCtrl-C stops the demo.');
  const browser = spawn(CHROMIUM, [...flags, `${scenario.app.origin}/`], { stdio: 'ignore' });
  browser.on('exit', () => shutdown(0));
} else {
  const quote = (arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`);
  console.log(`No display here. On a machine with one (same network namespace), run:

  ${CHROMIUM} \\
    ${flags.map(quote).join(' \\\n    ')} \\
    ${scenario.app.origin}/

or load ${EXT} in any Chromium (chrome://extensions → Developer mode → Load unpacked) started
with the --host-resolver-rules and --ignore-certificate-errors flags above, and open the app.
In the popup, "Enable on this site" lets the extension see the app's calls to Okta.
Ctrl-C stops the demo.`);
}
