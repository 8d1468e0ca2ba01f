// A loopback mock of an Okta org for tests: Node `http` only, bound to 127.0.0.1 on a free port.
// It owns the route table (what Okta answers, byte for byte where okta.md records it) and the
// request log (every request it received, so a test can assert on egress: none before consent,
// exactly discovery + keys after). Keys are the test's own (see ./keys.mjs).
//
//   const okta = await startMockOkta();
//   okta.setKeys('default', [key.jwk]);            // JWKS of /oauth2/default
//   okta.issuer('default')                         // http://127.0.0.1:PORT/oauth2/default
//   okta.requests                                  // [{method, path, url, headers, at, status, form?}]
//   okta.route('GET', /^\/api\/v1\/users\/me$/, () => ({status: 429, headers, body}))
//   await okta.close();
//
// With `tls: {key, cert}` it serves HTTPS (the live-capture tests reach it under real Okta host
// names, see ./tls.mjs); with `cors: [origins]` it answers CORS preflights and adds
// Access-Control-Allow-Origin for those origins, as an org with them as Trusted Origins does;
// any other origin's preflight gets 200 with no CORS header, its other requests no CORS header.
// An operation Okta's API spec does not mark CORS-enabled (./cors-endpoints.mjs: /api/v1/groups,
// /api/v1/apps, /api/v1/org …) gets no CORS header from any origin unless it is an OAuth bearer
// call (its preflight asking for an Authorization header), as Okta answers it.
//
// Routes are matched in order, later additions first, so a test can override a default route
// (a handler that returns undefined lets the next matching route answer).
// A handler gets ({method, path, url, headers, query, match, body, form}) — `body` the request
// body as text, `form` its fields (URLSearchParams) when it is application/x-www-form-urlencoded —
// and returns {status, headers, body} (body: string, Buffer, or a value sent as compact JSON).
import http from 'node:http';
import https from 'node:https';
import { notCorsEnabled } from './cors-endpoints.mjs';

/** Okta's JWKS response headers (okta.md §5.1 and §8.6 "JWKS response"). */
export const JWKS_HEADERS = Object.freeze({
  'Content-Type': 'application/json;charset=UTF-8',
  'Cache-Control': 'max-age=3832304, must-revalidate',
});

const JSON_TYPE = 'application/json';

/**
 * The OIDC discovery document of a custom authorization server: the fields, order and values of
 * Okta's documented response (okta-developer-docs, OpenID Connect & OAuth 2.0 API,
 * "/.well-known/openid-configuration", response example) with `{baseUrl}` = `{issuer}/v1`.
 */
export function discoveryDocument(origin, authServerId) {
  const issuer = `${origin}/oauth2/${authServerId}`;
  const base = `${issuer}/v1`;
  const clientAuth = ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'none'];
  return {
    issuer,
    authorization_endpoint: `${base}/authorize`,
    token_endpoint: `${base}/token`,
    userinfo_endpoint: `${base}/userinfo`,
    registration_endpoint: `${base}/clients`,
    jwks_uri: `${base}/keys`,
    response_types_supported: ['code', 'code id_token', 'code token', 'code id_token token', 'id_token', 'id_token token'],
    response_modes_supported: ['query', 'fragment', 'form_post', 'okta_post_message'],
    grant_types_supported: ['authorization_code', 'implicit', 'refresh_token', 'password'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    scopes_supported: ['openid', 'email', 'profile', 'address', 'phone', 'offline_access', 'groups'],
    token_endpoint_auth_methods_supported: clientAuth,
    claims_supported: [
      'iss', 'ver', 'sub', 'aud', 'iat', 'exp', 'jti', 'auth_time', 'amr', 'idp', 'nonce', 'name',
      'nickname', 'preferred_username', 'given_name', 'middle_name', 'family_name', 'email',
      'email_verified', 'profile', 'zoneinfo', 'locale', 'address', 'phone_number', 'picture',
      'website', 'gender', 'birthdate', 'updated_at', 'at_hash', 'c_hash',
    ],
    introspection_endpoint: `${base}/introspect`,
    introspection_endpoint_auth_methods_supported: clientAuth,
    revocation_endpoint: `${base}/revoke`,
    revocation_endpoint_auth_methods_supported: clientAuth,
    end_session_endpoint: `${base}/logout`,
    request_parameter_supported: true,
    request_object_signing_alg_values_supported: ['HS256', 'HS384', 'HS512'],
  };
}

