import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MONITOR_SETTINGS } from '../../src-shared/domain/settings';
import { launchBrowser, loginInPage } from '../helpers/browser';

import { TestNamespace } from '../helpers/netns';
import { startRunnerProcess } from '../helpers/runner-process';
import type { RunnerProcess } from '../helpers/runner-process';
import { tempDir } from '../helpers/temp';
import { ADMIN_PASSWORD, openDataStore, seedDataStore } from '../helpers/seed';

const HOSTS = ['127.0.5.1', '127.0.5.2', '127.0.5.3', '127.0.5.4', '127.0.5.5', '127.0.5.6'];
const FALLING = ['127.0.5.2', '127.0.5.5'];
const { intervalMs, timeoutMs } = DEFAULT_MONITOR_SETTINGS;
/** What the issue allows between the network change and the new status. */
const TRANSITION_BUDGET_MS = intervalMs + timeoutMs + 1000;

interface BadgeChange {
  name: string;
  status: string;
  at: number;
}

/** Records, inside the page, the wall-clock instant each row's badge changes. */
async function recordBadges(page: Page): Promise<void> {
  await page.evaluate(() => {
    const log: BadgeChange[] = [];
    const last = new Map<string, string>();
    const scan = () => {
      for (const row of document.querySelectorAll<HTMLTableRowElement>('tr[data-device-name]')) {
        const name = row.dataset.deviceName!;
        const status = /badge--(\w+)/.exec(row.querySelector('.badge')?.className ?? '')?.[1] ?? '';
        if (last.get(name) !== status) {
          last.set(name, status);
          log.push({ name, status, at: Date.now() });
        }
      }
    };
    scan();
    new MutationObserver(scan).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      characterData: true,
    });
    (window as unknown as { badgeLog: BadgeChange[] }).badgeLog = log;
  });
}

async function badgeLog(page: Page): Promise<BadgeChange[]> {
  return page.evaluate(() => (window as unknown as { badgeLog: BadgeChange[] }).badgeLog);
}

async function waitForStatus(
  page: Page,
  names: readonly string[],
  status: string,
  after: number,
): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  const deadline = Date.now() + TRANSITION_BUDGET_MS + 10_000;
  while (seen.size < names.length && Date.now() < deadline) {
    for (const change of await badgeLog(page)) {
      if (names.includes(change.name) && change.status === status && change.at >= after && !seen.has(change.name)) {
        seen.set(change.name, change.at);
      }
    }
    await page.waitForTimeout(100);
  }
  return seen;
}

