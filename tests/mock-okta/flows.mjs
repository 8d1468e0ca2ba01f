// The sign-in flows of the mock Okta (issue 16), for one SPA client of the `default`
// authorization server, answered as Okta does (flows.md §2–6, okta.md's OAuth catalogue; exact
// strings below):
//   GET  /oauth2/default/v1/authorize   PKCE required (S256); a Sign-in redirect URI of the app or
//        Okta's 400 page; with Okta's session cookie (`idx`) a code at once, else the hosted
//        sign-in page (which finishes at /login/token/redirect), or with prompt=none
//        `login_required` — as a query or fragment redirect, or for okta_post_message an HTML
//        page posting the answer to the app's window (its markup is [unverified], flows.md §5.4)
//   GET  /login/token/redirect?stateToken=…   the end of the hosted sign-in: sets `idx`
//        (Secure; SameSite=None) and sends the code to the redirect URI
//   POST /oauth2/default/v1/token   authorization_code: single use, 300 s, redirect_uri and
//        client as at /authorize, base64url(SHA-256(code_verifier)) = code_challenge;
//        refresh_token: rotation with a grace period (default 30 s, Okta's default, 0–60),
//        a token reused after it → 400 and the whole chain revoked (reuse detection, flows.md §6.1)
// The mock's clock can be moved forward (`advance`) so a test can step past the grace period.
// A request for another client passes on to the routes added before (tests/mock-okta/scenarios.mjs).
import { createHash, randomBytes } from 'node:crypto';
import { requestId } from './scenarios.mjs';

export const FLOW_CLIENT = '0oa1spaflows0000h5d7';

/** Okta's error descriptions (okta.md, OAuth catalogue: internal code → description). */
export const OKTA = Object.freeze({
  pkceVerificationFailed: 'PKCE verification failed.', // invalid_grant, pkce_verification_failed
  pkceMissingVerifier: 'PKCE code verifier is required by the application.', // invalid_request
  pkceMissingChallenge: 'PKCE code challenge is required by the application.', // invalid_request
  invalidCode: 'The authorization code is invalid or has expired.', // invalid_grant, invalid_authorization_code
  mismatchedRedirectUri: "The 'redirect_uri' does not match the redirection URI used in the authorization request.",
  mismatchedClient: "The grant was issued to another client. Please make sure the 'client_id' matches the one used at the authorize request.",
  invalidRefreshToken: 'The refresh token is invalid or expired.', // invalid_grant, invalid_refresh_token
  loginRequired: 'The client specified not to prompt, but the user is not logged in.', // login_required
  unregisteredRedirect: "The 'redirect_uri' parameter must be a Login redirect URI in the client app settings.",
});

/** A code is valid this long (flows.md §3.1). */
export const CODE_LIFETIME_S = 300;

const random = (n = 24) => randomBytes(n).toString('base64url');
/** RFC 7636 S256: base64url(SHA-256(ASCII(verifier))), no padding. */
export const challengeOf = (verifier) => createHash('sha256').update(verifier, 'ascii').digest('base64url');

const NO_CACHE = { 'Cache-Control': 'no-cache, no-store', Pragma: 'no-cache' };
const JSON_UTF8 = 'application/json;charset=UTF-8';

const cookieOf = (headers, name) =>
  (headers.cookie ?? '')
    .split(';')
    .map((c) => c.trim().split('='))
    .find(([n]) => n === name)?.[1];

/**
 * Adds the flow routes to a mock (tests/mock-okta/server.mjs).
 * @param {object} okta the mock
 * @param {{sign: (claims: object) => Promise<string>, callbackOrigins: () => string[],
 *   graceSeconds?: number, clientId?: string}} options `sign` makes the tokens (the test's key);
 *   `callbackOrigins` the app origins whose /callback and /renew are Sign-in redirect URIs.
 * @returns the flow's state and log for tests: `log` ([{what, …}]), `advance(seconds)`.
 */
