// A short session that goes wrong, as the mock Okta answers it, for the HAR and DevTools panel
// tests: every body is okta.md §8 verbatim (values and key order; sent as compact JSON, as Okta
// does), every response carries an X-Okta-Request-Id and Okta's Date header.
//
//   GET  /api/v1/users?limit=200      200, 200, then 429 E0000047 (§8.1) as X-Rate-Limit-Remaining
//                                     falls 2 → 1 → 0 of 600 within one window (§8.4 headers)
//   GET  /api/v1/users/me             401 E0000011 (§8.1, "Invalid token provided")
//   GET  /oauth2/default/v1/authorize 302 to redirect_uri with code and state (the code flow)
//   POST /oauth2/default/v1/token     400 invalid_grant "PKCE verification failed." (§8.2)
//   GET  /oauth2/default/v1/userinfo  401 WWW-Authenticate invalid_token, body {} (§8.3, AJS)
//
//   const ids = addSampleRoutes(okta);   // ids.users[2] is the 429's X-Okta-Request-Id
import { randomBytes } from 'node:crypto';

const JSON_TYPE = 'application/json';

/** §8.1 "429 E0000047 (rate limit)", AJS test/support/xhr/error-throttle.js `response`. */
export const E0000047 = Object.freeze({
  errorCode: 'E0000047',
  errorSummary: 'API call exceeded rate limit due to too many requests.',
  errorLink: 'E0000047',
  errorId: 'oaetdtoG383SIGVNZ0UKgtRug',
  errorCauses: [],
});

/** §8.1 "401 E0000011 (invalid token)", AJS test/support/xhr/error-token.js `response`. */
export const E0000011 = Object.freeze({
  errorCode: 'E0000011',
  errorSummary: 'Invalid token provided',
  errorLink: 'E0000011',
  errorId: 'oaeY-4G_TBUTBSZAn9n7oZCfw',
  errorCauses: [],
});

/** §8.2 "invalid_grant — PKCE", SIW playground/mocks/data/oauth2/error-token-invalid-grant-pkce.json. */
export const INVALID_GRANT_PKCE = Object.freeze({ error: 'invalid_grant', error_description: 'PKCE verification failed.' });

/** §8.3 "error-userinfo-invalid-token", AJS test/support/xhr/error-userinfo-invalid-token.js. */
export const USERINFO_INVALID_TOKEN = 'Bearer error="invalid_token", error_description="The access token is invalid."';

/** An id shaped like Okta's X-Okta-Request-Id (okta.md: `reqVy8wsvmBQN27h4soUE3ZEnA`). */
export function requestId() {
  return `req${randomBytes(16).toString('base64url').slice(0, 22)}`;
}

/** The rate-limit window this instant falls in: Okta's buckets reset on the minute. */
function windowReset(nowMs) {
  return Math.floor(nowMs / 60_000) * 60 + 60;
}

/**
 * Adds the routes above to a mock started with startMockOkta(). The users listing counts its
 * calls: the first two succeed with 2 then 1 remaining, every later one is the 429. `code` is
 * the authorization code /authorize hands out.
 * @returns {{users: string[], me: string[], authorize: string[], token: string[], userinfo: string[]}}
 *   the X-Okta-Request-Id of every answer so far, per route, in order
 */
export function addSampleRoutes(okta, { limit = 600, code = randomBytes(12).toString('base64url') } = {}) {
  const ids = { users: [], me: [], authorize: [], token: [], userinfo: [] };
  const okta_ = (list, headers = {}) => {
    const id = requestId();
    list.push(id);
    return { 'X-Okta-Request-Id': id, Date: new Date().toUTCString(), ...headers };
  };

  okta.route('GET', /^\/api\/v1\/users$/, () => {
    const remaining = Math.max(0, 2 - ids.users.length);
    const status = remaining > 0 ? 200 : 429;
    const headers = okta_(ids.users, {
      'Content-Type': JSON_TYPE,
      'X-Rate-Limit-Limit': String(limit),
      'X-Rate-Limit-Remaining': String(remaining),
      'X-Rate-Limit-Reset': String(windowReset(Date.now())),
    });
    return { status, headers, body: status === 200 ? [] : E0000047 };
  });
  okta.route('GET', /^\/api\/v1\/users\/me$/, () => ({
    status: 401,
    headers: okta_(ids.me, { 'Content-Type': JSON_TYPE }),
    body: E0000011,
  }));
  okta.route('GET', /^\/oauth2\/([^/]+)\/v1\/authorize$/, ({ query }) => {
    const back = new URL(query.get('redirect_uri') ?? `${okta.origin}/callback`);
    back.searchParams.set('code', code);
    back.searchParams.set('state', query.get('state') ?? '');
    return { status: 302, headers: okta_(ids.authorize, { Location: back.href }), body: '' };
  });
  okta.route('POST', /^\/oauth2\/([^/]+)\/v1\/token$/, () => ({
    status: 400,
    headers: okta_(ids.token, { 'Content-Type': 'application/json;charset=UTF-8', 'Cache-Control': 'no-cache, no-store', Pragma: 'no-cache' }),
    body: INVALID_GRANT_PKCE,
  }));
  okta.route('GET', /^\/oauth2\/([^/]+)\/v1\/userinfo$/, () => ({
    status: 401,
    headers: okta_(ids.userinfo, { 'Content-Type': JSON_TYPE, 'WWW-Authenticate': USERINFO_INVALID_TOKEN }),
    body: {},
  }));
  return ids;
}