/** Okta's 404 for an authorization server id it does not know (same docs page, error example). */
export function unknownAuthServer(id) {
  return {
    status: 404,
    headers: { 'Content-Type': JSON_TYPE },
    body: {
      errorCode: 'E0000007',
      errorSummary: `Not found: Resource not found: ${id} (AuthorizationServer)`,
      errorLink: 'E0000007',
      errorId: `oae${Math.random().toString(36).slice(2, 12)}`,
      errorCauses: [],
    },
  };
}

/**
 * A 1×1 icon (ICO: one 32-bit BMP image, a transparent pixel): Okta answers `GET /favicon.ico`
 * with 200 and an `image/x-icon`, and browsers ask every page's origin for it, so the mock must
 * not answer 404 there (that 404 showed on the Okta page's tab in the E2E).
 */
export function faviconIco() {
  const image = Buffer.alloc(40 + 4 + 4); // BITMAPINFOHEADER, one BGRA pixel, the AND mask's row
  image.writeUInt32LE(40, 0); // header size
  image.writeInt32LE(1, 4); // width
  image.writeInt32LE(2, 8); // height: the XOR image and the AND mask
  image.writeUInt16LE(1, 12); // planes
  image.writeUInt16LE(32, 14); // bits per pixel
  const dir = Buffer.alloc(6 + 16);
  dir.writeUInt16LE(1, 2); // type: icon
  dir.writeUInt16LE(1, 4); // one image
  dir.writeUInt8(1, 6); // width
  dir.writeUInt8(1, 7); // height
  dir.writeUInt16LE(1, 10); // planes
  dir.writeUInt16LE(32, 12); // bits per pixel
  dir.writeUInt32LE(image.length, 14);
  dir.writeUInt32LE(dir.length, 18); // where the image starts
  return Buffer.concat([dir, image]);
}

/** CORS headers for an allowed Origin (a Trusted Origin of the org). */
function corsHeaders(origin) {
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Credentials': 'true',
    'Access-Control-Expose-Headers': 'X-Okta-Request-Id, X-Rate-Limit-Limit, X-Rate-Limit-Remaining, X-Rate-Limit-Reset, WWW-Authenticate',
    Vary: 'Origin',
  };
}

/**
 * Starts the mock on 127.0.0.1, port 0 (a free port).
 * @param {{authServers?: Record<string, object[]>, tls?: {key: string|Buffer, cert: string|Buffer},
 *   cors?: string[], host?: string}} [options] JWKs per authorization server id (`default` exists,
 *   with no keys, unless given); a key and certificate to serve HTTPS; origins allowed by CORS (the
 *   array is read at each request, so origins may be added after start); the host name of its
 *   origin and issuers (it listens on 127.0.0.1 whatever the name: `localhost` gives a second
 *   host on the same machine).
 */
