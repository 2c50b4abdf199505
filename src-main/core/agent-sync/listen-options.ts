import { DEFAULT_AGENT_SYNC_PORT } from './start';
import type { AgentSyncOptions } from './start';

/** Where a central listens for agents unless told otherwise: every interface, since agents are elsewhere. */
export const DEFAULT_AGENT_LISTEN = `0.0.0.0:${DEFAULT_AGENT_SYNC_PORT}`;
export interface AgentListenFlags {
  readonly listen?: string | undefined;
  readonly off?: boolean | undefined;
  readonly plainHttp?: boolean | undefined;
  readonly certFile?: string | undefined;
  readonly keyFile?: string | undefined;
  readonly publicUrl?: string | undefined;
}

/** `host:port` or `[v6]:port`, checked, for --agent-listen. */
export function parseListenAddress(text: string): { host: string; port: number } {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) throw new Error(`--agent-listen ${text}: give host:port, e.g. 0.0.0.0:7374`);
  return { host: match[1] ?? match[2]!, port };
}

/** The central's agent-sync listener from its flags; null when switched off. */
export function agentListenOptions(flags: AgentListenFlags, dataDir: string): AgentSyncOptions | null {
  if (flags.off) return null;
  const { host, port } = parseListenAddress(flags.listen ?? DEFAULT_AGENT_LISTEN);
  if (flags.plainHttp && (flags.certFile || flags.keyFile)) {
    throw new Error('--agent-plain-http and --agent-cert contradict each other');
  }
  if (flags.publicUrl) {
    const url = new URL(flags.publicUrl);
    if (url.protocol !== (flags.plainHttp ? 'http:' : 'https:')) {
      throw new Error(`--agent-public-url must be ${flags.plainHttp ? 'http' : 'https'}://…`);
    }
  }
  return {
    host,
    port,
    plainHttp: flags.plainHttp ?? false,
    certificateFolder: dataDir,
    ...(flags.certFile ? { certFile: flags.certFile } : {}),
    ...(flags.keyFile ? { keyFile: flags.keyFile } : {}),
    ...(flags.publicUrl ? { publicUrl: flags.publicUrl.replace(/\/$/, '') } : {}),
  };
}
