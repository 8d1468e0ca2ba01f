// The mock Okta's SAML 2.0 apps (issue 17), answered as Okta does (flows.md §8, okta.md):
//   GET  /app/{appName}/{externalKey}/sso/saml?SAMLRequest=…&RelayState=…   SP-initiated,
//        HTTP-Redirect binding (raw DEFLATE + base64, SAML Bindings §3.4.4.1): the AuthnRequest's
//        ID, Issuer and AssertionConsumerServiceURL are read, and Okta's auto-submitting POST
//        page answers, posting SAMLResponse (InResponseTo = the request's ID) + RelayState to the
//        app's Single sign-on URL
//   POST /app/{appName}/{externalKey}/sso/saml   the same, HTTP-POST binding (base64, no DEFLATE)
//   GET  /app/{appName}/{externalKey}/sso/saml   without SAMLRequest: IdP-initiated (the App Embed
//        Link), a Response with no InResponseTo and the app's Default RelayState
//   GET  /home/{appName}/{externalKey}/{linkId}   the dashboard tile's link: 302 to the embed link
// Each app of `SAML_APPS` is one Okta app setting gone wrong (the sample app's buttons pick one):
// `ok` works; `audience` has the wrong "Audience URI (SP Entity ID)"; `destination` has
// "Use this for Recipient URL and Destination URL" off and a stale Recipient/Destination; `expired`
// is issued by a clock 15 minutes behind (the window is over when the app reads it); `unsolicited`
// answers the AuthnRequest with Okta's dashboard instead, whose tile starts an IdP-initiated
// sign-in (the Response reaches an app that sent a request); `notAssigned` answers Okta's
// "403 App Not Assigned" page (flows.md §8, exact text).
//
// The Response follows the real Okta-issued fixture's structure (tests/fixtures/
// saml-okta-assertion-ruby-saml: saml2p:Response > saml2:Issuer(Format entity) > Status > Assertion
// > Issuer, ds:Signature, Subject(NameID emailAddress, SubjectConfirmation bearer with
// SubjectConfirmationData InResponseTo/NotOnOrAfter/Recipient), Conditions(NotBefore, NotOnOrAfter,
// AudienceRestriction), AuthnStatement(SessionIndex, PasswordProtectedTransport), AttributeStatement),
// with Issuer http://www.okta.com/{externalKey}, times from now (NotBefore = IssueInstant − 5 min,
// NotOnOrAfter = + 5 min, as Okta's 2013 sample) and the Assertion signed RSA-SHA256 (enveloped,
// exc-c14n) with a throwaway key: the Assertion and SignedInfo are written in canonical form, so the
// digest and the signature are over the bytes exc-c14n gives (not checked by an XML-DSig library
// here; the core doesn't verify SAML signatures, it reports where they are).
// The POST page's shape — form `appForm` whose action is the ACS, hidden SAMLResponse and
// RelayState, submitted by script on load, 200 text/html — is flows.md §8 [O-SESSCK]; the rest of
// Okta's markup is not recorded there and is left out.
import { createHash, createPrivateKey, randomBytes, sign } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { makeCertificate } from './tls.mjs';

/** The Okta app's name in its URLs (`/app/{appName}/{externalKey}/sso/saml`). */
export const SAML_APP_NAME = 'dev-1234_samplesaml_1';

/** One Okta SAML app per variant: its external key (Issuer http://www.okta.com/{key}). */
export const SAML_APPS = Object.freeze({
  ok: 'exk1samlok00000h5d7',
  audience: 'exk1samlaud0000h5d7',
  destination: 'exk1samldst0000h5d7',
  expired: 'exk1samlexp0000h5d7',
  unsolicited: 'exk1samluns0000h5d7',
  notAssigned: 'exk1samlna00000h5d7',
});

/** Okta's "403 App Not Assigned" page text (flows.md §8, [P-403]); `{app}` is the app's label. */
export const NOT_ASSIGNED = (app) =>
  `Sorry, you cannot access ${app} because you are not assigned this app in Okta. If you're wondering why this is happening, please contact your administrator.`;

