import type { DeviceStatus } from '../../../src-shared/domain/status';
import { isProbed } from '../../../src-shared/domain/status';
import { FORM_FIELD } from '../../../src-shared/domain/validation';
import { conflict } from '../errors';
import type { AgentBatchWrite, AgentKeyState } from './port';
import type { MinuteRow } from './rollup-codec';
import { hourOf } from './rollup-codec';

type AgentMinuteRow = AgentBatchWrite['minutes'][number];

/** A batch's minutes per device and hour, the unit the rollups are stored in. */
export function groupMinutesByHour(
  minutes: readonly AgentMinuteRow[],
): Array<{ deviceId: number; hourAt: number; minutes: MinuteRow[] }> {
  const groups = new Map<string, { deviceId: number; hourAt: number; minutes: MinuteRow[] }>();
  for (const minute of minutes) {
    const hourAt = hourOf(minute.minuteAt);
    const key = `${minute.deviceId}:${hourAt}`;
    const group = groups.get(key);
    if (group) group.minutes.push(minute);
    else groups.set(key, { deviceId: minute.deviceId, hourAt, minutes: [minute] });
  }
  return [...groups.values()];
}

/**
 * An agent's status change is history unless a workflow has held the device
 * since before it: what the agent saw after the device went to maintenance
 * (before it heard of it) is not a change of the device.
 */
export function keptByWorkflowRule(device: { status: DeviceStatus; statusSince: number }, at: number): boolean {
  return isProbed(device.status) || at < device.statusSince;
}

/** Someone else issued or revoked the area's key since the caller looked. */
export function keyConflict(now: AgentKeyState) {
  return conflict(
    `the key of area ${now.areaCode} changed meanwhile (now ${now.keyPrefix ?? 'none'}); look again`,
    FORM_FIELD,
    'key_changed',
  );
}
