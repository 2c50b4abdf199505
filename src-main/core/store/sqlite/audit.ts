/* eslint-disable @typescript-eslint/require-await -- see catalog.ts: async for the port, synchronous underneath. */
import { and, desc, eq, gte, inArray, lt } from 'drizzle-orm';
import type { AuditEntry, NewAuditEntry } from '../../../../src-shared/domain/audit';
import type { AuditStore } from '../port';
import type { SqliteDb, SqliteTx } from './connection';
import { auditLog } from './schema';

/** Appends one entry inside the caller's transaction: the change and its entry commit or fail together. */
export function writeAudit(tx: SqliteDb | SqliteTx, entry: NewAuditEntry): void {
  tx.insert(auditLog).values(entry).run();
}

export function sqliteAudit(db: SqliteDb): AuditStore {
  return {
    async appendAudit(entry) {
      writeAudit(db, entry);
    },
    async listAudit(filter) {
      const rows = db
        .select()
        .from(auditLog)
        .where(
          and(
            filter.from === undefined ? undefined : gte(auditLog.at, filter.from),
            filter.to === undefined ? undefined : lt(auditLog.at, filter.to),
            filter.userId === undefined ? undefined : eq(auditLog.userId, filter.userId),
            filter.entity === undefined ? undefined : eq(auditLog.entity, filter.entity),
            filter.action === undefined ? undefined : eq(auditLog.action, filter.action),
            // NULL area ids (global entries) never match IN: a scoped reader does not see them.
            filter.areaIds === undefined ? undefined : inArray(auditLog.areaId, [...filter.areaIds]),
          ),
        )
        .orderBy(desc(auditLog.at), desc(auditLog.id))
        .limit(filter.limit)
        .all();
      // Actions, entities and reasons are written only from their closed lists; the columns are plain text.
      return rows as AuditEntry[];
    },
  };
}
