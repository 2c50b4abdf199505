import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MONITOR_SETTINGS } from '../../src-shared/domain/settings';
import { uptimeReport } from '../../src-main/core/monitor/accounting';
import { launchBrowser, loginInPage } from '../helpers/browser';
import { TestNamespace } from '../helpers/netns';
import { startRunnerProcess } from '../helpers/runner-process';
import type { RunnerProcess } from '../helpers/runner-process';
import { tempDir } from '../helpers/temp';
import { ADMIN_PASSWORD, openDataStore, seedDataStore } from '../helpers/seed';

const HOST = '127.0.6.1';
// Short sweeps keep the test short; the workflow does not depend on the interval.
const SETTINGS = { ...DEFAULT_MONITOR_SETTINGS, intervalMs: 2000, timeoutMs: 1000 };
const BUDGET_MS = SETTINGS.intervalMs + SETTINGS.timeoutMs + 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function badge(page: Page): Promise<string> {
  return (await page.locator('tr[data-device-name="ITA-CAM-09"] .badge').getAttribute('class')) ?? '';
}

describe('maintenance workflow with the system ping (own namespace, Chromium)', () => {
  let ns: TestNamespace;
  let data: ReturnType<typeof tempDir>;
  let runner: RunnerProcess | undefined;

  beforeAll(async () => {
    ns = new TestNamespace();
    ns.setUnreachable([HOST], true);
    data = tempDir();
    await seedDataStore(data.path, { devices: [{ host: HOST, name: 'ITA-CAM-09' }], settings: SETTINGS });
  });
  afterAll(async () => {
    if (runner) await runner.stop();
    ns.remove();
    data.remove();
  });

  it('takes an unreachable device out of the sweeps during maintenance and back, and keeps that time out of uptime', async () => {
    const probes = ns.countEchoRequests(HOST);
    runner = await startRunnerProcess(['--data-dir', data.path, '--port', '0'], 10_000, (command) => ns.wrap(command));
    const browser = await launchBrowser(ns.chromiumWrapper(data.path));
    try {
      const devices = await browser.context.newPage();
      await devices.goto(`${runner.url}#/devices`);
      await loginInPage(devices, 'admin', ADMIN_PASSWORD);
      await expect.poll(() => badge(devices), { timeout: BUDGET_MS + 2000 }).toContain('badge--offline');

      // Initial report: the device goes to MAINTENANCE.
      const page = await browser.context.newPage();
      await page.goto(`${runner.url}#/maintenance`);
      await loginInPage(page, 'admin', ADMIN_PASSWORD);
      await page.getByTestId('open-case').click();
      const form = page.getByTestId('case-form');
      await form.locator('[name=deviceId]').selectOption({ label: `ITA · ITA-CAM-09 (${HOST})` });
      await form.locator('[name=category]').selectOption('Power');
      await form.locator('[name=description]').fill('Disjuntor desarmado no poste 4');
      await page.getByTestId('save-case').click();
      await page.locator('tr[data-case-device="ITA-CAM-09"]').waitFor();
      const maintenanceFrom = Date.now();
      await expect.poll(() => badge(devices), { timeout: 1000 }).toContain('badge--maintenance');

      // The prober is not asked about it any more: no echo request leaves for it for several sweeps.
      await sleep(SETTINGS.timeoutMs + 200); // a probe already in flight may still finish
      const before = probes();
      await sleep(3 * SETTINGS.intervalMs);
      expect(probes()).toBe(before);

      // Final report: back to OFFLINE and to the sweeps.
      await page.getByTestId('close-case').click();
      await page.getByTestId('close-form').locator('[name=solution]').fill('Disjuntor religado');
      await page.getByTestId('save-close').click();
      const maintenanceTo = Date.now();
      await expect.poll(() => badge(devices), { timeout: 1000 }).toContain('badge--offline');
      await expect.poll(() => probes(), { timeout: BUDGET_MS }).toBeGreaterThan(before);

      // Reachable again: the next successful probe makes it ONLINE.
      const reachableAt = Date.now();
      ns.setUnreachable([HOST], false);
      await expect.poll(() => badge(devices), { timeout: BUDGET_MS }).toContain('badge--online');
      expect(Date.now() - reachableAt).toBeLessThanOrEqual(BUDGET_MS);

      // The history shows the case and the status changes, and exports them as CSV.
      await page.goto(`${runner.url}#/history`);
      await page.locator('tr[data-kind=maintenance]').waitFor();
      expect(await page.locator('tr[data-kind=status]').count()).toBeGreaterThanOrEqual(3);
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-history').click()]);
      const csv = readFileSync(await download.path(), 'utf8');
      const rows = Papa.parse<Record<string, string>>(csv.replace(/^\ufeff/, ''), {
        header: true,
        skipEmptyLines: true,
      }).data;
      expect(rows.map((r) => r['Tipo de evento'])).toEqual(expect.arrayContaining(['Manutenção', 'Status']));
      expect(rows.find((r) => r['Tipo de evento'] === 'Manutenção')?.Detalhes).toBe(
        'Disjuntor desarmado no poste 4 → Disjuntor religado',
      );

      expect(await runner.stop()).toBe(0);
      runner = undefined;
      const store = openDataStore(data.path);
      try {
        const [device] = await store.listDevices({});
        const now = Date.now();
        const [row] = await uptimeReport(store, {
          from: device!.createdAt,
          to: now,
          groupBy: 'device',
          filter: {},
          targetPercent: 95,
          now,
        });
        const maintenanceSeconds = (maintenanceTo - maintenanceFrom) / 1000;
        expect(row!.seconds.maintenance).toBeGreaterThanOrEqual(Math.floor(maintenanceSeconds) - 1);
        expect(row!.seconds.maintenance).toBeLessThanOrEqual(Math.ceil(maintenanceSeconds) + 2);
        // Uptime counts online against offline only: maintenance is on neither side.
        const { online, offline } = row!.seconds;
        expect(row!.uptimePercent).toBeCloseTo((online / (online + offline)) * 100, 1);
        expect(offline).toBeGreaterThan(0);
        const log = await store.recentStatusChanges({ limit: 10 });
        expect(log.map((c) => `${c.from}>${c.to}`).reverse()).toEqual([
          'PENDING>OFFLINE',
          'OFFLINE>MAINTENANCE',
          'MAINTENANCE>OFFLINE',
          'OFFLINE>ONLINE',
        ]);
      } finally {
        await store.close();
      }
    } finally {
      await browser.close();
    }
  }, 90_000);
});
