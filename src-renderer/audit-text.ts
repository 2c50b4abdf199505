import type { TFunction } from 'i18next';
import type { AuditEntry } from '../src-shared/domain/audit';
import { formatDateTime } from './format';

export interface FieldChange {
  readonly field: string;
  readonly before: string | null;
  readonly after: string | null;
}

/** Fields that are instants, shown as dates and times. */
const INSTANTS = /(At|Since|Until|firstAt|lastAt)$/;
/** Fields that say nothing to an operator reading the trail. */
const HIDDEN = new Set(['id', 'createdAt', 'updatedAt', 'deviceId', 'areaId', 'userId']);

function parse(json: string | null): Record<string, unknown> | null {
  if (!json) return null;
  try {
    const value: unknown = JSON.parse(json);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
  } catch {
    return null;
  }
}

function plain(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
}

/** One value in words: dates as dates, yes/no, statuses and lists in the operator's language. */
function valueText(field: string, value: unknown, t: TFunction, areaCode: (id: number) => string): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
  if (typeof value === 'number' && INSTANTS.test(field)) return formatDateTime(value);
  if (field === 'status' && typeof value === 'string')
    return t(`status.${value}`, { defaultValue: t(`shutdowns.statuses.${value}`, { defaultValue: value }) });
  if (field === 'category' && typeof value === 'string') return t(`categories.${value}`, { defaultValue: value });
  if (field === 'type' && typeof value === 'string') return t(`deviceType.${value}`, { defaultValue: value });
  if (field === 'context' && typeof value === 'string') return t(`deviceContext.${value}`, { defaultValue: value });
  if (field === 'allowedAreaIds' && Array.isArray(value)) return value.map((id) => areaCode(Number(id))).join(', ');
  if (field === 'permissions' && typeof value === 'object') {
    const granted = Object.entries(value as Record<string, { view: boolean; edit: boolean }>)
      .filter(([, access]) => access.view || access.edit)
      .map(([screen, access]) => `${t(`screens.${screen}`)} (${access.edit ? t('users.edit') : t('users.view')})`);
    return granted.length ? granted.join(', ') : '—';
  }
  if (Array.isArray(value)) return value.map((item) => plain(item)).join(', ');
  return plain(value);
}

/**
 * What an entry changed, field by field, in words: for an update the fields
 * that differ, for a creation what was set, for a deletion what was there.
 */
export function fieldChanges(entry: AuditEntry, t: TFunction, areaCode: (id: number) => string): FieldChange[] {
  const before = parse(entry.before);
  const after = parse(entry.after);
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].filter((k) => !HIDDEN.has(k));
  const changes: FieldChange[] = [];
  for (const key of keys) {
    const was = before?.[key];
    const is = after?.[key];
    if (before && after && JSON.stringify(was) === JSON.stringify(is)) continue;
    changes.push({
      field: t(`audit.fields.${key}`, { defaultValue: key }),
      before: before ? valueText(key, was, t, areaCode) : null,
      after: after ? valueText(key, is, t, areaCode) : null,
    });
  }
  return changes;
}

/** "Aprovou a desativação de ITA-CAM-07": the entry as a sentence. */
export function auditSentence(entry: AuditEntry, t: TFunction): string {
  const label = entry.entityLabel ?? (entry.entityId ? `#${entry.entityId}` : '');
  return t(`audit.actions.${entry.action}`, { label, defaultValue: entry.action });
}
