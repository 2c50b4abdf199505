import type { CameraAccess, VideoHealth, VideoHealthState } from '../../../../src-shared/domain/camera';
import type { AuditWrite } from '../../audit';

/** A camera's access as stored: the password only sealed (core seals and opens it). */
export interface StoredCameraAccess extends Omit<CameraAccess, 'hasPassword'> {
  readonly passwordSealed: string | null;
}

/** The last video check, with what the next one compares against. */
export interface StoredVideoHealth extends VideoHealth {
  readonly sameCount: number;
  /** The last picture's thumbnail in base64. */
  readonly thumbnail: string | null;
}

/** How cameras are reached, and their video health, beside the catalog. */
export interface CameraStore {
  getCameraAccess(deviceId: number): Promise<StoredCameraAccess | undefined>;
  /** The accesses of an area's cameras that have a picture address (what its agent is handed). */
  listAreaCameraAccess(areaId: number): Promise<StoredCameraAccess[]>;
  /** Every camera with a picture address, with its last check (what the periodic check goes through). */
  listCameraChecks(): Promise<Array<{ readonly deviceId: number; readonly checkedAt: number | null }>>;
  /** Creates or replaces a device's camera access, audited as the screen sees it (never the password). */
  saveCameraAccess(
    access: Omit<StoredCameraAccess, 'updatedAt'>,
    audit: AuditWrite<CameraAccess>,
  ): Promise<StoredCameraAccess>;
  getVideoHealth(deviceId: number): Promise<StoredVideoHealth | undefined>;
  /**
   * Keeps a camera's latest look; one older than the look already kept (a
   * slow look overtaken, a late report of an agent) is not written: false.
   */
  recordVideoHealth(deviceId: number, health: StoredVideoHealth): Promise<boolean>;
  /** Every camera's last video health (what the alarm conditions look at). */
  listVideoHealths(): Promise<
    Array<{ readonly deviceId: number; readonly health: VideoHealthState; readonly since: number }>
  >;
}

/** What a screen and the audit see of a stored access. */
export function cameraAccessView(stored: StoredCameraAccess): CameraAccess {
  const { passwordSealed, ...rest } = stored;
  return { ...rest, hasPassword: passwordSealed !== null };
}
