import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractClient } from '../../src-shared/contract/client';
import type { RunningCentral } from '../../src-main/headless/runner';
import { apiClients, startQuietRunner } from '../helpers/api';
import { launchBrowser, loginInPage } from '../helpers/browser';
import { tempDir } from '../helpers/temp';

const PASSWORD = 'Vigia-Porto-2026';

/** Today as the operator types it in Portuguese, dd/mm/aaaa (the test machine's local day). */
function typed(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getDate())}/${two(date.getMonth() + 1)}/${date.getFullYear()}`;
}

describe('audit and history in the operator’s words (Chromium with an English browser locale)', () => {
  let data: ReturnType<typeof tempDir>;
  let central: RunningCentral;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let api: ContractClient;
  let clients: ReturnType<typeof apiClients>;

  beforeAll(async () => {
    data = tempDir();
    central = await startQuietRunner(data.path);
    clients = apiClients(central.url);
    api = clients.connect();
    await api.call('auth.setup', { username: 'admin', displayName: 'Administrador', password: PASSWORD });
    const area = await api.call('areas.create', { code: 'ITA', name: 'Itajaí', timeZone: 'America/Sao_Paulo' });
    const cam = await api.call('devices.create', {
      name: 'ITA-CAM-07',
      type: 'camera',
      context: 'normal',
      host: '127.0.0.7',
      areaId: area.id,
    });
    const { id, name, type, context, host, areaId, notes } = cam;
    await api.call('devices.update', { id, name, type, context, host, areaId, notes, location: 'Portão 2' });
    const request = await api.call('shutdowns.request', { deviceId: cam.id, justification: 'Obra' });
    await api.call('shutdowns.decide', { id: request.id, decision: 'approve' });
    await clients
      .connect()
      .call('auth.login', { username: 'admin', password: 'Senha-Errada#1' })
      .catch(() => undefined);
    browser = await launchBrowser(undefined, { locale: 'en-US' });
  });

  afterAll(async () => {
    clients.close();
    await browser.close();
    await central.stop();
    data.remove();
  });

  it('tells each audit entry as a sentence, with its changes, dates and failure reason in Portuguese', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${central.url}#/audit`);
    await loginInPage(page, 'admin', PASSWORD);
    const sentences = page.getByTestId('audit-sentence');
    await expect.poll(() => sentences.count()).toBeGreaterThan(5);
    const all = await sentences.allTextContents();
    expect(all).toEqual(
      expect.arrayContaining([
        'Aprovou a desativação de ITA-CAM-07',
        'Solicitou a desativação de ITA-CAM-07',
        'Alterou o dispositivo ITA-CAM-07',
        'Cadastrou o dispositivo ITA-CAM-07',
        'Criou a área ITA',
        'Entrou como admin',
      ]),
    );
    expect(all.join(' ')).not.toMatch(/shutdown\.|device #|\d{13}/);
    const update = page.locator('tr[data-action="device.update"]');
    expect(await update.textContent()).toContain('Localização: — → Portão 2');
    const failed = page.locator('tr[data-action="session.login"]').filter({ hasText: 'Falha' });
    expect(await failed.first().textContent()).toContain('Falha — senha errada');
    const approved = page.locator('tr[data-action="shutdown.approve"]');
    expect(await approved.textContent()).toContain('Status: Pendente → Aprovada');
    // Dates as dd/mm/aaaa whatever the browser's own locale.
    expect(await approved.locator('td').first().textContent()).toMatch(/^\d{2}\/\d{2}\/\d{4}/);

    // The date filter is typed as dd/mm/aaaa too.
    expect(await page.getByTestId('date-from').getAttribute('placeholder')).toBe('dd/mm/aaaa');
    const tomorrow = new Date(Date.now() + 86_400_000);
    await page.getByTestId('date-from').fill(typed(tomorrow));
    await expect.poll(() => sentences.count()).toBe(0);
    await page.getByTestId('date-from').fill(typed(new Date()));
    await expect.poll(() => sentences.count()).toBe(all.length);
    await page.getByTestId('date-from').fill('31/02/2026');
    await expect.poll(() => page.locator('.field-error').textContent()).toBe('Data inválida.');
  });

  it('shows in the history who did it by name, and keeps the connection indicator in view on a long screen', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${central.url}#/history`);
    await loginInPage(page, 'admin', PASSWORD);
    const statusRow = page.locator('tr[data-kind=status]').first();
    await statusRow.waitFor();
    expect(await statusRow.getByTestId('history-who').textContent()).toBe('Administrador');
    expect(await statusRow.textContent()).toContain('Aguardando primeira verificação → Desativado');
    await page.setViewportSize({ width: 1000, height: 300 });
    await page.locator('main.content').evaluate((main) => main.scrollTo(0, main.scrollHeight));
    const box = await page.getByTestId('connection').boundingBox();
    expect(box!.y).toBeGreaterThanOrEqual(0);
    expect(box!.y + box!.height).toBeLessThanOrEqual(300);
    expect(await page.getByTestId('connection').textContent()).toBe('Conectado');
  });

  it('labels the daily chart with Portuguese dates and names the zone its days are cut in', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${central.url}#/dashboard`);
    await loginInPage(page, 'admin', PASSWORD);
    const chart = page.getByTestId('uptime-chart');
    await expect.poll(() => chart.getAttribute('data-labels')).not.toBeNull();
    const labels = JSON.parse((await chart.getAttribute('data-labels'))!) as string[];
    expect(labels).toHaveLength(30);
    const today = new Intl.DateTimeFormat('pt-BR', {
      day: '2-digit',
      month: '2-digit',
      timeZone: 'America/Sao_Paulo',
    }).format(Date.now());
    expect(labels.at(-1)).toBe(today);
    // One area: its zone, not the server's.
    expect(await page.getByTestId('days-zone').textContent()).toBe('Dias no fuso America/Sao_Paulo.');
    await api.call('areas.create', { code: 'LIS', name: 'Lisboa', timeZone: 'Europe/Lisbon' });
    await page.reload();
    await expect.poll(() => page.getByTestId('days-zone').textContent()).toContain('As áreas têm fusos diferentes');
  });
});
