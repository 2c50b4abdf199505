import type { Clock } from '../runtime';
import type { MssqlConnection } from './mssql/config';
import { openMssqlStore } from './mssql/mssql-store';
import type { Store } from './port';
import { openSqliteStore } from './sqlite/sqlite-store';

/** Where a store lives; the dialect picks the adapter, and nothing else ever asks which one it is. */
export interface SqliteStoreConfig {
  readonly dialect: 'sqlite';
  readonly file: string;
  readonly migrationsFolder: string;
}

/** A SQL Server several workstations share (see mssql/config.ts). */
export interface MssqlStoreConfig {
  readonly dialect: 'mssql';
  readonly connection: MssqlConnection;
  readonly migrationsFolder: string;
}

export type StoreConfig = SqliteStoreConfig | MssqlStoreConfig;

/**
 * The one place a store is opened from its configuration: the shells, the
 * BI export's worker and the tools all come through here.
 */
export function openStore(config: StoreConfig, clock: Clock, options: { readOnly?: boolean } = {}): Promise<Store> {
  switch (config.dialect) {
    case 'sqlite':
      return Promise.resolve(
        openSqliteStore({
          file: config.file,
          migrationsFolder: config.migrationsFolder,
          clock,
          ...(options.readOnly ? { readOnly: true } : {}),
        }),
      );
    case 'mssql':
      return openMssqlStore({
        connection: config.connection,
        migrationsFolder: config.migrationsFolder,
        clock,
        ...(options.readOnly ? { readOnly: true } : {}),
      });
  }
}
