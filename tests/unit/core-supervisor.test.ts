import { describe, expect, it } from 'vitest';
import type { FromCore, ToCore } from '../../src-main/core/host/protocol';
import { CoreSupervisor } from '../../src-main/core/host/supervisor';
import type { CoreChild, CoreState, Timers } from '../../src-main/core/host/supervisor';
import type { Logger } from '../../src-main/core/runtime';
import { ManualClock } from '../helpers/clock';

/** A core that does what the test says: answers, dies, stops. */
class ScriptedChild implements CoreChild {
  readonly received: ToCore[] = [];
  private listener: (message: FromCore) => void = () => undefined;
  private readonly exits: Array<(code: number | null) => void> = [];
  post(message: ToCore): void {
    this.received.push(message);
    if (message.kind === 'stop') this.die(0);
  }
  onMessage(listener: (message: FromCore) => void): void {
    this.listener = listener;
  }
  onExit(listener: (code: number | null) => void): void {
    this.exits.push(listener);
  }
  kill(): void {
    this.die(null);
  }
  say(message: FromCore): void {
    this.listener(message);
  }
  ready(): void {
    this.say({ kind: 'ready', monitoring: true, exportsFolder: null, statusUrl: null, setup: false });
  }
  die(code: number | null): void {
    this.exits.splice(0).forEach((exit) => exit(code));
  }
}

/** Timers the test fires by hand, in order of their due time on the manual clock. */
class ManualTimers implements Timers {
  private queue: Array<{ at: number; run: () => void; id: number }> = [];
  private next = 1;
  constructor(private readonly clock: ManualClock) {}
  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.next++;
    this.queue.push({ at: this.clock.now() + ms, run: callback, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.queue = this.queue.filter((t) => t.id !== handle);
  }
  advance(ms: number): void {
    this.clock.advance(ms);
    const due = this.queue.filter((t) => t.at <= this.clock.now()).sort((a, b) => a.at - b.at);
    this.queue = this.queue.filter((t) => t.at > this.clock.now());
    due.forEach((t) => t.run());
  }
}

const silent: Logger = { error: () => undefined, warn: () => undefined, info: () => undefined };

function supervised() {
  const clock = new ManualClock();
  const timers = new ManualTimers(clock);
  const children: ScriptedChild[] = [];
  const supervisor = new CoreSupervisor({
    spawn: () => {
      const child = new ScriptedChild();
      children.push(child);
      return child;
    },
    launch: { kind: 'setup' },
    logger: silent,
    clock,
    timers,
    backoffMs: [1_000, 5_000, 30_000],
    healthyAfterMs: 60_000,
    persist: () => Promise.reject(new Error('unused')),
  });
  const states: CoreState[] = [];
  supervisor.onState((state) => states.push(state));
  const waits = () => states.flatMap((s) => (s.kind === 'restarting' ? [s.retryInMs] : []));
  return { supervisor, children, timers, waits, latest: () => children.at(-1)! };
}

describe("main's supervisor of core", () => {
  it('waits longer after each crash in a row, and starts over once core has stayed up a while', () => {
    const { supervisor, children, timers, waits, latest } = supervised();
    supervisor.start();
    for (let i = 0; i < 4; i++) {
      latest().ready();
      latest().kill();
      timers.advance(30_000);
    }
    expect(waits()).toEqual([1_000, 5_000, 30_000, 30_000]);
    expect(children).toHaveLength(5);
    // Up for more than a minute: the next crash is treated as the first.
    latest().ready();
    timers.advance(61_000);
    latest().kill();
    expect(waits().at(-1)).toBe(1_000);
  });

  it('starts nothing more once the app quits, even while a restart was pending', async () => {
    const { supervisor, children, timers, latest } = supervised();
    supervisor.start();
    latest().ready();
    latest().kill();
    await supervisor.stop();
    timers.advance(60_000);
    expect(children).toHaveLength(1);
    expect(supervisor.current().kind).toBe('stopped');
  });

  it('tells each window of a new core it exists, before launching it', () => {
    const { supervisor, timers, latest } = supervised();
    supervisor.connect(3);
    supervisor.start();
    latest().ready();
    supervisor.connect(4);
    expect(latest().received.map((m) => m.kind)).toEqual(['connect', 'launch', 'connect']);
    latest().kill();
    timers.advance(1_000);
    // The core started after the crash knows both windows before it runs anything.
    expect(latest().received).toEqual([
      { kind: 'connect', connection: 3 },
      { kind: 'connect', connection: 4 },
      { kind: 'launch', launch: { kind: 'setup' } },
    ]);
  });
});
