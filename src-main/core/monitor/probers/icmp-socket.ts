import { randomBytes } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { ProberProblem } from '../../../../src-shared/domain/monitoring';
import { ipBytes } from './ip-bytes';
import * as sock from './libc-socket';
import type { LibcSocket } from './libc-socket';
import { ProberUnavailableError } from './prober';
import type { ProbeResult, Prober } from './prober';

/** Sends between two reads of the socket: a burst of replies never outgrows the receive buffer (TOOLCHAIN.md). */
const SENDS_PER_TURN = 128;
/** Far from the 65,536 sequence numbers, so a number is never reused while its echo may still come back. */
const IN_FLIGHT = 20_000;
const RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;
/** How often timed-out probes are settled: one timer for all of them, not one per probe. */
const EXPIRY_TICK_MS = 20;
const HEADER = 8;
/** 4 random bytes of the socket, then a 32-bit count of sends: a late echo can never pass for a newer probe. */
const TOKEN = 8;

interface Pending {
  readonly host: string;
  readonly address: Buffer;
  readonly timeoutMs: number;
  readonly resolve: (result: ProbeResult) => void;
  readonly reject: (error: unknown) => void;
  sequence: number;
  send: number;
  sentAt: number;
  deadline: number;
  settled: boolean;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/** Why the kernel refuses an unprivileged ICMP socket, with the setting to change, for the log and the screens. */
export function icmpPermissionHint(): string {
  let range = 'unknown';
  try {
    range = readFileSync('/proc/sys/net/ipv4/ping_group_range', 'utf8').trim().replace(/\s+/g, ' ');
  } catch {
    // Not Linux, or /proc hidden: the advice stands.
  }
  const gid = typeof process.getgid === 'function' ? process.getgid() : 'unknown';
  return (
    `ICMP datagram sockets need this process's group (${gid}) inside net.ipv4.ping_group_range (now "${range}"): ` +
    `run sysctl -w net.ipv4.ping_group_range="0 2147483647" and add that line to /etc/sysctl.d/99-vigia.conf`
  );
}

/**
 * One ICMP datagram socket of one family: echo requests sent paced, replies
 * read as soon as the socket is readable and matched by sequence, the token
 * of this socket, and the address they came from (the kernel owns the
 * identifier, so it cannot tell two senders apart for us).
 */
class EchoSocket {
  private readonly pending = new Map<number, Pending>();
  /** Probes waiting to be sent, from `head` on: taking from the front must not move ten thousand entries. */
  private queue: Pending[] = [];
  private head = 0;
  private readonly token = randomBytes(4);
  private sends = 0;
  private readonly packet = Buffer.alloc(HEADER + TOKEN);
  private readonly reply = Buffer.alloc(2048);
  private readonly from = Buffer.alloc(28);
  private readonly fromLength = Buffer.alloc(4);
  private readonly target: Buffer;
  private readonly watcher: { close(): void };
  private nextSequence = Math.floor(Math.random() * 65_536);
  private pumping = false;
  /** Probes sent, by timeout: each list is in deadline order, so expiry only looks at its head. */
  private readonly expiries = new Map<number, Pending[]>();
  private expiryTimer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly libc: LibcSocket,
    private readonly fd: number,
    private readonly v6: boolean,
  ) {
    this.target = Buffer.alloc(v6 ? 28 : 16);
    this.target.writeUInt16LE(v6 ? sock.AF_INET6 : sock.AF_INET, 0);
    this.packet[0] = v6 ? 128 : 8;
    this.token.copy(this.packet, HEADER);
    const size = Buffer.alloc(4);
    size.writeInt32LE(RECEIVE_BUFFER_BYTES);
    // FORCE passes rmem_max when the process may (root, CAP_NET_ADMIN); otherwise the capped size still helps.
    if (libc.setsockopt(fd, sock.SOL_SOCKET, sock.SO_RCVBUFFORCE, size, 4) !== 0) {
      libc.setsockopt(fd, sock.SOL_SOCKET, sock.SO_RCVBUF, size, 4);
    }
    this.watcher = libc.watch(fd, () => this.drain());
  }

  send(probe: Pending): void {
    this.queue.push(probe);
    if (!this.pumping) {
      this.pumping = true;
      setImmediate(() => this.pump());
    }
  }

