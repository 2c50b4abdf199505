import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SafeStorage } from 'electron';
import { z } from 'zod';
import { Secrets, writeAtomically } from '../core/setup/installation';
import type { SecretsKeeper } from '../core/setup/installation';

export const ENCRYPTED_SECRETS_FILE = 'secrets.enc.json';

const Sealed = z.object({ sealedBy: z.literal('safeStorage'), values: z.record(z.string(), z.string()) }).strict();

/** Real encryption by the OS: Linux without a keyring falls back to a fixed key, which is none. */
function encryptionUsable(safeStorage: SafeStorage, platform: NodeJS.Platform): boolean {
  if (!safeStorage.isEncryptionAvailable()) return false;
  return platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text';
}

/**
 * The desktop keeps the SQL Server password and the agent key encrypted by
 * the operating system (safeStorage: DPAPI for the Windows user on Windows,
 * the keychain on macOS, the secret service on Linux). Where the OS offers
 * no real encryption (Linux without a keyring falls back to a fixed key) it
 * refuses to save rather than write a secret that only looks protected.
 */
export function osSecrets(safeStorage: SafeStorage, platform: NodeJS.Platform = process.platform): SecretsKeeper {
  return {
    file: ENCRYPTED_SECRETS_FILE,
    save(dataDir, secrets) {
      const entries = Object.entries(secrets).filter(([, value]) => value !== undefined);
      if (entries.length > 0 && !encryptionUsable(safeStorage, platform)) {
        throw new Error(
          'this computer offers no encryption for secrets (on Linux: a keyring such as gnome-keyring or KWallet); ' +
            'nothing was saved. Use the embedded store, or run Vigia headless (secrets in a file only its user reads).',
        );
      }
      const values = Object.fromEntries(
        entries.map(([name, value]) => [name, safeStorage.encryptString(value).toString('base64')]),
      );
      writeAtomically(
        join(dataDir, ENCRYPTED_SECRETS_FILE),
        JSON.stringify({ sealedBy: 'safeStorage', values }),
        0o600,
      );
    },
    load(dataDir) {
      const file = join(dataDir, ENCRYPTED_SECRETS_FILE);
      if (!existsSync(file)) return {};
      const sealed = Sealed.parse(JSON.parse(readFileSync(file, 'utf8')));
      return Secrets.parse(
        Object.fromEntries(
          Object.entries(sealed.values).map(([name, value]) => [
            name,
            safeStorage.decryptString(Buffer.from(value, 'base64')),
          ]),
        ),
      );
    },
  };
}

export const SEALED_CAMERA_KEY_FILE = 'camera-key.enc';

/**
 * The embedded store's camera key, kept sealed by the OS like the other
 * secrets (made on first need); null where the OS offers no real encryption:
 * then no camera password can be saved on this copy, and it says so.
 */
export function osCameraKey(safeStorage: SafeStorage, dataDir: string, platform: NodeJS.Platform = process.platform) {
  const file = join(dataDir, SEALED_CAMERA_KEY_FILE);
  if (!encryptionUsable(safeStorage, platform)) return null;
  if (existsSync(file)) return safeStorage.decryptString(Buffer.from(readFileSync(file, 'utf8'), 'base64'));
  const key = randomBytes(32).toString('base64');
  writeAtomically(file, safeStorage.encryptString(key).toString('base64'), 0o600);
  return key;
}
