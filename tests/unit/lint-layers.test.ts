import { join } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { APP_ROOT } from '../helpers/temp';

/**
 * Lints source text as if it lived at `path`, with the project's own ESLint
 * configuration. The layer rules need no type information, so type-aware
 * parsing is switched off: the file need not exist in any tsconfig program.
 */
async function lintProbe(folder: string, ext: string, source: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: APP_ROOT, overrideConfig: [tseslint.configs.disableTypeChecked] });
  const [result] = await eslint.lintText(source, { filePath: join(APP_ROOT, folder, `lint-probe.${ext}`) });
  const messages = result?.messages ?? [];
  expect(messages.filter((m) => m.fatal)).toEqual([]);
  return messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer boundaries (eslint)', () => {
  it('fails a file in src-main/core that imports electron', async () => {
    const messages = await lintProbe(
      'src-main/core',
      'ts',
      "import { app } from 'electron';\nexport const name = app.name;\n",
    );
    expect(messages.join('\n')).toMatch(/Only src-main\/electron\/ may import electron/);
  });

  it('fails core reaching into its headless shell', async () => {
    const messages = await lintProbe(
      'src-main/core',
      'ts',
      "import { DEFAULT_PORT } from '../headless/usage';\nexport const port = DEFAULT_PORT;\n",
    );
    expect(messages.join('\n')).toMatch(/core must not depend on its shells/);
  });

  it('fails src-shared importing node built-ins or main', async () => {
    const messages = await lintProbe(
      'src-shared',
      'ts',
      "import { readFileSync } from 'node:fs';\nimport { createCentral } from '../src-main/core/central';\nexport const x = [readFileSync, createCentral];\n",
    );
    expect(messages).toHaveLength(2);
  });

  it('fails the renderer importing main', async () => {
    const messages = await lintProbe(
      'src-renderer',
      'ts',
      "import { seedDemo } from '../src-main/core/demo';\nexport const x = seedDemo;\n",
    );
    expect(messages.join('\n')).toMatch(/may not import src-main/);
  });

  it('lets src-main/electron import electron', async () => {
    const messages = await lintProbe(
      'src-main/electron',
      'ts',
      "import { app } from 'electron';\nexport const name = app.name;\n",
    );
    expect(messages).toEqual([]);
  });
});
