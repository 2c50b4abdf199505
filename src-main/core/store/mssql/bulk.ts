import mssql from 'mssql';
import type { TxScope } from './connection';

/** A column of rows sent to the server, with its T-SQL type. */
export type Column = readonly [name: string, type: 'int' | 'bigint' | 'bit' | 'float' | `nvarchar(${number})`];

/**
 * Runs a set-based statement over many rows in one round trip: the rows
 * travel as one JSON parameter, read on the server as a table with
 * `OPENJSON(@rows) WITH (…) AS n`, spliced into the statement where
 * `statement` puts it. A sweep of thousands of devices is a handful of
 * statements, never a round trip per device.
 *
 * Not temporary tables filled by the bulk-load protocol: on the Babelfish
 * stand-in the first temporary table of a connection breaks the next
 * foreign-key check on it. OPENJSON behaves the same on SQL Server (2016 and
 * later) and on the stand-in.
 */
export async function forRows(
  tx: TxScope,
  columns: readonly Column[],
  rows: readonly (readonly unknown[])[],
  statement: (rows: string) => string,
  inputs: Record<string, unknown> = {},
): Promise<unknown[]> {
  if (rows.length === 0) return [];
  const shape = columns.map(([name, type], i) => `[${name}] ${type} '$[${i}]'`).join(', ');
  const request = new mssql.Request(tx.raw);
  for (const [name, value] of Object.entries(inputs)) request.input(name, value);
  request.input('rows', mssql.NVarChar(mssql.MAX), JSON.stringify(rows));
  const result = await request.query(statement(`OPENJSON(@rows) WITH (${shape}) AS n`));
  return (result.recordset as unknown[] | undefined) ?? [];
}

/** One statement on the transaction's connection, with named inputs. */
export function query(
  tx: TxScope,
  text: string,
  inputs: Record<string, unknown> = {},
): Promise<mssql.IResult<unknown>> {
  const request = new mssql.Request(tx.raw);
  for (const [name, value] of Object.entries(inputs)) request.input(name, value);
  return request.query(text);
}
