// The live-capture scenario of the mock Okta (used by the live E2E specs and `./build.sh demo`):
// what an org answers when an app calls it with the classic mistakes, byte for byte as okta.md §8
// records them (compact JSON where Okta sends compact JSON):
//   GET  /api/v1/users/me                 401 E0000011 (§8.1, AJS error-token.js) — a bad SSWS token
//   GET  /api/v1/groups                   403, WWW-Authenticate insufficient_scope okta.groups.read
//                                         (§8.3 management API missing scope), empty body
//   GET  /api/v1/users                    429 E0000047 (§8.1, AJS error-throttle.js), Limit 600,
//                                         Remaining 0, Reset in 30 s (§8.4 "Org-wide limit exceeded")
//   GET  /api/v1/apps                     200, Remaining 30 of 600: a bucket running low
//   GET  /api/v1/logs                     200, Remaining 10 of 120: a CORS-enabled bucket running low
//   GET  /api/v1/org                      200, the org's settings (not CORS-enabled: a cookie call
//                                         gets no CORS header from any origin, ./server.mjs)
//   GET  /oauth2/default/v1/authorize     302 to redirect_uri with error=access_denied and
//                                         Okta's user_not_assigned description (§2.3); for a
//                                         redirect_uri ending /unregistered-callback, 400 and Okta's
//                                         error page instead of a redirect (flows.md §2)
//   POST /idp/idx/identify                401 Identity Engine errors.E0000004 (§8.5, SIW
//                                         error-identify-with-piv.json)
// Every API answer carries an X-Okta-Request-Id; the rate-limit headers are per bucket.
import { randomBytes } from 'node:crypto';

export const BODIES = Object.freeze({
  e0000011: '{"errorCode":"E0000011","errorSummary":"Invalid token provided","errorLink":"E0000011","errorId":"oaeY-4G_TBUTBSZAn9n7oZCfw","errorCauses":[]}',
  e0000047: '{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests.","errorLink":"E0000047","errorId":"oaetdtoG383SIGVNZ0UKgtRug","errorCauses":[]}',
  idxE0000004: `{
  "stateHandle": "eyJ6aXAiOiJERUYiLCJhbGlhcyI6ImVuY3J5cHRpb25",
  "version": "1.0.0",
  "expiresAt": "2020-04-13T22:55:53.000Z",
  "intent": "LOGIN",
  "messages": {
    "type": "array",
    "value": [
      {
        "message": "Authentication failed",
        "i18n": {
          "key": "errors.E0000004"
        },
        "class": "ERROR"
      }
    ]
  }
}`,
});

/** Okta's /authorize error page text for a redirect_uri the app doesn't list (flows.md §2). */
const UNREGISTERED_REDIRECT = "The 'redirect_uri' parameter must be a Login redirect URI in the client app settings.";

/** The description Okta's /authorize sends for internal cause user_not_assigned (okta.md §2.3). */
export const USER_NOT_ASSIGNED = 'User is not assigned to the client application.';

/** An X-Okta-Request-Id shaped like Okta's (base64url, 27 characters). */
export const requestId = () => randomBytes(20).toString('base64url').slice(0, 27);

const JSON_UTF8 = 'application/json;charset=UTF-8';

/**
 * Adds the scenario's routes to a mock (tests/mock-okta/server.mjs). `now` gives the mock's
 * clock in epoch seconds (the reset times are relative to it). Returns the request ids it sent,
 * newest last, per route name, so a test can look for them on screen.
 */
