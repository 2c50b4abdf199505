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
