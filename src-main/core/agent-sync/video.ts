import { videoCheckMinutesOf } from '../../../src-shared/domain/area';
import type { Area } from '../../../src-shared/domain/area';
import type { AgentConfig, AgentConfigResponse, AgentVideoReport } from '../../../src-shared/domain/agents';
import type { Logger } from '../runtime';
import type { SettingsService } from '../settings';
import type { Store } from '../store/port';
import type { StoredCameraAccess } from '../store/ports/cameras';
import type { CredentialSeal } from '../video/credentials';

/**
 * The cameras an area's agent looks at (issue on camera checks: "run by the
 * agent for agent areas"): their addresses and users in the configuration,
 * at the area's interval. Only the sealed form of a password counts towards
 * the configuration's version (through the access's save time).
 */
export async function areaVideoConfig(
  store: Store,
  settings: SettingsService,
  area: Area,
): Promise<{ config: AgentConfig['video']; accesses: StoredCameraAccess[] }> {
  const accesses = await store.listAreaCameraAccess(area.id);
  const cameras = accesses.map((a) => ({
    deviceId: a.deviceId,
    snapshotUrl: a.snapshotUrl,
    rtspUrl: a.rtspUrl,
    username: a.username,
    hasPassword: a.passwordSealed !== null,
    updatedAt: a.updatedAt,
  }));
  return {
    config: { everyMinutes: videoCheckMinutesOf(area, settings.alarms().videoCheckMinutes), cameras },
    accesses,
  };
}

/**
 * The passwords handed to the agent beside its configuration. One this
 * central cannot open (sealed under another key) is left out and said in the
 * log: the agent then asks the camera without one, and its look says why.
 */
export function cameraPasswords(
  accesses: readonly StoredCameraAccess[],
  credentials: CredentialSeal | null,
  logger: Logger,
): AgentConfigResponse['cameraPasswords'] {
  return accesses.flatMap(({ deviceId, passwordSealed }) => {
    if (passwordSealed === null) return [];
    const password = credentials?.open(passwordSealed) ?? null;
    if (password === null) {
      logger.warn(`agent-sync: the password of camera ${deviceId} cannot be opened here: type it again`);
      return [];
    }
    return [{ deviceId, password }];
  });
}

/**
 * Keeps what an agent saw of its cameras: each look only if it is newer than
 * the one kept (a state, not a history); cameras deleted meanwhile skipped.
 * Returns the cameras whose health is new or changed.
 */
export async function recordVideoReport(
  store: Store,
  report: AgentVideoReport,
  own: ReadonlySet<number>,
): Promise<{ recorded: number; changed: number[] }> {
  let recorded = 0;
  const changed: number[] = [];
  const before = new Map((await store.listVideoHealths()).map((v) => [v.deviceId, v.health]));
  for (const look of report.healths) {
    if (!own.has(look.deviceId)) continue;
    // The frozen-picture memory stays at the site: the central keeps the state only.
    const kept = await store.recordVideoHealth(look.deviceId, { ...look, sameCount: 0, thumbnail: null });
    if (!kept) continue;
    recorded++;
    if (before.get(look.deviceId) !== look.health) changed.push(look.deviceId);
  }
  return { recorded, changed };
}
