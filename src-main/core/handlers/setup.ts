import type { HandlersFor } from '../contract/server';
import { conflict } from '../errors';
import { FORM_FIELD } from '../../../src-shared/domain/validation';
import type { InstallMode } from '../../../src-shared/domain/setup';

/** A running copy is configured: the wizard's calls say so and change nothing. */
export function configuredSetupHandlers(mode: InstallMode): HandlersFor<'setup'> {
  const refuse = () =>
    Promise.reject(conflict('this installation is already configured', FORM_FIELD, 'already_configured'));
  return {
    'setup.status': () => Promise.resolve({ needed: false, mode }),
    'setup.check': refuse,
    'setup.save': refuse,
  };
}
