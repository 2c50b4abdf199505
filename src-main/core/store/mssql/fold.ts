import { lt } from 'drizzle-orm';
import type mssql from 'mssql';
import { addHours, foldIntoDays } from '../hourly-codec';
import { forRows } from './bulk';
import { inTransaction } from './connection';
import { HOURLY_TIER, mergeRollups } from './rollups';
import { probeRollups } from './schema';

/** Minute rows folded per transaction: a prune of a long backlog never holds locks for long. */
const FOLD_CHUNK = 5000;

/**
 * Folds up to FOLD_CHUNK minute rows older than `before` into the hourly
 * tier and deletes them, in one transaction (so a row is never counted in
 * both tiers, nor in neither); true when there may be more.
 */
export function foldOldMinutes(pool: mssql.ConnectionPool, before: number): Promise<boolean> {
  return inTransaction(pool, async (tx) => {
    const rows = await tx.db
      .select()
      .from(probeRollups)
      .where(lt(probeRollups.hourAt, before))
      .orderBy(probeRollups.hourAt)
      .offset(0)
      .fetch(FOLD_CHUNK);
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
