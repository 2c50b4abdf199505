import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELIVERY_SETTINGS_KEY } from '../../src-shared/domain/alarm-delivery';
import type { StoredDeliverySettings } from '../../src-shared/domain/alarm-delivery';
import { emptyGrid } from '../../src-shared/domain/permissions';
import { subjectOf, Auditor } from '../../src-main/core/audit';
import { hashPassword } from '../../src-main/core/auth/passwords';
import { systemClock } from '../../src-main/core/runtime';
import { launchBrowser, loginInPage } from '../helpers/browser';
import { TestNamespace } from '../helpers/netns';
import { startRunnerProcess } from '../helpers/runner-process';
import type { RunnerProcess } from '../helpers/runner-process';
import { ADMIN_PASSWORD, openDataStore, seedDataStore } from '../helpers/seed';
import { APP_ROOT, tempDir } from '../helpers/temp';

const HOSTS = ['127.0.7.1', '127.0.7.2', '127.0.7.3', '127.0.7.4', '127.0.7.5', '127.0.7.6'];
const OPERATOR_PASSWORD = 'Operadora#Sala1';

/** Records, inside every page, each time the alarm sound starts and each notification asked for. */
const SIGNAL_SPY = `
  window.__plays = [];
  window.__notifications = [];
  document.addEventListener('play', (e) => { if (e.target && e.target.dataset && e.target.dataset.testid === 'alarm-sound') window.__plays.push(Date.now()); }, true);
  const Real = window.Notification;
  window.Notification = class extends Real {
    constructor(title, options) { super(title, options); window.__notifications.push({ title, body: options && options.body }); }
  };
  Object.defineProperty(window.Notification, 'permission', { get: () => Real.permission });
  window.Notification.requestPermission = Real.requestPermission.bind(Real);
`;

interface Caught {
  mails: Array<{ to: string[]; raw: string }>;
  hooks: unknown[];
}

/** The mail server and webhook receiver, inside the namespace where the central can reach them. */
async function startCatchers(
  ns: TestNamespace,
): Promise<{ child: ChildProcess; smtpPort: number; hookUrl: string; caught: Caught }> {
  const [program, ...args] = ns.wrap([
    join(APP_ROOT, 'node_modules/.bin/tsx'),
    join(APP_ROOT, 'tests/helpers/catchers-main.ts'),
  ]);
  const child = spawn(program!, args, { cwd: APP_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const caught: Caught = { mails: [], hooks: [] };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the catchers did not start')), 15_000);
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = JSON.parse(buffer.slice(0, newline)) as Record<string, unknown>;
        buffer = buffer.slice(newline + 1);
        if ('smtpPort' in line) {
          clearTimeout(timer);
          resolve({ child, smtpPort: line.smtpPort as number, hookUrl: line.hookUrl as string, caught });
        }
        if ('mail' in line) caught.mails.push(line.mail as Caught['mails'][number]);
        if ('hook' in line) caught.hooks.push(line.hook);
      }
    });
  });
}

async function spy(page: Page): Promise<{ plays: number; notifications: Array<{ title: string; body: string }> }> {
  return page.evaluate('({ plays: window.__plays.length, notifications: window.__notifications })');
}

