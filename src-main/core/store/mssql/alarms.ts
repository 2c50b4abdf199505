import { and, desc, eq, gte, inArray, isNull, lte, max, or, sql } from 'drizzle-orm';
import type { AlarmDelivery, DeliveryChannel } from '../../../../src-shared/domain/alarm-delivery';
import type { Alarm, ShiftNote } from '../../../../src-shared/domain/alarms';
import { FORM_FIELD } from '../../../../src-shared/domain/validation';
import { conflict, notFound } from '../../errors';
import { alarmFromRow, deliveryFromRow } from '../alarm-rows';
import type { AlarmFilter, AlarmStore } from '../port';
import { writeAudit } from './audit';
import type { MsDb } from './connection';
import { affected, chunks, IN_LIST_CHUNK, inTransaction } from './connection';
import type { MssqlHandle } from './handle';
import { alarmDeliveries, alarms, areas, devices, shiftNotes, users } from './schema';

const alarmQuery = (db: MsDb) =>
  db
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

async function getAlarm(db: MsDb, id: number): Promise<Alarm | undefined> {
  const [row] = await alarmQuery(db).where(eq(alarms.id, id));
  return row && alarmFromRow(row);
}

const shiftNoteQuery = (db: MsDb) =>
  db
    .select({ id: shiftNotes.id, at: shiftNotes.at, author: users.displayName, text: shiftNotes.text })
    .from(shiftNotes)
    .innerJoin(users, eq(users.id, shiftNotes.userId))
    .$dynamic();

export function msAlarms({ pool, db: base }: MssqlHandle): AlarmStore {
  return {
    applyAlarmChanges({ at, open, clear }) {
      return inTransaction(pool, async ({ db }) => {
        const cleared: Alarm[] = [];
        for (const keys of chunks(clear, IN_LIST_CHUNK)) {
          // Ids first, then the update: the stand-in's UPDATE…OUTPUT can report stale rows (TOOLCHAIN.md).
          const rows = await db
            .select({ id: alarms.id })
            .from(alarms)
            .where(and(inArray(alarms.subjectKey, keys), isNull(alarms.clearedAt)));
          if (rows.length === 0) continue;
          const ids = rows.map((r) => r.id);
          await db
            .update(alarms)
            .set({ clearedAt: at, updatedAt: at })
            .where(and(inArray(alarms.id, ids), isNull(alarms.clearedAt)));
          for (const id of ids) cleared.push((await getAlarm(db, id))!);
        }
        const opened: Alarm[] = [];
        const already = new Set<string>();
        for (const keys of chunks(
          open.map((o) => o.subjectKey),
          IN_LIST_CHUNK,
        )) {
          const rows = await db
            .select({ key: alarms.subjectKey })
            .from(alarms)
            .where(and(inArray(alarms.subjectKey, keys), isNull(alarms.clearedAt)));
          for (const r of rows) already.add(r.key);
        }
        // Only the lease holder evaluates alarms; the unique index on open subjects stands behind this check.
        for (const o of open) {
          if (already.has(o.subjectKey)) continue;
          const [row] = await db
            .insert(alarms)
            .output({ id: alarms.id })
            .values({ ...o, detail: JSON.stringify(o.detail), openedAt: at, updatedAt: at });
          opened.push((await getAlarm(db, row!.id))!);
        }
        return { opened, cleared };
      });
    },
    async listOpenAlarmKeys() {
      const rows = await base.select({ key: alarms.subjectKey }).from(alarms).where(isNull(alarms.clearedAt));
      return rows.map((r) => r.key);
    },
    async listAlarms(filter) {
      const rows = await alarmQuery(base)
        .where(alarmConditions(filter))
        .orderBy(desc(alarms.openedAt), desc(alarms.id))
        .offset(0)
        .fetch(filter.limit);
      return rows.map(alarmFromRow);
    },
    getAlarm(id) {
      return getAlarm(base, id);
    },
    acknowledgeAlarm({ id, userId, note, at, audit }) {
      return inTransaction(pool, async ({ db }) => {
        const before = await getAlarm(db, id);
        if (!before) throw notFound(`alarm ${id}`);
        const moved = await db
          .update(alarms)
          .set({ acknowledgedAt: at, acknowledgedBy: userId, note, updatedAt: at })
          .where(and(eq(alarms.id, id), isNull(alarms.acknowledgedAt)));
        if (affected(moved) === 0) {
          throw conflict(`alarm ${id} was acknowledged already`, FORM_FIELD, 'alarm_already_acknowledged');
        }
        const after = (await getAlarm(db, id))!;
        await writeAudit(db, audit({ before, after }));
        return after;
      });
    },
    async alarmsRevision() {
      const [row] = await base.select({ at: max(alarms.updatedAt), id: max(alarms.id) }).from(alarms);
      return `${row?.id ?? 0}:${row?.at ?? 0}`;
    },

    async queueDeliveries(rows) {
      if (rows.length === 0) return;
      await inTransaction(pool, async ({ db }) => {
        for (const r of rows) {
          await db.insert(alarmDeliveries).values({
            alarmId: r.alarmId,
            ruleName: r.ruleName,
            channel: r.channel,
            target: r.target,
            payload: r.payload,
            status: 'pending',
            attempts: 0,
            createdAt: r.at,
            nextAttemptAt: r.at,
          });
        }
      });
    },
    async lastQueuedDeliveries(alarmIds) {
      const last = new Map<string, number>();
      for (const ids of chunks(alarmIds, IN_LIST_CHUNK)) {
        const rows = await base
          .select({
            alarmId: alarmDeliveries.alarmId,
            ruleName: alarmDeliveries.ruleName,
            at: max(alarmDeliveries.createdAt),
          })
          .from(alarmDeliveries)
          .where(inArray(alarmDeliveries.alarmId, ids))
          .groupBy(alarmDeliveries.alarmId, alarmDeliveries.ruleName);
        for (const r of rows) last.set(`${r.alarmId}:${r.ruleName}`, Number(r.at ?? 0));
      }
      return last;
    },
    async listDueDeliveries(now, limit) {
      const rows = await base
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
        .offset(0)
        .fetch(limit);
      return rows.map((r) => ({ ...r, channel: r.channel as DeliveryChannel }));
    },
    async finishDeliveryAttempt({ id, at, error, retryAt }) {
      await base
        .update(alarmDeliveries)
        .set({
          attempts: sql`${alarmDeliveries.attempts} + 1`,
          status: error === null ? 'sent' : retryAt === null ? 'failed' : 'pending',
          lastError: error?.slice(0, 1000) ?? null,
          sentAt: error === null ? at : null,
          nextAttemptAt: error === null ? null : retryAt,
        })
        .where(eq(alarmDeliveries.id, id));
    },
    async listDeliveries(filter) {
      const rows = await base
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
        .offset(0)
        .fetch(filter.limit);
      return rows.map(deliveryFromRow) satisfies AlarmDelivery[];
    },

    addShiftNote({ userId, text, at, audit }) {
      return inTransaction(pool, async ({ db }) => {
        const [row] = await db.insert(shiftNotes).output({ id: shiftNotes.id }).values({ userId, text, at });
        const [note] = await shiftNoteQuery(db).where(eq(shiftNotes.id, row!.id));
        await writeAudit(db, audit({ before: null, after: note! }));
        return note!;
      });
    },
    async listShiftNotes({ since, limit }) {
      return (await shiftNoteQuery(base)
        .where(gte(shiftNotes.at, since))
        .orderBy(desc(shiftNotes.at), desc(shiftNotes.id))
        .offset(0)
        .fetch(limit)) satisfies ShiftNote[];
    },
  };
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
