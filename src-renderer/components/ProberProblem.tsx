import { useTranslation } from 'react-i18next';
import type { ProberChoice, ProberProblem } from '../../src-shared/domain/monitoring';

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

/**
 * Why the sweep runs with this prober and not a faster one: each better
 * prober that was tried and could not run, with what to change. Nothing when
 * the best one runs.
 */
export function ProberChoiceNote({ choice }: { choice: ProberChoice }) {
  const { t } = useTranslation();
  const skipped = choice.candidates.filter((c) => c.tried && c.problem !== null && c.name !== choice.active);
  if (skipped.length === 0) return null;
  return (
    <ul className="prober-choice muted" data-testid="prober-choice">
      {skipped.map((c) => (
        <li key={c.name} data-prober={c.name}>
          {t('prober.choiceSkipped', {
            name: t(`prober.names.${c.name}`, { defaultValue: c.name }),
            reason: t(`prober.problems.${c.problem}`, { prober: c.name }),
            fix: t(`prober.fixes.${c.problem}`),
          })}
        </li>
      ))}
    </ul>
  );
}
