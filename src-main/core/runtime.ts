/**
 * What every part of core needs from its surroundings, and nothing else: the
 * time and a place to report. Injected everywhere, so a test runs a day or a
 * month in milliseconds and reads what was said.
 */

/** Wall-clock source; injected so tests can run a day or a month in milliseconds. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface Logger {
  /** Something failed; `error` carries the details (a stack) for the maintainer. */
  error(message: string, error?: unknown): void;
  /** Something the operator or the maintainer should act on, in one line. */
  warn(message: string): void;
  info(message: string): void;
}

export const consoleLogger: Logger = {
  error: (message, error) => console.error(`[vigia] ${message}`, error ?? ''),
  warn: (message) => console.warn(`[vigia] ${message}`),
  info: (message) => console.log(`[vigia] ${message}`),
};

/**
 * A line that could repeat thousands of times (a peer flooding bad frames) is
 * written at most once per `windowMs` per key, with how many were held back.
 */
export function limitedWarnings(
  logger: Logger,
  clock: Clock,
  windowMs = 10_000,
): (key: string, message: string) => void {
  const last = new Map<string, { at: number; held: number }>();
  return (key, message) => {
    const now = clock.now();
    const seen = last.get(key);
    if (seen && now - seen.at < windowMs) {
      seen.held++;
      return;
    }
    const held = seen?.held ?? 0;
    last.set(key, { at: now, held: 0 });
    if (last.size > 1000) last.delete(last.keys().next().value!);
    logger.warn(held > 0 ? `${message} (${held} more like it held back)` : message);
  };
}
