import { HOUR_BLOB_BYTES } from '../rollup-codec';
import { forRows } from './bulk';
import type { TxScope } from './connection';

/** One device-hour of rollups to change: how its blob becomes the new one (null when the hour has none yet). */
export interface RollupChange {
  readonly deviceId: number;
  readonly hourAt: number;
  merge(before: Uint8Array | null): Uint8Array;
}

/**
 * Read-merge-write of hourly rollup blobs for one source: the hours read at
 * once (locked until commit, so two writers cannot both merge into the old
 * blob), merged in JavaScript, updated or inserted at once.
 */
export async function mergeRollups(tx: TxScope, source: string, changes: readonly RollupChange[]): Promise<void> {
  if (changes.length === 0) return;
  const existing = (await forRows(
    tx,
    [
      ['device_id', 'int'],
      ['hour_at', 'bigint'],
    ],
    changes.map((c) => [c.deviceId, c.hourAt]),
    (rows) => `SELECT r.device_id, r.hour_at, r.minutes FROM probe_rollups r WITH (UPDLOCK)
       JOIN ${rows} ON n.device_id = r.device_id AND n.hour_at = r.hour_at WHERE r.source = @source`,
    { source },
  )) as Array<{ device_id: number; hour_at: number | string; minutes: Buffer }>;
  const stored = new Map(existing.map((r) => [`${r.device_id}:${Number(r.hour_at)}`, r.minutes]));
  const merged = changes.map((c) => {
    const before = stored.get(`${c.deviceId}:${c.hourAt}`) ?? null;
    return { deviceId: c.deviceId, hourAt: c.hourAt, blob: c.merge(before), known: before !== null };
  });
  // Every hour's blob has the same length: they travel as one binary parameter, each row naming its slice.
  const write = async (rows: typeof merged, text: (rows: string) => string) => {
    if (rows.length === 0) return;
    const blobs = Buffer.concat(rows.map((r) => r.blob));
    await forRows(
      tx,
      [
        ['device_id', 'int'],
        ['hour_at', 'bigint'],
        ['slot', 'int'],
      ],
      rows.map((r, slot) => [r.deviceId, r.hourAt, slot]),
      text,
      { source, blobs, size: HOUR_BLOB_BYTES },
    );
  };
  await write(
    merged.filter((m) => m.known),
    (rows) => `UPDATE r SET r.minutes = SUBSTRING(@blobs, n.slot * @size + 1, @size) FROM probe_rollups r
       JOIN ${rows} ON n.device_id = r.device_id AND n.hour_at = r.hour_at AND r.source = @source`,
  );
  await write(
    merged.filter((m) => !m.known),
    (rows) => `INSERT INTO probe_rollups (device_id, hour_at, source, minutes)
       SELECT n.device_id, n.hour_at, @source, SUBSTRING(@blobs, n.slot * @size + 1, @size) FROM ${rows}`,
  );
}
