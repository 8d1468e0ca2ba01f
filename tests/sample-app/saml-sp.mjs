// The sample app as a SAML service provider (issue 17) of the mock Okta's SAML apps
// (tests/mock-okta/saml.mjs). Its entity id is `{origin}/saml/metadata`, its Assertion Consumer
// Service `{origin}/saml/acs`:
//   GET  /saml/login?app={variant}   sends an AuthnRequest, HTTP-Redirect binding (raw DEFLATE +
//        base64 + URL-encoding, SAML Bindings §3.4.4.1) to the variant's Okta SSO URL, with a
//        RelayState; the request's ID is remembered as outstanding. With `&binding=post`, the
//        HTTP-POST binding instead (§3.5.4: base64, no DEFLATE, in a self-submitting form)
//   POST /saml/acs                   accepts Okta's POST of the SAMLResponse and answers as an SP
//        library does: 200 signed in, or 403 naming the check the Response failed (status,
//        Destination/Recipient, Audience, validity window, InResponseTo / unsolicited)
// A single-user demo: the outstanding requests are the app's, not a session's (the cross-site POST
// from Okta carries no SameSite=Lax cookie), so an IdP-initiated Response is accepted only while
// no request is outstanding. The signature is not verified here (the mock's key is throwaway);
// these checks are the ones a misconfigured Okta app trips.
import { randomBytes } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { SAML_APPS, SAML_APP_NAME } from '../mock-okta/saml.mjs';

/** An outstanding request is waited for this long (a typical SP's default). */
const OUTSTANDING_MS = 5 * 60_000;
/** Clock skew an SP allows on the validity window. */
const SKEW_MS = 60_000;

const escHtml = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const attrOf = (xml, element, name) => new RegExp(`<(?:\\w+:)?${element}\\b[^>]*\\s${name}="([^"]*)"`).exec(xml)?.[1] ?? null;
const textOf = (xml, element) => new RegExp(`<(?:\\w+:)?${element}\\b[^>]*>([^<]*)<`).exec(xml)?.[1] ?? null;

export function createSamlSp({ origin, okta, now = Date.now }) {
  const outstanding = new Map(); // AuthnRequest ID → sent at
  const log = [];
  const entityId = () => `${origin()}/saml/metadata`;
  const acs = () => `${origin()}/saml/acs`;

  const page = (res, status, text) => {
    res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(
      `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Sample Okta app: SAML</title></head>\n` +
        `<body data-ready="true"><h1>Back from Okta (SAML)</h1><p id="result">${escHtml(text)}</p><p><a href="/">Back to the app</a></p></body></html>\n`,
    );
  };

  function login(res, variant, binding) {
    const key = SAML_APPS[variant];
    if (!key) return page(res, 400, `No such SAML app: ${variant}`);
    const id = `_${randomBytes(16).toString('hex')}`;
    const sso = `${okta}/app/${SAML_APP_NAME}/${key}/sso/saml`;
    const xml =
      `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ` +
      `ID="${id}" Version="2.0" IssueInstant="${new Date(now()).toISOString()}" Destination="${sso}" ` +
      `ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" AssertionConsumerServiceURL="${acs()}">` +
      `<saml:Issuer>${entityId()}</saml:Issuer>` +
      '<samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress" AllowCreate="true"/></samlp:AuthnRequest>';
    outstanding.set(id, now());
    log.push({ what: 'authn-request', variant, id, binding });
    const relayState = `/after-login?${variant}`;
    if (binding === 'post') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(
        `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Signing in…</title></head>\n` +
          `<body onload="document.forms[0].submit()"><form method="POST" action="${escHtml(sso)}">` +
          `<input type="hidden" name="SAMLRequest" value="${Buffer.from(xml, 'utf8').toString('base64')}"/>` +
          `<input type="hidden" name="RelayState" value="${escHtml(relayState)}"/></form></body></html>\n`,
      );
      return undefined;
    }
    const url = new URL(sso);
    url.search = new URLSearchParams({ SAMLRequest: deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64'), RelayState: relayState }).toString();
    res.writeHead(302, { Location: url.href, 'Cache-Control': 'no-store' });
    res.end();
    return undefined;
  }

  /** The checks an SP library makes, in its order: the first failure's message, or null. */
  function rejection(xml) {
    const status = attrOf(xml, 'StatusCode', 'Value');
    if (status !== 'urn:oasis:names:tc:SAML:2.0:status:Success') return `the Response's status is ${status}`;
    const destination = attrOf(xml, 'Response', 'Destination');
    if (destination !== acs()) return `the Response's Destination ${destination} is not this ACS (${acs()})`;
    const recipient = attrOf(xml, 'SubjectConfirmationData', 'Recipient');
    if (recipient !== acs()) return `the Recipient ${recipient} is not this ACS (${acs()})`;
    const audience = textOf(xml, 'Audience');
    if (audience !== entityId()) return `the Audience ${audience} is not this app's entity id (${entityId()})`;
    const t = now();
    const notBefore = Date.parse(attrOf(xml, 'Conditions', 'NotBefore'));
    const notOnOrAfter = Date.parse(attrOf(xml, 'Conditions', 'NotOnOrAfter'));
    if (!(t + SKEW_MS >= notBefore)) return 'the assertion is not yet valid';
    if (!(t - SKEW_MS < notOnOrAfter)) return `the assertion expired at ${new Date(notOnOrAfter).toISOString()}`;
    for (const [id, at] of outstanding) if (t - at > OUTSTANDING_MS) outstanding.delete(id);
    const inResponseTo = attrOf(xml, 'Response', 'InResponseTo');
    if (inResponseTo) {
      if (!outstanding.delete(inResponseTo)) return `InResponseTo ${inResponseTo} answers no request this app sent`;
    } else if (outstanding.size > 0) {
      return 'an unsolicited (IdP-initiated) Response, while this app waits for the answer to its own request';
    }
    return null;
  }

  function consume(res, body) {
    const form = new URLSearchParams(body);
    const encoded = form.get('SAMLResponse');
    if (!encoded) return page(res, 400, 'SAML sign-in failed: no SAMLResponse in the POST.');
    const xml = Buffer.from(encoded, 'base64').toString('utf8');
    const why = rejection(xml);
    log.push({ what: 'acs', ok: !why, why, relayState: form.get('RelayState') });
    if (why) return page(res, 403, `SAML sign-in rejected: ${why}.`);
    return page(res, 200, `Signed in as ${textOf(xml, 'NameID')}.`);
  }

  return {
    log,
    entityId,
    acs,
    /** Answers the SP's routes; false when `path` is not one of them. */
    handle(req, res, path, query, body) {
      if (req.method === 'GET' && path === '/saml/login') {
        login(res, query.get('app') ?? '', query.get('binding') === 'post' ? 'post' : 'redirect');
        return true;
      }
      if (req.method === 'POST' && path === '/saml/acs') {
        consume(res, body);
        return true;
      }
      return false;
    },
  };
}
