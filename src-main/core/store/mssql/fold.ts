import type mssql from 'mssql';
import { addHours, foldIntoDays } from '../hourly-codec';
import { forRows, query } from './bulk';
import { inTransaction } from './connection';
import { HOURLY_TIER, mergeRollups } from './rollups';

/** Minute rows folded per transaction: a prune of a long backlog never holds locks for long. */
const FOLD_CHUNK = 5000;

/**
 * Folds up to FOLD_CHUNK minute rows older than `before` into the hourly
 * tier and deletes them, in one transaction (so a row is never counted in
 * both tiers, nor in neither); true when there may be more.
 */
export function foldOldMinutes(pool: mssql.ConnectionPool, before: number): Promise<boolean> {
  return inTransaction(pool, async (tx) => {
    // UPDLOCK: an agent's late batch merging into one of these hours waits until they are folded and gone.
    const found = await query(
      tx,
      `SELECT TOP (@chunk) device_id, hour_at, source, minutes FROM probe_rollups WITH (UPDLOCK)
        WHERE hour_at < @before ORDER BY hour_at`,
      { chunk: FOLD_CHUNK, before },
    );
    const rows = (
      found.recordset as Array<{ device_id: number; hour_at: number | string; source: string; minutes: Buffer }>
    ).map((r) => ({ deviceId: r.device_id, hourAt: Number(r.hour_at), source: r.source, minutes: r.minutes }));
    const days = foldIntoDays(rows);
    for (const source of new Set(days.map((d) => d.source))) {
      await mergeRollups(
        tx,
        source,
        days
          .filter((d) => d.source === source)
          .map((d) => ({ deviceId: d.deviceId, at: d.dayAt, merge: (stored) => addHours(stored, d.hours) })),
        HOURLY_TIER,
      );
    }
    await forRows(
      tx,
      [
        ['device_id', 'int'],
        ['hour_at', 'bigint'],
        ['source', 'nvarchar(64)'],
      ],
      rows.map((r) => [r.deviceId, r.hourAt, r.source]),
      (set) => `DELETE r FROM probe_rollups r
        JOIN ${set} ON n.device_id = r.device_id AND n.hour_at = r.hour_at AND n.source = r.source`,
    );
    return rows.length === FOLD_CHUNK;
  });
}
