import jpeg from 'jpeg-js';

/** What the video check looks at in a picture: its brightness, how much it varies, and a small thumbnail. */
export interface FrameSummary {
  readonly width: number;
  readonly height: number;
  /** Mean luminance, 0 (black) to 255 (white). */
  readonly mean: number;
  /** Standard deviation of the luminance: near 0 for a picture of one colour. */
  readonly spread: number;
  /** A GRID×GRID luminance thumbnail, to tell whether two pictures show the same thing. */
  readonly thumbnail: Uint8Array;
}

export const GRID = 32;

/** A decoder bomb (a tiny file declaring a huge picture) is refused, not decoded. */
const MAX_MEGAPIXELS = 40;
const MAX_DECODE_MB = 256;

export class NotAPicture extends Error {}

/** Decodes the JPEG in pure JavaScript (nothing native to package) and sums it up. */
export function summariseJpeg(bytes: Uint8Array): FrameSummary {
  let image: { width: number; height: number; data: Uint8Array };
  try {
    image = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: false,
      maxResolutionInMP: MAX_MEGAPIXELS,
      maxMemoryUsageInMB: MAX_DECODE_MB,
    });
  } catch (error) {
    throw new NotAPicture(`the picture cannot be decoded (${error instanceof Error ? error.message : String(error)})`);
  }
  const { width, height, data } = image;
  if (width === 0 || height === 0) throw new NotAPicture('the picture is empty');
  const luma = (x: number, y: number) => {
    const i = (y * width + x) * 3;
    return 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!;
  };
  // About 65,000 samples whatever the resolution: enough for the mean and the spread.
  const step = Math.max(1, Math.floor(Math.sqrt((width * height) / 65_536)));
  let sum = 0;
  let squares = 0;
  let n = 0;
  for (let y = 0; y < height; y += step) {
    for (let x = 0; x < width; x += step) {
      const l = luma(x, y);
      sum += l;
      squares += l * l;
      n++;
    }
  }
  const mean = sum / n;
  const spread = Math.sqrt(Math.max(0, squares / n - mean * mean));
  return { width, height, mean, spread, thumbnail: thumbnailOf(width, height, luma) };
}

function thumbnailOf(width: number, height: number, luma: (x: number, y: number) => number): Uint8Array {
  const cells = new Uint8Array(GRID * GRID);
  for (let gy = 0; gy < GRID; gy++) {
    for (let gx = 0; gx < GRID; gx++) {
      const x0 = Math.floor((gx * width) / GRID);
      const x1 = Math.max(x0 + 1, Math.floor(((gx + 1) * width) / GRID));
      const y0 = Math.floor((gy * height) / GRID);
      const y1 = Math.max(y0 + 1, Math.floor(((gy + 1) * height) / GRID));
      // A few samples per cell are enough to tell one scene from another.
      let sum = 0;
      let n = 0;
      for (let y = y0; y < y1; y += Math.max(1, Math.floor((y1 - y0) / 4))) {
        for (let x = x0; x < x1; x += Math.max(1, Math.floor((x1 - x0) / 4))) {
          sum += luma(Math.min(x, width - 1), Math.min(y, height - 1));
          n++;
        }
      }
      cells[gy * GRID + gx] = Math.round(sum / n);
    }
  }
  return cells;
}

/** Mean absolute difference of two thumbnails, 0 (identical) to 255. */
export function thumbnailDistance(a: Uint8Array, b: Uint8Array): number {
  let total = 0;
  for (let i = 0; i < a.length; i++) total += Math.abs(a[i]! - (b[i] ?? 0));
  return total / a.length;
}
