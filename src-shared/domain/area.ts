import { z } from 'zod';

export const AREA_CODE_PATTERN = /^[A-Z][A-Z0-9]{1,9}$/;
/** A day: a picture looked at less often than that is not being watched. */
export const MAX_VIDEO_CHECK_MINUTES = 1440;

/** Intl knows every IANA zone the runtime ships; asking it avoids a hand-kept list. */
export function isTimeZone(value: string): boolean {
  if (value.trim() === '' || value !== value.trim()) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export const AreaInput = z.object({
  // Codes are shown upper-case everywhere (ITA, SNT); accept what an operator types.
  code: z
    .string({ error: 'required' })
    .trim()
    .toUpperCase()
    .min(1, { error: 'required' })
    .regex(AREA_CODE_PATTERN, { error: 'invalid_area_code' }),
  name: z.string({ error: 'required' }).trim().min(1, { error: 'required' }).max(100, { error: 'too_long' }),
  timeZone: z
    .string({ error: 'required' })
    .trim()
    .min(1, { error: 'required' })
    .refine(isTimeZone, { error: 'invalid_time_zone' }),
  /**
   * How often the area's cameras' pictures are checked, in minutes (0: never);
   * null follows the installation's setting. Absent on an update: unchanged.
   */
  videoCheckMinutes: z
    .number({ error: 'invalid' })
    .int({ error: 'invalid' })
    .min(0, { error: 'out_of_range' })
    .max(MAX_VIDEO_CHECK_MINUTES, { error: 'out_of_range' })
    .nullable()
    .optional(),
});
export type AreaInput = z.input<typeof AreaInput>;
export type AreaFields = z.output<typeof AreaInput>;

export interface Area {
  readonly id: number;
  readonly code: string;
  readonly name: string;
  readonly timeZone: string;
  /** The area's own camera-check interval in minutes (0: off); null follows the installation's. */
  readonly videoCheckMinutes: number | null;
  readonly deviceCount: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** How often an area's cameras are looked at, in minutes (0: never): its own setting, else the installation's. */
export function videoCheckMinutesOf(area: Pick<Area, 'videoCheckMinutes'>, installationMinutes: number): number {
  return area.videoCheckMinutes ?? installationMinutes;
}
