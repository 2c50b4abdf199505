import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { APP_ROOT, tempDir } from '../helpers/temp';

/**
 * `npm test` starts with scripts/prerequisites.mjs. On a machine where a
 * program is missing and nothing can be installed, it stops at once with the
 * exact command to type, instead of letting dozens of tests fail.
 */
// The checks are of Debian packages, root and network namespaces: a Linux CI's concern.
describe.skipIf(process.platform !== 'linux')('npm test checks the machine first', () => {
  const dir = tempDir();
  // A PATH holding node and nothing else: no ping, no apt-get.
  const bin = join(dir.path, 'bin');
  mkdirSync(bin);
  copyFileSync(process.execPath, join(bin, 'node'));
  afterAll(() => dir.remove());
  const script = join(APP_ROOT, 'scripts', 'prerequisites.mjs');

  it('stops with the exact install command when a program is missing and it cannot install', () => {
    const run = spawnSync(join(bin, 'node'), [script], { env: { PATH: bin }, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout + run.stderr).toContain('Missing for the tests: ping (the last-resort prober), fping');
    expect(run.stderr).toContain('sudo apt-get install -y --no-install-recommends iputils-ping fping');
  });

  it('stops with the command to use when it is not run as root', () => {
    const run = spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, script], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('sudo npm test');
  });

  it('passes quietly on a machine that has everything', () => {
    const run = spawnSync(process.execPath, [script, '--quiet'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('');
  });
});
