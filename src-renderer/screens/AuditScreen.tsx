import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from '../context';
import { formatDateTime } from '../format';

const ENTITIES = ['session', 'area', 'device', 'user', 'settings'] as const;

/** Local date (YYYY-MM-DD from a date input) to the instant it starts. */
const startOfDay = (date: string) => (date ? new Date(`${date}T00:00:00`).getTime() : undefined);

export function AuditScreen() {
  const { t } = useTranslation();
  const [entity, setEntity] = useState('');
  const [userId, setUserId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const users = useQuery('users.list', {}, ['users.changed']);
  const fromAt = startOfDay(from);
  const toAt = startOfDay(to);
  const entries = useQuery(
    'audit.list',
    {
      limit: 500,
      ...(entity ? { entity } : {}),
      ...(userId ? { userId: Number(userId) } : {}),
      ...(fromAt !== undefined ? { from: fromAt } : {}),
      // The "to" day is included: the window ends when the next day starts.
      ...(toAt !== undefined ? { to: toAt + 86_400_000 } : {}),
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
        <label>
          {t('audit.from')}
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          {t('audit.to')}
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
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
