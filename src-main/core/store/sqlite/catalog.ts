/* eslint-disable @typescript-eslint/require-await --
 * The port is async because SQL Server's driver is; better-sqlite3 is synchronous.
 * Every method is still `async` so that a failure always reaches the caller as a
 * rejected promise, never as a synchronous throw.
 */
import { and, asc, count, eq, inArray, or, sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Area } from '../../../../src-shared/domain/area';
import type { Device } from '../../../../src-shared/domain/device';
import { FORM_FIELD } from '../../../../src-shared/domain/validation';
import { conflict, invalidField, notFound } from '../../errors';
import type { Clock } from '../../runtime';
import type { CatalogStore, SettingsStore } from '../port';
import type { SqliteDb } from './connection';
import { translateConstraints } from './connection';
import { areas, devices, settings } from './schema';

export function sqliteCatalog(db: SqliteDb, clock: Clock): CatalogStore {
  const areaQuery = () =>
    db
      .select({
        id: areas.id,
        code: areas.code,
        name: areas.name,
        timeZone: areas.timeZone,
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
        createdAt: devices.createdAt,
        updatedAt: devices.updatedAt,
      })
      .from(devices)
      .innerJoin(areas, eq(areas.id, devices.areaId))
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
    async createArea(fields) {
      const now = clock.now();
      const row = translateConstraints(() =>
        db
          .insert(areas)
          .values({ ...fields, createdAt: now, updatedAt: now })
          .returning({ id: areas.id })
          .get(),
      );
      return mustGetArea(row.id);
    },
    async updateArea(id, fields) {
      const result = translateConstraints(() =>
        db
          .update(areas)
          .set({ ...fields, updatedAt: clock.now() })
          .where(eq(areas.id, id))
          .run(),
      );
      if (result.changes === 0) throw notFound(`area ${id}`);
      return mustGetArea(id);
    },
    async deleteArea(id) {
      const area = mustGetArea(id);
      if (area.deviceCount > 0) {
        throw conflict(
          `area ${area.code} still has ${area.deviceCount} devices; move or delete them first`,
          FORM_FIELD,
          'area_has_devices',
          { count: area.deviceCount },
        );
      }
      translateConstraints(() => db.delete(areas).where(eq(areas.id, id)).run());
    },

    async listDevices(filter) {
      const conditions: SQL[] = [];
      if (filter.areaIds !== undefined) conditions.push(inArray(devices.areaId, [...filter.areaIds]));
      if (filter.areaId !== undefined) conditions.push(eq(devices.areaId, filter.areaId));
      if (filter.type !== undefined) conditions.push(eq(devices.type, filter.type));
      if (filter.context !== undefined) conditions.push(eq(devices.context, filter.context));
      if (filter.text) {
        const pattern = `%${filter.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        const match = (column: AnySQLiteColumn) => sql`${column} LIKE ${pattern} ESCAPE '\\'`;
        conditions.push(or(match(devices.name), match(devices.host), match(devices.location), match(devices.notes))!);
      }
      return deviceQuery()
        .where(and(...conditions))
        .orderBy(asc(areas.code), asc(devices.name))
        .all();
    },
    async getDevice(id) {
      return getDevice(id);
    },
    async createDevice(fields) {
      requireArea(fields.areaId);
      const now = clock.now();
      const row = translateConstraints(() =>
        db
          .insert(devices)
          .values({ ...fields, status: 'OFFLINE', statusSince: now, createdAt: now, updatedAt: now })
          .returning({ id: devices.id })
          .get(),
      );
      return mustGetDevice(row.id);
    },
    async updateDevice(id, fields) {
      requireArea(fields.areaId);
      const result = translateConstraints(() =>
        db
          .update(devices)
          .set({ ...fields, updatedAt: clock.now() })
          .where(eq(devices.id, id))
          .run(),
      );
      if (result.changes === 0) throw notFound(`device ${id}`);
      return mustGetDevice(id);
    },
    async deleteDevice(id) {
      const result = db.delete(devices).where(eq(devices.id, id)).run();
      if (result.changes === 0) throw notFound(`device ${id}`);
    },
  };
}

export function sqliteSettings(db: SqliteDb, clock: Clock): SettingsStore {
  return {
    async getSetting(key) {
      const row = db.select({ value: settings.value }).from(settings).where(eq(settings.key, key)).get();
      return row === undefined ? undefined : (JSON.parse(row.value) as unknown);
    },
    async setSetting(key, value) {
      const encoded = JSON.stringify(value);
      const updatedAt = clock.now();
      db.insert(settings)
        .values({ key, value: encoded, updatedAt })
        .onConflictDoUpdate({ target: settings.key, set: { value: encoded, updatedAt } })
        .run();
    },
  };
}
