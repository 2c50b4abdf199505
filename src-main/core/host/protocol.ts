import type { WatchState } from '../../../src-shared/domain/alarms';
import type { CallResult } from '../../../src-shared/contract/errors';
import type { AgentSyncOptions } from '../agent-sync/start';
import type { Installation } from '../setup/installation';
import type { StoreConfig } from '../store/open';

/**
 * The messages between the desktop's main process and core, which runs in a
 * process of its own (an Electron utilityProcess; a forked Node process in
 * tests). Main owns windows, tray, dialogs and secrets; core owns the store,
 * the monitor and the contract. Everything here must survive structured
 * cloning: plain data only.
 */

/** What core is asked to run. Secrets arrive here already decrypted by main, and live only in memory. */
export type CoreLaunch =
  | {
      readonly kind: 'instance';
      readonly mode: 'central' | 'console';
      readonly store: StoreConfig;
      readonly exportsFolder: string;
      readonly exportWorkerFile?: string;
      readonly agentSync?: AgentSyncOptions | null;
      /** The embedded store's camera key in base64, kept sealed by the OS in main; none: no camera passwords here. */
      readonly cameraKey?: string;
    }
  | {
      readonly kind: 'agent';
      readonly centralUrl: string;
      readonly areaCode: string;
      readonly key: string;
      readonly fingerprint: string | null;
      readonly dataDir: string;
      readonly migrationsFolder: string;
      readonly version: string;
      /** The status page's port on 127.0.0.1 (0: any free one). */
      readonly statusPort: number;
      /** The key the agent seals its cameras' passwords with (base64), kept sealed by the OS in main. */
      readonly cameraKey?: string;
    }
  /** Not configured yet: the window shows the first-run wizard and core answers only it. */
  | { readonly kind: 'setup' };

export type ToCore =
  | { readonly kind: 'launch'; readonly launch: CoreLaunch }
  /** A window appeared: from now on it is one connection, logged out until someone logs in there. */
  | { readonly kind: 'connect'; readonly connection: number }
  | { readonly kind: 'disconnect'; readonly connection: number }
  | {
      readonly kind: 'call';
      readonly id: number;
      readonly connection: number;
      readonly channel: string;
      readonly input: unknown;
    }
  /** The tray's "mute alarms": every window hears it like the contract's own event. */
  | { readonly kind: 'mute'; readonly muted: boolean }
  | { readonly kind: 'export-bi'; readonly id: number; readonly folder: string }
  /** Main's answer to `persist`: null when the configuration is safely on disk. */
  | { readonly kind: 'persisted'; readonly id: number; readonly error: string | null }
  | { readonly kind: 'stop' };

export interface CoreReady {
  /** Whether this copy sweeps (a central, or a console holding the lease at start). */
  readonly monitoring: boolean;
  readonly exportsFolder: string | null;
  /** An agent's local status page, which its window shows. */
  readonly statusUrl: string | null;
  readonly setup: boolean;
}

export type FromCore =
  | ({ readonly kind: 'ready' } & CoreReady)
  | { readonly kind: 'launch-failed'; readonly message: string }
  | { readonly kind: 'result'; readonly id: number; readonly result: CallResult<unknown> }
  | { readonly kind: 'event'; readonly connection: number; readonly name: string; readonly payload: unknown }
  /** The desk's colour for the tray, sent whenever it may have changed. */
  | { readonly kind: 'watch'; readonly state: WatchState }
  /** The wizard's configuration worked: main keeps it (secrets through the OS) and relaunches core. */
  | { readonly kind: 'persist'; readonly id: number; readonly installation: Installation }
  | { readonly kind: 'stopped' };

/** How core and its parent exchange messages, whichever kind of process carries them. */
export interface MessagePortLike<In, Out> {
  post(message: Out): void;
  onMessage(listener: (message: In) => void): void;
}
