// HAR through the BUILT wasm package and the native CLI: the streaming `okta-medic har`, a pasted
// HAR (analyzeText) and the DevTools panel's session fed entry by entry (sessionOpen, sessionAdd,
// sessionReport: the calls the panel makes) give the same report; `har --redact` and `redactHar`
// give the same sanitised document and receipt, with no seeded secret left. Run after ./build.sh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCore } from '../core.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const core = loadCore();
const CLI = join(ROOT, 'target', 'release', 'okta-medic');
const FIXTURES = join(ROOT, 'tests', 'fixtures');
const dir = mkdtempSync(join(tmpdir(), 'okta-medic-har-'));

const hars = readdirSync(FIXTURES).filter((name) => name.startsWith('har-'));

/** The panel's path: every entry handed to a core session once, then its report. */
function sessionReport(text) {
  const id = core.sessionOpen([]);
  for (const entry of JSON.parse(text).log.entries) core.sessionAdd(id, entry);
  const report = core.sessionReport(id);
  core.sessionClose(id);
  assert.equal(core.sessionReport(id), null, 'a closed session is gone');
  return report;
}

test('there are HAR fixtures', () => assert.ok(hars.length >= 2));

for (const name of hars) {
  const file = join(FIXTURES, name, 'input.txt');
  const text = readFileSync(file, 'utf8');

  test(`${name}: streamed CLI analysis = wasm analysis`, () => {
    const cli = JSON.parse(execFileSync(CLI, ['har', '--json', file], { encoding: 'utf8' }));
    assert.deepEqual(core.analyzeText(text, 0), cli);
    assert.deepEqual(sessionReport(text), cli);
    assert.equal(cli.input.kind, 'har');
  });

  test(`${name}: CLI --redact = wasm redactHar, document and receipt`, () => {
    const receiptFile = join(dir, `${name}.receipt.json`);
    const cli = execFileSync(CLI, ['har', '--redact', '--receipt', receiptFile, file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const wasm = core.redactHar(text);
    assert.equal(wasm.error, undefined);
    assert.deepEqual(JSON.parse(wasm.har), JSON.parse(cli));
    assert.deepEqual(wasm.receipt, JSON.parse(readFileSync(receiptFile, 'utf8')));
  });
}

test('a seeded HAR keeps no secret in the redacted copy, the exports or the report', () => {
  const jwt = 'eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJqdGkiOiJBVC4xIiwiaXNzIjoiaHR0cHM6Ly9kZXYtMS5va3RhLmNvbS9vYXV0aDIvZGVmYXVsdCJ9.c2VlZGVkLXNpZ25hdHVyZS1tdXN0LXZhbmlzaA';
  const secrets = ['c2VlZGVkLXNpZ25hdHVyZS1tdXN0LXZhbmlzaA', '00igKrTNyNLHCw0wYSIsoDF28cN4B3KZPETBz9pqz0', 'clientSecretSeed', 'passwordSeed', 'codeSeed', 'stateSeed', 'nonceSeed', 'refreshSeed', 'cookieSeed', 'sessionTokenSeed'];
  const entry = (url, reqHeaders, status, body, postText) => ({
    startedDateTime: '2026-11-27T10:00:00.000Z',
    request: { method: 'POST', url, headers: reqHeaders, cookies: [{ name: 'sid', value: 'cookieSeed' }], queryString: [], postData: postText ? { mimeType: 'application/x-www-form-urlencoded', text: postText } : undefined },
    response: { status, headers: [{ name: 'X-Okta-Request-Id', value: 'reqSeedKeep' }, { name: 'Set-Cookie', value: 'sid=cookieSeed; Path=/' }], content: { mimeType: 'application/json', text: body } },
  });
  const har = { log: { version: '1.2', creator: { name: 'test', version: '1' }, entries: [
    entry('https://dev-1.okta.com/oauth2/default/v1/token', [{ name: 'Authorization', value: `Bearer ${jwt}` }], 400,
      '{"error":"invalid_grant","error_description":"The refresh token is invalid or expired.","refresh_token":"refreshSeed"}',
      'grant_type=authorization_code&code=codeSeed&client_secret=clientSecretSeed&code_verifier=x'),
    entry('https://dev-1.okta.com/oauth2/default/v1/authorize?state=stateSeed&nonce=nonceSeed', [{ name: 'Authorization', value: 'SSWS 00igKrTNyNLHCw0wYSIsoDF28cN4B3KZPETBz9pqz0' }], 401,
      '{"errorCode":"E0000011","errorSummary":"Invalid token provided","errorId":"oaeSeedKeep","sessionToken":"sessionTokenSeed","password":"passwordSeed"}'),
  ] } };
  const text = JSON.stringify(har);
  const { har: clean, receipt } = core.redactHar(text);
  const report = core.analyzeText(text, 0);
  const outputs = { clean, markdown: core.exportMarkdown(report), json: core.exportJson(report), report: JSON.stringify(report) };
  for (const [what, out] of Object.entries(outputs)) {
    for (const secret of secrets) assert.ok(!out.includes(secret), `${what} leaks ${secret}`);
  }
  for (const kept of ['reqSeedKeep', 'oaeSeedKeep']) assert.ok(clean.includes(kept), `${kept} lost`);
  assert.ok(outputs.markdown.includes('E0000011'));
  assert.ok(receipt.redactions.length >= secrets.length, JSON.stringify(receipt));
  writeFileSync(join(dir, 'seeded.har'), text);
  const cliClean = execFileSync(CLI, ['har', '--redact', join(dir, 'seeded.har')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  for (const secret of secrets) assert.ok(!cliClean.includes(secret), `CLI leaks ${secret}`);
});

test('the seeded-secrets corpus: redactHar, the CLI, the report and its exports keep no secret', () => {
  const dirSecrets = join(ROOT, 'tests', 'secrets');
  const manifest = JSON.parse(readFileSync(join(dirSecrets, 'manifest.json'), 'utf8'));
  const file = join(dirSecrets, 'corpus.har');
  const text = readFileSync(file, 'utf8');
  assert.ok(manifest.secrets.length >= 100);
  const leaks = (out) => [...manifest.secrets.map((s) => s.marker), ...manifest.absent.map((a) => a.text)].filter((m) => out.includes(m));
  const wasm = core.redactHar(text);
  assert.equal(wasm.error, undefined);
  const receiptFile = join(dir, 'secrets.receipt.json');
  const cli = execFileSync(CLI, ['har', '--redact', '--receipt', receiptFile, file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  assert.deepEqual(JSON.parse(wasm.har), JSON.parse(cli));
  assert.deepEqual(wasm.receipt, JSON.parse(readFileSync(receiptFile, 'utf8')));
  const report = sessionReport(text);
  assert.deepEqual(report, core.analyzeText(text, 0));
  const outputs = { redactHar: wasm.har, markdown: core.exportMarkdown(report), json: core.exportJson(report), report: JSON.stringify(report) };
  for (const [what, out] of Object.entries(outputs)) assert.deepEqual(leaks(out), [], `${what} leaks`);
  for (const kept of [...manifest.keep, ...manifest.exact]) assert.ok(wasm.har.includes(kept), `redactHar lost ${kept}`);
  assert.ok(wasm.receipt.redactions.some((r) => r.what === 'member dropped'));
});

test('the panel session has no 8 MiB ceiling: a 12 MB HAR is analysed whole', () => {
  const body = '{"errorCode":"E0000011","errorSummary":"Invalid token provided","errorLink":"E0000011","errorId":"oaeY-4G_TBUTBSZAn9n7oZCfw","errorCauses":[]}';
  const entry = (i) => ({ startedDateTime: '2026-11-27T10:00:00.000Z', request: { method: 'GET', url: `https://dev-1.okta.com/api/v1/users/me?i=${i}`, headers: [] },
    response: { status: 401, headers: [{ name: 'X-Okta-Request-Id', value: `req${i}` }], content: { mimeType: 'application/json', text: body } } });
  const entries = Array.from({ length: 40000 }, (_, i) => entry(i));
  const text = JSON.stringify({ log: { version: '1.2', entries } });
  assert.ok(text.length > 12e6, `${text.length} bytes`);
  assert.equal(core.analyzeText(text, 0).findings[0].id, 'input.too_large');
  const report = sessionReport(text);
  assert.equal(report.timeline.oktaEntries, 40000);
  assert.equal(report.timeline.digest.groups.find((g) => g.id === 'okta_error.E0000011').count, 40000);
});

for (const name of hars) {
  test(`${name}: each entry shown in one call (sessionAddShown, the panel's call): a worded report, its row led by its worst finding`, () => {
    const text = readFileSync(join(FIXTURES, name, 'input.txt'), 'utf8');
    const id = core.ui.sessionOpen();
    let rows = 0;
    for (const entry of JSON.parse(text).log.entries) {
      const shown = core.ui.sessionAddShown(id, entry, []);
      if (shown == null) continue;
      rows++;
      const { row, report } = shown;
      assert.equal(row.headline ?? null, report.findings[0]?.title ?? null);
      assert.deepEqual(row.findingIds, report.findings.map((f) => f.id));
      for (const f of report.findings) {
        assert.ok(typeof f.title === 'string' && f.title.length > 0, `${f.id} worded`);
        const problem = f.severity === 'error' || f.severity === 'warning';
        assert.equal(row.problemIds.includes(f.id), problem, `${f.id}: a problem iff warning or worse`);
      }
    }
    assert.ok(rows > 0, 'the HAR has Okta entries');
    core.ui.sessionClose(id);
  });
}
