import type { CallResult } from '../../../src-shared/contract/errors';
import type { WatchState } from '../../../src-shared/domain/alarms';
import type { Clock, Logger } from '../runtime';
import type { Installation } from '../setup/installation';
import type { CoreLaunch, CoreReady, FromCore, ToCore } from './protocol';

/** A running core process as main sees it, whatever started it (utilityProcess, child_process.fork). */
export interface CoreChild {
  post(message: ToCore): void;
  onMessage(listener: (message: FromCore) => void): void;
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}

export type CoreState =
  | { readonly kind: 'starting' }
  | { readonly kind: 'running'; readonly ready: CoreReady }
  /** Core died (or could not open its store); it is started again after `retryInMs`. */
  | {
      readonly kind: 'restarting';
      readonly reason: string;
      readonly at: number;
      readonly retryInMs: number;
      readonly attempt: number;
    }
  | { readonly kind: 'stopped' };

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface SupervisorOptions {
  readonly spawn: () => CoreChild;
  readonly launch: CoreLaunch;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly timers?: Timers;
  /** Waits between restarts, the last repeated: a crash loop must not eat the CPU the operator needs. */
  readonly backoffMs?: readonly number[];
  /** A core that ran this long is healthy again: the next crash restarts it at the first wait. */
  readonly healthyAfterMs?: number;
  /** Calls made while core is down wait this long for it to come back. */
  readonly callWaitMs?: number;
  /** Keeps the wizard's (or Settings') configuration; core is then launched in it. */
  readonly persist: (installation: Installation) => Promise<CoreLaunch>;
}

const DEFAULT_BACKOFF_MS = [1_000, 2_000, 5_000, 10_000, 30_000];
const STOP_WAIT_MS = 15_000;

interface Pending {
  resolve(result: CallResult<unknown>): void;
}

const down = (message: string): CallResult<never> => ({ ok: false, error: { kind: 'internal', message } });

/**
 * Main's side of core: starts the core process, forwards calls to it,
 * and when it dies (a crash, a store that cannot be opened) says so, logs it
 * and starts it again — at growing intervals while it keeps failing. Calls
 * made meanwhile wait for it; calls it was answering when it died are
 * answered with the reason (their effect is unknown, never silently retried).
 */
export class CoreSupervisor {
  private child: CoreChild | null = null;
  private state: CoreState = { kind: 'stopped' };
  private launchOf: CoreLaunch;
  private readonly pending = new Map<number, Pending>();
  private waiting: Array<() => void> = [];
  private readonly windows = new Set<number>();
  private readonly stateListeners = new Set<(state: CoreState) => void>();
  private readonly eventListeners = new Set<(connection: number, name: string, payload: unknown) => void>();
  private readonly watchListeners = new Set<(state: WatchState) => void>();
  private nextId = 1;
  private attempt = 0;
  private startedAt = 0;
  /** Why core last went down, until it runs again: told to whoever calls meanwhile. */
  private lastFailure: string | null = null;
  private retryTimer: unknown = null;
  private stopping: Promise<void> | null = null;
  private readonly timers: Timers;

  constructor(private readonly options: SupervisorOptions) {
    this.launchOf = options.launch;
    this.timers = options.timers ?? {
      setTimeout: (callback, ms) => setTimeout(callback, ms),
      clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
    };
  }

  current(): CoreState {
    return this.state;
  }

  onState(listener: (state: CoreState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  onEvent(listener: (connection: number, name: string, payload: unknown) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onWatch(listener: (state: WatchState) => void): () => void {
    this.watchListeners.add(listener);
    return () => this.watchListeners.delete(listener);
  }

  start(): void {
    if (this.child || this.state.kind === 'starting') return;
    this.stopping = null;
    this.spawn();
  }

  /** Resolves once core runs (again). */
  ready(): Promise<CoreReady> {
    return new Promise((resolve) => {
      const check = (state: CoreState) => {
        if (state.kind !== 'running') return false;
        resolve(state.ready);
        return true;
      };
      if (check(this.state)) return;
      const off = this.onState((state) => {
        if (check(state)) off();
      });
    });
  }

  connect(connection: number): void {
    this.windows.add(connection);
    this.child?.post({ kind: 'connect', connection });
  }

  disconnect(connection: number): void {
    this.windows.delete(connection);
    this.child?.post({ kind: 'disconnect', connection });
  }

  call(connection: number, channel: string, input: unknown): Promise<CallResult<unknown>> {
    return this.request((id) => ({ kind: 'call', id, connection, channel, input }));
  }

  exportBi(folder: string): Promise<CallResult<unknown>> {
    return this.request((id) => ({ kind: 'export-bi', id, folder }));
  }

  mute(muted: boolean): void {
    if (this.state.kind === 'running') this.child?.post({ kind: 'mute', muted });
  }

  /** Stops core for good (the app quits): it is asked to stop cleanly, and killed if it will not. */
  stop(): Promise<void> {
    this.stopping ??= this.stopChild().then(() => this.setState({ kind: 'stopped' }));
    return this.stopping;
  }

  private async request(message: (id: number) => ToCore): Promise<CallResult<unknown>> {
    if (this.state.kind !== 'running' && !(await this.comeBack())) {
      return down(`Vigia's core is not running${this.lastFailure ? `: ${this.lastFailure}` : ''}`);
    }
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, { resolve });
      this.child!.post(message(id));
    });
  }

