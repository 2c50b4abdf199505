import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AUDIT_ENTITIES } from '../../src-shared/domain/audit';
import type { AuditEntity, AuditEntry } from '../../src-shared/domain/audit';
import { auditSentence, fieldChanges } from '../audit-text';
import { EnumOptions } from '../components/crud';
import { useDateRange } from '../components/DateRange';
import { useQuery } from '../context';
import { formatDateTime } from '../format';

/** The trail in the operator's words: who did what to what, when, and what changed. */
export function AuditScreen() {
  const { t } = useTranslation();
  const [entity, setEntity] = useState('');
  const [userId, setUserId] = useState('');
  const dates = useDateRange();
  const users = useQuery('users.list', {}, ['users.changed']);
  const areas = useQuery('areas.list', {}, ['areas.changed']);
  const entries = useQuery(
    'audit.list',
    {
      limit: 500,
      ...(entity ? { entity: entity as AuditEntity } : {}),
      ...(userId ? { userId: Number(userId) } : {}),
      ...dates.window,
    },
    [
      'users.changed',
      'devices.changed',
      'areas.changed',
      'settings.changed',
      'maintenance.changed',
      'shutdowns.changed',
    ],
  );
  const areaCode = (id: number) => areas.data?.find((a) => a.id === id)?.code ?? `#${id}`;
  const nameOf = (entry: AuditEntry) => users.data?.find((u) => u.id === entry.userId)?.displayName ?? entry.username;
  return (
    <section className="screen" aria-labelledby="audit-title">
      <header className="screen__header">
        <h1 id="audit-title">{t('audit.title')}</h1>
      </header>
      <div className="filters" role="search">
        <label>
          {t('audit.entity')}
          <select value={entity} onChange={(e) => setEntity(e.target.value)} data-testid="audit-entity">
            <option value="">{t('common.all')}</option>
            <EnumOptions values={AUDIT_ENTITIES} label={(e) => t(`audit.entities.${e}`)} />
          </select>
        </label>
        <label>
          {t('audit.user')}
          <select value={userId} onChange={(e) => setUserId(e.target.value)} data-testid="audit-user">
            <option value="">{t('common.all')}</option>
            {users.data?.map((u) => (
              <option key={u.id} value={u.id}>
                {u.displayName} ({u.username})
              </option>
            ))}
          </select>
        </label>
        {dates.inputs}
      </div>
      <table className="grid" data-testid="audit-table">
        <thead>
          <tr>
            <th>{t('audit.at')}</th>
            <th>{t('audit.user')}</th>
            <th>{t('audit.action')}</th>
            <th>{t('audit.outcome')}</th>
            <th>{t('audit.changes')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.data?.map((entry) => (
            <tr key={entry.id} data-action={entry.action} data-entity={entry.entity}>
              <td className="nowrap">{formatDateTime(entry.at)}</td>
              <td>{nameOf(entry)}</td>
              <td data-testid="audit-sentence">{auditSentence(entry, t)}</td>
              <td className={entry.outcome === 'failure' ? 'bad' : undefined}>
                {t(`audit.outcomes.${entry.outcome}`)}
                {entry.reason && ` — ${t(`audit.reasons.${entry.reason}`)}`}
              </td>
              <td>
                <ul className="field-changes">
                  {fieldChanges(entry, t, areaCode).map((change) => (
                    <li key={change.field}>
                      <span className="field-changes__name">{change.field}:</span>{' '}
                      {change.before !== null && change.after !== null
                        ? `${change.before} → ${change.after}`
                        : (change.after ?? change.before)}
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
