/* eslint-disable @typescript-eslint/require-await -- see catalog.ts: async for the port, synchronous underneath. */
import { and, count, desc, eq, gte, inArray, isNull, lt, or, sql, asc } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { ProberProblem, StatusChange } from '../../../../src-shared/domain/monitoring';
import type { DeviceStatus } from '../../../../src-shared/domain/status';
import type { DeviceSegment, TimelineStore, WorkflowFilter } from '../port';
import { addHourlyCounts, dayOf, hourPoints } from '../hourly-codec';
import { hourOf, mergeMinutePoints, minutePoints, sumProbeCounts } from '../rollup-codec';
import type { SqliteDb } from './connection';
import { chunks, IN_LIST_CHUNK } from './connection';
import {
  areas,
  devices,
  probeRollups,
  probeRollupsHourly,
  stateSegments,
  statusChanges,
  sweeps,
  users,
} from './schema';

/** The filters every workflow and history list shares, on the list's device and instant columns. */
export function workflowConditions(
  filter: WorkflowFilter,
  deviceId: AnySQLiteColumn,
  at: AnySQLiteColumn,
): Array<SQL | undefined> {
  return [
    filter.areaId === undefined ? undefined : eq(devices.areaId, filter.areaId),
    filter.areaIds === undefined ? undefined : inArray(devices.areaId, [...filter.areaIds]),
    filter.deviceId === undefined ? undefined : eq(deviceId, filter.deviceId),
    filter.from === undefined ? undefined : gte(at, filter.from),
    filter.to === undefined ? undefined : lt(at, filter.to),
  ];
}

const sweepColumns = {
  startedAt: sweeps.startedAt,
  durationMs: sweeps.durationMs,
  devicesProbed: sweeps.devicesProbed,
  failures: sweeps.failures,
  overrunMs: sweeps.overrunMs,
  prober: sweeps.prober,
  probesNotRun: sweeps.probesNotRun,
  proberProblem: sweeps.proberProblem,
};
/** The prober problem column holds only ProberProblem keys. */
const asSweep = <T extends { proberProblem: string | null }>(row: T) => ({
  ...row,
  proberProblem: row.proberProblem as ProberProblem | null,
});

