import { and, asc, eq, lte, ne } from 'drizzle-orm';
import type { CameraMake, VideoHealthState } from '../../../../src-shared/domain/camera';
import type { Clock } from '../../runtime';
import { cameraAccessView } from '../ports/cameras';
import type { CameraStore, StoredCameraAccess } from '../ports/cameras';
import { writeAudit } from './audit';
import type { MsDb } from './connection';
import { inTransaction } from './connection';
import type { MssqlHandle } from './handle';
import { cameraAccess, devices, videoHealth } from './schema';

export function msCameras({ pool, db: base }: MssqlHandle, clock: Clock): CameraStore {
  const get = async (db: MsDb, deviceId: number): Promise<StoredCameraAccess | undefined> => {
    const [row] = await db.select().from(cameraAccess).where(eq(cameraAccess.deviceId, deviceId));
    return row && { ...row, make: row.make as CameraMake };
  };
  return {
    getCameraAccess: (deviceId) => get(base, deviceId),
    async listAreaCameraAccess(areaId) {
      const rows = await base
        .select({ access: cameraAccess })
        .from(cameraAccess)
        .innerJoin(devices, eq(devices.id, cameraAccess.deviceId))
        .where(and(eq(devices.areaId, areaId), ne(cameraAccess.snapshotUrl, '')))
        .orderBy(asc(cameraAccess.deviceId));
      return rows.map(({ access }) => ({ ...access, make: access.make as CameraMake }));
    },
    listCameraChecks() {
      return base
        .select({ deviceId: cameraAccess.deviceId, checkedAt: videoHealth.checkedAt })
        .from(cameraAccess)
        .leftJoin(videoHealth, eq(videoHealth.deviceId, cameraAccess.deviceId))
        .where(ne(cameraAccess.snapshotUrl, ''))
        .orderBy(asc(cameraAccess.deviceId));
    },
    saveCameraAccess(access, audit) {
      return inTransaction(pool, async ({ db }) => {
        const before = await get(db, access.deviceId);
        const { deviceId, ...fields } = access;
        const row = { ...fields, updatedAt: clock.now() };
        if (before) await db.update(cameraAccess).set(row).where(eq(cameraAccess.deviceId, deviceId));
        else await db.insert(cameraAccess).values({ deviceId, ...row });
        const after = (await get(db, deviceId))!;
        await writeAudit(
          db,
          audit({ before: before ? cameraAccessView(before) : null, after: cameraAccessView(after) }),
        );
        return after;
      });
    },
    async getVideoHealth(deviceId) {
      const [row] = await base.select().from(videoHealth).where(eq(videoHealth.deviceId, deviceId));
      if (!row) return undefined;
      const { deviceId: _id, ...health } = row;
      return { ...health, health: health.health as VideoHealthState };
    },
    async listVideoHealths() {
      const rows = await base
        .select({ deviceId: videoHealth.deviceId, health: videoHealth.health, since: videoHealth.since })
        .from(videoHealth)
        .orderBy(asc(videoHealth.deviceId));
      return rows.map((row) => ({ ...row, health: row.health as VideoHealthState }));
    },
    recordVideoHealth(deviceId, health) {
      return inTransaction(pool, async ({ db }) => {
        const [exists] = await db
          .select({ id: videoHealth.deviceId })
          .from(videoHealth)
          .where(eq(videoHealth.deviceId, deviceId));
        if (!exists) {
          await db.insert(videoHealth).values({ deviceId, ...health });
          return true;
        }
        const updated = await db
          .update(videoHealth)
          .set(health)
          .output({ inserted: { id: videoHealth.deviceId } })
          .where(and(eq(videoHealth.deviceId, deviceId), lte(videoHealth.checkedAt, health.checkedAt)));
        return updated.length > 0;
      });
    },
  };
}
