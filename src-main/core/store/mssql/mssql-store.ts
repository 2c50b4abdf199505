import mssql from 'mssql';
import type { Clock } from '../../runtime';
import type { Store } from '../port';
import { msAccounts } from './accounts';
import { msAgents } from './agents';
import { msAlarms } from './alarms';
import { msCameras } from './cameras';
import { msAudit } from './audit';
import { msCatalog, msSettings } from './catalog';
import type { MssqlConnection } from './config';
import { connectionFailure, driverConfig } from './config';
import { openMssqlDb, SQL_ERRORS } from './connection';
import { msMonitor } from './monitor';
import { msTimelines } from './timelines';
import { msWorkflows } from './workflows';

/**
 * A refused login hides which of the two failed, the login or the database
 * (the driver keeps no error number for it): the same credentials are tried
 * on `master`. If they work there, it is the database that is missing.
 */
async function diagnose(error: unknown, connection: MssqlConnection): Promise<Error> {
  const failure = connectionFailure(error, connection);
  if ((error as { code?: unknown }).code !== 'ELOGIN' || connection.database === 'master') return failure;
  const master = new mssql.ConnectionPool(driverConfig(connection, 'master'));
  master.on('error', () => undefined);
  try {
    await master.connect();
    return connectionFailure({ number: SQL_ERRORS.databaseMissing }, connection);
  } catch {
    return failure;
  } finally {
    await master.close().catch(() => undefined);
  }
}

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
    throw await diagnose(error, options.connection);
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
      ...msAgents(handle),
      ...msAlarms(handle),
      ...msCameras(handle, options.clock),
      async describeStore() {
        const result = await pool.request().query<{ version: string }>('SELECT @@VERSION AS version');
        return { dialect: 'mssql' as const, version: result.recordset[0]?.version ?? 'unknown' };
      },
      async storeSizeBytes() {
        // Data files only, in 8 KB pages: the log does not count toward Express's 10 GB cap.
        const result = await pool
          .request()
          .query<{ bytes: number | string | null }>(
            'SELECT SUM(CAST(size AS bigint)) * 8192 AS bytes FROM sys.database_files WHERE type = 0',
          );
        return Number(result.recordset[0]?.bytes ?? 0);
      },
      close: () => pool.close(),
    };
  } catch (error) {
    await pool.close();
    throw error;
  }
}