describe('alarms in Chromium (own network namespace, real ping, local mail and webhook)', () => {
  let ns: TestNamespace;
  let data: ReturnType<typeof tempDir>;
  let runner: RunnerProcess | undefined;
  let catchers: Awaited<ReturnType<typeof startCatchers>> | undefined;

  beforeAll(async () => {
    ns = new TestNamespace();
    data = tempDir();
    catchers = await startCatchers(ns);
    await seedDataStore(data.path, { devices: HOSTS.map((host) => ({ host })) });
    const store = openDataStore(data.path);
    try {
      const auditor = new Auditor(store, systemClock);
      await store.createUser(
        {
          username: 'ana',
          displayName: 'Ana Souza',
          isAdmin: false,
          active: true,
          permissions: { ...emptyGrid(), dashboard: { view: true, edit: false }, alarms: { view: true, edit: true } },
          allowedAreaIds: null,
          passwordHash: await hashPassword(OPERATOR_PASSWORD),
          mustChangePassword: false,
        },
        auditor.change({ userId: null, username: 'seed' }, 'user.create', subjectOf.user),
      );
      const delivery: StoredDeliverySettings = {
        language: 'pt-BR',
        smtp: {
          host: '127.0.0.1',
          port: catchers.smtpPort,
          security: 'none',
          username: '',
          from: 'vigia@sala.local',
          password: '',
        },
        rules: [
          {
            name: 'plantão',
            channel: 'email',
            target: 'plantao@sala.local',
            format: 'json',
            chatId: '',
            areaIds: [],
            minSeverity: 'critical',
            delayMinutes: 0,
            repeatMinutes: 0,
          },
          {
            name: 'teams',
            channel: 'webhook',
            target: catchers.hookUrl,
            format: 'teams',
            chatId: '',
            areaIds: [],
            minSeverity: 'critical',
            delayMinutes: 0,
            repeatMinutes: 0,
          },
        ],
      };
      await store.setSetting(DELIVERY_SETTINGS_KEY, delivery);
    } finally {
      await store.close();
    }
  });

  afterAll(async () => {
    if (runner) await runner.stop();
    catchers?.child.kill('SIGTERM');
    ns.remove();
    data.remove();
  });

  it('raises the bar, sounds and notifies on every screen; one acknowledgement shows everywhere; a lost area sends one e-mail and one webhook', async () => {
    runner = await startRunnerProcess(['--data-dir', data.path, '--port', '0'], 10_000, (command) => ns.wrap(command));
    const browser = await launchBrowser(ns.chromiumWrapper(data.path), {
      args: ['--autoplay-policy=no-user-gesture-required'],
    });
    try {
      const origin = new URL(runner.url).origin;
      await browser.context.grantPermissions(['notifications'], { origin });
      await browser.context.addInitScript(SIGNAL_SPY);
      const desk = await browser.context.newPage();
      await desk.goto(`${runner.url}#/alarms`);
      await loginInPage(desk, 'ana', OPERATOR_PASSWORD);
      const other = await browser.context.newPage();
      await other.goto(`${runner.url}#/dashboard`);
      await loginInPage(other, 'admin', ADMIN_PASSWORD);
      await expect.poll(() => other.getByTestId('count-total-ONLINE').textContent(), { timeout: 15_000 }).toBe('6');
      for (const page of [desk, other])
        expect(await page.getByTestId('alarm-bar').getAttribute('data-count')).toBe('0');

      // One camera falls: both screens raise the bar, sound and notify.
      ns.setUnreachable([HOSTS[2]!], true);
      for (const page of [desk, other]) {
        await expect
          .poll(() => page.getByTestId('alarm-bar').getAttribute('data-count'), { timeout: 15_000 })
          .toBe('1');
        expect(await page.title()).toBe('(1) Vigia');
        await expect.poll(async () => (await spy(page)).plays, { timeout: 5000 }).toBeGreaterThan(0);
        await expect.poll(async () => (await spy(page)).notifications.length, { timeout: 5000 }).toBe(1);
        expect((await spy(page)).notifications[0]!.body).toContain('CAM-3');
      }

      // Ana acknowledges it with a note; the other screen shows who and when, and the bar goes quiet.
      const row = desk.locator('tr[data-alarm-kind=device_offline]');
      await row.getByTestId('acknowledge').click();
      await desk.getByTestId('acknowledge-form').locator('[name=note]').fill('Técnico a caminho');
      await desk.getByTestId('acknowledge-confirm').click();
      await expect.poll(() => other.getByTestId('alarm-bar').getAttribute('data-count'), { timeout: 5000 }).toBe('0');
      await other.goto(`${runner.url}#/alarms`);
      const seen = other.locator('tr[data-alarm-kind=device_offline] [data-testid=alarm-ack]');
      await expect.poll(() => seen.textContent(), { timeout: 5000 }).toContain('Ana Souza');
      expect(await seen.textContent()).toContain('Técnico a caminho');
      const playsAfterAck = (await spy(other)).plays;
      await other.waitForTimeout(6000);
      expect((await spy(other)).plays).toBe(playsAfterAck);

      // The whole area falls in one sweep: one area alarm, one e-mail, one webhook call.
      ns.setUnreachable(
        HOSTS.filter((h) => h !== HOSTS[2]),
        true,
      );
      const area = desk.locator('tr[data-alarm-kind=area_link_lost]');
      await expect.poll(() => area.count(), { timeout: 15_000 }).toBe(1);
      await expect.poll(() => catchers!.caught.mails.length, { timeout: 10_000 }).toBe(1);
      await expect.poll(() => catchers!.caught.hooks.length, { timeout: 10_000 }).toBe(1);
      expect(catchers!.caught.mails[0]!.to).toEqual(['plantao@sala.local']);
      expect(JSON.stringify(catchers!.caught.hooks[0])).toContain('ITA');
      // No alarm per device: CAM-3's own (acknowledged) alarm is folded under the area's and leaves the desk.
      await expect.poll(() => desk.locator('tr[data-alarm-kind=device_offline]').count(), { timeout: 5000 }).toBe(0);
      await area.getByTestId('alarm-members-toggle').click();
      await expect.poll(() => desk.getByTestId('alarm-members').locator('li').count(), { timeout: 5000 }).toBe(6);
      await desk.waitForTimeout(6000);
      expect(catchers!.caught.mails).toHaveLength(1);
      expect(catchers!.caught.hooks).toHaveLength(1);

      // A mail server that does not answer: Settings says which step failed, in words.
      await other.goto(`${runner.url}#/settings`);
      const form = other.getByTestId('delivery-settings');
      await form.locator('[name="smtp.port"]').fill('1');
      await form.locator('[name=to]').fill('plantao@sala.local');
      await other.getByTestId('smtp-test').click();
      await expect
        .poll(() => other.getByTestId('smtp-test-result').textContent(), { timeout: 20_000 })
        .toContain('conexão com o servidor');
    } finally {
      await browser.close();
    }
  }, 120_000);
});
