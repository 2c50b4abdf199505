import { z } from 'zod';
import { CameraAccessInput } from '../domain/camera';
import type { CameraAccess, CameraLook } from '../domain/camera';
import { edit, view } from '../domain/permissions';
import { returns } from './define';
import type { ChannelMap } from './define';

const DeviceRef = z.object({ deviceId: z.number({ error: 'required' }).int().positive() }).strict();

/** A camera's picture and stream: how they are reached, and a look at them now. */
export const cameraChannels = {
  /** The saved access (never its password), or null when none is saved. */
  'cameras.access': { input: DeviceRef, output: returns<CameraAccess | null>(), permission: view('devices') },
  /** URLs on the device's own host only; the password sealed at once, kept when left out. Audited without it. */
  'cameras.saveAccess': { input: CameraAccessInput, output: returns<CameraAccess>(), permission: edit('devices') },
  /** "Ver imagem agora": a snapshot judged (black, uniform, frozen, none) and the RTSP check; the health is kept. */
  'cameras.look': { input: DeviceRef, output: returns<CameraLook>(), permission: view('devices') },
} as const satisfies ChannelMap;
