/* eslint-disable @typescript-eslint/require-await -- see catalog.ts: async for the port, synchronous underneath. */
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { DeviceStatus } from '../../../../src-shared/domain/status';
import { WORKFLOW_SOURCE } from '../../../../src-shared/domain/uptime';
import type { MaintenanceCase, ShutdownRequest } from '../../../../src-shared/domain/workflow';
import type { MaintenanceCategory, ShutdownStatus } from '../../../../src-shared/domain/workflow';
import { notFound } from '../../errors';
import type { WorkflowFilter, WorkflowStateChange, WorkflowStore } from '../port';
import type { SqliteDb, SqliteTx } from './connection';
import { translateConstraints } from './connection';
import { areas, devices, maintenanceCases, shutdownRequests, stateSegments, statusChanges, users } from './schema';
import { workflowConditions } from './timelines';

const STATUS_OF_WORKFLOW: Record<'maintenance' | 'shutdown', DeviceStatus> = {
  maintenance: 'MAINTENANCE',
  shutdown: 'SHUTDOWN',
};

/** The status-change source of something a person did. */
function actorOf(userId: number | null): string {
  return userId === null ? 'workflow' : `user:${userId}`;
}

/** Device status, status-change log and workflow segment, inside the caller's transaction. */
function applyWorkflowState(tx: SqliteTx, change: WorkflowStateChange): void {
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
    .values({ deviceId: change.deviceId, fromStatus: device.status, toStatus: to, at: change.at, source: change.actor })
    .run();
}

export function sqliteWorkflows(db: SqliteDb): WorkflowStore {
  const listMaintenanceCases = (
    filter: WorkflowFilter & { category?: MaintenanceCategory; open?: boolean; caseId?: number },
  ): MaintenanceCase[] => {
    const opener = alias(users, 'opener');
    const closer = alias(users, 'closer');
    return db
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
  };

  const listShutdownRequests = (
    filter: WorkflowFilter & { status?: ShutdownStatus; requestId?: number },
  ): ShutdownRequest[] => {
    const requester = alias(users, 'requester');
    const decider = alias(users, 'decider');
    const reenabler = alias(users, 'reenabler');
    return db
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
  };

  const getMaintenanceCase = (id: number) => listMaintenanceCases({ limit: 1, caseId: id })[0];
  const getShutdownRequest = (id: number) => listShutdownRequests({ limit: 1, requestId: id })[0];

  return {
    async setWorkflowState(change) {
      db.transaction((tx) => applyWorkflowState(tx, change));
    },

    async openMaintenanceCase(input) {
      const id = translateConstraints(() =>
        db.transaction((tx) => {
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
          applyWorkflowState(tx, {
            deviceId: input.deviceId,
            state: 'maintenance',
            at: input.at,
            actor: actorOf(input.userId),
          });
          return row.id;
        }),
      );
      return getMaintenanceCase(id)!;
    },

    async closeMaintenanceCase(input) {
      db.transaction((tx) => {
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
        applyWorkflowState(tx, { deviceId: open.deviceId, state: null, at: input.at, actor: actorOf(input.userId) });
      });
      return getMaintenanceCase(input.caseId)!;
    },

    async getMaintenanceCase(id) {
      return getMaintenanceCase(id);
    },

    async listMaintenanceCases(filter) {
      return listMaintenanceCases(filter);
    },

    async createShutdownRequest(input) {
      const row = db
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
      return getShutdownRequest(row.id)!;
    },

    async decideShutdownRequest(input) {
      db.transaction((tx) => {
        const request = tx.select().from(shutdownRequests).where(eq(shutdownRequests.id, input.id)).get();
        if (!request) throw notFound(`shutdown request ${input.id}`);
        const actor = actorOf(input.userId);
        if (input.decision === 'reenable') {
          tx.update(shutdownRequests)
            .set({ status: 'reenabled', reenabledBy: input.userId, reenabledAt: input.at })
            .where(eq(shutdownRequests.id, input.id))
            .run();
          applyWorkflowState(tx, { deviceId: request.deviceId, state: null, at: input.at, actor });
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
          applyWorkflowState(tx, { deviceId: request.deviceId, state: 'shutdown', at: input.at, actor });
        }
      });
      return getShutdownRequest(input.id)!;
    },

    async getShutdownRequest(id) {
      return getShutdownRequest(id);
    },

    async listShutdownRequests(filter) {
      return listShutdownRequests(filter);
    },
  };
}
