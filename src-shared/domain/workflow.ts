import { isProbed } from './status';
import type { DeviceStatus } from './status';

export const MAINTENANCE_CATEGORIES = [
  'Network',
  'Hardware',
  'Software',
  'Power',
  'Configuration',
  'Infrastructure',
  'Other',
] as const;
export type MaintenanceCategory = (typeof MAINTENANCE_CATEGORIES)[number];

export type ShutdownStatus = 'pending' | 'approved' | 'rejected' | 'reenabled';

export type WorkflowState = 'maintenance' | 'shutdown';

/** The device status each workflow state puts a device in. */
export const WORKFLOW_STATUS = {
  maintenance: 'MAINTENANCE',
  shutdown: 'SHUTDOWN',
} as const satisfies Record<WorkflowState, DeviceStatus>;

/** Leaving a workflow returns the device to the sweeps as OFFLINE: its next answer makes it ONLINE. */
export const STATUS_AFTER_WORKFLOW = 'OFFLINE' satisfies DeviceStatus;

export type WorkflowAction =
  | 'maintenance.open'
  | 'maintenance.close'
  | 'shutdown.request'
  | 'shutdown.approve'
  | 'shutdown.reject'
  | 'shutdown.reenable';

/** What the rules need to know about a device at the moment of an action. */
export interface WorkflowFacts {
  readonly status: DeviceStatus;
  readonly hasOpenCase: boolean;
  readonly hasPendingRequest: boolean;
  /** The request the action is about (approve, reject, re-enable); undefined for the others. */
  readonly requestStatus?: ShutdownStatus;
  readonly actorIsAdmin: boolean;
}

/** Why an action is refused; each is a message key the operator reads in their language. */
export type WorkflowRefusal =
  | 'device_in_maintenance'
  | 'device_shut_down'
  | 'case_already_open'
  | 'no_open_case'
  | 'request_pending'
  | 'request_not_pending'
  | 'request_not_approved'
  | 'admin_only'
  /** Someone else moved the device or the request first, between the check and the change. */
  | 'state_changed';

/**
 * DESIGN.md §5 as one function: maintenance takes a probed device (PENDING,
 * ONLINE or OFFLINE) out of the sweeps until its final report; a shutdown is requested
 * by anyone with the right, decided by an administrator, and undone by
 * re-enabling. Returns null when the action is allowed.
 */
export function refuseWorkflowAction(action: WorkflowAction, facts: WorkflowFacts): WorkflowRefusal | null {
  const inProbeState = isProbed(facts.status);
  switch (action) {
    case 'maintenance.open':
      if (facts.hasOpenCase) return 'case_already_open';
      if (facts.status === 'SHUTDOWN') return 'device_shut_down';
      if (!inProbeState) return 'device_in_maintenance';
      return null;
    case 'maintenance.close':
      return facts.hasOpenCase ? null : 'no_open_case';
    case 'shutdown.request':
      if (facts.status === 'SHUTDOWN') return 'device_shut_down';
      if (facts.status === 'MAINTENANCE' || facts.hasOpenCase) return 'device_in_maintenance';
      if (facts.hasPendingRequest) return 'request_pending';
      return null;
    case 'shutdown.approve':
      if (!facts.actorIsAdmin) return 'admin_only';
      if (facts.requestStatus !== 'pending') return 'request_not_pending';
      if (facts.status === 'MAINTENANCE') return 'device_in_maintenance';
      return null;
    case 'shutdown.reject':
      if (!facts.actorIsAdmin) return 'admin_only';
      return facts.requestStatus === 'pending' ? null : 'request_not_pending';
    case 'shutdown.reenable':
      if (!facts.actorIsAdmin) return 'admin_only';
      return facts.requestStatus === 'approved' && facts.status === 'SHUTDOWN' ? null : 'request_not_approved';
  }
}

export interface MaintenanceCase {
  readonly id: number;
  readonly deviceId: number;
  readonly deviceName: string;
  readonly areaId: number;
  readonly areaCode: string;
  readonly category: MaintenanceCategory;
  readonly description: string;
  /** Display names; null for what the system did without a person (tools, tests). */
  readonly openedBy: string | null;
  readonly openedAt: number;
  readonly solution: string | null;
  readonly closedBy: string | null;
  readonly closedAt: number | null;
}

export interface ShutdownRequest {
  readonly id: number;
  readonly deviceId: number;
  readonly deviceName: string;
  readonly areaId: number;
  readonly areaCode: string;
  readonly justification: string;
  readonly status: ShutdownStatus;
  readonly requestedBy: string | null;
  readonly requestedAt: number;
  readonly decidedBy: string | null;
  readonly decidedAt: number | null;
  readonly decisionReason: string | null;
  readonly reenabledBy: string | null;
  readonly reenabledAt: number | null;
}
