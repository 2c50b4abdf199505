import { channels } from '../../../src-shared/contract/channels';
import type { ChannelName } from '../../../src-shared/contract/channels';
import type { SetupCheck } from '../../../src-shared/domain/setup';
import type { HandlerMap } from '../contract/server';
import { DomainError } from '../errors';
import { checkSetup } from './check';
import type { Installation } from './installation';

/**
 * The contract of a copy that does not know yet what it is: the wizard's
 * calls answer, everything else is refused. A configuration is handed to
 * `keep` only after it worked; how it is kept (a 0600 file headless, the
 * OS's encryption on the desktop) is the shell's business.
 */
export function wizardHandlers(keep: (installation: Installation) => Promise<void>): HandlerMap {
  const notYet = () =>
    Promise.reject(new DomainError('forbidden', 'Vigia is not configured yet: finish the first-run wizard'));
  const handlers = Object.fromEntries(
    (Object.keys(channels) as ChannelName[]).map((name) => [name, notYet]),
  ) as unknown as HandlerMap;
  return Object.assign(handlers, {
    'setup.status': () => Promise.resolve({ needed: true, mode: null }),
    'setup.check': checkSetup,
    'setup.save': (input: Installation) => checkThenKeep(input, keep),
  } satisfies Partial<HandlerMap>);
}

/** Tries the configuration again and keeps it only if it works; a failure to keep it is named like a failed test. */
export async function checkThenKeep(
  input: Installation,
  keep: (installation: Installation) => Promise<void>,
): Promise<SetupCheck> {
  const check = await checkSetup(input);
  if (!check.ok) return check;
  try {
    await keep(input);
  } catch (error) {
    return { ok: false, field: 'mode', message: error instanceof Error ? error.message : String(error) };
  }
  return check;
}
