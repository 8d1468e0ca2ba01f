// The sample app's callback: prints the error Okta sent back (as text), like apps do.
const params = new URLSearchParams(window.location.search);
document.getElementById('result').textContent = params.has('error')
  ? `Sign-in failed: ${params.get('error')}: ${params.get('error_description') ?? ''}`
  : 'Signed in.';
document.body.dataset.ready = 'true';
