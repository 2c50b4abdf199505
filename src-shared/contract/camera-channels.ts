import { z } from 'zod';
import { CameraAccessInput } from '../domain/camera';
import type { CameraAccess, CameraLook, VideoHealth, VideoHealthState, VideoProblem } from '../domain/camera';
import { edit, view } from '../domain/permissions';
import { returns } from './define';
import type { ChannelMap } from './define';

const DeviceRef = z.object({ deviceId: z.number({ error: 'required' }).int().positive() }).strict();

/** A camera's picture and stream: how they are reached, and a look at them now. */
export const cameraChannels = {
  /** The saved access (never its password) and the last video check; null where there is none. */
  'cameras.access': {
    input: DeviceRef,
    output: returns<{ access: CameraAccess | null; health: VideoHealth | null }>(),
    permission: view('devices'),
  },
  /** URLs on the device's own host only; the password sealed at once, kept when left out. Audited without it. */
  'cameras.saveAccess': { input: CameraAccessInput, output: returns<CameraAccess>(), permission: edit('devices') },
  /** Of these devices (a page of the list), the cameras whose last video check was not good. */
  'cameras.videoProblems': {
    input: z.object({ deviceIds: z.array(z.number().int().positive()).max(500) }).strict(),
    output: returns<Array<{ deviceId: number; health: VideoHealthState }>>(),
    permission: view('devices'),
  },
  /** The dashboard's list: every camera (of an area, or all the caller sees) whose picture is bad, longest first. */
  'cameras.videoProblemList': {
    input: z.object({ areaId: z.number().int().positive().optional() }).strict(),
    output: returns<VideoProblem[]>(),
    permission: view('dashboard'),
  },
  /** "Ver imagem agora": a snapshot judged (black, uniform, frozen, none) and the RTSP check; the health is kept. */
  'cameras.look': { input: DeviceRef, output: returns<CameraLook>(), permission: view('devices') },
} as const satisfies ChannelMap;
