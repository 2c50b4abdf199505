import { join } from 'node:path';
import { openSqliteStore } from '../../src-main/core/store/sqlite/sqlite-store';
import { SQLITE_MIGRATIONS, tempDir } from '../helpers/temp';
import { storeContract } from './store-contract';

storeContract('SQLite (file, WAL)', (clock) => {
  const dir = tempDir();
  const file = join(dir.path, 'vigia.sqlite');
  const open = () => openSqliteStore({ file, migrationsFolder: SQLITE_MIGRATIONS, clock });
  let store = open();
  return Promise.resolve({
    get store() {
      return store;
    },
    async reopen() {
      await store.close();
      store = open();
      return store;
    },
    async dispose() {
      await store.close();
      dir.remove();
    },
  });
});
