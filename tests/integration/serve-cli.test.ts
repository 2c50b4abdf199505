import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { launchBrowser, loginInPage } from '../helpers/browser';
import { runCli, startRunnerProcess } from '../helpers/runner-process';
import Papa from 'papaparse';
import { APP_ROOT, tempDir } from '../helpers/temp';

describe('npm run serve (headless runner process)', () => {
  let data: ReturnType<typeof tempDir>;
  beforeEach(() => {
    data = tempDir();
  });
  afterEach(() => data.remove());

  it('serves the demo within 10 s, shows the 60 demo devices in Chromium, and stops cleanly on SIGTERM', async () => {
    const started = Date.now();
    const runner = await startRunnerProcess(['--demo', '--data-dir', data.path, '--port', '0'], 10_000);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(runner.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(runner.output()).toContain('seeded 3 areas and 60 devices');
    const password = /administrator "admin" created with password (\S+) \(shown only now\)/.exec(runner.output())?.[1];
    expect(password).toBeDefined();
    expect(existsSync(join(data.path, 'vigia.sqlite'))).toBe(true);

    const health = await fetch(new URL('/healthz', runner.url));
    expect(await health.json()).toEqual({ ok: true });

    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      await page.goto(`${runner.url}#/devices`);
      await loginInPage(page, 'admin', password!);
      await page.locator('[data-testid=devices-table] tbody tr').nth(59).waitFor();
      expect(await page.locator('[data-testid=devices-table] tbody tr').count()).toBe(60);
      await expect.poll(() => page.getByTestId('device-count').textContent()).toBe('60 dispositivos');
      for (const code of ['ITA', 'SNT', 'PAR']) {
        expect(await page.locator(`tr[data-device-name="${code}-CAM-01"]`).count()).toBe(1);
      }
    } finally {
      await browser.close();
    }

    expect(await runner.stop('SIGTERM')).toBe(0);
    expect(runner.output()).toContain('Vigia central stopped');
  });

  it('keeps its data across a restart and does not seed twice', async () => {
    const first = await startRunnerProcess(['--demo', '--data-dir', data.path, '--port', '0']);
    expect(await first.stop('SIGINT'), first.output()).toBe(0);
    const second = await startRunnerProcess(['--demo', '--data-dir', data.path, '--port', '0']);
    try {
      expect(second.output()).toContain('nothing seeded');
      // The demo administrator is made once; its password is never printed again.
      expect(second.output()).not.toContain('created with password');
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });

  it('listens on 127.0.0.1 unless told otherwise', async () => {
    const runner = await startRunnerProcess(['--data-dir', data.path, '--port', '0']);
    try {
      expect(new URL(runner.url).hostname).toBe('127.0.0.1');
    } finally {
      await runner.stop();
    }
  });

  it('refuses bad options with a clear message and a usage exit code', async () => {
    const badPort = await runCli(['serve', '--data-dir', data.path, '--port', '70000']);
    expect(badPort.code).toBe(2);
    expect(badPort.output).toMatch(/--port/);
    const unknown = await runCli(['serve', '--frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.output).toMatch(/Unknown option '--frobnicate'/);
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.output).toMatch(/--data-dir/);
  });

  it('exports the Power BI files of a demo store with npm run export-bi, after the runner kept its own copy current', async () => {
    const runner = await startRunnerProcess(['--demo', '--data-dir', data.path, '--port', '0']);
    await new Promise((resolve) => setTimeout(resolve, 6000)); // a few sweeps of the 60 demo devices
    expect(await runner.stop()).toBe(0);
    // The monitoring instance wrote its scheduled export at start.
    expect(existsSync(join(data.path, 'exports', 'ITA', 'snapshots_diarios.csv'))).toBe(true);

    // A scheduled task's first run: the folder does not exist yet, and is made.
    const out = join(data.path, 'bi', 'diario');
    const result = spawnSync('npm', ['run', '--silent', 'export-bi', '--', '--data-dir', data.path, '--out', out], {
      cwd: APP_ROOT,
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/exported 8 files/);
    for (const area of ['ITA', 'SNT', 'PAR']) {
      const daily = Papa.parse<Record<string, string>>(readFileSync(join(out, area, 'snapshots_diarios.csv'), 'utf8'), {
        header: true,
        skipEmptyLines: true,
      }).data;
      expect(daily.length).toBeGreaterThanOrEqual(20);
      expect(daily.every((row) => row.area === area)).toBe(true);
      expect(Number(daily[0]!.seconds_online)).toBeGreaterThan(0);
      expect(existsSync(join(out, area, 'snapshots_mensais.csv'))).toBe(true);
    }
    const all = readFileSync(join(out, 'snapshots_diarios.csv'), 'utf8').trim().split('\r\n');
    expect(all.length - 1).toBeGreaterThanOrEqual(60);
    expect(existsSync(join(out, 'snapshots_mensais.csv'))).toBe(true);

    // Only a folder that cannot be made is refused, with the reason.
    writeFileSync(join(data.path, 'a-file'), '');
    const impossible = spawnSync(
      'npm',
      ['run', '--silent', 'export-bi', '--', '--data-dir', data.path, '--out', join(data.path, 'a-file', 'bi')],
      { cwd: APP_ROOT, encoding: 'utf8' },
    );
    expect(impossible.status).toBe(1);
    expect(impossible.stderr).toMatch(/cannot be created \(ENOTDIR\)/);
  }, 60_000);
});
