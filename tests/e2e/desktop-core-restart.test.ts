import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import sirv from 'sirv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CORE_STATE_EVENT } from '../../src-shared/contract/bridge';
import type { CoreStateNotice } from '../../src-shared/contract/bridge';
import { launchFor } from '../../src-main/core/host/launch';
import { CoreSupervisor } from '../../src-main/core/host/supervisor';
import { consoleLogger, systemClock } from '../../src-main/core/runtime';
import { launchBrowser, loginInPage } from '../helpers/browser';
import { nodeCoreSpawner } from '../helpers/core-child';
import { ADMIN_PASSWORD } from '../helpers/seed';
import { APP_ROOT, SQLITE_MIGRATIONS, tempDir } from '../helpers/temp';

/**
 * The desktop's window against core in a process of its own, everything real
 * but Electron: the built renderer in Chromium, a preload-shaped bridge that
 * hands calls to main's supervisor, and core forked from the very file the
 * desktop starts. Core is killed the way a crash would; the window must say
 * so, reconnect, and keep its operator logged in.
 */
const WINDOW = 1;

describe('the desktop window when core crashes', () => {
  const folder = tempDir();
  const spawner = nodeCoreSpawner();
  const supervisor = new CoreSupervisor({
    spawn: spawner.spawn,
    launch: launchFor(
      { mode: 'central', store: 'sqlite' },
      {
        dataDir: folder.path,
        migrations: { sqlite: SQLITE_MIGRATIONS, mssql: '', agent: '' },
        agentSync: null,
        version: 'test',
      },
    ),
    logger: consoleLogger,
    clock: systemClock,
    backoffMs: [300],
    persist: () => Promise.reject(new Error('not in this test')),
  });
  const files = sirv(join(APP_ROOT, 'dist', 'renderer'));
  const http = createServer((req, res) => files(req, res));
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;

  beforeAll(async () => {
    supervisor.start();
    await supervisor.ready();
    // Another window set the first administrator up.
    supervisor.connect(99);
    await supervisor.call(99, 'auth.setup', { username: 'chefe', displayName: 'Chefe', password: ADMIN_PASSWORD });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    browser = await launchBrowser();
    page = await browser.context.newPage();
    // What the preload and main do between a window and core, in the page and in this process.
    await page.exposeFunction('__vigiaCall', (channel: string, input: unknown) =>
      supervisor.call(WINDOW, channel, input),
    );
    await page.addInitScript(`
      const listeners = new Set();
      window.__vigiaDeliver = (name, payload) => listeners.forEach((l) => l(name, payload));
      window.vigia = {
        invoke: (channel, input) => window.__vigiaCall(channel, input),
        subscribe: (listener) => { listeners.add(listener); return () => listeners.delete(listener); },
      };
    `);
    const deliver = (name: string, payload: unknown) =>
      void page
        .evaluate(
          ([n, p]) => (window as unknown as { __vigiaDeliver(n: string, p: unknown): void }).__vigiaDeliver(n, p),
          [name, payload] as const,
        )
        .catch(() => undefined);
    supervisor.connect(WINDOW);
    supervisor.onEvent((connection, name, payload) => {
      if (connection === WINDOW) deliver(name, payload);
    });
    let crashedAt: number | null = null;
    supervisor.onState((state) => {
      if (state.kind === 'restarting') crashedAt = state.at;
      const notice: CoreStateNotice = { running: state.kind === 'running', crashedAt };
      deliver(CORE_STATE_EVENT, notice);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await supervisor.stop();
    await new Promise((resolve) => http.close(resolve));
    folder.remove();
  });

  it('says core stopped and was restarted, then shows the screens again without asking for the password', async () => {
    const { port } = http.address() as AddressInfo;
    await page.goto(`http://127.0.0.1:${port}/`);
    await loginInPage(page, 'chefe', ADMIN_PASSWORD);
    await expect.poll(() => page.getByTestId('connection').textContent()).toBe('Conectado');

    spawner.processes[0]!.kill('SIGKILL');
    // While core is down the screen says it is reconnecting and that what it shows may be stale.
    await page.getByTestId('stale-warning').waitFor({ timeout: 10_000 });
    // Back: the operator is still logged in (the window's resume token), and the window says what happened.
    await page.getByTestId('core-restarted').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('core-restarted').textContent()).toMatch(/parou inesperadamente às \d{2}:\d{2}/);
    await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: 10_000 }).toBe('Conectado');
    expect(await page.getByTestId('who').textContent()).toContain('Chefe');
    expect(await page.getByTestId('login').count()).toBe(0);
    expect(spawner.processes).toHaveLength(2);
    // Acknowledged, the notice goes away.
    await page.getByTestId('core-restarted').getByRole('button').click();
    expect(await page.getByTestId('core-restarted').count()).toBe(0);
  }, 60_000);
});
