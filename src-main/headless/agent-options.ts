import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The agent key from its file: never from the command line, which every user of the machine can read. */
export function readAgentKey(file: string | undefined): string {
  if (!file) throw new Error('agent mode needs --key-file <file> holding the area key from the Areas screen');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new Error(`the key file ${file} cannot be read (${(error as NodeJS.ErrnoException).code})`);
  }
}

export function agentMigrationsFolder(appRoot: string): string {
  return join(appRoot, 'resources', 'migrations', 'agent');
}
