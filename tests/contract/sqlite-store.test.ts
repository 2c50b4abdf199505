import { join } from 'node:path';
import { openSqliteStore } from '../../src-main/core/store/sqlite/sqlite-store';
import { SQLITE_MIGRATIONS, tempDir } from '../helpers/temp';
import { storeContract } from './store-contract';

storeContract('SQLite (file, WAL)', (clock) => {
  const dir = tempDir();
  const file = join(dir.path, 'vigia.sqlite');
  const open = () => openSqliteStore({ file, migrationsFolder: SQLITE_MIGRATIONS, clock });
  let store = open();
  const seconds: Array<ReturnType<typeof open>> = [];
  return Promise.resolve({
    get store() {
      return store;
    },
    async reopen() {
      await store.close();
      store = open();
      return store;
    },
    second() {
      // Another process on the same file: its own connection.
      const other = open();
      seconds.push(other);
      return Promise.resolve(other);
    },
    async dispose() {
      await store.close();
      for (const other of seconds) await other.close();
      dir.remove();
    },
  });
});
