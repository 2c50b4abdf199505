import type { Snapshot } from './snapshot';
import { NotAPicture, summariseJpeg, thumbnailDistance } from './frame';
import type { FrameSummary } from './frame';

/**
 * The video health of a camera, kept apart from its ping state (and never
 * part of the ping uptime): a camera that answers ping but sends a black,
 * uniform or frozen picture, or none, is the failure a control room misses.
 */
export type VideoHealth = 'ok' | 'black' | 'uniform' | 'frozen' | 'no_image';

export interface VideoThresholds {
  /** Below this mean luminance (0–255), with little spread, the picture is black. */
  readonly blackMean: number;
  /** Below this spread the picture is one colour: a covered lens, a blank encoder. */
  readonly uniformSpread: number;
  /** Thumbnails this close (mean difference, 0–255) are the same picture. */
  readonly sameDistance: number;
  /** This many identical pictures in a row (K) and the image is frozen. */
  readonly frozenAfter: number;
}

export const DEFAULT_VIDEO_THRESHOLDS: VideoThresholds = {
  blackMean: 20,
  uniformSpread: 6,
  sameDistance: 0.8,
  frozenAfter: 3,
};

/** What is kept between two checks of one camera. */
export interface VideoMemory {
  readonly thumbnail: Uint8Array;
  /** How many checks in a row showed this same picture. */
  readonly sameCount: number;
}

export interface VideoVerdict {
  readonly health: VideoHealth;
  /** In words, for the screens and the log. */
  readonly detail: string;
  readonly frame: Pick<FrameSummary, 'width' | 'height' | 'mean' | 'spread'> | null;
  readonly memory: VideoMemory | null;
}

/** Judges one snapshot, given what the previous checks of the camera left. */
export function judgeSnapshot(
  snapshot: Snapshot,
  previous: VideoMemory | null,
  thresholds: VideoThresholds = DEFAULT_VIDEO_THRESHOLDS,
): VideoVerdict {
  if (!snapshot.ok) return { health: 'no_image', detail: snapshot.detail, frame: null, memory: previous };
  let frame: FrameSummary;
  try {
    frame = summariseJpeg(snapshot.bytes);
  } catch (error) {
    const detail = error instanceof NotAPicture ? error.message : String(error);
    return { health: 'no_image', detail, frame: null, memory: previous };
  }
  const same = previous !== null && thumbnailDistance(previous.thumbnail, frame.thumbnail) <= thresholds.sameDistance;
  const memory: VideoMemory = { thumbnail: frame.thumbnail, sameCount: same ? previous.sameCount + 1 : 1 };
  const summary = { width: frame.width, height: frame.height, mean: frame.mean, spread: frame.spread };
  const described = `luminance ${frame.mean.toFixed(1)}, spread ${frame.spread.toFixed(1)}`;
  if (frame.spread < thresholds.uniformSpread) {
    const black = frame.mean < thresholds.blackMean;
    return { health: black ? 'black' : 'uniform', detail: described, frame: summary, memory };
  }
  if (memory.sameCount >= thresholds.frozenAfter) {
    return { health: 'frozen', detail: `the same picture ${memory.sameCount} times in a row`, frame: summary, memory };
  }
  return { health: 'ok', detail: described, frame: summary, memory };
}
