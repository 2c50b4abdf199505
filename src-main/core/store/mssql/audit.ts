import { and, desc, eq, gte, inArray, lt } from 'drizzle-orm';
import type { AuditEntry, NewAuditEntry } from '../../../../src-shared/domain/audit';
import type { AuditStore } from '../port';
import type { MsDb } from './connection';
import type { MssqlHandle } from './handle';
import { auditLog } from './schema';

/** Appends one entry on the given connection or transaction: the change and its entry commit or fail together. */
export async function writeAudit(db: MsDb, entry: NewAuditEntry): Promise<void> {
  await db.insert(auditLog).values(entry);
}

export function msAudit({ db }: MssqlHandle): AuditStore {
  return {
    appendAudit: (entry) => writeAudit(db, entry),
    async listAudit(filter) {
      const rows = await db
        .select()
        .top(filter.limit)
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
        .orderBy(desc(auditLog.at), desc(auditLog.id));
      // Actions, entities and reasons are written only from their closed lists; the columns are plain text.
      return rows as AuditEntry[];
    },
  };
}
