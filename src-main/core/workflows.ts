import { PROBED_STATUSES } from '../../src-shared/domain/status';
import { refuseWorkflowAction, STATUS_AFTER_WORKFLOW, WORKFLOW_STATUS } from '../../src-shared/domain/workflow';
import type {
  MaintenanceCase,
  MaintenanceCategory,
  ShutdownRequest,
  ShutdownStatus,
  WorkflowAction,
  WorkflowState,
} from '../../src-shared/domain/workflow';
import { FORM_FIELD } from '../../src-shared/domain/validation';
import { subjectOf } from './audit';
import type { Auditor } from './audit';
import type { Session } from './contract/session';
import { DomainError, notFound } from './errors';
import type { Clock } from './runtime';
import type { DeviceTransition, Store } from './store/port';

/** Entering a workflow state: from any probed status. */
function enter(state: WorkflowState, deviceId: number, at: number, userId: number | null): DeviceTransition {
  return {
    deviceId,
    from: PROBED_STATUSES,
    to: WORKFLOW_STATUS[state],
    segment: state,
    at,
    userId,
    refusal: 'state_changed',
  };
}

/** Leaving a workflow state: back to the sweeps, as OFFLINE until the next answer. */
function leave(state: WorkflowState, deviceId: number, at: number, userId: number | null): DeviceTransition {
  return {
    deviceId,
    from: [WORKFLOW_STATUS[state]],
    to: STATUS_AFTER_WORKFLOW,
    segment: null,
    at,
    userId,
    refusal: 'state_changed',
  };
}

/** What each decision on a shutdown request moves, from where. */
const DECISIONS: Record<
  'approve' | 'reject' | 'reenable',
  { from: ShutdownStatus; to: ShutdownStatus; device: 'enter' | 'leave' | null }
> = {
  approve: { from: 'pending', to: 'approved', device: 'enter' },
  reject: { from: 'pending', to: 'rejected', device: null },
  reenable: { from: 'approved', to: 'reenabled', device: 'leave' },
};

/**
 * The maintenance and shutdown workflows (DESIGN.md §5). The rules are the
 * pure ones of src-shared, checked here against the device as the store has
 * it now, with the refusal's reason as a message key. Every step is then a
 * conditional write: the store applies it only if nothing moved since the
 * check, and writes its audit entry in the same transaction.
 */
export class WorkflowService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly auditor: Auditor,
  ) {}

  private async check(action: WorkflowAction, session: Session, deviceId: number, request?: ShutdownRequest) {
    const device = await this.store.getDevice(deviceId);
    if (!device) throw notFound(`device ${deviceId}`);
    const [openCase] = await this.store.listMaintenanceCases({ deviceId, open: true, limit: 1 });
    const [pending] = await this.store.listShutdownRequests({ deviceId, status: 'pending', limit: 1 });
    const refusal = refuseWorkflowAction(action, {
      status: device.status,
      hasOpenCase: openCase !== undefined,
      hasPendingRequest: pending !== undefined,
      actorIsAdmin: session.isAdmin,
      ...(request ? { requestStatus: request.status } : {}),
    });
    if (refusal) {
      const kind = refusal === 'admin_only' ? 'forbidden' : 'conflict';
      throw new DomainError(kind, `${action} refused: ${refusal}`, { [FORM_FIELD]: { key: refusal } });
    }
    return { device, openCase };
  }

  async openMaintenance(
    session: Session,
    input: { deviceId: number; category: MaintenanceCategory; description: string },
  ): Promise<MaintenanceCase> {
    await this.check('maintenance.open', session, input.deviceId);
    const at = this.clock.now();
    return this.store.openMaintenanceCase({
      ...input,
      userId: session.userId,
      at,
      device: enter('maintenance', input.deviceId, at, session.userId),
      audit: this.auditor.change(session, 'maintenance.open', subjectOf.maintenanceCase),
    });
  }

  async closeMaintenance(session: Session, input: { caseId: number; solution: string }): Promise<MaintenanceCase> {
    const found = await this.store.getMaintenanceCase(input.caseId);
    if (!found) throw notFound(`maintenance case ${input.caseId}`);
    const { openCase } = await this.check('maintenance.close', session, found.deviceId);
    if (openCase?.id !== input.caseId) {
      throw new DomainError('conflict', 'this case is already closed', { [FORM_FIELD]: { key: 'no_open_case' } });
    }
    const at = this.clock.now();
    return this.store.closeMaintenanceCase({
      ...input,
      userId: session.userId,
      at,
      device: leave('maintenance', found.deviceId, at, session.userId),
      audit: this.auditor.change(session, 'maintenance.close', subjectOf.maintenanceCase),
    });
  }

  async requestShutdown(
    session: Session,
    input: { deviceId: number; justification: string },
  ): Promise<ShutdownRequest> {
    await this.check('shutdown.request', session, input.deviceId);
    return this.store.createShutdownRequest({
      ...input,
      userId: session.userId,
      at: this.clock.now(),
      deviceFrom: PROBED_STATUSES,
      audit: this.auditor.change(session, 'shutdown.request', subjectOf.shutdownRequest),
    });
  }

  async decideShutdown(
    session: Session,
    input: { id: number; decision: 'approve' | 'reject' | 'reenable'; reason?: string | undefined },
  ): Promise<ShutdownRequest> {
    const request = await this.store.getShutdownRequest(input.id);
    if (!request) throw notFound(`shutdown request ${input.id}`);
    await this.check(`shutdown.${input.decision}`, session, request.deviceId, request);
    const at = this.clock.now();
    const decision = DECISIONS[input.decision];
    const device =
      decision.device === 'enter'
        ? enter('shutdown', request.deviceId, at, session.userId)
        : decision.device === 'leave'
          ? leave('shutdown', request.deviceId, at, session.userId)
          : null;
    return this.store.decideShutdownRequest({
      id: input.id,
      from: decision.from,
      to: decision.to,
      refusal: decision.from === 'pending' ? 'request_not_pending' : 'request_not_approved',
      reason: input.reason ?? null,
      userId: session.userId,
      at,
      device,
      audit: this.auditor.change(session, `shutdown.${input.decision}`, subjectOf.shutdownRequest),
    });
  }
}
