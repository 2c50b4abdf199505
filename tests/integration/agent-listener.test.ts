import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BATCH_BODY_BYTES } from '../../src-shared/domain/agents';
import type { AgentBatch } from '../../src-shared/domain/agents';
import { startSyncCentral, startTestAgent } from '../helpers/agents';
import { rawAgentRequest } from '../helpers/agent-http';
import { ManualClock } from '../helpers/clock';
import { ScriptedProber } from '../helpers/fake-prober';
import { tempDir } from '../helpers/temp';

const T0 = Date.UTC(2026, 10, 2, 3, 0, 0);
const MIN = 60_000;

describe('the agent listener refuses bad input with a clear status and applies nothing', () => {
  let central: Awaited<ReturnType<typeof startSyncCentral>>;
  let clock: ManualClock;
  let ita: Awaited<ReturnType<typeof central.enrol>>;
  let snt: Awaited<ReturnType<typeof central.enrol>>;
  let address = 10;
  /** Each case from its own loopback address: the wrong-key limit is per address. */
  const from = () => `127.0.77.${address++}`;

  beforeAll(async () => {
    clock = new ManualClock(T0 + 60 * MIN);
    central = await startSyncCentral({ clock, prober: new ScriptedProber() });
    ita = await central.enrol(2, 'ITA');
    snt = await central.enrol(1, 'SNT');
  });
  afterAll(() => central.dispose());

  const batch = (sequence: number, deviceId = ita.devices[0]!.id, at = T0): AgentBatch => ({
    sequence,
    sealedAt: at + MIN,
    observations: 2,
    segments: [{ deviceId, state: 'online', startAt: at, endAt: at + 55_000 }],
    statusChanges: [{ deviceId, from: 'PENDING', to: 'ONLINE', at }],
    minutes: [{ deviceId, minuteAt: at, probes: 2, failures: 0, rttMin: 10, rttMax: 30, rttSum: 40 }],
    statuses: [{ deviceId, status: 'ONLINE', since: at }],
  });
  const post = (body: string | Buffer, options: { key?: string; area?: string; gzip?: boolean } = {}) =>
    rawAgentRequest(central.url, 'batches', {
      key: options.key ?? ita.key,
      area: options.area ?? 'ITA',
      body,
      localAddress: from(),
      ...(options.gzip ? { gzip: true } : {}),
    });
  /** What the central holds of ITA's agent: nothing may move when a request is refused. */
  const applied = async () => {
    const view = (await central.client.call('agents.list', {})).find((a) => a.areaCode === 'ITA')!;
    const rollups = await central.store.rttRollups({ deviceId: ita.devices[0]!.id, from: 0, to: T0 + 100 * MIN });
    const device = await central.client.call('devices.get', { id: ita.devices[0]!.id });
    return {
      sequence: view.lastSequence,
      observations: view.observationsReceived,
      rollups: rollups.length,
      status: device.status,
    };
  };

  it('answers every request with the central time, in the JSON and a header', async () => {
    const answer = await rawAgentRequest(central.url, 'config', { key: ita.key, area: 'ITA' });
    expect(answer.status).toBe(200);
    expect(answer.body.centralTime).toBe(clock.now());
    expect(answer.headers['x-vigia-central-time']).toBe(String(clock.now()));
  });

  it.each([
    ['malformed JSON', () => post('{"sequence": 1,'), 400, 'malformed_json'],
    ['a schema violation', () => post(JSON.stringify({ ...batch(1), sequence: -4 })), 422, 'invalid_body'],
    [
      'a segment that ends before it starts',
      () => {
        const bad = batch(1);
        return post(JSON.stringify({ ...bad, segments: [{ ...bad.segments[0]!, endAt: T0 - 1 }] }));
      },
      422,
      'invalid_body',
    ],
    [
      'observations that do not add up',
      () => post(JSON.stringify({ ...batch(1), observations: 9 })),
      422,
      'invalid_body',
    ],
    ['a body over the cap', () => post(Buffer.alloc(MAX_BATCH_BODY_BYTES + 1024, 32)), 413, 'too_large'],
    [
      'a small gzip that inflates past the cap',
      () => post(Buffer.alloc(40 * 1024 * 1024, 32), { gzip: true }),
      413,
      'too_large',
    ],
    [
      'a wrong key',
      () => post(JSON.stringify(batch(1)), { key: `vga_abcdefghjk_${'A'.repeat(43)}` }),
      401,
      'unauthorized',
    ],
    ['another area’s key', () => post(JSON.stringify(batch(1)), { key: snt.key }), 403, 'wrong_area'],
    ['devices of another area', () => post(JSON.stringify(batch(1, snt.devices[0]!.id))), 403, 'foreign_devices'],
    [
      'times beyond the skew tolerance',
      () => post(JSON.stringify(batch(1, ita.devices[0]!.id, T0 + 63 * MIN))),
      422,
      'clock_skew',
    ],
  ])('%s', async (_case, send, status, code) => {
    const before = await applied();
    const answer = await send();
    expect(answer.status).toBe(status);
    expect(answer.body.error?.code).toBe(code);
    expect(answer.body.error?.message.length).toBeGreaterThan(10);
    expect(typeof answer.body.centralTime).toBe('number');
    expect(await applied()).toEqual(before);
  });

  it('rate-limits wrong keys per address, and says when to try again', async () => {
    const attacker = '127.0.78.1';
    const wrong = `vga_abcdefghjk_${'B'.repeat(43)}`;
    const answers = [];
    for (let i = 0; i < 14; i++) {
      answers.push(await rawAgentRequest(central.url, 'config', { key: wrong, area: 'ITA', localAddress: attacker }));
    }
    expect(answers.slice(0, 10).every((a) => a.status === 401)).toBe(true);
    expect(answers.slice(11).every((a) => a.status === 429 && a.body.error?.code === 'rate_limited')).toBe(true);
    expect(Number(answers[13]!.headers['retry-after'])).toBeGreaterThan(0);
    // Another address is not slowed by it.
    expect(
      (await rawAgentRequest(central.url, 'config', { key: ita.key, area: 'ITA', localAddress: from() })).status,
    ).toBe(200);
  });

  it('applies a batch once: a resend is acknowledged without applying it again; a reused sequence is refused', async () => {
    const first = JSON.stringify(batch(5));
    const before = await applied();
    const answers = await Promise.all([post(first), post(first), post(first)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.map((a) => a.body.outcome).sort()).toEqual(['applied', 'duplicate', 'duplicate']);
    const after = await applied();
    expect(after).toEqual({ sequence: 5, observations: before.observations + 2, rollups: 1, status: 'ONLINE' });
    const [point] = await central.store.rttRollups({ deviceId: ita.devices[0]!.id, from: 0, to: T0 + 100 * MIN });
    expect(point).toMatchObject({ probes: 2, failures: 0, rttMinMs: 1, rttMaxMs: 3, rttAvgMs: 2 });

    const again = await post(first, { gzip: true });
    expect(again.body.outcome).toBe('duplicate');
    const reused = await post(
      JSON.stringify({ ...batch(5), minutes: [{ ...batch(5).minutes[0]!, probes: 2, rttSum: 44 }] }),
    );
    expect(reused.status).toBe(409);
    expect(reused.body.error?.code).toBe('sequence_conflict');
    expect(await applied()).toEqual(after);
  });

  it('keeps a refused batch at the agent and shows why; a new key lets the same batch through', async () => {
    const agentDir = tempDir('vigia-agent-');
    try {
      const prober = new ScriptedProber();
      let agent = await startTestAgent({
        url: central.url,
        fingerprint: central.fingerprint,
        key: snt.key,
        areaCode: 'SNT',
        clock,
        prober,
        dataDir: agentDir.path,
      });
      await agent.runtime.refreshConfig();
      await agent.runtime.monitor.sweepOnce();
      const sntView = async () => (await central.client.call('agents.list', {})).find((a) => a.areaCode === 'SNT')!;
      await central.client.call('agents.revokeKey', { areaId: snt.area.id, keyPrefix: snt.issued.keyPrefix });

      await expect(agent.runtime.syncOnce()).rejects.toThrow(/wrong, revoked or missing/);
      const refused = await agent.runtime.status();
      expect(refused.link).toBe('failing');
      expect(refused.lastError?.code).toBe('unauthorized');
      expect(refused.outbox.batches).toBe(1);
      expect((await sntView()).observationsReceived).toBe(0);
      await agent.stop();

      const renewed = await central.client.call('agents.issueKey', { areaId: snt.area.id, replacing: null });
      agent = await startTestAgent({
        url: central.url,
        fingerprint: central.fingerprint,
        key: renewed.key,
        areaCode: 'SNT',
        clock,
        prober,
        dataDir: agentDir.path,
      });
      await agent.runtime.syncOnce();
      expect((await agent.runtime.status()).outbox.batches).toBe(0);
      expect((await sntView()).observationsReceived).toBe(1);
      await agent.stop();
    } finally {
      agentDir.remove();
    }
  });

  it('refuses an agent whose pinned fingerprint is not the central certificate, before sending its key', async () => {
    const agentDir = tempDir('vigia-agent-');
    const other = 'AB:'.repeat(31) + 'AB';
    const agent = await startTestAgent({
      url: central.url,
      fingerprint: other,
      key: ita.key,
      clock,
      prober: new ScriptedProber(),
      dataDir: agentDir.path,
    });
    try {
      await expect(agent.runtime.refreshConfig()).rejects.toThrow(/not the pinned one/);
      expect((await agent.runtime.status()).lastError?.code).toBe('certificate');
    } finally {
      await agent.stop();
      agentDir.remove();
    }
  });

  it('is gzip-aware and answers unknown paths and methods with 404 JSON', async () => {
    const gz = await rawAgentRequest(central.url, 'batches', {
      key: ita.key,
      area: 'ITA',
      body: gzipSync('not json'),
      headers: { 'Content-Encoding': 'gzip' },
      localAddress: from(),
    });
    expect(gz.body.error?.code).toBe('malformed_json');
    const unknown = await rawAgentRequest(central.url, '/agent/v1/nothing', { key: ita.key, area: 'ITA' });
    expect(unknown.status).toBe(404);
    const wrongMethod = await rawAgentRequest(central.url, 'heartbeat', { key: ita.key, area: 'ITA', method: 'GET' });
    expect(wrongMethod.status).toBe(404);
  });
});
