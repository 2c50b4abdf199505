import { useTranslation } from 'react-i18next';
import type { ProberProblem } from '../../src-shared/domain/monitoring';

/**
 * What the operator must know when probes cannot run: that nothing is being
 * watched, why, and what to do about it, in words. Devices keep their status
 * meanwhile and the time counts as no data, not as an outage.
 */
export function ProberProblemBanner({ problem, prober }: { problem: ProberProblem; prober: string }) {
  const { t } = useTranslation();
  return (
    <div className="error-banner prober-problem" role="alert" data-testid="prober-problem">
      <strong>{t('prober.notRunning')}</strong> {t(`prober.problems.${problem}`, { prober })}{' '}
      <span>{t(`prober.fixes.${problem}`)}</span> {t('prober.meanwhile')}
    </div>
  );
}
