import ElectronStore from 'electron-store';

/** This workstation's own choices, kept by electron-store in userData (not in the shared store). */
export interface LocalPreferences {
  /** Start at login, into the tray (on by default: a central or an agent must watch from boot). */
  autoStart: boolean;
  /** The tray's "mute alarms". */
  muted: boolean;
}

export type Preferences = Pick<ElectronStore<LocalPreferences>, 'get' | 'set'>;

export function openPreferences(): Preferences {
  return new ElectronStore<LocalPreferences>({ name: 'preferences', defaults: { autoStart: true, muted: false } });
}
