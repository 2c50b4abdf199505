import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { ScryptOptions } from 'node:crypto';

/**
 * scrypt hashes stored as `scrypt$N$r$p$salt$hash` (base64): the parameters
 * travel with each hash, so they can be raised later and every older hash
 * still verifies with the parameters it was made with.
 */
export interface ScryptParameters {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** About 50 ms and 16 MiB per hash on this class of machine: slow for guessing, fine for a login. */
export const CURRENT_PARAMETERS: ScryptParameters = { N: 16_384, r: 8, p: 1 };
const KEY_BYTES = 32;
const SALT_BYTES = 16;

function derive(password: string, salt: Buffer, params: ScryptParameters): Promise<Buffer> {
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

export async function hashPassword(password: string, params: ScryptParameters = CURRENT_PARAMETERS): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

function parse(encoded: string): { params: ScryptParameters; salt: Buffer; key: Buffer } | null {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every((v) => Number.isInteger(v) && v > 0)) return null;
  return { params: { N, r, p }, salt: Buffer.from(parts[4]!, 'base64'), key: Buffer.from(parts[5]!, 'base64') };
}

/** Constant-time comparison with the parameters stored in the hash. A malformed hash never verifies. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const stored = parse(encoded);
  if (!stored || stored.key.length !== KEY_BYTES) return false;
  const key = await derive(password, stored.salt, stored.params);
  return timingSafeEqual(key, stored.key);
}

/** True when the hash was made with weaker parameters than today's: rehash at the next successful login. */
export function needsRehash(encoded: string, params: ScryptParameters = CURRENT_PARAMETERS): boolean {
  const stored = parse(encoded);
  return !stored || stored.params.N < params.N || stored.params.r < params.r || stored.params.p < params.p;
}
