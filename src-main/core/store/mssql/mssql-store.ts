import mssql from 'mssql';
import type { Clock } from '../../runtime';
import type { Store } from '../port';
import { msAccounts } from './accounts';
import { msAudit } from './audit';
import { msCatalog, msSettings } from './catalog';
import type { MssqlConnection } from './config';
import { connectionFailure, driverConfig } from './config';
import { openMssqlDb } from './connection';
import { msMonitor } from './monitor';
import { msTimelines } from './timelines';
import { msWorkflows } from './workflows';

export interface MssqlStoreOptions {
  readonly connection: MssqlConnection;
  readonly migrationsFolder: string;
  readonly clock: Clock;
  /** A reader beside the writer (the BI export's worker): no migrations. */
  readonly readOnly?: boolean;
}

/**
 * The store on SQL Server, shared by the central and the consoles of a
 * control room: one adapter per concern of the port over one pool. It
 * connects and migrates before anything else starts, and fails with the
 * reason (login, database, TLS, timeout) rather than half-way.
 */
export async function openMssqlStore(options: MssqlStoreOptions): Promise<Store> {
  const pool = new mssql.ConnectionPool(driverConfig(options.connection));
  // An idle pool connection that breaks must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  try {
    await pool.connect();
  } catch (error) {
    throw connectionFailure(error, options.connection);
  }
  try {
    const db = await openMssqlDb(pool, options.migrationsFolder, options.readOnly ?? false);
    const handle = { pool, db };
    return {
      ...msCatalog(handle, options.clock),
      ...msSettings(handle, options.clock),
      ...msMonitor(handle),
      ...msTimelines(handle),
      ...msWorkflows(handle),
      ...msAccounts(handle, options.clock),
      ...msAudit(handle),
      close: () => pool.close(),
    };
  } catch (error) {
    await pool.close();
    throw error;
  }
}
