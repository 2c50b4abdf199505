import { describe, expect, it } from 'vitest';
import {
  accountPeriods,
  accountWindow,
  emptyTotals,
  resolveTimeline,
  totalsInSeconds,
  uptimeFigures,
} from '../../src-shared/domain/uptime';
import type { Segment } from '../../src-shared/domain/uptime';

const H = 3_600_000;
const seg = (state: Segment['state'], from: number, to: number, source = 'central'): Segment => ({
  state,
  source,
  startAt: from * H,
  endAt: to * H,
});

describe('uptime by segments', () => {
  it('reproduces the worked example of DESIGN.md from segments alone', () => {
    // online 10 h, offline 1 h, maintenance 2 h, unobserved 3 h, online 8 h.
    const segments = [
      seg('online', 0, 10),
      seg('offline', 10, 11),
      seg('maintenance', 11, 13, 'workflow'),
      seg('online', 16, 24),
    ];
    const totals = accountWindow(segments, 0, 24 * H);
    expect(totals).toEqual({ online: 18 * H, offline: 1 * H, maintenance: 2 * H, shutdown: 0, nodata: 3 * H });
    expect(uptimeFigures(totals)).toEqual({
      uptimePercent: 94.74,
      targetPercent: 95,
      targetMet: false,
      missingPoints: 0.26,
    });
  });

  it('clips segments to the window and counts the rest as nodata', () => {
    const totals = accountWindow([seg('online', -5, 2), seg('offline', 3, 30)], 0, 4 * H);
    expect(totals).toEqual({ online: 2 * H, offline: 1 * H, maintenance: 0, shutdown: 0, nodata: 1 * H });
  });

  it('lets an agent’s observations replace the central’s fallback for the same span', () => {
    // The WAN link was cut from 2 h to 5 h: the central saw everything down, the agent saw it up.
    const segments = [
      seg('online', 0, 2),
      seg('offline', 2, 5),
      seg('online', 5, 8),
      seg('online', 1.5, 5.5, 'agent:ITA'),
    ];
    expect(accountWindow(segments, 0, 8 * H)).toMatchObject({ online: 8 * H, offline: 0, nodata: 0 });
    const timeline = resolveTimeline(segments, 0, 8 * H);
    expect(timeline.map((s) => [s.state, s.source, s.startAt / H, s.endAt / H])).toEqual([
      ['online', 'central', 0, 1.5],
      ['online', 'agent:ITA', 1.5, 5.5],
      ['online', 'central', 5.5, 8],
    ]);
  });

  it('keeps central fallback data where the agent has none', () => {
    const segments = [seg('offline', 0, 4), seg('online', 1, 2, 'agent:SNT')];
    expect(accountWindow(segments, 0, 4 * H)).toMatchObject({ online: 1 * H, offline: 3 * H });
  });

  it('puts workflow states above any probe', () => {
    const segments = [seg('offline', 0, 4), seg('maintenance', 1, 3, 'workflow')];
    expect(accountWindow(segments, 0, 4 * H)).toMatchObject({ offline: 2 * H, maintenance: 2 * H });
  });

  it('reports no uptime at all when nothing was observed', () => {
    expect(uptimeFigures(accountWindow([seg('maintenance', 0, 1, 'workflow')], 0, H))).toEqual({
      uptimePercent: null,
      targetPercent: 95,
      targetMet: null,
      missingPoints: null,
    });
  });

  it('meets the target exactly at 95 %', () => {
    const totals = accountWindow([seg('online', 0, 19), seg('offline', 19, 20)], 0, 20 * H);
    expect(uptimeFigures(totals)).toMatchObject({ uptimePercent: 95, targetMet: true, missingPoints: 0 });
  });

  it('judges the target on the exact ratio: 94.996 % prints 95.00 but misses 95 % by at least 0.01 points', () => {
    const totals = { ...emptyTotals(), online: 94_996, offline: 5004 };
    expect(uptimeFigures(totals, 95)).toEqual({
      uptimePercent: 95,
      targetPercent: 95,
      targetMet: false,
      missingPoints: 0.01,
    });
    expect(uptimeFigures({ ...emptyTotals(), online: 95, offline: 5 }, 95)).toMatchObject({
      targetMet: true,
      missingPoints: 0,
    });
  });

  it('rounds the boundaries between states once, so a day’s seconds always add up to the day', () => {
    const day = { online: 82_076_000, offline: 4_323_500, maintenance: 0, shutdown: 0, nodata: 3_600_500 };
    const seconds = totalsInSeconds(day);
    expect(Object.values(seconds).reduce((a, b) => a + b, 0)).toBe(90_000);
    // Rounding each state alone would have made 90,001.
    expect(Object.values(day).reduce((a, b) => a + Math.round(b / 1000), 0)).toBe(90_001);
  });

  it('accounts many periods from one resolved timeline exactly as window by window', () => {
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const states = ['online', 'offline', 'maintenance', 'shutdown'] as const;
    const segments: Segment[] = [];
    for (let t = 0; t < 72 * H;) {
      const length = Math.floor(random() * 5 * H);
      if (random() < 0.8)
        segments.push({
          state: states[Math.floor(random() * 4)]!,
          source: random() < 0.2 ? 'workflow' : 'central',
          startAt: t,
          endAt: t + length,
        });
      t += length + Math.floor(random() * H);
    }
    const days = [0, 1, 2].map((d) => ({ start: d * 24 * H, end: (d + 1) * 24 * H }));
    const created = 5 * H + 123;
    const pieces = resolveTimeline(segments, created, 72 * H);
    const byPeriod = accountPeriods(pieces, days, created);
    expect(byPeriod).toEqual(days.map((d) => accountWindow(segments, Math.max(d.start, created), d.end)));
    expect(accountPeriods(pieces, [{ start: 0, end: 2 * H }], created)).toEqual([emptyTotals()]);
  });
});
