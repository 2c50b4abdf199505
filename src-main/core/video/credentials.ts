import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { writeAtomically } from '../setup/installation';
import type { MssqlConnection } from '../store/mssql/config';
import type { StoreConfig } from '../store/open';

/**
 * Camera passwords live in the shared store sealed (AES-256-GCM), never in
 * clear. The key must be the same on every copy that may look at a camera:
 * over SQL Server it is derived from the store's own login password (which
 * the central and its consoles all hold, and a backup of the database does
 * not); on the embedded store it is a key file beside it, readable only by
 * its user (the desktop keeps it sealed by the OS instead).
 */
export class CredentialSeal {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('a camera credential key is 32 bytes');
  }

  seal(text: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const sealed = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
    return [iv, cipher.getAuthTag(), sealed].map((b) => b.toString('base64')).join('.');
  }

  /** The text, or null when it was sealed by another key (a password changed, another installation). */
  open(sealed: string): string | null {
    const [iv, tag, text] = sealed.split('.').map((part) => Buffer.from(part, 'base64'));
    if (!iv || !tag || !text) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(text), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  }
}

export const CAMERA_KEY_FILE = 'camera.key';

/** A random key kept in a 0600 file, made on first need. */
export function keyFromFile(file: string): Buffer {
  if (existsSync(file)) {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length === 32) return key;
    throw new Error(`${file} is not a Vigia camera key (32 bytes in base64)`);
  }
  const key = randomBytes(32);
  writeAtomically(file, key.toString('base64'), 0o600);
  return key;
}

/** The key of a store: derived from a SQL Server login's password, or the embedded store's own. */
export function cameraKeyOf(store: StoreConfig, embeddedKey: () => Buffer): Buffer {
  return store.dialect === 'sqlite' ? embeddedKey() : serverCameraKey(store.connection);
}

/**
 * SQL Server's camera key: derived from its login's password, so every copy
 * that logs in has the same. Not from the server's name: a central on the
 * database's machine may reach it as `localhost` while its consoles type `db01`.
 */
export function serverCameraKey({ database, authentication }: MssqlConnection): Buffer {
  const salt = `vigia-camera-credentials:${database}/${authentication.user}`;
  return Buffer.from(hkdfSync('sha256', authentication.password, salt, 'camera passwords', 32));
}

/** Opens with one key and seals with another (a store moved to SQL Server): null when the first does not open it. */
export function resealer(from: CredentialSeal, to: CredentialSeal): (sealed: string) => string | null {
  return (sealed) => {
    const text = from.open(sealed);
    return text === null ? null : to.seal(text);
  };
}
