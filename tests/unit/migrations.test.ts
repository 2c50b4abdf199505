import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ROOT, tempDir } from '../helpers/temp';

/** Each dialect's schema and the migrations committed for it, which every store applies at start-up. */
const DIALECTS = [
  { dialect: 'sqlite', schema: 'src-main/core/store/sqlite/schema.ts', out: 'resources/migrations/sqlite' },
  { dialect: 'mssql', schema: 'src-main/core/store/mssql/schema.ts', out: 'resources/migrations/mssql' },
  // An agent's outbox: its own small SQLite schema.
  { dialect: 'sqlite', schema: 'src-main/core/agent/outbox/schema.ts', out: 'resources/migrations/agent' },
] as const;

describe('committed migrations', () => {
  it.each(DIALECTS)(
    'match the $dialect schema in $schema (drizzle-kit would generate nothing new)',
    ({ dialect, schema, out }) => {
      const dir = tempDir();
      try {
        const copy = join(dir.path, dialect);
        cpSync(join(APP_ROOT, out), copy, { recursive: true });
        const config = join(dir.path, 'drizzle.config.mjs');
        writeFileSync(
          config,
          `export default ${JSON.stringify({ dialect, schema: join(APP_ROOT, schema), out: copy })};\n`,
        );
        const before = readdirSync(copy).sort();
        // drizzle-kit's own script through node: the same on Windows, where .bin holds a .cmd.
        execFileSync(
          process.execPath,
          [join(APP_ROOT, 'node_modules', 'drizzle-kit', 'bin.cjs'), 'generate', '--config', config],
          {
            cwd: APP_ROOT,
            stdio: 'pipe',
          },
        );
        expect(readdirSync(copy).sort(), `run \`npm run db:generate\` and commit the new ${dialect} migration`).toEqual(
          before,
        );
      } finally {
        dir.remove();
      }
    },
  );
});
