import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/mssql-core';
import { WORKFLOW_SOURCE } from '../../../../src-shared/domain/uptime';
import { FORM_FIELD } from '../../../../src-shared/domain/validation';
import type { MaintenanceCase, ShutdownRequest } from '../../../../src-shared/domain/workflow';
import type { MaintenanceCategory, ShutdownStatus } from '../../../../src-shared/domain/workflow';
import { conflict, notFound } from '../../errors';
import type { DeviceTransition, WorkflowFilter, WorkflowStore } from '../port';
import { writeAudit } from './audit';
import type { MsDb } from './connection';
import { affected, inTransaction, onDuplicate } from './connection';
import type { MssqlHandle } from './handle';
import { areas, devices, maintenanceCases, shutdownRequests, stateSegments, statusChanges, users } from './schema';
import { workflowConditions } from './timelines';

/**
 * Device status, status-change log and workflow segment, inside the caller's
 * transaction, and only if the device is still where core saw it: otherwise
 * the transaction is refused and nothing of it is written.
 */
async function applyTransition(db: MsDb, t: DeviceTransition): Promise<void> {
  // The conditional update locks the row: a second transition waits, then finds it moved.
  const moved = await db
    .update(devices)
    .set({ status: t.to, statusSince: t.at })
    .output({ deleted: { status: devices.status } })
    .where(and(eq(devices.id, t.deviceId), inArray(devices.status, [...t.from])));
  if (moved.length === 0) {
    const [device] = await db.select({ status: devices.status }).from(devices).where(eq(devices.id, t.deviceId));
    if (!device) throw notFound(`device ${t.deviceId}`);
    throw conflict(`device ${t.deviceId} is ${device.status}, not ${t.from.join('/')}`, FORM_FIELD, t.refusal);
  }
  const from = moved[0]!.deleted.status;
  await db
    .update(stateSegments)
    .set({ endAt: t.at })
    .where(
      and(
        eq(stateSegments.deviceId, t.deviceId),
        eq(stateSegments.source, WORKFLOW_SOURCE),
        isNull(stateSegments.endAt),
      ),
    );
  if (t.segment) {
    await db
      .insert(stateSegments)
      .values({ deviceId: t.deviceId, state: t.segment, source: WORKFLOW_SOURCE, startAt: t.at, endAt: null });
  }
  await db.insert(statusChanges).values({
    deviceId: t.deviceId,
    fromStatus: from,
    toStatus: t.to,
    at: t.at,
    source: WORKFLOW_SOURCE,
    userId: t.userId,
  });
}

