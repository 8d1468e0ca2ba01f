// The sample app's sign-in flows, shaped like okta-auth-js's (flows.md §3–6): PKCE S256 with a
// random verifier, the transaction in sessionStorage keyed by state (per tab), the code
// exchanged at /token by the callback page, the refresh token in localStorage. Each button makes
// one classic mistake; the callback page (callback.js) finishes the sign-in as the variant says.
// Shared by index.html and callback.html (classic scripts: these functions are globals).
const flowConfig = fetch('/config.json').then((r) => r.json());

const b64url = (bytes) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const randomString = (n) => b64url(crypto.getRandomValues(new Uint8Array(n)));
const challengeOf = async (verifier) => b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));

function logFlow(name, status) {
  const li = document.createElement('li');
  li.dataset.call = name;
  li.dataset.status = String(status);
  li.textContent = `${name}: ${status}`;
  document.getElementById('log').append(li);
}

/** /authorize for the flow client (variant: what the callback does with the code). */
async function authorizeUrl({ redirectPath = '/callback', extra = {} } = {}) {
  const { okta, flowClientId } = await flowConfig;
  const verifier = randomString(48);
  const state = randomString(24);
  const url = new URL(`${okta.primary}/oauth2/default/v1/authorize`);
  url.search = new URLSearchParams({
    client_id: flowClientId,
    response_type: 'code',
    scope: 'openid profile offline_access',
    redirect_uri: `${window.location.origin}${redirectPath}`,
    state,
    nonce: randomString(24),
    code_challenge: await challengeOf(verifier),
    code_challenge_method: 'S256',
    ...extra,
  }).toString();
  return { url, verifier, state };
}

async function startSignIn(variant, extra = {}) {
  const { url, verifier, state } = await authorizeUrl({ extra });
  sessionStorage.setItem(`tx:${state}`, JSON.stringify({ verifier, variant }));
  window.location.assign(url.href);
}

/** POST /token with a form body, as okta-auth-js does; logs and returns the JSON answer. */
async function tokenRequest(name, fields) {
  const { okta, flowClientId } = await flowConfig;
  try {
    const res = await fetch(`${okta.primary}/oauth2/default/v1/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({ client_id: flowClientId, ...fields }),
    });
    const body = await res.json();
    logFlow(name, res.status);
    if (res.ok && body.refresh_token) {
      const current = localStorage.getItem('sample-refresh');
      if (current && current !== body.refresh_token) localStorage.setItem('sample-refresh-previous', current);
      localStorage.setItem('sample-refresh', body.refresh_token);
    }
    return { status: res.status, body };
  } catch (err) {
    logFlow(name, `failed: ${err.message}`);
    return { status: 0, body: null };
  }
}

const refresh = (name, token) =>
  tokenRequest(name, { grant_type: 'refresh_token', refresh_token: token, scope: 'openid profile offline_access' });

/**
 * A silent renewal: /authorize?prompt=none in a hidden iframe. okta-auth-js asks for
 * okta_post_message (Okta's page in the frame posts the answer); other SDKs for a fragment
 * redirect to the app's /renew page, which posts the fragment to this window.
 */
async function silentRenew(mode = 'okta_post_message') {
  const { okta } = await flowConfig;
  const { url, verifier, state } = await authorizeUrl({ redirectPath: '/renew', extra: { prompt: 'none', response_mode: mode } });
  const from = mode === 'okta_post_message' ? okta.primary : window.location.origin;
  const name = mode === 'okta_post_message' ? 'renew' : `renew-${mode}`;
  const frame = document.createElement('iframe');
  frame.hidden = true;
  const answer = new Promise((resolve) => {
    const onMessage = (event) => {
      if (event.origin !== from || event.data?.state !== state) return;
      window.removeEventListener('message', onMessage);
      resolve(event.data);
    };
    window.addEventListener('message', onMessage);
  });
  frame.src = url.href;
  document.body.append(frame);
  const data = await answer;
  frame.remove();
  if (data.error) {
    logFlow(name, data.error);
    return;
  }
  logFlow(name, 'code');
  await tokenRequest('renew-token', { grant_type: 'authorization_code', code: data.code, redirect_uri: `${window.location.origin}/renew`, code_verifier: verifier });
}

/**
 * Two tabs, each with its own copy of the refresh token, refresh at once: the second tab (opened
 * here) refreshes first and rotates it; this tab then refreshes with the copy it already held.
 */
async function refreshInTwoTabs() {
  const held = localStorage.getItem('sample-refresh');
  if (!held) {
    logFlow('refresh', 'no refresh token: sign in first');
    return;
  }
  const channel = new BroadcastChannel('sample-refresh');
  const done = new Promise((resolve) => {
    channel.onmessage = () => resolve();
  });
  window.open('/?refresh=second', '_blank');
  await done;
  channel.close();
  await refresh('refresh', held);
}

/** The second tab of refreshInTwoTabs: refreshes with the stored token, then says so. */
async function refreshAsSecondTab() {
  await refresh('refresh-second-tab', localStorage.getItem('sample-refresh'));
  new BroadcastChannel('sample-refresh').postMessage('done');
}

/** An app whose renewal timer misfires: 12 refreshes in a row, each with the newest token. */
async function renewLoop() {
  for (let i = 0; i < 12; i++) await refresh('loop', localStorage.getItem('sample-refresh'));
}
