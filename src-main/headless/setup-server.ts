import { join } from 'node:path';
import { ContractServer } from '../core/contract/server';
import type { Clock, Logger } from '../core/runtime';
import { wizardHandlers } from '../core/setup/wizard-handlers';
import { writeInstallation } from '../core/setup/installation';
import type { Installation } from '../core/setup/installation';
import { startHttpServer } from './http-server';

/**
 * `serve` on a data folder with no configuration: the screens open on the
 * first-run wizard and nothing else answers. A configuration is saved only
 * after it worked; `saved` then resolves and the runner starts that mode on
 * the same address.
 */
export async function startSetupWizard(options: {
  readonly appRoot: string;
  readonly dataDir: string;
  readonly host: string;
  readonly port: number;
  readonly allowHosts: readonly string[];
  readonly logger: Logger;
  readonly clock: Clock;
}): Promise<{ url: string; saved: Promise<Installation>; stop(): Promise<void> }> {
  let announce: (installation: Installation) => void = () => undefined;
  const saved = new Promise<Installation>((resolve) => (announce = resolve));
  const handlers = wizardHandlers((input) => {
    writeInstallation(options.dataDir, input);
    options.logger.info(
      `configured as ${input.mode}; starting it (secrets in ${options.dataDir}, readable only by this user)`,
    );
    // Answer first, then hand over the address.
    setTimeout(() => announce(input), 200);
    return Promise.resolve();
  });
  const server = new ContractServer(handlers, { logger: options.logger, clock: options.clock });
  const http = await startHttpServer({
    central: { server },
    staticDir: join(options.appRoot, 'dist', 'renderer'),
    host: options.host,
    port: options.port,
    logger: options.logger,
    clock: options.clock,
    allowedHosts: options.allowHosts,
    sessionFor: () => null,
  });
  return { url: http.url, saved, stop: () => http.close() };
}