  private comeBack(): Promise<boolean> {
    if (this.state.kind === 'stopped') return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = this.timers.setTimeout(() => {
        this.waiting = this.waiting.filter((w) => w !== onReady);
        resolve(false);
      }, this.options.callWaitMs ?? 30_000);
      const onReady = () => {
        this.timers.clearTimeout(timer);
        resolve(true);
      };
      this.waiting.push(onReady);
    });
  }

  private spawn(): void {
    this.setState({ kind: 'starting' });
    const child = this.options.spawn();
    this.child = child;
    child.onMessage((message) => this.receive(child, message));
    child.onExit((code) => this.exited(child, code));
    for (const connection of this.windows) child.post({ kind: 'connect', connection });
    child.post({ kind: 'launch', launch: this.launchOf });
  }

  private receive(child: CoreChild, message: FromCore): void {
    if (child !== this.child) return;
    switch (message.kind) {
      case 'ready': {
        const { kind: _kind, ...ready } = message;
        this.startedAt = this.options.clock.now();
        this.lastFailure = null;
        this.setState({ kind: 'running', ready });
        const waiting = this.waiting;
        this.waiting = [];
        waiting.forEach((w) => w());
        return;
      }
      case 'launch-failed':
        this.options.logger.error(`core could not start: ${message.message}`);
        this.failed(message.message);
        child.kill();
        return;
      case 'result':
        this.pending.get(message.id)?.resolve(message.result);
        this.pending.delete(message.id);
        return;
      case 'event':
        this.eventListeners.forEach((l) => l(message.connection, message.name, message.payload));
        return;
      case 'watch':
        this.watchListeners.forEach((l) => l(message.state));
        return;
      case 'persist':
        void this.keep(child, message.id, message.installation);
        return;
      case 'stopped':
        return;
    }
  }

  /** The wizard (or Settings) chose a configuration: main keeps it, answers, and core restarts in it. */
  private async keep(child: CoreChild, id: number, installation: Installation): Promise<void> {
    let launch: CoreLaunch;
    try {
      launch = await this.options.persist(installation);
    } catch (error) {
      child.post({ kind: 'persisted', id, error: error instanceof Error ? error.message : String(error) });
      return;
    }
    child.post({ kind: 'persisted', id, error: null });
    this.options.logger.info(`configured as ${installation.mode}: core restarts in that mode`);
    this.launchOf = launch;
    // Let the answer reach the window before core goes away; an app quitting meanwhile starts nothing.
    this.timers.setTimeout(() => {
      if (this.stopping) return;
      void this.stopChild().then(() => {
        if (!this.stopping) this.spawn();
      });
    }, 300);
  }

  private exited(child: CoreChild, code: number | null): void {
    if (child !== this.child) return;
    this.child = null;
    if (this.stopping || this.state.kind === 'restarting') return;
    const reason = `core stopped unexpectedly (${code === null ? 'killed' : `exit code ${code}`})`;
    this.options.logger.error(reason);
    this.failed(reason);
  }

  private failed(reason: string): void {
    this.lastFailure = reason;
    this.answerPending(`${reason}; it is restarting and this call's effect is unknown`);
    if (this.startedAt && this.options.clock.now() - this.startedAt >= (this.options.healthyAfterMs ?? 60_000)) {
      this.attempt = 0;
    }
    const backoff = this.options.backoffMs ?? DEFAULT_BACKOFF_MS;
    const retryInMs = backoff[Math.min(this.attempt, backoff.length - 1)]!;
    this.attempt++;
    this.startedAt = 0;
    this.setState({ kind: 'restarting', reason, at: this.options.clock.now(), retryInMs, attempt: this.attempt });
    this.retryTimer = this.timers.setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopping && !this.child) this.spawn();
    }, retryInMs);
  }

  private answerPending(message: string): void {
    for (const pending of this.pending.values()) pending.resolve(down(message));
    this.pending.clear();
  }

  private async stopChild(): Promise<void> {
    if (this.retryTimer) this.timers.clearTimeout(this.retryTimer);
    const child = this.child;
    if (!child) return;
    await new Promise<void>((resolve) => {
      const timer = this.timers.setTimeout(() => child.kill(), STOP_WAIT_MS);
      child.onExit(() => {
        this.timers.clearTimeout(timer);
        resolve();
      });
      // Marked before it exits, so its exit is not taken for a crash.
      this.state = { kind: 'starting' };
      this.child = null;
      child.post({ kind: 'stop' });
    });
    this.answerPending('core was stopped');
  }

  private setState(state: CoreState): void {
    this.state = state;
    this.stateListeners.forEach((l) => l(state));
  }
}
