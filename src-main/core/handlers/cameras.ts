import type { CameraAccessInput, CameraLook, VideoHealth } from '../../../src-shared/domain/camera';
import { urlHost } from '../../../src-shared/domain/camera';
import type { Device } from '../../../src-shared/domain/device';
import type { HandlerMap } from '../contract/server';
import type { Session } from '../contract/session';
import { conflict, invalidField, notFound } from '../errors';
import type { Store } from '../store/port';
import { cameraAccessView } from '../store/ports/cameras';
import { judgeSnapshot } from '../video/health';
import { checkRtsp, RtspFailure, rtspUrl } from '../video/rtsp';
import { fetchSnapshot, SnapshotFailure, snapshotUrl } from '../video/snapshot';
import type { HandlerContext } from './context';
import { requireInScope } from './scope';

type CameraHandlers = Pick<HandlerMap, 'cameras.access' | 'cameras.saveAccess' | 'cameras.look'>;

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

/**
 * A camera's access and a look at it. The password is sealed as soon as it
 * arrives and opened only to ask the camera; a screen never gets it back.
 */
export function cameraHandlers({ store, auditor, clock, credentials }: HandlerContext): CameraHandlers {
  const look = async (device: Device): Promise<CameraLook> => {
    const access = await store.getCameraAccess(device.id);
    const at = clock.now();
    if (!access?.snapshotUrl) throw conflict('no snapshot address is saved for this camera', 'snapshotUrl', 'required');
    const password = access.passwordSealed ? credentials?.open(access.passwordSealed) : '';
    if (password === null || password === undefined) {
      throw conflict('the saved password cannot be opened here: type it again', 'password', 'no_camera_key');
    }
    const request = { deviceHost: device.host, username: access.username, password };
    const snapshot = await fetchSnapshot({ ...request, url: access.snapshotUrl });
    const previous = await store.getVideoHealth(device.id);
    const memory = previous?.thumbnail
      ? { thumbnail: new Uint8Array(Buffer.from(previous.thumbnail, 'base64')), sameCount: previous.sameCount }
      : null;
    const verdict = judgeSnapshot(snapshot, memory);
    const health: VideoHealth = {
      health: verdict.health,
      detail: verdict.detail,
      checkedAt: at,
      since: previous && previous.health === verdict.health ? previous.since : at,
    };
    await store.recordVideoHealth(device.id, {
      ...health,
      sameCount: verdict.memory?.sameCount ?? 0,
      thumbnail: verdict.memory ? Buffer.from(verdict.memory.thumbnail).toString('base64') : null,
    });
    const rtsp = access.rtspUrl ? await checkRtsp({ ...request, url: access.rtspUrl }) : null;
    return {
      at,
      image: snapshot.ok ? snapshot.bytes.toString('base64') : null,
      health,
      rtsp: rtsp && { ok: rtsp.ok, detail: rtsp.detail },
    };
  };
  return {
    'cameras.access': async ({ deviceId }, { session }) => {
      await deviceFor(store, session, deviceId);
      const stored = await store.getCameraAccess(deviceId);
      return stored ? cameraAccessView(stored) : null;
    },
    'cameras.saveAccess': async (input, { session }) => {
      const device = await deviceFor(store, session, input.deviceId);
      checkUrls(input, device);
      const before = await store.getCameraAccess(device.id);
      let passwordSealed = before?.passwordSealed ?? null;
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
    'cameras.look': async ({ deviceId }, { session }) => look(await deviceFor(store, session, deviceId)),
  };
}