/** The app's label in Okta (what the not-assigned page names). */
export const SAML_APP_LABEL = 'Sample SAML app';

const NS = Object.freeze({
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
  excC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
});

const escText = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escAttr = (s) => escText(s).replace(/"/g, '&quot;');
const escHtml = (s) => escAttr(s).replace(/'/g, '&#39;');
/** Okta's id shape: `id` + digits. */
const oktaId = () => `id${BigInt(`0x${randomBytes(10).toString('hex')}`).toString().padStart(25, '1').slice(0, 25)}`;
const iso = (ms) => new Date(ms).toISOString();

/** Reads the fields the mock needs from an AuthnRequest's XML (a test SP's, not hostile input). */
export function readAuthnRequest(xml) {
  const attr = (name) => new RegExp(`\\s${name}="([^"]*)"`).exec(xml)?.[1] ?? null;
  return {
    id: attr('ID'),
    acs: attr('AssertionConsumerServiceURL'),
    issuer: /<(?:\w+:)?Issuer[^>]*>([^<]*)<\/(?:\w+:)?Issuer>/.exec(xml)?.[1] ?? null,
  };
}

/** An HTTP-Redirect SAMLRequest (base64 of raw DEFLATE) → XML; HTTP-POST's (base64 only) with `deflated: false`. */
export function decodeSamlRequest(value, { deflated = true } = {}) {
  const bytes = Buffer.from(value, 'base64');
  return (deflated ? inflateRawSync(bytes) : bytes).toString('utf8');
}

/**
 * The Assertion, signed: returns {xml, signatureValue}. Written in exc-c14n form (namespace
 * declaration first, attributes sorted, explicit end tags, no whitespace between elements).
 */
function signedAssertion(a, key, certBase64) {
  const s = (name, attrs, inner) => {
    const list = Object.entries(attrs).filter(([, v]) => v !== undefined && v !== null);
    return `<saml2:${name}${list.map(([k, v]) => ` ${k}="${escAttr(v)}"`).join('')}>${inner}</saml2:${name}>`;
  };
  const issuer = s('Issuer', { Format: 'urn:oasis:names:tc:SAML:2.0:nameid-format:entity' }, escText(a.issuer));
  const subject = s(
    'Subject',
    {},
    s('NameID', { Format: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress' }, escText(a.nameId)) +
      s(
        'SubjectConfirmation',
        { Method: 'urn:oasis:names:tc:SAML:2.0:cm:bearer' },
        s('SubjectConfirmationData', { InResponseTo: a.inResponseTo ?? undefined, NotOnOrAfter: a.notOnOrAfter, Recipient: a.recipient }, ''),
      ),
  );
  const conditions = s('Conditions', { NotBefore: a.notBefore, NotOnOrAfter: a.notOnOrAfter }, s('AudienceRestriction', {}, s('Audience', {}, escText(a.audience))));
  const authn = s(
    'AuthnStatement',
    { AuthnInstant: a.issueInstant, SessionIndex: a.sessionIndex },
    s('AuthnContext', {}, s('AuthnContextClassRef', {}, 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport')),
  );
  const attributes = s(
    'AttributeStatement',
    {},
    a.attributes
      .map(([name, value]) => s('Attribute', { Name: name, NameFormat: 'urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified' }, s('AttributeValue', {}, escText(value))))
      .join(''),
  );
  const open = `<saml2:Assertion xmlns:saml2="${NS.assertion}" ID="${a.id}" IssueInstant="${a.issueInstant}" Version="2.0">`;
  const body = subject + conditions + authn + attributes;
  // Enveloped signature: the digest is over the Assertion without its ds:Signature.
  const digest = createHash('sha256').update(`${open}${issuer}${body}</saml2:Assertion>`, 'utf8').digest('base64');
  const signedInfo = (xmlns) =>
    `<ds:SignedInfo${xmlns}><ds:CanonicalizationMethod Algorithm="${NS.excC14n}"></ds:CanonicalizationMethod>` +
    '<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"></ds:SignatureMethod>' +
    `<ds:Reference URI="#${a.id}"><ds:Transforms><ds:Transform Algorithm="${NS.ds}enveloped-signature"></ds:Transform>` +
    `<ds:Transform Algorithm="${NS.excC14n}"></ds:Transform></ds:Transforms>` +
    `<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"></ds:DigestMethod><ds:DigestValue>${digest}</ds:DigestValue></ds:Reference></ds:SignedInfo>`;
  // SignedInfo canonicalised alone carries the ds namespace it uses (exc-c14n renders it on the apex).
  const signatureValue = sign('sha256', Buffer.from(signedInfo(` xmlns:ds="${NS.ds}"`), 'utf8'), key).toString('base64');
  const signature =
    `<ds:Signature xmlns:ds="${NS.ds}">${signedInfo('')}<ds:SignatureValue>${signatureValue}</ds:SignatureValue>` +
    `<ds:KeyInfo><ds:X509Data><ds:X509Certificate>${certBase64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature>`;
  return { xml: `${open}${issuer}${signature}${body}</saml2:Assertion>`, signatureValue };
}

/**
 * Adds the SAML apps to a mock (tests/mock-okta/server.mjs).
 * @param {object} okta the mock
 * @param {{spOrigin: () => string, now?: () => number}} options the sample app's origin (its ACS
 *   `/saml/acs` is every app's Single sign-on URL, its entity id `/saml/metadata` the right
 *   Audience URI); the clock.
 * @returns `log` ([{what, app, …}]) and `secrets()`: every SAMLResponse (base64), signature value
 *   and seeded attribute value issued, which must never be stored or exported.
 */
export function addSamlScenario(okta, { spOrigin, now = Date.now }) {
  const log = [];
  const issued = [];
  const { key: keyPem, cert } = makeCertificate(['dev-1234.okta.com']);
  const key = createPrivateKey(keyPem);
  const certBase64 = cert.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');

  /** The Okta app settings of each variant (flows.md §8 "Okta app settings ↔ assertion"). */
  const settings = (variant) => {
    const acs = `${spOrigin()}/saml/acs`;
    const base = { ssoUrl: acs, recipient: acs, destination: acs, audience: `${spOrigin()}/saml/metadata`, clockMs: 0, relayState: '' };
    if (variant === 'audience') return { ...base, audience: 'https://sample-app.example.com/saml/metadata' };
    if (variant === 'destination') return { ...base, recipient: `${spOrigin()}/saml/SSO`, destination: `${spOrigin()}/saml/SSO` };
    if (variant === 'expired') return { ...base, clockMs: -15 * 60_000 };
    return base;
  };
  const variantOf = (externalKey) => Object.keys(SAML_APPS).find((v) => SAML_APPS[v] === externalKey);

  /** Okta's POST page: the form posting the Response to the app's Single sign-on URL. */
  function postPage(variant, externalKey, { inResponseTo = null, relayState }) {
    const app = settings(variant);
    const at = now() + app.clockMs;
    const seed = `SEEDdept-${randomBytes(9).toString('base64url')}`;
    const { xml: assertion, signatureValue } = signedAssertion(
      {
        id: oktaId(),
        issuer: `http://www.okta.com/${externalKey}`,
        issueInstant: iso(at),
        notBefore: iso(at - 5 * 60_000),
        notOnOrAfter: iso(at + 5 * 60_000),
        inResponseTo,
        recipient: app.recipient,
        audience: app.audience,
        nameId: 'alex.doe@example.com',
        sessionIndex: oktaId(),
        attributes: [
          ['firstName', 'Alex'],
          ['email', 'alex.doe@example.com'],
          ['department', seed],
        ],
      },
      key,
      certBase64,
    );
    const response =
      `<?xml version="1.0" encoding="UTF-8"?><saml2p:Response xmlns:saml2p="${NS.protocol}" Destination="${escAttr(app.destination)}" ID="${oktaId()}"` +
      `${inResponseTo ? ` InResponseTo="${escAttr(inResponseTo)}"` : ''} IssueInstant="${iso(at)}" Version="2.0">` +
      `<saml2:Issuer xmlns:saml2="${NS.assertion}" Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">http://www.okta.com/${externalKey}</saml2:Issuer>` +
      `<saml2p:Status><saml2p:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></saml2p:Status>${assertion}</saml2p:Response>`;
    const samlResponse = Buffer.from(response, 'utf8').toString('base64');
    issued.push(samlResponse, signatureValue, seed);
    log.push({ what: 'response', variant, inResponseTo, bytes: samlResponse.length });
    const relay = relayState ?? app.relayState;
    const body =
      '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Okta</title></head>\n' +
      `<body onload="document.getElementById('appForm').submit()">\n` +
      `<form id="appForm" action="${escHtml(app.ssoUrl)}" method="POST">\n` +
      `<input name="SAMLResponse" type="hidden" value="${escHtml(samlResponse)}"/>\n` +
      `<input name="RelayState" type="hidden" value="${escHtml(relay)}"/>\n</form>\n</body></html>\n`;
    return { status: 200, headers: { 'Content-Type': 'text/html;charset=utf-8', 'Cache-Control': 'no-cache, no-store', Pragma: 'no-cache' }, body };
  }

  const html = (status, title, text) => ({
    status,
    headers: { 'Content-Type': 'text/html;charset=utf-8', 'Cache-Control': 'no-cache, no-store' },
    body: `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${escHtml(title)}</title></head>\n<body>${text}</body></html>\n`,
  });

  /** The answer to an SSO URL hit: `request` is the AuthnRequest's XML, or null (IdP-initiated). */
  function sso(externalKey, request, relayState) {
    const variant = variantOf(externalKey);
    if (!variant) return html(404, 'Not Found', '<h1>404</h1><p>Page not found.</p>');
    const authn = request ? readAuthnRequest(request) : null;
    log.push({ what: request ? 'authn-request' : 'idp-initiated', variant, ...(authn ?? {}) });
    if (variant === 'notAssigned') {
      return html(403, '403 App Not Assigned', `<h1>403</h1><h2>App Not Assigned</h2><p>${escHtml(NOT_ASSIGNED(SAML_APP_LABEL))}</p>`);
    }
    if (variant === 'unsolicited' && authn) {
      // The user leaves the app's request behind and opens the app from the Okta dashboard.
      const tile = `/home/${SAML_APP_NAME}/${externalKey}/aln1samltile0h5d7`;
      return html(200, 'My Apps Dashboard', `<h1>My Apps</h1><p><a id="okta-app-tile" href="${escHtml(tile)}">${escHtml(SAML_APP_LABEL)}</a></p>`);
    }
    return postPage(variant, externalKey, { inResponseTo: authn?.id ?? null, relayState: request ? relayState ?? '' : undefined });
  }

  okta.route('GET', /^\/app\/([^/]+)\/([^/]+)\/sso\/saml$/, ({ match: [, appName, externalKey], query }) => {
    if (appName !== SAML_APP_NAME) return undefined;
    const encoded = query.get('SAMLRequest');
    return sso(externalKey, encoded ? decodeSamlRequest(encoded) : null, query.get('RelayState'));
  });
  okta.route('POST', /^\/app\/([^/]+)\/([^/]+)\/sso\/saml$/, ({ match: [, appName, externalKey], form }) => {
    if (appName !== SAML_APP_NAME) return undefined;
    const encoded = form?.get('SAMLRequest');
    return sso(externalKey, encoded ? decodeSamlRequest(encoded, { deflated: false }) : null, form?.get('RelayState'));
  });
  okta.route('GET', /^\/home\/([^/]+)\/([^/]+)\/[^/]+$/, ({ match: [, appName, externalKey] }) => {
    if (appName !== SAML_APP_NAME) return undefined;
    return { status: 302, headers: { Location: `/app/${appName}/${externalKey}/sso/saml` }, body: '' };
  });

  return {
    log,
    /** Everything issued that must never be stored or exported (Response base64, signature values, seeded attribute values). */
    secrets: () => [...issued],
  };
}
