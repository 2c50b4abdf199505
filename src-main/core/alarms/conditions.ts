import { SEVERITY_OF } from '../../../src-shared/domain/alarms';
import { VIDEO_HEALTHS } from '../../../src-shared/domain/camera';
import type { VideoHealthState } from '../../../src-shared/domain/camera';
import type { AlarmKind, AlarmSettings } from '../../../src-shared/domain/alarms';
import type { DeviceStatus } from '../../../src-shared/domain/status';
import type { AlarmOpening } from '../store/port';

/** What the alarm conditions look at, gathered by the alarm service. */
export interface AlarmFacts {
  readonly devices: ReadonlyArray<{
    readonly id: number;
    readonly areaId: number;
    readonly status: DeviceStatus;
    readonly parentId: number | null;
  }>;
  /** Status changes per device within the flapping window. */
  readonly changesInWindow: ReadonlyMap<number, number>;
  readonly silentAgentAreaIds: readonly number[];
  /** Sweeps in a row, up to the last, that overran their interval. */
  readonly overrunStreak: number;
  /** Share of the store's capacity in use; null when unknown. */
  readonly storeUsedPercent: number | null;
  /** Cameras whose last periodic video check was not good (empty while the checks are off). */
  readonly badVideo: ReadonlyArray<{ readonly deviceId: number; readonly health: VideoHealthState }>;
}

function opening(
  kind: AlarmKind,
  subject: number | null,
  areaId: number | null,
  deviceId: number | null,
  detail: Record<string, number>,
): AlarmOpening {
  return {
    kind,
    subjectKey: subject === null ? kind : `${kind}:${subject}`,
    severity: SEVERITY_OF[kind],
    areaId,
    deviceId,
    detail,
  };
}

/**
 * The alarms whose conditions hold now (DESIGN.md §5b). Level, not edge: the
 * service opens what is here and not open, and clears what is open and no
 * longer here, so a restart, a console taking over or a missed event never
 * leaves an alarm open for ever or a fall without one.
 */
export function alarmsThatHold(facts: AlarmFacts, settings: AlarmSettings): AlarmOpening[] {
  const result: AlarmOpening[] = [];
  const lostAreas = areasThatLostTheirLink(facts, settings);
  for (const [areaId, counts] of lostAreas) {
    result.push(opening('area_link_lost', areaId, areaId, null, counts));
  }
  const byId = new Map(facts.devices.map((d) => [d.id, d]));
  for (const device of facts.devices) {
    // A lost area's devices are grouped under its one alarm; a down parent's children raise none of their own.
    if (device.status !== 'OFFLINE' || lostAreas.has(device.areaId) || behindDownParent(device, byId)) continue;
    result.push(opening('device_offline', device.id, device.areaId, device.id, {}));
  }
  for (const [deviceId, changes] of facts.changesInWindow) {
    const device = byId.get(deviceId);
    if (!device || changes < settings.flapChanges) continue;
    result.push(
      opening('device_unstable', deviceId, device.areaId, deviceId, {
        changes,
        minutes: settings.flapWindowMinutes,
      }),
    );
  }
  for (const { deviceId, health } of facts.badVideo) {
    const device = byId.get(deviceId);
    // A camera that is down has no picture to speak of: its device_offline alarm says it already.
    if (!device || device.status !== 'ONLINE' || lostAreas.has(device.areaId)) continue;
    result.push(opening('video_bad', deviceId, device.areaId, deviceId, { health: VIDEO_HEALTHS.indexOf(health) }));
  }
  for (const areaId of facts.silentAgentAreaIds) result.push(opening('agent_silent', areaId, areaId, null, {}));
  if (facts.overrunStreak >= settings.overrunSweeps) {
    result.push(opening('sweep_overrun', null, null, null, { sweeps: facts.overrunStreak }));
  }
  if (facts.storeUsedPercent !== null && facts.storeUsedPercent >= settings.storeCapacityPercent) {
    result.push(opening('store_capacity', null, null, null, { percent: Math.round(facts.storeUsedPercent) }));
  }
  return result;
}

/** Areas where most watched devices are down at once: what a cut link looks like from the central. */
function areasThatLostTheirLink(facts: AlarmFacts, settings: AlarmSettings): Map<number, Record<string, number>> {
  const counts = new Map<number, { watched: number; down: number }>();
  for (const d of facts.devices) {
    if (d.status !== 'ONLINE' && d.status !== 'OFFLINE') continue;
    const c = counts.get(d.areaId) ?? { watched: 0, down: 0 };
    c.watched++;
    if (d.status === 'OFFLINE') c.down++;
    counts.set(d.areaId, c);
  }
  const lost = new Map<number, Record<string, number>>();
  for (const [areaId, c] of counts) {
    if (c.down >= settings.areaLossMinDevices && c.down * 100 >= settings.areaLossPercent * c.watched) {
      lost.set(areaId, { down: c.down, watched: c.watched });
    }
  }
  return lost;
}

/** Any device it is reached through, however far up, is down. */
function behindDownParent(
  device: AlarmFacts['devices'][number],
  byId: ReadonlyMap<number, AlarmFacts['devices'][number]>,
): boolean {
  const seen = new Set<number>([device.id]);
  let parentId = device.parentId;
  while (parentId !== null && !seen.has(parentId)) {
    const parent = byId.get(parentId);
    if (!parent) return false;
    if (parent.status === 'OFFLINE') return true;
    seen.add(parentId);
    parentId = parent.parentId;
  }
  return false;
}
