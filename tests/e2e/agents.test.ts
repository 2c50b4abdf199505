import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractClient } from '../../src-shared/contract/client';
import type { AgentInstance } from '../../src-main/core/agent/start';
import { systemClock } from '../../src-main/core/runtime';
import { startCentral } from '../../src-main/headless/runner';
import type { RunningCentral } from '../../src-main/headless/runner';
import { rawAgentRequest } from '../helpers/agent-http';
import { startTestAgent } from '../helpers/agents';
import { apiClients } from '../helpers/api';
import { launchBrowser, loginInPage } from '../helpers/browser';
import { quietLogger } from '../helpers/central';
import { ScriptedProber } from '../helpers/fake-prober';
import { APP_ROOT, tempDir } from '../helpers/temp';

const ADMIN_PASSWORD = 'Vigia-Porto-2026';

/**
 * Enrolment as an administrator does it: the key, the central's address and
 * its fingerprint are read off the Areas screen and are all a real agent
 * needs; the key is never shown again; an agent that falls silent raises an
 * alert on whatever screen an operator has open.
 */
describe('Agents on the Areas screen (Chromium)', () => {
  let data: ReturnType<typeof tempDir>;
  let agentData: ReturnType<typeof tempDir>;
  let central: RunningCentral;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let api: ContractClient;
  let closeApi: () => void;
  let agent: AgentInstance | null = null;
  let firstKey = '';
  let enrolment = { url: '', fingerprint: '' };

  beforeAll(async () => {
    data = tempDir();
    agentData = tempDir('vigia-agent-');
    central = await startCentral({
      appRoot: APP_ROOT,
      dataDir: data.path,
      host: '127.0.0.1',
      port: 0,
      demo: false,
      monitor: false,
      logger: quietLogger,
      agentSync: { host: '127.0.0.1', port: 0, plainHttp: false, certificateFolder: data.path },
    });
    browser = await launchBrowser();
    const clients = apiClients(central.url);
    api = clients.connect();
    closeApi = () => clients.close();
    await api.call('auth.setup', { username: 'admin', displayName: 'Administrador', password: ADMIN_PASSWORD });
    await api.call('auth.login', { username: 'admin', password: ADMIN_PASSWORD });
    const area = await api.call('areas.create', { code: 'ITA', name: 'Itajaí', timeZone: 'America/Sao_Paulo' });
    await api.call('devices.create', {
      name: 'ITA-CAM-01',
      type: 'camera',
      context: 'normal',
      host: '127.0.0.1',
      areaId: area.id,
    });
    // The shortest timings the settings allow, so silence is seen in seconds.
    const monitor = await api.call('settings.monitor.get', {});
    await api.call('settings.monitor.update', { ...monitor, agentHeartbeatMs: 1000, agentSilenceMs: 3000 });
  });

  afterAll(async () => {
    await agent?.stop();
    closeApi();
    await browser.close();
    await central.stop();
    data.remove();
    agentData.remove();
  });

  it('shows a new key once with what the agent needs, and an agent enrolled with it is seen connected', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${central.url}#/areas`);
    await loginInPage(page, 'admin', ADMIN_PASSWORD);
    const row = page.locator('tr[data-area-code=ITA]');
    await expect.poll(() => row.getByTestId('agent-link').getAttribute('data-link')).toBe('none');
    await row.getByTestId('open-agent').click();
    const panel = page.getByTestId('agent-panel');
    await panel.getByTestId('agent-issue-key').click();

    const shown = panel.getByTestId('agent-issued-key');
    await shown.waitFor();
    const key = (await shown.getByTestId('agent-key-value').textContent())!;
    expect(key).toMatch(/^vga_[a-z0-9]{10}_/);
    const fingerprint = (await panel.getByTestId('agent-fingerprint').textContent())!;
    const command = (await shown.getByTestId('agent-command').textContent())!;
    expect(command).toContain('--area ITA');
    expect(command).toContain(`--central-fingerprint ${fingerprint}`);
    expect(command).not.toContain(key);
    const centralUrl = /--central (\S+)/.exec(command)![1]!;
    firstKey = key;
    enrolment = { url: centralUrl, fingerprint };

    // Shown once: after a reload only the prefix is left, on screen and in what main answers.
    await page.reload();
    await page.locator('tr[data-area-code=ITA]').getByTestId('open-agent').click();
    await expect.poll(() => page.getByTestId('agent-key-state').textContent()).toContain(key.slice(4, 14));
    expect(await page.content()).not.toContain(key);
    expect(JSON.stringify(await api.call('agents.list', {}))).not.toContain(key);

    // What the screen gave is all a real agent needs: it pins the fingerprint and is accepted.
    agent = await startTestAgent({
      url: centralUrl,
      fingerprint,
      key,
      clock: systemClock,
      prober: new ScriptedProber(),
      dataDir: agentData.path,
      autoRun: true,
    });
    await expect
      .poll(() => page.locator('tr[data-area-code=ITA]').getByTestId('agent-link').getAttribute('data-link'), {
        timeout: 15_000,
      })
      .toBe('online');
    await expect.poll(() => page.getByTestId('agent-outbox').count(), { timeout: 10_000 }).toBe(1);
    await page.close();
  });

  it('raises an alert on every screen when the agent falls silent, and drops it when the agent is back', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${central.url}#/devices`);
    await loginInPage(page, 'admin', ADMIN_PASSWORD);
    await page.getByRole('heading', { name: 'Dispositivos' }).waitFor();
    expect(await page.getByTestId('agent-alert-ITA').count()).toBe(0);

    await agent!.stop();
    agent = null;
    const alert = page.getByTestId('agent-alert-ITA');
    await expect.poll(() => alert.getAttribute('role'), { timeout: 20_000 }).toBe('alert');
    expect(await alert.textContent()).toMatch(/Agente de ITA sem contato desde .*a central está verificando a área/);

    expect((await api.call('agents.list', {}))[0]!.centralCovering).toBe(true);

    // Back with the same outbox and key: the alert goes by itself.
    agent = await startTestAgent({
      ...enrolment,
      key: firstKey,
      clock: systemClock,
      prober: new ScriptedProber(),
      dataDir: agentData.path,
      autoRun: true,
    });
    await expect.poll(() => alert.count(), { timeout: 20_000 }).toBe(0);
    await agent.stop();
    agent = null;
    await page.close();
  });

  it('rotates the key after a confirmation: the old key is refused at once, the new one shown once', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${central.url}#/areas`);
    await loginInPage(page, 'admin', ADMIN_PASSWORD);
    await page.locator('tr[data-area-code=ITA]').getByTestId('open-agent').click();
    const before = (await api.call('agents.list', {}))[0]!.keyPrefix!;
    await page.getByTestId('agent-rotate-key').click();
    // Cancelling changes nothing.
    await page.getByRole('button', { name: 'Cancelar' }).click();
    expect((await api.call('agents.list', {}))[0]!.keyPrefix).toBe(before);

    await page.getByTestId('agent-rotate-key').click();
    await page.getByTestId('confirm-delete').click();
    const key = (await page.getByTestId('agent-key-value').textContent())!;
    expect(key).not.toContain(before);
    expect(firstKey).toContain(before);
    const listener = await api.call('agents.listener', {});
    const refused = await rawAgentRequest(listener.url!, 'config', { key: firstKey, area: 'ITA' });
    expect(refused.status).toBe(401);
    const accepted = await rawAgentRequest(listener.url!, 'config', { key, area: 'ITA' });
    expect(accepted.status).toBe(200);
    await page.close();
  });
});
