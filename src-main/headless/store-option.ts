import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseMssqlUrl } from '../core/store/mssql/config';
import type { MssqlStoreConfig } from '../core/store/open';

export function mssqlMigrationsFolder(appRoot: string): string {
  return join(appRoot, 'resources', 'migrations', 'mssql');
}

/**
 * A SQL Server given on the command line: the address there, the password
 * never (a command line is visible to every user of the machine, and in the
 * process list). It comes from --store-password-file, else the
 * VIGIA_STORE_PASSWORD environment variable.
 */
export function mssqlFromCommandLine(
  url: string,
  options: { passwordFile?: string | undefined; env: NodeJS.ProcessEnv; appRoot: string; option: string },
): MssqlStoreConfig {
  // Looked for before parsing: a password with '#' or '/' would not even parse as a URL.
  const hasPassword = /^[a-z]+:\/\/[^/@]*:[^@]*@/i.test(url);
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    if (!hasPassword) throw new Error(`${options.option} is not a URL (mssql://user@server/database)`);
  }
  if (hasPassword || parsed?.password) {
    throw new Error(
      `${options.option} must not hold the password (the command line is visible to other users): ` +
        'put it in a file given with --store-password-file, or in VIGIA_STORE_PASSWORD',
    );
  }
  let password: string | undefined;
  if (options.passwordFile) {
    try {
      password = readFileSync(options.passwordFile, 'utf8').replace(/\r?\n$/, '');
    } catch (error) {
      throw new Error(
        `the password file ${options.passwordFile} cannot be read (${(error as NodeJS.ErrnoException).code})`,
      );
    }
  } else {
    password = options.env.VIGIA_STORE_PASSWORD;
  }
  if (!password) {
    throw new Error(`no password for ${options.option}: give --store-password-file, or set VIGIA_STORE_PASSWORD`);
  }
  return {
    dialect: 'mssql',
    connection: parseMssqlUrl(url, password),
    migrationsFolder: mssqlMigrationsFolder(options.appRoot),
  };
}
