import { describe, expect, it } from 'vitest';
import { breakContinuity, freshTracking, observe } from '../../src-main/core/monitor/device-tracker';
import type { TrackedDevice, TrackerRules } from '../../src-main/core/monitor/device-tracker';

const rules = (over: Partial<TrackerRules> = {}): TrackerRules => ({
  downAfter: 1,
  upAfter: 1,
  gapCapMs: 300_000,
  ...over,
});

/** Feeds probes 5 s apart ('+' answered, '-' did not) and returns every step. */
function feed(start: TrackedDevice, pattern: string, r: TrackerRules, from = 0) {
  let device = start;
  return [...pattern].map((symbol, i) => {
    const step = observe(device, { at: from + i * 5000, alive: symbol === '+' }, r);
    device = step.next;
    return step;
  });
}

describe('device tracker', () => {
  it('with downAfter 1, the first failed probe changes the status and starts the downtime', () => {
    const steps = feed(freshTracking('ONLINE'), '++-', rules());
    expect(steps[0]!.insert).toEqual({ state: 'online', startAt: 0, endAt: 0 });
    expect(steps[1]!.extendTo).toBe(5000);
    expect(steps[2]).toMatchObject({
      change: { from: 'ONLINE', to: 'OFFLINE', at: 10_000 },
      extendTo: 10_000,
      insert: { state: 'offline', startAt: 10_000, endAt: 10_000 },
    });
  });

  it('with downAfter 3, downtime starts at the first failed probe of the confirming run', () => {
    const steps = feed(freshTracking('ONLINE'), '+---', rules({ downAfter: 3 }));
    expect(steps[1]!.change).toBeUndefined();
    expect(steps[2]!.change).toBeUndefined();
    expect(steps[3]).toMatchObject({
      change: { from: 'ONLINE', to: 'OFFLINE', at: 5000 },
      extendTo: 5000,
      insert: { state: 'offline', startAt: 5000, endAt: 15_000 },
    });
  });

  it('a run broken before it confirms counts as the state the device was in', () => {
    const steps = feed(freshTracking('ONLINE'), '+--+', rules({ downAfter: 3 }));
    expect(steps.some((s) => s.change)).toBe(false);
    expect(steps[3]!.extendTo).toBe(15_000);
  });

  it('with upAfter 2, uptime starts at the first successful probe of the confirming run', () => {
    const steps = feed(freshTracking('OFFLINE'), '-++', rules({ upAfter: 2 }));
    expect(steps[1]!.change).toBeUndefined();
    expect(steps[2]).toMatchObject({
      change: { from: 'OFFLINE', to: 'ONLINE', at: 5000 },
      insert: { state: 'online', startAt: 5000, endAt: 10_000 },
    });
  });

  it('after a start nothing is extended: the time before the first probe is not claimed', () => {
    const [first] = feed(freshTracking('ONLINE'), '+', rules(), 1_000_000);
    expect(first).toEqual({
      next: { status: 'ONLINE', open: { state: 'online', startAt: 1_000_000, endAt: 1_000_000 }, run: null },
      insert: { state: 'online', startAt: 1_000_000, endAt: 1_000_000 },
    });
  });

  it('a gap longer than the cap starts a new segment instead of bridging it', () => {
    const r = rules({ gapCapMs: 60_000 });
    const device: TrackedDevice = { status: 'ONLINE', open: { state: 'online', startAt: -5000, endAt: 0 }, run: null };
    expect(observe(device, { at: 60_000, alive: true }, r).extendTo).toBe(60_000);
    const late = observe(device, { at: 60_001, alive: true }, r);
    expect(late.extendTo).toBeUndefined();
    expect(late.insert).toEqual({ state: 'online', startAt: 60_001, endAt: 60_001 });
  });

  it('a change after a long gap does not stretch the old state over the gap', () => {
    const device: TrackedDevice = { status: 'ONLINE', open: { state: 'online', startAt: -5000, endAt: 0 }, run: null };
    const step = observe(device, { at: 600_000, alive: false }, rules());
    expect(step.extendTo).toBeUndefined();
    expect(step.change).toEqual({ from: 'ONLINE', to: 'OFFLINE', at: 600_000 });
  });

  it('a new device stays PENDING until a run of the same answers confirms its first state', () => {
    const steps = feed(freshTracking('PENDING'), '+-+++', rules({ upAfter: 3, downAfter: 3 }));
    expect(steps.slice(0, 4).every((s) => !s.change && !s.insert && s.extendTo === undefined)).toBe(true);
    expect(steps[4]).toMatchObject({
      change: { from: 'PENDING', to: 'ONLINE', at: 10_000 },
      insert: { state: 'online', startAt: 10_000, endAt: 20_000 },
    });
    expect(steps[4]!.extendTo).toBeUndefined();
  });

  it('with downAfter 1, a new device that never answers is OFFLINE from its first probe', () => {
    const [first] = feed(freshTracking('PENDING'), '-', rules());
    expect(first).toMatchObject({
      change: { from: 'PENDING', to: 'OFFLINE', at: 0 },
      insert: { state: 'offline', startAt: 0 },
    });
  });

  it('forgets the open segment when a probe could not run, so the time after it is not claimed', () => {
    const [, second] = feed(freshTracking('ONLINE'), '++', rules());
    const broken = breakContinuity(second!.next);
    const step = observe(broken, { at: 20_000, alive: true }, rules());
    expect(step.extendTo).toBeUndefined();
    expect(step.insert).toEqual({ state: 'online', startAt: 20_000, endAt: 20_000 });
  });
});
