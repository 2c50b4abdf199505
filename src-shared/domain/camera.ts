import { z } from 'zod';

/**
 * How a camera's picture and stream are reached (issue on camera checks):
 * a snapshot URL and an RTSP URL on the camera's own host, filled from a
 * make's template or typed, and the credentials — the password never comes
 * back to a screen once saved.
 */
export const CAMERA_MAKES = ['hikvision', 'dahua', 'axis', 'other'] as const;
export type CameraMake = (typeof CAMERA_MAKES)[number];

/** Where each make serves a picture and its main stream; `{host}` is the device's address. */
export const CAMERA_TEMPLATES: Readonly<Record<CameraMake, { snapshot: string; rtsp: string }>> = {
  hikvision: {
    snapshot: 'http://{host}/ISAPI/Streaming/channels/101/picture',
    rtsp: 'rtsp://{host}:554/Streaming/Channels/101',
  },
  // Dahua and Intelbras (which builds on Dahua) share the CGI.
  dahua: {
    snapshot: 'http://{host}/cgi-bin/snapshot.cgi?channel=1',
    rtsp: 'rtsp://{host}:554/cam/realmonitor?channel=1&subtype=0',
  },
  axis: { snapshot: 'http://{host}/axis-cgi/jpg/image.cgi', rtsp: 'rtsp://{host}/axis-media/media.amp' },
  other: { snapshot: 'http://{host}/', rtsp: '' },
};

/** A device's address as it goes into a URL (an IPv6 address in brackets). */
export function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

const Url = (schemes: readonly string[]) =>
  z
    .string()
    .trim()
    .max(500, { error: 'too_long' })
    .refine((v) => v === '' || schemes.some((s) => v.toLowerCase().startsWith(`${s}://`)), { error: 'invalid_url' });

export const CameraAccessInput = z
  .object({
    deviceId: z.number().int().positive(),
    make: z.enum(CAMERA_MAKES, { error: 'invalid_choice' }),
    snapshotUrl: Url(['http', 'https']),
    rtspUrl: Url(['rtsp']),
    username: z.string().trim().max(100, { error: 'too_long' }),
    /** Absent: keep the saved one; empty: forget it. */
    password: z.string().max(200, { error: 'too_long' }).optional(),
  })
  .strict();
export type CameraAccessInput = z.output<typeof CameraAccessInput>;

export interface CameraAccess {
  readonly deviceId: number;
  readonly make: CameraMake;
  readonly snapshotUrl: string;
  readonly rtspUrl: string;
  readonly username: string;
  /** Whether a password is saved; the password itself never leaves main. */
  readonly hasPassword: boolean;
  readonly updatedAt: number;
}

export const VIDEO_HEALTHS = ['ok', 'black', 'uniform', 'frozen', 'no_image'] as const;
export type VideoHealthState = (typeof VIDEO_HEALTHS)[number];

export interface VideoHealth {
  readonly health: VideoHealthState;
  readonly detail: string;
  readonly checkedAt: number;
  readonly since: number;
}

/** "Ver imagem agora": the picture with its time and what the check made of it, and the stream's answer. */
export interface CameraLook {
  readonly at: number;
  /** The JPEG in base64, when the camera gave one. */
  readonly image: string | null;
  readonly health: VideoHealth;
  readonly rtsp: { readonly ok: boolean; readonly detail: string } | null;
}

/** A camera whose picture is bad, as the dashboard lists it. */
export interface VideoProblem {
  readonly deviceId: number;
  readonly deviceName: string;
  readonly areaCode: string;
  readonly health: VideoHealthState;
  readonly since: number;
}
