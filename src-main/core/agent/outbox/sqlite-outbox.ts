/* eslint-disable @typescript-eslint/require-await -- the port is async like every store's; better-sqlite3 is synchronous. */
import Database from 'better-sqlite3';
import { and, asc, count, eq, inArray, isNull, min, notInArray, or, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { AgentBatch, AgentConfig } from '../../../../src-shared/domain/agents';
import type { SweepSummary } from '../../../../src-shared/domain/monitoring';
import { conflict } from '../../errors';
import { NO_VIDEO, outboxCameras, replaceCameras } from './camera-book';
import type { OutboxStore } from './port';
import {
  agentDevices,
  agentState,
  counters,
  localLease,
  pendingChanges,
  pendingMinutes,
  pendingSegments,
  sealedBatches,
} from './schema';

type Db = BetterSQLite3Database & { $client: Database.Database };

const CONFIG_KEY = 'config';
const NEXT_SEQUENCE_KEY = 'next_sequence';
const LAST_SWEEP_KEY = 'last_sweep';

/**
 * The outbox in a SQLite file of the agent's data folder. WAL with
 * synchronous=NORMAL survives a crash of the process (kill -9) without losing
 * a committed sweep; every write is one transaction.
 */
export function openSqliteOutbox(file: string, migrationsFolder: string): OutboxStore {
  const client = new Database(file);
  client.pragma('journal_mode = WAL');
  client.pragma('synchronous = NORMAL');
  client.pragma('busy_timeout = 5000');
  const db: Db = drizzle({ client });
  migrate(db, { migrationsFolder });
  for (const name of ['recorded', 'acknowledged']) {
    db.insert(counters).values({ name, value: 0 }).onConflictDoNothing().run();
  }

  const hot = prepareHotPath(db);
  const getValue = (key: string) =>
    db.select({ value: agentState.value }).from(agentState).where(eq(agentState.key, key)).get()?.value ?? null;
  const setValue = (key: string, value: string) =>
    db.insert(agentState).values({ key, value }).onConflictDoUpdate({ target: agentState.key, set: { value } }).run();
  // Read once and kept: every camera look and sweep asks for it.
  let kept: AgentConfig | null = readConfig(getValue(CONFIG_KEY));
  const areaId = () => kept?.area.id ?? 0;

  return {
    ...outboxCameras(db, () => kept),

    async config() {
      return kept;
    },

    async replaceConfig(config, sealedPasswords) {
      db.transaction((tx) => {
        replaceCameras(tx, config.video.cameras, sealedPasswords);
        const ids = config.devices.map((d) => d.id);
        if (ids.length > 0) tx.delete(agentDevices).where(notInArray(agentDevices.id, ids)).run();
        else tx.delete(agentDevices).run();
        for (const device of config.devices) {
          tx.insert(agentDevices)
            .values({ id: device.id, name: device.name, host: device.host, status: device.status, statusSince: null })
            .onConflictDoUpdate({ target: agentDevices.id, set: { name: device.name, host: device.host } })
            .run();
        }
        tx.insert(agentState)
          .values({ key: CONFIG_KEY, value: JSON.stringify(config) })
          .onConflictDoUpdate({ target: agentState.key, set: { value: JSON.stringify(config) } })
          .run();
      });
      kept = config;
    },

    async listSweepTargets() {
      const area = areaId();
      return db
        .select({ id: agentDevices.id, host: agentDevices.host, status: agentDevices.status })
        .from(agentDevices)
        .orderBy(asc(agentDevices.id))
        .all()
        .map((d) => ({ ...d, areaId: area }));
    },

    async acquireMonitorLease(holder, now, ttlMs) {
      return db.transaction((tx) => {
        const current = tx.select().from(localLease).where(eq(localLease.id, 1)).get();
        if (current && current.holder !== holder && current.expiresAt > now) return null;
        const epoch = (current?.epoch ?? 0) + 1;
        tx.insert(localLease)
          .values({ id: 1, holder, epoch, expiresAt: now + ttlMs })
          .onConflictDoUpdate({ target: localLease.id, set: { holder, epoch, expiresAt: now + ttlMs } })
          .run();
        return epoch;
      });
    },

    async renewMonitorLease(holder, epoch, expiresAt) {
      return renew(db, holder, epoch, expiresAt);
    },

    async releaseMonitorLease(holder, epoch) {
      db.update(localLease)
        .set({ expiresAt: 0 })
        .where(and(eq(localLease.id, 1), eq(localLease.holder, holder), eq(localLease.epoch, epoch)))
        .run();
    },

    async recordSweep(sweep) {
      return db.transaction((tx) => {
        if (!renew(tx, sweep.holder, sweep.epoch, sweep.leaseExpiresAt)) {
          throw conflict(`the outbox lease epoch ${sweep.epoch} is stale: another agent process took this outbox`);
        }
        const statusNow = new Map(hot.statuses.all().map((d) => [d.id, d.status]));
        const skipped = new Set<number>();
        const known = <T extends { deviceId: number }>(row: T) =>
          statusNow.has(row.deviceId) ? true : (skipped.add(row.deviceId), false);
        for (const e of sweep.extend.filter(known)) hot.extend.run(e);
        for (const s of sweep.insert.filter(known)) hot.insert.run(s);
        const applied: number[] = [];
        for (const change of sweep.statusChanges) {
          if (statusNow.get(change.deviceId) !== change.from || (change.to !== 'ONLINE' && change.to !== 'OFFLINE')) {
            continue;
          }
          hot.change.run(change);
          hot.status.run({ deviceId: change.deviceId, status: change.to, at: change.at });
          applied.push(change.deviceId);
        }
        let recorded = 0;
        for (const minute of sweep.minutes) {
          if (!statusNow.has(minute.deviceId)) continue;
          recorded += minute.probes;
          hot.minute.run({ ...minute });
        }
        hot.count.run({ name: 'recorded', add: recorded });
        if (sweep.summary) hot.state.run({ key: LAST_SWEEP_KEY, value: JSON.stringify(sweep.summary) });
        return { skippedDevices: [...skipped], appliedStatusChanges: applied };
      });
    },

    // What the central has acknowledged is gone already; nothing else here ages out.
    async pruneObservations() {},

    async nextBatch({ sealedAt, maxRows }) {
      return db.transaction((tx) => {
        const waiting = tx.select().from(sealedBatches).orderBy(asc(sealedBatches.sequence)).limit(1).get();
        if (waiting) return waiting;
        return seal(tx, sealedAt, maxRows);
      });
    },

    async acknowledge(sequence) {
      db.transaction((tx) => {
        const batch = tx.select().from(sealedBatches).where(eq(sealedBatches.sequence, sequence)).get();
        if (!batch) return;
        tx.delete(sealedBatches).where(eq(sealedBatches.sequence, sequence)).run();
        tx.update(counters)
          .set({ value: sql`${counters.value} + ${batch.observations}` })
          .where(eq(counters.name, 'acknowledged'))
          .run();
      });
    },

    async numberAfter(lastSequence) {
      const next = Number(getValue(NEXT_SEQUENCE_KEY) ?? '1');
      if (next <= lastSequence) setValue(NEXT_SEQUENCE_KEY, String(lastSequence + 1));
    },

    async depth() {
      const sealed = db
        .select({ batches: count(), oldest: min(sealedBatches.oldestAt) })
        .from(sealedBatches)
        .get()!;
      const minutes = db
        .select({ rows: count(), oldest: min(pendingMinutes.minuteAt) })
        .from(pendingMinutes)
        .get()!;
      const changes = db
        .select({ rows: count(), oldest: min(pendingChanges.at) })
        .from(pendingChanges)
        .get()!;
      const segments = db
        .select({ rows: count(), oldest: min(pendingSegments.startAt) })
        .from(pendingSegments)
        .where(unsent())
        .get()!;
      const oldest = [sealed.oldest, minutes.oldest, changes.oldest, segments.oldest].filter(
        (at): at is number => at !== null,
      );
      return {
        batches: sealed.batches,
        rows: minutes.rows + changes.rows + segments.rows,
        oldestUnsentAt: oldest.length === 0 ? null : Math.min(...oldest),
      };
    },

    async counters() {
      const rows = new Map(
        db
          .select()
          .from(counters)
          .all()
          .map((c) => [c.name, c.value]),
      );
      return { recorded: rows.get('recorded') ?? 0, acknowledged: rows.get('acknowledged') ?? 0 };
    },

    async lastSweep() {
      const text = getValue(LAST_SWEEP_KEY);
      return text === null ? null : (JSON.parse(text) as SweepSummary);
    },

    async devicesOnline() {
      return db.select({ n: count() }).from(agentDevices).where(eq(agentDevices.status, 'ONLINE')).get()!.n;
    },

    async getValue(key) {
      return getValue(key);
    },
    async setValue(key, value) {
      setValue(key, value);
    },
    async close() {
      client.close();
    },
  };

  /** Seals what is pending into the next numbered batch, inside the caller's transaction. */
  function seal(tx: Parameters<Parameters<Db['transaction']>[0]>[0], sealedAt: number, maxRows: number) {
    const statuses = tx
      .select({ deviceId: agentDevices.id, status: agentDevices.status, since: agentDevices.statusSince })
      .from(agentDevices)
      .all();
    let budget = Math.max(1, maxRows - statuses.length);
    const changes = tx.select().from(pendingChanges).orderBy(asc(pendingChanges.id)).limit(budget).all();
    budget -= changes.length;
    const segments =
      budget > 0
        ? tx.select().from(pendingSegments).where(unsent()).orderBy(asc(pendingSegments.startAt)).limit(budget).all()
        : [];
    budget -= segments.length;
    const minutes =
      budget > 0 ? tx.select().from(pendingMinutes).orderBy(asc(pendingMinutes.minuteAt)).limit(budget).all() : [];
    if (changes.length + segments.length + minutes.length === 0) return null;

    const sequence = Number(getValueIn(tx, NEXT_SEQUENCE_KEY) ?? '1');
    const observations = minutes.reduce((total, m) => total + m.probes, 0);
    const batch: AgentBatch = {
      sequence,
      sealedAt,
      observations,
      segments: segments.map((s) => ({ deviceId: s.deviceId, state: s.state, startAt: s.startAt, endAt: s.endAt })),
      statusChanges: changes.map((c) => ({ deviceId: c.deviceId, from: c.fromStatus, to: c.toStatus, at: c.at })),
      minutes: minutes.map((m) => ({
        deviceId: m.deviceId,
        minuteAt: m.minuteAt,
        probes: m.probes,
        failures: m.failures,
        rttMin: m.rttMin,
        rttMax: m.rttMax,
        rttSum: m.rttSum,
      })),
      statuses: statuses.map((s) => ({ deviceId: s.deviceId, status: s.status, since: s.since })),
    };
    if (changes.length > 0) {
      tx.delete(pendingChanges)
        .where(
          inArray(
            pendingChanges.id,
            changes.map((c) => c.id),
          ),
        )
        .run();
    }
    for (const s of segments) {
      tx.update(pendingSegments)
        .set({ sentEndAt: s.endAt })
        .where(and(eq(pendingSegments.deviceId, s.deviceId), eq(pendingSegments.startAt, s.startAt)))
        .run();
    }
    // A sent segment that is no longer its device's latest cannot grow: the central has all of it.
    tx.run(sql`DELETE FROM pending_segments AS p WHERE p.sent_end_at = p.end_at
      AND EXISTS (SELECT 1 FROM pending_segments q WHERE q.device_id = p.device_id AND q.start_at > p.start_at)`);
    for (const m of minutes) {
      tx.delete(pendingMinutes)
        .where(and(eq(pendingMinutes.minuteAt, m.minuteAt), eq(pendingMinutes.deviceId, m.deviceId)))
        .run();
    }
    const body = JSON.stringify(batch);
    const rows = changes.length + segments.length + minutes.length;
    const oldest = Math.min(
      ...changes.map((c) => c.at),
      ...segments.map((s) => s.startAt),
      ...minutes.map((m) => m.minuteAt),
    );
    tx.insert(sealedBatches).values({ sequence, sealedAt, body, observations, rows, oldestAt: oldest }).run();
    tx.insert(agentState)
      .values({ key: NEXT_SEQUENCE_KEY, value: String(sequence + 1) })
      .onConflictDoUpdate({ target: agentState.key, set: { value: String(sequence + 1) } })
      .run();
    return { sequence, body, observations, rows };
  }
}

/** The sweep's statements, prepared once: a sweep writes in well under a millisecond per device. */
function prepareHotPath(db: Db) {
  const p = (name: string) => sql.placeholder(name);
  return {
    statuses: db.select({ id: agentDevices.id, status: agentDevices.status }).from(agentDevices).prepare(),
    extend: db
      .update(pendingSegments)
      .set({ endAt: sql`MAX(${pendingSegments.endAt}, ${p('endAt')})` })
      .where(and(eq(pendingSegments.deviceId, p('deviceId')), eq(pendingSegments.startAt, p('startAt'))))
      .prepare(),
    insert: db
      .insert(pendingSegments)
      .values({ deviceId: p('deviceId'), startAt: p('startAt'), state: p('state'), endAt: p('endAt'), sentEndAt: null })
      .onConflictDoUpdate({
        target: [pendingSegments.deviceId, pendingSegments.startAt],
        set: { state: sql`excluded.state`, endAt: sql`excluded.end_at`, sentEndAt: null },
      })
      .prepare(),
    change: db
      .insert(pendingChanges)
      .values({ deviceId: p('deviceId'), fromStatus: p('from'), toStatus: p('to'), at: p('at') })
      .prepare(),
    status: db
      .update(agentDevices)
      .set({ status: p('status'), statusSince: p('at') })
      .where(eq(agentDevices.id, p('deviceId')))
      .prepare(),
    minute: db
      .insert(pendingMinutes)
      .values({
        deviceId: p('deviceId'),
        minuteAt: p('minuteAt'),
        probes: p('probes'),
        failures: p('failures'),
        rttMin: p('rttMin'),
        rttMax: p('rttMax'),
        rttSum: p('rttSum'),
      })
      .onConflictDoUpdate({
        target: [pendingMinutes.minuteAt, pendingMinutes.deviceId],
        set: {
          probes: sql`${pendingMinutes.probes} + excluded.probes`,
          failures: sql`${pendingMinutes.failures} + excluded.failures`,
          rttMin: sql`MIN(COALESCE(${pendingMinutes.rttMin}, excluded.rtt_min), COALESCE(excluded.rtt_min, ${pendingMinutes.rttMin}))`,
          rttMax: sql`MAX(COALESCE(${pendingMinutes.rttMax}, excluded.rtt_max), COALESCE(excluded.rtt_max, ${pendingMinutes.rttMax}))`,
          rttSum: sql`${pendingMinutes.rttSum} + excluded.rtt_sum`,
        },
      })
      .prepare(),
    count: db
      .update(counters)
      .set({ value: sql`${counters.value} + ${p('add')}` })
      .where(eq(counters.name, p('name')))
      .prepare(),
    state: db
      .insert(agentState)
      .values({ key: p('key'), value: p('value') })
      .onConflictDoUpdate({ target: agentState.key, set: { value: sql`excluded.value` } })
      .prepare(),
  };
}

function readConfig(text: string | null): AgentConfig | null {
  if (text === null) return null;
  const config = JSON.parse(text) as AgentConfig;
  return config.video ? config : { ...config, video: NO_VIDEO };
}

function getValueIn(tx: Pick<Db, 'select'>, key: string): string | null {
  return tx.select({ value: agentState.value }).from(agentState).where(eq(agentState.key, key)).get()?.value ?? null;
}

const unsent = () =>
  or(isNull(pendingSegments.sentEndAt), sql`${pendingSegments.endAt} > ${pendingSegments.sentEndAt}`);

function renew(tx: Pick<Db, 'update'>, holder: string, epoch: number, expiresAt: number): boolean {
  return (
    tx
      .update(localLease)
      .set({ expiresAt })
      .where(and(eq(localLease.id, 1), eq(localLease.holder, holder), eq(localLease.epoch, epoch)))
      .run().changes > 0
  );
}
