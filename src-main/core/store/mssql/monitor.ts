import mssql from 'mssql';
import { and, asc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import { isProbed, PROBED_STATUSES } from '../../../../src-shared/domain/status';
import type { DeviceStatus } from '../../../../src-shared/domain/status';
import { conflict } from '../../errors';
import type { MonitorStore, SweepRecord } from '../port';
import { addProbes, HOUR_MS, hourOf } from '../rollup-codec';
import { devicesOf, groupByDeviceHour } from '../sweep-rows';
import { affected, inTransaction, isDuplicate } from './connection';
import type { TxScope } from './connection';
import type { MssqlHandle } from './handle';
import { agents, devices, monitorLease, probeResults, probeRollups, sweeps } from './schema';

type Column = [name: string, type: mssql.ISqlType | (() => mssql.ISqlType), nullable?: boolean];

/**
 * Loads rows into a temporary table of the transaction's connection in one
 * bulk round trip, so a sweep of thousands of devices is a handful of
 * set-based statements, never a round trip per device. The table is dropped
 * first if an earlier transaction on the same pooled connection left it.
 */
async function load(tx: TxScope, name: string, columns: Column[], rows: unknown[][]): Promise<void> {
  await new mssql.Request(tx.raw).query(`IF OBJECT_ID('tempdb..${name}') IS NOT NULL DROP TABLE ${name}`);
  const table = new mssql.Table(name);
  table.create = true;
  for (const [column, type, nullable] of columns) table.columns.add(column, type, { nullable: nullable ?? false });
  for (const row of rows) table.rows.add(...(row as Array<string | number | boolean | Buffer | null>));
  await new mssql.Request(tx.raw).bulk(table);
}

/** Writes one sweep's timelines and log inside its transaction; the lease was renewed by the caller. */
async function writeSweep(tx: TxScope, sweep: SweepRecord) {
  const run = (text: string, inputs: Record<string, unknown> = {}) => {
    const request = new mssql.Request(tx.raw);
    for (const [name, value] of Object.entries(inputs)) request.input(name, value);
    return request.query(text);
  };
  // The devices as they are now, locked until commit: a workflow cannot move one between this read and the writes.
  const involved = devicesOf(sweep);
  const statusNow = new Map<number, DeviceStatus>();
  if (involved.length > 0) {
    await load(
      tx,
      '#sweep_devices',
      [['id', mssql.Int]],
      involved.map((id) => [id]),
    );
    const current = await run(
      'SELECT d.id, d.status FROM devices d WITH (UPDLOCK) JOIN #sweep_devices s ON s.id = d.id; DROP TABLE #sweep_devices;',
    );
    for (const d of current.recordset as Array<{ id: number; status: DeviceStatus }>) statusNow.set(d.id, d.status);
  }
  const probing = (deviceId: number) => {
    const status = statusNow.get(deviceId);
    return status !== undefined && isProbed(status);
  };
  const skipped = new Set<number>();
  const kept = <T extends { deviceId: number }>(rows: readonly T[]) =>
    rows.filter((row) => (probing(row.deviceId) ? true : (skipped.add(row.deviceId), false)));

  const extend = kept(sweep.extend);
  if (extend.length > 0) {
    await load(
      tx,
      '#sweep_extend',
      [
        ['device_id', mssql.Int],
        ['start_at', mssql.BigInt],
        ['end_at', mssql.BigInt],
      ],
      extend.map((e) => [e.deviceId, e.startAt, e.endAt]),
    );
    await run(
      `UPDATE s SET s.end_at = e.end_at FROM state_segments s
       JOIN #sweep_extend e ON s.device_id = e.device_id AND s.start_at = e.start_at AND s.source = @source`,
      { source: sweep.source },
    );
  }
  const insert = kept(sweep.insert);
  if (insert.length > 0) {
    await load(
      tx,
      '#sweep_insert',
      [
        ['device_id', mssql.Int],
        ['state', mssql.NVarChar(20)],
        ['start_at', mssql.BigInt],
        ['end_at', mssql.BigInt],
      ],
      insert.map((s) => [s.deviceId, s.state, s.startAt, s.endAt]),
    );
    await run(
      `INSERT INTO state_segments (device_id, state, source, start_at, end_at)
       SELECT device_id, state, @source, start_at, end_at FROM #sweep_insert`,
      { source: sweep.source },
    );
  }
  // A change whose device is no longer where the sweep saw it (a workflow took it) is not applied.
  const changes = sweep.statusChanges.filter((c) => statusNow.get(c.deviceId) === c.from);
  if (changes.length > 0) {
    await load(
      tx,
      '#sweep_changes',
      [
        ['device_id', mssql.Int],
        ['from_status', mssql.NVarChar(20)],
        ['to_status', mssql.NVarChar(20)],
        ['at', mssql.BigInt],
      ],
      changes.map((c) => [c.deviceId, c.from, c.to, c.at]),
    );
    await run(
      `INSERT INTO status_changes (device_id, from_status, to_status, at, source)
       SELECT c.device_id, c.from_status, c.to_status, c.at, @source FROM #sweep_changes c
       JOIN devices d ON d.id = c.device_id AND d.status = c.from_status;
       UPDATE d SET d.status = c.to_status, d.status_since = c.at FROM devices d
       JOIN #sweep_changes c ON c.device_id = d.id AND d.status = c.from_status;`,
      { source: sweep.source },
    );
  }
  await writeRollups(tx, sweep, (deviceId) => statusNow.has(deviceId), run);
  if (sweep.keepRaw) {
    const raw = sweep.probes.filter((p) => statusNow.has(p.deviceId));
    if (raw.length > 0) {
      await load(
        tx,
        '#sweep_raw',
        [
          ['device_id', mssql.Int],
          ['at', mssql.BigInt],
          ['alive', mssql.Bit],
          ['rtt_ms', mssql.Float, true],
        ],
        raw.map((p) => [p.deviceId, p.at, p.alive, p.rttMs]),
      );
      await run(
        `INSERT INTO probe_results (device_id, at, source, alive, rtt_ms) SELECT device_id, at, @source, alive, rtt_ms FROM #sweep_raw`,
        { source: sweep.source },
      );
    }
  }
  await tx.db.insert(sweeps).values({ ...sweep.summary, source: sweep.source, epoch: sweep.epoch });
  await run(
    `IF OBJECT_ID('tempdb..#sweep_extend') IS NOT NULL DROP TABLE #sweep_extend;
     IF OBJECT_ID('tempdb..#sweep_insert') IS NOT NULL DROP TABLE #sweep_insert;
     IF OBJECT_ID('tempdb..#sweep_changes') IS NOT NULL DROP TABLE #sweep_changes;
     IF OBJECT_ID('tempdb..#sweep_raw') IS NOT NULL DROP TABLE #sweep_raw;`,
  );
  return { skippedDevices: [...skipped], appliedStatusChanges: changes.map((c) => c.deviceId) };
}

/** The sweep's probes added to the per-hour rollups: the hours read at once, merged here, written back at once. */
async function writeRollups(
  tx: TxScope,
  sweep: SweepRecord,
  known: (deviceId: number) => boolean,
  run: (text: string, inputs?: Record<string, unknown>) => Promise<mssql.IResult<unknown>>,
): Promise<void> {
  const groups = [...groupByDeviceHour(sweep.probes).values()].filter((g) => known(g.deviceId));
  if (groups.length === 0) return;
  await load(
    tx,
    '#sweep_hours',
    [
      ['device_id', mssql.Int],
      ['hour_at', mssql.BigInt],
    ],
    groups.map((g) => [g.deviceId, g.hourAt]),
  );
  const existing = await run(
    `SELECT r.device_id, r.hour_at, r.minutes FROM probe_rollups r WITH (UPDLOCK)
     JOIN #sweep_hours h ON h.device_id = r.device_id AND h.hour_at = r.hour_at WHERE r.source = @source`,
    { source: sweep.source },
  );
  const stored = new Map(
    (existing.recordset as Array<{ device_id: number; hour_at: number | string; minutes: Buffer }>).map((r) => [
      `${r.device_id}:${Number(r.hour_at)}`,
      r.minutes,
    ]),
  );
  await load(
    tx,
    '#sweep_rollups',
    [
      ['device_id', mssql.Int],
      ['hour_at', mssql.BigInt],
      ['minutes', mssql.VarBinary(mssql.MAX)],
      ['known', mssql.Bit],
    ],
    groups.map((g) => {
      const before = stored.get(`${g.deviceId}:${g.hourAt}`) ?? null;
      return [g.deviceId, g.hourAt, Buffer.from(addProbes(before, g.probes)), before !== null];
    }),
  );
  await run(
    `UPDATE r SET r.minutes = n.minutes FROM probe_rollups r
       JOIN #sweep_rollups n ON n.device_id = r.device_id AND n.hour_at = r.hour_at AND r.source = @source WHERE n.known = 1;
     INSERT INTO probe_rollups (device_id, hour_at, source, minutes)
       SELECT device_id, hour_at, @source, minutes FROM #sweep_rollups WHERE known = 0;
     DROP TABLE #sweep_hours; DROP TABLE #sweep_rollups;`,
    { source: sweep.source },
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
      await db.delete(probeRollups).where(lt(probeRollups.hourAt, hourOf(query.rollupsBefore) - HOUR_MS + 1));
      // The sweep log (one row every few seconds) is an operational metric: it goes with the rollups.
      await db.delete(sweeps).where(lt(sweeps.startedAt, query.rollupsBefore));
    },
  };
}
