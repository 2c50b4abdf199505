/* eslint-disable @typescript-eslint/require-await -- see catalog.ts: async for the port, synchronous underneath. */
import { and, asc, eq, lte, ne } from 'drizzle-orm';
import type { CameraMake, VideoHealthState } from '../../../../src-shared/domain/camera';
import type { Clock } from '../../runtime';
import { cameraAccessView } from '../ports/cameras';
import type { CameraStore, StoredCameraAccess } from '../ports/cameras';
import { writeAudit } from './audit';
import type { SqliteDb } from './connection';
import { translateConstraints } from './connection';
import { cameraAccess, devices, videoHealth } from './schema';

export function sqliteCameras(db: SqliteDb, clock: Clock): CameraStore {
  const get = (deviceId: number): StoredCameraAccess | undefined => {
    const row = db.select().from(cameraAccess).where(eq(cameraAccess.deviceId, deviceId)).get();
    return row && { ...row, make: row.make as CameraMake };
  };
  return {
    async getCameraAccess(deviceId) {
      return get(deviceId);
    },
    async listAreaCameraAccess(areaId) {
      return db
        .select({ access: cameraAccess })
        .from(cameraAccess)
        .innerJoin(devices, eq(devices.id, cameraAccess.deviceId))
        .where(and(eq(devices.areaId, areaId), ne(cameraAccess.snapshotUrl, '')))
        .orderBy(asc(cameraAccess.deviceId))
        .all()
        .map(({ access }) => ({ ...access, make: access.make as CameraMake }));
    },
    async listCameraChecks() {
      return db
        .select({ deviceId: cameraAccess.deviceId, checkedAt: videoHealth.checkedAt })
        .from(cameraAccess)
        .leftJoin(videoHealth, eq(videoHealth.deviceId, cameraAccess.deviceId))
        .where(ne(cameraAccess.snapshotUrl, ''))
        .orderBy(asc(cameraAccess.deviceId))
        .all();
    },
    async saveCameraAccess(access, audit) {
      return translateConstraints(() =>
        db.transaction((tx) => {
          const before = get(access.deviceId);
          const row = { ...access, updatedAt: clock.now() };
          tx.insert(cameraAccess).values(row).onConflictDoUpdate({ target: cameraAccess.deviceId, set: row }).run();
          const after = get(access.deviceId)!;
          writeAudit(tx, audit({ before: before ? cameraAccessView(before) : null, after: cameraAccessView(after) }));
          return after;
        }),
      );
    },
    async getVideoHealth(deviceId) {
      const row = db.select().from(videoHealth).where(eq(videoHealth.deviceId, deviceId)).get();
      if (!row) return undefined;
      const { deviceId: _id, ...health } = row;
      return { ...health, health: health.health as VideoHealthState };
    },
    async listVideoHealths() {
      return db
        .select({ deviceId: videoHealth.deviceId, health: videoHealth.health, since: videoHealth.since })
        .from(videoHealth)
        .orderBy(asc(videoHealth.deviceId))
        .all()
        .map((row) => ({ ...row, health: row.health as VideoHealthState }));
    },
    async recordVideoHealth(deviceId, health) {
      const row = { deviceId, ...health };
      const written = db
        .insert(videoHealth)
        .values(row)
        .onConflictDoUpdate({
          target: videoHealth.deviceId,
          set: row,
          setWhere: lte(videoHealth.checkedAt, row.checkedAt),
        })
        .run();
      return written.changes > 0;
    },
  };
}
