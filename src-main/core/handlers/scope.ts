import type { DeviceFilter } from '../../../src-shared/domain/device';
import { inScope } from '../contract/server';
import type { Session } from '../contract/session';
import { DomainError, notFound } from '../errors';
import type { DeviceQuery } from '../store/port';

/*
 * Area scoping (DESIGN.md §9): a user with allowed areas sees and acts on
 * those areas only. A record outside the scope is answered as not found, so
 * its existence is not revealed; acting into a foreign area is forbidden.
 */

export function requireInScope(session: Session, areaId: number, what: string): void {
  if (!inScope(session, [areaId])) throw notFound(what);
}

export function requireTargetArea(session: Session, areaId: number): void {
  if (!inScope(session, [areaId])) throw new DomainError('forbidden', `no access to area ${areaId}`);
}

/** The device filter narrowed to the session's areas; null when the filter asks for an area outside them. */
export function scopedDeviceQuery(session: Session, filter: DeviceFilter): DeviceQuery | null {
  if (session.allowedAreaIds === null) return filter;
  if (filter.areaId !== undefined && !session.allowedAreaIds.includes(filter.areaId)) return null;
  return { ...filter, areaIds: session.allowedAreaIds };
}

/** An optional area argument checked against the scope, plus the scope itself for queries over all areas. */
export function scopedArea(
  session: Session,
  areaId: number | undefined,
): { areaId?: number; areaIds?: readonly number[] } {
  if (areaId !== undefined) {
    requireTargetArea(session, areaId);
    return { areaId };
  }
  return session.allowedAreaIds === null ? {} : { areaIds: session.allowedAreaIds };
}
