import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDateRange } from '../components/DateRange';
import { useQuery } from '../context';
import { formatDateTime } from '../format';

const ENTITIES = ['session', 'area', 'device', 'user', 'settings'] as const;

/** Local date (YYYY-MM-DD from a date input) to the instant it starts. */

export function AuditScreen() {
  const { t } = useTranslation();
  const [entity, setEntity] = useState('');
  const [userId, setUserId] = useState('');
  const dates = useDateRange();
  const users = useQuery('users.list', {}, ['users.changed']);
  const entries = useQuery(
    'audit.list',
    {
      limit: 500,
      ...(entity ? { entity } : {}),
      ...(userId ? { userId: Number(userId) } : {}),
      ...dates.window,
    },
    ['users.changed', 'devices.changed', 'areas.changed', 'settings.changed'],
  );
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
            {ENTITIES.map((e) => (
              <option key={e} value={e}>
                {t(`audit.entities.${e}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('audit.user')}
          <select value={userId} onChange={(e) => setUserId(e.target.value)} data-testid="audit-user">
            <option value="">{t('common.all')}</option>
            {users.data?.map((u) => (
              <option key={u.id} value={u.id}>
                {u.username}
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
            <th>{t('audit.entity')}</th>
            <th>{t('audit.outcome')}</th>
            <th>{t('audit.before')}</th>
            <th>{t('audit.after')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.data?.map((entry) => (
            <tr key={entry.id} data-action={entry.action} data-entity={entry.entity}>
              <td className="nowrap">{formatDateTime(entry.at)}</td>
              <td className="mono">{entry.username}</td>
              <td>{entry.action}</td>
              <td>
                {entry.entity}
                {entry.entityId && ` #${entry.entityId}`}
              </td>
              <td className={entry.outcome === 'failure' ? 'bad' : undefined}>
                {t(`audit.outcomes.${entry.outcome}`)}
              </td>
              <td className="json">{entry.before}</td>
              <td className="json">{entry.after}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
