import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyGrid } from '../../src-shared/domain/permissions';
import { DEFAULT_SECURITY_SETTINGS, SECURITY_SETTINGS_KEY } from '../../src-shared/domain/settings';
import { Auditor, subjectOf } from '../../src-main/core/audit';
import { hashPassword } from '../../src-main/core/auth/passwords';
import { systemClock } from '../../src-main/core/runtime';
import { launchBrowser } from '../helpers/browser';
import { TestNamespace } from '../helpers/netns';
import { startRunnerProcess } from '../helpers/runner-process';
import type { RunnerProcess } from '../helpers/runner-process';
import { openDataStore, seedDataStore } from '../helpers/seed';
import { tempDir } from '../helpers/temp';

const HOSTS = ['127.0.8.1', '127.0.8.2', '127.0.8.3', '127.0.8.4'];
const TV_PASSWORD = 'Painel#Sala2026';

describe('the wall display (Chromium, own network namespace, a dashboard-only user)', () => {
  let ns: TestNamespace;
  let data: ReturnType<typeof tempDir>;
  let runner: RunnerProcess | undefined;

  beforeAll(async () => {
    ns = new TestNamespace();
    data = tempDir();
    await seedDataStore(data.path, { devices: HOSTS.map((host) => ({ host })) });
    const store = openDataStore(data.path);
    try {
      await store.createUser(
        {
          username: 'tv',
          displayName: 'TV da sala',
          isAdmin: false,
          active: true,
          permissions: { ...emptyGrid(), dashboard: { view: true, edit: false } },
          allowedAreaIds: null,
          passwordHash: await hashPassword(TV_PASSWORD),
          mustChangePassword: false,
        },
        new Auditor(store, systemClock).change({ userId: null, username: 'seed' }, 'user.create', subjectOf.user),
      );
      // A wall display never locks (README: the wall display's set-up).
      await store.setSetting(SECURITY_SETTINGS_KEY, { ...DEFAULT_SECURITY_SETTINGS, idleLockMinutes: 0 });
    } finally {
      await store.close();
    }
  });
  afterAll(async () => {
    if (runner) await runner.stop();
    ns.remove();
    data.remove();
  });

  it('shows one area full screen, asks once to sound, and comes back by itself after the central restarts', async () => {
    runner = await startRunnerProcess(['--data-dir', data.path, '--port', '0'], 10_000, (c) => ns.wrap(c));
    const port = new URL(runner.url).port;
    const browser = await launchBrowser(ns.chromiumWrapper(data.path));
    try {
      const page = await browser.context.newPage();
      // Chromium here lets a page play once the site was clicked (the login counts); a TV's browser that
      // refuses sound is played by rejecting play() with the spec's NotAllowedError until this document is clicked.
      await page.addInitScript(`
        window.__plays = 0; window.__refused = 0; let clicked = false;
        document.addEventListener('click', () => { clicked = true; }, true);
        const play = HTMLMediaElement.prototype.play;
        HTMLMediaElement.prototype.play = function () {
          if (!clicked) { window.__refused++; return Promise.reject(new DOMException('needs a click', 'NotAllowedError')); }
          return play.call(this).then((v) => { window.__plays++; return v; });
        };
      `);
      await page.goto(`${runner.url}#/wall/ITA`);
      // The wall has no menu, so no "who" to wait for: the login leads straight to the wall.
      const form = page.getByTestId('login');
      await form.locator('[name=username]').fill('tv');
      await form.locator('[name=password]').fill(TV_PASSWORD);
      await page.getByTestId('login-submit').click();
      const wall = page.getByTestId('wall');
      await wall.waitFor();
      expect(await page.locator('nav[aria-label=main]').count()).toBe(0);
      await expect.poll(() => page.locator('#wall-title').textContent(), { timeout: 5000 }).toBe('ITA — Itajaí');
      await expect
        .poll(() => page.getByTestId('wall-ONLINE').locator('strong').textContent(), { timeout: 15_000 })
        .toBe('4');

      // The TV's browser is reloaded (or switched on again): the session comes back without a login,
      // and without any click on the page since, so the browser will refuse sound.
      await page.reload();
      await wall.waitFor();
      expect(await page.getByTestId('login').count()).toBe(0);

      ns.setUnreachable([HOSTS[0]!], true);
      await expect.poll(() => page.getByTestId('alarm-bar').getAttribute('data-count'), { timeout: 15_000 }).toBe('1');
      expect(await page.getByTestId('wall-problems').locator('li').count()).toBe(1);
      // Sound was refused without a click: the bar asks once; one click plays it.
      await expect.poll(() => page.getByTestId('alarm-enable').count(), { timeout: 5000 }).toBe(1);
      expect(await page.evaluate('({ plays: window.__plays, refused: window.__refused > 0 })')).toEqual({
        plays: 0,
        refused: true,
      });
      await page.getByTestId('alarm-enable').click();
      await expect.poll(() => page.evaluate('window.__plays'), { timeout: 5000 }).toBeGreaterThan(0);

      // The central restarts: the wall reconnects and takes its session back; nobody logs in again.
      expect(await runner.stop('SIGTERM')).toBe(0);
      runner = undefined;
      await expect.poll(() => page.getByTestId('stale-warning').count(), { timeout: 5000 }).toBe(1);
      runner = await startRunnerProcess(['--data-dir', data.path, '--port', port], 10_000, (c) => ns.wrap(c));
      await expect
        .poll(
          async () => ({
            stale: await page.getByTestId('stale-warning').count(),
            login: await page.getByTestId('login').count(),
            wall: await wall.count(),
            alarms: await page.getByTestId('alarm-bar').getAttribute('data-count'),
          }),
          { timeout: 15_000, interval: 200 },
        )
        .toEqual({ stale: 0, login: 0, wall: 1, alarms: '1' });
    } finally {
      await browser.close();
    }
  }, 90_000);
});
