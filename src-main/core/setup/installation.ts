import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { SetupInput } from '../../../src-shared/domain/setup';

/**
 * What the first-run wizard saved: `vigia.json` says what this copy is,
 * `secrets.json` holds the SQL Server password or the agent key — a file
 * only its user can read (0600), never the configuration file, a log or the
 * audit. (The desktop app keeps the same secrets with safeStorage.)
 */
export const CONFIG_FILE = 'vigia.json';
export const SECRETS_FILE = 'secrets.json';

const Secrets = z.object({ password: z.string().optional(), key: z.string().optional() }).strict();

/** The saved configuration with its secrets put back: what the runner starts from. */
export type Installation = SetupInput;

export function isConfigured(dataDir: string): boolean {
  return existsSync(join(dataDir, CONFIG_FILE));
}

export function readInstallation(dataDir: string): Installation | null {
  const file = join(dataDir, CONFIG_FILE);
  if (!existsSync(file)) return null;
  const secretsFile = join(dataDir, SECRETS_FILE);
  try {
    const config = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const secrets = existsSync(secretsFile) ? Secrets.parse(JSON.parse(readFileSync(secretsFile, 'utf8'))) : {};
    return SetupInput.parse({ ...config, ...secrets });
  } catch (error) {
    throw new Error(
      `${file} (or ${SECRETS_FILE} beside it) is not a valid Vigia configuration: ${error instanceof Error ? error.message : String(error)}. ` +
        'Fix it, or remove both files to run the first-run wizard again.',
    );
  }
}

/** Writes the secrets (0600) first, then the configuration: a copy is configured only once both are there. */
export function writeInstallation(dataDir: string, input: Installation): void {
  mkdirSync(dataDir, { recursive: true });
  const { password, key, ...config } = { password: undefined, key: undefined, ...input } as Record<string, unknown>;
  const secrets = { ...(password ? { password } : {}), ...(key ? { key } : {}) };
  writeAtomically(join(dataDir, SECRETS_FILE), JSON.stringify(secrets), 0o600);
  writeAtomically(join(dataDir, CONFIG_FILE), `${JSON.stringify(config, null, 2)}\n`, 0o644);
}

function writeAtomically(file: string, text: string, mode: number): void {
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, text, { mode });
  // The mode given to writeFileSync is narrowed by the umask, never widened: set it exactly.
  chmodSync(temporary, mode);
  renameSync(temporary, file);
}
