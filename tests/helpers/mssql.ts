import mssql from 'mssql';
import { parseMssqlUrl } from '../../src-main/core/store/mssql/config';
import type { MssqlConnection } from '../../src-main/core/store/mssql/config';
import { driverConfig } from '../../src-main/core/store/mssql/config';

/**
 * The SQL Server of the tests, when there is one: VIGIA_TEST_MSSQL_URL (the
 * Babelfish stand-in here, SQL Server 2022 in GitHub Actions). Each test gets a
 * database of its own, created and dropped through the server's `master`.
 */
export const MSSQL_URL = process.env.VIGIA_TEST_MSSQL_URL;

let counter = 0;

export async function createTestDatabase(): Promise<{ connection: MssqlConnection; drop(): Promise<void> }> {
  const server = parseMssqlUrl(MSSQL_URL!);
  const name = `vigia_test_${process.pid}_${Date.now() % 1e8}_${counter++}`;
  const master = new mssql.ConnectionPool(driverConfig(server, 'master'));
  await master.connect();
  try {
    await master.request().query(`CREATE DATABASE [${name}]`);
  } finally {
    await master.close();
  }
  return {
    connection: { ...server, database: name },
    async drop() {
      const admin = new mssql.ConnectionPool(driverConfig(server, 'master'));
      await admin.connect();
      try {
        // Connections of the test's pools may linger in the server's pool for a moment.
        await admin.request().query(`IF DB_ID('${name}') IS NOT NULL DROP DATABASE [${name}]`);
      } finally {
        await admin.close();
      }
    },
  };
}
