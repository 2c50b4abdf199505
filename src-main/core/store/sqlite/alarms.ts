/* eslint-disable @typescript-eslint/require-await -- see catalog.ts: async for the port, synchronous underneath. */
import { and, desc, eq, gte, inArray, isNull, lte, max, or, sql } from 'drizzle-orm';
import type { AlarmDelivery, DeliveryChannel } from '../../../../src-shared/domain/alarm-delivery';
import type { Alarm, ShiftNote } from '../../../../src-shared/domain/alarms';
import { FORM_FIELD } from '../../../../src-shared/domain/validation';
import { conflict, notFound } from '../../errors';
import type { AlarmFilter, AlarmStore } from '../port';
import { alarmFromRow, deliveryFromRow } from '../alarm-rows';
import { writeAudit } from './audit';
import type { SqliteDb, SqliteTx } from './connection';
import { chunks, IN_LIST_CHUNK } from './connection';
import { alarmDeliveries, alarms, areas, devices, shiftNotes, users } from './schema';

export function sqliteAlarms(db: SqliteDb): AlarmStore {
  const alarmQuery = (tx: SqliteDb | SqliteTx = db) =>
    tx
      .select({
        id: alarms.id,
        kind: alarms.kind,
        severity: alarms.severity,
        areaId: alarms.areaId,
        areaCode: areas.code,
        deviceId: alarms.deviceId,
        deviceName: devices.name,
        openedAt: alarms.openedAt,
        clearedAt: alarms.clearedAt,
        acknowledgedAt: alarms.acknowledgedAt,
        acknowledgedBy: users.displayName,
        note: alarms.note,
        detail: alarms.detail,
      })
      .from(alarms)
      .leftJoin(areas, eq(areas.id, alarms.areaId))
      .leftJoin(devices, eq(devices.id, alarms.deviceId))
      .leftJoin(users, eq(users.id, alarms.acknowledgedBy))
      .$dynamic();
  const getAlarm = (id: number, tx: SqliteDb | SqliteTx = db): Alarm | undefined => {
    const row = alarmQuery(tx).where(eq(alarms.id, id)).get();
    return row && alarmFromRow(row);
  };

  return {
    async applyAlarmChanges({ at, open, clear }) {
      return db.transaction((tx) => {
        const cleared: Alarm[] = [];
        for (const keys of chunks(clear, IN_LIST_CHUNK)) {
          const rows = tx
            .update(alarms)
            .set({ clearedAt: at, updatedAt: at })
            .where(and(inArray(alarms.subjectKey, keys), isNull(alarms.clearedAt)))
            .returning({ id: alarms.id })
            .all();
          for (const { id } of rows) cleared.push(getAlarm(id, tx)!);
        }
        const opened: Alarm[] = [];
        for (const o of open) {
          // The unique index on open subjects makes a second opening of the same subject a no-op.
          const row = tx
            .insert(alarms)
            .values({ ...o, detail: JSON.stringify(o.detail), openedAt: at, updatedAt: at })
            .onConflictDoNothing()
            .returning({ id: alarms.id })
            .get();
          if (row) opened.push(getAlarm(row.id, tx)!);
        }
        return { opened, cleared };
      });
    },
    async listOpenAlarmKeys() {
      return db
        .select({ key: alarms.subjectKey })
        .from(alarms)
        .where(isNull(alarms.clearedAt))
        .all()
        .map((r) => r.key);
    },
    async listAlarms(filter) {
      return alarmQuery()
        .where(alarmConditions(filter))
        .orderBy(desc(alarms.openedAt), desc(alarms.id))
        .limit(filter.limit)
        .all()
        .map(alarmFromRow);
    },
    async getAlarm(id) {
      return getAlarm(id);
    },
    async acknowledgeAlarm({ id, userId, note, at, audit }) {
      return db.transaction((tx) => {
        const before = getAlarm(id, tx);
        if (!before) throw notFound(`alarm ${id}`);
        const moved = tx
          .update(alarms)
          .set({ acknowledgedAt: at, acknowledgedBy: userId, note, updatedAt: at })
          .where(and(eq(alarms.id, id), isNull(alarms.acknowledgedAt)))
          .run();
        if (moved.changes === 0) {
          throw conflict(`alarm ${id} was acknowledged already`, FORM_FIELD, 'alarm_already_acknowledged');
        }
        const after = getAlarm(id, tx)!;
        writeAudit(tx, audit({ before, after }));
        return after;
      });
    },
    async alarmsRevision() {
      const row = db
        .select({ at: max(alarms.updatedAt), id: max(alarms.id) })
        .from(alarms)
        .get();
      return `${row?.id ?? 0}:${row?.at ?? 0}`;
    },

    async queueDeliveries(rows) {
      if (rows.length === 0) return;
      db.transaction((tx) => {
        for (const r of rows) {
          tx.insert(alarmDeliveries)
            .values({
              alarmId: r.alarmId,
              ruleName: r.ruleName,
              channel: r.channel,
              target: r.target,
              payload: r.payload,
              status: 'pending',
              attempts: 0,
              createdAt: r.at,
              nextAttemptAt: r.at,
            })
            .run();
        }
      });
    },
    async lastQueuedDeliveries(alarmIds) {
      const last = new Map<string, number>();
      for (const ids of chunks(alarmIds, IN_LIST_CHUNK)) {
        const rows = db
          .select({
            alarmId: alarmDeliveries.alarmId,
            ruleName: alarmDeliveries.ruleName,
            at: max(alarmDeliveries.createdAt),
          })
          .from(alarmDeliveries)
          .where(inArray(alarmDeliveries.alarmId, ids))
          .groupBy(alarmDeliveries.alarmId, alarmDeliveries.ruleName)
          .all();
        for (const r of rows) last.set(`${r.alarmId}:${r.ruleName}`, r.at ?? 0);
      }
      return last;
    },
    async listDueDeliveries(now, limit) {
      return db
        .select({
          id: alarmDeliveries.id,
          alarmId: alarmDeliveries.alarmId,
          channel: alarmDeliveries.channel,
          target: alarmDeliveries.target,
          payload: alarmDeliveries.payload,
          attempts: alarmDeliveries.attempts,
        })
        .from(alarmDeliveries)
        .where(and(eq(alarmDeliveries.status, 'pending'), lte(alarmDeliveries.nextAttemptAt, now)))
        .orderBy(alarmDeliveries.nextAttemptAt, alarmDeliveries.id)
        .limit(limit)
        .all()
        .map((r) => ({ ...r, channel: r.channel as DeliveryChannel }));
    },
    async finishDeliveryAttempt({ id, at, error, retryAt }) {
      db.update(alarmDeliveries)
        .set({
          attempts: sql`${alarmDeliveries.attempts} + 1`,
          status: error === null ? 'sent' : retryAt === null ? 'failed' : 'pending',
          lastError: error,
          sentAt: error === null ? at : null,
          nextAttemptAt: error === null ? null : retryAt,
        })
        .where(eq(alarmDeliveries.id, id))
        .run();
    },
    async listDeliveries(filter) {
      const rows = db
        .select({
          id: alarmDeliveries.id,
          alarmId: alarmDeliveries.alarmId,
          alarmKind: alarms.kind,
          severity: alarms.severity,
          areaCode: areas.code,
          deviceName: devices.name,
          ruleName: alarmDeliveries.ruleName,
          channel: alarmDeliveries.channel,
          target: alarmDeliveries.target,
          status: alarmDeliveries.status,
          attempts: alarmDeliveries.attempts,
          lastError: alarmDeliveries.lastError,
          createdAt: alarmDeliveries.createdAt,
          nextAttemptAt: alarmDeliveries.nextAttemptAt,
          sentAt: alarmDeliveries.sentAt,
        })
        .from(alarmDeliveries)
        .innerJoin(alarms, eq(alarms.id, alarmDeliveries.alarmId))
        .leftJoin(areas, eq(areas.id, alarms.areaId))
        .leftJoin(devices, eq(devices.id, alarms.deviceId))
        .where(scopeCondition(filter.areaIds))
        .orderBy(desc(alarmDeliveries.createdAt), desc(alarmDeliveries.id))
        .limit(filter.limit)
        .all();
      return rows.map(deliveryFromRow) satisfies AlarmDelivery[];
    },

    async addShiftNote({ userId, text, at, audit }) {
      return db.transaction((tx) => {
        const { id } = tx.insert(shiftNotes).values({ userId, text, at }).returning({ id: shiftNotes.id }).get();
        const note = shiftNoteQuery(tx).where(eq(shiftNotes.id, id)).get()!;
        writeAudit(tx, audit({ before: null, after: note }));
        return note;
      });
    },
    async listShiftNotes({ since, limit }) {
      return shiftNoteQuery(db)
        .where(gte(shiftNotes.at, since))
        .orderBy(desc(shiftNotes.at), desc(shiftNotes.id))
        .limit(limit)
        .all();
    },
  };
}

function shiftNoteQuery(tx: SqliteDb | SqliteTx) {
  return tx
    .select({ id: shiftNotes.id, at: shiftNotes.at, author: users.displayName, text: shiftNotes.text })
    .from(shiftNotes)
    .innerJoin(users, eq(users.id, shiftNotes.userId))
    .$dynamic() satisfies { all(): ShiftNote[] };
}

/** A scoped reader sees its areas' alarms and the installation-wide ones (no area). */
function scopeCondition(areaIds: readonly number[] | undefined) {
  return areaIds === undefined ? undefined : or(isNull(alarms.areaId), inArray(alarms.areaId, [...areaIds]));
}

function alarmConditions(filter: AlarmFilter) {
  const desk = filter.desk;
  return and(
    scopeCondition(filter.areaIds),
    desk === undefined
      ? undefined
      : desk.keepUnacknowledged
        ? or(isNull(alarms.clearedAt), isNull(alarms.acknowledgedAt))
        : isNull(alarms.clearedAt),
  );
}
