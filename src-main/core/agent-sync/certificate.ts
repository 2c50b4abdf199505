// @peculiar/x509 2.x leaves the Reflect polyfill its dependency injection needs to the application.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createPrivateKey, webcrypto, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { isIP } from 'node:net';
import { join } from 'node:path';

export interface ListenerCertificate {
  readonly cert: string;
  readonly key: string;
  /** SHA-256 of the certificate, as agents pin it: 32 bytes in upper-case hex, colon-separated. */
  readonly fingerprint: string;
  /** True when Vigia generated it (self-signed); false when an administrator gave one. */
  readonly generated: boolean;
}

const VALIDITY_YEARS = 10;
const SIGNING = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/**
 * The agent-sync listener's certificate: the one an administrator configured,
 * else the one Vigia generated on first start (kept in the data folder, so
 * its fingerprint, which every agent pins, survives restarts and upgrades).
 */
export async function listenerCertificate(options: {
  readonly folder: string;
  readonly certFile?: string;
  readonly keyFile?: string;
  readonly names?: readonly string[];
}): Promise<ListenerCertificate> {
  if (options.certFile || options.keyFile) {
    if (!options.certFile || !options.keyFile) throw new Error('give both the certificate and its key file');
    const cert = readFileSync(options.certFile, 'utf8');
    const key = readFileSync(options.keyFile, 'utf8');
    return { cert, key, fingerprint: fingerprintOf(cert), generated: false };
  }
  const certFile = join(options.folder, 'agent-sync.crt');
  const keyFile = join(options.folder, 'agent-sync.key');
  if (existsSync(certFile) && existsSync(keyFile)) {
    const cert = readFileSync(certFile, 'utf8');
    return { cert, key: readFileSync(keyFile, 'utf8'), fingerprint: fingerprintOf(cert), generated: true };
  }
  const { cert, key } = await generateSelfSigned(options.names ?? []);
  mkdirSync(options.folder, { recursive: true });
  // The private key is readable by its owner only; the certificate is public.
  writeFileSync(keyFile, key, { mode: 0o600 });
  writeFileSync(certFile, cert);
  return { cert, key, fingerprint: fingerprintOf(cert), generated: true };
}

export function fingerprintOf(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256;
}

/** A fingerprint as people paste it (any case, with or without colons or spaces) in the one form compared. */
export function normalizeFingerprint(text: string): string | null {
  const hex = text.replace(/[\s:]/g, '').toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) return null;
  return hex.match(/../g)!.join(':');
}

async function generateSelfSigned(extraNames: readonly string[]): Promise<{ cert: string; key: string }> {
  // Node's WebCrypto is the standard one; the two type declarations merely differ in a newer algorithm.
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const keys = await webcrypto.subtle.generateKey(SIGNING, true, ['sign', 'verify']);
  const names = [...new Set(['localhost', hostname(), '127.0.0.1', ...extraNames])];
  const notBefore = new Date(Date.now() - 86_400_000);
  const notAfter = new Date(notBefore.getTime() + VALIDITY_YEARS * 365 * 86_400_000);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(16)))
      .toString('hex')
      .replace(/^[89a-f]/, '1'),
    name: `CN=Vigia central ${hostname()}`,
    notBefore,
    notAfter,
    signingAlgorithm: SIGNING,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(
        names.map((value) => (isIP(value) ? { type: 'ip' as const, value } : { type: 'dns' as const, value })),
      ),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  const key = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' })
    .export({ format: 'pem', type: 'pkcs8' })
    .toString();
  return { cert: certificate.toString('pem'), key };
}