  close(): void {
    this.watcher.close();
    this.libc.close(this.fd);
    const closed = new ProberUnavailableError('prober_failed', 'the ICMP socket was closed');
    for (const probe of [...this.queue.slice(this.head), ...this.pending.values()]) this.settle(probe, null, closed);
    this.queue = [];
    this.head = 0;
    this.expiries.clear();
    clearInterval(this.expiryTimer);
    this.expiryTimer = undefined;
  }

  private pump(): void {
    for (let sent = 0; sent < SENDS_PER_TURN && this.head < this.queue.length; sent++) {
      const probe = this.queue[this.head++]!;
      if (probe.settled) continue;
      // The send buffer is full: the rest waits for the next turn, after the replies were read.
      if (!this.transmit(probe)) break;
    }
    this.drain();
    if (this.head < this.queue.length) {
      setImmediate(() => this.pump());
    } else {
      this.queue = [];
      this.head = 0;
      this.pumping = false;
    }
  }

  /** Sends one echo request; false when the socket's send buffer is full and the probe went back to the queue. */
  private transmit(probe: Pending): boolean {
    while (this.pending.has(this.nextSequence)) this.nextSequence = (this.nextSequence + 1) & 0xffff;
    probe.sequence = this.nextSequence;
    this.nextSequence = (this.nextSequence + 1) & 0xffff;
    this.packet.writeUInt16BE(probe.sequence, 6);
    probe.send = this.sends = (this.sends + 1) >>> 0;
    this.packet.writeUInt32BE(probe.send, HEADER + 4);
    probe.address.copy(this.target, this.v6 ? 8 : 4);
    this.pending.set(probe.sequence, probe);
    probe.sentAt = performance.now();
    const sent = this.libc.sendto(this.fd, this.packet, this.packet.length, 0, this.target, this.target.length);
    if (sent >= 0) {
      this.expireLater(probe);
      return true;
    }
    const errno = this.libc.errno();
    if (errno === sock.ERRNO.EAGAIN || errno === sock.ERRNO.ENOBUFS) {
      // The send buffer is full: try again on the next turn, after the replies were read.
      this.pending.delete(probe.sequence);
      this.queue[--this.head] = probe;
      return false;
    }
    // No route, or a firewall refusing to send: the host cannot be reached from here, which is an answer.
    this.settle(probe, { alive: false, rttMs: null });
    return true;
  }

  private drain(): void {
    for (;;) {
      this.fromLength.writeUInt32LE(this.from.length);
      const length = this.libc.recvfrom(this.fd, this.reply, this.reply.length, 0, this.from, this.fromLength);
      if (length < 0) return;
      if (length < HEADER + TOKEN || this.reply[0] !== (this.v6 ? 129 : 0)) continue;
      const probe = this.pending.get(this.reply.readUInt16BE(6));
      if (!probe || !this.reply.subarray(HEADER, HEADER + 4).equals(this.token)) continue;
      if (this.reply.readUInt32BE(HEADER + 4) !== probe.send) continue;
      const source = this.v6 ? this.from.subarray(8, 24) : this.from.subarray(4, 8);
      if (!source.equals(probe.address)) continue;
      this.settle(probe, { alive: true, rttMs: Math.round((performance.now() - probe.sentAt) * 1000) / 1000 });
    }
  }

  private expireLater(probe: Pending): void {
    probe.deadline = probe.sentAt + probe.timeoutMs;
    const queue = this.expiries.get(probe.timeoutMs) ?? [];
    queue.push(probe);
    this.expiries.set(probe.timeoutMs, queue);
    // Referenced while probes wait: a process whose only work is a sweep must not exit under it.
    this.expiryTimer ??= setInterval(() => this.expire(), EXPIRY_TICK_MS);
  }

  private expire(): void {
    const now = performance.now();
    for (const [timeoutMs, queue] of this.expiries) {
      let done = 0;
      while (done < queue.length && (queue[done]!.settled || queue[done]!.deadline <= now)) {
        const probe = queue[done++]!;
        if (!probe.settled) this.settle(probe, { alive: false, rttMs: null });
      }
      if (done > 0) queue.splice(0, done);
      if (queue.length === 0) this.expiries.delete(timeoutMs);
    }
    if (this.expiries.size === 0) {
      clearInterval(this.expiryTimer);
      this.expiryTimer = undefined;
    }
  }

  private settle(probe: Pending, result: ProbeResult | null, error?: unknown): void {
    if (probe.settled) return;
    probe.settled = true;
    if (this.pending.get(probe.sequence) === probe) this.pending.delete(probe.sequence);
    if (probe.onAbort) probe.signal?.removeEventListener('abort', probe.onAbort);
    if (result) probe.resolve(result);
    else probe.reject(error);
  }

