import type { AgentConfig, AgentConfigResponse } from '../../../src-shared/domain/agents';
import { MAX_VIDEO_REPORTS } from '../../../src-shared/domain/agents';
import type { CameraTarget, VideoCheckPlan } from '../video/checker';
import { dueCameras } from '../video/checker';
import type { CredentialSeal } from '../video/credentials';
import { NO_VIDEO } from './outbox/camera-book';
import type { OutboxStore } from './outbox/port';
import type { SyncClient } from './sync-client';

/**
 * The agent's cameras, at the interval the central set for the area: the
 * pictures are fetched here at the site, never over the WAN, and go on being
 * judged while the link is down.
 */
export function agentVideoPlan(outbox: OutboxStore, config: () => AgentConfig | null): VideoCheckPlan {
  return {
    async due(now) {
      const current = config();
      const everyMs = (current?.video ?? NO_VIDEO).everyMinutes * 60_000;
      if (!current || everyMs === 0) return [];
      // A camera that does not answer ping has no picture to judge: ping says so already.
      const up = (await outbox.listCameraChecks()).filter((c) => c.status === 'ONLINE');
      return dueCameras(up, now, () => everyMs).map((c): CameraTarget => ({
        id: c.deviceId,
        name: c.name,
        host: c.host,
        areaId: current.area.id,
      }));
    },
  };
}

/** The passwords the central handed over, sealed at once by this agent's key: its disk never holds them in clear. */
export function sealedPasswords(
  given: AgentConfigResponse['cameraPasswords'] | undefined,
  seal: CredentialSeal,
): Map<number, string> {
  return new Map((given ?? []).map(({ deviceId, password }) => [deviceId, seal.seal(password)]));
}

/** Sends the looks the central has not had, in turns, each marked once the central answered. */
export async function reportVideoHealth(
  outbox: OutboxStore,
  send: SyncClient['videoHealth'],
  stopping: () => boolean,
): Promise<void> {
  for (;;) {
    const healths = await outbox.unreportedVideoHealths(MAX_VIDEO_REPORTS);
    if (healths.length === 0) return;
    await send({ healths });
    await outbox.videoHealthsReported(healths);
    if (healths.length < MAX_VIDEO_REPORTS || stopping()) return;
  }
}
