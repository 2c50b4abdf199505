import type {
  MaintenanceCase,
  MaintenanceCategory,
  ShutdownRequest,
  ShutdownStatus,
} from '../../../../src-shared/domain/workflow';
import type { WorkflowFilter } from './timelines';

export interface WorkflowStateChange {
  readonly deviceId: number;
  /** maintenance or shutdown to enter; null to leave (the device returns to OFFLINE and to the sweeps). */
  readonly state: 'maintenance' | 'shutdown' | null;
  readonly at: number;
  /** Who did it, for the status-change log: 'user:<id>' or 'workflow'. */
  readonly actor: string;
}

/** Maintenance cases and shutdown requests, and the device states they put devices in. */
export interface WorkflowStore {
  /** Enters (state) or leaves (null) a workflow state: device status, status change and workflow segment. */
  setWorkflowState(change: WorkflowStateChange): Promise<void>;
  /** Opens a case and puts the device in MAINTENANCE, in one transaction. */
  openMaintenanceCase(input: {
    deviceId: number;
    category: MaintenanceCategory;
    description: string;
    userId: number | null;
    at: number;
  }): Promise<MaintenanceCase>;
  /** Closes the case and returns the device to OFFLINE and to the sweeps, in one transaction. */
  closeMaintenanceCase(input: {
    caseId: number;
    solution: string;
    userId: number | null;
    at: number;
  }): Promise<MaintenanceCase>;
  getMaintenanceCase(id: number): Promise<MaintenanceCase | undefined>;
  listMaintenanceCases(
    filter: WorkflowFilter & { category?: MaintenanceCategory; open?: boolean },
  ): Promise<MaintenanceCase[]>;
  createShutdownRequest(input: {
    deviceId: number;
    justification: string;
    userId: number | null;
    at: number;
  }): Promise<ShutdownRequest>;
  /** approve: SHUTDOWN; reject: the reason is kept; reenable: back to OFFLINE and to the sweeps. */
  decideShutdownRequest(input: {
    id: number;
    decision: 'approve' | 'reject' | 'reenable';
    reason: string | null;
    userId: number | null;
    at: number;
  }): Promise<ShutdownRequest>;
  getShutdownRequest(id: number): Promise<ShutdownRequest | undefined>;
  listShutdownRequests(filter: WorkflowFilter & { status?: ShutdownStatus }): Promise<ShutdownRequest[]>;
}
