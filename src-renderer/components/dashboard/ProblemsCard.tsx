import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Problem } from '../../../src-shared/domain/monitoring';
import { formatDateTime, formatDuration } from '../../format';

/** The clock of a list of durations: "down for 3 min" must keep counting without a reload. */
export function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** What is down now, longest first: the first thing a control room looks at. */
export function ProblemsCard({ data }: { data: { total: number; problems: Problem[] } | undefined }) {
  const { t } = useTranslation();
  const now = useNow(15_000);
  const problems = data?.problems ?? [];
  return (
    <article className="card card--problems" data-testid="problems">
      <h2>
        {t('dashboard.problems')}{' '}
        <span className={`count-pill${data && data.total > 0 ? ' count-pill--bad' : ''}`} data-testid="problem-count">
          {data?.total ?? '—'}
        </span>
      </h2>
      {data && data.total === 0 && <p className="muted">{t('dashboard.noProblems')}</p>}
      {problems.length > 0 && (
        <table className="grid grid--compact">
          <thead>
            <tr>
              <th>{t('workflow.device')}</th>
              <th>{t('devices.area')}</th>
              <th>{t('dashboard.downSince')}</th>
              <th>{t('dashboard.downFor')}</th>
            </tr>
          </thead>
          <tbody>
            {problems.map((p) => (
              <tr key={p.deviceId} data-problem-device={p.deviceName}>
                <td className="nowrap">
                  <a href={`#/devices/${p.deviceId}`}>{p.deviceName}</a>
                  {p.behindDownParent && (
                    <span className="badge badge--behind-parent" data-testid="behind-parent">
                      {t('alarms.behindParent')}
                    </span>
                  )}
                </td>
                <td className="mono">{p.areaCode}</td>
                <td className="nowrap">{formatDateTime(p.since)}</td>
                <td className="nowrap">{formatDuration(Math.max(0, (now - p.since) / 1000))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data && data.total > problems.length && (
        <p className="muted">
          <a href="#/devices?status=OFFLINE&sort=duration">
            {t('dashboard.moreProblems', { count: data.total - problems.length })}
          </a>
        </p>
      )}
    </article>
  );
}
