import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_AGENT_STATUS_PORT } from '../agent/start';
import type { AgentSyncOptions } from '../agent-sync/start';
import { STORE_FILE } from '../paths';
import type { Installation } from '../setup/installation';
import { parseMssqlUrl } from '../store/mssql/config';
import type { CoreLaunch } from './protocol';

/** Where an installed copy keeps things and finds its resources. */
export interface InstalledPlaces {
  readonly dataDir: string;
  readonly migrations: { readonly sqlite: string; readonly mssql: string; readonly agent: string };
  readonly exportWorkerFile?: string;
  /** How a central listens for its areas' agents. */
  readonly agentSync: AgentSyncOptions | null;
  readonly version: string;
  /** The embedded store's camera key (base64), when this copy has one. */
  readonly cameraKey?: string | null;
}

/**
 * What core runs for a saved configuration. No configuration: the
 * wizard — unless the data folder already holds a store (a copy from before
 * the wizard existed), which goes on as the central it was.
 */
export function launchFor(installation: Installation | null, places: InstalledPlaces): CoreLaunch {
  const exportsFolder = join(places.dataDir, 'exports');
  // What every instance launch carries when this copy has it.
  const extras = {
    ...(places.exportWorkerFile ? { exportWorkerFile: places.exportWorkerFile } : {}),
    ...(places.cameraKey ? { cameraKey: places.cameraKey } : {}),
  };
  const embedded = {
    kind: 'instance',
    mode: 'central',
    store: { dialect: 'sqlite', file: join(places.dataDir, STORE_FILE), migrationsFolder: places.migrations.sqlite },
    exportsFolder,
    agentSync: places.agentSync,
    ...extras,
  } as const;
  if (!installation) return existsSync(join(places.dataDir, STORE_FILE)) ? embedded : { kind: 'setup' };
  if (installation.mode === 'agent') {
    return {
      kind: 'agent',
      centralUrl: installation.central,
      areaCode: installation.area,
      key: installation.key,
      fingerprint: installation.fingerprint || null,
      dataDir: join(places.dataDir, 'agent'),
      migrationsFolder: places.migrations.agent,
      version: places.version,
      // Where the headless agent shows it too, so an installer finds it at the same address.
      statusPort: DEFAULT_AGENT_STATUS_PORT,
      ...(places.cameraKey ? { cameraKey: places.cameraKey } : {}),
    };
  }
  if (installation.store === 'sqlite') return embedded;
  return {
    kind: 'instance',
    mode: installation.mode,
    store: {
      dialect: 'mssql',
      connection: parseMssqlUrl(installation.url, installation.password),
      migrationsFolder: places.migrations.mssql,
    },
    exportsFolder,
    // A console syncs no agent: they talk to the central.
    agentSync: installation.mode === 'central' ? places.agentSync : null,
    ...extras,
  };
}
