import { alias } from 'drizzle-orm/sqlite-core';
/* eslint-disable @typescript-eslint/require-await --
 * The port is async because SQL Server's driver is; better-sqlite3 is synchronous.
 * Every method is still `async` so that a failure always reaches the caller as a
 * rejected promise, never as a synchronous throw.
 */
import { and, asc, count, desc, eq, inArray, or, sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Area } from '../../../../src-shared/domain/area';
import type { Device, DeviceSort } from '../../../../src-shared/domain/device';
import { STATUS_ATTENTION_ORDER } from '../../../../src-shared/domain/status';
import { FORM_FIELD } from '../../../../src-shared/domain/validation';
import { conflict, invalidField, notFound } from '../../errors';
import type { Clock } from '../../runtime';
import type { CatalogStore, DeviceQuery, SettingsStore } from '../port';
import { writeAudit } from './audit';
import type { SqliteDb } from './connection';
import { translateConstraints } from './connection';
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
    const pattern = `%${filter.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const match = (column: AnySQLiteColumn) => sql`${column} LIKE ${pattern} ESCAPE '\\'`;
    conditions.push(or(match(devices.name), match(devices.host), match(devices.location), match(devices.notes))!);
  }
  return and(...conditions);
}

/** Attention order as a number, so the database sorts by it. */
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

export function sqliteCatalog(db: SqliteDb, clock: Clock): CatalogStore {
  const areaQuery = () =>
    db
      .select({
        id: areas.id,
        code: areas.code,
        name: areas.name,
        timeZone: areas.timeZone,
        videoCheckMinutes: areas.videoCheckMinutes,
        deviceCount: count(devices.id),
        createdAt: areas.createdAt,
        updatedAt: areas.updatedAt,
      })
      .from(areas)
      .leftJoin(devices, eq(devices.areaId, areas.id))
      .groupBy(areas.id)
      .$dynamic();

  const deviceQuery = () =>
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

  const getArea = (id: number): Area | undefined => areaQuery().where(eq(areas.id, id)).get();
  const getDevice = (id: number): Device | undefined => deviceQuery().where(eq(devices.id, id)).get();
  const mustGetArea = (id: number): Area => {
    const area = getArea(id);
    if (!area) throw notFound(`area ${id}`);
    return area;
  };
  const mustGetDevice = (id: number): Device => {
    const device = getDevice(id);
    if (!device) throw notFound(`device ${id}`);
    return device;
  };
  const requireArea = (areaId: number) => {
    if (!getArea(areaId)) throw invalidField('areaId', 'unknown_area', `area ${areaId} does not exist`);
  };

  return {
    async listAreas() {
      return areaQuery().orderBy(asc(areas.code)).all();
    },
    async getArea(id) {
      return getArea(id);
    },
    async createArea(fields, audit) {
      const now = clock.now();
      return translateConstraints(() =>
        db.transaction((tx) => {
          const row = tx
            .insert(areas)
            .values({ ...fields, createdAt: now, updatedAt: now })
            .returning({ id: areas.id })
            .get();
          const after = mustGetArea(row.id);
          writeAudit(tx, audit({ before: null, after }));
          return after;
        }),
      );
    },
    async updateArea(id, fields, audit) {
      return translateConstraints(() =>
        db.transaction((tx) => {
          const before = mustGetArea(id);
          tx.update(areas)
            .set({ ...fields, updatedAt: clock.now() })
            .where(eq(areas.id, id))
            .run();
          const after = mustGetArea(id);
          writeAudit(tx, audit({ before, after }));
          return after;
        }),
      );
    },
    async deleteArea(id, audit) {
      db.transaction((tx) => {
        const area = mustGetArea(id);
        if (area.deviceCount > 0) {
          throw conflict(
            `area ${area.code} still has ${area.deviceCount} devices; move or delete them first`,
            FORM_FIELD,
            'area_has_devices',
            { count: area.deviceCount },
          );
        }
        tx.delete(areas).where(eq(areas.id, id)).run();
        writeAudit(tx, audit({ before: area, after: null }));
      });
    },

    async listDevices(filter) {
      return deviceQuery()
        .where(deviceConditions(filter))
        .orderBy(...deviceOrder('name'))
        .all();
    },
    async pageDevices(query) {
      const where = deviceConditions(query);
      const total = db.select({ n: count() }).from(devices).where(where).get()?.n ?? 0;
      const rows = deviceQuery()
        .where(where)
        .orderBy(...deviceOrder(query.sort), desc(devices.id))
        .limit(query.limit)
        .offset(query.offset)
        .all();
      return { total, rows };
    },
    async getDevice(id) {
      return getDevice(id);
    },
    async createDevice(fields, audit) {
      const now = clock.now();
      return translateConstraints(() =>
        db.transaction((tx) => {
          requireArea(fields.areaId);
          const row = tx
            .insert(devices)
            .values({ ...fields, status: 'PENDING', statusSince: now, createdAt: now, updatedAt: now })
            .returning({ id: devices.id })
            .get();
          const after = mustGetDevice(row.id);
          writeAudit(tx, audit({ before: null, after }));
          return after;
        }),
      );
    },
    async updateDevice(id, fields, audit) {
      return translateConstraints(() =>
        db.transaction((tx) => {
          const before = mustGetDevice(id);
          requireArea(fields.areaId);
          tx.update(devices)
            .set({ ...fields, updatedAt: clock.now() })
            .where(eq(devices.id, id))
            .run();
          const after = mustGetDevice(id);
          writeAudit(tx, audit({ before, after }));
          return after;
        }),
      );
    },
    async importDevices(imported, audit) {
      const now = clock.now();
      return translateConstraints(() =>
        db.transaction((tx) => {
          const ids: number[] = [];
          new Set(imported.map((d) => d.fields.areaId)).forEach(requireArea);
          for (const { fields, parent } of imported) {
            const parentId = parent === null ? null : 'id' in parent ? parent.id : ids[parent.index]!;
            const row = tx
              .insert(devices)
              .values({ ...fields, parentId, status: 'PENDING', statusSince: now, createdAt: now, updatedAt: now })
              .returning({ id: devices.id })
              .get();
            ids.push(row.id);
          }
          writeAudit(tx, audit(ids.length));
          return ids.length;
        }),
      );
    },
    async deleteDevice(id, audit) {
      db.transaction((tx) => {
        const before = mustGetDevice(id);
        // Its children are reached directly from now on, not through a device that no longer exists.
        tx.update(devices).set({ parentId: null }).where(eq(devices.parentId, id)).run();
        tx.delete(devices).where(eq(devices.id, id)).run();
        writeAudit(tx, audit({ before, after: null }));
      });
    },
  };
}

export function sqliteSettings(db: SqliteDb, clock: Clock): SettingsStore {
  return {
    async getSetting(key) {
      const row = db.select({ value: settings.value }).from(settings).where(eq(settings.key, key)).get();
      return row === undefined ? undefined : (JSON.parse(row.value) as unknown);
    },
    async setSetting(key, value, audit) {
      const encoded = JSON.stringify(value);
      const updatedAt = clock.now();
      db.transaction((tx) => {
        const before = tx.select({ value: settings.value }).from(settings).where(eq(settings.key, key)).get();
        tx.insert(settings)
          .values({ key, value: encoded, updatedAt })
          .onConflictDoUpdate({ target: settings.key, set: { value: encoded, updatedAt } })
          .run();
        if (audit) {
          writeAudit(
            tx,
            audit({ before: before === undefined ? null : (JSON.parse(before.value) as unknown), after: value }),
          );
        }
      });
    },
  };
}
