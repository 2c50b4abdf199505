import { hostname } from 'node:os';
import type { StatusChangeNotice } from '../monitor/engine';
import type { Clock, Logger } from '../runtime';
import type { SettingsService } from '../settings';
import type { Store } from '../store/port';
import type { CredentialSeal } from '../video/credentials';
import { listenerCertificate } from './certificate';
import { startAgentListener } from './listener';
import type { AgentListener } from './listener';
import { AgentSyncService } from './service';
import { AgentWatch } from './watch';

/** The agent-sync listener's port unless told otherwise (the screens' server has 7373). */
export const DEFAULT_AGENT_SYNC_PORT = 7374;

/** Where and how the central listens for agents. */
export interface AgentSyncOptions {
  /** Interface to listen on; 0.0.0.0 (every interface) is the default of a central, since agents are elsewhere. */
  readonly host: string;
  readonly port: number;
  /** Plain HTTP instead of HTTPS: only when asked for explicitly (a lab, or TLS ended by a proxy in front). */
  readonly plainHttp: boolean;
  /** Where the generated certificate is kept (the data folder). */
  readonly certificateFolder: string;
  /** A certificate of the administrator's, instead of the generated one. */
  readonly certFile?: string;
  readonly keyFile?: string;
  /** The URL agents are told to use, when the host name alone is not it (a NAT, a DNS alias). */
  readonly publicUrl?: string;
}

export interface AgentSync {
  readonly listener: (AgentListener & { readonly announcedUrl: string }) | null;
  readonly watch: AgentWatch;
  stop(): Promise<void>;
}

/**
 * The central's half of the agents: the watch over their links (every
 * instance, so a console's screens see a silent agent too) and, on a central,
 * the listener they sync with.
 */
export async function startAgentSync(options: {
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly settings: SettingsService;
  readonly listen: AgentSyncOptions | null;
  readonly onLinksChanged: (areaIds: number[]) => void;
  readonly onStatusChanges: (changes: readonly StatusChangeNotice[]) => void;
  /** An agent's report changed its cameras' video health. */
  readonly onVideoChanged: (areaId: number, deviceIds: number[]) => void;
  /** Opens the camera passwords handed to agents. */
  readonly credentials: CredentialSeal | null;
}): Promise<AgentSync> {
  const watch = new AgentWatch({
    store: options.store,
    clock: options.clock,
    settings: options.settings,
    logger: options.logger,
    onChange: options.onLinksChanged,
  });
  await watch.start();
  let listener: AgentSync['listener'] = null;
  try {
    if (options.listen) {
      const listen = options.listen;
      const service = new AgentSyncService({
        store: options.store,
        clock: options.clock,
        settings: options.settings,
        logger: options.logger,
        credentials: options.credentials,
        events: {
          heard: () => void watch.checkNow(),
          statusChanges: (changes) => options.onStatusChanges(changes),
          videoChanged: (areaId, deviceIds) => options.onVideoChanged(areaId, deviceIds),
        },
      });
      const certificate = listen.plainHttp
        ? null
        : await listenerCertificate({
            folder: listen.certificateFolder,
            ...(listen.certFile ? { certFile: listen.certFile } : {}),
            ...(listen.keyFile ? { keyFile: listen.keyFile } : {}),
          });
      const started = await startAgentListener({
        service,
        host: listen.host,
        port: listen.port,
        certificate,
        clock: options.clock,
        logger: options.logger,
      });
      listener = Object.assign(started, { announcedUrl: listen.publicUrl ?? announced(started.url, listen.host) });
      // Listening on every interface says nothing an agent can dial: name the address it is told instead.
      if (listener.announcedUrl !== started.url) {
        options.logger.info(`agent-sync: agents reach this central at ${listener.announcedUrl}`);
      }
    }
  } catch (error) {
    await watch.stop();
    throw error;
  }
  return {
    listener,
    watch,
    async stop() {
      await listener?.close();
      await watch.stop();
    },
  };
}

/** Bound to every interface, the URL agents use names this machine; bound to one address, that address. */
function announced(url: string, host: string): string {
  if (host !== '0.0.0.0' && host !== '::') return url;
  return url.replace(/\/\/[^/]+:(\d+)$/, (_match, port: string) => `//${hostname()}:${port}`);
}
