import Database from 'better-sqlite3';
import mssql from 'mssql';
import { getTableConfig } from 'drizzle-orm/mssql-core';
import type { MsSqlTable } from 'drizzle-orm/mssql-core';
import { driverConfig, connectionFailure } from './mssql/config';
import type { MssqlConnection } from './mssql/config';
import { openMssqlDb } from './mssql/connection';
import * as target from './mssql/schema';
import { openSqliteDb } from './sqlite/connection';

/** Tables in the order their foreign keys need; every row of each is copied (a unit test checks none is missing). */
export const COPIED_TABLES: readonly MsSqlTable[] = [
  target.areas,
  target.users,
  target.devices,
  target.userPermissions,
  target.userAreas,
  target.settings,
  target.stateSegments,
  target.probeRollups,
  target.probeRollupsHourly,
  target.probeResults,
  target.statusChanges,
  target.sweeps,
  target.maintenanceCases,
  target.shutdownRequests,
  target.auditLog,
  target.sessions,
  target.agents,
  target.agentBatches,
  target.agentHeartbeats,
  target.monitorLease,
  target.alarms,
  target.alarmDeliveries,
  target.shiftNotes,
  target.cameraAccess,
  target.videoHealth,
];

/**
 * Columns that point into their own table, copied as NULL first and set once
 * the whole table is there: a device's parent may come after it in id order.
 */
const SELF_REFERENCES: Readonly<Record<string, readonly string[]>> = { devices: ['parent_id'] };

const CHUNK = 5000;

export interface CopyProgress {
  readonly table: string;
  readonly copied: number;
  readonly total: number;
}

export interface CopyReport {
  readonly tables: ReadonlyArray<{ table: string; source: number; target: number }>;
  readonly matches: boolean;
  /** Camera passwords sealed again for SQL Server's key, and those that could not be (copied as they were). */
  readonly cameraPasswords: { readonly resealed: number; readonly left: number };
}

/** Opens a password sealed by the embedded store's key and seals it by SQL Server's; null when it cannot be opened. */
export type Reseal = (sealed: string) => string | null;

/** Columns rewritten on the way: the camera passwords, whose key changes with the store (see video/credentials.ts). */
const RESEALED: Readonly<Record<string, string>> = { camera_access: 'password_sealed' };

function sqlType(type: string): mssql.ISqlType | (() => mssql.ISqlType) {
  const base = type.toLowerCase();
  if (base === 'int') return mssql.Int;
  if (base === 'bigint') return mssql.BigInt;
  if (base === 'bit') return mssql.Bit;
  if (base === 'float') return mssql.Float;
  const sized = /^(nvarchar|varbinary)\((max|\d+)\)$/.exec(base);
  if (sized) {
    const length = sized[2] === 'max' ? mssql.MAX : Number(sized[2]);
    return sized[1] === 'nvarchar' ? mssql.NVarChar(length) : mssql.VarBinary(length);
  }
  throw new Error(`no copy rule for column type ${type}`);
}

/**
 * Copies a trial installation's whole SQLite store into a SQL Server
 * database (users start on the embedded store and outgrow it). Rows keep
 * their ids. It can be run again: rows already there are skipped by their
 * key, so an interrupted copy resumes where it stopped. At the end the rows
 * of every table are counted on both sides.
 */
export async function copySqliteToMssql(options: {
  readonly sqliteFile: string;
  readonly sqliteMigrations: string;
  readonly to: MssqlConnection;
  readonly mssqlMigrations: string;
  readonly onProgress?: (progress: CopyProgress) => void;
  /** Without it (no key beside the embedded store), camera passwords are copied sealed as they were. */
  readonly reseal?: Reseal;
}): Promise<CopyReport> {
  // Brought to the current schema first, as the application would on its next start.
  openSqliteDb(options.sqliteFile, options.sqliteMigrations).$client.close();
  const source = new Database(options.sqliteFile, { readonly: true, fileMustExist: true });
  const pool = new mssql.ConnectionPool(driverConfig(options.to));
  pool.on('error', () => undefined);
  try {
    await pool.connect();
  } catch (error) {
    source.close();
    throw connectionFailure(error, options.to);
  }
  try {
    await openMssqlDb(pool, options.mssqlMigrations, false);
    const tables: Array<{ table: string; source: number; target: number }> = [];
    const cameraPasswords = { resealed: 0, left: 0 };
    const rewrite = (sealed: string) => {
      const again = options.reseal?.(sealed) ?? null;
      cameraPasswords[again === null ? 'left' : 'resealed']++;
      return again ?? sealed;
    };
    for (const table of COPIED_TABLES) {
      const config = getTableConfig(table);
      const { count: total } = source.prepare(`SELECT COUNT(*) AS count FROM "${config.name}"`).get() as {
        count: number;
      };
      await copyTable(source, pool, table, total, rewrite, options.onProgress);
      await copySelfReferences(source, pool, config.name);
      const counted = await pool.request().query(`SELECT COUNT_BIG(*) AS n FROM [${config.name}]`);
      tables.push({
        table: config.name,
        source: total,
        target: Number((counted.recordset[0] as { n: number | string }).n),
      });
    }
    return { tables, matches: tables.every((t) => t.source === t.target), cameraPasswords };
  } finally {
    source.close();
    await pool.close();
  }
}

