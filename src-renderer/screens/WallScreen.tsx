import { useTranslation } from 'react-i18next';
import { DEVICE_STATUSES } from '../../src-shared/domain/status';
import { AlarmBar } from '../components/AlarmBar';
import { useNow } from '../components/dashboard/ProblemsCard';
import { useConnection, useQuery } from '../context';
import { formatDuration, formatTime } from '../format';

const LIVE = ['devices.statusChanged', 'devices.changed'] as const;

/**
 * The wall display (#/wall/ITA): one area, or every area the user sees, on
 * a TV — large tiles, what is down, the alarm bar; nothing to click. It
 * reloads everything when the connection comes back (the central restarted),
 * so it needs nobody to touch it.
 */
export function WallScreen({ areaCode }: { areaCode: string | null }) {
  const { t } = useTranslation();
  const { state } = useConnection();
  const areas = useQuery('areas.list', {}, ['areas.changed']);
  const area = areaCode === null ? undefined : areas.data?.find((a) => a.code === areaCode);
  const scope = area ? { areaId: area.id } : {};
  const waitingForArea = areaCode !== null && !area;
  const counts = useQuery('dashboard.counts', scope, LIVE);
  const problems = useQuery('dashboard.problems', { ...scope, limit: 30 }, LIVE);
  const now = useNow(15_000);
  // Never show "every area" on a wall meant for one while the areas are still loading.
  if (waitingForArea)
    return (
      <p className={areas.data ? 'error-banner' : 'muted'}>{areas.data ? t('wall.chooseArea') : t('common.loading')}</p>
    );
  const totals = Object.fromEntries(DEVICE_STATUSES.map((s) => [s, 0])) as Record<string, number>;
  for (const row of counts.data ?? []) totals[row.status] = (totals[row.status] ?? 0) + row.count;
  return (
    <section className={`wall wall--${state}`} aria-labelledby="wall-title" data-testid="wall">
      <header className="wall__header">
        <h1 id="wall-title">{area ? `${area.code} — ${area.name}` : t('wall.allAreas')}</h1>
        <span className="muted" data-testid="wall-connection">
          {t(`app.connection.${state}`)} · {t('wall.updated', { at: formatTime(now) })}
        </span>
      </header>
      <AlarmBar {...(area ? { areaId: area.id } : {})} />
      <div className="wall__tiles">
        {DEVICE_STATUSES.map((status) => (
          <div key={status} className={`wall__tile wall__tile--${status.toLowerCase()}`} data-testid={`wall-${status}`}>
            <strong>{totals[status]}</strong>
            <span>{t(`status.${status}`)}</span>
          </div>
        ))}
      </div>
      <div className="wall__problems" data-testid="wall-problems">
        <h2>
          {t('wall.problems')} ({problems.data?.total ?? '—'})
        </h2>
        {problems.data?.total === 0 && <p>{t('wall.noProblems')}</p>}
        <ul>
          {problems.data?.problems.map((p) => (
            <li key={p.deviceId} className={p.behindDownParent ? 'wall__problem--behind' : undefined}>
              <span className="mono">{p.areaCode}</span> {p.deviceName}{' '}
              <span className="wall__for">{formatDuration(Math.max(0, (now - p.since) / 1000))}</span>
              {p.behindDownParent && <span className="muted"> · {t('alarms.behindParent')}</span>}
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
