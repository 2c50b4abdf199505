/**
 * Uptime accounting by state segments (DESIGN.md §3). A device's timeline is
 * a set of segments [startAt, endAt) in one state, each from one source. Time
 * that no segment covers is `nodata`: nobody observed the device then.
 */

export const SEGMENT_STATES = ['online', 'offline', 'maintenance', 'shutdown'] as const;
export type SegmentState = (typeof SEGMENT_STATES)[number];
export type AccountedState = SegmentState | 'nodata';

/** Workflow states come from people; probe states from the central or an area's agent. */
export const CENTRAL_SOURCE = 'central';
export const WORKFLOW_SOURCE = 'workflow';
export function agentSource(areaCode: string): string {
  return `agent:${areaCode}`;
}

export interface Segment {
  readonly state: SegmentState;
  readonly source: string;
  readonly startAt: number;
  readonly endAt: number;
}

/** Milliseconds per state within a window. */
export type StateTotals = Record<AccountedState, number>;

export const DEFAULT_TARGET_PERCENT = 95;

/**
 * Where sources overlap, the higher one wins: a workflow state over any probe,
 * an agent's observations over the central's fallback pings for the same span
 * (a cut WAN link makes the central see every device of the area as down).
 */
export function sourcePriority(source: string): number {
  if (source === WORKFLOW_SOURCE) return 3;
  if (source.startsWith('agent:')) return 2;
  return 1;
}

export function emptyTotals(): StateTotals {
  return { online: 0, offline: 0, maintenance: 0, shutdown: 0, nodata: 0 };
}

export function addTotals(into: StateTotals, more: StateTotals): StateTotals {
  for (const key of Object.keys(into) as AccountedState[]) into[key] += more[key];
  return into;
}

type Interval = [number, number];

/** Parts of [start, end) not covered by `covered` (sorted, disjoint). */
function uncovered(start: number, end: number, covered: readonly Interval[]): Interval[] {
  const pieces: Interval[] = [];
  let cursor = start;
  for (const [a, b] of covered) {
    if (b <= cursor) continue;
    if (a >= end) break;
    if (a > cursor) pieces.push([cursor, Math.min(a, end)]);
    cursor = Math.max(cursor, b);
    if (cursor >= end) break;
  }
  if (cursor < end) pieces.push([cursor, end]);
  return pieces;
}

function insertCovered(covered: Interval[], piece: Interval): void {
  covered.push(piece);
  covered.sort((x, y) => x[0] - y[0]);
  // Merge touching intervals so `uncovered` stays linear.
  for (let i = covered.length - 1; i > 0; i--) {
    const prev = covered[i - 1]!;
    const cur = covered[i]!;
    if (cur[0] <= prev[1]) {
      prev[1] = Math.max(prev[1], cur[1]);
      covered.splice(i, 1);
    }
  }
}

/**
 * Resolves overlapping segments by source priority and returns the resulting
 * non-overlapping timeline within [windowStart, windowEnd), sorted by time.
 * Gaps are left out: they are nodata.
 */
export function resolveTimeline(segments: readonly Segment[], windowStart: number, windowEnd: number): Segment[] {
  const ordered = segments
    .filter((s) => s.endAt > windowStart && s.startAt < windowEnd && s.endAt > s.startAt)
    .slice()
    .sort((a, b) => sourcePriority(b.source) - sourcePriority(a.source) || a.startAt - b.startAt);
  const covered: Interval[] = [];
  const result: Segment[] = [];
  for (const segment of ordered) {
    const start = Math.max(segment.startAt, windowStart);
    const end = Math.min(segment.endAt, windowEnd);
    for (const [a, b] of uncovered(start, end, covered)) {
      result.push({ ...segment, startAt: a, endAt: b });
      insertCovered(covered, [a, b]);
    }
  }
  return result.sort((a, b) => a.startAt - b.startAt);
}

/** Milliseconds per state of one device within [windowStart, windowEnd). */
export function accountWindow(segments: readonly Segment[], windowStart: number, windowEnd: number): StateTotals {
  const totals = emptyTotals();
  let covered = 0;
  for (const piece of resolveTimeline(segments, windowStart, windowEnd)) {
    const length = piece.endAt - piece.startAt;
    totals[piece.state] += length;
    covered += length;
  }
  totals.nodata = Math.max(0, windowEnd - windowStart - covered);
  return totals;
}

export interface UptimeFigures {
  /** online / (online + offline), in percent, two decimals; null when neither was observed. */
  readonly uptimePercent: number | null;
  readonly targetPercent: number;
  readonly targetMet: boolean | null;
  /** Percentage points short of the target (0 when met), two decimals. */
  readonly missingPoints: number | null;
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/**
 * The target is judged on the exact ratio, never on the printed one: 94.996 %
 * prints as 95.00 but misses 95 %, and then at least 0.01 points are missing.
 */
export function uptimeFigures(totals: StateTotals, targetPercent = DEFAULT_TARGET_PERCENT): UptimeFigures {
  const observed = totals.online + totals.offline;
  if (observed === 0) return { uptimePercent: null, targetPercent, targetMet: null, missingPoints: null };
  const exact = (totals.online / observed) * 100;
  // Compared in milliseconds, so no rounding of the percentage can tip the verdict.
  const met = totals.online * 100 >= targetPercent * observed;
  return {
    uptimePercent: round2(exact),
    targetPercent,
    targetMet: met,
    missingPoints: met ? 0 : Math.max(0.01, round2(targetPercent - exact)),
  };
}

const STATE_ORDER: readonly AccountedState[] = ['online', 'offline', 'maintenance', 'shutdown', 'nodata'];

/**
 * Whole seconds per state, for reports and CSVs. The boundaries between
 * states are rounded once, cumulatively, so the seconds always add up to the
 * window rounded (86,400 for a day, 82,800 or 90,000 for a DST day); rounding
 * each state on its own could lose or invent a second.
 */
export function totalsInSeconds(totals: StateTotals): StateTotals {
  const seconds = emptyTotals();
  let cumulative = 0;
  let previous = 0;
  for (const key of STATE_ORDER) {
    cumulative += totals[key];
    const boundary = Math.round(cumulative / 1000);
    seconds[key] = boundary - previous;
    previous = boundary;
  }
  return seconds;
}

/**
 * Totals per period from one resolved timeline: `pieces` from
 * resolveTimeline (sorted, disjoint) and `periods` sorted and disjoint. One
 * pass over both, instead of resolving the timeline again for every day.
 * Time before `accountFrom` (the device did not exist yet) is nobody's: a
 * period ending before it gets empty totals, one straddling it starts there.
 */
export function accountPeriods(
  pieces: readonly Segment[],
  periods: ReadonlyArray<{ readonly start: number; readonly end: number }>,
  accountFrom = -Infinity,
): StateTotals[] {
  const result: StateTotals[] = [];
  let first = 0;
  for (const period of periods) {
    const totals = emptyTotals();
    const start = Math.max(period.start, accountFrom);
    if (start >= period.end) {
      result.push(totals);
      continue;
    }
    while (first < pieces.length && pieces[first]!.endAt <= start) first++;
    let covered = 0;
    for (let i = first; i < pieces.length && pieces[i]!.startAt < period.end; i++) {
      const piece = pieces[i]!;
      const length = Math.min(piece.endAt, period.end) - Math.max(piece.startAt, start);
      if (length <= 0) continue;
      totals[piece.state] += length;
      covered += length;
    }
    totals.nodata = Math.max(0, period.end - start - covered);
    result.push(totals);
  }
  return result;
}
