import type { Session } from '../contract/session';
import type { Clock } from '../runtime';
import type { Store } from '../store/port';

/** Fields never written to the audit log, wherever they appear in a record. */
const SECRET_KEYS = new Set(['password', 'passwordHash', 'current', 'next', 'keyHash', 'apiKey']);

function withoutSecrets(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return JSON.stringify(value, (key, v: unknown) => (SECRET_KEYS.has(key) ? undefined : v));
}

export type Auditor = (
  session: Session | null,
  entry: {
    action: string;
    entity: string;
    entityId?: number | string | null;
    before?: unknown;
    after?: unknown;
    outcome?: 'success' | 'failure';
  },
) => Promise<void>;

/** Appends one entry: who, when, what, before and after. */
export function createAuditor(store: Store, clock: Clock): Auditor {
  return (session, entry) =>
    store.appendAudit({
      at: clock.now(),
      userId: session?.userId ?? null,
      username: session?.username ?? 'anonymous',
      action: entry.action,
      entity: entry.entity,
      entityId: entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
      outcome: entry.outcome ?? 'success',
      before: withoutSecrets(entry.before),
      after: withoutSecrets(entry.after),
    });
}
