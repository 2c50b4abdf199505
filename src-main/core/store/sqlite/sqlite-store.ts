/* eslint-disable @typescript-eslint/require-await --
 * The port is async because SQL Server's driver is; better-sqlite3 is synchronous.
 * Every method is still `async` so that a failure always reaches the caller as a
 * rejected promise, never as a synchronous throw.
 */
import Database from 'better-sqlite3';
import { and, asc, count, desc, eq, gte, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { alias } from 'drizzle-orm/sqlite-core';
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { Area, AreaFields } from '../../../../src-shared/domain/area';
import type { Device, DeviceFields, DeviceType } from '../../../../src-shared/domain/device';
import { FORM_FIELD } from '../../../../src-shared/domain/validation';
import { conflict, invalidField, notFound } from '../../errors';
import type { RttPoint, StatusChange, StatusCount, SweepSummary } from '../../../../src-shared/domain/monitoring';
import { SCREENS } from '../../../../src-shared/domain/permissions';
import type { PermissionGrid, Screen } from '../../../../src-shared/domain/permissions';
import type { DeviceStatus } from '../../../../src-shared/domain/status';
import type { AuditEntry, User } from '../../../../src-shared/domain/users';
import type {
  MaintenanceCase,
  MaintenanceCategory,
  ShutdownRequest,
  ShutdownStatus,
} from '../../../../src-shared/domain/workflow';
import { WORKFLOW_SOURCE } from '../../../../src-shared/domain/uptime';
import type {
  AuditFilter,
  DeviceQuery,
  DeviceSegment,
  UserFields,
  Store,
  SweepRecord,
  SweepTarget,
  SweepWriteResult,
  WorkflowFilter,
  WorkflowStateChange,
} from '../port';
import type { Clock } from '../../runtime';
import { addProbes, HOUR_MS, hourOf, mergeMinutePoints, minutePoints } from '../rollup-codec';
import {
  agents,
  areas,
  auditLog,
  maintenanceCases,
  shutdownRequests,
  userAreas,
  userPermissions,
  users,
  devices,
  monitorLease,
  probeResults,
  probeRollups,
  settings,
  stateSegments,
  statusChanges,
  sweeps,
} from './schema';

/** SQL Server accepts at most 2,100 parameters per statement; stay far below for every dialect. */
const IN_LIST_CHUNK = 500;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

const STATUS_OF_WORKFLOW: Record<'maintenance' | 'shutdown', DeviceStatus> = {
  maintenance: 'MAINTENANCE',
  shutdown: 'SHUTDOWN',
};

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
    this.hot = this.prepareHotPath();
  }

  /** The sweep's statements, prepared once: a sweep of thousands of devices writes in milliseconds. */
  private readonly hot: ReturnType<SqliteStore['prepareHotPath']>;

  private prepareHotPath() {
    const p = (name: string) => sql.placeholder(name);
    return {
      renewLease: this.db
        .update(monitorLease)
        .set({ expiresAt: p('expiresAt') })
        .where(and(eq(monitorLease.id, 1), eq(monitorLease.holder, p('holder')), eq(monitorLease.epoch, p('epoch'))))
        .prepare(),
      extendSegment: this.db
        .update(stateSegments)
        .set({ endAt: p('endAt') })
        .where(eq(stateSegments.id, p('id')))
        .prepare(),
      insertSegment: this.db
        .insert(stateSegments)
        .values({
          deviceId: p('deviceId'),
          state: p('state'),
          source: p('source'),
          startAt: p('startAt'),
          endAt: p('endAt'),
        })
        .returning({ id: stateSegments.id })
        .prepare(),
      insertStatusChange: this.db
        .insert(statusChanges)
        .values({ deviceId: p('deviceId'), fromStatus: p('from'), toStatus: p('to'), at: p('at'), source: p('source') })
        .prepare(),
      setDeviceStatus: this.db
        .update(devices)
        .set({ status: p('status'), statusSince: p('at') })
        .where(eq(devices.id, p('deviceId')))
        .prepare(),
      insertRaw: this.db
        .insert(probeResults)
        .values({ deviceId: p('deviceId'), at: p('at'), source: p('source'), alive: p('alive'), rttMs: p('rttMs') })
        .prepare(),
      selectHour: this.db
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
      upsertHour: this.db
        .insert(probeRollups)
        .values({ deviceId: p('deviceId'), hourAt: p('hourAt'), source: p('source'), minutes: p('minutes') })
        .onConflictDoUpdate({
          target: [probeRollups.deviceId, probeRollups.hourAt, probeRollups.source],
          set: { minutes: sql`excluded.minutes` },
        })
        .prepare(),
      insertSweep: this.db
        .insert(sweeps)
        .values({
          source: p('source'),
          epoch: p('epoch'),
          startedAt: p('startedAt'),
          durationMs: p('durationMs'),
          devicesProbed: p('devicesProbed'),
          failures: p('failures'),
          overrunMs: p('overrunMs'),
        })
        .prepare(),
    };
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

  async listDevices(filter: DeviceQuery): Promise<Device[]> {
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

  async listSweepTargets(query: { now: number; agentHeartbeatTimeoutMs: number }): Promise<SweepTarget[]> {
    const healthySince = query.now - query.agentHeartbeatTimeoutMs;
    const covered = this.db
      .select({ areaId: agents.areaId })
      .from(agents)
      .where(gte(agents.lastHeartbeatAt, healthySince));
    return this.db
      .select({ id: devices.id, host: devices.host, areaId: devices.areaId, status: devices.status })
      .from(devices)
      .where(and(inArray(devices.status, ['ONLINE', 'OFFLINE']), sql`${devices.areaId} NOT IN ${covered}`))
      .orderBy(asc(devices.id))
      .all();
  }

  async acquireMonitorLease(holder: string, now: number, ttlMs: number): Promise<number | null> {
    return this.db.transaction((tx) => {
      const current = tx.select().from(monitorLease).where(eq(monitorLease.id, 1)).get();
      if (current && current.holder !== holder && current.expiresAt > now) return null;
      const epoch = (current?.epoch ?? 0) + 1;
      tx.insert(monitorLease)
        .values({ id: 1, holder, epoch, expiresAt: now + ttlMs })
        .onConflictDoUpdate({ target: monitorLease.id, set: { holder, epoch, expiresAt: now + ttlMs } })
        .run();
      return epoch;
    });
  }

  async releaseMonitorLease(holder: string, epoch: number): Promise<void> {
    this.db
      .update(monitorLease)
      .set({ expiresAt: 0 })
      .where(and(eq(monitorLease.id, 1), eq(monitorLease.holder, holder), eq(monitorLease.epoch, epoch)))
      .run();
  }

  async recordSweep(sweep: SweepRecord): Promise<SweepWriteResult> {
    const hot = this.hot;
    return this.db.transaction((tx) => {
      const renewed = hot.renewLease.run({ holder: sweep.holder, epoch: sweep.epoch, expiresAt: sweep.leaseExpiresAt });
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
        return status === 'ONLINE' || status === 'OFFLINE';
      };
      for (const e of sweep.extend) hot.extendSegment.run({ id: e.segmentId, endAt: e.endAt });
      const insertedSegmentIds = sweep.insert.map((s) =>
        probing(s.deviceId) ? hot.insertSegment.get({ ...s, source: sweep.source }).id : null,
      );
      const appliedStatusChanges: number[] = [];
      for (const change of sweep.statusChanges) {
        if (statusNow.get(change.deviceId) !== change.from) continue;
        hot.insertStatusChange.run({ ...change, source: sweep.source });
        hot.setDeviceStatus.run({ deviceId: change.deviceId, status: change.to, at: change.at });
        appliedStatusChanges.push(change.deviceId);
      }
      for (const [key, probes] of groupByDeviceHour(sweep.probes)) {
        const [deviceId, hourAt] = key.split(':').map(Number) as [number, number];
        if (!statusNow.has(deviceId)) continue;
        const where = { deviceId, hourAt, source: sweep.source };
        const current = hot.selectHour.get(where);
        hot.upsertHour.run({ ...where, minutes: Buffer.from(addProbes(current?.minutes ?? null, probes)) });
      }
      if (sweep.keepRaw) {
        for (const probe of sweep.probes) {
          if (statusNow.has(probe.deviceId)) hot.insertRaw.run({ ...probe, source: sweep.source });
        }
      }
      hot.insertSweep.run({ ...sweep.summary, source: sweep.source, epoch: sweep.epoch });
      return { insertedSegmentIds, appliedStatusChanges };
    });
  }

  async setWorkflowState(change: WorkflowStateChange): Promise<void> {
    this.db.transaction((tx) => this.applyWorkflowState(tx, change));
  }

  /** Device status, status-change log and workflow segment, inside the caller's transaction. */
  private applyWorkflowState(tx: Transaction, change: WorkflowStateChange): void {
    const device = tx.select({ status: devices.status }).from(devices).where(eq(devices.id, change.deviceId)).get();
    if (!device) throw notFound(`device ${change.deviceId}`);
    const to: DeviceStatus = change.state ? STATUS_OF_WORKFLOW[change.state] : 'OFFLINE';
    tx.update(stateSegments)
      .set({ endAt: change.at })
      .where(
        and(
          eq(stateSegments.deviceId, change.deviceId),
          eq(stateSegments.source, WORKFLOW_SOURCE),
          isNull(stateSegments.endAt),
        ),
      )
      .run();
    if (change.state) {
      tx.insert(stateSegments)
        .values({
          deviceId: change.deviceId,
          state: change.state,
          source: WORKFLOW_SOURCE,
          startAt: change.at,
          endAt: null,
        })
        .run();
    }
    tx.update(devices).set({ status: to, statusSince: change.at }).where(eq(devices.id, change.deviceId)).run();
    tx.insert(statusChanges)
      .values({
        deviceId: change.deviceId,
        fromStatus: device.status,
        toStatus: to,
        at: change.at,
        source: change.actor,
      })
      .run();
  }

  async openMaintenanceCase(input: {
    deviceId: number;
    category: MaintenanceCategory;
    description: string;
    userId: number | null;
    at: number;
  }): Promise<MaintenanceCase> {
    const id = translateConstraints(() =>
      this.db.transaction((tx) => {
        const row = tx
          .insert(maintenanceCases)
          .values({
            deviceId: input.deviceId,
            category: input.category,
            description: input.description,
            openedBy: input.userId,
            openedAt: input.at,
          })
          .returning({ id: maintenanceCases.id })
          .get();
        this.applyWorkflowState(tx, {
          deviceId: input.deviceId,
          state: 'maintenance',
          at: input.at,
          actor: actorOf(input.userId),
        });
        return row.id;
      }),
    );
    return (await this.getMaintenanceCase(id))!;
  }

  async closeMaintenanceCase(input: {
    caseId: number;
    solution: string;
    userId: number | null;
    at: number;
  }): Promise<MaintenanceCase> {
    this.db.transaction((tx) => {
      const open = tx
        .select({ deviceId: maintenanceCases.deviceId })
        .from(maintenanceCases)
        .where(and(eq(maintenanceCases.id, input.caseId), isNull(maintenanceCases.closedAt)))
        .get();
      if (!open) throw notFound(`open maintenance case ${input.caseId}`);
      tx.update(maintenanceCases)
        .set({ solution: input.solution, closedBy: input.userId, closedAt: input.at })
        .where(eq(maintenanceCases.id, input.caseId))
        .run();
      this.applyWorkflowState(tx, { deviceId: open.deviceId, state: null, at: input.at, actor: actorOf(input.userId) });
    });
    return (await this.getMaintenanceCase(input.caseId))!;
  }

  async getMaintenanceCase(id: number): Promise<MaintenanceCase | undefined> {
    return (await this.listMaintenanceCases({ limit: 1, caseId: id }))[0];
  }

  async listMaintenanceCases(
    filter: WorkflowFilter & { category?: MaintenanceCategory; open?: boolean; caseId?: number },
  ): Promise<MaintenanceCase[]> {
    const opener = alias(users, 'opener');
    const closer = alias(users, 'closer');
    return this.db
      .select({
        id: maintenanceCases.id,
        deviceId: maintenanceCases.deviceId,
        deviceName: devices.name,
        areaId: devices.areaId,
        areaCode: areas.code,
        category: maintenanceCases.category,
        description: maintenanceCases.description,
        openedBy: sql<string>`coalesce(${opener.username}, 'admin')`,
        openedAt: maintenanceCases.openedAt,
        solution: maintenanceCases.solution,
        closedBy: sql<
          string | null
        >`case when ${maintenanceCases.closedAt} is null then null else coalesce(${closer.username}, 'admin') end`,
        closedAt: maintenanceCases.closedAt,
      })
      .from(maintenanceCases)
      .innerJoin(devices, eq(devices.id, maintenanceCases.deviceId))
      .innerJoin(areas, eq(areas.id, devices.areaId))
      .leftJoin(opener, eq(opener.id, maintenanceCases.openedBy))
      .leftJoin(closer, eq(closer.id, maintenanceCases.closedBy))
      .where(
        and(
          ...workflowConditions(filter, maintenanceCases.deviceId, maintenanceCases.openedAt),
          filter.caseId === undefined ? undefined : eq(maintenanceCases.id, filter.caseId),
          filter.category === undefined ? undefined : eq(maintenanceCases.category, filter.category),
          filter.open === undefined
            ? undefined
            : filter.open
              ? isNull(maintenanceCases.closedAt)
              : sql`${maintenanceCases.closedAt} IS NOT NULL`,
        ),
      )
      .orderBy(desc(maintenanceCases.openedAt), desc(maintenanceCases.id))
      .limit(filter.limit)
      .all();
  }

  async createShutdownRequest(input: {
    deviceId: number;
    justification: string;
    userId: number | null;
    at: number;
  }): Promise<ShutdownRequest> {
    const row = this.db
      .insert(shutdownRequests)
      .values({
        deviceId: input.deviceId,
        justification: input.justification,
        status: 'pending',
        requestedBy: input.userId,
        requestedAt: input.at,
      })
      .returning({ id: shutdownRequests.id })
      .get();
    return (await this.getShutdownRequest(row.id))!;
  }

  async decideShutdownRequest(input: {
    id: number;
    decision: 'approve' | 'reject' | 'reenable';
    reason: string | null;
    userId: number | null;
    at: number;
  }): Promise<ShutdownRequest> {
    this.db.transaction((tx) => {
      const request = tx.select().from(shutdownRequests).where(eq(shutdownRequests.id, input.id)).get();
      if (!request) throw notFound(`shutdown request ${input.id}`);
      const actor = actorOf(input.userId);
      if (input.decision === 'reenable') {
        tx.update(shutdownRequests)
          .set({ status: 'reenabled', reenabledBy: input.userId, reenabledAt: input.at })
          .where(eq(shutdownRequests.id, input.id))
          .run();
        this.applyWorkflowState(tx, { deviceId: request.deviceId, state: null, at: input.at, actor });
        return;
      }
      tx.update(shutdownRequests)
        .set({
          status: input.decision === 'approve' ? 'approved' : 'rejected',
          decidedBy: input.userId,
          decidedAt: input.at,
          decisionReason: input.reason,
        })
        .where(eq(shutdownRequests.id, input.id))
        .run();
      if (input.decision === 'approve') {
        this.applyWorkflowState(tx, { deviceId: request.deviceId, state: 'shutdown', at: input.at, actor });
      }
    });
    return (await this.getShutdownRequest(input.id))!;
  }

  async getShutdownRequest(id: number): Promise<ShutdownRequest | undefined> {
    return (await this.listShutdownRequests({ limit: 1, requestId: id }))[0];
  }

  async listShutdownRequests(
    filter: WorkflowFilter & { status?: ShutdownStatus; requestId?: number },
  ): Promise<ShutdownRequest[]> {
    const requester = alias(users, 'requester');
    const decider = alias(users, 'decider');
    const reenabler = alias(users, 'reenabler');
    return this.db
      .select({
        id: shutdownRequests.id,
        deviceId: shutdownRequests.deviceId,
        deviceName: devices.name,
        areaId: devices.areaId,
        areaCode: areas.code,
        justification: shutdownRequests.justification,
        status: shutdownRequests.status,
        requestedBy: sql<string>`coalesce(${requester.username}, 'admin')`,
        requestedAt: shutdownRequests.requestedAt,
        decidedBy: sql<
          string | null
        >`case when ${shutdownRequests.decidedAt} is null then null else coalesce(${decider.username}, 'admin') end`,
        decidedAt: shutdownRequests.decidedAt,
        decisionReason: shutdownRequests.decisionReason,
        reenabledBy: sql<
          string | null
        >`case when ${shutdownRequests.reenabledAt} is null then null else coalesce(${reenabler.username}, 'admin') end`,
        reenabledAt: shutdownRequests.reenabledAt,
      })
      .from(shutdownRequests)
      .innerJoin(devices, eq(devices.id, shutdownRequests.deviceId))
      .innerJoin(areas, eq(areas.id, devices.areaId))
      .leftJoin(requester, eq(requester.id, shutdownRequests.requestedBy))
      .leftJoin(decider, eq(decider.id, shutdownRequests.decidedBy))
      .leftJoin(reenabler, eq(reenabler.id, shutdownRequests.reenabledBy))
      .where(
        and(
          ...workflowConditions(filter, shutdownRequests.deviceId, shutdownRequests.requestedAt),
          filter.requestId === undefined ? undefined : eq(shutdownRequests.id, filter.requestId),
          filter.status === undefined ? undefined : eq(shutdownRequests.status, filter.status),
        ),
      )
      .orderBy(desc(shutdownRequests.requestedAt), desc(shutdownRequests.id))
      .limit(filter.limit)
      .all();
  }

  async listStatusChanges(filter: WorkflowFilter & { type?: DeviceType }): Promise<StatusChange[]> {
    const rows = this.db
      .select({
        id: statusChanges.id,
        deviceId: statusChanges.deviceId,
        deviceName: devices.name,
        areaId: devices.areaId,
        areaCode: areas.code,
        from: statusChanges.fromStatus,
        to: statusChanges.toStatus,
        at: statusChanges.at,
        source: statusChanges.source,
      })
      .from(statusChanges)
      .innerJoin(devices, eq(devices.id, statusChanges.deviceId))
      .innerJoin(areas, eq(areas.id, devices.areaId))
      .where(
        and(
          ...workflowConditions(filter, statusChanges.deviceId, statusChanges.at),
          filter.type === undefined ? undefined : eq(devices.type, filter.type),
        ),
      )
      .orderBy(desc(statusChanges.at), desc(statusChanges.id))
      .limit(filter.limit)
      .all();
    return rows.map((r) => ({ ...r, from: r.from as DeviceStatus, to: r.to as DeviceStatus }));
  }

  async listSegments(query: { deviceIds: readonly number[]; from: number; to: number }): Promise<DeviceSegment[]> {
    const result: DeviceSegment[] = [];
    for (const ids of chunks(query.deviceIds, IN_LIST_CHUNK)) {
      const rows = this.db
        .select({
          deviceId: stateSegments.deviceId,
          state: stateSegments.state,
          source: stateSegments.source,
          startAt: stateSegments.startAt,
          endAt: stateSegments.endAt,
        })
        .from(stateSegments)
        .where(
          and(
            inArray(stateSegments.deviceId, ids),
            lt(stateSegments.startAt, query.to),
            or(isNull(stateSegments.endAt), sql`${stateSegments.endAt} > ${query.from}`),
          ),
        )
        .orderBy(asc(stateSegments.deviceId), asc(stateSegments.startAt))
        .all();
      for (const row of rows) {
        if (row.state === 'nodata') continue;
        result.push({ ...row, state: row.state, endAt: row.endAt ?? query.to });
      }
    }
    return result;
  }

  async statusCounts(query: { areaId?: number; areaIds?: readonly number[] }): Promise<StatusCount[]> {
    return this.db
      .select({
        areaId: devices.areaId,
        type: devices.type,
        context: devices.context,
        status: devices.status,
        count: count(),
      })
      .from(devices)
      .where(
        and(
          query.areaId === undefined ? undefined : eq(devices.areaId, query.areaId),
          query.areaIds === undefined ? undefined : inArray(devices.areaId, [...query.areaIds]),
        ),
      )
      .groupBy(devices.areaId, devices.type, devices.context, devices.status)
      .all();
  }

  async recentStatusChanges(query: {
    areaId?: number;
    areaIds?: readonly number[];
    deviceId?: number;
    limit: number;
  }): Promise<StatusChange[]> {
    const rows = this.db
      .select({
        id: statusChanges.id,
        deviceId: statusChanges.deviceId,
        deviceName: devices.name,
        areaId: devices.areaId,
        areaCode: areas.code,
        from: statusChanges.fromStatus,
        to: statusChanges.toStatus,
        at: statusChanges.at,
        source: statusChanges.source,
      })
      .from(statusChanges)
      .innerJoin(devices, eq(devices.id, statusChanges.deviceId))
      .innerJoin(areas, eq(areas.id, devices.areaId))
      .where(
        and(
          query.areaId === undefined ? undefined : eq(devices.areaId, query.areaId),
          query.areaIds === undefined ? undefined : inArray(devices.areaId, [...query.areaIds]),
          query.deviceId === undefined ? undefined : eq(statusChanges.deviceId, query.deviceId),
        ),
      )
      .orderBy(desc(statusChanges.at), desc(statusChanges.id))
      .limit(query.limit)
      .all();
    // Statuses are written only from DeviceStatus values; the column is plain text.
    return rows.map((r) => ({ ...r, from: r.from as DeviceStatus, to: r.to as DeviceStatus }));
  }

  async listSweeps(query: { since: number; source: string }): Promise<SweepSummary[]> {
    return this.db
      .select({
        startedAt: sweeps.startedAt,
        durationMs: sweeps.durationMs,
        devicesProbed: sweeps.devicesProbed,
        failures: sweeps.failures,
        overrunMs: sweeps.overrunMs,
      })
      .from(sweeps)
      .where(and(eq(sweeps.source, query.source), gte(sweeps.startedAt, query.since)))
      .orderBy(asc(sweeps.startedAt))
      .all();
  }

  async lastSweep(source: string): Promise<SweepSummary | undefined> {
    return this.db
      .select({
        startedAt: sweeps.startedAt,
        durationMs: sweeps.durationMs,
        devicesProbed: sweeps.devicesProbed,
        failures: sweeps.failures,
        overrunMs: sweeps.overrunMs,
      })
      .from(sweeps)
      .where(eq(sweeps.source, source))
      .orderBy(desc(sweeps.startedAt))
      .limit(1)
      .get();
  }

  async rttRollups(query: { deviceId: number; from: number; to: number }): Promise<RttPoint[]> {
    const rows = this.db
      .select({ hourAt: probeRollups.hourAt, minutes: probeRollups.minutes })
      .from(probeRollups)
      .where(
        and(
          eq(probeRollups.deviceId, query.deviceId),
          gte(probeRollups.hourAt, hourOf(query.from)),
          lt(probeRollups.hourAt, query.to),
        ),
      )
      .all();
    return mergeMinutePoints(rows.flatMap((row) => minutePoints(row.hourAt, row.minutes, query.from, query.to)));
  }

  async pruneObservations(query: { rawBefore: number; rollupsBefore: number }): Promise<void> {
    this.db.delete(probeResults).where(lt(probeResults.at, query.rawBefore)).run();
    // Whole hours only: the hour that straddles the cut-off stays until it is entirely older.
    this.db
      .delete(probeRollups)
      .where(lt(probeRollups.hourAt, hourOf(query.rollupsBefore) - HOUR_MS + 1))
      .run();
    // The sweep log (one row every few seconds) is an operational metric: it goes with the rollups.
    this.db.delete(sweeps).where(lt(sweeps.startedAt, query.rollupsBefore)).run();
  }

  async countUsers(): Promise<number> {
    return this.db.select({ n: count() }).from(users).get()?.n ?? 0;
  }

  async createUser(fields: UserFields & { passwordHash: string; mustChangePassword: boolean }): Promise<User> {
    const now = this.now();
    const id = translateConstraints(() =>
      this.db.transaction((tx) => {
        const row = tx
          .insert(users)
          .values({
            username: fields.username,
            displayName: fields.displayName,
            passwordHash: fields.passwordHash,
            isAdmin: fields.isAdmin,
            active: fields.active,
            mustChangePassword: fields.mustChangePassword,
            createdAt: now,
            updatedAt: now,
          })
          .returning({ id: users.id })
          .get();
        this.writeGrants(tx, row.id, fields.permissions, fields.allowedAreaIds);
        return row.id;
      }),
    );
    return (await this.getUser(id))!;
  }

  async getUser(id: number): Promise<User | undefined> {
    return this.loadUsers(eq(users.id, id))[0];
  }

  async getUserCredentials(
    username: string,
  ): Promise<(User & { passwordHash: string; failedAttempts: number }) | undefined> {
    const row = this.db
      .select({ id: users.id, passwordHash: users.passwordHash, failedAttempts: users.failedAttempts })
      .from(users)
      .where(eq(users.username, username))
      .get();
    const user = row && (await this.getUser(row.id));
    return user && row ? { ...user, passwordHash: row.passwordHash, failedAttempts: row.failedAttempts } : undefined;
  }

  async listUsers(): Promise<User[]> {
    return this.loadUsers();
  }

  async updateUser(id: number, fields: UserFields): Promise<User> {
    const changed = translateConstraints(() =>
      this.db.transaction((tx) => {
        const result = tx
          .update(users)
          .set({
            username: fields.username,
            displayName: fields.displayName,
            isAdmin: fields.isAdmin,
            active: fields.active,
            updatedAt: this.now(),
          })
          .where(eq(users.id, id))
          .run();
        if (result.changes > 0) this.writeGrants(tx, id, fields.permissions, fields.allowedAreaIds);
        return result.changes;
      }),
    );
    if (changed === 0) throw notFound(`user ${id}`);
    return (await this.getUser(id))!;
  }

  async setPasswordHash(id: number, passwordHash: string, mustChangePassword: boolean): Promise<void> {
    const result = this.db
      .update(users)
      .set({ passwordHash, mustChangePassword, updatedAt: this.now() })
      .where(eq(users.id, id))
      .run();
    if (result.changes === 0) throw notFound(`user ${id}`);
  }

  async recordLoginFailure(id: number, lockedUntil: number | null): Promise<number> {
    // Locking starts a fresh count, so the next lock needs as many failures again.
    const row = this.db
      .update(users)
      .set(
        lockedUntil === null
          ? { failedAttempts: sql`${users.failedAttempts} + 1` }
          : { failedAttempts: 0, lockedUntil },
      )
      .where(eq(users.id, id))
      .returning({ failedAttempts: users.failedAttempts })
      .get();
    return row?.failedAttempts ?? 0;
  }

  async recordLoginSuccess(id: number): Promise<void> {
    this.db.update(users).set({ failedAttempts: 0, lockedUntil: null }).where(eq(users.id, id)).run();
  }

  async appendAudit(entry: Omit<AuditEntry, 'id'>): Promise<void> {
    this.db.insert(auditLog).values(entry).run();
  }

  async listAudit(filter: AuditFilter): Promise<AuditEntry[]> {
    return this.db
      .select()
      .from(auditLog)
      .where(
        and(
          filter.from === undefined ? undefined : gte(auditLog.at, filter.from),
          filter.to === undefined ? undefined : lt(auditLog.at, filter.to),
          filter.userId === undefined ? undefined : eq(auditLog.userId, filter.userId),
          filter.entity === undefined ? undefined : eq(auditLog.entity, filter.entity),
          filter.action === undefined ? undefined : eq(auditLog.action, filter.action),
        ),
      )
      .orderBy(desc(auditLog.at), desc(auditLog.id))
      .limit(filter.limit)
      .all();
  }

  /** Replaces a user's permission rows and allowed areas; no area rows means every area. */
  private writeGrants(
    tx: Pick<SqliteStore['db'], 'delete' | 'insert'>,
    userId: number,
    permissions: PermissionGrid,
    allowedAreaIds: readonly number[] | null,
  ): void {
    tx.delete(userPermissions).where(eq(userPermissions.userId, userId)).run();
    tx.insert(userPermissions)
      .values(
        SCREENS.map((screen) => ({
          userId,
          screen,
          canView: permissions[screen].view,
          canEdit: permissions[screen].edit,
        })),
      )
      .run();
    tx.delete(userAreas).where(eq(userAreas.userId, userId)).run();
    if (allowedAreaIds && allowedAreaIds.length > 0) {
      tx.insert(userAreas)
        .values(allowedAreaIds.map((areaId) => ({ userId, areaId })))
        .run();
    }
  }

  private loadUsers(where?: SQL): User[] {
    const rows = this.db.select().from(users).where(where).orderBy(asc(users.username)).all();
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const grants = this.db.select().from(userPermissions).where(inArray(userPermissions.userId, ids)).all();
    const areaRows = this.db.select().from(userAreas).where(inArray(userAreas.userId, ids)).all();
    return rows.map((row) => {
      const permissions = Object.fromEntries(SCREENS.map((s) => [s, { view: false, edit: false }])) as Record<
        Screen,
        { view: boolean; edit: boolean }
      >;
      for (const g of grants) {
        if (g.userId === row.id && g.screen in permissions)
          permissions[g.screen as Screen] = { view: g.canView, edit: g.canEdit };
      }
      const allowed = areaRows.filter((a) => a.userId === row.id).map((a) => a.areaId);
      return {
        id: row.id,
        username: row.username,
        displayName: row.displayName,
        isAdmin: row.isAdmin,
        active: row.active,
        mustChangePassword: row.mustChangePassword,
        permissions,
        allowedAreaIds: allowed.length > 0 ? allowed.sort((a, b) => a - b) : null,
        lockedUntil: row.lockedUntil,
        createdAt: row.createdAt,
        updatedAt: row.updatedAt,
      };
    });
  }

  /** Bytes per table and index, from SQLite's dbstat; for benchmarks and capacity planning. */
  tableSizes(): Array<[string, number]> {
    return this.db.$client
      .prepare('SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC')
      .all()
      .map((row) => {
        const { name, bytes } = row as { name: string; bytes: number };
        return [name, bytes];
      });
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
    if (message.includes('UNIQUE constraint failed: maintenance_cases.device_id')) {
      throw conflict('the device already has an open maintenance case', FORM_FIELD, 'case_already_open');
    }
    if (message.includes('UNIQUE constraint failed: users.username')) {
      throw conflict('a user with this username already exists', 'username', 'duplicate_username');
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

/** The filters every workflow and history list shares, on the list's device and instant columns. */
function workflowConditions(
  filter: WorkflowFilter,
  deviceId: AnySQLiteColumn,
  at: AnySQLiteColumn,
): Array<SQL | undefined> {
  return [
    filter.areaId === undefined ? undefined : eq(devices.areaId, filter.areaId),
    filter.areaIds === undefined ? undefined : inArray(devices.areaId, [...filter.areaIds]),
    filter.deviceId === undefined ? undefined : eq(deviceId, filter.deviceId),
    filter.from === undefined ? undefined : gte(at, filter.from),
    filter.to === undefined ? undefined : lt(at, filter.to),
  ];
}

/** The status-change source of something a person did. */
function actorOf(userId: number | null): string {
  return userId === null ? 'workflow' : `user:${userId}`;
}

type Transaction = Parameters<Parameters<BetterSQLite3Database['transaction']>[0]>[0];

/** A sweep's probes per device and hour, the unit the rollups are stored in. */
function groupByDeviceHour(probes: SweepRecord['probes']): Map<string, Array<SweepRecord['probes'][number]>> {
  const groups = new Map<string, Array<SweepRecord['probes'][number]>>();
  for (const probe of probes) {
    const key = `${probe.deviceId}:${hourOf(probe.at)}`;
    const group = groups.get(key);
    if (group) group.push(probe);
    else groups.set(key, [probe]);
  }
  return groups;
}
