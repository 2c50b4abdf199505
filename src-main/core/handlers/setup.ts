import type { InstallationSummary, InstallMode } from '../../../src-shared/domain/setup';
import { FORM_FIELD } from '../../../src-shared/domain/validation';
import type { Auditor } from '../audit';
import type { HandlersFor } from '../contract/server';
import { conflict } from '../errors';
import type { Installation } from '../setup/installation';
import { checkThenKeep } from '../setup/wizard-handlers';
import type { StoreConfig } from '../store/open';
import { describeConnection } from '../store/mssql/config';

/** How a running copy may become another: given by the shell that knows where its configuration lives. */
export type ChangeInstallation = (installation: Installation) => Promise<void>;

/** What Settings shows of a store: the SQL Server and database, never the password. */
export function summaryOf(mode: InstallMode, store: StoreConfig, changeable: boolean): InstallationSummary {
  return store.dialect === 'sqlite'
    ? { mode, store: 'sqlite', where: null, changeable }
    : { mode, store: 'mssql', where: describeConnection(store.connection), changeable };
}

/**
 * A running copy is configured: the wizard's calls say so and change nothing.
 * An administrator may move it to another mode from Settings; the new one is
 * tried first, kept only if it works, audited without its secrets, and the
 * shell restarts the copy in it.
 */
export function configuredSetupHandlers(
  summary: InstallationSummary,
  auditor: Auditor,
  change: ChangeInstallation | null,
): HandlersFor<'setup'> {
  const refuse = () =>
    Promise.reject(conflict('this installation is already configured', FORM_FIELD, 'already_configured'));
  return {
    'setup.status': () => Promise.resolve({ needed: false, mode: summary.mode }),
    'setup.check': refuse,
    'setup.save': refuse,
    'setup.current': () => Promise.resolve({ ...summary, changeable: change !== null }),
    'setup.change': async (input, { session }) => {
      if (!change) {
        throw conflict(
          'this copy was started with its mode on the command line: change it there',
          FORM_FIELD,
          'mode_from_command_line',
        );
      }
      const next: InstallationSummary = {
        mode: input.mode,
        store: input.mode === 'agent' ? null : input.store,
        where: input.mode === 'agent' ? input.central : input.store === 'mssql' ? input.url : null,
        changeable: true,
      };
      return checkThenKeep(input, async (installation) => {
        await change(installation);
        await auditor.append(session, {
          action: 'settings.update',
          subject: { entityId: 'installation', label: 'installation', areaId: null },
          before: summary,
          after: next,
        });
      });
    },
  };
}
