import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DEVICE_CONTEXTS, DEVICE_TYPES } from '../../src-shared/domain/device';
import type { StatusCount } from '../../src-shared/domain/monitoring';
import { DEVICE_STATUSES } from '../../src-shared/domain/status';
import type { DeviceStatus } from '../../src-shared/domain/status';
import { AreaOptions } from '../components/crud';
import { DailyUptimeChart, OutageTimeline } from '../components/dashboard/DashboardCharts';
import { ProblemsCard } from '../components/dashboard/ProblemsCard';
import { VideoProblemsCard } from '../components/dashboard/VideoProblemsCard';
import { SweepHealthCard } from '../components/dashboard/SweepHealthCard';
import { ProberProblemBanner } from '../components/ProberProblem';
import { useQuery } from '../context';
import { formatDateTime } from '../format';

function tally(rows: readonly StatusCount[], match: (row: StatusCount) => boolean): Record<DeviceStatus, number> {
  const totals = Object.fromEntries(DEVICE_STATUSES.map((s) => [s, 0])) as Record<DeviceStatus, number>;
  for (const row of rows) if (match(row)) totals[row.status] += row.count;
  return totals;
}

/** Status changes move these; devices added, moved or deleted too. */
const LIVE = ['devices.statusChanged', 'devices.changed'] as const;

export function DashboardScreen() {
  const { t } = useTranslation();
  const [areaId, setAreaId] = useState('');
  const scope = areaId ? { areaId: Number(areaId) } : {};
  const areas = useQuery('areas.list', {}, ['areas.changed']);
  const counts = useQuery('dashboard.counts', scope, LIVE);
  const problems = useQuery('dashboard.problems', { ...scope, limit: 20 }, LIVE);
  const videoProblems = useQuery('cameras.videoProblemList', scope, ['devices.changed']);
  const changes = useQuery('dashboard.recentChanges', { ...scope, limit: 15 }, LIVE);
  const health = useQuery('dashboard.sweepHealth', {}, ['monitor.sweepFinished', 'settings.changed']);
  // Thirty days of figures change slowly; recomputing them at most every 30 s is plenty.
  const slow = { events: [...LIVE, 'monitor.sweepFinished'] as const, minIntervalMs: 30_000 };
  const daily = useQuery('dashboard.dailyUptime', { ...scope, days: 30 }, [], slow);
  const outages = useQuery('dashboard.outages', { ...scope, days: 30, limit: 100 }, [], slow);
  const last = health.data?.last;

  return (
    <section className="screen" aria-labelledby="dashboard-title">
      <header className="screen__header">
        <h1 id="dashboard-title">{t('dashboard.title')}</h1>
        <label className="inline-filter">
          {t('devices.area')}
          <select value={areaId} onChange={(e) => setAreaId(e.target.value)} data-testid="dashboard-area">
            <option value="">{t('common.all')}</option>
            <AreaOptions areas={areas.data} />
          </select>
        </label>
        <a
          href={`#/wall${areaId ? `/${areas.data?.find((a) => a.id === Number(areaId))?.code ?? ''}` : ''}`}
          title={t('wall.hint')}
          data-testid="open-wall"
        >
          {t('wall.open')}
        </a>
      </header>
      {last?.proberProblem && <ProberProblemBanner problem={last.proberProblem} prober={last.prober} />}

      <div className="cards" data-testid="status-cards">
        <StatusCard title={t('dashboard.total')} counts={tally(counts.data ?? [], () => true)} testId="total" />
        {DEVICE_TYPES.flatMap((type) =>
          DEVICE_CONTEXTS.map((context) => (
            <StatusCard
              key={`${type}-${context}`}
              title={`${t(`deviceType.${type}`)} · ${t(`deviceContext.${context}`)}`}
              counts={tally(counts.data ?? [], (row) => row.type === type && row.context === context)}
              testId={`${type}-${context}`}
            />
          )),
        )}
      </div>

      <div className="dashboard-grid">
        <ProblemsCard data={problems.data} />
        <VideoProblemsCard data={videoProblems.data} />
        <SweepHealthCard health={health.data} />
        <article className="card card--wide">
          <h2>{t('dashboard.uptime30')}</h2>
          {daily.data && <DailyUptimeChart days={daily.data.days} />}
          {daily.data && (
            <p className="muted" data-testid="days-zone">
              {t('dashboard.daysIn', { zone: daily.data.timeZone })}
              {daily.data.mixedZones && ` ${t('dashboard.mixedZones')}`}
            </p>
          )}
        </article>
        <article className="card card--wide">
          <h2>{t('dashboard.outages')}</h2>
          {outages.data && outages.data.outages.length > 0 ? (
            <OutageTimeline outages={outages.data.outages} from={outages.data.from} to={outages.data.to} />
          ) : (
            <p className="muted">{t('dashboard.noOutages')}</p>
          )}
        </article>
        <article className="card">
          <h2>{t('dashboard.recentChanges')}</h2>
          <ul className="changes" data-testid="recent-changes">
            {changes.data?.map((change) => (
              <li key={change.id} data-device-id={change.deviceId}>
                <time>{formatDateTime(change.at)}</time>{' '}
                <a href={`#/devices/${change.deviceId}`}>{change.deviceName}</a>{' '}
                <span className="mono">{change.areaCode}</span>{' '}
                <span className={`badge badge--${change.from.toLowerCase()}`}>{t(`status.${change.from}`)}</span> →{' '}
                <span className={`badge badge--${change.to.toLowerCase()}`}>{t(`status.${change.to}`)}</span>
              </li>
            ))}
          </ul>
          {changes.data?.length === 0 && <p className="muted">{t('common.empty')}</p>}
        </article>
      </div>
    </section>
  );
}

function StatusCard({
  title,
  counts,
  testId,
}: {
  title: string;
  counts: Record<DeviceStatus, number>;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <article className="card status-card" data-testid={`card-${testId}`}>
      <h2>{title}</h2>
      <ul>
        {DEVICE_STATUSES.map((status) => (
          <li key={status} className={`status-card__row status-card__row--${status.toLowerCase()}`}>
            <span>{t(`status.${status}`)}</span>
            <strong data-testid={`count-${testId}-${status}`}>{counts[status]}</strong>
          </li>
        ))}
      </ul>
    </article>
  );
}
