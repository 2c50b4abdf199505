/* eslint-disable @typescript-eslint/require-await --
 * The port is async because SQL Server's driver is; better-sqlite3 is synchronous.
 * Every method is still `async` so that a failure always reaches the caller as a
 * rejected promise, never as a synchronous throw.
 */
import Database from 'better-sqlite3';
import { and, asc, count, eq, or, sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { Area, AreaFields } from '../../../../src-shared/domain/area';
import type { Device, DeviceFields, DeviceFilter } from '../../../../src-shared/domain/device';
import { FORM_FIELD } from '../../../../src-shared/domain/validation';
import { conflict, invalidField, notFound } from '../../errors';
import type { Clock, Store } from '../port';
import { areas, devices, settings } from './schema';

export interface SqliteStoreOptions {
  /** A file path, or ':memory:' for throw-away stores. */
  readonly file: string;
  readonly migrationsFolder: string;
  readonly clock: Clock;
}

/**
 * Embedded store for a single workstation, an agent's buffer, or a trial.
 * WAL lets the UI read while a sweep writes; foreign keys are off by default
 * in SQLite and must be switched on per connection.
 */
export class SqliteStore implements Store {
  private readonly db: BetterSQLite3Database & { $client: Database.Database };

  constructor(private readonly options: SqliteStoreOptions) {
    const client = new Database(options.file);
    client.pragma('journal_mode = WAL');
    client.pragma('foreign_keys = ON');
    client.pragma('busy_timeout = 5000');
    // NORMAL is durable across application crashes in WAL mode; only a power cut can lose the last commit.
    client.pragma('synchronous = NORMAL');
    this.db = drizzle({ client });
    migrate(this.db, { migrationsFolder: options.migrationsFolder });
  }

  private now(): number {
    return this.options.clock.now();
  }

  async listAreas(): Promise<Area[]> {
    return this.areaQuery().orderBy(asc(areas.code)).all();
  }

  async getArea(id: number): Promise<Area | undefined> {
    return this.areaQuery().where(eq(areas.id, id)).get();
  }

  async createArea(fields: AreaFields): Promise<Area> {
    const now = this.now();
    const row = translateConstraints(() =>
      this.db
        .insert(areas)
        .values({ ...fields, createdAt: now, updatedAt: now })
        .returning({ id: areas.id })
        .get(),
    );
    return this.mustGetArea(row.id);
  }

  async updateArea(id: number, fields: AreaFields): Promise<Area> {
    const result = translateConstraints(() =>
      this.db
        .update(areas)
        .set({ ...fields, updatedAt: this.now() })
        .where(eq(areas.id, id))
        .run(),
    );
    if (result.changes === 0) throw notFound(`area ${id}`);
    return this.mustGetArea(id);
  }

  async deleteArea(id: number): Promise<void> {
    const area = await this.getArea(id);
    if (!area) throw notFound(`area ${id}`);
    if (area.deviceCount > 0) {
      throw conflict(
        `area ${area.code} still has ${area.deviceCount} devices; move or delete them first`,
        FORM_FIELD,
        'area_has_devices',
        { count: area.deviceCount },
      );
    }
    translateConstraints(() => this.db.delete(areas).where(eq(areas.id, id)).run());
  }

  async listDevices(filter: DeviceFilter): Promise<Device[]> {
    const conditions: SQL[] = [];
    if (filter.areaId !== undefined) conditions.push(eq(devices.areaId, filter.areaId));
    if (filter.type !== undefined) conditions.push(eq(devices.type, filter.type));
    if (filter.context !== undefined) conditions.push(eq(devices.context, filter.context));
    if (filter.text) {
      const pattern = `%${filter.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const match = (column: AnySQLiteColumn) => sql`${column} LIKE ${pattern} ESCAPE '\\'`;
      conditions.push(or(match(devices.name), match(devices.host), match(devices.location), match(devices.notes))!);
    }
    return this.deviceQuery()
      .where(and(...conditions))
      .orderBy(asc(areas.code), asc(devices.name))
      .all();
  }

  async getDevice(id: number): Promise<Device | undefined> {
    return this.deviceQuery().where(eq(devices.id, id)).get();
  }

  async createDevice(fields: DeviceFields): Promise<Device> {
    await this.requireArea(fields.areaId);
    const now = this.now();
    const row = translateConstraints(() =>
      this.db
        .insert(devices)
        .values({ ...fields, status: 'OFFLINE', statusSince: now, createdAt: now, updatedAt: now })
        .returning({ id: devices.id })
        .get(),
    );
    return this.mustGetDevice(row.id);
  }

  async updateDevice(id: number, fields: DeviceFields): Promise<Device> {
    await this.requireArea(fields.areaId);
    const result = translateConstraints(() =>
      this.db
        .update(devices)
        .set({ ...fields, updatedAt: this.now() })
        .where(eq(devices.id, id))
        .run(),
    );
    if (result.changes === 0) throw notFound(`device ${id}`);
    return this.mustGetDevice(id);
  }

  async deleteDevice(id: number): Promise<void> {
    const result = this.db.delete(devices).where(eq(devices.id, id)).run();
    if (result.changes === 0) throw notFound(`device ${id}`);
  }

  async getSetting(key: string): Promise<unknown> {
    const row = this.db.select({ value: settings.value }).from(settings).where(eq(settings.key, key)).get();
    return row === undefined ? undefined : (JSON.parse(row.value) as unknown);
  }

  async setSetting(key: string, value: unknown): Promise<void> {
    const encoded = JSON.stringify(value);
    const updatedAt = this.now();
    this.db
      .insert(settings)
      .values({ key, value: encoded, updatedAt })
      .onConflictDoUpdate({ target: settings.key, set: { value: encoded, updatedAt } })
      .run();
  }

  async close(): Promise<void> {
    this.db.$client.close();
  }

  private areaQuery() {
    return this.db
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
  }

  private deviceQuery() {
    return this.db
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
  }

  private async requireArea(areaId: number): Promise<void> {
    if (!(await this.getArea(areaId))) throw invalidField('areaId', 'unknown_area', `area ${areaId} does not exist`);
  }

  private async mustGetArea(id: number): Promise<Area> {
    const area = await this.getArea(id);
    if (!area) throw notFound(`area ${id}`);
    return area;
  }

  private async mustGetDevice(id: number): Promise<Device> {
    const device = await this.getDevice(id);
    if (!device) throw notFound(`device ${id}`);
    return device;
  }
}

/**
 * Turns SQLite's unique-constraint failures into conflicts that name the
 * field, so the operator sees "code already in use" next to the code box.
 */
function translateConstraints<T>(write: () => T): T {
  try {
    return write();
  } catch (error) {
    const message = rootMessage(error);
    if (message.includes('UNIQUE constraint failed: areas.code')) {
      throw conflict('an area with this code already exists', 'code', 'duplicate_area_code');
    }
    if (message.includes('UNIQUE constraint failed: devices.area_id, devices.name')) {
      throw conflict('a device with this name already exists in the area', 'name', 'duplicate_device_name');
    }
    throw error;
  }
}

function rootMessage(error: unknown): string {
  let current: unknown = error;
  const parts: string[] = [];
  while (current instanceof Error) {
    parts.push(current.message);
    current = current.cause;
  }
  return parts.join(' | ');
}
