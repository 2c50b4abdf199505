import type { DeviceStatus } from '../../../../src-shared/domain/status';
import type { ValidationKey } from '../../../../src-shared/domain/validation';
import type {
  MaintenanceCase,
  MaintenanceCategory,
  ShutdownRequest,
  ShutdownStatus,
  WorkflowState,
} from '../../../../src-shared/domain/workflow';
import type { AuditWrite } from '../../audit';
import type { WorkflowFilter } from './timelines';

/**
 * A device status change a person makes, decided by core and applied by the
 * store only if the device is still in one of `from` when the transaction
 * runs; otherwise the whole change is refused with `refusal` and nothing is
 * written. Two people acting on one device at once can never both win.
 */
export interface DeviceTransition {
  readonly deviceId: number;
  readonly from: readonly DeviceStatus[];
  readonly to: DeviceStatus;
  /** The workflow segment to open; null closes the device's open one. */
  readonly segment: WorkflowState | null;
  readonly at: number;
  /** Who, for the status-change log; null for the system. */
  readonly userId: number | null;
  readonly refusal: ValidationKey;
}

/** Maintenance cases and shutdown requests, and the device states they put devices in. */
export interface WorkflowStore {
  /** Applies one device transition on its own (tools, tests); the workflows use the calls below. */
  transitionDevice(transition: DeviceTransition): Promise<void>;
  /** Opens a case and applies `device`, with the audit entry, in one transaction. */
  openMaintenanceCase(input: {
    deviceId: number;
    category: MaintenanceCategory;
    description: string;
    userId: number | null;
    at: number;
    device: DeviceTransition;
    audit: AuditWrite<MaintenanceCase>;
  }): Promise<MaintenanceCase>;
  /** Closes the case if it is still open and applies `device`, with the audit entry, in one transaction. */
  closeMaintenanceCase(input: {
    caseId: number;
    solution: string;
    userId: number | null;
    at: number;
    device: DeviceTransition;
    audit: AuditWrite<MaintenanceCase>;
  }): Promise<MaintenanceCase>;
  getMaintenanceCase(id: number): Promise<MaintenanceCase | undefined>;
  listMaintenanceCases(
    filter: WorkflowFilter & { category?: MaintenanceCategory; open?: boolean },
  ): Promise<MaintenanceCase[]>;
  /**
   * Files a request if the device is in one of `deviceFrom` and has no pending
   * request and no open case (else a conflict with `request_pending`,
   * `device_in_maintenance` or `state_changed`), with the audit entry.
   */
  createShutdownRequest(input: {
    deviceId: number;
    justification: string;
    userId: number | null;
    at: number;
    deviceFrom: readonly DeviceStatus[];
    audit: AuditWrite<ShutdownRequest>;
  }): Promise<ShutdownRequest>;
  /**
   * Moves the request from `from` to `to` only if it is still in `from` (else
   * a conflict with `refusal`), applies `device` if given, and writes the audit
   * entry, in one transaction.
   */
  decideShutdownRequest(input: {
    id: number;
    from: ShutdownStatus;
    to: ShutdownStatus;
    refusal: ValidationKey;
    reason: string | null;
    userId: number | null;
    at: number;
    device: DeviceTransition | null;
    audit: AuditWrite<ShutdownRequest>;
  }): Promise<ShutdownRequest>;
  getShutdownRequest(id: number): Promise<ShutdownRequest | undefined>;
  listShutdownRequests(filter: WorkflowFilter & { status?: ShutdownStatus }): Promise<ShutdownRequest[]>;
}