  abort(probe: Pending, reason: unknown): void {
    // A probe still queued is skipped when its turn comes: it is settled.
    this.settle(probe, null, reason);
  }
}

/**
 * The Linux prober of choice: unprivileged ICMP datagram sockets
 * (`socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP)`), one per address family,
 * thousands of echo requests in flight. 10,000 loopback hosts take about
 * 0.2 s of CPU (TOOLCHAIN.md), against seconds for a process per probe.
 */
export class IcmpSocketProber implements Prober {
  readonly name = 'icmp-socket';
  private sockets: { v4: EchoSocket | null; v6: EchoSocket | null | Error } = { v4: null, v6: null };
  private closed = false;
  private readonly addressBytes = new Map<string, Buffer>();

  capacity(): number {
    return IN_FLIGHT;
  }

  check(): Promise<ProberProblem | null> {
    if (this.sockets.v4) return Promise.resolve(null);
    try {
      this.sockets.v4 = this.open(false);
      return Promise.resolve(null);
    } catch (error) {
      return Promise.resolve(error instanceof ProberUnavailableError ? error.problem : 'prober_failed');
    }
  }

  async probe(host: string, timeoutMs: number, signal?: AbortSignal): Promise<ProbeResult> {
    signal?.throwIfAborted();
    let address = host;
    if (isIP(host) === 0) {
      try {
        address = (await lookup(host)).address;
      } catch {
        // A name that does not resolve is a device that cannot be reached, as ping says "unknown host".
        return { alive: false, rttMs: null };
      }
    }
    const v6 = isIP(address) === 6;
    const socket = this.socketFor(v6);
    return new Promise<ProbeResult>((resolve, reject) => {
      const probe: Pending = {
        host,
        address: this.bytesOf(address),
        timeoutMs,
        resolve,
        reject,
        sequence: -1,
        send: 0,
        sentAt: 0,
        deadline: 0,
        settled: false,
        signal,
        onAbort: undefined,
      };
      if (signal) {
        probe.onAbort = () => socket.abort(probe, signal.reason);
        signal.addEventListener('abort', probe.onAbort, { once: true });
      }
      socket.send(probe);
    });
  }

  /** Device addresses change rarely: their bytes are parsed once, not every sweep. */
  private bytesOf(address: string): Buffer {
    let bytes = this.addressBytes.get(address);
    if (!bytes) {
      if (this.addressBytes.size >= 100_000) this.addressBytes.clear();
      bytes = ipBytes(address);
      this.addressBytes.set(address, bytes);
    }
    return bytes;
  }

  close(): void {
    this.closed = true;
    this.sockets.v4?.close();
    if (this.sockets.v6 instanceof EchoSocket) this.sockets.v6.close();
    this.sockets = { v4: null, v6: null };
  }

  private socketFor(v6: boolean): EchoSocket {
    if (this.closed) throw new ProberUnavailableError('prober_failed', 'the ICMP prober was closed');
    if (!v6) return (this.sockets.v4 ??= this.open(false));
    if (this.sockets.v6 === null) {
      try {
        this.sockets.v6 = this.open(true);
      } catch (error) {
        this.sockets.v6 = error instanceof Error ? error : new Error(String(error));
      }
    }
    if (this.sockets.v6 instanceof Error) throw this.sockets.v6;
    return this.sockets.v6;
  }

  private open(v6: boolean): EchoSocket {
    const libc = sock.libcSocket();
    if (libc instanceof Error) throw new ProberUnavailableError('icmp_unsupported', libc.message);
    const fd = libc.socket(
      v6 ? sock.AF_INET6 : sock.AF_INET,
      sock.SOCK_DGRAM | sock.SOCK_NONBLOCK | sock.SOCK_CLOEXEC,
      v6 ? sock.IPPROTO_ICMPV6 : sock.IPPROTO_ICMP,
    );
    if (fd >= 0) return new EchoSocket(libc, fd, v6);
    const errno = libc.errno();
    if (errno === sock.ERRNO.EACCES || errno === sock.ERRNO.EPERM) {
      throw new ProberUnavailableError('icmp_not_permitted', icmpPermissionHint());
    }
    throw new ProberUnavailableError(
      'icmp_unsupported',
      `socket() for ICMP${v6 ? 'v6' : ''} failed with errno ${errno}`,
    );
  }
}
