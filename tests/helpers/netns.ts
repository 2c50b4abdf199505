import { execFileSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function run(args: string[]): string {
  return execFileSync(args[0]!, args.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * A network namespace of the test's own, with only a loopback interface and
 * an nftables set whose members' echo requests are dropped. Devices on those
 * loopback addresses are "unreachable" until removed from the set. Nothing of
 * this touches the host's own network; `remove()` deletes it all.
 */
export class TestNamespace {
  readonly name = `vigia-t${process.pid}-${Math.floor(Math.random() * 1e6)}`;

  constructor() {
    run(['ip', 'netns', 'add', this.name]);
    try {
      this.exec(['ip', 'link', 'set', 'lo', 'up']);
      this.exec(['nft', 'add', 'table', 'inet', 'vigia']);
      this.exec(['nft', 'add', 'set', 'inet', 'vigia', 'unreachable', '{ type ipv4_addr; }']);
      this.exec([
        'nft',
        'add',
        'chain',
        'inet',
        'vigia',
        'input',
        '{ type filter hook input priority 0; policy accept; }',
      ]);
      this.exec([
        'nft',
        'add',
        'rule',
        'inet',
        'vigia',
        'input',
        'ip',
        'daddr',
        '@unreachable',
        'icmp',
        'type',
        'echo-request',
        'drop',
      ]);
    } catch (error) {
      this.remove();
      throw error;
    }
  }

  exec(args: string[]): string {
    return run(['ip', 'netns', 'exec', this.name, ...args]);
  }

  /** The command line that runs `command` inside the namespace. */
  wrap(command: string[]): string[] {
    return ['ip', 'netns', 'exec', this.name, ...command];
  }

  setUnreachable(addresses: readonly string[], unreachable: boolean): void {
    if (addresses.length === 0) return;
    this.exec([
      'nft',
      unreachable ? 'add' : 'delete',
      'element',
      'inet',
      'vigia',
      'unreachable',
      `{ ${addresses.join(', ')} }`,
    ]);
  }

  /** Lets every group open unprivileged ICMP sockets here, as an administrator would on a real host. */
  allowIcmpSockets(): void {
    this.exec(['sysctl', '-q', '-w', 'net.ipv4.ping_group_range=0 2147483647']);
  }

  /** Counts, from now on, the echo requests sent to `address` (dropped or not): proof of who is probed. */
  countEchoRequests(address: string): () => number {
    this.exec([
      'nft',
      'insert',
      'rule',
      'inet',
      'vigia',
      'input',
      'ip',
      'daddr',
      address,
      'icmp',
      'type',
      'echo-request',
      'counter',
    ]);
    return () => {
      const listing = this.exec(['nft', 'list', 'chain', 'inet', 'vigia', 'input']);
      const line = listing.split('\n').find((l) => l.includes(address) && l.includes('counter'));
      return Number(/counter packets (\d+)/.exec(line ?? '')?.[1] ?? NaN);
    };
  }

  /** An executable that starts Debian's Chromium inside the namespace, for playwright's executablePath. */
  chromiumWrapper(folder: string): string {
    const path = join(folder, 'chromium-in-netns');
    writeFileSync(path, `#!/bin/sh\nexec ip netns exec ${this.name} /usr/bin/chromium "$@"\n`);
    chmodSync(path, 0o755);
    return path;
  }

  remove(): void {
    try {
      run(['ip', 'netns', 'delete', this.name]);
    } catch {
      // Already gone.
    }
  }
}

/**
 * Two namespaces of the test's own joined by a veth pair, as a control room
 * and a field site joined by a WAN link (see ../shared/TOOLCHAIN.md): `hq`
 * 169.254.99.1, `site` 169.254.99.2, and the site's devices on the
 * loopback of `site` (169.254.100.x), routed from `hq` through the link.
 * `cut()` takes the link down; `remove()` deletes both namespaces.
 */
export class TwoSites {
  private readonly tag = `${process.pid % 10000}${Math.floor(Math.random() * 1000)}`;
  readonly hq = `vigia-hq-${this.tag}`;
  readonly site = `vigia-site-${this.tag}`;
  readonly hqAddress = '169.254.99.1';
  readonly siteAddress = '169.254.99.2';
  readonly devices: string[];
  private readonly siteLink = `vs${this.tag}`;

  constructor(deviceCount: number) {
    this.devices = Array.from({ length: deviceCount }, (_, i) => `169.254.100.${i + 1}`);
    const hqLink = `vh${this.tag}`;
    run(['ip', 'netns', 'add', this.hq]);
    try {
      run(['ip', 'netns', 'add', this.site]);
      run(['ip', 'link', 'add', hqLink, 'type', 'veth', 'peer', 'name', this.siteLink]);
      run(['ip', 'link', 'set', hqLink, 'netns', this.hq]);
      run(['ip', 'link', 'set', this.siteLink, 'netns', this.site]);
      for (const ns of [this.hq, this.site]) run(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
      run(['ip', '-n', this.hq, 'addr', 'add', `${this.hqAddress}/30`, 'dev', hqLink]);
      run(['ip', '-n', this.site, 'addr', 'add', `${this.siteAddress}/30`, 'dev', this.siteLink]);
      run(['ip', '-n', this.hq, 'link', 'set', hqLink, 'up']);
      run(['ip', '-n', this.site, 'link', 'set', this.siteLink, 'up']);
      // On the site's loopback: they answer from `site` and, over the link, from `hq`; from nowhere else.
      for (const address of this.devices) run(['ip', '-n', this.site, 'addr', 'add', `${address}/32`, 'dev', 'lo']);
      run(['ip', '-n', this.hq, 'route', 'add', '169.254.100.0/24', 'via', this.siteAddress]);
    } catch (error) {
      this.remove();
      throw error;
    }
  }

  wrap(ns: string): (command: string[]) => string[] {
    return (command) => ['ip', 'netns', 'exec', ns, ...command];
  }

  cut(): void {
    run(['ip', '-n', this.site, 'link', 'set', this.siteLink, 'down']);
  }

  restore(): void {
    run(['ip', '-n', this.site, 'link', 'set', this.siteLink, 'up']);
  }

  remove(): void {
    for (const ns of [this.hq, this.site]) {
      try {
        run(['ip', 'netns', 'delete', ns]);
      } catch {
        // Already gone.
      }
    }
  }
}
