import { refuseWorkflowAction } from '../../src-shared/domain/workflow';
import type {
  MaintenanceCase,
  MaintenanceCategory,
  ShutdownRequest,
  WorkflowAction,
} from '../../src-shared/domain/workflow';
import { FORM_FIELD } from '../../src-shared/domain/validation';
import type { Session } from './contract/session';
import { DomainError, notFound } from './errors';
import type { Clock } from './runtime';
import type { Store } from './store/port';

/**
 * The maintenance and shutdown workflows (DESIGN.md §5). The rules are the
 * pure ones of src-shared; this applies them to the device as the store has
 * it now and refuses an impossible step with the reason as a message key.
 */
export class WorkflowService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
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
    return this.store.openMaintenanceCase({ ...input, userId: session.userId, at: this.clock.now() });
  }

  async closeMaintenance(session: Session, input: { caseId: number; solution: string }): Promise<MaintenanceCase> {
    const found = await this.store.getMaintenanceCase(input.caseId);
    if (!found) throw notFound(`maintenance case ${input.caseId}`);
    const { openCase } = await this.check('maintenance.close', session, found.deviceId);
    if (openCase?.id !== input.caseId) {
      throw new DomainError('conflict', 'this case is already closed', { [FORM_FIELD]: { key: 'no_open_case' } });
    }
    return this.store.closeMaintenanceCase({ ...input, userId: session.userId, at: this.clock.now() });
  }

  async requestShutdown(
    session: Session,
    input: { deviceId: number; justification: string },
  ): Promise<ShutdownRequest> {
    await this.check('shutdown.request', session, input.deviceId);
    return this.store.createShutdownRequest({ ...input, userId: session.userId, at: this.clock.now() });
  }

  async decideShutdown(
    session: Session,
    input: { id: number; decision: 'approve' | 'reject' | 'reenable'; reason?: string | undefined },
  ): Promise<ShutdownRequest> {
    const request = await this.store.getShutdownRequest(input.id);
    if (!request) throw notFound(`shutdown request ${input.id}`);
    const action: WorkflowAction = `shutdown.${input.decision}`;
    await this.check(action, session, request.deviceId, request);
    return this.store.decideShutdownRequest({
      id: input.id,
      decision: input.decision,
      reason: input.reason ?? null,
      userId: session.userId,
      at: this.clock.now(),
    });
  }
}