describe('live monitoring with the system ping (own network namespace, Chromium)', () => {
  let ns: TestNamespace;
  let data: ReturnType<typeof tempDir>;
  let runner: RunnerProcess | undefined;

  beforeAll(async () => {
    ns = new TestNamespace();
    data = tempDir();
    await seedDataStore(data.path, { devices: HOSTS.map((host) => ({ host })) });
  });

  afterAll(async () => {
    if (runner) await runner.stop();
    ns.remove();
    data.remove();
  });

  it('shows each fall and each return within interval + timeout + 1 s, and within 1 s of its detection', async () => {
    runner = await startRunnerProcess(['--data-dir', data.path, '--port', '0'], 10_000, (command) => ns.wrap(command));
    const browser = await launchBrowser(ns.chromiumWrapper(data.path));
    const nameOf = (host: string) => `CAM-${HOSTS.indexOf(host) + 1}`;
    const falling = FALLING.map(nameOf);
    const steady = HOSTS.filter((h) => !FALLING.includes(h)).map(nameOf);
    try {
      const page = await browser.context.newPage();
      await page.goto(`${runner.url}#/devices`);
      await loginInPage(page, 'admin', ADMIN_PASSWORD);
      await page
        .locator('tr[data-device-name]')
        .nth(HOSTS.length - 1)
        .waitFor();
      await recordBadges(page);
      const dashboard = await browser.context.newPage();
      await dashboard.goto(`${runner.url}#/dashboard`);
      await loginInPage(dashboard, 'admin', ADMIN_PASSWORD);

      // The first sweep finds every device answering.
      const up = await waitForStatus(page, [...falling, ...steady], 'online', 0);
      expect(up.size).toBe(HOSTS.length);
      await expect.poll(() => dashboard.getByTestId('count-total-ONLINE').textContent(), { timeout: 2000 }).toBe('6');

      const fellAt = Date.now();
      ns.setUnreachable(FALLING, true);
      const shownDown = await waitForStatus(page, falling, 'offline', fellAt);
      expect([...shownDown.keys()].sort()).toEqual([...falling].sort());
      for (const [name, at] of shownDown)
        expect(at - fellAt, `${name} shown offline`).toBeLessThanOrEqual(TRANSITION_BUDGET_MS);
      await expect.poll(() => dashboard.getByTestId('count-total-OFFLINE').textContent(), { timeout: 1000 }).toBe('2');
      // What is down now, on the dashboard: both, each with its area and a link to its page.
      const problems = dashboard.locator('[data-testid=problems] tr[data-problem-device]');
      await expect.poll(() => problems.count(), { timeout: 1000 }).toBe(2);
      expect(
        (await problems.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-problem-device')))).sort(),
      ).toEqual([...falling].sort());
      expect(await problems.first().locator('td').nth(1).textContent()).toBe('ITA');
      expect(await dashboard.getByTestId('problem-count').textContent()).toBe('2');
      const link = await problems.first().locator('a').getAttribute('href');
      expect(link).toMatch(/^#\/devices\/\d+$/);

      const cameBackAt = Date.now();
      ns.setUnreachable(FALLING, false);
      const shownUp = await waitForStatus(page, falling, 'online', cameBackAt);
      expect(shownUp.size).toBe(falling.length);
      for (const [name, at] of shownUp)
        expect(at - cameBackAt, `${name} shown online`).toBeLessThanOrEqual(TRANSITION_BUDGET_MS);
      await expect.poll(() => dashboard.getByTestId('count-total-ONLINE').textContent(), { timeout: 1000 }).toBe('6');
      await expect.poll(() => problems.count(), { timeout: 1000 }).toBe(0);
      // The outage timeline's axis spans the last 30 days, not 1970 to now (a reload draws it at once).
      await dashboard.reload();
      const chart = dashboard.getByTestId('outage-chart');
      await expect.poll(() => chart.getAttribute('data-x-min'), { timeout: 5000 }).not.toBeNull();
      const span = {
        min: Number(await chart.getAttribute('data-x-min')),
        max: Number(await chart.getAttribute('data-x-max')),
      };
      expect(Math.abs(span.max - Date.now())).toBeLessThan(60_000);
      expect(Math.abs(span.max - span.min - 30 * 86_400_000)).toBeLessThan(1000);

      // The steady devices never changed after their first ONLINE.
      const log = await badgeLog(page);
      for (const name of steady)
        expect(log.filter((c) => c.name === name && c.status !== 'online' && c.at >= fellAt)).toEqual([]);

      // Each change reached the page within 1 s of the end of the sweep that detected it.
      expect(await runner.stop()).toBe(0);
      runner = undefined;
      const store = openDataStore(data.path);
      try {
        const sweeps = await store.listSweeps({ since: 0, source: 'central' });
        const changes = (await store.recentStatusChanges({ limit: 100 })).filter((c) => c.at >= fellAt);
        expect(changes).toHaveLength(4);
        for (const change of changes) {
          const sweep = sweeps.find((s) => s.startedAt <= change.at && change.at <= s.startedAt + s.durationMs)!;
          const detectedAt = sweep.startedAt + sweep.durationMs;
          const shown = (change.to === 'OFFLINE' ? shownDown : shownUp).get(change.deviceName)!;
          expect(shown - detectedAt, `${change.deviceName} ${change.to}`).toBeLessThanOrEqual(1000);
          expect(change.source).toBe('central');
        }
      } finally {
        await store.close();
      }
    } finally {
      await browser.close();
    }
  }, 60_000);
});
