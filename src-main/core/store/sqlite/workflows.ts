/* eslint-disable @typescript-eslint/require-await -- see catalog.ts: async for the port, synchronous underneath. */
import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { WORKFLOW_SOURCE } from '../../../../src-shared/domain/uptime';
import { FORM_FIELD } from '../../../../src-shared/domain/validation';
import type { MaintenanceCase, ShutdownRequest } from '../../../../src-shared/domain/workflow';
import type { MaintenanceCategory, ShutdownStatus } from '../../../../src-shared/domain/workflow';
import { conflict, notFound } from '../../errors';
import type { DeviceTransition, WorkflowFilter, WorkflowStore } from '../port';
import { writeAudit } from './audit';
import type { SqliteDb, SqliteTx } from './connection';
import { translateConstraints } from './connection';
import { areas, devices, maintenanceCases, shutdownRequests, stateSegments, statusChanges, users } from './schema';
import { workflowConditions } from './timelines';

/**
 * Device status, status-change log and workflow segment, inside the caller's
 * transaction, and only if the device is still where core saw it: otherwise
 * the transaction is refused and nothing of it is written.
 */
function applyTransition(tx: SqliteTx, t: DeviceTransition): void {
  const device = tx.select({ status: devices.status }).from(devices).where(eq(devices.id, t.deviceId)).get();
  if (!device) throw notFound(`device ${t.deviceId}`);
  const moved = tx
    .update(devices)
    .set({ status: t.to, statusSince: t.at })
    .where(and(eq(devices.id, t.deviceId), inArray(devices.status, [...t.from])))
    .run();
  if (moved.changes === 0) {
    throw conflict(`device ${t.deviceId} is ${device.status}, not ${t.from.join('/')}`, FORM_FIELD, t.refusal);
  }
  tx.update(stateSegments)
    .set({ endAt: t.at })
    .where(
      and(
        eq(stateSegments.deviceId, t.deviceId),
        eq(stateSegments.source, WORKFLOW_SOURCE),
        isNull(stateSegments.endAt),
      ),
    )
    .run();
  if (t.segment) {
    tx.insert(stateSegments)
      .values({ deviceId: t.deviceId, state: t.segment, source: WORKFLOW_SOURCE, startAt: t.at, endAt: null })
      .run();
  }
  tx.insert(statusChanges)
    .values({
      deviceId: t.deviceId,
      fromStatus: device.status,
      toStatus: t.to,
      at: t.at,
      source: WORKFLOW_SOURCE,
      userId: t.userId,
    })
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
        openedBy: opener.displayName,
        openedAt: maintenanceCases.openedAt,
        solution: maintenanceCases.solution,
        closedBy: closer.displayName,
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
        requestedBy: requester.displayName,
        requestedAt: shutdownRequests.requestedAt,
        decidedBy: decider.displayName,
        decidedAt: shutdownRequests.decidedAt,
        decisionReason: shutdownRequests.decisionReason,
        reenabledBy: reenabler.displayName,
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
    async transitionDevice(transition) {
      db.transaction((tx) => applyTransition(tx, transition));
    },

    async openMaintenanceCase(input) {
      return translateConstraints(() =>
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
          applyTransition(tx, input.device);
          const after = getMaintenanceCase(row.id)!;
          writeAudit(tx, input.audit({ before: null, after }));
          return after;
        }),
      );
    },

    async closeMaintenanceCase(input) {
      return db.transaction((tx) => {
        const before = getMaintenanceCase(input.caseId);
        if (!before) throw notFound(`maintenance case ${input.caseId}`);
        const closed = tx
          .update(maintenanceCases)
          .set({ solution: input.solution, closedBy: input.userId, closedAt: input.at })
          .where(and(eq(maintenanceCases.id, input.caseId), isNull(maintenanceCases.closedAt)))
          .run();
        if (closed.changes === 0) throw conflict('this case is already closed', FORM_FIELD, 'no_open_case');
        applyTransition(tx, input.device);
        const after = getMaintenanceCase(input.caseId)!;
        writeAudit(tx, input.audit({ before, after }));
        return after;
      });
    },

    async getMaintenanceCase(id) {
      return getMaintenanceCase(id);
    },

    async listMaintenanceCases(filter) {
      return listMaintenanceCases(filter);
    },

    async createShutdownRequest(input) {
      return translateConstraints(() =>
        db.transaction((tx) => {
          const device = tx
            .select({ status: devices.status })
            .from(devices)
            .where(eq(devices.id, input.deviceId))
            .get();
          if (!device) throw notFound(`device ${input.deviceId}`);
          if (!input.deviceFrom.includes(device.status)) {
            throw conflict(`device ${input.deviceId} is ${device.status}`, FORM_FIELD, 'state_changed');
          }
          const openCase = tx
            .select({ id: maintenanceCases.id })
            .from(maintenanceCases)
            .where(and(eq(maintenanceCases.deviceId, input.deviceId), isNull(maintenanceCases.closedAt)))
            .get();
          if (openCase) throw conflict('the device has an open case', FORM_FIELD, 'device_in_maintenance');
          // A second pending request for the device breaks shutdown_requests_one_pending: a conflict.
          const row = tx
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
          const after = getShutdownRequest(row.id)!;
          writeAudit(tx, input.audit({ before: null, after }));
          return after;
        }),
      );
    },

    async decideShutdownRequest(input) {
      return db.transaction((tx) => {
        const before = getShutdownRequest(input.id);
        if (!before) throw notFound(`shutdown request ${input.id}`);
        const who =
          input.to === 'reenabled'
            ? { reenabledBy: input.userId, reenabledAt: input.at }
            : { decidedBy: input.userId, decidedAt: input.at, decisionReason: input.reason };
        const moved = tx
          .update(shutdownRequests)
          .set({ status: input.to, ...who })
          .where(and(eq(shutdownRequests.id, input.id), eq(shutdownRequests.status, input.from)))
          .run();
        if (moved.changes === 0) {
          throw conflict(
            `shutdown request ${input.id} is ${before.status}, not ${input.from}`,
            FORM_FIELD,
            input.refusal,
          );
        }
        if (input.device) applyTransition(tx, input.device);
        const after = getShutdownRequest(input.id)!;
        writeAudit(tx, input.audit({ before, after }));
        return after;
      });
    },

    async getShutdownRequest(id) {
      return getShutdownRequest(id);
    },

    async listShutdownRequests(filter) {
      return listShutdownRequests(filter);
    },
  };
}