export function sqliteTimelines(db: SqliteDb): TimelineStore {
  const statusChangeRows = (where: SQL | undefined, limit: number): StatusChange[] => {
    const rows = db
      .select({
        id: statusChanges.id,
        deviceId: statusChanges.deviceId,
        deviceName: devices.name,
        areaId: devices.areaId,
        areaCode: areas.code,
        from: statusChanges.fromStatus,
        to: statusChanges.toStatus,
        at: statusChanges.at,
        source: statusChanges.source,
        userName: users.displayName,
        superseded: statusChanges.superseded,
      })
      .from(statusChanges)
      .innerJoin(devices, eq(devices.id, statusChanges.deviceId))
      .innerJoin(areas, eq(areas.id, devices.areaId))
      .leftJoin(users, eq(users.id, statusChanges.userId))
      .where(where)
      .orderBy(desc(statusChanges.at), desc(statusChanges.id))
      .limit(limit)
      .all();
    // Statuses are written only from DeviceStatus values; the column is plain text.
    return rows.map((r) => ({ ...r, from: r.from as DeviceStatus, to: r.to as DeviceStatus }));
  };

  return {
    async listSegments(query) {
      const result: DeviceSegment[] = [];
      for (const ids of chunks(query.deviceIds, IN_LIST_CHUNK)) {
        const rows = db
          .select({
            deviceId: stateSegments.deviceId,
            state: stateSegments.state,
            source: stateSegments.source,
            startAt: stateSegments.startAt,
            endAt: stateSegments.endAt,
          })
          .from(stateSegments)
          .where(
            and(
              inArray(stateSegments.deviceId, ids),
              lt(stateSegments.startAt, query.to),
              or(isNull(stateSegments.endAt), sql`${stateSegments.endAt} > ${query.from}`),
            ),
          )
          .orderBy(asc(stateSegments.deviceId), asc(stateSegments.startAt))
          .all();
        for (const row of rows) {
          if (row.state === 'nodata') continue;
          result.push({ ...row, state: row.state, endAt: row.endAt ?? query.to });
        }
      }
      return result;
    },

    async statusCounts(query) {
      return db
        .select({
          areaId: devices.areaId,
          type: devices.type,
          context: devices.context,
          status: devices.status,
          count: count(),
        })
        .from(devices)
        .where(
          and(
            query.areaId === undefined ? undefined : eq(devices.areaId, query.areaId),
            query.areaIds === undefined ? undefined : inArray(devices.areaId, [...query.areaIds]),
          ),
        )
        .groupBy(devices.areaId, devices.type, devices.context, devices.status)
        .all();
    },

    async recentStatusChanges(query) {
      return statusChangeRows(
        and(
          query.areaId === undefined ? undefined : eq(devices.areaId, query.areaId),
          query.areaIds === undefined ? undefined : inArray(devices.areaId, [...query.areaIds]),
          query.deviceId === undefined ? undefined : eq(statusChanges.deviceId, query.deviceId),
          // What a cut link made the central believe is history, not a recent change.
          eq(statusChanges.superseded, false),
        ),
        query.limit,
      );
    },

    async listStatusChanges(filter) {
      return statusChangeRows(
        and(
          ...workflowConditions(filter, statusChanges.deviceId, statusChanges.at),
          filter.type === undefined ? undefined : eq(devices.type, filter.type),
        ),
        filter.limit,
      );
    },

    async listSweeps(query) {
      return db
        .select(sweepColumns)
        .from(sweeps)
        .where(and(eq(sweeps.source, query.source), gte(sweeps.startedAt, query.since)))
        .orderBy(asc(sweeps.startedAt))
        .all()
        .map(asSweep);
    },

    async lastSweep(source) {
      const row = db
        .select(sweepColumns)
        .from(sweeps)
        .where(eq(sweeps.source, source))
        .orderBy(desc(sweeps.startedAt))
        .limit(1)
        .get();
      return row && asSweep(row);
    },

    async rttRollups(query) {
      const rows = db
        .select({ hourAt: probeRollups.hourAt, minutes: probeRollups.minutes })
        .from(probeRollups)
        .where(
          and(
            eq(probeRollups.deviceId, query.deviceId),
            gte(probeRollups.hourAt, hourOf(query.from)),
            lt(probeRollups.hourAt, query.to),
          ),
        )
        .all();
      // Beyond the per-minute window the hourly tier answers, one point per hour.
      const days = db
        .select({ dayAt: probeRollupsHourly.dayAt, hours: probeRollupsHourly.hours })
        .from(probeRollupsHourly)
        .where(
          and(
            eq(probeRollupsHourly.deviceId, query.deviceId),
            gte(probeRollupsHourly.dayAt, dayOf(query.from)),
            lt(probeRollupsHourly.dayAt, query.to),
          ),
        )
        .all();
      return mergeMinutePoints([
        ...rows.flatMap((row) => minutePoints(row.hourAt, row.minutes, query.from, query.to)),
        ...days.flatMap((day) => hourPoints(day.dayAt, day.hours, query.from, query.to)),
      ]);
    },

    async probeCounts(query) {
      const rows = [];
      for (const ids of chunks(query.deviceIds, IN_LIST_CHUNK)) {
        rows.push(
          ...db
            .select({
              deviceId: probeRollups.deviceId,
              source: probeRollups.source,
              hourAt: probeRollups.hourAt,
              minutes: probeRollups.minutes,
            })
            .from(probeRollups)
            .where(
              and(
                inArray(probeRollups.deviceId, ids),
                gte(probeRollups.hourAt, hourOf(query.from)),
                lt(probeRollups.hourAt, query.to),
              ),
            )
            .all(),
        );
      }
      const days = [];
      for (const ids of chunks(query.deviceIds, IN_LIST_CHUNK)) {
        days.push(
          ...db
            .select({
              deviceId: probeRollupsHourly.deviceId,
              source: probeRollupsHourly.source,
              dayAt: probeRollupsHourly.dayAt,
              hours: probeRollupsHourly.hours,
            })
            .from(probeRollupsHourly)
            .where(
              and(
                inArray(probeRollupsHourly.deviceId, ids),
                gte(probeRollupsHourly.dayAt, dayOf(query.from)),
                lt(probeRollupsHourly.dayAt, query.to),
              ),
            )
            .all(),
        );
      }
      return addHourlyCounts(sumProbeCounts(rows, query.from, query.to), days, query.from, query.to);
    },
  };
}
