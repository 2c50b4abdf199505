import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fullGrid } from '../../src-shared/domain/permissions';
import { CONFIG_FILE, SECRETS_FILE, writeInstallation } from '../../src-main/core/setup/installation';
import { apiClients } from '../helpers/api';
import { failure } from '../helpers/failure';
import { startRunnerProcess } from '../helpers/runner-process';
import type { RunnerProcess } from '../helpers/runner-process';
import { ADMIN_PASSWORD, openDataStore } from '../helpers/seed';
import { tempDir } from '../helpers/temp';

const OPERATOR_PASSWORD = 'Operador#Sala1';
const cleanups: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * A copy the wizard configured as a central on its embedded store, running as
 * `npm run serve` runs it, with its first administrator logged in over the WebSocket.
 */
async function wizardCentral() {
  const data = tempDir();
  cleanups.push(data.remove);
  writeInstallation(data.path, { mode: 'central', store: 'sqlite' });
  const runner: RunnerProcess = await startRunnerProcess(['--data-dir', data.path, '--port', '0'], 20_000);
  cleanups.push(() => runner.stop());
  const clients = apiClients(runner.url);
  cleanups.push(() => clients.close());
  const admin = clients.connect();
  await admin.call('auth.setup', { username: 'chefe', displayName: 'Chefe', password: ADMIN_PASSWORD });
  return { runner, data: data.path, clients, admin };
}

describe('changing the mode from Settings', () => {
  it('is refused to anyone but an administrator, and a configuration that does not work is never kept', async () => {
    const { runner, data, clients, admin } = await wizardCentral();
    await admin.call('users.create', {
      username: 'supervisor',
      displayName: 'Supervisora',
      isAdmin: false,
      active: true,
      // Every screen, settings edit included: still not an administrator.
      permissions: fullGrid(),
      allowedAreaIds: null,
      password: OPERATOR_PASSWORD,
    });
    const operator = clients.connect();
    await operator.call('auth.login', { username: 'supervisor', password: OPERATOR_PASSWORD });
    await operator.call('auth.changePassword', { current: OPERATOR_PASSWORD, next: `${OPERATOR_PASSWORD}-2` });
    const config = () => readFileSync(join(data, CONFIG_FILE), 'utf8');
    const before = config();

    // The supervisor may read what this copy is, but not move it.
    expect(await operator.call('setup.current', {})).toEqual({
      mode: 'central',
      store: 'sqlite',
      where: null,
      changeable: true,
    });
    const refused = await failure(operator.call('setup.change', { mode: 'central', store: 'sqlite' }));
    expect(refused.kind).toBe('forbidden');
    // Nor may anyone who is not logged in, nor the wizard's public calls on a configured copy.
    const stranger = clients.connect();
    expect((await failure(stranger.call('setup.change', { mode: 'central', store: 'sqlite' }))).kind).toBe('forbidden');
    expect((await failure(stranger.call('setup.save', { mode: 'central', store: 'sqlite' }))).kind).toBe('conflict');

    // An administrator's configuration that fails its test is named and not kept.
    const wrong = await admin.call('setup.change', {
      mode: 'console',
      store: 'mssql',
      url: 'mssql://vigia@127.0.0.1:9/vigia?encrypt=false',
      password: 'x',
    });
    expect(wrong).toMatchObject({ ok: false, field: 'url' });
    expect(config()).toBe(before);
    const audit = await admin.call('audit.list', {});
    expect(audit.filter((e) => e.entityId === 'installation')).toEqual([]);
    expect(runner.output()).not.toMatch(/changing to/);
  }, 60_000);

  it("moves a central to a field agent's mode: tried, kept with its key apart, audited without it, restarted on the same address", async () => {
    const { runner, data, admin } = await wizardCentral();
    const area = await admin.call('areas.create', { code: 'ITA', name: 'Itaguaí', timeZone: 'America/Sao_Paulo' });
    // This very central is the one the agent will report to: its listener and a key of the area.
    const listener = await admin.call('agents.listener', {});
    const issued = await admin.call('agents.issueKey', { areaId: area.id, replacing: null });
    const agent = {
      mode: 'agent' as const,
      central: listener.url!,
      area: 'ITA',
      key: issued.key,
      fingerprint: listener.fingerprint!,
    };
    expect(await admin.call('setup.change', { ...agent, key: `${issued.key}x` })).toMatchObject({
      ok: false,
      field: 'key',
    });
    expect(await admin.call('setup.change', agent)).toEqual({ ok: true });

    await expect.poll(() => runner.output(), { timeout: 20_000 }).toMatch(/Vigia agent of ITA running/);
    expect(runner.output()).toMatch(/Vigia changing to agent \(asked from Settings\)/);
    // The same address now shows the agent's status page.
    const page = await fetch(runner.url);
    expect(page.status).toBe(200);
    expect(JSON.parse(readFileSync(join(data, CONFIG_FILE), 'utf8'))).toEqual({
      mode: 'agent',
      central: agent.central,
      area: 'ITA',
      fingerprint: agent.fingerprint,
    });
    expect(readFileSync(join(data, SECRETS_FILE), 'utf8')).toContain(issued.key);
    expect(statSync(join(data, SECRETS_FILE)).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(data, CONFIG_FILE), 'utf8')).not.toContain(issued.key);
    // The central's trail says who moved it where, and never with the key.
    const store = openDataStore(data);
    try {
      const entries = (await store.listAudit({ limit: 50 })).filter((e) => e.entityId === 'installation');
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ username: 'chefe', action: 'settings.update' });
      expect(JSON.parse(entries[0]!.after!)).toMatchObject({ mode: 'agent', where: agent.central });
      expect(JSON.stringify(entries)).not.toContain(issued.key);
    } finally {
      await store.close();
    }
  }, 90_000);
});
