import { app, dialog } from 'electron';
import type { BrowserWindow } from 'electron';
import type { CoreSupervisor } from '../core/host/supervisor';
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
  readonly core: CoreSupervisor;
  readonly labels: ReturnType<typeof menuLabels>;
  readonly preferences: Preferences;
  readonly window: () => BrowserWindow;
  readonly showWindow: () => void;
}): { keeper: KeepWatching; tray: VigiaTray } {
  const { core, labels, preferences } = options;
  const keeper = new KeepWatching({
    confirmQuit: async () => {
      const state = core.current();
      const monitoring = state.kind === 'running' && state.ready.monitoring;
      const answer = await dialog.showMessageBox(options.window(), {
        type: 'question',
        buttons: [labels.quit, labels.cancel],
        defaultId: 1,
        cancelId: 1,
        message: labels.quitQuestion,
        detail: monitoring ? labels.quitCentral : labels.quitOther,
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
        core.mute(muted);
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
  // Core follows the desk like a screen that sees every area and tells main its colour.
  core.onWatch((state) => tray.show(state));
  return { keeper, tray };
}
