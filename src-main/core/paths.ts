import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_NAME = 'Vigia';

/**
 * The per-user application-data folder, the same one Electron's
 * app.getPath('userData') gives for this product name, so the desktop app and
 * the headless runner on one workstation share one store.
 */
export function defaultDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_NAME);
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), APP_NAME);
}

export const STORE_FILE = 'vigia.sqlite';
