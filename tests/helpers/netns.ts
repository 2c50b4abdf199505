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
