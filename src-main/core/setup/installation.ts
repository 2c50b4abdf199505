import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { SetupInput } from '../../../src-shared/domain/setup';

/**
 * What the first-run wizard saved: `vigia.json` says what this copy is; the
 * SQL Server password or the agent key are kept apart by a `SecretsKeeper` —
 * headless, a file only its user can read (0600); on the desktop, encrypted
 * by the OS (safeStorage: DPAPI on Windows). Never in the configuration
 * file, a log or the audit.
 */
export const CONFIG_FILE = 'vigia.json';
export const SECRETS_FILE = 'secrets.json';

export const Secrets = z.object({ password: z.string().optional(), key: z.string().optional() }).strict();
export type Secrets = z.infer<typeof Secrets>;

export interface SecretsKeeper {
  /** The file the secrets live in, named in errors. */
  readonly file: string;
  /** Throws, saying why, when the secrets cannot be kept safely. */
  save(dataDir: string, secrets: Secrets): void;
  /** The saved secrets; none when nothing was saved. */
  load(dataDir: string): Secrets;
}

/** Headless: a JSON file readable only by the user Vigia runs as. */
export const fileSecrets: SecretsKeeper = {
  file: SECRETS_FILE,
  save: (dataDir, secrets) => writeAtomically(join(dataDir, SECRETS_FILE), JSON.stringify(secrets), 0o600),
  load: (dataDir) => {
    const file = join(dataDir, SECRETS_FILE);
    return existsSync(file) ? Secrets.parse(JSON.parse(readFileSync(file, 'utf8'))) : {};
  },
};

/** The saved configuration with its secrets put back: what the runner starts from. */
export type Installation = SetupInput;

export function isConfigured(dataDir: string): boolean {
  return existsSync(join(dataDir, CONFIG_FILE));
}

export function readInstallation(dataDir: string, keeper: SecretsKeeper = fileSecrets): Installation | null {
  const file = join(dataDir, CONFIG_FILE);
  if (!existsSync(file)) return null;
  try {
    const config = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    return SetupInput.parse({ ...config, ...keeper.load(dataDir) });
  } catch (error) {
    throw new Error(
      `${file} (or ${keeper.file} beside it) is not a valid Vigia configuration: ${error instanceof Error ? error.message : String(error)}. ` +
        'Fix it, or remove both files to run the first-run wizard again.',
    );
  }
}

/** Writes the secrets first, then the configuration: a copy is configured only once both are there. */
export function writeInstallation(dataDir: string, input: Installation, keeper: SecretsKeeper = fileSecrets): void {
  mkdirSync(dataDir, { recursive: true });
  const { password, key, ...config } = { password: undefined, key: undefined, ...input } as Record<string, unknown>;
  const secrets = Secrets.parse({ ...(password ? { password } : {}), ...(key ? { key } : {}) });
  keeper.save(dataDir, secrets);
  writeAtomically(join(dataDir, CONFIG_FILE), `${JSON.stringify(config, null, 2)}\n`, 0o644);
}

export function writeAtomically(file: string, text: string, mode: number): void {
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, text, { mode });
  // The mode given to writeFileSync is narrowed by the umask, never widened: set it exactly.
  chmodSync(temporary, mode);
  renameSync(temporary, file);
}
