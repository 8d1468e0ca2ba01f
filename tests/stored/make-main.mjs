// Writes tests/stored/tab-state-main.json: a `tab:<id>` item as the build before the hand-written
// stored reader wrote it (commit 6e11661's core, run as `node tests/stored/make-main.mjs PKG_DIR`
// with that build's extension/pkg): the tab-state wrapper (lib/tab-state.js) around the core's
// liveSnapshot after the flow and clock HAR fixtures' requests, replayed as live exchanges.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { foldCall } from '../../extension/lib/exchange.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PKG = process.argv[2] ?? join(ROOT, 'extension', 'pkg');
const sw = await import(join(PKG, 'okta_medic.js'));
sw.initSync({ module: readFileSync(join(PKG, 'okta_medic_bg.wasm')) });
// liveFold as the service worker calls it (builds before liveFoldFields take the object).
const liveFold = sw.liveFoldFields ? foldCall(sw.liveFoldFields) : sw.liveFold;

const CASES = ['flow-har-code-reused', 'flow-har-refresh-token-reused', 'flow-har-renew-loop', 'flow-har-callback-error', 'clock-har-okta-clock-ahead', 'har-chrome-session'];
const TAB = 9;
let first = null;
let last = null;
for (const name of CASES) {
  const har = JSON.parse(readFileSync(join(ROOT, 'tests', 'fixtures', name, 'input.txt'), 'utf8'));
  for (const e of har.log.entries) {
    const observedAt = Date.parse(e.startedDateTime);
    const form = e.request.postData?.params ?? [];
    const exchange = {
      observedAt,
      method: e.request.method,
      url: e.request.url,
      statusCode: e.response.status,
      requestHeaders: e.request.headers.map(({ name, value }) => ({ name, value })),
      responseHeaders: e.response.headers.map(({ name, value }) => ({ name, value })),
      ...(e.response.content?.text ? { body: e.response.content.text } : {}),
      ...(form.length ? { requestForm: form.map(({ name, value }) => ({ name, value: value ?? '' })) } : {}),
    };
    const location = e.response.headers.find((h) => h.name.toLowerCase() === 'location')?.value;
    liveFold(TAB, exchange, e.response.status >= 300 && e.response.status < 400 ? location : undefined);
    first ??= observedAt;
    last = observedAt;
  }
}
const { digest, timeline, reports } = sw.liveSnapshot(TAB);
const state = { version: 1, tabId: TAB, createdAt: first, updatedAt: last, digest, timeline, reports, pageOrigins: [], networkErrors: [] };
writeFileSync(join(ROOT, 'tests', 'stored', 'tab-state-main.json'), `${JSON.stringify({ [`tab:${TAB}`]: state })}\n`);
console.log(`tab:${TAB}: ${digest.exchanges} exchanges, ${digest.groups.length} groups, ${digest.flows?.flows?.length ?? 0} flows, ${digest.clock?.samples?.length ?? 0} clock samples, ${reports.length} reports`);
