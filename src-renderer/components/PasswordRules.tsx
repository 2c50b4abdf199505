import { useTranslation } from 'react-i18next';
import { missingPasswordRules, PASSWORD_MIN_LENGTH, PASSWORD_RULES } from '../../src-shared/domain/password';

/** The policy as a live checklist: the same rule main enforces, shown while the user types. */
export function PasswordRules({ password }: { password: string }) {
  const { t } = useTranslation();
  const missing = new Set(missingPasswordRules(password));
  return (
    <ul className="password-rules" data-testid="password-rules">
      {PASSWORD_RULES.map((rule) => (
        <li key={rule} className={missing.has(rule) ? 'rule rule--missing' : 'rule rule--met'} data-rule={rule}>
          {missing.has(rule) ? '○' : '●'} {t(`password.${rule}`, { min: PASSWORD_MIN_LENGTH })}
        </li>
      ))}
    </ul>
  );
}
