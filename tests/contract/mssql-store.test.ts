import { join } from 'node:path';
import { openMssqlStore } from '../../src-main/core/store/mssql/mssql-store';
import { createTestDatabase, MSSQL_URL } from '../helpers/mssql';
import { APP_ROOT } from '../helpers/temp';
import { storeContract } from './store-contract';

const MIGRATIONS = join(APP_ROOT, 'resources', 'migrations', 'mssql');

/**
 * The same contract against SQL Server, whenever VIGIA_TEST_MSSQL_URL names
 * one (.ci/run starts the Babelfish stand-in; GitHub Actions runs SQL Server
 * 2022). Without it the suite is reported as skipped, never silently absent.
 */
storeContract(
  'SQL Server (VIGIA_TEST_MSSQL_URL)',
  async (clock) => {
    const database = await createTestDatabase();
    const open = () => openMssqlStore({ connection: database.connection, migrationsFolder: MIGRATIONS, clock });
    let store = await open();
    const others: Array<Awaited<ReturnType<typeof open>>> = [];
    return {
      get store() {
        return store;
      },
      async reopen() {
        await store.close();
        store = await open();
        return store;
      },
      async second() {
        const other = await open();
        others.push(other);
        return other;
      },
      async dispose() {
        await store.close();
        for (const other of others) await other.close();
        await database.drop();
      },
    };
  },
  MSSQL_URL ? undefined : 'VIGIA_TEST_MSSQL_URL is not set',
);
