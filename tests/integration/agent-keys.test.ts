import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createContractClient } from '../../src-shared/contract/client';
import type { ContractClient } from '../../src-shared/contract/client';
import { ContractCallError } from '../../src-shared/contract/errors';
import { fullGrid, SCREENS } from '../../src-shared/domain/permissions';
import type { PermissionGrid } from '../../src-shared/domain/permissions';
import { Connection } from '../../src-main/core/contract/connection';
import type { Session } from '../../src-main/core/contract/session';
import { createMemoryTransport } from '../../src-main/core/transport/memory';
import { startSyncCentral } from '../helpers/agents';
import { rawAgentRequest } from '../helpers/agent-http';
import { ManualClock } from '../helpers/clock';
import { ScriptedProber } from '../helpers/fake-prober';

const grid = (grant: Partial<Record<(typeof SCREENS)[number], { view: boolean; edit: boolean }>>): PermissionGrid =>
  ({ ...Object.fromEntries(SCREENS.map((s) => [s, { view: false, edit: false }])), ...grant }) as PermissionGrid;

async function refusal(call: Promise<unknown>) {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ContractCallError);
  return (error as ContractCallError).error;
}

describe('agent keys: issued, rotated and revoked by administrators only, audited, never shown twice', () => {
  let central: Awaited<ReturnType<typeof startSyncCentral>>;
  let clock: ManualClock;
  let itaId: number;
  let sntId: number;

  const as = (session: Partial<Session>): ContractClient =>
    createContractClient(
      createMemoryTransport(
        central.central.server,
        new Connection(
          {
            userId: 99,
            username: 'someone',
            isAdmin: false,
            permissions: fullGrid(),
            allowedAreaIds: null,
            mustChangePassword: false,
            ...session,
          },
          clock.now(),
        ),
      ),
    );
  const keyAudits = async () =>
    (await central.client.call('audit.list', { entity: 'agent' })).map((e) => ({
      action: e.action,
      label: e.entityLabel,
      before: e.before,
      after: e.after,
    }));

  beforeEach(async () => {
    clock = new ManualClock(Date.UTC(2026, 10, 2, 12));
    central = await startSyncCentral({ clock, prober: new ScriptedProber() });
    itaId = (await central.client.call('areas.create', { code: 'ITA', name: 'Itajaí', timeZone: 'America/Sao_Paulo' }))
      .id;
    sntId = (await central.client.call('areas.create', { code: 'SNT', name: 'Santos', timeZone: 'America/Sao_Paulo' }))
      .id;
  });
  afterEach(() => central.dispose());

  it('shows a new key once with the listener and its fingerprint, keeps only its hash, and audits the issue without it', async () => {
    const issued = await central.client.call('agents.issueKey', { areaId: itaId, replacing: null });
    expect(issued.key).toMatch(/^vga_[a-z0-9]{10}_[A-Za-z0-9_-]{43}$/);
    expect(issued.key.startsWith(`vga_${issued.keyPrefix}_`)).toBe(true);
    expect(issued.fingerprint).toBe(central.fingerprint);
    expect(issued.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(issued.listenerUrl).toBe(central.url);
    const [view] = await central.client.call('agents.list', {});
    expect(view).toMatchObject({ areaCode: 'ITA', keyPrefix: issued.keyPrefix, link: 'none', revoked: false });
    expect(JSON.stringify(view)).not.toContain(issued.key.slice(15));
    const audits = await keyAudits();
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ action: 'agent.key_issue', label: 'ITA' });
    expect(JSON.stringify(audits)).not.toContain(issued.key.slice(15));
    expect((await rawAgentRequest(central.url, 'config', { key: issued.key, area: 'ITA' })).status).toBe(200);
  });

  it('refuses a non-administrator with edit rights, and leaves the store as it was', async () => {
    const operator = as({ isAdmin: false, permissions: grid({ agents: { view: true, edit: true } }) });
    expect((await refusal(operator.call('agents.issueKey', { areaId: itaId, replacing: null }))).kind).toBe(
      'forbidden',
    );
    const issued = await central.client.call('agents.issueKey', { areaId: itaId, replacing: null });
    const rotate = await refusal(operator.call('agents.issueKey', { areaId: itaId, replacing: issued.keyPrefix }));
    expect(rotate.kind).toBe('forbidden');
    const revoke = await refusal(operator.call('agents.revokeKey', { areaId: itaId, keyPrefix: issued.keyPrefix }));
    expect(revoke.kind).toBe('forbidden');
    expect((await central.client.call('agents.list', {}))[0]!.keyPrefix).toBe(issued.keyPrefix);
    expect(await keyAudits()).toHaveLength(1);
    expect((await rawAgentRequest(central.url, 'config', { key: issued.key, area: 'ITA' })).status).toBe(200);
  });

  it('keeps an administrator scoped to one area out of the others', async () => {
    const scopedAdmin = as({ isAdmin: true, allowedAreaIds: [sntId] });
    expect((await refusal(scopedAdmin.call('agents.issueKey', { areaId: itaId, replacing: null }))).kind).toBe(
      'not_found',
    );
    expect(await central.client.call('agents.list', {})).toEqual([]);
    await scopedAdmin.call('agents.issueKey', { areaId: sntId, replacing: null });
    await central.client.call('agents.issueKey', { areaId: itaId, replacing: null });
    expect((await scopedAdmin.call('agents.list', {})).map((a) => a.areaCode)).toEqual(['SNT']);
    expect((await refusal(scopedAdmin.call('agents.heartbeats', { areaId: itaId, hours: 24 }))).kind).toBe('not_found');
  });

  it('lets one of two administrators rotating at once win; the old key stops at once', async () => {
    const first = await central.client.call('agents.issueKey', { areaId: itaId, replacing: null });
    const other = as({ isAdmin: true, userId: 7, username: 'other-admin' });
    const outcomes = await Promise.allSettled([
      central.client.call('agents.issueKey', { areaId: itaId, replacing: first.keyPrefix }),
      other.call('agents.issueKey', { areaId: itaId, replacing: first.keyPrefix }),
    ]);
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o) => o.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const error = ((lost[0] as PromiseRejectedResult).reason as ContractCallError).error;
    expect(error.kind).toBe('conflict');
    const winner = (won[0] as PromiseFulfilledResult<{ key: string; keyPrefix: string }>).value;
    expect((await central.client.call('agents.list', {}))[0]!.keyPrefix).toBe(winner.keyPrefix);
    expect((await keyAudits()).map((a) => a.action)).toEqual(['agent.key_rotate', 'agent.key_issue']);
    expect((await rawAgentRequest(central.url, 'config', { key: first.key, area: 'ITA' })).status).toBe(401);
    expect((await rawAgentRequest(central.url, 'config', { key: winner.key, area: 'ITA' })).status).toBe(200);
  });

  it('revokes a key: the agent is refused, its history stays, and the area shows no usable key', async () => {
    const issued = await central.client.call('agents.issueKey', { areaId: itaId, replacing: null });
    await central.client.call('agents.revokeKey', { areaId: itaId, keyPrefix: issued.keyPrefix });
    const [view] = await central.client.call('agents.list', {});
    expect(view).toMatchObject({ keyPrefix: null, revoked: true });
    expect((await rawAgentRequest(central.url, 'config', { key: issued.key, area: 'ITA' })).status).toBe(401);
    // Revoking what is no longer there is a conflict, not a silent success.
    const again = await refusal(
      central.client.call('agents.revokeKey', { areaId: itaId, keyPrefix: issued.keyPrefix }),
    );
    expect(again.kind).toBe('conflict');
    expect((await keyAudits()).map((a) => a.action)).toEqual(['agent.key_revoke', 'agent.key_issue']);
  });
});
