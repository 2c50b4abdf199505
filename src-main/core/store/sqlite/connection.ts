import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { FORM_FIELD } from '../../../../src-shared/domain/validation';
import { conflict } from '../../errors';

export type SqliteDb = BetterSQLite3Database & { $client: Database.Database };
export type SqliteTx = Parameters<Parameters<SqliteDb['transaction']>[0]>[0];

/** SQL Server accepts at most 2,100 parameters per statement; stay far below for every dialect. */
export const IN_LIST_CHUNK = 500;

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

/**
 * Opens the file and brings its schema up to date. WAL lets the UI read while
 * a sweep writes; foreign keys are off by default in SQLite and must be
 * switched on per connection.
 */
export function openSqliteDb(file: string, migrationsFolder: string, readOnly = false): SqliteDb {
  // A reader beside the one writer (the BI export's worker) neither migrates nor writes; WAL lets it read meanwhile.
  const client = new Database(file, { readonly: readOnly, fileMustExist: readOnly });
  client.pragma('busy_timeout = 5000');
  if (readOnly) return drizzle({ client });
  client.pragma('journal_mode = WAL');
  client.pragma('foreign_keys = ON');
  // NORMAL is durable across application crashes in WAL mode; only a power cut can lose the last commit.
  client.pragma('synchronous = NORMAL');
  const db = drizzle({ client });
  migrate(db, { migrationsFolder });
  return db;
}

/**
 * Turns SQLite's unique-constraint failures into conflicts that name the
 * field, so the operator sees "code already in use" next to the code box.
 */
export function translateConstraints<T>(write: () => T): T {
  try {
    return write();
  } catch (error) {
    const message = rootMessage(error);
    if (message.includes('UNIQUE constraint failed: areas.code')) {
      throw conflict('an area with this code already exists', 'code', 'duplicate_area_code');
    }
    if (message.includes('UNIQUE constraint failed: maintenance_cases.device_id')) {
      throw conflict('the device already has an open maintenance case', FORM_FIELD, 'case_already_open');
    }
    if (message.includes('UNIQUE constraint failed: shutdown_requests.device_id')) {
      throw conflict('the device already has a pending shutdown request', FORM_FIELD, 'request_pending');
    }
    if (message.includes('UNIQUE constraint failed: users.username')) {
      throw conflict('a user with this username already exists', 'username', 'duplicate_username');
    }
    if (message.includes('UNIQUE constraint failed: devices.area_id, devices.name')) {
      throw conflict('a device with this name already exists in the area', 'name', 'duplicate_device_name');
    }
    throw error;
  }
}

function rootMessage(error: unknown): string {
  let current: unknown = error;
  const parts: string[] = [];
  while (current instanceof Error) {
    parts.push(current.message);
    current = current.cause;
  }
  return parts.join(' | ');
}
