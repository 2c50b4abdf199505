/* eslint-disable @typescript-eslint/require-await -- see catalog.ts: async for the port, synchronous underneath. */
import { and, asc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import { isProbed, PROBED_STATUSES } from '../../../../src-shared/domain/status';
import { conflict } from '../../errors';
import type { MonitorStore } from '../port';
import { addHours, DAY_MS, dayOf, foldIntoDays } from '../hourly-codec';
import { addMinutes, HOUR_MS, hourOf } from '../rollup-codec';
import { groupByDeviceHour } from '../sweep-rows';
import type { SqliteDb } from './connection';
import {
  agents,
  devices,
  monitorLease,
  probeResults,
  probeRollups,
  probeRollupsHourly,
  stateSegments,
  statusChanges,
  sweeps,
} from './schema';

/** The sweep's statements, prepared once: a sweep of thousands of devices writes in milliseconds. */
function prepareHotPath(db: SqliteDb) {
  const p = (name: string) => sql.placeholder(name);
  return {
    renewLease: db
      .update(monitorLease)
      .set({ expiresAt: p('expiresAt') })
      .where(and(eq(monitorLease.id, 1), eq(monitorLease.holder, p('holder')), eq(monitorLease.epoch, p('epoch'))))
      .prepare(),
    extendSegment: db
      .update(stateSegments)
      .set({ endAt: p('endAt') })
      .where(
        and(
          eq(stateSegments.deviceId, p('deviceId')),
          eq(stateSegments.source, p('source')),
          eq(stateSegments.startAt, p('startAt')),
        ),
      )
      .prepare(),
    insertSegment: db
      .insert(stateSegments)
      .values({
        deviceId: p('deviceId'),
        state: p('state'),
        source: p('source'),
        startAt: p('startAt'),
        endAt: p('endAt'),
      })
      .prepare(),
    insertStatusChange: db
      .insert(statusChanges)
      .values({ deviceId: p('deviceId'), fromStatus: p('from'), toStatus: p('to'), at: p('at'), source: p('source') })
      .prepare(),
    setDeviceStatus: db
      .update(devices)
      .set({ status: p('status'), statusSince: p('at') })
      .where(eq(devices.id, p('deviceId')))
      .prepare(),
    insertRaw: db
      .insert(probeResults)
      .values({ deviceId: p('deviceId'), at: p('at'), source: p('source'), alive: p('alive'), rttMs: p('rttMs') })
      .prepare(),
    selectHour: db
      .select({ minutes: probeRollups.minutes })
      .from(probeRollups)
      .where(
        and(
          eq(probeRollups.deviceId, p('deviceId')),
          eq(probeRollups.hourAt, p('hourAt')),
          eq(probeRollups.source, p('source')),
        ),
      )
      .prepare(),
    upsertHour: db
      .insert(probeRollups)
      .values({ deviceId: p('deviceId'), hourAt: p('hourAt'), source: p('source'), minutes: p('minutes') })
      .onConflictDoUpdate({
        target: [probeRollups.deviceId, probeRollups.hourAt, probeRollups.source],
        set: { minutes: sql`excluded.minutes` },
      })
      .prepare(),
    insertSweep: db
      .insert(sweeps)
      .values({
        source: p('source'),
        epoch: p('epoch'),
        startedAt: p('startedAt'),
        durationMs: p('durationMs'),
        devicesProbed: p('devicesProbed'),
        failures: p('failures'),
        overrunMs: p('overrunMs'),
        prober: p('prober'),
        probesNotRun: p('probesNotRun'),
        proberProblem: p('proberProblem'),
      })
      .prepare(),
  };
}

export function sqliteMonitor(db: SqliteDb): MonitorStore {
  const hot = prepareHotPath(db);
  return {
    async listSweepTargets(query) {
      const healthySince = query.now - query.agentHeartbeatTimeoutMs;
      const covered = db
        .select({ areaId: agents.areaId })
        .from(agents)
        .where(gte(agents.lastHeartbeatAt, healthySince));
      return db
        .select({ id: devices.id, host: devices.host, areaId: devices.areaId, status: devices.status })
        .from(devices)
        .where(and(inArray(devices.status, [...PROBED_STATUSES]), sql`${devices.areaId} NOT IN ${covered}`))
        .orderBy(asc(devices.id))
        .all();
    },

    async acquireMonitorLease(holder, now, ttlMs) {
      return db.transaction((tx) => {
        const current = tx.select().from(monitorLease).where(eq(monitorLease.id, 1)).get();
        if (current && current.holder !== holder && current.expiresAt > now) return null;
        const epoch = (current?.epoch ?? 0) + 1;
        tx.insert(monitorLease)
          .values({ id: 1, holder, epoch, expiresAt: now + ttlMs })
          .onConflictDoUpdate({ target: monitorLease.id, set: { holder, epoch, expiresAt: now + ttlMs } })
          .run();
        return epoch;
      });
    },

    async renewMonitorLease(holder, epoch, expiresAt) {
      return hot.renewLease.run({ holder, epoch, expiresAt }).changes > 0;
    },

    async releaseMonitorLease(holder, epoch) {
      db.update(monitorLease)
        .set({ expiresAt: 0 })
        .where(and(eq(monitorLease.id, 1), eq(monitorLease.holder, holder), eq(monitorLease.epoch, epoch)))
        .run();
    },

    async recordSweep(sweep) {
      return db.transaction((tx) => {
        const renewed = hot.renewLease.run({
          holder: sweep.holder,
          epoch: sweep.epoch,
          expiresAt: sweep.leaseExpiresAt,
        });
        if (renewed.changes === 0) {
          throw conflict(`monitor lease epoch ${sweep.epoch} of ${sweep.holder} is stale; another instance took over`);
        }
        // The sweep probed what it listed seconds ago: a device deleted since gets nothing written,
        // and one a workflow took since (maintenance, shutdown) keeps the workflow's status.
        const statusNow = new Map(
          tx
            .select({ id: devices.id, status: devices.status })
            .from(devices)
            .all()
            .map((d) => [d.id, d.status]),
        );
        const probing = (deviceId: number) => {
          const status = statusNow.get(deviceId);
          return status !== undefined && isProbed(status);
        };
        const skipped = new Set<number>();
        for (const e of sweep.extend) {
          if (probing(e.deviceId)) hot.extendSegment.run({ ...e, source: sweep.source });
          else skipped.add(e.deviceId);
        }
        for (const s of sweep.insert) {
          if (probing(s.deviceId)) hot.insertSegment.run({ ...s, source: sweep.source });
          else skipped.add(s.deviceId);
        }
        const appliedStatusChanges: number[] = [];
        for (const change of sweep.statusChanges) {
          if (statusNow.get(change.deviceId) !== change.from) continue;
          hot.insertStatusChange.run({ ...change, source: sweep.source });
          hot.setDeviceStatus.run({ deviceId: change.deviceId, status: change.to, at: change.at });
          appliedStatusChanges.push(change.deviceId);
        }
        for (const { deviceId, hourAt, minutes } of groupByDeviceHour(sweep.minutes).values()) {
          if (!statusNow.has(deviceId)) continue;
          const where = { deviceId, hourAt, source: sweep.source };
          const current = hot.selectHour.get(where);
          hot.upsertHour.run({ ...where, minutes: Buffer.from(addMinutes(current?.minutes ?? null, minutes)) });
        }
        if (sweep.keepRaw) {
          for (const probe of sweep.probes) {
            if (statusNow.has(probe.deviceId)) hot.insertRaw.run({ ...probe, source: sweep.source });
          }
        }
        if (sweep.summary) hot.insertSweep.run({ ...sweep.summary, source: sweep.source, epoch: sweep.epoch });
        return { skippedDevices: [...skipped], appliedStatusChanges };
      });
    },

    async pruneObservations(query) {
      db.delete(probeResults).where(lt(probeResults.at, query.rawBefore)).run();
      // Whole hours only: the hour that straddles the cut-off stays until it is entirely older.
      const minutesBefore = hourOf(query.rollupsBefore) - HOUR_MS + 1;
      while (foldOldMinutes(db, minutesBefore)) {
        // Chunk after chunk, each its own transaction: a first prune of months stays responsive.
      }
      db.delete(probeRollupsHourly)
        .where(lt(probeRollupsHourly.dayAt, dayOf(query.hourlyBefore) - DAY_MS + 1))
        .run();
      // The sweep log (one row every few seconds) is an operational metric: it goes with the rollups.
      db.delete(sweeps).where(lt(sweeps.startedAt, query.rollupsBefore)).run();
    },
  };
}

/** Minute rows folded per transaction: a prune of a long backlog never holds the writer for long. */
const FOLD_CHUNK = 5000;

/**
 * Folds up to FOLD_CHUNK minute rows older than `before` into the hourly
 * tier and deletes them, in one transaction; true when there may be more.
 */
function foldOldMinutes(db: SqliteDb, before: number): boolean {
  return db.transaction((tx) => {
    const rows = tx.select().from(probeRollups).where(lt(probeRollups.hourAt, before)).limit(FOLD_CHUNK).all();
    for (const day of foldIntoDays(rows)) {
      const key = { deviceId: day.deviceId, dayAt: day.dayAt, source: day.source };
      const current = tx
        .select({ hours: probeRollupsHourly.hours })
        .from(probeRollupsHourly)
        .where(
          and(
            eq(probeRollupsHourly.deviceId, key.deviceId),
            eq(probeRollupsHourly.dayAt, key.dayAt),
            eq(probeRollupsHourly.source, key.source),
          ),
        )
        .get();
      tx.insert(probeRollupsHourly)
        .values({ ...key, hours: Buffer.from(addHours(current?.hours ?? null, day.hours)) })
        .onConflictDoUpdate({
          target: [probeRollupsHourly.deviceId, probeRollupsHourly.dayAt, probeRollupsHourly.source],
          set: { hours: sql`excluded.hours` },
        })
        .run();
    }
    for (const row of rows) {
      tx.delete(probeRollups)
        .where(
          and(
            eq(probeRollups.deviceId, row.deviceId),
            eq(probeRollups.hourAt, row.hourAt),
            eq(probeRollups.source, row.source),
          ),
        )
        .run();
    }
    return rows.length === FOLD_CHUNK;
  });
}
