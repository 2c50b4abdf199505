import mssql from 'mssql';
import { drizzle } from 'drizzle-orm/node-mssql';
import type { NodeMsSqlDatabase } from 'drizzle-orm/node-mssql';
import { migrate } from 'drizzle-orm/node-mssql/migrator';
import type { DomainError } from '../../errors';

export type MsDb = NodeMsSqlDatabase;

/** SQL Server accepts at most 2,100 parameters per statement; stay far below. */
export const IN_LIST_CHUNK = 500;

/** The error numbers of SQL Server a store must tell apart; never its message texts (the stand-in's differ). */
export const SQL_ERRORS = {
  duplicateKey: 2627,
  duplicateIndexKey: 2601,
  foreignKey: 547,
  loginFailed: 18456,
  databaseMissing: 4060,
  deadlock: 1205,
} as const;

/** The driver error under drizzle's "Failed query" wrapper, with SQL Server's number if there is one. */
export function driverError(error: unknown): { number?: number; code?: string } | null {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const candidate = current as { number?: unknown; code?: unknown; cause?: unknown; originalError?: unknown };
    if (typeof candidate.number === 'number') return { number: candidate.number };
    if (typeof candidate.code === 'string' && /^E[A-Z]+$/.test(candidate.code)) {
      const inner = candidate.originalError as { number?: unknown } | undefined;
      if (inner && typeof inner.number === 'number') return { number: inner.number, code: candidate.code };
      return { code: candidate.code };
    }
    current = candidate.cause ?? candidate.originalError;
  }
  return null;
}

export function isDuplicate(error: unknown): boolean {
  const number = driverError(error)?.number;
  return number === SQL_ERRORS.duplicateKey || number === SQL_ERRORS.duplicateIndexKey;
}

/**
 * Runs `write`; a duplicate key (by SQL Server's error number) becomes the
 * conflict the call site names, since each call can only break one unique
 * rule. Anything else goes up unchanged.
 */
export async function onDuplicate<T>(write: () => Promise<T>, conflict: () => DomainError): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isDuplicate(error)) throw conflict();
    throw error;
  }
}

export interface TxScope {
  /** drizzle bound to the transaction. */
  readonly db: MsDb;
  /** The driver's transaction, for what drizzle does not build (bulk loads of the sweep). */
  readonly raw: mssql.Transaction;
}

/**
 * One transaction: everything `work` does commits together or not at all.
 * Requests on a transaction run one after another on its connection, so
 * `work` awaits each in turn.
 */
export async function inTransaction<T>(
  pool: mssql.ConnectionPool,
  work: (tx: TxScope) => Promise<T>,
  isolation: mssql.IIsolationLevel = mssql.ISOLATION_LEVEL.READ_COMMITTED,
): Promise<T> {
  const raw = pool.transaction();
  await raw.begin(isolation);
  let rolledBack = false;
  raw.on('rollback', () => (rolledBack = true));
  try {
    const result = await work({ db: drizzle({ client: raw }), raw });
    await raw.commit();
    return result;
  } catch (error) {
    // The server may have rolled back already (a deadlock victim); a second rollback would throw.
    if (!rolledBack) await raw.rollback().catch(() => undefined);
    throw error;
  }
}

export async function openMssqlDb(
  pool: mssql.ConnectionPool,
  migrationsFolder: string,
  readOnly: boolean,
): Promise<MsDb> {
  const db = drizzle({ client: pool });
  if (!readOnly) await migrate(db, { migrationsFolder });
  return db;
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

/** The number of rows the last statement of a drizzle write touched. */
export function affected(result: { rowsAffected?: number[] }): number {
  return result.rowsAffected?.at(-1) ?? 0;
}
