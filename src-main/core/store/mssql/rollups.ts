import { DAY_BLOB_BYTES } from '../hourly-codec';
import { HOUR_BLOB_BYTES } from '../rollup-codec';
import { forRows } from './bulk';
import type { TxScope } from './connection';

/** A tier of the rollups: its table, the column of the period a row covers, its blob column and size. */
export interface RollupTier {
  readonly table: string;
  readonly period: string;
  readonly blob: string;
  readonly size: number;
}
export const MINUTE_TIER: RollupTier = {
  table: 'probe_rollups',
  period: 'hour_at',
  blob: 'minutes',
  size: HOUR_BLOB_BYTES,
};
export const HOURLY_TIER: RollupTier = {
  table: 'probe_rollups_hourly',
  period: 'day_at',
  blob: 'hours',
  size: DAY_BLOB_BYTES,
};

/** One device-period of rollups to change: how its blob becomes the new one (null when it has none yet). */
export interface RollupChange {
  readonly deviceId: number;
  /** The period's start: the hour (minute tier) or the day (hourly tier). */
  readonly at: number;
  merge(before: Uint8Array | null): Uint8Array;
}

/**
 * Read-merge-write of rollup blobs (either tier) for one source: the hours read at
 * once (locked until commit, so two writers cannot both merge into the old
 * blob), merged in JavaScript, updated or inserted at once.
 */
export async function mergeRollups(
  tx: TxScope,
  source: string,
  changes: readonly RollupChange[],
  tier: RollupTier = MINUTE_TIER,
): Promise<void> {
  if (changes.length === 0) return;
  const { table, period, blob } = tier;
  const existing = (await forRows(
    tx,
    [
      ['device_id', 'int'],
      ['period_at', 'bigint'],
    ],
    changes.map((c) => [c.deviceId, c.at]),
    (rows) => `SELECT r.device_id, r.${period} AS period_at, r.${blob} AS stored FROM ${table} r WITH (UPDLOCK)
       JOIN ${rows} ON n.device_id = r.device_id AND n.period_at = r.${period} WHERE r.source = @source`,
    { source },
  )) as Array<{ device_id: number; period_at: number | string; stored: Buffer }>;
  const stored = new Map(existing.map((r) => [`${r.device_id}:${Number(r.period_at)}`, r.stored]));
  const merged = changes.map((c) => {
    const before = stored.get(`${c.deviceId}:${c.at}`) ?? null;
    return { deviceId: c.deviceId, at: c.at, blob: c.merge(before), known: before !== null };
  });
  // Every hour's blob has the same length: they travel as one binary parameter, each row naming its slice.
  const write = async (rows: typeof merged, text: (rows: string) => string) => {
    if (rows.length === 0) return;
    const blobs = Buffer.concat(rows.map((r) => r.blob));
    await forRows(
      tx,
      [
        ['device_id', 'int'],
        ['period_at', 'bigint'],
        ['slot', 'int'],
      ],
      rows.map((r, slot) => [r.deviceId, r.at, slot]),
      text,
      { source, blobs, size: tier.size },
    );
  };
  await write(
    merged.filter((m) => m.known),
    (rows) => `UPDATE r SET r.${blob} = SUBSTRING(@blobs, n.slot * @size + 1, @size) FROM ${table} r
       JOIN ${rows} ON n.device_id = r.device_id AND n.period_at = r.${period} AND r.source = @source`,
  );
  await write(
    merged.filter((m) => !m.known),
    (rows) => `INSERT INTO ${table} (device_id, ${period}, source, ${blob})
       SELECT n.device_id, n.period_at, @source, SUBSTRING(@blobs, n.slot * @size + 1, @size) FROM ${rows}`,
  );
}
