// Signature verification through the BUILT wasm package (WebCrypto) and the native CLI
// (`--jwks`, ring) on the same tokens: keys are generated here with Node's WebCrypto, tokens
// signed with them, then verified valid, tampered and with an unknown kid. Both sides must
// give the same report. Run after ./build.sh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCore } from '../core.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const core = loadCore();
const CLI = join(ROOT, 'target', 'release', 'okta-medic');
const NOW = 1750000000;
const { subtle } = globalThis.crypto;

const b64url = (bytes) => Buffer.from(bytes).toString('base64url');
const json64 = (value) => b64url(Buffer.from(JSON.stringify(value)));

const ALGS = {
  RS256: { gen: { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, sign: { name: 'RSASSA-PKCS1-v1_5' } },
  RS384: { gen: { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-384' }, sign: { name: 'RSASSA-PKCS1-v1_5' } },
  RS512: { gen: { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-512' }, sign: { name: 'RSASSA-PKCS1-v1_5' } },
  ES256: { gen: { name: 'ECDSA', namedCurve: 'P-256' }, sign: { name: 'ECDSA', hash: 'SHA-256' } },
  ES384: { gen: { name: 'ECDSA', namedCurve: 'P-384' }, sign: { name: 'ECDSA', hash: 'SHA-384' } },
};

/** A key pair for `alg`, its public JWK as Okta publishes it, and a signer. */
async function issuerKey(alg, kid) {
  const { gen, sign } = ALGS[alg];
  const pair = await subtle.generateKey(gen, true, ['sign', 'verify']);
  const jwk = await subtle.exportKey('jwk', pair.publicKey);
  delete jwk.key_ops;
  delete jwk.ext;
  return {
    jwk: { ...jwk, kid, alg, use: 'sig' },
    async token(claims) {
      const input = `${json64({ kid, alg })}.${json64(claims)}`;
      const signature = await subtle.sign(sign, pair.privateKey, Buffer.from(input));
      return `${input}.${b64url(new Uint8Array(signature))}`;
    },
  };
}

const claims = {
  ver: 1, jti: 'AT.signature-test', iss: 'https://dev-123456.okta.com/oauth2/default', aud: 'api://default',
  iat: NOW - 60, exp: NOW + 3540, cid: '0oa4dr9kzkykPrLhq0g7', uid: '00u47ijy7sRLaeSdC0g7', scp: ['openid'], sub: 'user@example.com',
};

const dir = mkdtempSync(join(tmpdir(), 'okta-medic-sig-'));
function cli(token, jwks) {
  writeFileSync(join(dir, 'token.txt'), token);
  writeFileSync(join(dir, 'keys.json'), JSON.stringify(jwks));
  return JSON.parse(execFileSync(CLI, ['--json', '--now', String(NOW), '--jwks', join(dir, 'keys.json'), join(dir, 'token.txt')], { encoding: 'utf8' }));
}
const signatureIds = (report) => report.findings.map((f) => f.id).filter((id) => id.startsWith('jwt.signature') || id === 'jwt.key_not_found');

for (const alg of Object.keys(ALGS)) {
  test(`${alg}: valid, tampered and unknown kid agree between wasm (WebCrypto) and CLI (ring)`, async () => {
    const key = await issuerKey(alg, `kid-${alg}`);
    const other = await issuerKey(alg, 'rotated-out');
    const jwks = { keys: [key.jwk] };
    const good = await key.token(claims);
    const [h, , s] = good.split('.');
    const tampered = `${h}.${json64({ ...claims, scp: ['openid', 'okta.users.manage'] })}.${s}`;
    const unknown = await other.token(claims);
    for (const [token, want] of [[good, 'jwt.signature_valid'], [tampered, 'jwt.signature_invalid'], [unknown, 'jwt.key_not_found']]) {
      const wasm = await core.verifyWithJwks(token, NOW, JSON.stringify(jwks));
      assert.deepEqual(signatureIds(wasm), [want], `${alg} wasm ${want}`);
      assert.ok(!wasm.findings.some((f) => f.id === 'jwt.signature_not_checked'));
      assert.deepEqual(wasm, cli(token, jwks), `${alg}: wasm and CLI reports differ for ${want}`);
    }
  });
}

test('a key_not_found report lists the published kids and the command to fetch them', async () => {
  const key = await issuerKey('RS256', 'current');
  const token = await (await issuerKey('RS256', 'gone')).token(claims);
  const report = await core.verifyWithJwks(token, NOW, JSON.stringify({ keys: [key.jwk] }));
  const finding = report.findings.find((f) => f.id === 'jwt.key_not_found');
  assert.match(finding.title, /gone/);
  assert.match(finding.detail, /current/);
  assert.ok(finding.commands.some((c) => c.command.includes('https://dev-123456.okta.com/oauth2/default/v1/keys')));
});

test('a document that is not a JWKS gives a finding, not an exception', async () => {
  const token = await (await issuerKey('ES256', 'k')).token(claims);
  const report = await core.verifyWithJwks(token, NOW, '<html>not json</html>');
  assert.deepEqual(signatureIds(report), ['jwt.signature_not_checked']);
  assert.equal(report.findings.find((f) => f.id === 'jwt.signature_not_checked').severity, 'warning');
});

test('an unverified token offers the consented verify action for its issuer origin only', async () => {
  const token = await (await issuerKey('RS256', 'k')).token(claims);
  const report = core.analyzeText(token, NOW);
  const finding = report.findings.find((f) => f.id === 'jwt.signature_not_checked');
  assert.deepEqual(finding.action, { kind: 'verify_signature', label: "Verify with dev-123456.okta.com's keys", origin: 'https://dev-123456.okta.com/*' });
});
