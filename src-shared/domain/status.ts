/**
 * PENDING: added, not probed yet. ONLINE/OFFLINE come from probes;
 * MAINTENANCE/SHUTDOWN only from the workflows.
 */
export const DEVICE_STATUSES = ['ONLINE', 'OFFLINE', 'PENDING', 'MAINTENANCE', 'SHUTDOWN'] as const;
export type DeviceStatus = (typeof DEVICE_STATUSES)[number];

/** Statuses the sweeps probe: not observed yet, or observed up or down. */
export const PROBED_STATUSES = ['PENDING', 'ONLINE', 'OFFLINE'] as const satisfies readonly DeviceStatus[];
export type ProbedStatus = (typeof PROBED_STATUSES)[number];

export function isProbed(status: DeviceStatus): status is ProbedStatus {
  return (PROBED_STATUSES as readonly DeviceStatus[]).includes(status);
}

/** The order an operator reads a list in when sorting by status: what needs attention first. */
export const STATUS_ATTENTION_ORDER = [
  'OFFLINE',
  'PENDING',
  'MAINTENANCE',
  'SHUTDOWN',
  'ONLINE',
] as const satisfies readonly DeviceStatus[];
