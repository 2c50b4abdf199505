import { isBehindDownParent } from '../../src-shared/domain/device';
import type { ChartConfiguration } from 'chart.js';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeviceDetail } from '../../src-shared/contract/channels';
import type { ProbeOutcome } from '../../src-shared/domain/monitoring';
import { ChartCanvas, cssColor } from '../components/Chart';
import { useFormErrors } from '../components/forms';
import { useClient, useQuery } from '../context';
import { formatDateTime, formatDuration, formatNumber, formatPercent, formatTime } from '../format';
import { CameraCard } from './CameraCard';

export function DeviceDetailScreen({ id }: { id: number }) {
  const { t } = useTranslation();
  const detail = useQuery('devices.detail', { id }, ['devices.statusChanged', 'devices.changed'], {
    events: ['monitor.sweepFinished'],
    minIntervalMs: 15_000,
  });
  if (detail.error) {
    return (
      <section className="screen">
        <p className="error-banner" role="alert">
          {t(`errors.${detail.error.error.kind}`)}
        </p>
        <a href="#/devices">{t('detail.back')}</a>
      </section>
    );
  }
  if (!detail.data) return <p className="muted">{t('common.loading')}</p>;
  return <DeviceDetailView detail={detail.data} />;
}

function DeviceDetailView({ detail }: { detail: DeviceDetail }) {
  const { t } = useTranslation();
  const { device, month } = detail;
  return (
    <section className="screen" aria-labelledby="detail-title" data-testid="device-detail">
      <header className="screen__header">
        <div>
          <a href="#/devices">{t('detail.back')}</a>
          <h1 id="detail-title">
            {device.name}{' '}
            <span className={`badge badge--${device.status.toLowerCase()}`} data-testid="detail-status">
              {t(`status.${device.status}`)}
            </span>
            {isBehindDownParent(device) && (
              <span className="badge badge--behind-parent" data-testid="behind-parent">
                {t('alarms.behindParent')}
              </span>
            )}
          </h1>
          <p className="muted">
            <span className="mono">{device.host}</span> · {device.areaCode} · {t(`deviceType.${device.type}`)} ·{' '}
            {t(`deviceContext.${device.context}`)} {device.location && `· ${device.location}`}
          </p>
          <p className="muted">{t('detail.since', { at: formatDateTime(device.statusSince) })}</p>
          {device.parentId !== null && (
            <p className="muted" data-testid="detail-parent">
              {t('devices.parent')}: <a href={`#/devices/${device.parentId}`}>{device.parentName}</a>
            </p>
          )}
        </div>
        <PingNow id={device.id} />
      </header>

      <div className="dashboard-grid">
        <article className="card" data-testid="month-uptime">
          <h2>{t('detail.month')}</h2>
          <p
            className={`big ${month.targetMet === false ? 'bad' : month.targetMet ? 'good' : ''}`}
            data-testid="month-percent"
          >
            {formatPercent(month.uptimePercent)}
          </p>
          <p>
            {month.targetMet === null
              ? t('detail.noObservation')
              : month.targetMet
                ? t('detail.targetMet', { target: month.targetPercent })
                : t('detail.targetMissed', {
                    target: month.targetPercent,
                    points: formatNumber(month.missingPoints ?? 0, 2),
                  })}
          </p>
          <dl className="facts">
            {(['online', 'offline', 'maintenance', 'shutdown', 'nodata'] as const).map((state) => (
              <div key={state}>
                <dt>{t(`state.${state}`)}</dt>
                <dd>{formatDuration(month.seconds[state])}</dd>
              </div>
            ))}
          </dl>
        </article>
        <article className="card card--wide">
          <h2>{t('detail.timeline')}</h2>
          <Timeline detail={detail} />
        </article>
        <article className="card card--wide">
          <h2>{t('detail.rtt')}</h2>
          <RttChart detail={detail} />
        </article>
        {device.type === 'camera' && <CameraCard device={device} />}
        <article className="card">
          <h2>{t('dashboard.recentChanges')}</h2>
          <ul className="changes">
            {detail.recentChanges.map((change) => (
              <li key={change.id}>
                <time>{formatDateTime(change.at)}</time>{' '}
                <span className={`badge badge--${change.from.toLowerCase()}`}>{t(`status.${change.from}`)}</span> →{' '}
                <span className={`badge badge--${change.to.toLowerCase()}`}>{t(`status.${change.to}`)}</span>
              </li>
            ))}
          </ul>
        </article>
      </div>
    </section>
  );
}

