import type { Logger } from '../core/runtime';

/** Resolves on the first SIGINT or SIGTERM; listened for before start-up, so a signal meanwhile still stops cleanly. */
export function stopRequested(logger: Logger): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      logger.info(`${signal} received, stopping`);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
