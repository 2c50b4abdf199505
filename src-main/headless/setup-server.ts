import { join } from 'node:path';
import { channels } from '../../src-shared/contract/channels';
import type { ChannelName } from '../../src-shared/contract/channels';
import { ContractServer } from '../core/contract/server';
import type { HandlerMap } from '../core/contract/server';
import { DomainError } from '../core/errors';
import type { Clock, Logger } from '../core/runtime';
import { checkSetup } from '../core/setup/check';
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
  const notYet = () =>
    Promise.reject(new DomainError('forbidden', 'Vigia is not configured yet: finish the first-run wizard'));
  const handlers = Object.fromEntries(
    (Object.keys(channels) as ChannelName[]).map((name) => [name, notYet]),
  ) as unknown as HandlerMap;
  Object.assign(handlers, {
    'setup.status': () => Promise.resolve({ needed: true, mode: null }),
    'setup.check': checkSetup,
    'setup.save': async (input: Installation) => {
      const check = await checkSetup(input);
      if (!check.ok) return check;
      writeInstallation(options.dataDir, input);
      options.logger.info(
        `configured as ${input.mode}; starting it (secrets in ${options.dataDir}, readable only by this user)`,
      );
      // Answer first, then hand over the address.
      setTimeout(() => announce(input), 200);
      return check;
    },
  } satisfies Partial<HandlerMap>);
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
