import type { CameraAccessInput, VideoProblem } from '../../../src-shared/domain/camera';
import { urlHost } from '../../../src-shared/domain/camera';
import type { Device } from '../../../src-shared/domain/device';
import { inScope } from '../contract/server';
import type { HandlerMap } from '../contract/server';
import type { Session } from '../contract/session';
import { conflict, invalidField, notFound } from '../errors';
import type { Store } from '../store/port';
import { cameraAccessView } from '../store/ports/cameras';
import { lookAtCamera } from '../video/look';
import { RtspFailure, rtspUrl } from '../video/rtsp';
import { SnapshotFailure, snapshotUrl } from '../video/snapshot';
import type { HandlerContext } from './context';
import { requireInScope } from './scope';

type CameraHandlers = Pick<
  HandlerMap,
  'cameras.access' | 'cameras.saveAccess' | 'cameras.look' | 'cameras.videoProblems' | 'cameras.videoProblemList'
>;

async function deviceFor(store: Store, session: Session, id: number): Promise<Device> {
  const device = await store.getDevice(id);
  if (!device) throw notFound(`device ${id}`);
  requireInScope(session, device.areaId, `device ${id}`);
  return device;
}

/** Both URLs must point at the device itself (so a camera's record cannot be used to reach anything else). */
function checkUrls(input: CameraAccessInput, device: Device): void {
  const host = urlHost(device.host);
  for (const [field, url, check] of [
    ['snapshotUrl', input.snapshotUrl, snapshotUrl],
    ['rtspUrl', input.rtspUrl, rtspUrl],
  ] as const) {
    if (!url) continue;
    try {
      check(url, device.host);
    } catch (error) {
      const otherHost =
        (error instanceof SnapshotFailure || error instanceof RtspFailure) && error.problem === 'other_host';
      throw invalidField(field, otherHost ? 'url_other_host' : 'invalid_url', `${field}: ${String(error)} (${host})`);
    }
  }
}

const hostOf = (url: string) => {
  try {
    return url ? new URL(url).host.toLowerCase() : '';
  } catch {
    return url;
  }
};

/**
 * The saved password goes only where it was typed for: pointed at another
 * host (after the device's address was changed, say) or another user, it is
 * dropped unless typed again — otherwise whoever may edit devices could have
 * it sent to a server of their own.
 */
function sameTarget(before: { snapshotUrl: string; rtspUrl: string; username: string }, next: CameraAccessInput) {
  return (
    before.username === next.username &&
    hostOf(before.snapshotUrl) === hostOf(next.snapshotUrl) &&
    (next.rtspUrl === '' || hostOf(before.rtspUrl) === hostOf(next.rtspUrl))
  );
}

/** The cameras whose last check was not good, of those `wanted`, in the caller's areas only. */
async function videoProblemsSeenBy(
  store: Store,
  session: Session,
  wanted: (device: Device) => boolean,
): Promise<VideoProblem[]> {
  const bad = (await store.listVideoHealths()).filter((v) => v.health !== 'ok');
  // Few cameras are ever bad at once: each is looked up and checked against the caller's areas.
  const devices = await Promise.all(bad.map((v) => store.getDevice(v.deviceId)));
  return bad.flatMap((v, i) => {
    const device = devices[i];
    if (!device || !wanted(device) || !inScope(session, [device.areaId])) return [];
    return [
      { deviceId: v.deviceId, deviceName: device.name, areaCode: device.areaCode, health: v.health, since: v.since },
    ];
  });
}

/**
 * A camera's access and a look at it. The password is sealed as soon as it
 * arrives and opened only to ask the camera; a screen never gets it back.
 */
export function cameraHandlers(context: HandlerContext): CameraHandlers {
  const { store, auditor, credentials } = context;
  return {
    'cameras.access': async ({ deviceId }, { session }) => {
      await deviceFor(store, session, deviceId);
      const [stored, checked] = await Promise.all([store.getCameraAccess(deviceId), store.getVideoHealth(deviceId)]);
      const health = checked && {
        health: checked.health,
        detail: checked.detail,
        checkedAt: checked.checkedAt,
        since: checked.since,
      };
      return { access: stored ? cameraAccessView(stored) : null, health: health ?? null };
    },
    'cameras.saveAccess': async (input, { session }) => {
      const device = await deviceFor(store, session, input.deviceId);
      checkUrls(input, device);
      const before = await store.getCameraAccess(device.id);
      let passwordSealed = before && sameTarget(before, input) ? before.passwordSealed : null;
      if (input.password !== undefined) {
        if (input.password && !credentials) throw conflict('no key for camera passwords', 'password', 'no_camera_key');
        passwordSealed = input.password ? credentials!.seal(input.password) : null;
      }
      const saved = await store.saveCameraAccess(
        {
          deviceId: device.id,
          make: input.make,
          snapshotUrl: input.snapshotUrl,
          rtspUrl: input.rtspUrl,
          username: input.username,
          passwordSealed,
        },
        auditor.change(session, 'camera.update', () => ({
          entityId: device.id,
          label: device.name,
          areaId: device.areaId,
        })),
      );
      return cameraAccessView(saved);
    },
    'cameras.videoProblems': async ({ deviceIds }, { session }) => {
      const asked = new Set(deviceIds);
      const problems = await videoProblemsSeenBy(store, session, (d) => asked.has(d.id));
      return problems.map(({ deviceId, health }) => ({ deviceId, health }));
    },
    'cameras.videoProblemList': async ({ areaId }, { session }) =>
      (await videoProblemsSeenBy(store, session, (d) => areaId === undefined || d.areaId === areaId)).sort(
        (a, b) => a.since - b.since,
      ),
    'cameras.look': async ({ deviceId }, { session }) => {
      const device = await deviceFor(store, session, deviceId);
      // In an area with an agent the health is the site's to keep: a look from here, over the WAN (or failing to
      // cross it), is shown but must not overwrite it, nor open a video alarm.
      const [agent] = await store.listAgents({ areaIds: [device.areaId] });
      return lookAtCamera(context, device, !agent?.keyPrefix);
    },
  };
}
