// A throwaway TLS certificate for the mock Okta, made with the `openssl` CLI for the Okta host
// names a test maps to the loopback mock (Chromium: --host-resolver-rules + --ignore-certificate-
// errors; Firefox: network.dns.forceResolve + network.socket.forcePort + acceptInsecureCerts), so
// the extension's real Okta host permissions are what the browsers check. Nothing is trusted
// system-wide: the browsers are told to accept it for the test profile only.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A self-signed certificate (RSA 2048, 2 days) for `hosts` (names or IPv4 addresses): {key, cert} as PEM strings. */
export function makeCertificate(hosts) {
  const dir = mkdtempSync(join(tmpdir(), 'okta-medic-tls-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
      '-keyout', key, '-out', cert,
      '-subj', `/CN=${hosts[0]}`,
      '-addext', `subjectAltName=${hosts.map((h) => (/^[\d.]+$/.test(h) ? `IP:${h}` : `DNS:${h}`)).join(',')}`,
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
