import { videoCheckMinutesOf } from '../../../src-shared/domain/area';
import type { Device } from '../../../src-shared/domain/device';
import type { SettingsService } from '../settings';
import type { Store } from '../store/port';
import type { CameraTarget, VideoCheckPlan } from './checker';
import { dueCameras } from './checker';

/** Only cameras that are up are looked at: a down one has no picture to judge, and ping says so already. */
const LOOKED_AT: ReadonlySet<Device['status']> = new Set(['ONLINE']);

/**
 * The central's cameras: each at its area's interval (the installation's
 * unless the area has its own), except in areas with an agent — those are
 * looked at by the agent at the site, not over the WAN.
 */
export function centralVideoPlan(store: Store, settings: SettingsService): VideoCheckPlan {
  return {
    async due(now) {
      const checks = await store.listCameraChecks();
      if (checks.length === 0) return [];
      const installation = settings.alarms().videoCheckMinutes;
      const everyMs = new Map(
        (await store.listAreas()).map((a) => [a.id, videoCheckMinutesOf(a, installation) * 60_000]),
      );
      const agentAreas = new Set((await store.listAgents({})).filter((a) => a.keyPrefix !== null).map((a) => a.areaId));
      const devices = new Map((await store.listDevices({})).map((d) => [d.id, d]));
      const looked = checks.flatMap((c) => {
        const device = devices.get(c.deviceId);
        if (!device || !LOOKED_AT.has(device.status) || agentAreas.has(device.areaId)) return [];
        return [{ checkedAt: c.checkedAt, device }];
      });
      return dueCameras(looked, now, (c) => everyMs.get(c.device.areaId) ?? 0).map(({ device }): CameraTarget => ({
        id: device.id,
        name: device.name,
        host: device.host,
        areaId: device.areaId,
      }));
    },
  };
}
