import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MONITOR_SETTINGS } from '../../src-shared/domain/settings';
import { auditsFor } from '../helpers/audit';
import { launchBrowser, loginInPage } from '../helpers/browser';
import { startRunnerProcess } from '../helpers/runner-process';
import type { RunnerProcess } from '../helpers/runner-process';
import { ADMIN_PASSWORD, openDataStore, seedDataStore } from '../helpers/seed';
import { tempDir } from '../helpers/temp';
import { systemClock } from '../../src-main/core/runtime';

const HOSTS = ['127.0.6.1', '127.0.6.2', '127.0.6.3'];

/** How many devices the dashboard's "all devices" card counts, whatever their status. */
async function devicesCounted(page: Page): Promise<number> {
  const counts = await page.locator('[data-testid=card-total] strong').allTextContents();
  return counts.reduce((sum, n) => sum + Number(n), 0);
}

/** What the page says now: the connection indicator, and the stale warning if any. */
async function connection(page: Page): Promise<{ text: string; stale: boolean }> {
  return {
    text: (await page.getByTestId('connection').textContent()) ?? '',
    stale: (await page.getByTestId('stale-warning').count()) > 0,
  };
}

describe('a screen open across a restart of the central (Chromium, runner process)', () => {
  let data: ReturnType<typeof tempDir>;
  let runner: RunnerProcess | undefined;

  beforeAll(async () => {
    data = tempDir();
    await seedDataStore(data.path, {
      devices: HOSTS.map((host) => ({ host })),
      settings: { ...DEFAULT_MONITOR_SETTINGS, intervalMs: 2000, timeoutMs: 1000 },
    });
  });
  afterAll(async () => {
    if (runner) await runner.stop();
    data.remove();
  });

  it('never shows stale data as connected, and shows the fresh state within 5 s of the restart', async () => {
    runner = await startRunnerProcess(['--data-dir', data.path, '--port', '0']);
    const port = new URL(runner.url).port;
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      await page.goto(`${runner.url}#/dashboard`);
      await loginInPage(page, 'admin', ADMIN_PASSWORD);
      await expect.poll(() => page.getByTestId('count-total-ONLINE').textContent(), { timeout: 10_000 }).toBe('3');
      expect(await connection(page)).toEqual({ text: 'Conectado', stale: false });

      expect(await runner.stop('SIGTERM')).toBe(0);
      runner = undefined;
      // Down: the screen says so and marks what it shows as possibly stale.
      await expect.poll(() => connection(page), { timeout: 3000 }).toMatchObject({ stale: true });
      expect((await connection(page)).text).not.toBe('Conectado');

      // While it was down, someone added a device (another console, the CSV import...).
      const store = openDataStore(data.path);
      try {
        const [area] = await store.listAreas();
        await store.createDevice(
          {
            name: 'CAM-NOVA',
            type: 'camera',
            context: 'normal',
            host: '127.0.6.9',
            areaId: area!.id,
            location: '',
            notes: '',
          },
          auditsFor(store, systemClock).device(),
        );
      } finally {
        await store.close();
      }

      // Watch the page from now on: whenever it says "Conectado", what it shows must be the store as it is now.
      await page.evaluate(() => {
        const seen: Array<{ connected: boolean; total: number }> = [];
        const sample = () =>
          seen.push({
            connected: document.querySelector('[data-testid=connection]')?.textContent === 'Conectado',
            total: [...document.querySelectorAll('[data-testid=card-total] strong')].reduce(
              (sum, n) => sum + Number(n.textContent),
              0,
            ),
          });
        new MutationObserver(sample).observe(document.body, { subtree: true, childList: true, characterData: true });
        (window as unknown as { seen: typeof seen }).seen = seen;
      });
      const restartedAt = Date.now();
      runner = await startRunnerProcess(['--data-dir', data.path, '--port', port]);
      // Within 5 s: connected again, the session taken back (no login asked), and the new device counted.
      await expect
        .poll(
          async () => ({
            ...(await connection(page)),
            devices: await devicesCounted(page),
            login: await page.getByTestId('login').count(),
          }),
          { timeout: 5000, interval: 100 },
        )
        .toEqual({ text: 'Conectado', stale: false, devices: 4, login: 0 });
      expect(Date.now() - restartedAt).toBeLessThan(5000 + 500);
      const seen = await page.evaluate(
        () => (window as unknown as { seen: Array<{ connected: boolean; total: number }> }).seen,
      );
      // The old figures (three devices) were never on screen under "Conectado" after the restart.
      expect(seen.some((s) => s.connected)).toBe(true);
      expect(seen.filter((s) => s.connected && s.total === 3)).toEqual([]);
      // And the sweeps of the new run show up.
      await expect.poll(() => page.getByTestId('count-total-ONLINE').textContent(), { timeout: 10_000 }).toBe('4');
    } finally {
      await browser.close();
    }
  });
});
