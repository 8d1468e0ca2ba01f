// Signing keys for the mock Okta, generated per test run with Node's WebCrypto: the public JWK as
// Okta publishes it in /v1/keys (field order of okta.md §8.6 "JWKS response body") and a signer
// that mints compact JWS tokens with it. Nothing here is a fixture: every run has fresh keys.
const { subtle } = globalThis.crypto;

const RSA = (hash) => ({
  gen: { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash },
  sign: { name: 'RSASSA-PKCS1-v1_5' },
});
const EC = (namedCurve, hash) => ({ gen: { name: 'ECDSA', namedCurve }, sign: { name: 'ECDSA', hash } });

/** The JWS algorithms Okta Medic verifies, as WebCrypto parameters. */
export const ALGS = Object.freeze({
  RS256: RSA('SHA-256'),
  RS384: RSA('SHA-384'),
  RS512: RSA('SHA-512'),
  ES256: EC('P-256', 'SHA-256'),
  ES384: EC('P-384', 'SHA-384'),
});

export const b64url = (bytes) => Buffer.from(bytes).toString('base64url');
export const json64 = (value) => b64url(Buffer.from(JSON.stringify(value)));

/** A kid shaped like Okta's (43 base64url characters, a SHA-256 thumbprint's length). */
export function oktaKid() {
  return b64url(globalThis.crypto.getRandomValues(new Uint8Array(32)));
}

/**
 * A key pair for `alg`.
 * @returns {Promise<{kid: string, alg: string, jwk: object, sign: (claims: object, header?: object) => Promise<string>}>}
 *   `jwk` is the public key as it appears in Okta's JWKS; `sign` returns a compact JWS whose header
 *   is `{kid, alg}` (Okta's order) merged with `header`.
 */
export async function issuerKey(alg = 'RS256', kid = oktaKid()) {
  const { gen, sign } = ALGS[alg];
  const pair = await subtle.generateKey(gen, true, ['sign', 'verify']);
  const raw = await subtle.exportKey('jwk', pair.publicKey);
  const jwk = raw.kty === 'RSA'
    ? { alg, e: raw.e, n: raw.n, kid, kty: 'RSA', use: 'sig' }
    : { alg, crv: raw.crv, x: raw.x, y: raw.y, kid, kty: 'EC', use: 'sig' };
  return {
    kid,
    alg,
    jwk,
    async sign(claims, header = {}) {
      const input = `${json64({ kid, alg, ...header })}.${json64(claims)}`;
      const signature = await subtle.sign(sign, pair.privateKey, Buffer.from(input));
      return `${input}.${b64url(new Uint8Array(signature))}`;
    },
  };
}

/** The same token with its claims replaced and its original signature kept (a forgery). */
export function tamper(token, claims) {
  const [header, , signature] = token.split('.');
  return `${header}.${json64(claims)}.${signature}`;
}
