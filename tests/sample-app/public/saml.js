// The sample app's SAML buttons: each sends the browser to the app's own /saml/login, which
// redirects to the Okta SAML app named by the button with an AuthnRequest (HTTP-Redirect binding,
// or HTTP-POST with data-binding="post"; ../saml-sp.mjs); the IdP-initiated link is the Okta app's embed link (no AuthnRequest).
(async () => {
  const { okta, saml } = await fetch('/config.json').then((r) => r.json());
  for (const button of document.querySelectorAll('button[data-app]')) {
    const binding = button.dataset.binding ? `&binding=${encodeURIComponent(button.dataset.binding)}` : '';
    button.addEventListener('click', () => window.location.assign(`/saml/login?app=${encodeURIComponent(button.dataset.app)}${binding}`));
  }
  const link = document.getElementById('saml-idp-initiated');
  if (link) link.href = `${okta.primary}/app/${saml.appName}/${saml.apps.ok}/sso/saml`;
  document.body.dataset.samlReady = 'true';
})();
