// The sample app's script: calls Okta from the page with fetch (and XMLHttpRequest for the
// Identity Engine call), logging each answer's status. Configuration comes from /config.json.
const config = fetch('/config.json').then((r) => r.json());

function log(name, status) {
  const li = document.createElement('li');
  li.dataset.call = name;
  li.dataset.status = String(status);
  li.textContent = `${name}: ${status}`;
  document.getElementById('log').append(li);
}

async function call(name, org, path, authorization) {
  const { okta, tokens } = await config;
  const auth = authorization ? { Authorization: authorization(tokens) } : {};
  try {
    const res = await fetch(`${okta[org]}${path}`, {
      headers: { Accept: 'application/json', ...auth },
      // No Authorization header: a session-cookie call, as an app calling /api/v1/users/me does.
      credentials: authorization ? 'same-origin' : 'include',
    });
    await res.text(); // the app reads the body, as apps do
    log(name, res.status);
  } catch (err) {
    log(name, `failed: ${err.message}`);
  }
}

function identify() {
  config.then(({ okta }) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${okta.secondary}/idp/idx/identify`);
    xhr.setRequestHeader('Content-Type', 'application/json');
    xhr.setRequestHeader('Accept', 'application/ion+json; okta-version=1.0.0');
    xhr.onloadend = () => log('identify', xhr.status);
    xhr.send(JSON.stringify({ identifier: 'jane.doe@example.com', stateHandle: '02sample' }));
  });
}

const on = (id, handler) => document.getElementById(id).addEventListener('click', handler);
on('call-401', () => call('me', 'primary', '/api/v1/users/me', (t) => `SSWS ${t.ssws}`));
on('call-403', () => call('groups', 'primary', '/api/v1/groups', (t) => `Bearer ${t.bearer}`));
on('call-429', () => call('users', 'secondary', '/api/v1/users?limit=200', (t) => `Bearer ${t.bearer}`));
on('call-low', () => call('apps', 'secondary', '/api/v1/apps', (t) => `Bearer ${t.bearer}`));
on('idx-identify', identify);
// From an origin that is not a Trusted Origin (the same app served on a second port): a preflighted call (its Authorization header), a simple one answered 200, and a simple
// one answered 401, all without CORS headers, so the page sees only "Failed to fetch".
on('cors-preflight', () => call('cors-preflight', 'primary', '/api/v1/users/me', (t) => `Bearer ${t.bearer}`));
on('cors-simple', () => call('cors-simple', 'secondary', '/api/v1/apps'));
on('cors-error', () => call('cors-error', 'primary', '/api/v1/users/me'));
// From any origin, the Trusted Origin included: an endpoint Okta's API spec does not mark
// CORS-enabled, called with the session cookie, is answered without CORS headers.
on('cors-endpoint', () => call('cors-endpoint', 'primary', '/api/v1/org'));

/** Starts a sign-in whose redirect_uri is this origin's `callbackPath`. */
async function signIn(callbackPath) {
  const { okta, clientId } = await config;
  const url = new URL(`${okta.primary}/oauth2/default/v1/authorize`);
  url.search = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    scope: 'openid profile',
    redirect_uri: `${window.location.origin}${callbackPath}`,
    state: 'sample-state-8f3a',
    nonce: 'sample-nonce-51c2',
  }).toString();
  window.location.assign(url.href);
}

on('sign-in', () => signIn('/callback'));
// A redirect_uri the app doesn't list: Okta answers 400 with its error page, no redirect.
on('sign-in-unregistered', () => signIn('/unregistered-callback'));
// The sign-in flows (flows.js): one that works (it leaves a refresh token), then one mistake each.
on('flow-sign-in', () => startSignIn('ok'));
on('flow-pkce', () => startSignIn('pkce'));
on('flow-code-twice', () => startSignIn('twice'));
// OIE's email magic link: the link opens in a new tab, which reaches the callback with a state no
// sign-in of that tab started (its sessionStorage has no transaction).
on('flow-magic-link', () => startSignIn('ok', { prompt: 'login', login_hint: 'magic-link@example.com' }));
on('flow-silent-renew', () => silentRenew('okta_post_message'));
on('flow-silent-renew-fragment', () => silentRenew('fragment'));
on('flow-refresh-two-tabs', refreshInTwoTabs);
on('flow-refresh-old', () => refresh('refresh-old', localStorage.getItem('sample-refresh-previous')));
on('flow-renew-loop', renewLoop);
if (new URLSearchParams(window.location.search).get('refresh') === 'second') refreshAsSecondTab();
document.body.dataset.ready = 'true';