function PingNow({ id }: { id: number }) {
  const { t } = useTranslation();
  const client = useClient();
  const errors = useFormErrors();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ProbeOutcome | null>(null);
  const ping = async () => {
    setBusy(true);
    try {
      setResult(await client.call('devices.pingNow', { id }));
      errors.clear();
    } catch (error) {
      errors.fromError(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="ping-now">
      <button type="button" className="primary" onClick={() => void ping()} disabled={busy} data-testid="ping-now">
        {busy ? t('detail.pinging') : t('detail.pingNow')}
      </button>
      <p role="status" data-testid="ping-result">
        {result &&
          (result.alive
            ? t('detail.pingAlive', { rtt: formatNumber(result.rttMs ?? 0, 2), at: formatTime(result.at) })
            : t('detail.pingDead', { at: formatTime(result.at) }))}
        {errors.errors.general}
      </p>
    </div>
  );
}

/** A 24 h band: each reconciled segment drawn to scale; blanks are nodata. */
function Timeline({ detail }: { detail: DeviceDetail }) {
  const { t } = useTranslation();
  const span = detail.timelineTo - detail.timelineFrom;
  return (
    <div>
      <div className="timeline" data-testid="timeline" role="img" aria-label={t('detail.timeline')}>
        {detail.timeline.map((segment) => (
          <span
            key={`${segment.startAt}-${segment.source}`}
            className={`timeline__piece timeline__piece--${segment.state}`}
            style={{
              left: `${((segment.startAt - detail.timelineFrom) / span) * 100}%`,
              width: `${Math.max(0.1, ((segment.endAt - segment.startAt) / span) * 100)}%`,
            }}
            title={`${t(`state.${segment.state}`)}: ${formatDateTime(segment.startAt)} → ${formatDateTime(segment.endAt)}`}
          />
        ))}
      </div>
      <div className="timeline__axis muted">
        <span>{formatDateTime(detail.timelineFrom)}</span>
        <span>{formatDateTime(detail.timelineTo)}</span>
      </div>
      <ul className="legend">
        {(['online', 'offline', 'maintenance', 'shutdown', 'nodata'] as const).map((state) => (
          <li key={state}>
            <span className={`timeline__swatch timeline__piece--${state}`} /> {t(`state.${state}`)}
          </li>
        ))}
      </ul>
    </div>
  );
}

function RttChart({ detail }: { detail: DeviceDetail }) {
  const { t, i18n } = useTranslation();
  // With few minutes of data a line has nothing to join: show the points themselves.
  const pointRadius = detail.rtt.length < 30 ? 3 : 0;
  const config = useMemo<ChartConfiguration>(
    () => ({
      type: 'line',
      data: {
        labels: detail.rtt.map((p) => formatTime(p.minuteAt)),
        datasets: [
          {
            label: t('detail.rttAvg'),
            data: detail.rtt.map((p) => p.rttAvgMs),
            borderColor: cssColor('--accent'),
            backgroundColor: cssColor('--accent'),
            pointRadius,
            spanGaps: false,
          },
          {
            label: t('detail.rttMax'),
            data: detail.rtt.map((p) => p.rttMaxMs),
            borderColor: cssColor('--muted'),
            backgroundColor: cssColor('--muted'),
            pointRadius,
            borderDash: [4, 3],
          },
          {
            label: t('detail.failures'),
            type: 'bar',
            data: detail.rtt.map((p) => (p.failures > 0 ? p.failures : null)),
            backgroundColor: cssColor('--offline'),
            yAxisID: 'failures',
          },
        ],
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: {
          y: { beginAtZero: true, title: { display: true, text: 'ms' }, ticks: { color: cssColor('--muted') } },
          failures: {
            position: 'right',
            beginAtZero: true,
            grid: { display: false },
            ticks: { color: cssColor('--muted') },
          },
          x: { ticks: { color: cssColor('--muted'), maxTicksLimit: 12 } },
        },
        plugins: { legend: { labels: { color: cssColor('--text') } } },
      },
    }),
    [detail.rtt, t, i18n.language, pointRadius],
  );
  if (detail.rtt.length === 0) return <p className="muted">{t('detail.noRtt')}</p>;
  return <ChartCanvas config={config} label={t('detail.rtt')} testId="rtt-chart" />;
}
