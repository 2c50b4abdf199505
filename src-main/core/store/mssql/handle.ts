import type mssql from 'mssql';
import type { MsDb } from './connection';

/** What every part of the SQL Server adapter works with: the pool, and drizzle over it. */
export interface MssqlHandle {
  readonly pool: mssql.ConnectionPool;
  readonly db: MsDb;
}
