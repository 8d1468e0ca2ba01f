// A HAR recorded by Chromium itself (Playwright's recordHar, bodies embedded) while a page on the
// loopback mock Okta runs a session that goes wrong (har-scenario.mjs), analysed by the native
// CLI (`okta-medic har --json`, streaming) and by the built wasm package (`analyzeText`): the
// same report, with the errors grouped by id and the bucket's trajectory; `har --redact` and
// `redactHar` give the same sanitised document and receipt, and no seeded secret survives any
// export. Run after ./build.sh.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCore } from './okta-scenario.mjs';
import { CHROMIUM, leaks, recordHar, startHarScenario } from './har-scenario.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(ROOT, 'target', 'release', 'okta-medic');

describe('HAR recorded by Chromium: CLI = wasm, redaction', { timeout: 120_000 }, () => {
  let scenario;
  let harPath;
  let text;
  let core;
  const dir = mkdtempSync(join(tmpdir(), 'okta-medic-har-spec-'));

  before(async () => {
    assert.ok(existsSync(CLI), `${CLI} is not built: run ./build.sh`);
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} missing: run ./build.sh test`);
    core = await loadCore(join(ROOT, 'dist', 'chrome'));
    scenario = await startHarScenario();
    const started = performance.now();
    harPath = await recordHar(scenario.pageUrl, dir);
    text = readFileSync(harPath, 'utf8');
    console.log(`recorded ${JSON.parse(text).log.entries.length} entries (${text.length} bytes) in ${Math.round(performance.now() - started)} ms`);
  });

  after(async () => {
    await scenario?.okta.close();
  });

  test('Chromium recorded the whole session, bodies included, secrets and all', () => {
    const entries = JSON.parse(text).log.entries;
    const paths = entries.map((e) => `${e.response.status} ${new URL(e.request.url).pathname}`);
    for (const want of ['429 /api/v1/users', '401 /api/v1/users/me', '302 /oauth2/default/v1/authorize', '400 /oauth2/default/v1/token', '401 /oauth2/default/v1/userinfo']) {
      assert.ok(paths.includes(want), `${want} not in ${paths}`);
    }
    const limited = entries.find((e) => e.response.status === 429);
    assert.match(limited.response.content.text, /E0000047/);
    assert.deepEqual(leaks(text, scenario.secrets).sort(), Object.keys(scenario.secrets).sort(), 'the raw HAR holds every seeded secret');
  });

  test('the streaming CLI and the wasm package give the same report', () => {
    const cli = JSON.parse(execFileSync(CLI, ['har', '--json', harPath], { encoding: 'utf8' }));
    const wasm = core.analyzeText(text, Math.floor(Date.now() / 1000));
    assert.deepEqual(wasm, cli);
    assert.equal(cli.input.kind, 'har');
    assert.equal(cli.severity, 'error');
    const t = cli.timeline;
    assert.equal(t.entries, JSON.parse(text).log.entries.length);
    assert.equal(t.oktaEntries, 7, 'users ×3, users/me, authorize, token, userinfo');
    assert.equal(t.digest.failed, 4);
    const count = Object.fromEntries(t.digest.groups.map((g) => [g.id, g.count]));
    assert.deepEqual(
      {
        E0000047: count['okta_error.E0000047'] ?? 0,
        E0000011: count['okta_error.E0000011'],
        invalidGrant: count['oauth_error.invalid_grant'],
        invalidToken: count['oauth_error.invalid_token'],
        exceeded: count['rate_limit.exceeded'],
        requestIds: count['http.request_id'],
      },
      { E0000047: 0, E0000011: 1, invalidGrant: 1, invalidToken: 1, exceeded: 1, requestIds: 7 },
    );
    // One cause per request: the 429's E0000047 body is folded into its rate_limit.exceeded.
    const limited = t.digest.groups.find((g) => g.id === 'rate_limit.exceeded');
    assert.deepEqual(limited.finding.folded, ['okta_error.E0000047']);
    assert.deepEqual(limited.requestIds, [scenario.ids.users[2]]);
    assert.equal(t.digest.errors, 4, 'four requests failed with an error');
    const users = t.rateLimits.buckets.find((b) => b.bucket === '/api/v1/users');
    assert.deepEqual(users.trajectory.map((p) => p.remaining), [2, 1, 0]);
    assert.equal(users.rateLimited, 1);
    assert.ok(t.digest.tokens.some((tok) => tok.requests === 4), 'the access token, sent four times');
  });

  test('CLI --redact = wasm redactHar: same document and receipt, no secret left, ids kept', () => {
    const receiptFile = join(dir, 'receipt.json');
    const run = spawnSync(CLI, ['har', '--redact', '--receipt', receiptFile, harPath], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const wasm = core.redactHar(text);
    assert.deepEqual(JSON.parse(wasm.har), JSON.parse(run.stdout));
    assert.deepEqual(wasm.receipt, JSON.parse(readFileSync(receiptFile, 'utf8')));
    assert.deepEqual(leaks(run.stdout, scenario.secrets), []);
    for (const kept of [...scenario.keep, ...scenario.ids.users, scenario.ids.me[0]]) assert.ok(run.stdout.includes(kept), `${kept} lost`);
    // stderr lists what was redacted, where
    assert.match(run.stderr, /redacted \d+ values/);
    for (const where of ['request.headers[Authorization]', 'request.headers[Cookie]', 'request.postData', 'response.headers[Location]']) {
      assert.ok(run.stderr.includes(where), `stderr names ${where}`);
      assert.ok(wasm.receipt.redactions.some((r) => r.location.includes(where)), `receipt names ${where}`);
    }
    // The sanitised HAR is still a HAR with the same findings.
    const again = core.analyzeText(run.stdout, 0);
    assert.deepEqual(
      again.timeline.digest.groups.map((g) => [g.id, g.count]).filter(([id]) => !id.startsWith('jwt.') && !id.startsWith('token.')),
      core.analyzeText(text, 0).timeline.digest.groups.map((g) => [g.id, g.count]).filter(([id]) => !id.startsWith('jwt.') && !id.startsWith('token.')),
    );
  });

  test('the Markdown and JSON exports keep no secret and name the errors', () => {
    const report = core.analyzeText(text, 0);
    const markdown = core.exportMarkdown(report);
    const json = core.exportJson(report);
    assert.deepEqual(leaks(markdown, scenario.secrets), []);
    assert.deepEqual(leaks(json, scenario.secrets), []);
    assert.deepEqual(leaks(JSON.stringify(report), scenario.secrets), []);
    for (const id of ['E0000047', 'E0000011', 'invalid\\_grant', scenario.ids.users[2]]) assert.ok(markdown.includes(id), `${id} not in the snippet`);
  });
});
