import { hostname, networkInterfaces } from 'node:os';

/** Names every server answers to on its own machine. */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

export interface HostCheck {
  /** Why a request naming `host`, from a page of `origin` (browsers send one), is refused; null when allowed. */
  refuse(host: string | undefined, origin: string | undefined): string | null;
  readonly names: readonly string[];
}

function hostnameOf(hostHeader: string): string | null {
  try {
    return new URL(`http://${hostHeader}`).hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  } catch {
    return null;
  }
}

/**
 * DNS rebinding defence: a page of evil.example whose name is made to resolve
 * to this machine sends Host and Origin of evil.example. Only the names the
 * server was started for are accepted: the loopback names, the address it
 * listens on (for 0.0.0.0 or ::, this machine's name and addresses), and an
 * explicit allow-list (a name in the control room's DNS, say).
 */
export function createHostCheck(listenHost: string, allowed: readonly string[] = []): HostCheck {
  const names = new Set([...LOOPBACK_NAMES, ...allowed].map((n) => n.toLowerCase()));
  const listen = listenHost.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (listen === '0.0.0.0' || listen === '::') {
    names.add(hostname().toLowerCase());
    for (const list of Object.values(networkInterfaces()))
      for (const a of list ?? []) names.add(a.address.toLowerCase());
  } else {
    names.add(listen);
  }
  return {
    names: [...names],
    refuse(host, origin) {
      const name = host ? hostnameOf(host) : null;
      if (!name || !names.has(name)) return `Host "${host ?? ''}" is not a name of this server`;
      if (origin === undefined || origin === '') return null; // not a browser (scripts, tests)
      let originUrl: URL;
      try {
        originUrl = new URL(origin);
      } catch {
        return `Origin "${origin}" is not a URL`;
      }
      if (originUrl.host.toLowerCase() !== host!.toLowerCase()) return `Origin "${origin}" is not this server's page`;
      return null;
    },
  };
}
