import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentVideoHealth } from '../../src-shared/domain/agents';
import { CAMERA_PASSWORD, CAMERA_USER, startCameraServer } from '../helpers/camera-server';
import { rawAgentRequest } from '../helpers/agent-http';
import { startSyncCentral, startTestAgent } from '../helpers/agents';
import { ManualClock } from '../helpers/clock';
import { ScriptedProber } from '../helpers/fake-prober';
import { tempDir } from '../helpers/temp';

const S = 1000;
const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 2, 3, 0, 0);

/**
 * Cameras of an area with an agent are looked at by the agent, at the site
 * (issue on camera checks): real HTTPS between a central and an agent in this
 * process, cameras played by local HTTP servers on the devices' own loopback
 * addresses, clocks moved by hand.
 */
describe("an agent looks at its area's cameras and reports their video health", () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setup() {
    const clock = new ManualClock(T0);
    const central = await startSyncCentral({ clock, prober: new ScriptedProber(), settings: { intervalMs: 5 * S } });
    cleanups.push(() => central.dispose());
    const site = await central.enrol(2);
    const [patio, gate] = site.devices as [(typeof site.devices)[0], (typeof site.devices)[0]];
    const cameras = [await startCameraServer(patio.host), await startCameraServer(gate.host)] as const;
    cleanups.push(() => Promise.all(cameras.map((c) => c.close())).then(() => undefined));
    const admin = central.client;
    await admin.call('cameras.saveAccess', {
      deviceId: patio.id,
      make: 'hikvision',
      snapshotUrl: `${cameras[0].base}/ISAPI/Streaming/channels/101/picture`,
      rtspUrl: '',
      username: CAMERA_USER,
      password: CAMERA_PASSWORD,
    });
    await admin.call('cameras.saveAccess', {
      deviceId: gate.id,
      make: 'other',
      snapshotUrl: `${cameras[1].base}/black`,
      rtspUrl: '',
      username: '',
    });
    const { area } = site;
    await admin.call('areas.update', {
      id: area.id,
      code: area.code,
      name: area.name,
      timeZone: area.timeZone,
      videoCheckMinutes: 5,
    });
    const agentDir = tempDir('vigia-agent-');
    cleanups.push(() => agentDir.remove());
    const prober = new ScriptedProber(2.5);
    const agent = await startTestAgent({
      url: central.url,
      fingerprint: central.fingerprint,
      key: site.key,
      clock,
      prober,
      dataDir: agentDir.path,
    });
    cleanups.push(() => agent.stop());
    const runtime = agent.runtime;
    await runtime.refreshConfig();
    // Up by ping first: a camera that does not answer ping is not looked at.
    for (let i = 0; i < 3; i++) {
      await runtime.monitor.sweepOnce();
      clock.advance(5 * S);
    }
    return { clock, central, site, patio, gate, cameras, admin, agentDir, runtime, prober };
  }

  it('looks at them at the site, at the area’s interval, and the central shows the bad picture in its lists', async () => {
    const { clock, central, patio, gate, cameras, admin, agentDir, runtime, prober } = await setup();
    expect(runtime.config?.video).toMatchObject({ everyMinutes: 5 });
    expect(runtime.config?.video.cameras.map((c) => c.deviceId)).toEqual([patio.id, gate.id]);

    await runtime.video.checkNow();
    expect(cameras[0].hits()).toBeGreaterThan(0);
    expect(cameras[1].hits()).toBe(1);
    // Nothing reached the central yet: the looks are the agent's until it syncs.
    expect(await central.store.getVideoHealth(gate.id)).toBeUndefined();
    await runtime.syncOnce();
    expect(await central.store.getVideoHealth(patio.id)).toMatchObject({ health: 'ok', checkedAt: clock.now() });
    expect(await central.store.getVideoHealth(gate.id)).toMatchObject({ health: 'black', since: clock.now() });
    expect((await runtime.status()).cameras).toEqual({ total: 2, everyMinutes: 5, bad: 1, unreported: 0 });
    expect(await admin.call('cameras.videoProblemList', {})).toEqual([
      { deviceId: gate.id, deviceName: gate.name, areaCode: 'ITA', health: 'black', since: clock.now() },
    ]);

    // Two minutes later nothing is due; five minutes after the first look both are looked at again.
    const agentLook = await central.store.getVideoHealth(patio.id);
    clock.advance(2 * MIN);
    // "Ver imagem agora" from the control room shows the picture, but the health stays the site's.
    expect(await admin.call('cameras.look', { deviceId: patio.id })).toMatchObject({ health: { health: 'ok' } });
    expect(await central.store.getVideoHealth(patio.id)).toEqual(agentLook);
    await runtime.video.checkNow();
    expect(cameras[1].hits()).toBe(1);
    clock.advance(3 * MIN);
    await runtime.video.checkNow();
    expect(cameras[1].hits()).toBe(2);

    // A camera that stopped answering ping has no picture to judge: ping already says it is down.
    prober.setReachable(gate.host, false);
    for (let i = 0; i < 6; i++) {
      await runtime.monitor.sweepOnce();
      clock.advance(5 * S);
    }
    clock.advance(5 * MIN);
    await runtime.video.checkNow();
    expect(cameras[1].hits()).toBe(2);
    expect(cameras[0].hits()).toBeGreaterThan(3);

    // The password came over the pinned link and was sealed at once: no file of the agent holds it.
    for (const name of readdirSync(agentDir.path)) {
      const bytes = readFileSync(join(agentDir.path, name));
      expect(bytes.includes(CAMERA_PASSWORD), name).toBe(false);
    }
  });

  it('keeps looking while the central is away, and the central learns every camera’s latest look when it is back', async () => {
    const { clock, central, patio, cameras, runtime } = await setup();
    await runtime.video.checkNow();
    await runtime.syncOnce();
    const before = await central.store.getVideoHealth(patio.id);
    expect(before).toMatchObject({ health: 'ok' });

    await central.stop();
    // The patio camera still answers ping but no longer gives a picture.
    await cameras[0].close();
    clock.advance(5 * MIN);
    await runtime.video.checkNow();
    await expect(runtime.syncOnce()).rejects.toThrow();
    clock.advance(5 * MIN);
    await runtime.video.checkNow();
    const lastLook = clock.now();
    // The field technician's page says what waits for the link.
    expect((await runtime.status()).cameras).toMatchObject({ bad: 2, unreported: 2 });

    await central.start();
    await runtime.syncOnce();
    expect(await central.store.getVideoHealth(patio.id)).toMatchObject({
      health: 'no_image',
      checkedAt: lastLook,
      since: lastLook - 5 * MIN,
    });
    expect((await runtime.status()).link).toBe('ok');
  });

  it('hands a new address or password to the agent at its next heartbeat', async () => {
    const { central, gate, cameras, admin, runtime } = await setup();
    const version = runtime.config!.version;
    await admin.call('cameras.saveAccess', {
      deviceId: gate.id,
      make: 'axis',
      snapshotUrl: `${cameras[1].base}/axis-cgi/jpg/image.cgi`,
      rtspUrl: '',
      username: CAMERA_USER,
      password: CAMERA_PASSWORD,
    });
    await runtime.heartbeatOnce();
    expect(runtime.config!.version).not.toBe(version);
    await runtime.video.checkNow();
    await runtime.syncOnce();
    expect(await central.store.getVideoHealth(gate.id)).toMatchObject({ health: 'ok' });
  });

  it("refuses a report about another area's camera, a malformed one and a stale one, changing nothing", async () => {
    const { clock, central, site, gate, runtime } = await setup();
    await runtime.video.checkNow();
    await runtime.syncOnce();
    const kept = await central.store.getVideoHealth(gate.id);
    const other = await central.enrol(1, 'SNT');
    const look = (overrides: Partial<AgentVideoHealth>): AgentVideoHealth => ({
      deviceId: gate.id,
      health: 'ok',
      detail: 'looks fine',
      checkedAt: clock.now(),
      since: clock.now(),
      ...overrides,
    });
    const send = (key: string, area: string, body: unknown) =>
      rawAgentRequest(central.url, 'video-health', { key, area, body: JSON.stringify(body) });

    // SNT's key reporting ITA's camera as good again: refused whole.
    const foreign = await send(other.key, 'SNT', { healths: [look({}), look({ deviceId: other.devices[0]!.id })] });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error?.code).toBe('foreign_devices');
    // A health the protocol does not know, a look before its own "since", a camera named twice, nothing.
    for (const body of [
      { healths: [{ ...look({}), health: 'great' }] },
      { healths: [look({ since: clock.now() + 1 })] },
      { healths: [look({}), look({})] },
      { healths: [] },
    ]) {
      const answer = await send(site.key, 'ITA', body);
      expect(answer.status, JSON.stringify(body)).toBe(422);
      expect(answer.body.error?.code).toBe('invalid_body');
    }
    // A look older than the one kept (a report that took the long way) is acknowledged and not kept.
    const stale = await send(site.key, 'ITA', {
      healths: [look({ checkedAt: kept!.checkedAt - MIN, since: kept!.checkedAt - MIN })],
    });
    expect(stale.status).toBe(200);
    expect(stale.body.recorded).toBe(0);
    expect(await central.store.getVideoHealth(gate.id)).toEqual(kept);
  });
});
