// What a person pastes from okta.md §8 (every sample payload, as the golden fixtures
// `tests/fixtures/error-sample-*` hold them byte for byte) and what the popup must then show:
// the title of each catalogue-backed finding (Okta error codes, OAuth errors, Identity Engine
// messages, scopes), taken from the fixture's expected report. Findings that depend on the
// clock (token lifetimes, rate-limit waits) are left out — except one stale 429: pasted today,
// its Date (2020) is long past, so the popup must say the window has passed, not "wait 42 s".
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const CATALOGUE_IDS = /^(okta_error|oauth_error|idx|scope)\./;

/**
 * [{name, text, titles: [{id, title}], patterns?: [{id, pattern}]}] for every §8 sample, plus a
 * stale 429 whose rate-limit title must match `pattern` (its age depends on today's date).
 */
export function samples() {
  const names = readdirSync(FIXTURES).filter((n) => n.startsWith('error-sample-')).sort();
  const cases = names.map((name) => {
    const dir = join(FIXTURES, name);
    const report = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8'));
    const titles = report.findings.filter((f) => CATALOGUE_IDS.test(f.id)).map(({ id, title }) => ({ id, title }));
    return { name, text: readFileSync(join(dir, 'input.txt'), 'utf8'), titles };
  });
  const stale = 'ratelimit-curl-si-429-date';
  cases.push({
    name: `${stale} (a stale 429 pasted today)`,
    text: readFileSync(join(FIXTURES, stale, 'input.txt'), 'utf8'),
    // One cause: the E0000047 body is folded into the rate limit (no card of its own), whose
    // window passed years ago.
    titles: [],
    patterns: [{ id: 'rate_limit.exceeded', pattern: /^Rate limit exceeded: window reset \d+ years? ago — safe to retry$/ }],
  });
  return cases;
}

/**
 * Runs in the popup page (Playwright's `page.evaluate(pasteAndRead, …)`, or WebDriver's
 * `executeScript` with `(${pasteAndRead})(arguments[0])`): pastes `text` and resolves with the
 * title shown for each finding id (null where none appeared within 5 s).
 */
export function pasteAndRead({ text, ids }) {
  const input = document.getElementById('input');
  const paste = (value) => {
    input.value = value;
    input.dispatchEvent(new InputEvent('input', { inputType: 'insertFromPaste', bubbles: true }));
  };
  input.focus();
  paste(''); // empties the report: the previous sample's findings must not answer for this one
  paste(text);
  const read = () => Object.fromEntries(ids.map((id) => [id, document.querySelector(`[data-finding-id="${CSS.escape(id)}"] h3 .title`)?.textContent ?? null]));
  const started = Date.now();
  return new Promise(function poll(resolve) {
    const seen = read();
    if (Object.values(seen).every((t) => t !== null) || Date.now() - started > 5000) resolve(seen);
    else setTimeout(() => poll(resolve), 20);
  });
}
