import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningCentral } from '../../src-main/headless/runner';
import { apiClients, startQuietRunner } from '../helpers/api';
import { launchBrowser, loginInPage } from '../helpers/browser';
import { tempDir } from '../helpers/temp';

const ADMIN_PASSWORD = 'Vigia-Porto-2026';

/** The part of the browser's WebSocket the forged call uses. */
interface PageSocket {
  addEventListener(type: string, listener: (event: { data: unknown }) => void): void;
  removeEventListener(type: string, listener: (event: { data: unknown }) => void): void;
  send(data: string): void;
}
const INITIAL_PASSWORD = 'Operador#Sala1';
const OPERATOR_PASSWORD = 'Minha-Senha-2026';

describe('first start, accounts and permissions (Chromium)', () => {
  let data: ReturnType<typeof tempDir>;
  let central: RunningCentral;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let clients: ReturnType<typeof apiClients>;
  const apiClient = () => clients.connect();

  beforeAll(async () => {
    data = tempDir();
    central = await startQuietRunner(data.path);
    clients = apiClients(central.url);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    clients.close();
    await browser.close();
    await central.stop();
    data.remove();
  });

  it('creates the first administrator, a view-only operator, and keeps the operator from editing', async () => {
    const page = await browser.context.newPage();
    await page.goto(central.url);

    // First start: no default password anywhere, the setup screen asks for one that meets the policy.
    const setup = page.getByTestId('setup');
    await setup.waitFor();
    await setup.locator('[name=username]').fill('admin');
    await setup.locator('[name=displayName]').fill('Administrador');
    await setup.locator('[name=password]').fill('curta1');
    expect(await page.locator('[data-rule=length].rule--missing').count()).toBe(1);
    expect(await page.locator('[data-rule=digit].rule--met').count()).toBe(1);
    await page.getByTestId('setup-submit').click();
    await expect
      .poll(() => page.locator('[data-error-for=password]').textContent())
      .toBe('A senha precisa de: pelo menos 12 caracteres, uma letra maiúscula, um símbolo.');
    await setup.locator('[name=password]').fill(ADMIN_PASSWORD);
    await page.getByTestId('setup-submit').click();
    await page.getByTestId('who').waitFor();

    // Something for the operator to look at.
    const admin = apiClient();
    await admin.call('auth.login', { username: 'admin', password: ADMIN_PASSWORD });
    const area = await admin.call('areas.create', { code: 'ITA', name: 'Itajaí', timeZone: 'America/Sao_Paulo' });
    await admin.call('devices.create', {
      name: 'ITA-CAM-01',
      type: 'camera',
      context: 'normal',
      host: '127.0.0.1',
      areaId: area.id,
    });

    // The administrator creates an operator who may only view devices.
    await page.goto(`${central.url}#/users`);
    await page.getByTestId('new-user').click();
    const form = page.getByTestId('user-form');
    await form.locator('[name=username]').fill('operador');
    await form.locator('[name=displayName]').fill('Operador da sala');
    await form.locator('[name=password]').fill(INITIAL_PASSWORD);
    await form.locator('[name=perm-devices-view]').check();
    await page.getByTestId('save-user').click();
    const row = page.locator('tr[data-username=operador]');
    await row.waitFor();
    expect(await row.textContent()).toContain('Deve trocar a senha');

    // The operator logs in (on the same workstation, after the admin logs out) and must change the password.
    await page.getByTestId('logout').click();
    await loginInPageExpectingChange(page);

    // Only what the operator may use is there: the devices list, without a single edit control.
    await page.getByTestId('who').waitFor();
    const nav = await page.locator('nav a').allTextContents();
    expect(nav).toEqual(['Dispositivos']);
    await page.locator('tr[data-device-name="ITA-CAM-01"]').waitFor();
    expect(await page.getByTestId('new-device').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Editar' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Excluir' }).count()).toBe(0);
    await page.goto(`${central.url}#/settings`);
    expect(await page.getByTestId('monitor-settings').count()).toBe(0);

    // A forged edit call from the operator's browser, straight over a socket, is refused by main.
    const answer = await page.evaluate(
      async ({ password, areaId }) => {
        // The page's own WebSocket, as any script running in the operator's browser could use it.
        const BrowserSocket = (globalThis as unknown as { WebSocket: new (url: string) => PageSocket }).WebSocket;
        const socket = new BrowserSocket(`ws://${location.host}/ws`);
        await new Promise((resolve) => socket.addEventListener('open', resolve));
        const call = (id: number, channel: string, input: unknown) =>
          new Promise<unknown>((resolve) => {
            const onMessage = (event: { data: unknown }) => {
              const message = JSON.parse(String(event.data)) as { type: string; id: number; result: unknown };
              if (message.type === 'result' && message.id === id) {
                socket.removeEventListener('message', onMessage);
                resolve(message.result);
              }
            };
            socket.addEventListener('message', onMessage);
            socket.send(JSON.stringify({ type: 'call', id, channel, input }));
          });
        await call(1, 'auth.login', { username: 'operador', password });
        return call(2, 'devices.create', {
          name: 'FORJADO',
          type: 'camera',
          context: 'normal',
          host: '127.0.0.2',
          areaId,
        });
      },
      { password: OPERATOR_PASSWORD, areaId: area.id },
    );
    expect(answer).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect((await admin.call('devices.list', {})).map((d) => d.name)).toEqual(['ITA-CAM-01']);

    // Everything above is in the audit trail.
    const log = await admin.call('audit.list', {});
    expect(log.map((e) => `${e.username}:${e.entity}:${e.action}:${e.outcome}`)).toEqual(
      expect.arrayContaining([
        'admin:user:session.setup:success',
        'admin:user:user.create:success',
        'admin:session:session.logout:success',
        'operador:session:session.login:success',
        'operador:user:user.change_password:success',
      ]),
    );
    await page.close();
  });

  async function loginInPageExpectingChange(page: Page) {
    const form = page.getByTestId('login');
    await form.waitFor();
    await form.locator('[name=username]').fill('operador');
    await form.locator('[name=password]').fill('errada');
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('auth-error').textContent()).toBe('Usuário ou senha incorretos.');
    await form.locator('[name=password]').fill(INITIAL_PASSWORD);
    await page.getByTestId('login-submit').click();
    const change = page.getByTestId('change-password');
    await change.waitFor();
    await change.locator('[name=current]').fill(INITIAL_PASSWORD);
    await change.locator('[name=next]').fill(OPERATOR_PASSWORD);
    await page.getByTestId('change-password-submit').click();
  }

  it('hides the screen after the idle time and shows it again only for the password', async () => {
    const admin = apiClient();
    await admin.call('auth.login', { username: 'admin', password: ADMIN_PASSWORD });
    await admin.call('settings.security.update', { maxFailedLogins: 5, lockoutMinutes: 15, idleLockMinutes: 1 });
    const page = await browser.context.newPage();
    await page.clock.install();
    await page.goto(`${central.url}#/devices`);
    await loginInPage(page, 'admin', ADMIN_PASSWORD);
    await page.clock.runFor(61_000);
    const unlock = page.getByTestId('unlock');
    await unlock.waitFor();
    expect(await page.getByTestId('devices-table').count()).toBe(0);
    await unlock.locator('[name=password]').fill(ADMIN_PASSWORD);
    await page.getByTestId('unlock-submit').click();
    await page.getByTestId('devices-table').waitFor();
    await admin.call('settings.security.update', { maxFailedLogins: 5, lockoutMinutes: 15, idleLockMinutes: 15 });
    await page.close();
  });
});
