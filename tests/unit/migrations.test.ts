import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ROOT, SQLITE_MIGRATIONS, tempDir } from '../helpers/temp';

describe('committed migrations', () => {
  it('match the schema (drizzle-kit would generate nothing new)', () => {
    const dir = tempDir();
    try {
      const out = join(dir.path, 'sqlite');
      cpSync(SQLITE_MIGRATIONS, out, { recursive: true });
      const config = join(dir.path, 'drizzle.config.mjs');
      writeFileSync(
        config,
        `export default ${JSON.stringify({
          dialect: 'sqlite',
          schema: join(APP_ROOT, 'src-main/core/store/sqlite/schema.ts'),
          out,
        })};\n`,
      );
      const before = readdirSync(out).sort();
      execFileSync(join(APP_ROOT, 'node_modules/.bin/drizzle-kit'), ['generate', '--config', config], {
        cwd: APP_ROOT,
        stdio: 'pipe',
      });
      expect(readdirSync(out).sort(), 'run `npm run db:generate` and commit the new migration').toEqual(before);
    } finally {
      dir.remove();
    }
  });
});
