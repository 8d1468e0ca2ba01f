// Test tokens for the browser E2E specs, built here rather than pasted as opaque strings so a
// reader sees exactly what each one claims. Shapes follow okta.md §8.6 (Okta access token from a
// custom authorization server); the signatures are fake (nothing here verifies them).

const b64url = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An Okta access token that expired three days before `now` (epoch seconds). */
export function expiredAccessToken(now = Math.floor(Date.now() / 1000)) {
  const exp = now - 3 * 24 * 3600;
  const header = { kid: 'k1-okta-medic-test', alg: 'RS256' };
  const claims = {
    ver: 1,
    jti: 'AT.0mP4JKAZX1iACIT4vbEDF7LpvDVjxypPMf0D7uX39RE',
    iss: 'https://dev-123456.okta.com/oauth2/default',
    aud: 'api://default',
    iat: exp - 3600,
    exp,
    cid: '0oa1b2c3d4e5f6g7h8i9',
    uid: '00u1a2b3c4d5e6f7g8h9',
    scp: ['openid', 'profile', 'email'],
    auth_time: exp - 3700,
    sub: 'jane.doe@example.com',
  };
  return `${b64url(header)}.${b64url(claims)}.${Buffer.from('fake-signature').toString('base64url')}`;
}

/** Three dot-separated segments whose payload is not base64url JSON. */
export const BROKEN_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.not-json!!.sig';

/** What a person must see for each (the contract with the core, DESIGN.md § Finding ids). */
export const EXPECT = Object.freeze({
  expired: { id: 'jwt.expired', titleStart: 'Token expired' },
  broken: { id: 'jwt.malformed', titleStart: 'Malformed JWT' },
});