async function copyTable(
  source: Database.Database,
  pool: mssql.ConnectionPool,
  table: MsSqlTable,
  total: number,
  rewrite: (sealed: string) => string,
  onProgress?: (progress: CopyProgress) => void,
): Promise<void> {
  const config = getTableConfig(table);
  const columns = config.columns.map((c) => ({
    name: c.name,
    type: sqlType(c.getSQLType()),
    identity: 'identity' in c && !!(c as { identity?: unknown }).identity,
  }));
  const key = config.primaryKeys[0]?.columns.map((c) => c.name) ?? [columns[0]!.name];
  const hasIdentity = columns.some((c) => c.identity);
  const names = columns.map((c) => `[${c.name}]`).join(', ');
  const deferred = SELF_REFERENCES[config.name] ?? [];
  const sourceNames = columns.map((c) => (deferred.includes(c.name) ? 'NULL' : `"${c.name}"`)).join(', ');
  const match = key.map((k) => `t.[${k}] = s.[${k}]`).join(' AND ');
  const resealed = columns.findIndex((c) => c.name === RESEALED[config.name]);
  let copied = 0;
  for (let offset = 0; offset < total; offset += CHUNK) {
    const rows = source
      .prepare(
        `SELECT ${sourceNames} FROM "${config.name}" ORDER BY ${key.map((k) => `"${k}"`).join(', ')} LIMIT ? OFFSET ?`,
      )
      .raw()
      .all(CHUNK, offset) as unknown[][];
    if (resealed >= 0) {
      for (const row of rows) if (typeof row[resealed] === 'string') row[resealed] = rewrite(row[resealed]);
    }
    const transaction = pool.transaction();
    await transaction.begin();
    try {
      const staged = new mssql.Table('#copy');
      staged.create = true;
      for (const column of columns) staged.columns.add(column.name, column.type, { nullable: true });
      for (const row of rows)
        staged.rows.add(
          ...(row.map((v) => (typeof v === 'bigint' ? Number(v) : v)) as Array<string | number | Buffer | null>),
        );
      await new mssql.Request(transaction).query(`IF OBJECT_ID('tempdb..#copy') IS NOT NULL DROP TABLE #copy`);
      await new mssql.Request(transaction).bulk(staged);
      await new mssql.Request(transaction).query(
        `${hasIdentity ? `SET IDENTITY_INSERT [${config.name}] ON;` : ''}
         INSERT INTO [${config.name}] (${names}) SELECT ${names} FROM #copy s
         WHERE NOT EXISTS (SELECT 1 FROM [${config.name}] t WHERE ${match});
         ${hasIdentity ? `SET IDENTITY_INSERT [${config.name}] OFF;` : ''}
         DROP TABLE #copy;`,
      );
      await transaction.commit();
    } catch (error) {
      await transaction.rollback().catch(() => undefined);
      throw error;
    }
    copied += rows.length;
    onProgress?.({ table: config.name, copied, total });
  }
  if (total === 0) onProgress?.({ table: config.name, copied: 0, total: 0 });
}

/** Sets the self-referencing columns of `table` (see SELF_REFERENCES) from the source, in chunks. */
async function copySelfReferences(source: Database.Database, pool: mssql.ConnectionPool, table: string): Promise<void> {
  for (const column of SELF_REFERENCES[table] ?? []) {
    const rows = source
      .prepare(`SELECT "id" AS id, "${column}" AS ref FROM "${table}" WHERE "${column}" IS NOT NULL ORDER BY "id"`)
      .all() as Array<{ id: number; ref: number }>;
    for (let i = 0; i < rows.length; i += CHUNK) {
      await pool
        .request()
        .input('rows', mssql.NVarChar(mssql.MAX), JSON.stringify(rows.slice(i, i + CHUNK)))
        .query(
          `UPDATE t SET [${column}] = j.ref FROM [${table}] t JOIN OPENJSON(@rows) WITH (id int, ref int) j ON t.[id] = j.id`,
        );
    }
  }
}
