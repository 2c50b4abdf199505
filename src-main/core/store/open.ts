import type { Clock } from '../runtime';
import type { Store } from './port';
import { openSqliteStore } from './sqlite/sqlite-store';

/** Where a store lives; the dialect picks the adapter, and nothing else ever asks which one it is. */
export interface SqliteStoreConfig {
  readonly dialect: 'sqlite';
  readonly file: string;
  readonly migrationsFolder: string;
}

export type StoreConfig = SqliteStoreConfig;

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
  }
}
