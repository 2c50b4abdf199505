import type { CameraLook, VideoHealth } from '../../../src-shared/domain/camera';
import type { Device } from '../../../src-shared/domain/device';
import { conflict } from '../errors';
import type { Clock } from '../runtime';
import type { CameraStore } from '../store/ports/cameras';
import type { CredentialSeal } from './credentials';
import { judgeSnapshot } from './health';
import { checkRtsp } from './rtsp';
import { fetchSnapshot } from './snapshot';

/** What a look reads and writes: the central's store, or an agent's outbox. */
export type CameraLookStore = Pick<CameraStore, 'getCameraAccess' | 'getVideoHealth' | 'recordVideoHealth'>;

export interface LookContext {
  readonly store: CameraLookStore;
  readonly clock: Clock;
  readonly credentials: CredentialSeal | null;
}

/**
 * One look at a camera, on demand ("Ver imagem agora") or by the periodic
 * check: the snapshot judged against what the last look left (for a frozen
 * picture), the health kept with since-when, and the RTSP answer.
 */
export async function lookAtCamera(
  { store, clock, credentials }: LookContext,
  device: Pick<Device, 'id' | 'host'>,
  /** False: shown, not kept (a camera whose health is its area agent's to keep). */
  keep = true,
): Promise<CameraLook> {
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
  if (keep) {
    await store.recordVideoHealth(device.id, {
      ...health,
      sameCount: verdict.memory?.sameCount ?? 0,
      thumbnail: verdict.memory ? Buffer.from(verdict.memory.thumbnail).toString('base64') : null,
    });
  }
  const rtsp = access.rtspUrl ? await checkRtsp({ ...request, url: access.rtspUrl }) : null;
  return {
    at,
    image: snapshot.ok ? snapshot.bytes.toString('base64') : null,
    health,
    rtsp: rtsp && { ok: rtsp.ok, detail: rtsp.detail },
  };
}
