/** ONLINE/OFFLINE come from probes; MAINTENANCE/SHUTDOWN only from the workflows. */
export const DEVICE_STATUSES = ['ONLINE', 'OFFLINE', 'MAINTENANCE', 'SHUTDOWN'] as const;
export type DeviceStatus = (typeof DEVICE_STATUSES)[number];
