// The mock Okta's SAML apps (tests/mock-okta/saml.mjs): an HTTP-Redirect AuthnRequest (raw
// DEFLATE + base64) is read and answered with Okta's auto-submitting POST page; the Response has
// the Okta fixture's structure, InResponseTo = the request's ID, and an Assertion signature whose
// digest and RSA-SHA256 value check out over the canonical bytes; each app variant breaks the
// setting it stands for; IdP-initiated answers carry no InResponseTo.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify, X509Certificate } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { NOT_ASSIGNED, SAML_APPS, SAML_APP_LABEL, SAML_APP_NAME, addSamlScenario, decodeSamlRequest, readAuthnRequest } from './saml.mjs';
import { startMockOkta } from './server.mjs';

const SP = 'http://localhost:5173';
let okta;
let saml;

before(async () => {
  okta = await startMockOkta();
  saml = addSamlScenario(okta, { spOrigin: () => SP });
});
after(() => okta.close());

const AUTHN_ID = '_a1b2c3d4e5f60718293a4b5c6d7e8f90';
const authnRequest = () =>
  `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${AUTHN_ID}" Version="2.0" IssueInstant="${new Date().toISOString()}" AssertionConsumerServiceURL="${SP}/saml/acs" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"><saml:Issuer>${SP}/saml/metadata</saml:Issuer></samlp:AuthnRequest>`;

async function ssoGet(variant, { request = true, relay = 'rs-1' } = {}) {
  const url = new URL(`${okta.origin}/app/${SAML_APP_NAME}/${SAML_APPS[variant]}/sso/saml`);
  if (request) url.search = new URLSearchParams({ SAMLRequest: deflateRawSync(Buffer.from(authnRequest())).toString('base64'), RelayState: relay }).toString();
  const res = await fetch(url, { redirect: 'manual' });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

const unescape = (s) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
function form(page) {
  const action = unescape(/<form id="appForm" action="([^"]*)" method="POST">/.exec(page)?.[1] ?? '');
  const field = (name) => unescape(new RegExp(`name="${name}" type="hidden" value="([^"]*)"`).exec(page)?.[1] ?? '');
  return { action, xml: Buffer.from(field('SAMLResponse'), 'base64').toString('utf8'), relay: field('RelayState'), b64: field('SAMLResponse') };
}
const attr = (xml, el, name) => new RegExp(`<${el}[^>]*\\s${name}="([^"]*)"`).exec(xml)?.[1];

test('the AuthnRequest decodes (raw DEFLATE + base64) and reads', () => {
  const xml = decodeSamlRequest(deflateRawSync(Buffer.from(authnRequest())).toString('base64'));
  assert.deepEqual(readAuthnRequest(xml), { id: AUTHN_ID, acs: `${SP}/saml/acs`, issuer: `${SP}/saml/metadata` });
});

test("SP-initiated, the working app: Okta's POST page posts a signed Response answering the request to the ACS", async () => {
  const { status, type, text } = await ssoGet('ok');
  assert.equal(status, 200);
  assert.match(type, /^text\/html/);
  assert.match(text, /onload="document.getElementById\('appForm'\).submit\(\)"/);
  const { action, xml, relay, b64 } = form(text);
  assert.equal(action, `${SP}/saml/acs`);
  assert.equal(relay, 'rs-1');
  assert.ok(b64.length > 3000, `${b64.length} characters of base64`);
  assert.equal(attr(xml, 'saml2p:Response', 'InResponseTo'), AUTHN_ID);
  assert.equal(attr(xml, 'saml2p:Response', 'Destination'), `${SP}/saml/acs`);
  assert.equal(attr(xml, 'saml2:SubjectConfirmationData', 'Recipient'), `${SP}/saml/acs`);
  assert.equal(/<saml2:Audience>([^<]*)</.exec(xml)[1], `${SP}/saml/metadata`);
  assert.equal(/<saml2:Issuer[^>]*>([^<]*)</.exec(xml)[1], `http://www.okta.com/${SAML_APPS.ok}`);
  const notBefore = Date.parse(attr(xml, 'saml2:Conditions', 'NotBefore'));
  const notOnOrAfter = Date.parse(attr(xml, 'saml2:Conditions', 'NotOnOrAfter'));
  assert.ok(notBefore < Date.now() && Date.now() < notOnOrAfter);
  // The signature: the digest over the Assertion without its Signature, the RSA-SHA256 value over
  // SignedInfo canonicalised alone (the ds namespace on it), with the certificate's key.
  const assertion = /<saml2:Assertion [\s\S]*<\/saml2:Assertion>/.exec(xml)[0];
  const signature = /<ds:Signature [\s\S]*<\/ds:Signature>/.exec(assertion)[0];
  const digest = createHash('sha256').update(assertion.replace(signature, '')).digest('base64');
  assert.equal(/<ds:DigestValue>([^<]*)</.exec(signature)[1], digest);
  const signedInfo = /<ds:SignedInfo>[\s\S]*<\/ds:SignedInfo>/.exec(signature)[0].replace('<ds:SignedInfo>', '<ds:SignedInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">');
  const cert = new X509Certificate(`-----BEGIN CERTIFICATE-----\n${/<ds:X509Certificate>([^<]*)</.exec(signature)[1]}\n-----END CERTIFICATE-----\n`);
  const value = Buffer.from(/<ds:SignatureValue>([^<]*)</.exec(signature)[1], 'base64');
  assert.equal(verify('sha256', Buffer.from(signedInfo), createPublicKey(cert.publicKey.export({ type: 'spki', format: 'pem' })), value), true);
  // What must never be kept: the base64, the signature value, the seeded attribute value.
  const secrets = saml.secrets();
  assert.ok(secrets.includes(b64) && secrets.includes(value.toString('base64')));
  assert.ok(secrets.some((s) => s.startsWith('SEEDdept-') && xml.includes(s)));
});

