import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AREA_CODE_PATTERN } from '../../../src-shared/domain/area';
import { normalizeFingerprint } from '../agent-sync/certificate';
import { agentKeyPrefix } from '../agent-sync/keys';
import { createProberRegistry, DEFAULT_PROBER } from '../monitor/probers';
import type { Prober } from '../monitor/probers';
import { systemClock } from '../runtime';
import type { Clock, Logger } from '../runtime';
import { CAMERA_KEY_FILE, CredentialSeal, keyFromFile } from '../video/credentials';
import { AgentRuntime } from './agent';
import { openSqliteOutbox } from './outbox/sqlite-outbox';
import { startStatusPage } from './status-page';
import { SyncClient } from './sync-client';

/** The outbox file in an agent's data folder. */
export const OUTBOX_FILE = 'agent-outbox.sqlite';

/** The agent's status page, on loopback. */
export const DEFAULT_AGENT_STATUS_PORT = 7375;

export interface AgentInstanceOptions {
  readonly centralUrl: string;
  readonly areaCode: string;
  readonly key: string;
  /** Required for an https central: the SHA-256 shown in the Areas screen at enrolment. */
  readonly fingerprint: string | null;
  /** Accept an http:// central: only when asked for explicitly. */
  readonly plainHttp: boolean;
  readonly dataDir: string;
  readonly migrationsFolder: string;
  readonly logger: Logger;
  readonly version: string;
  readonly localClock?: Clock;
  readonly prober?: Prober;
  /** Where the status page listens; it is refused anywhere but loopback. */
  readonly statusPage: { readonly host: string; readonly port: number } | null;
  readonly autoRun?: boolean;
  /** The key camera passwords are sealed with here (sealed by the OS on the desktop); else `camera.key` in the data folder. */
  readonly cameraKey?: Buffer;
}

export interface AgentInstance {
  readonly runtime: AgentRuntime;
  readonly statusUrl: string | null;
  stop(): Promise<void>;
}

/** Checks what an installer typed before anything starts, with the reason in words. */
export function checkAgentOptions(
  options: Pick<AgentInstanceOptions, 'centralUrl' | 'areaCode' | 'key' | 'fingerprint' | 'plainHttp' | 'statusPage'>,
): {
  fingerprint: string | null;
} {
  let url: URL;
  try {
    url = new URL(options.centralUrl);
  } catch {
    throw new Error(`--central is not a URL: ${options.centralUrl} (e.g. https://central.example:7374)`);
  }
  if (url.protocol === 'http:' && !options.plainHttp) {
    throw new Error(
      '--central is plain http: the key and observations would cross the network unencrypted; add --plain-http only if that is intended',
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('--central must be an https:// URL');
  if (!AREA_CODE_PATTERN.test(options.areaCode))
    throw new Error(`--area ${options.areaCode} is not an area code (e.g. ITA)`);
  if (agentKeyPrefix(options.key) === null) {
    throw new Error('the key file does not hold an agent key (vga_…): copy it again from the Areas screen');
  }
  if (options.statusPage && !['127.0.0.1', '::1', 'localhost'].includes(options.statusPage.host)) {
    throw new Error('the status page listens on loopback only (127.0.0.1)');
  }
  if (url.protocol === 'http:') return { fingerprint: null };
  const fingerprint = options.fingerprint === null ? null : normalizeFingerprint(options.fingerprint);
  if (fingerprint === null) {
    throw new Error(
      '--central-fingerprint must be the central certificate SHA-256 shown in the Areas screen (64 hex digits)',
    );
  }
  return { fingerprint };
}

/**
 * Agent mode's composition root: the outbox in the data folder, the sync
 * client pinned to the central's certificate, the runtime and its status page.
 */
export async function startAgentInstance(options: AgentInstanceOptions): Promise<AgentInstance> {
  const { fingerprint } = checkAgentOptions(options);
  mkdirSync(options.dataDir, { recursive: true });
  const localClock = options.localClock ?? systemClock;
  const outbox = openSqliteOutbox(join(options.dataDir, OUTBOX_FILE), options.migrationsFolder);
  // The agent's own prober (sockets) is closed with it; one passed in is the caller's.
  const prober = options.prober ?? createProberRegistry(options.logger).get(DEFAULT_PROBER)!;
  let runtime: AgentRuntime | null = null;
  try {
    runtime = await AgentRuntime.start({
      areaCode: options.areaCode,
      outbox,
      client: (onTiming) =>
        new SyncClient({
          centralUrl: options.centralUrl,
          areaCode: options.areaCode,
          key: options.key,
          fingerprint,
          localClock,
          onTiming,
        }),
      prober,
      credentials: new CredentialSeal(options.cameraKey ?? keyFromFile(join(options.dataDir, CAMERA_KEY_FILE))),
      localClock,
      logger: options.logger,
      version: options.version,
      dataDir: options.dataDir,
      ...(options.autoRun === undefined ? {} : { autoRun: options.autoRun }),
    });
    const page = options.statusPage
      ? await startStatusPage({ ...options.statusPage, status: runtime.status, logger: options.logger })
      : null;
    const started = runtime;
    return {
      runtime: started,
      statusUrl: page?.url ?? null,
      async stop() {
        await page?.close();
        await started.stop();
        if (!options.prober) prober.close?.();
        await outbox.close();
      },
    };
  } catch (error) {
    await runtime?.stop();
    await outbox.close();
    if (!options.prober) prober.close?.();
    throw error;
  }
}