export async function startMockOkta({ authServers = { default: [] }, tls, cors = [], host = '127.0.0.1' } = {}) {
  const keysByServer = new Map(Object.entries(authServers).map(([id, keys]) => [id, [...keys]]));
  const requests = [];
  const routes = [];
  let origin = '';

  const route = (method, pattern, handler) => {
    routes.unshift({ method, pattern, handler });
  };

  const known = (id, respond) => (keysByServer.has(id) ? respond() : unknownAuthServer(id));
  route('GET', /^\/oauth2\/([^/]+)\/\.well-known\/openid-configuration$/, ({ match: [, id] }) =>
    known(id, () => ({ status: 200, headers: { 'Content-Type': JSON_TYPE }, body: discoveryDocument(origin, id) })),
  );
  route('GET', /^\/oauth2\/([^/]+)\/v1\/keys$/, ({ match: [, id] }) =>
    known(id, () => ({ status: 200, headers: { ...JWKS_HEADERS }, body: { keys: keysByServer.get(id) } })),
  );

  const icon = faviconIco();
  route('GET', /^\/favicon\.ico$/, () => ({
    status: 200,
    headers: { 'Content-Type': 'image/x-icon', 'Cache-Control': 'max-age=86400' },
    body: icon,
  }));

  // Read at each request: a test may add the app's origin once the app listens.
  const allowed = { has: (o) => cors.includes(o) };
  // The request body is read before the route answers (a POST /token's form).
  const handle = (req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => answer(req, res, Buffer.concat(chunks).toString('utf8')));
  };
  const answer = (req, res, requestBody) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const entry = {
      method: req.method,
      path: url.pathname,
      url: req.url,
      headers: { ...req.headers },
      at: Date.now(),
    };
    requests.push(entry);
    const from = req.headers.origin;
    const preflightMethod = req.method === 'OPTIONS' ? req.headers['access-control-request-method'] : undefined;
    const bearer = preflightMethod
      ? /(^|,)\s*authorization\s*(,|$)/i.test(req.headers['access-control-request-headers'] ?? '')
      : /^(bearer|dpop)\s/i.test(req.headers.authorization ?? '');
    const trusted = from && allowed.has(from) && (bearer || !notCorsEnabled(preflightMethod ?? req.method, url.pathname));
    const corsFor = trusted ? corsHeaders(from) : {};
    if (preflightMethod && trusted) {
      res.writeHead(204, {
        ...corsFor,
        'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE, OPTIONS',
        'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] ?? '',
        'Access-Control-Max-Age': '0',
      });
      res.end();
      return;
    }
    if (preflightMethod && from) {
      // An origin that is not a Trusted Origin (or an endpoint without CORS): an ok status and no Access-Control-* header, so
      // the browser reports "Response to preflight request doesn't pass access control check: No
      // 'Access-Control-Allow-Origin' header is present" (the console line Okta users quote,
      // oktadev/okta-angular-sign-in-widget-example#12; a non-ok status would read "does not have
      // HTTP ok status" instead). Simple requests from it are answered as usual, without CORS
      // headers, error or not.
      entry.status = 200;
      res.writeHead(200, { 'Content-Length': 0 });
      res.end();
      return;
    }
    // Every route that matches, newest first: a handler returning undefined passes the request
    // on to the next (a scenario answering only its own client's requests).
    const candidates = routes
      .filter((r) => r.method === req.method)
      .map((r) => ({ r, match: url.pathname.match(r.pattern) }))
      .filter(({ match }) => match);
    const form = /^application\/x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '') ? new URLSearchParams(requestBody) : null;
    if (form) entry.form = [...form.entries()]; // the request log keeps a form's fields (name, value)
    const failed = (err) => ({ status: 500, headers: { 'Content-Type': 'text/plain' }, body: `mock-okta: handler failed: ${err.stack}\n` });
    let reply;
    try {
      const args = {
        ...entry,
        query: url.searchParams,
        body: requestBody,
        form,
      };
      for (const { r, match } of candidates) {
        reply = r.handler({ ...args, match });
        if (reply !== undefined) break;
      }
      reply ??= { status: 404, headers: { 'Content-Type': 'text/plain' }, body: `mock-okta: no route for ${req.method} ${url.pathname}\n` };
    } catch (err) {
      reply = failed(err);
    }
    // A handler may answer later (a promise: signing a token is asynchronous).
    const send = (answered) => {
      const { status = 200, headers = {}, body = '' } = answered;
      entry.status = status;
      const bytes = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
      res.writeHead(status, { ...headers, ...corsFor, 'Content-Length': Buffer.byteLength(bytes) });
      res.end(req.method === 'HEAD' ? undefined : bytes);
    };
    Promise.resolve(reply).then(send, (err) => send(failed(err)));
  };
  const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, handle) : http.createServer(handle);

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  origin = `${tls ? 'https' : 'http'}://${host}:${port}`;

  return {
    port,
    origin,
    /** Every request received, in order. Clear it with `requests.length = 0`. */
    requests,
    /** `http(s)://HOST:PORT/oauth2/{id}`: the `iss` of tokens this mock "issued". */
    issuer: (id = 'default') => `${origin}/oauth2/${id}`,
    /** Replaces the published JWKs of an authorization server (creating it when new). */
    setKeys(id, keys) {
      keysByServer.set(id, [...keys]);
    },
    route,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
