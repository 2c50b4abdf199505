import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh folder removed when the returned function is called. */
export function tempDir(prefix = 'vigia-test-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export const APP_ROOT = join(import.meta.dirname, '..', '..');
export const SQLITE_MIGRATIONS = join(APP_ROOT, 'resources', 'migrations', 'sqlite');