test('each misconfigured app breaks its own setting', async () => {
  const audience = form((await ssoGet('audience')).text).xml;
  assert.equal(/<saml2:Audience>([^<]*)</.exec(audience)[1], 'https://sample-app.example.com/saml/metadata');
  const dest = form((await ssoGet('destination')).text);
  assert.equal(dest.action, `${SP}/saml/acs`, 'posted to the Single sign-on URL');
  assert.equal(attr(dest.xml, 'saml2p:Response', 'Destination'), `${SP}/saml/SSO`);
  assert.equal(attr(dest.xml, 'saml2:SubjectConfirmationData', 'Recipient'), `${SP}/saml/SSO`);
  const expired = form((await ssoGet('expired')).text).xml;
  assert.ok(Date.parse(attr(expired, 'saml2:Conditions', 'NotOnOrAfter')) < Date.now() - 9 * 60_000);
  const denied = await ssoGet('notAssigned');
  assert.equal(denied.status, 403);
  assert.ok(denied.text.includes(NOT_ASSIGNED(SAML_APP_LABEL).replace("'", '&#39;')));
});

test('IdP-initiated: the embed link and the dashboard tile give a Response with no InResponseTo', async () => {
  const direct = form((await ssoGet('ok', { request: false })).text);
  assert.equal(attr(direct.xml, 'saml2p:Response', 'InResponseTo'), undefined);
  assert.equal(attr(direct.xml, 'saml2:SubjectConfirmationData', 'InResponseTo'), undefined);
  assert.equal(direct.relay, '');
  const dashboard = await ssoGet('unsolicited');
  assert.equal(dashboard.status, 200);
  const tile = /id="okta-app-tile" href="([^"]*)"/.exec(dashboard.text)[1];
  const hop = await fetch(`${okta.origin}${tile}`, { redirect: 'manual' });
  assert.equal(hop.status, 302);
  const page = await (await fetch(`${okta.origin}${hop.headers.get('location')}`)).text();
  assert.equal(attr(form(page).xml, 'saml2p:Response', 'InResponseTo'), undefined);
  assert.deepEqual(saml.log.filter((l) => l.variant === 'unsolicited').map((l) => l.what), ['authn-request', 'idp-initiated', 'response']);
});

test("round trip with the sample app's SP: its AuthnRequest, Okta's POST, its ACS's answer", async () => {
  const { startSampleApp } = await import('../sample-app/server.mjs');
  const mock = await startMockOkta();
  let app;
  const scenario = addSamlScenario(mock, { spOrigin: () => app.origin });
  app = await startSampleApp({ okta: { primary: mock.origin, secondary: mock.origin }, tokens: {} });
  try {
    const signIn = async (variant) => {
      const login = await fetch(`${app.origin}/saml/login?app=${variant}`, { redirect: 'manual' });
      assert.equal(login.status, 302);
      const sso = new URL(login.headers.get('location'));
      assert.equal(sso.pathname, `/app/${SAML_APP_NAME}/${SAML_APPS[variant]}/sso/saml`);
      const request = readAuthnRequest(decodeSamlRequest(sso.searchParams.get('SAMLRequest')));
      assert.deepEqual([request.acs, request.issuer], [`${app.origin}/saml/acs`, `${app.origin}/saml/metadata`]);
      const { action, b64, relay } = form(await (await fetch(sso)).text());
      const acs = await fetch(action, { method: 'POST', body: new URLSearchParams({ SAMLResponse: b64, RelayState: relay }) });
      return [acs.status, /<p id="result">([^<]*)</.exec(await acs.text())[1]];
    };
    assert.deepEqual(await signIn('ok'), [200, 'Signed in as alex.doe@example.com.']);
    const [status, text] = await signIn('audience');
    assert.equal(status, 403);
    assert.match(text, /^SAML sign-in rejected: the Audience https:\/\/sample-app\.example\.com\/saml\/metadata is not this app's entity id/);
    assert.match((await signIn('destination'))[1], /Destination .*\/saml\/SSO is not this ACS/);
    assert.match((await signIn('expired'))[1], /the assertion expired at/);
    assert.equal(scenario.log.filter((l) => l.what === 'response').length, 4);
  } finally {
    await app.close();
    await mock.close();
  }
});

test('HTTP-POST binding: the SP posts the AuthnRequest (base64, no DEFLATE) and Okta answers the same way', async () => {
  const { startSampleApp } = await import('../sample-app/server.mjs');
  const mock = await startMockOkta();
  let app;
  addSamlScenario(mock, { spOrigin: () => app.origin });
  app = await startSampleApp({ okta: { primary: mock.origin, secondary: mock.origin }, tokens: {} });
  try {
    const page = await (await fetch(`${app.origin}/saml/login?app=ok&binding=post`)).text();
    const action = /<form method="POST" action="([^"]*)">/.exec(page)[1];
    const fields = Object.fromEntries([...page.matchAll(/name="(\w+)" value="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    assert.equal(action, `${mock.origin}/app/${SAML_APP_NAME}/${SAML_APPS.ok}/sso/saml`);
    const request = readAuthnRequest(decodeSamlRequest(fields.SAMLRequest, { deflated: false }));
    assert.equal(request.acs, `${app.origin}/saml/acs`);
    const answer = await fetch(action, { method: 'POST', body: new URLSearchParams({ SAMLRequest: fields.SAMLRequest, RelayState: fields.RelayState }) });
    const { xml, relay } = form(await answer.text());
    assert.equal(attr(xml, 'saml2p:Response', 'InResponseTo'), request.id);
    assert.equal(relay, '/after-login?ok');
  } finally {
    await app.close();
    await mock.close();
  }
});
