import { lookup } from 'node:dns/promises';
import { createRequire } from 'node:module';
import { isIP } from 'node:net';
import { Worker } from 'node:worker_threads';
import type { ProberProblem } from '../../../../src-shared/domain/monitoring';
import { ProberUnavailableError } from './prober';
import type { ProbeResult, Prober } from './prober';
import { SystemPingProber } from './system-ping';
import {
  answered,
  ECHO_REPLY_SIZE,
  ERROR_IO_PENDING,
  ipAddrOf,
  readEchoReply,
  REPLY_BUFFER_SIZE,
  REQUEST_DATA_SIZE,
} from './windows-icmp-layout';
import { WINDOWS_ICMP_WORKER } from './windows-icmp-worker';

/** The API documents ERROR_NOT_ENOUGH_MEMORY past some number of outstanding requests: stay well under it. */
const IN_FLIGHT = 1_000;

type WorkerMessage =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'result'; id: number; reply: number[] | null; error: string | null };

interface Waiting {
  readonly address: string;
  readonly resolve: (result: ProbeResult) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The Windows prober of choice on the operators' workstations:
 * IcmpSendEcho2 from iphlpapi.dll, asynchronous, without administrator
 * rights, a thousand requests in flight from one worker thread (see
 * windows-icmp-worker.ts). IPv6 devices go to the system ping.
 */
export class WindowsIcmpProber implements Prober {
  readonly name = 'icmp-windows';
  private worker: Promise<Worker> | null = null;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;
  private readonly ipv6 = new SystemPingProber();

  capacity(): number {
    return IN_FLIGHT * 10;
  }

  async check(): Promise<ProberProblem | null> {
    if (process.platform !== 'win32') return 'icmp_unsupported';
    try {
      await this.started();
      return null;
    } catch {
      this.worker = null;
      return 'icmp_unsupported';
    }
  }

  async probe(host: string, timeoutMs: number, signal?: AbortSignal): Promise<ProbeResult> {
    signal?.throwIfAborted();
    let address = host;
    if (isIP(host) === 0) {
      try {
        address = (await lookup(host)).address;
      } catch {
        return { alive: false, rttMs: null };
      }
    }
    if (isIP(address) === 6) return this.ipv6.probe(address, timeoutMs, signal);
    const worker = await this.started();
    const id = this.nextId++;
    return new Promise<ProbeResult>((resolve, reject) => {
      this.waiting.set(id, { address, resolve, reject });
      // The request completes in the system whatever happens here: an abort only stops waiting for it.
      signal?.addEventListener(
        'abort',
        () => {
          if (this.waiting.delete(id)) reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
        },
        { once: true },
      );
      // Referenced only while answers are awaited, so an idle prober never keeps a process alive.
      worker.ref();
      worker.postMessage({ type: 'probe', id, destination: ipAddrOf(address), timeoutMs: Math.round(timeoutMs) });
    });
  }

  close(): void {
    const worker = this.worker;
    this.worker = null;
    // The worker closes its handle once every request still out has completed, then exits.
    void worker?.then((w) => w.postMessage({ type: 'close' })).catch(() => undefined);
  }

  private started(): Promise<Worker> {
    this.worker ??= new Promise<Worker>((resolve, reject) => {
      const worker = new Worker(WINDOWS_ICMP_WORKER, {
        eval: true,
        workerData: {
          koffiPath: createRequire(import.meta.url).resolve('koffi'),
          ECHO_REPLY_SIZE,
          REPLY_BUFFER_SIZE,
          REQUEST_DATA_SIZE,
          ERROR_IO_PENDING,
          IN_FLIGHT,
        },
      });
      worker.unref();
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'ready') resolve(worker);
        else if (message.type === 'failed') reject(new ProberUnavailableError('icmp_unsupported', message.message));
        else this.settle(message);
      });
      worker.once('error', (error) => {
        reject(error);
        this.failAll(error);
      });
      worker.once('exit', () => this.failAll(new ProberUnavailableError('prober_failed', 'the ICMP worker stopped')));
    });
    return this.worker;
  }

  private settle(message: Extract<WorkerMessage, { type: 'result' }>): void {
    const waiting = this.waiting.get(message.id);
    if (!waiting) return;
    this.waiting.delete(message.id);
    if (this.waiting.size === 0) void this.worker?.then((w) => w.unref());
    if (!message.reply) return waiting.resolve({ alive: false, rttMs: null });
    const reply = readEchoReply(Uint8Array.from(message.reply));
    waiting.resolve(
      answered(reply, waiting.address) ? { alive: true, rttMs: reply.roundTripMs } : { alive: false, rttMs: null },
    );
  }

  private failAll(error: unknown): void {
    this.worker = null;
    for (const waiting of this.waiting.values()) waiting.reject(error);
    this.waiting.clear();
  }
}
