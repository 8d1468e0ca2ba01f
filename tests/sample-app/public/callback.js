// The sample app's callback: prints the error Okta sent back (as text), like apps do; for a code,
// finds the sign-in this tab started (sessionStorage, keyed by state) and redeems the code at
// /token as the sign-in's variant says (flows.js): 'ok' with its verifier, 'pkce' with another
// verifier (a verifier regenerated on reload), 'twice' with its verifier two times (a callback
// effect that runs twice). A state this tab never sent stops the sign-in before /token, as
// okta-auth-js does ("OAuth flow response state doesn't match request state").
const params = new URLSearchParams(window.location.search);
const result = document.getElementById('result');

async function finish() {
  if (params.has('error')) {
    result.textContent = `Sign-in failed: ${params.get('error')}: ${params.get('error_description') ?? ''}`;
    return;
  }
  if (!params.has('code')) {
    result.textContent = 'Signed in.';
    return;
  }
  const state = params.get('state') ?? '';
  const tx = JSON.parse(sessionStorage.getItem(`tx:${state}`) ?? 'null');
  if (!tx) {
    result.textContent = "Sign-in failed: the callback's state matches no sign-in started in this tab.";
    result.dataset.outcome = 'state-mismatch';
    return;
  }
  sessionStorage.removeItem(`tx:${state}`);
  const redeem = (verifier) =>
    tokenRequest('token', {
      grant_type: 'authorization_code',
      code: params.get('code'),
      redirect_uri: `${window.location.origin}/callback`,
      code_verifier: verifier,
    });
  const first = await redeem(tx.variant === 'pkce' ? randomString(48) : tx.verifier);
  if (tx.variant === 'twice') await redeem(tx.verifier);
  result.textContent = first.status === 200 ? 'Signed in.' : `Sign-in failed: ${first.body?.error}: ${first.body?.error_description ?? ''}`;
  result.dataset.outcome = first.status === 200 ? 'signed-in' : 'token-error';
}

finish().finally(() => {
  document.body.dataset.ready = 'true';
});
