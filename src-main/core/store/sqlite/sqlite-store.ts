import type { Clock } from '../../runtime';
import type { Store } from '../port';
import { sqliteAccounts } from './accounts';
import { sqliteAgents } from './agents';
import { sqliteAlarms } from './alarms';
import { sqliteCameras } from './cameras';
import { sqliteAudit } from './audit';
import { sqliteCatalog, sqliteSettings } from './catalog';
import { openSqliteDb } from './connection';
import { sqliteMonitor } from './monitor';
import { sqliteTimelines } from './timelines';
import { sqliteWorkflows } from './workflows';

export interface SqliteStoreOptions {
  /** A file path, or ':memory:' for throw-away stores. */
  readonly file: string;
  readonly migrationsFolder: string;
  readonly clock: Clock;
  /** Open for reading only, beside the process that writes (no migrations, no writes). */
  readonly readOnly?: boolean;
}

export interface SqliteStore extends Store {
  /** Bytes per table and index, from SQLite's dbstat; for benchmarks and capacity planning. */
  tableSizes(): Array<[string, number]>;
}

/**
 * Embedded store for a single workstation, an agent's buffer, or a trial:
 * one adapter per concern of the port over one connection.
 */
export function openSqliteStore(options: SqliteStoreOptions): SqliteStore {
  const db = openSqliteDb(options.file, options.migrationsFolder, options.readOnly ?? false);
  return {
    ...sqliteCatalog(db, options.clock),
    ...sqliteSettings(db, options.clock),
    ...sqliteMonitor(db),
    ...sqliteTimelines(db),
    ...sqliteWorkflows(db),
    ...sqliteAccounts(db, options.clock),
    ...sqliteAudit(db),
    ...sqliteAgents(db),
    ...sqliteAlarms(db),
    ...sqliteCameras(db, options.clock),
    storeSizeBytes() {
      const pages = db.$client.pragma('page_count', { simple: true }) as number;
      const size = db.$client.pragma('page_size', { simple: true }) as number;
      return Promise.resolve(pages * size);
    },
    describeStore() {
      const { version } = db.$client.prepare('SELECT sqlite_version() AS version').get() as { version: string };
      return Promise.resolve({ dialect: 'sqlite' as const, version: `SQLite ${version}` });
    },
    tableSizes() {
      return db.$client
        .prepare('SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC')
        .all()
        .map((row) => {
          const { name, bytes } = row as { name: string; bytes: number };
          return [name, bytes];
        });
    },
    async close() {
      db.$client.close();
      return Promise.resolve();
    },
  };
}
