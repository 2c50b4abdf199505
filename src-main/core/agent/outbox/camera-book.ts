/* eslint-disable @typescript-eslint/require-await -- the port is async like every store's; better-sqlite3 is synchronous. */
import { and, asc, eq, isNotNull, isNull, lt, lte, notInArray, or } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { AgentConfig } from '../../../../src-shared/domain/agents';
import type { OutboxCameras } from './port';
import { agentCameras, agentDevices } from './schema';

type Db = BetterSQLite3Database;
type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** A configuration kept by an agent from before cameras were handed to agents has none. */
export const NO_VIDEO: AgentConfig['video'] = { everyMinutes: 0, cameras: [] };

/**
 * The agent's cameras in its outbox: addresses from the configuration,
 * passwords sealed by the agent's key, and its looks — each reported to the
 * central until acknowledged, the newest only (a state, not a history).
 */
export function outboxCameras(db: Db, config: () => AgentConfig | null): OutboxCameras {
  const cameraOf = (deviceId: number) => (config()?.video ?? NO_VIDEO).cameras.find((c) => c.deviceId === deviceId);
  return {
    async getCameraAccess(deviceId) {
      const camera = cameraOf(deviceId);
      if (!camera) return undefined;
      const row = db.select().from(agentCameras).where(eq(agentCameras.deviceId, deviceId)).get();
      return {
        deviceId,
        make: 'other',
        snapshotUrl: camera.snapshotUrl,
        rtspUrl: camera.rtspUrl,
        username: camera.username,
        passwordSealed: row?.passwordSealed ?? null,
        updatedAt: camera.updatedAt,
      };
    },

    async getVideoHealth(deviceId) {
      const row = db.select().from(agentCameras).where(eq(agentCameras.deviceId, deviceId)).get();
      if (!row || row.health === null || row.checkedAt === null || row.since === null) return undefined;
      return {
        health: row.health,
        detail: row.detail ?? '',
        checkedAt: row.checkedAt,
        since: row.since,
        sameCount: row.sameCount,
        thumbnail: row.thumbnail,
      };
    },

    // The rows are the configuration's cameras (replaceCameras keeps them so): no row, no camera.
    async recordVideoHealth(deviceId, look) {
      const written = db
        .update(agentCameras)
        .set(look)
        .where(
          and(
            eq(agentCameras.deviceId, deviceId),
            or(isNull(agentCameras.checkedAt), lte(agentCameras.checkedAt, look.checkedAt)),
          ),
        )
        .run();
      return written.changes > 0;
    },

    async listCameraChecks() {
      return db
        .select({
          deviceId: agentCameras.deviceId,
          checkedAt: agentCameras.checkedAt,
          name: agentDevices.name,
          host: agentDevices.host,
          status: agentDevices.status,
        })
        .from(agentCameras)
        .innerJoin(agentDevices, eq(agentDevices.id, agentCameras.deviceId))
        .orderBy(asc(agentCameras.deviceId))
        .all();
    },

    async unreportedVideoHealths(limit) {
      return db
        .select()
        .from(agentCameras)
        .where(
          and(
            isNotNull(agentCameras.checkedAt),
            or(isNull(agentCameras.reportedAt), lt(agentCameras.reportedAt, agentCameras.checkedAt)),
          ),
        )
        .orderBy(asc(agentCameras.checkedAt))
        .limit(limit)
        .all()
        .map((row) => ({
          deviceId: row.deviceId,
          health: row.health!,
          detail: (row.detail ?? '').slice(0, 500),
          checkedAt: row.checkedAt!,
          since: row.since!,
        }));
    },

    async cameraSummary() {
      const rows = db
        .select({ health: agentCameras.health, checkedAt: agentCameras.checkedAt, reportedAt: agentCameras.reportedAt })
        .from(agentCameras)
        .all();
      return {
        total: rows.length,
        bad: rows.filter((r) => r.health !== null && r.health !== 'ok').length,
        unreported: rows.filter((r) => r.checkedAt !== null && (r.reportedAt === null || r.reportedAt < r.checkedAt))
          .length,
      };
    },

    async videoHealthsReported(looks) {
      db.transaction((tx) => {
        for (const look of looks) {
          tx.update(agentCameras)
            .set({ reportedAt: look.checkedAt })
            .where(eq(agentCameras.deviceId, look.deviceId))
            .run();
        }
      });
    },
  };
}

/** Inside replaceConfig's transaction: the configuration's cameras, each with its newly sealed password. */
export function replaceCameras(tx: Tx, cameras: AgentConfig['video']['cameras'], sealed: ReadonlyMap<number, string>) {
  const ids = cameras.map((c) => c.deviceId);
  if (ids.length > 0) tx.delete(agentCameras).where(notInArray(agentCameras.deviceId, ids)).run();
  else tx.delete(agentCameras).run();
  for (const { deviceId } of cameras) {
    const passwordSealed = sealed.get(deviceId) ?? null;
    tx.insert(agentCameras)
      .values({ deviceId, passwordSealed })
      .onConflictDoUpdate({ target: agentCameras.deviceId, set: { passwordSealed } })
      .run();
  }
}
