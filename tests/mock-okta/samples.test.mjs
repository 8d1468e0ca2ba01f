// The mock Okta's sample session (./samples.mjs) answers as okta.md §8 records: the users listing
// counts down X-Rate-Limit-Remaining 2 → 1 → 0 of 600 in one window and then answers 429
// E0000047; /users/me 401 E0000011; /authorize redirects with the code and the state; /token
// 400 invalid_grant (PKCE); /userinfo 401 with Okta's WWW-Authenticate. Every answer has its
// own X-Okta-Request-Id and a Date header, and the ids are reported to the test.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { E0000011, E0000047, INVALID_GRANT_PKCE, USERINFO_INVALID_TOKEN, addSampleRoutes } from './samples.mjs';
import { startMockOkta } from './server.mjs';

let okta;
let ids;

before(async () => {
  okta = await startMockOkta();
  ids = addSampleRoutes(okta, { code: 'theCode' });
});
after(() => okta.close());

test('the users listing runs into the rate limit: 200, 200, then 429 E0000047, in one window', async () => {
  const answers = [];
  for (let i = 0; i < 4; i++) {
    const res = await fetch(`${okta.origin}/api/v1/users?limit=200`);
    answers.push([res.status, res.headers.get('x-rate-limit-limit'), res.headers.get('x-rate-limit-remaining'), res.headers.get('x-rate-limit-reset'), await res.text()]);
  }
  assert.deepEqual(answers.map(([s, l, r]) => [s, l, r]), [[200, '600', '2'], [200, '600', '1'], [429, '600', '0'], [429, '600', '0']]);
  assert.equal(answers[2][4], JSON.stringify(E0000047));
  assert.equal(answers[2][4], '{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests.","errorLink":"E0000047","errorId":"oaetdtoG383SIGVNZ0UKgtRug","errorCauses":[]}');
  const resets = new Set(answers.map((a) => Number(a[3])));
  assert.ok([...resets].every((r) => r % 60 === 0 && r * 1000 > Date.now() - 60_000), `${[...resets]}`);
  assert.equal(ids.users.length, 4);
});

test('/users/me 401 E0000011, /token 400 invalid_grant, /userinfo 401 WWW-Authenticate', async () => {
  const me = await fetch(`${okta.origin}/api/v1/users/me`);
  assert.equal(me.status, 401);
  assert.deepEqual(await me.json(), E0000011);
  const token = await fetch(`${okta.origin}/oauth2/default/v1/token`, { method: 'POST', body: 'grant_type=authorization_code' });
  assert.equal(token.status, 400);
  assert.equal(await token.text(), '{"error":"invalid_grant","error_description":"PKCE verification failed."}');
  assert.deepEqual(INVALID_GRANT_PKCE, { error: 'invalid_grant', error_description: 'PKCE verification failed.' });
  const userinfo = await fetch(`${okta.origin}/oauth2/default/v1/userinfo`);
  assert.equal(userinfo.status, 401);
  assert.equal(userinfo.headers.get('www-authenticate'), USERINFO_INVALID_TOKEN);
  assert.equal(await userinfo.text(), '{}');
});

test('/authorize redirects to redirect_uri with the code and the state', async () => {
  const back = `${okta.origin}/callback`;
  const res = await fetch(`${okta.origin}/oauth2/default/v1/authorize?redirect_uri=${encodeURIComponent(back)}&state=s1`, { redirect: 'manual' });
  assert.equal(res.status, 302);
  assert.equal(res.headers.get('location'), `${back}?code=theCode&state=s1`);
});

test('every answer has its own request id, shaped like Okta\'s, and a Date', async () => {
  const res = await fetch(`${okta.origin}/api/v1/users/me`);
  assert.equal(res.headers.get('x-okta-request-id'), ids.me.at(-1));
  assert.ok(!Number.isNaN(Date.parse(res.headers.get('date'))));
  const all = Object.values(ids).flat();
  assert.equal(new Set(all).size, all.length);
  for (const id of all) assert.match(id, /^req[A-Za-z0-9_-]{22}$/);
});
