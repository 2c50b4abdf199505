import type { CallResult } from './errors';

/** Name under which the Electron preload exposes the bridge on `window`. */
export const BRIDGE_KEY = 'vigia';
export const IPC_CALL = 'vigia:call';
export const IPC_EVENT = 'vigia:event';

/**
 * Exactly what the preload hands the renderer through contextBridge: one
 * invoke and one subscribe. No Electron object ever crosses.
 */
export interface PreloadBridge {
  invoke(channel: string, input: unknown): Promise<CallResult<unknown>>;
  subscribe(listener: (name: string, payload: unknown) => void): () => void;
}

/**
 * Main tells each window whether core (a process of its own on the desktop)
 * runs: while it does not, the window shows it is reconnecting; once it is
 * back, the window takes its session back and says core was restarted.
 */
export const CORE_STATE_EVENT = 'vigia:core-state';
export interface CoreStateNotice {
  readonly running: boolean;
  /** When core last stopped unexpectedly (null if it never did). */
  readonly crashedAt: number | null;
}
