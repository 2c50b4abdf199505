import { useTranslation } from 'react-i18next';
import type { SweepHealth } from '../../../src-shared/domain/monitoring';
import { formatNumber, formatSeconds, formatTime } from '../../format';
import { ProberChoiceNote } from '../ProberProblem';

/** Sweeps whose real spacing is this much above the interval are said to overrun, in words. */
const OVERRUN_TOLERANCE = 1.1;

/** True when devices are probed noticeably less often than the settings ask. */
export function overrunning(health: SweepHealth): boolean {
  return health.probeSpacingMs !== null && health.probeSpacingMs > health.intervalMs * OVERRUN_TOLERANCE;
}

/** "Each device is being checked every 31 s, not every 5 s": what an overrun means to an operator. */
export function CapacityWarning({ health }: { health: SweepHealth }) {
  const { t } = useTranslation();
  if (!overrunning(health)) return null;
  return (
    <p className="warn capacity-warning" role="status" data-testid="capacity-warning">
      {t('dashboard.capacity', {
        actual: formatNumber(Math.round(health.probeSpacingMs! / 1000)),
        wanted: formatNumber(Math.round(health.intervalMs / 1000)),
      })}{' '}
      {t('dashboard.capacityHint')}
    </p>
  );
}

export function SweepHealthCard({ health }: { health: SweepHealth | undefined }) {
  const { t } = useTranslation();
  const last = health?.last;
  const proberName = (name: string) => t(`prober.names.${name}`, { defaultValue: name });
  return (
    <article className="card" data-testid="sweep-health">
      <h2>{t('dashboard.sweepHealth')}</h2>
      {health && last ? (
        <>
          <CapacityWarning health={health} />
          <dl className="facts">
            <dt>{t('dashboard.lastSweep')}</dt>
            <dd>{formatTime(last.startedAt)}</dd>
            <dt>{t('dashboard.duration')}</dt>
            <dd data-testid="sweep-duration">{formatSeconds(last.durationMs)}</dd>
            <dt>{t('dashboard.devicesProbed')}</dt>
            <dd>{last.devicesProbed === null ? '—' : formatNumber(last.devicesProbed)}</dd>
            <dt>{t('dashboard.devicesPerSecond')}</dt>
            <dd>{health.devicesPerSecond === null ? '—' : formatNumber(health.devicesPerSecond, 1)}</dd>
            <dt>{t('dashboard.overruns')}</dt>
            <dd className={health.overrunsLastHour > 0 ? 'warn' : undefined}>
              {t('dashboard.overrunsValue', { overruns: health.overrunsLastHour, sweeps: health.sweepsLastHour })}
            </dd>
            <dt>{t('dashboard.prober')}</dt>
            <dd className={last.proberProblem ? 'bad' : undefined} data-testid="prober-state">
              {last.proberProblem
                ? t('dashboard.proberBroken', { prober: proberName(last.prober) })
                : t('dashboard.proberWorks', { prober: proberName(last.prober) })}
            </dd>
          </dl>
          <ProberChoiceNote choice={health.prober} />
        </>
      ) : (
        <p className="muted">{t('dashboard.noSweep')}</p>
      )}
    </article>
  );
}
