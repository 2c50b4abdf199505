import { app, dialog } from 'electron';
import type { BrowserWindow } from 'electron';
import { watchState } from '../../src-shared/domain/alarms';
import type { Central } from '../core/central';
import { Connection } from '../core/contract/connection';
import { builtInAdministrator } from '../core/contract/session';
import type { Logger } from '../core/runtime';
import { systemClock } from '../core/runtime';
import { KeepWatching } from './keep-watching';
import type { menuLabels } from './menu';
import type { Preferences } from './preferences';
import { VigiaTray } from './tray';

/** Passed at login so an auto-started copy goes straight to the tray. */
export const HIDDEN_FLAG = '--hidden';

/**
 * The desktop app as a control room leaves it running: a tray icon in the
 * colour of the desk (red while an alarm waits, amber while alarms stay
 * open), closing the window only hides it, quitting asks, start at login.
 */
export function keepWatchingFromTheTray(options: {
  readonly central: Central;
  readonly labels: ReturnType<typeof menuLabels>;
  readonly preferences: Preferences;
  readonly window: () => BrowserWindow;
  readonly showWindow: () => void;
  readonly logger: Logger;
}): { keeper: KeepWatching; tray: VigiaTray } {
  const { central, labels, preferences } = options;
  const keeper = new KeepWatching({
    confirmQuit: async () => {
      const answer = await dialog.showMessageBox(options.window(), {
        type: 'question',
        buttons: [labels.quit, labels.cancel],
        defaultId: 1,
        cancelId: 1,
        message: labels.quitQuestion,
        detail: central.monitor ? labels.quitCentral : labels.quitOther,
      });
      return answer.response === 0;
    },
    quit: () => app.quit(),
  });
  const applyAutoStart = (enabled: boolean) => app.setLoginItemSettings({ openAtLogin: enabled, args: [HIDDEN_FLAG] });
  applyAutoStart(preferences.get('autoStart'));
  const tray = new VigiaTray(
    {
      open: labels.open,
      muteAlarms: labels.muteAlarms,
      autoStart: labels.autoStart,
      quit: labels.quit,
      states: labels.states,
    },
    {
      open: options.showWindow,
      setMuted: (muted) => {
        preferences.set('muted', muted);
        tray.setMuted(muted);
        central.server.emit('alarms.muteRequested', { muted });
      },
      setAutoStart: (enabled) => {
        preferences.set('autoStart', enabled);
        applyAutoStart(enabled);
        tray.setAutoStart(enabled);
      },
      quit: () => void keeper.requestQuit(),
    },
    preferences.get('autoStart'),
  );
  tray.setMuted(preferences.get('muted'));
  const follow = async () => {
    const desk = await central.store.listAlarms({
      desk: { keepUnacknowledged: central.settings.alarms().keepUnacknowledged },
      limit: 1000,
    });
    tray.show(watchState(desk));
  };
  const refresh = () => void follow().catch((error: unknown) => options.logger.error('tray update failed', error));
  // The tray listens like a screen that sees every area.
  central.server.attach({
    connection: new Connection(builtInAdministrator(), systemClock.now()),
    send: (name) => {
      if (name === 'alarms.changed') refresh();
    },
  });
  refresh();
  return { keeper, tray };
}
