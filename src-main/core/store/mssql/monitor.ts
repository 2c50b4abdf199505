import { and, asc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import { isProbed, PROBED_STATUSES } from '../../../../src-shared/domain/status';
import type { DeviceStatus } from '../../../../src-shared/domain/status';
import { conflict } from '../../errors';
import type { MonitorStore, SweepRecord } from '../port';
import { DAY_MS, dayOf } from '../hourly-codec';
import { addMinutes, HOUR_MS, hourOf } from '../rollup-codec';
import { devicesOf, groupByDeviceHour } from '../sweep-rows';
import { forRows } from './bulk';
import { foldOldMinutes } from './fold';
import { mergeRollups } from './rollups';
import { affected, inTransaction, isDuplicate } from './connection';
import type { TxScope } from './connection';
import type { MssqlHandle } from './handle';
import { agents, devices, monitorLease, probeResults, probeRollupsHourly, sweeps } from './schema';

/** Writes one sweep's timelines and log inside its transaction; the lease was renewed by the caller. */
async function writeSweep(tx: TxScope, sweep: SweepRecord) {
  const source = { source: sweep.source };
  // The devices as they are now, locked until commit: a workflow cannot move one between this read and the writes.
  const current = (await forRows(
    tx,
    [['id', 'int']],
    devicesOf(sweep).map((id) => [id]),
    (rows) => `SELECT d.id, d.status FROM devices d WITH (UPDLOCK) JOIN ${rows} ON n.id = d.id`,
  )) as Array<{ id: number; status: DeviceStatus }>;
  const statusNow = new Map(current.map((d) => [d.id, d.status]));
  const probing = (deviceId: number) => {
    const status = statusNow.get(deviceId);
    return status !== undefined && isProbed(status);
  };
  const skipped = new Set<number>();
  const kept = <T extends { deviceId: number }>(rows: readonly T[]) =>
    rows.filter((row) => (probing(row.deviceId) ? true : (skipped.add(row.deviceId), false)));

  await forRows(
    tx,
    [
      ['device_id', 'int'],
      ['start_at', 'bigint'],
      ['end_at', 'bigint'],
    ],
    kept(sweep.extend).map((e) => [e.deviceId, e.startAt, e.endAt]),
    (rows) => `UPDATE s SET s.end_at = n.end_at FROM state_segments s
       JOIN ${rows} ON s.device_id = n.device_id AND s.start_at = n.start_at AND s.source = @source`,
    source,
  );
  await forRows(
    tx,
    [
      ['device_id', 'int'],
      ['state', 'nvarchar(20)'],
      ['start_at', 'bigint'],
      ['end_at', 'bigint'],
    ],
    kept(sweep.insert).map((s) => [s.deviceId, s.state, s.startAt, s.endAt]),
    (rows) => `INSERT INTO state_segments (device_id, state, source, start_at, end_at)
       SELECT n.device_id, n.state, @source, n.start_at, n.end_at FROM ${rows}`,
    source,
  );
  // A change whose device is no longer where the sweep saw it (a workflow took it) is not applied.
  const changes = sweep.statusChanges.filter((c) => statusNow.get(c.deviceId) === c.from);
  await forRows(
    tx,
    [
      ['device_id', 'int'],
      ['from_status', 'nvarchar(20)'],
      ['to_status', 'nvarchar(20)'],
      ['at', 'bigint'],
    ],
    changes.map((c) => [c.deviceId, c.from, c.to, c.at]),
    (rows) => `INSERT INTO status_changes (device_id, from_status, to_status, at, source)
       SELECT n.device_id, n.from_status, n.to_status, n.at, @source FROM ${rows}
       JOIN devices d ON d.id = n.device_id AND d.status = n.from_status;
       UPDATE d SET d.status = n.to_status, d.status_since = n.at FROM devices d
       JOIN ${rows} ON n.device_id = d.id AND d.status = n.from_status;`,
    source,
  );
  await writeRollups(tx, sweep, (deviceId) => statusNow.has(deviceId));
  if (sweep.keepRaw) {
    await forRows(
      tx,
      [
        ['device_id', 'int'],
        ['at', 'bigint'],
        ['alive', 'bit'],
        ['rtt_ms', 'float'],
      ],
      sweep.probes.filter((p) => statusNow.has(p.deviceId)).map((p) => [p.deviceId, p.at, p.alive, p.rttMs]),
      (rows) => `INSERT INTO probe_results (device_id, at, source, alive, rtt_ms)
         SELECT n.device_id, n.at, @source, n.alive, n.rtt_ms FROM ${rows}`,
      source,
    );
  }
  if (sweep.summary) await tx.db.insert(sweeps).values({ ...sweep.summary, source: sweep.source, epoch: sweep.epoch });
  return { skippedDevices: [...skipped], appliedStatusChanges: changes.map((c) => c.deviceId) };
}

/** The sweep's minutes added to the per-hour rollups: the hours read at once, merged here, written back at once. */
async function writeRollups(tx: TxScope, sweep: SweepRecord, known: (deviceId: number) => boolean): Promise<void> {
  const groups = [...groupByDeviceHour(sweep.minutes).values()].filter((g) => known(g.deviceId));
  await mergeRollups(
    tx,
    sweep.source,
    groups.map((g) => ({ deviceId: g.deviceId, at: g.hourAt, merge: (before) => addMinutes(before, g.minutes) })),
  );
}

export function msMonitor({ pool, db }: MssqlHandle): MonitorStore {
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
        .orderBy(asc(devices.id));
    },

    async acquireMonitorLease(holder, now, ttlMs) {
      // A compare-and-set: only one of two instances racing for it can match the condition.
      const taken = await db
        .update(monitorLease)
        .set({ holder, epoch: sql`${monitorLease.epoch} + 1`, expiresAt: now + ttlMs })
        .output({ inserted: { epoch: monitorLease.epoch } })
        .where(
          and(eq(monitorLease.id, 1), sql`(${monitorLease.holder} = ${holder} OR ${monitorLease.expiresAt} <= ${now})`),
        );
      if (taken.length > 0) return taken[0]!.inserted.epoch;
      try {
        // No row yet: the first instance ever creates it; a second one racing it breaks the key and stands by.
        const [row] = await db.select({ id: monitorLease.id }).from(monitorLease).where(eq(monitorLease.id, 1));
        if (row) return null;
        await db.insert(monitorLease).values({ id: 1, holder, epoch: 1, expiresAt: now + ttlMs });
        return 1;
      } catch (error) {
        if (isDuplicate(error)) return null;
        throw error;
      }
    },

    async renewMonitorLease(holder, epoch, expiresAt) {
      const renewed = await db
        .update(monitorLease)
        .set({ expiresAt })
        .where(and(eq(monitorLease.id, 1), eq(monitorLease.holder, holder), eq(monitorLease.epoch, epoch)));
      return affected(renewed) > 0;
    },

    async releaseMonitorLease(holder, epoch) {
      await db
        .update(monitorLease)
        .set({ expiresAt: 0 })
        .where(and(eq(monitorLease.id, 1), eq(monitorLease.holder, holder), eq(monitorLease.epoch, epoch)));
    },

    recordSweep(sweep) {
      return inTransaction(pool, async (tx) => {
        const renewed = await tx.db
          .update(monitorLease)
          .set({ expiresAt: sweep.leaseExpiresAt })
          .where(
            and(eq(monitorLease.id, 1), eq(monitorLease.holder, sweep.holder), eq(monitorLease.epoch, sweep.epoch)),
          );
        if (affected(renewed) === 0) {
          throw conflict(`monitor lease epoch ${sweep.epoch} of ${sweep.holder} is stale; another instance took over`);
        }
        return writeSweep(tx, sweep);
      });
    },

    async pruneObservations(query) {
      await db.delete(probeResults).where(lt(probeResults.at, query.rawBefore));
      // Whole hours only: the hour that straddles the cut-off stays until it is entirely older.
      const minutesBefore = hourOf(query.rollupsBefore) - HOUR_MS + 1;
      while (await foldOldMinutes(pool, minutesBefore)) {
        // Chunk after chunk, each its own transaction.
      }
      await db.delete(probeRollupsHourly).where(lt(probeRollupsHourly.dayAt, dayOf(query.hourlyBefore) - DAY_MS + 1));
      // The sweep log (one row every few seconds) is an operational metric: it goes with the rollups.
      await db.delete(sweeps).where(lt(sweeps.startedAt, query.rollupsBefore));
    },
  };
}
