import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_MONITOR_SETTINGS } from '../../src-shared/domain/settings';
import { systemClock } from '../../src-main/core/runtime';
import { auditsFor } from '../helpers/audit';
import { launchBrowser, loginInPage } from '../helpers/browser';
import { startRunnerProcess } from '../helpers/runner-process';
import type { RunnerProcess } from '../helpers/runner-process';
import { ADMIN_PASSWORD, openDataStore, seedDataStore } from '../helpers/seed';
import { tempDir } from '../helpers/temp';

describe('what the operator sees (Chromium, runner process)', () => {
  let data: ReturnType<typeof tempDir>;
  let runner: RunnerProcess | undefined;
  let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
  beforeEach(() => {
    data = tempDir();
  });
  afterEach(async () => {
    await browser?.close();
    browser = undefined;
    if (runner) await runner.stop();
    runner = undefined;
    data.remove();
  });

  it('without a ping program: no device changes, new ones wait for their first check, and the screen says what to install', async () => {
    await seedDataStore(data.path, {
      devices: ['127.0.7.1', '127.0.7.2', '127.0.7.3'].map((host) => ({ host })),
      settings: { ...DEFAULT_MONITOR_SETTINGS, intervalMs: 1000, timeoutMs: 500 },
    });
    // A PATH with no ping on it, as on a fresh machine without iputils-ping.
    const emptyBin = join(data.path, 'bin');
    mkdirSync(emptyBin);
    runner = await startRunnerProcess(['--data-dir', data.path, '--port', '0'], 10_000, (c) => c, {
      ...process.env,
      PATH: emptyBin,
    });
    browser = await launchBrowser();
    const page = await browser.context.newPage();
    await page.goto(`${runner.url}#/dashboard`);
    await loginInPage(page, 'admin', ADMIN_PASSWORD);
    await expect
      .poll(() => page.getByTestId('prober-problem').textContent(), { timeout: 10_000 })
      .toContain('O programa ping não está instalado');
    expect(await page.getByTestId('prober-problem').textContent()).toContain('apt-get install iputils-ping');
    expect(await page.getByTestId('prober-state').textContent()).toContain('sem funcionar');
    // And why not a faster prober: each one tried, with what to change or install.
    const choice = page.getByTestId('prober-choice');
    expect(await choice.locator('[data-prober=icmp-socket]').textContent()).toContain(
      'sysctl -w net.ipv4.ping_group_range="0 2147483647"',
    );
    expect(await choice.locator('[data-prober=fping]').textContent()).toContain('apt-get install fping');
    expect(await page.getByTestId('count-total-PENDING').textContent()).toBe('3');
    expect(await page.getByTestId('count-total-OFFLINE').textContent()).toBe('0');
    expect(await page.getByTestId('problem-count').textContent()).toBe('0');

    await page.goto(`${runner.url}#/devices`);
    await page.locator('tr[data-device-name="CAM-1"]').waitFor();
    expect(await page.locator('tr[data-device-name="CAM-1"] .badge').textContent()).toBe(
      'Aguardando primeira verificação',
    );
    // Several sweeps later: still nothing changed, nothing in the history, one line in the log.
    await page.waitForTimeout(3500);
    const store = openDataStore(data.path);
    try {
      expect((await store.listDevices({})).map((d) => d.status)).toEqual(['PENDING', 'PENDING', 'PENDING']);
      expect(await store.listStatusChanges({ limit: 10 })).toEqual([]);
      expect((await store.lastSweep('central'))?.probesNotRun).toBe(3);
    } finally {
      await store.close();
    }
    const log = runner.output();
    expect(log.match(/probes could not run \(ping_missing\)/g)).toHaveLength(1);
    expect(log).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('keeps a list of ten thousand devices responsive: one page at a time, filters and sort kept in the address', async () => {
    await seedDataStore(data.path, { devices: [] });
    const store = openDataStore(data.path);
    try {
      const [area] = await store.listAreas();
      const audit = auditsFor(store, systemClock).device();
      for (let i = 1; i <= 10_000; i++) {
        await store.createDevice(
          {
            name: `CAM-${String(i).padStart(5, '0')}`,
            type: i % 5 === 0 ? 'access_control' : 'camera',
            context: 'normal',
            host: `10.${Math.floor(i / 250)}.1.${(i % 250) + 1}`,
            areaId: area!.id,
            location: '',
            notes: '',
          },
          audit,
        );
      }
    } finally {
      await store.close();
    }
    runner = await startRunnerProcess(['--data-dir', data.path, '--port', '0', '--no-monitor']);
    browser = await launchBrowser();
    const page = await browser.context.newPage();
    await page.goto(`${runner.url}#/devices`);
    await loginInPage(page, 'admin', ADMIN_PASSWORD);
    await expect.poll(() => page.getByTestId('device-count').textContent()).toBe('10.000 dispositivos');
    const rows = page.locator('[data-testid=devices-table] tbody tr');
    expect(await rows.count()).toBe(100);
    expect(await page.evaluate(() => document.querySelectorAll('[data-testid=devices-table] *').length)).toBeLessThan(
      2500,
    );
    await page.getByTestId('page-next').click();
    await expect.poll(() => rows.first().getAttribute('data-device-name')).toBe('CAM-00101');
    expect(await page.getByTestId('page-of').textContent()).toBe('Página 2 de 100');

    await page.getByTestId('filter-type').selectOption('access_control');
    await page.getByTestId('sort').selectOption('status');
    await expect.poll(() => page.getByTestId('device-count').textContent()).toBe('2.000 dispositivos');
    expect(page.url()).toMatch(/#\/devices\?type=access_control&sort=status$/);
    await page.getByTestId('filter-status').selectOption('PENDING');
    await page.getByTestId('filter-text').fill('CAM-0999');
    await expect.poll(() => page.url()).toMatch(/q=CAM-0999/);
    // A reload (or a link) shows the same list.
    await page.reload();
    await expect.poll(() => page.getByTestId('device-count').textContent()).toBe('2 dispositivos');
    expect(await page.getByTestId('filter-type').inputValue()).toBe('access_control');
    expect(await page.getByTestId('filter-status').inputValue()).toBe('PENDING');
    expect(await page.getByTestId('filter-text').inputValue()).toBe('CAM-0999');
    expect(await rows.evaluateAll((r) => r.map((row) => row.getAttribute('data-device-name')))).toEqual([
      'CAM-09990',
      'CAM-09995',
    ]);
  }, 90_000);

  it('says in words when sweeps overrun: how often each device is really checked, on the dashboard and in the settings', async () => {
    await seedDataStore(data.path, { devices: [{ host: '127.0.7.1' }] });
    // The last few sweeps of a central that could not keep up: 31 s apart instead of 5 s.
    const store = openDataStore(data.path);
    try {
      const start = Date.now() - 10 * 31_000;
      const epoch = (await store.acquireMonitorLease('old-central', start, 15_000))!;
      for (let i = 0; i < 10; i++) {
        const at = start + i * 31_000;
        await store.recordSweep({
          holder: 'old-central',
          epoch,
          leaseExpiresAt: at + 1,
          source: 'central',
          summary: {
            startedAt: at,
            durationMs: 31_000,
            devicesProbed: 2000,
            failures: 0,
            overrunMs: 26_000,
            prober: 'ping',
            probesNotRun: 0,
            proberProblem: null,
          },
          extend: [],
          insert: [],
          statusChanges: [],
          minutes: [],
          probes: [],
          keepRaw: false,
        });
      }
    } finally {
      await store.close();
    }
    runner = await startRunnerProcess(['--data-dir', data.path, '--port', '0', '--no-monitor']);
    browser = await launchBrowser();
    const page = await browser.context.newPage();
    await page.goto(`${runner.url}#/dashboard`);
    await loginInPage(page, 'admin', ADMIN_PASSWORD);
    const sentence = 'Cada dispositivo está sendo verificado a cada 31 s, não a cada 5 s.';
    await expect.poll(() => page.getByTestId('capacity-warning').textContent()).toContain(sentence);
    expect(await page.getByTestId('sweep-duration').textContent()).toBe('31,0 s');
    await page.goto(`${runner.url}#/settings`);
    await expect.poll(() => page.getByTestId('capacity-warning').textContent()).toContain(sentence);
  });
});
