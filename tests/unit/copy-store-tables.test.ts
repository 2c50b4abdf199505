import { getTableName, is } from 'drizzle-orm';
import { MsSqlTable } from 'drizzle-orm/mssql-core';
import { describe, expect, it } from 'vitest';
import { COPIED_TABLES } from '../../src-main/core/store/copy-store';
import * as schema from '../../src-main/core/store/mssql/schema';

describe('migrate-store', () => {
  it('copies every table of the SQL Server schema: a new table cannot be forgotten', () => {
    const all = (Object.values(schema) as unknown[])
      .filter((value): value is MsSqlTable => is(value, MsSqlTable))
      .map((table) => getTableName(table))
      .sort();
    expect(COPIED_TABLES.map((table) => getTableName(table)).sort()).toEqual(all);
  });
});