export function addFlowScenario(okta, { sign, callbackOrigins, graceSeconds = 30, clientId = FLOW_CLIENT }) {
  let offsetMs = 0;
  const now = () => Date.now() + offsetMs;
  const transactions = new Map(); // stateToken → authorize request
  const codes = new Map(); // code → {tx, at, used}
  const refreshTokens = new Map(); // token → {chain, rotatedAt?, successor?, scope}
  const revokedChains = new Set();
  const sessions = new Set(); // idx cookie values
  const log = [];

  const registered = (uri) => callbackOrigins().some((o) => uri === `${o}/callback` || uri === `${o}/renew`);

  const tokenError = (status, error, description) => ({
    status,
    headers: { 'Content-Type': JSON_UTF8, ...NO_CACHE, 'X-Okta-Request-Id': requestId() },
    body: { error, error_description: description },
  });

  /** The answer for the app (`params`: code or error), as the request's response_mode says. */
  function respond(tx, params, extraHeaders = {}) {
    const answer = { ...params, state: tx.state };
    if (tx.responseMode === 'okta_post_message') {
      // Okta's okta_post_message page: a script posting the answer to the window that opened the
      // frame, for the redirect URI's origin (its exact markup is [unverified], flows.md §5.4).
      const target = new URL(tx.redirectUri).origin;
      return {
        status: 200,
        headers: { 'Content-Type': 'text/html;charset=utf-8', ...NO_CACHE, 'X-Okta-Request-Id': requestId(), ...extraHeaders },
        body: `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title></title></head><body><script type="text/javascript">window.parent.postMessage(${JSON.stringify(answer)}, ${JSON.stringify(target)});</script></body></html>`,
      };
    }
    const back = new URL(tx.redirectUri);
    const query = new URLSearchParams(answer).toString();
    if (tx.responseMode === 'fragment') back.hash = query;
    else back.search = query;
    return {
      status: 302,
      headers: { Location: back.href, ...NO_CACHE, 'Referrer-Policy': 'no-referrer', 'X-Okta-Request-Id': requestId(), ...extraHeaders },
      body: '',
    };
  }

  function issueCode(tx) {
    const code = random(30);
    codes.set(code, { tx, at: now(), used: false });
    log.push({ what: 'code', state: tx.state });
    return respond(tx, { code });
  }

  okta.route('GET', /^\/oauth2\/default\/v1\/authorize$/, ({ query, headers }) => {
    if (query.get('client_id') !== clientId) return undefined;
    const redirectUri = query.get('redirect_uri') ?? '';
    if (!registered(redirectUri)) {
      return {
        status: 400,
        headers: { 'Content-Type': 'text/html;charset=utf-8', ...NO_CACHE, 'X-Okta-Request-Id': requestId() },
        body: `<!DOCTYPE html><html><head><title>Error</title></head><body><h1>400 Bad Request</h1><p>${OKTA.unregisteredRedirect}</p></body></html>`,
      };
    }
    const tx = {
      clientId,
      redirectUri,
      state: query.get('state') ?? '',
      nonce: query.get('nonce'),
      scope: query.get('scope') ?? 'openid',
      challenge: query.get('code_challenge'),
      responseMode: query.get('response_mode') ?? 'query',
      host: headers.host?.split(':')[0],
    };
    if (!tx.challenge) return respond(tx, { error: 'invalid_request', error_description: OKTA.pkceMissingChallenge });
    const prompt = query.get('prompt');
    const session = sessions.has(cookieOf(headers, 'idx'));
    log.push({ what: 'authorize', prompt, session, mode: tx.responseMode });
    if (prompt === 'none' && !session) return respond(tx, { error: 'login_required', error_description: OKTA.loginRequired });
    if (session && prompt !== 'login') return issueCode(tx);
    // The hosted sign-in page; it ends at /login/token/redirect. A login_hint of magic-link@…
    // stands for an email magic link: the user finishes in the tab the email opens.
    const stateToken = `02${random(30)}`;
    transactions.set(stateToken, tx);
    const finish = `/login/token/redirect?stateToken=${stateToken}`;
    const magic = (query.get('login_hint') ?? '').startsWith('magic-link@');
    return {
      status: 200,
      headers: { 'Content-Type': 'text/html;charset=utf-8', ...NO_CACHE, 'X-Okta-Request-Id': requestId() },
      body: magic
        ? `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Okta sign-in</title><link rel="icon" href="data:,"></head><body data-ready="true"><h1>Check your email</h1><p>We sent you a sign-in link.</p><a id="email-link" href="${finish}" target="_blank" rel="noopener">Open the link from the email</a></body></html>`
        : `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Okta sign-in</title><link rel="icon" href="data:,"></head><body><p>Signing you in…</p><script>location.replace(${JSON.stringify(finish)});</script></body></html>`,
    };
  });

  okta.route('GET', /^\/login\/token\/redirect$/, ({ query }) => {
    const tx = transactions.get(query.get('stateToken') ?? '');
    if (!tx) return undefined;
    transactions.delete(query.get('stateToken'));
    const sid = `102${random(18)}`;
    sessions.add(sid);
    const reply = issueCode(tx);
    reply.headers['Set-Cookie'] = `idx=${sid}; Path=/; Secure; HttpOnly; SameSite=None`;
    return reply;
  });

  async function tokens(tx, { refresh, host }) {
    const at = Math.floor(now() / 1000);
    const iss = `https://${host}/oauth2/default`;
    const scp = tx.scope.split(' ').filter(Boolean);
    const body = {
      token_type: 'Bearer',
      expires_in: 3600,
      access_token: await sign({ ver: 1, jti: `AT.${random()}`, iss, aud: 'api://default', iat: at, exp: at + 3600, cid: clientId, uid: '00u1flowuser0000h5d7', scp, sub: 'jane.doe@example.com' }),
      scope: scp.join(' '),
      ...(refresh ? { refresh_token: refresh } : {}),
    };
    if (scp.includes('openid')) {
      body.id_token = await sign({ sub: '00u1flowuser0000h5d7', ver: 1, iss, aud: clientId, iat: at, exp: at + 3600, jti: `ID.${random()}`, amr: ['pwd'], idp: '00o1flowidp00000h5d7', ...(tx.nonce ? { nonce: tx.nonce } : {}), auth_time: at });
    }
    return { status: 200, headers: { 'Content-Type': JSON_UTF8, ...NO_CACHE, 'X-Okta-Request-Id': requestId() }, body };
  }

  const newRefresh = (chain, scope) => {
    const token = random(32);
    refreshTokens.set(token, { chain, scope });
    return token;
  };

  okta.route('POST', /^\/oauth2\/default\/v1\/token$/, ({ form, headers }) => {
    if (!form || form.get('client_id') !== clientId) return undefined;
    const host = headers.host?.split(':')[0];
    const grant = form.get('grant_type');
    if (grant === 'authorization_code') {
      const found = codes.get(form.get('code') ?? '');
      const fresh = found && !found.used && now() - found.at <= CODE_LIFETIME_S * 1000;
      if (found) found.used = true; // one attempt per code, whatever its outcome
      log.push({ what: 'token', grant, fresh: Boolean(fresh) });
      if (!fresh) return tokenError(400, 'invalid_grant', OKTA.invalidCode);
      const { tx } = found;
      if (form.get('redirect_uri') !== tx.redirectUri) return tokenError(400, 'invalid_grant', OKTA.mismatchedRedirectUri);
      const verifier = form.get('code_verifier');
      if (!verifier) return tokenError(400, 'invalid_request', OKTA.pkceMissingVerifier);
      if (challengeOf(verifier) !== tx.challenge) return tokenError(400, 'invalid_grant', OKTA.pkceVerificationFailed);
      const refresh = tx.scope.split(' ').includes('offline_access') ? newRefresh(random(8), tx.scope) : undefined;
      return tokens(tx, { refresh, host });
    }
    if (grant === 'refresh_token') {
      const presented = form.get('refresh_token') ?? '';
      const rt = refreshTokens.get(presented);
      const inGrace = rt?.rotatedAt !== undefined && now() - rt.rotatedAt <= graceSeconds * 1000;
      log.push({ what: 'token', grant, rotated: rt?.rotatedAt !== undefined, inGrace });
      if (!rt || revokedChains.has(rt.chain)) return tokenError(400, 'invalid_grant', OKTA.invalidRefreshToken);
      if (rt.rotatedAt !== undefined && !inGrace) {
        // Reuse detection: the newest refresh token and everything issued since go too.
        revokedChains.add(rt.chain);
        return tokenError(400, 'invalid_grant', OKTA.invalidRefreshToken);
      }
      // Inside the grace period the old token still works and answers with its successor.
      if (rt.rotatedAt === undefined) {
        rt.rotatedAt = now();
        rt.successor = newRefresh(rt.chain, rt.scope);
      }
      return tokens({ scope: rt.scope }, { refresh: rt.successor, host });
    }
    return undefined;
  });

  return {
    log,
    /** Moves the mock's clock forward (past a grace period, a code's lifetime). */
    advance(seconds) {
      offsetMs += seconds * 1000;
    },
    /**
     * Every secret the flows carried so far (codes, refresh tokens, session cookie values, the
     * states and verifiers the app sent): what must never reach extension storage or an export.
     */
    secrets() {
      const sent = okta.requests.flatMap((r) => {
        const url = new URL(r.url, 'http://mock');
        const secretFields = (r.form ?? []).filter(([name]) => ['code', 'code_verifier', 'refresh_token'].includes(name));
        return [url.searchParams.get('state'), ...secretFields.map(([, value]) => value)];
      });
      return [...codes.keys(), ...refreshTokens.keys(), ...sessions, ...sent].filter((v) => typeof v === 'string' && v.length >= 8);
    },
    /** Whether a refresh token's chain was revoked by reuse detection. */
    revoked: (token) => revokedChains.has(refreshTokens.get(token)?.chain),
  };
}
