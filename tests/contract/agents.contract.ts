import { describe, expect, it } from 'vitest';
import type { AgentBatchWrite, Store } from '../../src-main/core/store/port';
import { setWorkflowState } from '../helpers/audit';
import type { SuiteContext } from './harness';
import { device, ita, rejection, snt } from './harness';

const MIN = 60_000;
const SOURCE = 'agent:ITA';

export function agentsContract(get: () => SuiteContext): void {
  async function enrolled(devices = 2) {
    const { store, audits, clock } = get();
    const area = await store.createArea(ita, audits.area());
    const other = await store.createArea(snt, audits.area());
    const ids: number[] = [];
    for (let i = 1; i <= devices; i++) {
      ids.push(
        (await store.createDevice(device(area.id, { name: `CAM-${i}`, host: `10.0.0.${i}` }), audits.device())).id,
      );
    }
    await store.issueAgentKey(
      { areaId: area.id, replacing: null, keyHash: 'a'.repeat(64), keyPrefix: 'prefixaaaa', now: clock.now() },
      get().audits.agentKey('agent.key_issue'),
    );
    const [agent] = await store.listAgents({});
    return { area, other, ids, agentId: agent!.agentId };
  }
  const batch = (agentId: number, sequence: number, over: Partial<AgentBatchWrite> = {}): AgentBatchWrite => ({
    agentId,
    source: SOURCE,
    sequence,
    digest: `digest-${sequence}`,
    receivedAt: get().clock.now(),
    observations: 0,
    segments: [],
    statusChanges: [],
    minutes: [],
    statuses: [],
    ...over,
  });
  const probes = async (store: Store, deviceId: number) =>
    (await store.rttRollups({ deviceId, from: 0, to: Number.MAX_SAFE_INTEGER })).reduce((n, p) => n + p.probes, 0);

  describe('keys', () => {
    it('issues, finds by prefix, rotates and revokes a key conditionally, each with its audit entry', async () => {
      const { store, clock, audits } = get();
      const area = await store.createArea(ita, audits.area());
      const first = await store.issueAgentKey(
        { areaId: area.id, replacing: null, keyHash: 'h1'.padEnd(64, '0'), keyPrefix: 'aaaaaaaaaa', now: clock.now() },
        get().audits.agentKey('agent.key_issue'),
      );
      expect(first).toMatchObject({ areaId: area.id, areaCode: 'ITA', keyPrefix: 'aaaaaaaaaa', revokedAt: null });
      expect(await store.findAgentCredential('aaaaaaaaaa')).toMatchObject({
        areaId: area.id,
        areaCode: 'ITA',
        keyHash: 'h1'.padEnd(64, '0'),
      });
      // A second "first" key, or a rotation of a key that is not the current one, changes nothing.
      const twice = await rejection(
        store.issueAgentKey(
          { areaId: area.id, replacing: null, keyHash: 'x'.repeat(64), keyPrefix: 'xxxxxxxxxx', now: clock.now() },
          get().audits.agentKey('agent.key_issue'),
        ),
      );
      expect(twice.kind).toBe('conflict');
      const rotated = await store.issueAgentKey(
        {
          areaId: area.id,
          replacing: 'aaaaaaaaaa',
          keyHash: 'h2'.padEnd(64, '0'),
          keyPrefix: 'bbbbbbbbbb',
          now: clock.now(),
        },
        get().audits.agentKey('agent.key_rotate'),
      );
      expect(rotated.keyPrefix).toBe('bbbbbbbbbb');
      expect(await store.findAgentCredential('aaaaaaaaaa')).toBeUndefined();
      expect(
        (
          await rejection(
            store.revokeAgentKey(
              { areaId: area.id, keyPrefix: 'aaaaaaaaaa', now: clock.now() },
              get().audits.agentKey('agent.key_revoke'),
            ),
          )
        ).kind,
      ).toBe('conflict');
      const revoked = await store.revokeAgentKey(
        { areaId: area.id, keyPrefix: 'bbbbbbbbbb', now: clock.now() },
        get().audits.agentKey('agent.key_revoke'),
      );
      expect(revoked).toMatchObject({ keyPrefix: null, revokedAt: clock.now() });
      expect(await store.findAgentCredential('bbbbbbbbbb')).toBeUndefined();
      const [record] = await store.listAgents({});
      expect(record).toMatchObject({ areaCode: 'ITA', keyPrefix: null, revokedAt: clock.now() });
      const trail = await store.listAudit({ entity: 'agent', limit: 10 });
      expect(trail.map((e) => e.action)).toEqual(['agent.key_revoke', 'agent.key_rotate', 'agent.key_issue']);
      expect(trail.map((e) => e.after).join()).not.toContain('h2');
      // After a revocation the area can be given a first key again.
      await store.issueAgentKey(
        { areaId: area.id, replacing: null, keyHash: 'h3'.padEnd(64, '0'), keyPrefix: 'cccccccccc', now: clock.now() },
        get().audits.agentKey('agent.key_issue'),
      );
      expect(await store.findAgentCredential('cccccccccc')).toBeDefined();
    });

    it('lets exactly one of two rotations racing on their own connections win', async () => {
      const { store, clock, harness } = get();
      const { area } = await enrolled(0);
      const other = harness.second ? await harness.second() : store;
      const rotate = (s: Store, prefix: string) =>
        s.issueAgentKey(
          {
            areaId: area.id,
            replacing: 'prefixaaaa',
            keyHash: prefix.padEnd(64, '0'),
            keyPrefix: prefix,
            now: clock.now(),
          },
          get().audits.agentKey('agent.key_rotate'),
        );
      const outcomes = await Promise.allSettled([rotate(store, 'rotateaaaa'), rotate(other, 'rotatebbbb')]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const [record] = await store.listAgents({});
      expect(['rotateaaaa', 'rotatebbbb']).toContain(record!.keyPrefix);
      expect((await store.listAudit({ action: 'agent.key_rotate', limit: 10 })).length).toBe(1);
    });

    it('lists agents of the given areas only', async () => {
      const { store } = get();
      const { other } = await enrolled(0);
      expect(await store.listAgents({ areaIds: [other.id] })).toEqual([]);
      expect((await store.listAgents({})).map((a) => a.areaCode)).toEqual(['ITA']);
    });
  });

  describe('heartbeats', () => {
    it('marks the agent heard from and keeps a history, oldest first, pruned by age', async () => {
      const { store, clock } = get();
      const { agentId } = await enrolled(0);
      const t = clock.now();
      for (let i = 0; i < 3; i++) {
        await store.recordAgentHeartbeat({
          agentId,
          at: t + i * MIN,
          version: '1.2.3',
          report: JSON.stringify({ n: i }),
          latencyMs: 40 + i,
          devicesOnline: 10 - i,
          outboxRows: i,
          clockOffsetMs: i === 2 ? 600_000 : 0,
        });
      }
      const [record] = await store.listAgents({});
      expect(record).toMatchObject({ lastHeartbeatAt: t + 2 * MIN, version: '1.2.3', lastReport: '{"n":2}' });
      const history = await store.agentHeartbeats({ agentId, since: t + MIN, limit: 10 });
      expect(history).toEqual([
        { at: t + MIN, latencyMs: 41, devicesOnline: 9, outboxRows: 1, clockOffsetMs: 0 },
        { at: t + 2 * MIN, latencyMs: 42, devicesOnline: 8, outboxRows: 2, clockOffsetMs: 600_000 },
      ]);
      expect(await store.agentHeartbeats({ agentId, since: t, limit: 1 })).toHaveLength(1);
      await store.pruneAgentHistory({ before: t + 2 * MIN });
      expect((await store.agentHeartbeats({ agentId, since: 0, limit: 10 })).map((h) => h.at)).toEqual([t + 2 * MIN]);
    });

    it('takes the area out of the central sweeps while the agent is heard from', async () => {
      const { store, clock } = get();
      const { agentId, ids } = await enrolled(1);
      const targets = () => store.listSweepTargets({ now: clock.now(), agentHeartbeatTimeoutMs: 180_000 });
      expect((await targets()).map((t) => t.id)).toEqual(ids);
      await store.recordAgentHeartbeat({
        agentId,
        at: clock.now(),
        version: '1',
        report: '{}',
        latencyMs: null,
        devicesOnline: 0,
        outboxRows: 0,
        clockOffsetMs: null,
      });
      expect(await targets()).toEqual([]);
      clock.advance(181_000);
      expect((await targets()).map((t) => t.id)).toEqual(ids);
    });
  });

  describe('batches', () => {
    it('applies segments, changes, minutes and statuses once; a resend is a duplicate; a reused sequence a conflict', async () => {
      const { store, clock } = get();
      const { agentId, ids, area } = await enrolled(2);
      const t = clock.now() - 10 * MIN;
      const full = batch(agentId, 1, {
        observations: 3,
        segments: [{ deviceId: ids[0]!, state: 'online', startAt: t, endAt: t + MIN }],
        statusChanges: [{ deviceId: ids[0]!, from: 'PENDING', to: 'ONLINE', at: t }],
        minutes: [
          { deviceId: ids[0]!, minuteAt: t - (t % MIN), probes: 2, failures: 1, rttMin: 12, rttMax: 12, rttSum: 12 },
          { deviceId: ids[1]!, minuteAt: t - (t % MIN), probes: 1, failures: 1, rttMin: null, rttMax: null, rttSum: 0 },
        ],
        statuses: [
          { deviceId: ids[0]!, status: 'ONLINE', since: t },
          { deviceId: ids[1]!, status: 'PENDING', since: null },
        ],
      });
      const result = await store.applyAgentBatch(full);
      expect(result.outcome).toBe('applied');
      expect(result.statusChanges).toContainEqual({
        deviceId: ids[0],
        areaId: area.id,
        from: 'PENDING',
        to: 'ONLINE',
        at: t,
      });
      expect((await store.getDevice(ids[0]!))?.status).toBe('ONLINE');
      expect(await store.listSegments({ deviceIds: ids, from: 0, to: t + 2 * MIN })).toEqual([
        { deviceId: ids[0], state: 'online', source: SOURCE, startAt: t, endAt: t + MIN },
      ]);
      expect(await probes(store, ids[0]!)).toBe(2);
      expect((await store.listAgents({}))[0]).toMatchObject({ lastSequence: 1, observationsReceived: 3 });

      expect((await store.applyAgentBatch(full)).outcome).toBe('duplicate');
      const reuse = await rejection(store.applyAgentBatch({ ...full, digest: 'other' }));
      expect(reuse.kind).toBe('conflict');
      expect(await probes(store, ids[0]!)).toBe(2);
      expect((await store.listStatusChanges({ limit: 10 })).length).toBe(1);

      // The segment grows in a later batch (end forward only), and the minute's probes add up.
      await store.applyAgentBatch(
        batch(agentId, 2, {
          observations: 1,
          segments: [{ deviceId: ids[0]!, state: 'online', startAt: t, endAt: t + 2 * MIN }],
          minutes: [
            { deviceId: ids[0]!, minuteAt: t - (t % MIN), probes: 1, failures: 0, rttMin: 8, rttMax: 8, rttSum: 8 },
          ],
        }),
      );
      await store.applyAgentBatch(
        batch(agentId, 3, { segments: [{ deviceId: ids[0]!, state: 'online', startAt: t, endAt: t + MIN }] }),
      );
      const [segment] = await store.listSegments({ deviceIds: [ids[0]!], from: 0, to: t + 5 * MIN });
      expect(segment?.endAt).toBe(t + 2 * MIN);
      const [point] = await store.rttRollups({ deviceId: ids[0]!, from: 0, to: Number.MAX_SAFE_INTEGER });
      expect(point).toMatchObject({ probes: 3, failures: 1, rttMinMs: 0.8, rttMaxMs: 1.2, rttAvgMs: 1 });
      expect((await store.listAgents({}))[0]).toMatchObject({ lastSequence: 3, observationsReceived: 4 });
    });

    it('counts probes per device and source within a window, from the rollups', async () => {
      const { store, clock } = get();
      const { agentId, ids } = await enrolled(2);
      const t = clock.now() - (clock.now() % 3_600_000);
      await store.applyAgentBatch(
        batch(agentId, 1, {
          observations: 5,
          minutes: [
            { deviceId: ids[0]!, minuteAt: t, probes: 3, failures: 1, rttMin: 1, rttMax: 2, rttSum: 3 },
            { deviceId: ids[0]!, minuteAt: t + 61 * MIN, probes: 1, failures: 0, rttMin: 1, rttMax: 1, rttSum: 1 },
            { deviceId: ids[1]!, minuteAt: t + MIN, probes: 1, failures: 1, rttMin: null, rttMax: null, rttSum: 0 },
          ],
        }),
      );
      await store.acquireMonitorLease('central', clock.now(), 15_000);
      await store.recordSweep({
        holder: 'central',
        epoch: 1,
        leaseExpiresAt: clock.now() + 15_000,
        source: 'central',
        summary: {
          startedAt: t,
          durationMs: 1,
          devicesProbed: 1,
          failures: 0,
          overrunMs: 0,
          prober: 'x',
          probesNotRun: 0,
          proberProblem: null,
        },
        extend: [],
        insert: [],
        statusChanges: [],
        minutes: [
          { deviceId: ids[0]!, minuteAt: t + 2 * MIN, probes: 1, failures: 0, rttMin: 10, rttMax: 10, rttSum: 10 },
        ],
        probes: [],
        keepRaw: false,
      });
      expect(await store.probeCounts({ deviceIds: ids, from: t, to: t + 60 * MIN })).toEqual(
        [
          { deviceId: ids[0], source: SOURCE, probes: 3, failures: 1 },
          { deviceId: ids[0], source: 'central', probes: 1, failures: 0 },
          { deviceId: ids[1], source: SOURCE, probes: 1, failures: 1 },
        ].sort((a, b) => a.deviceId! - b.deviceId! || a.source.localeCompare(b.source)),
      );
      expect(await store.probeCounts({ deviceIds: [ids[0]!], from: t, to: t + 2 * 60 * MIN })).toContainEqual({
        deviceId: ids[0],
        source: SOURCE,
        probes: 4,
        failures: 1,
      });
    });

    it('applies the same batch racing on two connections exactly once', async () => {
      const { store, harness } = get();
      const { agentId, ids } = await enrolled(1);
      const other = harness.second ? await harness.second() : store;
      const same = batch(agentId, 1, {
        observations: 1,
        minutes: [{ deviceId: ids[0]!, minuteAt: 0, probes: 1, failures: 0, rttMin: 5, rttMax: 5, rttSum: 5 }],
      });
      const results = await Promise.all([store.applyAgentBatch(same), other.applyAgentBatch(same)]);
      expect(results.map((r) => r.outcome).sort()).toEqual(['applied', 'duplicate']);
      expect(await probes(store, ids[0]!)).toBe(1);
      expect((await store.listAgents({}))[0]!.observationsReceived).toBe(1);
    });

    it('takes a sequence at or below the last whose record was pruned for a duplicate', async () => {
      const { store, clock } = get();
      const { agentId, ids } = await enrolled(1);
      const minute = { deviceId: ids[0]!, minuteAt: 0, probes: 1, failures: 0, rttMin: 5, rttMax: 5, rttSum: 5 };
      await store.applyAgentBatch(batch(agentId, 7, { observations: 1, minutes: [minute] }));
      await store.pruneAgentHistory({ before: clock.now() + 1 });
      expect((await store.applyAgentBatch(batch(agentId, 7, { observations: 1, minutes: [minute] }))).outcome).toBe(
        'duplicate',
      );
      expect((await store.applyAgentBatch(batch(agentId, 6, { observations: 1, minutes: [minute] }))).outcome).toBe(
        'duplicate',
      );
      expect(await probes(store, ids[0]!)).toBe(1);
    });

    it('marks the central changes inside the agent segments superseded and corrects the statuses', async () => {
      const { store, clock } = get();
      const { agentId, ids, area } = await enrolled(1);
      const t = clock.now();
      await store.acquireMonitorLease('central', t, 15_000);
      await store.recordSweep({
        holder: 'central',
        epoch: 1,
        leaseExpiresAt: t + 15_000,
        source: 'central',
        summary: {
          startedAt: t + MIN,
          durationMs: 1,
          devicesProbed: 1,
          failures: 1,
          overrunMs: 0,
          prober: 'x',
          probesNotRun: 0,
          proberProblem: null,
        },
        extend: [],
        insert: [{ deviceId: ids[0]!, state: 'offline', startAt: t + MIN, endAt: t + MIN }],
        statusChanges: [{ deviceId: ids[0]!, from: 'PENDING', to: 'OFFLINE', at: t + MIN }],
        minutes: [],
        probes: [],
        keepRaw: false,
      });
      expect((await store.recentStatusChanges({ limit: 10 })).length).toBe(1);
      const result = await store.applyAgentBatch(
        batch(agentId, 1, {
          segments: [{ deviceId: ids[0]!, state: 'online', startAt: t, endAt: t + 2 * MIN }],
          statuses: [{ deviceId: ids[0]!, status: 'ONLINE', since: t }],
        }),
      );
      expect(result.statusChanges).toEqual([
        { deviceId: ids[0], areaId: area.id, from: 'OFFLINE', to: 'ONLINE', at: t },
      ]);
      expect((await store.getDevice(ids[0]!))?.status).toBe('ONLINE');
      const [change] = await store.listStatusChanges({ limit: 10 });
      expect(change).toMatchObject({ source: 'central', to: 'OFFLINE', superseded: true });
      expect(await store.recentStatusChanges({ limit: 10 })).toEqual([]);
    });

    it('leaves a device a workflow holds, and skips devices deleted since', async () => {
      const { store, clock, audits } = get();
      const { agentId, ids } = await enrolled(2);
      const t = clock.now();
      await setWorkflowState(store, ids[0]!, 'maintenance', t);
      await store.deleteDevice(ids[1]!, audits.device('device.delete'));
      const result = await store.applyAgentBatch(
        batch(agentId, 1, {
          observations: 1,
          segments: [
            { deviceId: ids[0]!, state: 'offline', startAt: t + MIN, endAt: t + 2 * MIN },
            { deviceId: ids[1]!, state: 'online', startAt: t, endAt: t + MIN },
          ],
          statusChanges: [
            { deviceId: ids[0]!, from: 'ONLINE', to: 'OFFLINE', at: t + MIN },
            { deviceId: ids[0]!, from: 'PENDING', to: 'ONLINE', at: t - MIN },
          ],
          minutes: [{ deviceId: ids[1]!, minuteAt: 0, probes: 1, failures: 0, rttMin: 1, rttMax: 1, rttSum: 1 }],
          statuses: [{ deviceId: ids[0]!, status: 'OFFLINE', since: t + MIN }],
        }),
      );
      expect(result.outcome).toBe('applied');
      expect((await store.getDevice(ids[0]!))?.status).toBe('MAINTENANCE');
      // What happened before the maintenance is history; what the agent saw after it is not a change of the device.
      const changes = await store.listStatusChanges({ deviceId: ids[0]!, limit: 10 });
      expect(changes.filter((c) => c.source === SOURCE).map((c) => [c.from, c.to])).toEqual([['PENDING', 'ONLINE']]);
    });
  });
}
