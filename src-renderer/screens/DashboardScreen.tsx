import type { ChartConfiguration } from 'chart.js';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DEVICE_CONTEXTS, DEVICE_TYPES } from '../../src-shared/domain/device';
import type { DailyUptime, Outage, StatusCount } from '../../src-shared/domain/monitoring';
import { DEVICE_STATUSES } from '../../src-shared/domain/status';
import type { DeviceStatus } from '../../src-shared/domain/status';
import { ChartCanvas, cssColor } from '../components/Chart';
import { AreaOptions } from '../components/crud';
import { useQuery } from '../context';
import { formatDateTime, formatDuration, formatNumber, formatTime } from '../format';

function tally(rows: readonly StatusCount[], match: (row: StatusCount) => boolean): Record<DeviceStatus, number> {
  const totals = { ONLINE: 0, OFFLINE: 0, MAINTENANCE: 0, SHUTDOWN: 0 };
  for (const row of rows) if (match(row)) totals[row.status] += row.count;
  return totals;
}

export function DashboardScreen() {
  const { t } = useTranslation();
  const [areaId, setAreaId] = useState('');
  const scope = areaId ? { areaId: Number(areaId) } : {};
  const areas = useQuery('areas.list', {}, ['areas.changed']);
  const counts = useQuery('dashboard.counts', scope, ['devices.statusChanged', 'devices.changed']);
  const changes = useQuery('dashboard.recentChanges', { ...scope, limit: 15 }, ['devices.statusChanged']);
  const health = useQuery('dashboard.sweepHealth', {}, ['monitor.sweepFinished']);
  // Thirty days of figures change slowly; recomputing them at most every 30 s is plenty.
  const slow = { events: ['devices.statusChanged', 'monitor.sweepFinished'], minIntervalMs: 30_000 } as const;
  const daily = useQuery('dashboard.dailyUptime', { ...scope, days: 30 }, [], slow);
  const outages = useQuery('dashboard.outages', { ...scope, days: 30, limit: 100 }, [], slow);

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
      </header>

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
        <article className="card card--wide">
          <h2>{t('dashboard.uptime30')}</h2>
          {daily.data && <DailyUptimeChart days={daily.data.days} />}
          {daily.data && <p className="muted">{t('dashboard.daysIn', { zone: daily.data.timeZone })}</p>}
        </article>
        <article className="card card--wide">
          <h2>{t('dashboard.outages')}</h2>
          {outages.data && outages.data.length > 0 ? (
            <OutageTimeline outages={outages.data} />
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
        <article className="card" data-testid="sweep-health">
          <h2>{t('dashboard.sweepHealth')}</h2>
          {health.data?.last ? (
            <dl className="facts">
              <dt>{t('dashboard.lastSweep')}</dt>
              <dd>{formatTime(health.data.last.startedAt)}</dd>
              <dt>{t('dashboard.duration')}</dt>
              <dd>{formatNumber(health.data.last.durationMs)} ms</dd>
              <dt>{t('dashboard.devicesProbed')}</dt>
              <dd>{health.data.last.devicesProbed === null ? '—' : formatNumber(health.data.last.devicesProbed)}</dd>
              <dt>{t('dashboard.devicesPerSecond')}</dt>
              <dd>{health.data.devicesPerSecond === null ? '—' : formatNumber(health.data.devicesPerSecond, 1)}</dd>
              <dt>{t('dashboard.overruns')}</dt>
              <dd className={health.data.overrunsLastHour > 0 ? 'warn' : undefined}>
                {t('dashboard.overrunsValue', {
                  overruns: health.data.overrunsLastHour,
                  sweeps: health.data.sweepsLastHour,
                })}
              </dd>
            </dl>
          ) : (
            <p className="muted">{t('dashboard.noSweep')}</p>
          )}
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

function DailyUptimeChart({ days }: { days: readonly DailyUptime[] }) {
  const { t, i18n } = useTranslation();
  const config = useMemo<ChartConfiguration>(() => {
    const target = days[0]?.targetPercent ?? 95;
    return {
      type: 'bar',
      data: {
        labels: days.map((d) => d.day.slice(5)),
        datasets: [
          {
            type: 'bar',
            label: t('dashboard.uptime'),
            data: days.map((d) => d.uptimePercent),
            backgroundColor: days.map((d) => cssColor(d.targetMet === false ? '--offline' : '--online')),
          },
          {
            type: 'line',
            label: t('dashboard.target', { target }),
            data: days.map(() => target),
            borderColor: cssColor('--maintenance'),
            borderDash: [6, 4],
            pointRadius: 0,
          },
        ],
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: {
          y: { suggestedMin: 80, max: 100, ticks: { color: cssColor('--muted') } },
          x: { ticks: { color: cssColor('--muted') } },
        },
        plugins: { legend: { labels: { color: cssColor('--text') } } },
      },
    };
    // i18n.language: labels are rebuilt when the operator switches language.
  }, [days, t, i18n.language]);
  return <ChartCanvas config={config} label={t('dashboard.uptime30')} testId="uptime-chart" />;
}

function OutageTimeline({ outages }: { outages: readonly Outage[] }) {
  const { t, i18n } = useTranslation();
  const config = useMemo<ChartConfiguration>(() => {
    const devices = [...new Set(outages.map((o) => `${o.deviceName} (${o.areaCode})`))].slice(0, 15);
    const shown = outages.filter((o) => devices.includes(`${o.deviceName} (${o.areaCode})`));
    return {
      type: 'bar',
      data: {
        labels: devices,
        datasets: [
          {
            label: t('dashboard.outages'),
            // Floating bars as {x: [start, end], y: row}: Chart.js parses these objects at run time,
            // but its bar typings only list numbers and [number, number] pairs.
            data: shown.map((o) => ({
              x: [o.startAt, o.endAt],
              y: `${o.deviceName} (${o.areaCode})`,
            })) as unknown as number[],
            backgroundColor: cssColor('--offline'),
            minBarLength: 3,
          },
        ],
      },
      options: {
        indexAxis: 'y',
        animation: false,
        maintainAspectRatio: false,
        scales: {
          x: {
            type: 'linear',
            ticks: { color: cssColor('--muted'), callback: (value) => formatDateTime(Number(value)) },
          },
          y: { ticks: { color: cssColor('--muted') } },
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: (item) => {
                const [from, to] = (item.raw as { x: [number, number] }).x;
                return `${formatDateTime(from)} → ${formatDateTime(to)} (${formatDuration((to - from) / 1000)})`;
              },
            },
          },
        },
      },
    };
  }, [outages, t, i18n.language]);
  return <ChartCanvas config={config} label={t('dashboard.outages')} testId="outage-chart" />;
}
