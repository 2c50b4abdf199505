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