export function addLiveScenario(okta, { host, now = () => Math.floor(Date.now() / 1000) } = {}) {
  const sent = { me: [], groups: [], users: [], apps: [], logs: [], org: [], identify: [], authorize: [] };
  const rateLimit = (limit, remaining, resetIn) => ({
    'X-Rate-Limit-Limit': String(limit),
    'X-Rate-Limit-Remaining': String(remaining),
    'X-Rate-Limit-Reset': String(now() + resetIn),
  });
  const id = (name) => {
    const value = requestId();
    sent[name].push(value);
    return value;
  };
  okta.route('GET', /^\/api\/v1\/users\/me$/, () => ({
    status: 401,
    headers: { 'Content-Type': JSON_UTF8, 'X-Okta-Request-Id': id('me'), ...rateLimit(600, 597, 45) },
    body: BODIES.e0000011,
  }));
  okta.route('GET', /^\/api\/v1\/groups$/, ({ headers }) => ({
    status: 403,
    headers: {
      'WWW-Authenticate': `Bearer authorization_uri="https://${headers.host?.split(':')[0] ?? host}/oauth2/v1/authorize", realm="https://${headers.host?.split(':')[0] ?? host}", scope="okta.groups.read", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", resource="/api/v1/groups"`,
      'X-Okta-Request-Id': id('groups'),
    },
    body: '',
  }));
  okta.route('GET', /^\/api\/v1\/users$/, () => ({
    status: 429,
    headers: { 'Content-Type': JSON_UTF8, 'X-Okta-Request-Id': id('users'), ...rateLimit(600, 0, 30) },
    body: BODIES.e0000047,
  }));
  okta.route('GET', /^\/api\/v1\/apps$/, () => ({
    status: 200,
    headers: { 'Content-Type': JSON_UTF8, 'X-Okta-Request-Id': id('apps'), ...rateLimit(600, 30, 40) },
    body: '[]',
  }));
  okta.route('GET', /^\/api\/v1\/logs$/, () => ({
    status: 200,
    headers: { 'Content-Type': JSON_UTF8, 'X-Okta-Request-Id': id('logs'), ...rateLimit(120, 10, 40) },
    body: '[]',
  }));
  // Okta's GET /api/v1/org (OrgSetting, management API spec), a subset of its fields.
  okta.route('GET', /^\/api\/v1\/org$/, ({ headers }) => {
    const name = headers.host?.split(':')[0] ?? host;
    return {
      status: 200,
      headers: { 'Content-Type': JSON_UTF8, 'X-Okta-Request-Id': id('org') },
      body: `{"id":"00o1ab2cd3EfGh4IJ5d7","subdomain":"${name?.split('.')[0] ?? 'dev'}","companyName":"Example Inc","status":"ACTIVE","website":"https://www.example.com","created":"2024-01-10T17:45:23.000Z","lastUpdated":"2025-06-15T15:06:40.000Z","_links":{"preferences":{"href":"https://${name}/api/v1/org/preferences"}}}`,
    };
  });
  okta.route('GET', /^\/oauth2\/default\/v1\/authorize$/, ({ query }) => {
    const back = new URL(query.get('redirect_uri') ?? 'http://localhost/');
    if (back.pathname === '/unregistered-callback') {
      // Not a Sign-in redirect URI of the app: Okta does not redirect, it shows its error page.
      return {
        status: 400,
        headers: { 'Content-Type': 'text/html;charset=utf-8', 'Cache-Control': 'no-cache, no-store', 'X-Okta-Request-Id': id('authorize') },
        body: `<!DOCTYPE html><html><head><title>Error</title></head><body><h1>400 Bad Request</h1><p>${UNREGISTERED_REDIRECT}</p></body></html>`,
      };
    }
    back.searchParams.set('error', 'access_denied');
    back.searchParams.set('error_description', USER_NOT_ASSIGNED);
    if (query.has('state')) back.searchParams.set('state', query.get('state'));
    return { status: 302, headers: { Location: back.href, 'Cache-Control': 'no-cache, no-store' }, body: '' };
  });
  okta.route('POST', /^\/idp\/idx\/identify$/, () => ({
    status: 401,
    headers: { 'Content-Type': 'application/ion+json; okta-version=1.0.0', 'X-Okta-Request-Id': id('identify') },
    body: BODIES.idxE0000004,
  }));
  return sent;
}

/**
 * Traps for the consented issuer fetch (signature verification), on the issuer's mock `okta`;
 * `elsewhere` is the origin of a second host that must never be contacted:
 *   GET /oauth2/discoveryredirect/.well-known/openid-configuration   302 to `elsewhere`
 *   GET /oauth2/keysredirect/v1/keys                                 302 to `elsewhere` (discovery is fine)
 *   GET /oauth2/keyselsewhere/.well-known/openid-configuration       jwks_uri on `elsewhere`
 *   GET /session                                                     sets a session cookie for the
 *        issuer's origin (Secure, SameSite=None: a browser would send it on any request it may)
 * Each server publishes `keys`, so that a fetch that followed a trap would verify the token.
 */
export function addVerifyTraps(okta, { elsewhere, keys, discovery }) {
  for (const id of ['discoveryredirect', 'keysredirect', 'keyselsewhere']) okta.setKeys(id, keys);
  const redirect = (path) => () => ({ status: 302, headers: { Location: `${elsewhere}${path}` }, body: '' });
  okta.route('GET', /^\/oauth2\/discoveryredirect\/\.well-known\/openid-configuration$/, redirect('/oauth2/default/.well-known/openid-configuration'));
  okta.route('GET', /^\/oauth2\/keysredirect\/v1\/keys$/, redirect('/oauth2/default/v1/keys'));
  okta.route('GET', /^\/oauth2\/keyselsewhere\/\.well-known\/openid-configuration$/, () => ({
    status: 200,
    headers: { 'Content-Type': 'application/json' },
    body: { ...discovery(okta.origin, 'keyselsewhere'), jwks_uri: `${elsewhere}/oauth2/default/v1/keys` },
  }));
  okta.route('GET', /^\/session$/, () => ({
    status: 200,
    headers: { 'Content-Type': 'text/html', 'Set-Cookie': `sid=${SESSION_COOKIE}; Path=/; Secure; HttpOnly; SameSite=None` },
    body: '<!doctype html><title>Okta session</title><link rel="icon" href="data:,"><p>Signed in.</p>', // no favicon request
  }));
}

/** The session cookie value /session sets (a test looks for it in request headers). */
export const SESSION_COOKIE = `102${randomBytes(12).toString('base64url')}`;
