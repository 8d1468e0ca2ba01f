// The signature-verification scenario both browsers' verify specs run: a mock Okta org on
// loopback (tests/mock-okta) over HTTPS (https://127.0.0.1:PORT, a throwaway certificate the
// browsers are told to accept: the online check fetches https: issuers only) publishing two
// fresh RS256 keys for its `default` authorization server, and three access tokens it "issued" (okta.md §5.2 / §8.6 shapes): one signed with a
// published key, the same token with its claims edited, and one signed with a key Okta does not
// publish. Also the built core, loaded in Node, for what the popup must show (the notes are the
// core's words; the specs assert they reach the screen, not what they say).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { issuerKey, tamper } from '../mock-okta/keys.mjs';
import { startMockOkta } from '../mock-okta/server.mjs';
import { makeCertificate } from '../mock-okta/tls.mjs';

/** The finding ids and titles a person sees (DESIGN.md § Finding ids). */
export const SIGNATURE = Object.freeze({
  notChecked: 'jwt.signature_not_checked',
  valid: { id: 'jwt.signature_valid', title: 'Signature valid' },
  invalid: { id: 'jwt.signature_invalid', title: 'Signature does not match' },
  keyNotFound: { id: 'jwt.key_not_found' },
});

export async function startScenario() {
  const okta = await startMockOkta({ tls: makeCertificate(['127.0.0.1']) });
  const [current, next, unpublished] = await Promise.all([issuerKey('RS256'), issuerKey('RS256'), issuerKey('RS256')]);
  okta.setKeys('default', [current.jwk, next.jwk]); // Okta publishes 2–3 keys (okta.md §5.1)

  /** Claims of an access token from the mock's default server, issued 10 min before `now`. */
  const claims = (now, extra = {}) => ({
    ver: 1,
    jti: 'AT.0mP4JKAZX1iACIT4vbEDF7LpvDVjxypPMf0D7uX39RE',
    iss: okta.issuer('default'),
    aud: 'api://default',
    iat: now - 600,
    exp: now + 3000,
    cid: '0oa4dr9kzkykPrLhq0g7',
    uid: '00u47ijy7sRLaeSdC0g7',
    scp: ['openid', 'profile', 'email'],
    auth_time: now - 700,
    sub: 'jane.doe@example.com',
    ...extra,
  });

  return {
    okta,
    unpublishedKid: unpublished.kid,
    /** The published keys (to publish them under another authorization server id too). */
    keys: [current.jwk, next.jwk],
    /** A valid token of authorization server `id` (its iss is that server). */
    tokenFor: (id, now = Math.floor(Date.now() / 1000)) => current.sign(claims(now, { iss: okta.issuer(id) })),
    /** The three tokens, for a paste at `now` (epoch seconds). */
    async tokens(now = Math.floor(Date.now() / 1000)) {
      const valid = await current.sign(claims(now));
      return {
        valid,
        tampered: tamper(valid, claims(now, { scp: ['openid', 'profile', 'email', 'okta.users.manage'] })),
        unknownKid: await unpublished.sign(claims(now)),
      };
    },
  };
}

/** The built wasm core of an unpacked extension directory, initialised in Node. */
export async function loadCore(extensionDir) {
  // The UI module, composed by the extension's own lib/core.js, as its pages do.
  const { compose, ui } = await import(join(extensionDir, 'lib', 'core.js'));
  ui.initSync({ module: readFileSync(join(extensionDir, 'pkg', 'okta_medic_ui_bg.wasm')) });
  return { ...ui, ...compose(ui) };
}

/** Every request carried nothing of the token: not in the URL, not in any header. */
export function leakedToken(requests, token) {
  const [header, payload] = token.split('.');
  return requests.filter((r) =>
    [r.url, ...Object.values(r.headers)].some((v) => String(v).includes(payload) || String(v).includes(header)),
  );
}
