// The DevTools panel's page logic without a browser (extension/devtools/session.js and
// har-entry.js) on the BUILT wasm core: a session made of a HAR's entries gives exactly the report
// of the whole HAR (what `okta-medic har` prints), each entry is handed to the core once and its
// row agrees with its full report, the rows add up to the HAR's digest, the filters keep the right
// rows, and a live session's sanitised HAR keeps no seeded secret. Run after ./build.sh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCore } from '../core.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const core = loadCore();
const { Session, filterChoices, filterRows, newestAt, sessionFromHar } = await import('../../extension/devtools/session.js');
const { MAX_BODY_BYTES, exportHarText, slimEntry, withContent } = await import(
  '../../extension/devtools/har-entry.js'
);

const FIXTURES = join(ROOT, 'tests', 'fixtures');
const hars = readdirSync(FIXTURES).filter((name) => name.startsWith('har-'));

test('there are HAR fixtures', () => assert.ok(hars.length >= 2));

for (const name of hars) {
  const text = readFileSync(join(FIXTURES, name, 'input.txt'), 'utf8');

  test(`${name}: the session's report = analyzeText of the whole HAR`, async () => {
    const { session, error } = await sessionFromHar(core, 'x.har', text);
    assert.equal(error, undefined);
    assert.deepEqual(session.report, core.analyzeText(text, 0));
    assert.equal(session.entries, JSON.parse(text).log.entries.length);
    assert.equal(session.rows.length, session.report.timeline.oktaEntries);
  });

  test(`${name}: each entry reaches the core once; every row's report has the row's findings; the rows add up to the HAR's digest`, async () => {
    const calls = { sessionAdd: 0, other: 0 };
    const counted = { ...core, sessionAdd: (...a) => (calls.sessionAdd++, core.sessionAdd(...a)) };
    counted.analyzeText = () => (calls.other++, null);
    const { session } = await sessionFromHar(counted, 'x.har', text);
    assert.equal(calls.sessionAdd, JSON.parse(text).log.entries.length, 'one sessionAdd per entry');
    assert.equal(calls.other, 0, 'no second analysis');
    const counts = new Map();
    for (const row of session.rows) {
      const report = session.rowReport(row);
      assert.equal(report.input.kind, 'exchange');
      assert.deepEqual(report.findings.map((f) => f.id), row.findingIds);
      assert.equal(report.request?.statusCode, row.statusCode);
      for (const id of row.findingIds) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const { digest } = session.report.timeline;
    assert.deepEqual(new Map(digest.groups.map((g) => [g.id, g.count])), counts);
    assert.deepEqual(digest.requests.map((r) => r.requestId), session.rows.slice(-100).map((r) => r.requestId));
  });
}

test('a session keeps Okta entries as rows and only counts the rest; rows carry bucket and token', async () => {
  const text = readFileSync(join(FIXTURES, 'har-chrome-session', 'input.txt'), 'utf8');
  const { session } = await sessionFromHar(core, 'session.har', text);
  assert.equal(session.others, 2);
  assert.ok(session.rows.every((r) => !/app\.example\.com/.test(r.url)));
  const limited = session.rows.filter((r) => r.statusCode === 429);
  assert.equal(limited.length, 2);
  assert.equal(limited[0].bucket.name, '/api/v1/users');
  assert.ok(limited[0].token.key.startsWith('AT.'));
  assert.ok(Number.isFinite(limited[0].token.expiresIn));
  // One cause per request: E0000047 is folded into rate_limit.exceeded, and still found by id.
  assert.ok(limited[0].findingIds.includes('rate_limit.exceeded'));
  assert.equal(limited[0].findingIds.includes('okta_error.E0000047'), false);
  assert.deepEqual(limited[0].foldedIds, ['okta_error.E0000047']);
  assert.deepEqual(filterRows(session.rows, { finding: 'okta_error.E0000047' }), limited);
  assert.ok(filterChoices(session.rows).findings.some((f) => f.value === 'okta_error.E0000047' && f.count === 2));
});

test('a SAML-tracer export loads like a HAR: its requests are the entries, the report is the whole file\'s', async () => {
  const text = readFileSync(join(FIXTURES, 'saml-tracer-sp-initiated', 'input.txt'), 'utf8');
  const { session, error } = await sessionFromHar(core, 'trace.json', text);
  assert.equal(error, undefined);
  assert.deepEqual(session.report, core.analyzeText(text, 0));
  assert.equal(session.entries, JSON.parse(text).requests.length);
  const ids = session.rows.flatMap((r) => r.findingIds);
  assert.ok(ids.includes('saml.request') && ids.includes('saml.response'), ids.join(' '));
});

test('not a HAR: the core says why, no session', async () => {
  assert.match((await sessionFromHar(core, 'a', '{"log": {}}')).error, /not a HAR/);
  assert.match((await sessionFromHar(core, 'a', 'not json')).error, /not a readable HAR/);
});

test('filterRows: status, failed, finding, bucket and time window', () => {
  const row = (statusCode, findingIds, bucket, observedAt) => ({ statusCode, findingIds, bucket: bucket && { key: bucket, name: bucket }, observedAt });
  const rows = [
    row(200, ['http.request_id'], 'b1', 1_000),
    row(429, ['rate_limit.exceeded', 'http.request_id'], 'b1', 50_000),
    row(401, ['okta_error.E0000011'], null, 100_000),
    row(undefined, [], 'b2', 119_000),
  ];
  rows[1].foldedIds = ['okta_error.E0000047'];
  const pick = (f, anchor = 120_000) => filterRows(rows, f, anchor).map((r) => rows.indexOf(r));
  assert.deepEqual(pick({}), [0, 1, 2, 3]);
  assert.deepEqual(pick({ status: 'failed' }), [1, 2]);
  assert.deepEqual(pick({ status: '429' }), [1]);
  assert.deepEqual(pick({ finding: 'http.request_id' }), [0, 1]);
  assert.deepEqual(pick({ finding: 'okta_error.E0000047' }), [1], 'a folded id is found');
  assert.deepEqual(pick({ bucket: 'b1' }), [0, 1]);
  assert.deepEqual(pick({ within: '60' }), [2, 3]);
  assert.deepEqual(pick({ within: '60', status: 'failed' }), [2]);
  const choices = filterChoices(rows);
  assert.deepEqual(choices.statuses.map((s) => [s.value, s.count]), [['200', 1], ['401', 1], ['429', 1]]);
  assert.equal(choices.failed, 2);
  assert.deepEqual(choices.findings.map((s) => [s.value, s.count]), [['http.request_id', 2], ['okta_error.E0000011', 1], ['okta_error.E0000047', 1], ['rate_limit.exceeded', 1]]);
  assert.deepEqual(choices.buckets.map((s) => s.value), ['b1', 'b2']);
  assert.equal(newestAt(rows), 119_000);
});

test('slimEntry keeps only what the core reads, leaves out bodies it would ignore', () => {
  const entry = {
    startedDateTime: '2026-11-27T10:00:00.000Z',
    time: 5,
    request: { method: 'GET', url: 'https://x.okta.com/', headers: [], cookies: [{ name: 'sid', value: 's' }], postData: { text: 'a' } },
    response: { status: 200, headers: [], content: { text: 'abc', encoding: 'base64', size: 3 }, cookies: [] },
    timings: {},
  };
  assert.deepEqual(slimEntry(entry), {
    startedDateTime: '2026-11-27T10:00:00.000Z',
    request: { method: 'GET', url: 'https://x.okta.com/', headers: [], postData: { text: 'a' } },
    response: { status: 200, headers: [], content: { text: 'abc', encoding: 'base64' } },
  });
  assert.equal(slimEntry(entry, { withBody: false }).request.postData, undefined);
  assert.deepEqual(slimEntry({ ...entry, _initiator: { type: 'script', url: 'https://app.example.com/', stack: {} } })._initiator, { url: 'https://app.example.com/' });
  assert.equal(slimEntry(entry, { withBody: false }).response.content, undefined);
  const big = { ...entry, response: { ...entry.response, content: { text: 'x'.repeat(MAX_BODY_BYTES + 1) } } };
  assert.equal(slimEntry(big).response.content, undefined);
  assert.equal(slimEntry(7), null);
});

test("slimEntry keeps a form body (POST /token's fields: params and text) and only the initiator's URL", () => {
  const form = {
    request: {
      method: 'POST',
      url: 'https://x.okta.com/oauth2/default/v1/token',
      headers: [],
      postData: { mimeType: 'application/x-www-form-urlencoded', text: 'grant_type=authorization_code&code=c', params: [{ name: 'grant_type', value: 'authorization_code' }, { name: 'code', value: 'c' }], _extra: 1 },
    },
    response: { status: 400, headers: [] },
    _initiator: { type: 'script', url: 'http://localhost:5173/app.js', stack: { callFrames: [] } },
  };
  const slim = slimEntry(form);
  assert.deepEqual(slim.request.postData, { mimeType: 'application/x-www-form-urlencoded', text: 'grant_type=authorization_code&code=c', params: form.request.postData.params });
  assert.deepEqual(slim._initiator, { url: 'http://localhost:5173/app.js' });
  const huge = { ...form, request: { ...form.request, postData: { mimeType: 'application/x-www-form-urlencoded', text: 'a='.padEnd(MAX_BODY_BYTES + 2, 'x') } } };
  assert.equal(slimEntry(huge).request.postData.text, undefined, 'an oversized body is left out');
});

test('withContent puts the body DevTools gives where a HAR keeps it', () => {
  const entry = { request: { method: 'GET', url: 'https://x.okta.com/api/v1/users/me', headers: [] }, response: { status: 401, headers: [], content: { mimeType: 'application/json' } } };
  assert.deepEqual(withContent(entry, 'e30=', 'base64').response.content, { mimeType: 'application/json', text: 'e30=', encoding: 'base64' });
  assert.equal(withContent(withContent(entry, 'e30=', 'base64'), 'plain', 'utf-8').response.content.encoding, undefined);
  assert.equal(withContent(entry, undefined), entry);
});

test('a live session: entries arrive one by one; its sanitised HAR keeps no seeded secret', () => {
  const session = new Session(core);
  const secrets = ['c2VlZGVkLXNpZ25hdHVyZQ', '00igKrTNyNLHCw0wYSIsoDF28cN4B3KZPETBz9pqz0', 'codeSeed', 'stateSeed', 'cookieSeed', 'verifierSeed'];
  const jwt = `eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.${Buffer.from(JSON.stringify({ jti: 'AT.1', iss: 'https://dev-1.okta.com/oauth2/default', exp: 1795773900 })).toString('base64url')}.c2VlZGVkLXNpZ25hdHVyZQ`;
  const entries = [
    { startedDateTime: '2026-11-27T10:00:00.000Z', request: { method: 'GET', url: 'https://app.example.com/', headers: [] }, response: { status: 200, headers: [] } },
    {
      startedDateTime: '2026-11-27T10:00:01.000Z',
      _initiator: { url: 'https://app.example.com/?code=codeSeed' },
      request: { method: 'GET', url: 'https://dev-1.okta.com/api/v1/users/me?state=stateSeed', headers: [{ name: 'Authorization', value: 'SSWS 00igKrTNyNLHCw0wYSIsoDF28cN4B3KZPETBz9pqz0' }, { name: 'Cookie', value: 'sid=cookieSeed' }], cookies: [{ name: 'sid', value: 'cookieSeed' }] },
      response: { status: 401, headers: [{ name: 'X-Okta-Request-Id', value: 'reqKeep' }] },
      getContent() {},
    },
    {
      startedDateTime: '2026-11-27T10:00:02.000Z',
      request: { method: 'POST', url: 'https://dev-1.okta.com/oauth2/default/v1/token', headers: [{ name: 'Authorization', value: `Bearer ${jwt}` }], postData: { mimeType: 'application/x-www-form-urlencoded', text: 'grant_type=authorization_code&code=codeSeed&code_verifier=verifierSeed' } },
      response: { status: 400, headers: [] },
    },
  ];
  const bodies = ['{"errorCode":"E0000011","errorSummary":"Invalid token provided","errorId":"oaeKeep"}', '{"error":"invalid_grant","error_description":"PKCE verification failed."}'];
  for (const e of entries) {
    if (session.isOkta(e)) session.addOkta(withContent(e, bodies.shift()));
    else session.addOther();
  }
  assert.equal(session.rows.length, 2);
  assert.match(session.report.summary, /^HAR with 3 requests: 2 to Okta, 2 of them failed/);
  const groups = session.report.timeline.digest.groups.map((g) => g.id);
  for (const id of ['okta_error.E0000011', 'oauth_error.invalid_grant']) assert.ok(groups.includes(id), `${id} in ${groups}`);
  const { har, receipt } = session.sanitisedHar();
  const outputs = { har, markdown: session.markdown(), json: session.json(), rows: JSON.stringify(session.rows.map((r) => session.rowReport(r))) };
  for (const [what, out] of Object.entries(outputs)) {
    for (const secret of secrets) assert.ok(!out.includes(secret), `${what} leaks ${secret}`);
  }
  assert.ok(har.includes('reqKeep') && har.includes('oaeKeep'));
  assert.ok(!har.includes('_initiator'), 'browser-private members are not exported');
  assert.equal(JSON.parse(har).log.entries.length, 2, 'only the Okta entries are exported');
  assert.ok(receipt.redactions.length >= 5, JSON.stringify(receipt));
  assert.equal(JSON.parse(exportHarText([{ a: { _b: 1, c: [{ _d: 2, e: 3 }] }, f() {} }], { name: 't' })).log.entries[0].a.c[0].e, 3);
});

test('Okta traffic past the 8 MiB paste limit: rows stay and the timeline report still counts all of it', () => {
  const session = new Session(core);
  const body = JSON.stringify({ errorCode: 'E0000011', errorSummary: 'Invalid token provided', padding: 'x'.repeat(MAX_BODY_BYTES - 100) });
  for (let i = 0; i < 9; i++) {
    session.add({
      startedDateTime: `2026-11-27T10:00:0${i}.000Z`,
      request: { method: 'GET', url: 'https://dev-1.okta.com/api/v1/users/me', headers: [] },
      response: { status: 401, headers: [], content: { text: body } },
    });
  }
  assert.equal(session.rows.length, 9);
  assert.ok(session.rows.every((r) => r.findingIds.includes('okta_error.E0000011')));
  assert.equal(session.report.timeline.oktaEntries, 9);
  assert.equal(session.report.timeline.digest.groups.find((g) => g.id === 'okta_error.E0000011').count, 9);
});

test('a loaded SAML-tracer export: its sanitised HAR is the HAR it records, with the markers and no seeded secret', async () => {
  const dir = join(FIXTURES, 'saml-tracer-sp-initiated');
  const text = readFileSync(join(dir, 'input.txt'), 'utf8');
  const secrets = readFileSync(join(dir, 'secrets.txt'), 'utf8').split('\n').filter((s) => s.trim() !== '');
  const { session, error } = await sessionFromHar(core, 'trace.json', text);
  assert.equal(error, undefined);
  assert.equal(session.source, 'file');
  const result = session.sanitisedHar();
  assert.equal(result.error, undefined, result.error);
  const har = JSON.parse(result.har);
  assert.equal(har.log.version, '1.2');
  assert.equal(har.log.entries.length, 3);
  for (const s of secrets) assert.ok(!result.har.includes(s), `the sanitised HAR keeps ${s}`);
  assert.ok(result.har.includes('[SAMLResponse removed: Response ID='), 'the Response says what was there');
  assert.ok(result.receipt.redactions.some((r) => r.what === 'SAML message removed'), JSON.stringify(result.receipt));
});
