import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractClient } from '../../src-shared/contract/client';
import type { RunningCentral } from '../../src-main/headless/runner';
import { apiClients, startQuietRunner } from '../helpers/api';
import { launchBrowser, loginInPage } from '../helpers/browser';
import { tempDir } from '../helpers/temp';

const ADMIN_PASSWORD = 'Vigia-Porto-2026';

describe('Areas and Devices screens (Chromium)', () => {
  let data: ReturnType<typeof tempDir>;
  let central: RunningCentral;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let api: ContractClient;
  let closeApi: () => void;

  beforeAll(async () => {
    data = tempDir();
    central = await startQuietRunner(data.path);
    browser = await launchBrowser();
    // A second, independent look at the store, to prove what the UI did or did not save.
    const clients = apiClients(central.url);
    api = clients.connect();
    closeApi = () => clients.close();
    await api.call('auth.setup', { username: 'admin', displayName: 'Administrador', password: ADMIN_PASSWORD });
  });

  afterAll(async () => {
    closeApi();
    await browser.close();
    await central.stop();
    data.remove();
  });

  const field = (page: Page, form: string, name: string) => page.locator(`[data-testid=${form}] [name=${name}]`);
  const errorFor = (page: Page, name: string) => page.locator(`[data-error-for=${name}]`);

  it('creates an area and a device, refuses a duplicate code and an invalid host, and keeps both after a reload', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${central.url}#/areas`);
    await loginInPage(page, 'admin', ADMIN_PASSWORD);

    // Portuguese by default, and the indicator shows the live connection.
    await page.getByRole('heading', { name: 'Áreas' }).waitFor();
    await expect.poll(() => page.getByTestId('connection').textContent()).toBe('Conectado');

    await page.getByTestId('new-area').click();
    await field(page, 'area-form', 'code').fill('ita');
    await field(page, 'area-form', 'name').fill('Itajaí');
    await field(page, 'area-form', 'timeZone').fill('America/Sao_Paulo');
    await page.getByTestId('save-area').click();
    await page.locator('tr[data-area-code=ITA]').waitFor();

    // A second area with the same code: refused beside the code field, nothing saved.
    await page.getByTestId('new-area').click();
    await field(page, 'area-form', 'code').fill('ITA');
    await field(page, 'area-form', 'name').fill('Outra Itajaí');
    await field(page, 'area-form', 'timeZone').fill('America/Sao_Paulo');
    await page.getByTestId('save-area').click();
    await expect.poll(() => errorFor(page, 'code').textContent()).toBe('Já existe uma área com este código.');
    expect(await api.call('areas.list', {})).toHaveLength(1);

    // An unknown time zone is main's to refuse too.
    await field(page, 'area-form', 'code').fill('SNT');
    await field(page, 'area-form', 'timeZone').fill('America/Santos');
    await page.getByTestId('save-area').click();
    await expect.poll(() => errorFor(page, 'timeZone').textContent()).toMatch(/Fuso horário desconhecido/);
    expect(await api.call('areas.list', {})).toHaveLength(1);

    // A second operator's screen, open on Devices, must follow the change without reloading.
    const watcher = await browser.context.newPage();
    await watcher.goto(`${central.url}#/devices`);
    await loginInPage(watcher, 'admin', ADMIN_PASSWORD);
    await watcher.getByRole('heading', { name: 'Dispositivos' }).waitFor();

    await page.goto(`${central.url}#/devices`);
    await page.getByTestId('new-device').click();
    await field(page, 'device-form', 'name').fill('ITA-CAM-01');
    await field(page, 'device-form', 'host').fill('999.1.1.1');
    await field(page, 'device-form', 'areaId').selectOption({ label: 'ITA — Itajaí' });
    await field(page, 'device-form', 'location').fill('Portaria principal');
    await page.getByTestId('save-device').click();
    await expect.poll(() => errorFor(page, 'host').textContent()).toBe('Informe um IPv4, IPv6 ou nome de host válido.');
    expect(await field(page, 'device-form', 'host').getAttribute('aria-invalid')).toBe('true');
    expect(await api.call('devices.list', {})).toEqual([]);

    await field(page, 'device-form', 'host').fill('127.0.0.1');
    await page.getByTestId('save-device').click();
    await page.locator('tr[data-device-name="ITA-CAM-01"]').waitFor();
    await watcher.locator('tr[data-device-name="ITA-CAM-01"]').waitFor({ timeout: 2000 });

    // A reload keeps the tab's session: no password asked again.
    await page.reload();
    await page.getByTestId('who').waitFor();
    expect(await page.getByTestId('login').count()).toBe(0);
    const row = page.locator('tr[data-device-name="ITA-CAM-01"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('127.0.0.1');
    expect(await row.textContent()).toContain('Portaria principal');
    await page.goto(`${central.url}#/areas`);
    await page.reload();
    await page.getByTestId('who').waitFor();
    const areaRow = page.locator('tr[data-area-code=ITA]');
    await areaRow.waitFor();
    expect(await areaRow.textContent()).toContain('Itajaí');
    await page.close();
    await watcher.close();
  });

  it('filters devices, edits one, and deletes only after confirmation', async () => {
    const [area] = await api.call('areas.list', {});
    for (const [name, type, context] of [
      ['ITA-CA-01', 'access_control', 'rfb'],
      ['ITA-CAM-02', 'camera', 'rfb'],
    ] as const) {
      await api.call('devices.create', { name, type, context, host: '127.0.0.2', areaId: area!.id });
    }
    const page = await browser.context.newPage();
    await page.goto(`${central.url}#/devices`);
    await loginInPage(page, 'admin', ADMIN_PASSWORD);
    const rows = page.locator('[data-testid=devices-table] tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    await page.getByTestId('filter-type').selectOption('access_control');
    await expect.poll(() => rows.count()).toBe(1);
    await page.getByTestId('filter-type').selectOption('');
    await page.getByTestId('filter-context').selectOption('rfb');
    await expect.poll(() => rows.count()).toBe(2);
    await page.getByTestId('filter-text').fill('cam-02');
    await expect.poll(() => rows.count()).toBe(1);

    const row = page.locator('tr[data-device-name="ITA-CAM-02"]');
    await row.getByRole('button', { name: 'Editar' }).click();
    await field(page, 'device-form', 'location').fill('Cais 3');
    await page.getByTestId('save-device').click();
    await expect.poll(() => row.textContent()).toContain('Cais 3');

    await row.getByRole('button', { name: 'Excluir' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Cancelar' }).click();
    expect((await api.call('devices.list', {})).map((d) => d.name)).toContain('ITA-CAM-02');
    await row.getByRole('button', { name: 'Excluir' }).click();
    await page.getByTestId('confirm-delete').click();
    await expect.poll(() => rows.count()).toBe(0);
    expect((await api.call('devices.list', {})).map((d) => d.name)).not.toContain('ITA-CAM-02');
    await page.close();
  });

  it('follows a burst of thirty changes made elsewhere with a few reloads, not thirty', async () => {
    const [area] = await api.call('areas.list', {});
    const page = await browser.context.newPage();
    const calls: string[] = [];
    page.on('websocket', (socket) =>
      socket.on('framesent', ({ payload }) => {
        const text = typeof payload === 'string' ? payload : payload.toString();
        const channel = (JSON.parse(text) as { channel?: string }).channel;
        if (channel) calls.push(channel);
      }),
    );
    await page.goto(`${central.url}#/dashboard`);
    await loginInPage(page, 'admin', ADMIN_PASSWORD);
    await page.getByTestId('count-total-PENDING').waitFor();
    const before = Number(await page.getByTestId('count-total-PENDING').textContent());
    await expect.poll(() => page.getByTestId('connection').textContent()).toBe('Conectado');
    const start = calls.length;
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        api.call('devices.create', {
          name: `BURST-${i}`,
          type: 'camera',
          context: 'normal',
          host: '127.0.0.3',
          areaId: area!.id,
        }),
      ),
    );
    await expect.poll(() => page.getByTestId('count-total-PENDING').textContent()).toBe(String(before + 30));
    await page.waitForTimeout(500);
    const reloads = calls.slice(start).filter((c) => c === 'dashboard.counts').length;
    expect(reloads).toBeGreaterThanOrEqual(1);
    expect(reloads).toBeLessThanOrEqual(4);
    for (let i = 0; i < 30; i++) {
      const [device] = await api.call('devices.list', { text: `BURST-${i}` });
      await api.call('devices.delete', { id: device!.id });
    }
    await page.close();
  });

  it('gives an area its own camera-check interval, refuses one beyond a day, and clears it back to the installation’s', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${central.url}#/areas`);
    await loginInPage(page, 'admin', ADMIN_PASSWORD);
    const interval = () => field(page, 'area-form', 'videoCheckMinutes');
    const edit = () => page.locator('tr[data-area-code=ITA]').getByRole('button', { name: 'Editar' }).click();
    const ita = async () => (await api.call('areas.list', {})).find((a) => a.code === 'ITA')!;
    await edit();
    expect(await interval().inputValue()).toBe('');
    await interval().fill('2000');
    await page.getByTestId('save-area').click();
    await expect.poll(() => errorFor(page, 'videoCheckMinutes').textContent()).toBe('Fora da faixa permitida.');
    expect((await ita()).videoCheckMinutes).toBeNull();
    await interval().fill('15');
    await page.getByTestId('save-area').click();
    await page.getByTestId('area-form').waitFor({ state: 'detached' });
    expect((await ita()).videoCheckMinutes).toBe(15);
    await edit();
    expect(await interval().inputValue()).toBe('15');
    await interval().fill('');
    await page.getByTestId('save-area').click();
    await page.getByTestId('area-form').waitFor({ state: 'detached' });
    expect((await ita()).videoCheckMinutes).toBeNull();
    await page.close();
  });

  it('refuses to delete an area that still has devices, with a message', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${central.url}#/areas`);
    await loginInPage(page, 'admin', ADMIN_PASSWORD);
    await page.locator('tr[data-area-code=ITA]').getByRole('button', { name: 'Excluir' }).click();
    await page.getByTestId('confirm-delete').click();
    await page.getByRole('alert').filter({ hasText: 'A área ainda tem 2 dispositivo(s)' }).waitFor();
    expect(await api.call('areas.list', {})).toHaveLength(1);
    await page.close();
  });

  it('opens a device’s page and pings it on demand', async () => {
    const [device] = await api.call('devices.list', { text: 'ITA-CAM-01' });
    const page = await browser.context.newPage();
    await page.goto(`${central.url}#/devices`);
    await loginInPage(page, 'admin', ADMIN_PASSWORD);
    await page.locator('tr[data-device-name="ITA-CAM-01"] a').click();
    await page.getByTestId('device-detail').waitFor();
    expect(page.url()).toContain(`#/devices/${device!.id}`);
    await page.getByTestId('ping-now').click();
    await expect
      .poll(() => page.getByTestId('ping-result').textContent(), { timeout: 5000 })
      .toMatch(/^Respondeu em [\d,]+ ms/);
    // Nothing is monitored in this test: the month has no observation yet, and says so.
    expect(await page.getByTestId('month-uptime').textContent()).toContain('Sem observações neste mês.');
    await page.close();
  });

  it('refuses monitor settings that cannot work, beside the field, and saves good ones', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${central.url}#/settings`);
    await loginInPage(page, 'admin', ADMIN_PASSWORD);
    const form = page.getByTestId('monitor-settings');
    await expect.poll(() => form.locator('[name=intervalMs]').inputValue()).toBe('5');
    await form.locator('[name=timeoutMs]').fill('6');
    await form.locator('[name=concurrency]').fill('0');
    await page.getByTestId('save-monitor-settings').click();
    await expect
      .poll(() => page.locator('[data-error-for=timeoutMs]').textContent())
      .toBe('O tempo limite deve ser menor que o intervalo.');
    expect(await page.locator('[data-error-for=concurrency]').textContent()).toBe('Fora da faixa permitida.');
    expect(await api.call('settings.monitor.get', {})).toMatchObject({ timeoutMs: 2000, concurrency: 50 });

    await form.locator('[name=timeoutMs]').fill('1.5');
    await form.locator('[name=concurrency]').fill('80');
    await page.getByTestId('save-monitor-settings').click();
    await page.getByRole('status').filter({ hasText: 'Salvo.' }).waitFor();
    expect(await api.call('settings.monitor.get', {})).toMatchObject({
      timeoutMs: 1500,
      concurrency: 80,
      intervalMs: 5000,
    });
    await page.close();
  });

  it('exports the Power BI files from the Exports screen and shows files and rows', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${central.url}#/exports`);
    await loginInPage(page, 'admin', ADMIN_PASSWORD);
    await page.getByTestId('export-now').click();
    const result = page.getByTestId('export-result');
    await result.waitFor();
    const text = (await result.textContent()) ?? '';
    expect(text).toContain(join(data.path, 'exports', 'ITA', 'snapshots_diarios.csv'));
    expect(text).toContain(join(data.path, 'exports', 'snapshots_mensais.csv'));
    expect(existsSync(join(data.path, 'exports', 'ITA', 'snapshots_mensais.csv'))).toBe(true);
    await page.close();
  });

  it('switches to English and to the light theme, and remembers both', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${central.url}#/devices`);
    await loginInPage(page, 'admin', ADMIN_PASSWORD);
    await page.getByTestId('language').selectOption('en');
    await page.getByRole('heading', { name: 'Devices' }).waitFor();
    await page.getByTestId('theme').selectOption('light');
    await page.reload();
    await page.getByTestId('who').waitFor();
    await page.getByRole('heading', { name: 'Devices' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.getByTestId('language').selectOption('pt-BR');
    await page.close();
  });
});
