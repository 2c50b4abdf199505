import type { CameraAccess } from '../../src-shared/domain/camera';
import { PROBED_STATUSES } from '../../src-shared/domain/status';
import type { WorkflowState } from '../../src-shared/domain/workflow';
import { WORKFLOW_STATUS } from '../../src-shared/domain/workflow';
import { Auditor, subjectOf } from '../../src-main/core/audit';
import type { AuditActor } from '../../src-main/core/audit';
import type { Clock } from '../../src-main/core/runtime';
import type { AgentKeyState, Store } from '../../src-main/core/store/port';

/** The audit writes a test hands to the store, made by the real auditor. */
export function auditsFor(store: Store, clock: Clock, actor: AuditActor = { userId: null, username: 'tester' }) {
  const auditor = new Auditor(store, clock);
  return {
    auditor,
    area: (action: 'area.create' | 'area.update' | 'area.delete' = 'area.create') =>
      auditor.change(actor, action, subjectOf.area),
    device: (action: 'device.create' | 'device.update' | 'device.delete' = 'device.create') =>
      auditor.change(actor, action, subjectOf.device),
    user: (action: 'user.create' | 'user.update' | 'user.reset_password' = 'user.create') =>
      auditor.change(actor, action, subjectOf.user),
    alarm: () => auditor.change(actor, 'alarm.acknowledge', subjectOf.alarm),
    camera: () =>
      auditor.change(actor, 'camera.update', (a: CameraAccess) => ({
        entityId: a.deviceId,
        label: `camera ${a.deviceId}`,
        areaId: null,
      })),
    deviceImport: () => (created: number) =>
      auditor.entry(actor, {
        action: 'device.import',
        subject: { entityId: null, label: String(created), areaId: null },
        after: { created },
      }),
    shiftNote: () => auditor.change(actor, 'shift.note', subjectOf.shiftNote),
    agentKey: (action: 'agent.key_issue' | 'agent.key_rotate' | 'agent.key_revoke' = 'agent.key_issue') =>
      auditor.change(actor, action, (k: AgentKeyState) => ({
        entityId: k.areaId,
        label: k.areaCode,
        areaId: k.areaId,
      })),
  };
}

/** Puts a device into a workflow state (null: back out of it) the way the workflows do, through the port. */
export function setWorkflowState(
  store: Store,
  deviceId: number,
  state: WorkflowState | null,
  at: number,
  leaving: WorkflowState = 'maintenance',
): Promise<void> {
  return store.transitionDevice({
    deviceId,
    from: state ? PROBED_STATUSES : [WORKFLOW_STATUS[leaving]],
    to: state ? WORKFLOW_STATUS[state] : 'OFFLINE',
    segment: state,
    at,
    userId: null,
    refusal: 'state_changed',
  });
}