export function msWorkflows({ pool, db: base }: MssqlHandle): WorkflowStore {
  const listMaintenanceCases = (
    db: MsDb,
    filter: WorkflowFilter & { category?: MaintenanceCategory; open?: boolean; caseId?: number },
  ): Promise<MaintenanceCase[]> => {
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
      .top(filter.limit)
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
      .orderBy(desc(maintenanceCases.openedAt), desc(maintenanceCases.id));
  };

  const listShutdownRequests = (
    db: MsDb,
    filter: WorkflowFilter & { status?: ShutdownStatus; requestId?: number },
  ): Promise<ShutdownRequest[]> => {
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
      .top(filter.limit)
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
      .orderBy(desc(shutdownRequests.requestedAt), desc(shutdownRequests.id));
  };

  const getMaintenanceCase = async (db: MsDb, id: number) =>
    (await listMaintenanceCases(db, { limit: 1, caseId: id }))[0];
  const getShutdownRequest = async (db: MsDb, id: number) =>
    (await listShutdownRequests(db, { limit: 1, requestId: id }))[0];
  const caseOpen = () => conflict('the device already has an open maintenance case', FORM_FIELD, 'case_already_open');
  const requestPending = () =>
    conflict('the device already has a pending shutdown request', FORM_FIELD, 'request_pending');

  return {
    async transitionDevice(transition) {
      await inTransaction(pool, ({ db }) => applyTransition(db, transition));
    },

    openMaintenanceCase(input) {
      return onDuplicate(
        () =>
          inTransaction(pool, async ({ db }) => {
            const [row] = await db.insert(maintenanceCases).output({ id: maintenanceCases.id }).values({
              deviceId: input.deviceId,
              category: input.category,
              description: input.description,
              openedBy: input.userId,
              openedAt: input.at,
            });
            await applyTransition(db, input.device);
            const after = (await getMaintenanceCase(db, row!.id))!;
            await writeAudit(db, input.audit({ before: null, after }));
            return after;
          }),
        caseOpen,
      );
    },

    closeMaintenanceCase(input) {
      return inTransaction(pool, async ({ db }) => {
        const before = await getMaintenanceCase(db, input.caseId);
        if (!before) throw notFound(`maintenance case ${input.caseId}`);
        const closed = await db
          .update(maintenanceCases)
          .set({ solution: input.solution, closedBy: input.userId, closedAt: input.at })
          .where(and(eq(maintenanceCases.id, input.caseId), isNull(maintenanceCases.closedAt)));
        if (affected(closed) === 0) throw conflict('this case is already closed', FORM_FIELD, 'no_open_case');
        await applyTransition(db, input.device);
        const after = (await getMaintenanceCase(db, input.caseId))!;
        await writeAudit(db, input.audit({ before, after }));
        return after;
      });
    },

    getMaintenanceCase: (id) => getMaintenanceCase(base, id),
    listMaintenanceCases: (filter) => listMaintenanceCases(base, filter),

    createShutdownRequest(input) {
      return onDuplicate(
        () =>
          inTransaction(pool, async ({ db }) => {
            // Read under an update lock to the end: the device cannot move between this check and the insert.
            const { recordset } = await db.execute<{ status: string }>(
              sql`SELECT ${devices.status} AS status FROM ${devices} WITH (UPDLOCK, HOLDLOCK) WHERE ${devices.id} = ${input.deviceId}`,
            );
            const device = recordset[0];
            if (!device) throw notFound(`device ${input.deviceId}`);
            if (!(input.deviceFrom as readonly string[]).includes(device.status)) {
              throw conflict(`device ${input.deviceId} is ${device.status}`, FORM_FIELD, 'state_changed');
            }
            const [openCase] = await db
              .select({ id: maintenanceCases.id })
              .from(maintenanceCases)
              .where(and(eq(maintenanceCases.deviceId, input.deviceId), isNull(maintenanceCases.closedAt)));
            if (openCase) throw conflict('the device has an open case', FORM_FIELD, 'device_in_maintenance');
            // A second pending request for the device breaks shutdown_requests_one_pending: a conflict.
            const [row] = await db.insert(shutdownRequests).output({ id: shutdownRequests.id }).values({
              deviceId: input.deviceId,
              justification: input.justification,
              status: 'pending',
              requestedBy: input.userId,
              requestedAt: input.at,
            });
            const after = (await getShutdownRequest(db, row!.id))!;
            await writeAudit(db, input.audit({ before: null, after }));
            return after;
          }),
        requestPending,
      );
    },

    decideShutdownRequest(input) {
      return inTransaction(pool, async ({ db }) => {
        const before = await getShutdownRequest(db, input.id);
        if (!before) throw notFound(`shutdown request ${input.id}`);
        const who =
          input.to === 'reenabled'
            ? { reenabledBy: input.userId, reenabledAt: input.at }
            : { decidedBy: input.userId, decidedAt: input.at, decisionReason: input.reason };
        const moved = await db
          .update(shutdownRequests)
          .set({ status: input.to, ...who })
          .where(and(eq(shutdownRequests.id, input.id), eq(shutdownRequests.status, input.from)));
        if (affected(moved) === 0) {
          throw conflict(`shutdown request ${input.id} is no longer ${input.from}`, FORM_FIELD, input.refusal);
        }
        if (input.device) await applyTransition(db, input.device);
        const after = (await getShutdownRequest(db, input.id))!;
        await writeAudit(db, input.audit({ before, after }));
        return after;
      });
    },

    getShutdownRequest: (id) => getShutdownRequest(base, id),
    listShutdownRequests: (filter) => listShutdownRequests(base, filter),
  };
}
