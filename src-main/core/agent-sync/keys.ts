import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * An area's agent key: `vga_<prefix>_<secret>`. The prefix is public (it
 * names the key in logs and screens, and finds it in the store); the secret
 * is 32 random bytes. Only the SHA-256 of the whole key is stored: a key this
 * long cannot be guessed, so a slow hash would only slow every request.
 */
const KEY_PATTERN = /^vga_([a-z0-9]{10})_([A-Za-z0-9_-]{43})$/;
const PREFIX_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

export interface IssuedKey {
  readonly key: string;
  readonly prefix: string;
  readonly hash: string;
}

export function generateAgentKey(): IssuedKey {
  const prefix = Array.from(randomBytes(10), (byte) => PREFIX_ALPHABET[byte % PREFIX_ALPHABET.length]).join('');
  const key = `vga_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: hashAgentKey(key) };
}

export function hashAgentKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The prefix of a well-formed key, or null: a malformed key is refused before the store is asked. */
export function agentKeyPrefix(key: string): string | null {
  return KEY_PATTERN.exec(key)?.[1] ?? null;
}

/** Compares in constant time, so how long a refusal takes says nothing about the key. */
export function agentKeyMatches(key: string, storedHash: string): boolean {
  const given = Buffer.from(hashAgentKey(key), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}
