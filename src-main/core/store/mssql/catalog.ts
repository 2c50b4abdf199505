import { alias } from 'drizzle-orm/mssql-core';
import { and, asc, count, desc, eq, inArray, or, sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import type { AnyMsSqlColumn } from 'drizzle-orm/mssql-core';
import type { Area } from '../../../../src-shared/domain/area';
import type { Device, DeviceSort } from '../../../../src-shared/domain/device';
import { STATUS_ATTENTION_ORDER } from '../../../../src-shared/domain/status';
import { FORM_FIELD } from '../../../../src-shared/domain/validation';
import { conflict, invalidField, notFound } from '../../errors';
import type { Clock } from '../../runtime';
import type { CatalogStore, DeviceQuery, SettingsStore } from '../port';
import { writeAudit } from './audit';
import type { MsDb } from './connection';
import { affected, inTransaction, onDuplicate } from './connection';
import type { MssqlHandle } from './handle';
import { areas, devices, settings } from './schema';

/** A device's parent, joined to name it and to tell whether it is down. */
const parentDevice = alias(devices, 'parent_device');

function deviceConditions(filter: DeviceQuery): SQL | undefined {
  const conditions: SQL[] = [];
  if (filter.areaIds !== undefined) conditions.push(inArray(devices.areaId, [...filter.areaIds]));
  if (filter.areaId !== undefined) conditions.push(eq(devices.areaId, filter.areaId));
  if (filter.type !== undefined) conditions.push(eq(devices.type, filter.type));
  if (filter.context !== undefined) conditions.push(eq(devices.context, filter.context));
  if (filter.status !== undefined) conditions.push(eq(devices.status, filter.status));
  if (filter.text) {
    // T-SQL's LIKE also reads [ as a wildcard: escape it with % and _.
    const pattern = `%${filter.text.replace(/[\\%_[]/g, (c) => `\\${c}`)}%`;
    const match = (column: AnyMsSqlColumn) => sql`${column} LIKE ${pattern} ESCAPE '\\'`;
    conditions.push(or(match(devices.name), match(devices.host), match(devices.location), match(devices.notes))!);
  }
  return and(...conditions);
}

const attention = sql.join(
  [
    sql`CASE ${devices.status}`,
    ...STATUS_ATTENTION_ORDER.map((status, rank) => sql`WHEN ${status} THEN ${rank}`),
    sql`END`,
  ],
  sql` `,
);

function deviceOrder(sort: DeviceSort): SQL[] {
  switch (sort) {
    case 'name':
      return [asc(areas.code), asc(devices.name)];
    case 'status':
      return [asc(attention), asc(devices.statusSince), asc(devices.name)];
    case 'duration':
      return [asc(devices.statusSince), asc(devices.name)];
  }
}

const duplicateCode = () => conflict('an area with this code already exists', 'code', 'duplicate_area_code');
const duplicateName = () =>
  conflict('a device with this name already exists in the area', 'name', 'duplicate_device_name');

export function msCatalog({ pool, db: base }: MssqlHandle, clock: Clock): CatalogStore {
  const areaQuery = (db: MsDb) =>
    db
      .select({
        id: areas.id,
        code: areas.code,
        name: areas.name,
        timeZone: areas.timeZone,
        videoCheckMinutes: areas.videoCheckMinutes,
        deviceCount: sql<number>`(SELECT COUNT(*) FROM ${devices} WHERE ${devices.areaId} = ${areas.id})`,
        createdAt: areas.createdAt,
        updatedAt: areas.updatedAt,
      })
      .from(areas)
      .$dynamic();
  const deviceQuery = (db: MsDb) =>
    db
      .select({
        id: devices.id,
        name: devices.name,
        type: devices.type,
        context: devices.context,
        host: devices.host,
        areaId: devices.areaId,
        areaCode: areas.code,
        location: devices.location,
        notes: devices.notes,
        status: devices.status,
        statusSince: devices.statusSince,
        parentId: devices.parentId,
        parentName: parentDevice.name,
        parentStatus: parentDevice.status,
        createdAt: devices.createdAt,
        updatedAt: devices.updatedAt,
      })
      .from(devices)
      .innerJoin(areas, eq(areas.id, devices.areaId))
      .leftJoin(parentDevice, eq(parentDevice.id, devices.parentId))
      .$dynamic();
  const getArea = async (db: MsDb, id: number): Promise<Area | undefined> =>
    (await areaQuery(db).where(eq(areas.id, id)))[0];
  const getDevice = async (db: MsDb, id: number): Promise<Device | undefined> =>
    (await deviceQuery(db).where(eq(devices.id, id)))[0];
  const mustGetArea = async (db: MsDb, id: number): Promise<Area> => {
    const area = await getArea(db, id);
    if (!area) throw notFound(`area ${id}`);
    return area;
  };
  const mustGetDevice = async (db: MsDb, id: number): Promise<Device> => {
    const device = await getDevice(db, id);
    if (!device) throw notFound(`device ${id}`);
    return device;
  };
  const requireArea = async (db: MsDb, areaId: number) => {
    if (!(await getArea(db, areaId))) throw invalidField('areaId', 'unknown_area', `area ${areaId} does not exist`);
  };

  return {
    async listAreas() {
      return areaQuery(base).orderBy(asc(areas.code));
    },
    getArea: (id) => getArea(base, id),
    createArea(fields, audit) {
      const now = clock.now();
      return onDuplicate(
        () =>
          inTransaction(pool, async ({ db }) => {
            const [row] = await db
              .insert(areas)
              .output({ id: areas.id })
              .values({ ...fields, createdAt: now, updatedAt: now });
            const after = await mustGetArea(db, row!.id);
            await writeAudit(db, audit({ before: null, after }));
            return after;
          }),
        duplicateCode,
      );
    },
    updateArea(id, fields, audit) {
      return onDuplicate(
        () =>
          inTransaction(pool, async ({ db }) => {
            const before = await mustGetArea(db, id);
            await db
              .update(areas)
              .set({ ...fields, updatedAt: clock.now() })
              .where(eq(areas.id, id));
            const after = await mustGetArea(db, id);
            await writeAudit(db, audit({ before, after }));
            return after;
          }),
        duplicateCode,
      );
    },
    async deleteArea(id, audit) {
      await inTransaction(pool, async ({ db }) => {
        const area = await mustGetArea(db, id);
        if (area.deviceCount > 0) {
          throw conflict(
            `area ${area.code} still has ${area.deviceCount} devices; move or delete them first`,
            FORM_FIELD,
            'area_has_devices',
            { count: area.deviceCount },
          );
        }
        await db.delete(areas).where(eq(areas.id, id));
        await writeAudit(db, audit({ before: area, after: null }));
      });
    },

    async listDevices(filter) {
      return deviceQuery(base)
        .where(deviceConditions(filter))
        .orderBy(...deviceOrder('name'));
    },
    async pageDevices(query) {
      const where = deviceConditions(query);
      const [total] = await base.select({ n: count() }).from(devices).where(where);
      const rows = await deviceQuery(base)
        .where(where)
        .orderBy(...deviceOrder(query.sort), desc(devices.id))
        .offset(query.offset)
        .fetch(query.limit);
      return { total: total?.n ?? 0, rows };
    },
    getDevice: (id) => getDevice(base, id),
    createDevice(fields, audit) {
      const now = clock.now();
      return onDuplicate(
        () =>
          inTransaction(pool, async ({ db }) => {
            await requireArea(db, fields.areaId);
            const [row] = await db
              .insert(devices)
              .output({ id: devices.id })
              .values({ ...fields, status: 'PENDING', statusSince: now, createdAt: now, updatedAt: now });
            const after = await mustGetDevice(db, row!.id);
            await writeAudit(db, audit({ before: null, after }));
            return after;
          }),
        duplicateName,
      );
    },
    updateDevice(id, fields, audit) {
      return onDuplicate(
        () =>
          inTransaction(pool, async ({ db }) => {
            const before = await mustGetDevice(db, id);
            await requireArea(db, fields.areaId);
            await db
              .update(devices)
              .set({ ...fields, updatedAt: clock.now() })
              .where(eq(devices.id, id));
            const after = await mustGetDevice(db, id);
            await writeAudit(db, audit({ before, after }));
            return after;
          }),
        duplicateName,
      );
    },
    importDevices(imported, audit) {
      const now = clock.now();
      return onDuplicate(
        () =>
          inTransaction(pool, async ({ db }) => {
            const ids: number[] = [];
            for (const areaId of new Set(imported.map((d) => d.fields.areaId))) await requireArea(db, areaId);
            for (const { fields, parent } of imported) {
              const parentId = parent === null ? null : 'id' in parent ? parent.id : ids[parent.index]!;
              const [row] = await db
                .insert(devices)
                .output({ id: devices.id })
                .values({ ...fields, parentId, status: 'PENDING', statusSince: now, createdAt: now, updatedAt: now });
              ids.push(row!.id);
            }
            await writeAudit(db, audit(ids.length));
            return ids.length;
          }),
        duplicateName,
      );
    },
    async deleteDevice(id, audit) {
      await inTransaction(pool, async ({ db }) => {
        const before = await mustGetDevice(db, id);
        // Its children are reached directly from now on, not through a device that no longer exists.
        await db.update(devices).set({ parentId: null }).where(eq(devices.parentId, id));
        const removed = await db.delete(devices).where(eq(devices.id, id));
        if (affected(removed) === 0) throw notFound(`device ${id}`);
        await writeAudit(db, audit({ before, after: null }));
      });
    },
  };
}

export function msSettings({ pool, db: base }: MssqlHandle, clock: Clock): SettingsStore {
  return {
    async getSetting(key) {
      const [row] = await base.select({ value: settings.value }).from(settings).where(eq(settings.key, key));
      return row === undefined ? undefined : (JSON.parse(row.value) as unknown);
    },
    async setSetting(key, value, audit) {
      const encoded = JSON.stringify(value);
      const updatedAt = clock.now();
      await inTransaction(pool, async ({ db }) => {
        // Read under an update lock held to the end, so two writers of one key cannot both insert it.
        const [before] = await db
          .execute<{ value: string }>(
            sql`SELECT ${settings.value} AS value FROM ${settings} WITH (UPDLOCK, HOLDLOCK) WHERE ${settings.key} = ${key}`,
          )
          .then((r) => r.recordset);
        if (before) await db.update(settings).set({ value: encoded, updatedAt }).where(eq(settings.key, key));
        else await db.insert(settings).values({ key, value: encoded, updatedAt });
        if (audit) {
          await writeAudit(db, audit({ before: before ? (JSON.parse(before.value) as unknown) : null, after: value }));
        }
      });
    },
  };
}
