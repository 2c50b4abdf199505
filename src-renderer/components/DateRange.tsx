import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/** The order a language writes dates in: day first in Portuguese, month first in English. */
function dayFirst(language: string): boolean {
  return !language.startsWith('en');
}

/**
 * A date typed as the operator writes it (dd/mm/aaaa in Portuguese,
 * mm/dd/yyyy in English), whatever the browser's own locale: the start of
 * that local day, or null when it is not a real date.
 */
export function parseTypedDate(text: string, language: string): number | null {
  const match = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(text);
  if (!match) return null;
  const [a, b, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const [day, month] = dayFirst(language) ? [a, b] : [b, a];
  const date = new Date(year, month - 1, day);
  return date.getFullYear() === year && date.getMonth() === month - 1 && date.getDate() === day ? date.getTime() : null;
}

/** The start of the local day after the one starting at `start` (23 or 25 hours later on a DST change). */
function nextDay(start: number): number {
  const date = new Date(start);
  date.setDate(date.getDate() + 1);
  return date.getTime();
}

function DateField({
  label,
  value,
  onChange,
  invalid,
  testId,
}: {
  label: string;
  value: string;
  onChange: (text: string) => void;
  invalid: boolean;
  testId: string;
}) {
  const { t, i18n } = useTranslation();
  return (
    <label>
      {label}
      <input
        type="text"
        inputMode="numeric"
        value={value}
        placeholder={dayFirst(i18n.language) ? t('dates.placeholderDayFirst') : t('dates.placeholderMonthFirst')}
        aria-invalid={invalid || undefined}
        className={invalid ? 'invalid' : undefined}
        onChange={(e) => onChange(e.target.value)}
        data-testid={testId}
      />
      {invalid && <span className="field-error">{t('dates.invalid')}</span>}
    </label>
  );
}

/**
 * A from/to pair of dates. `window` is the query filter: from the start of
 * the first day to the start of the day after the last, so "to" includes its
 * whole day. A date still being typed (or not a date) filters nothing.
 */
export function useDateRange() {
  const { t, i18n } = useTranslation();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const fromAt = from.trim() ? parseTypedDate(from, i18n.language) : null;
  const toAt = to.trim() ? parseTypedDate(to, i18n.language) : null;
  const window = {
    ...(fromAt !== null ? { from: fromAt } : {}),
    ...(toAt !== null ? { to: nextDay(toAt) } : {}),
  };
  const complete = (text: string) => /^\s*\d{1,2}\/\d{1,2}\/\d{4}\s*$/.test(text);
  const inputs = (
    <>
      <DateField
        label={t('audit.from')}
        value={from}
        onChange={setFrom}
        invalid={complete(from) && fromAt === null}
        testId="date-from"
      />
      <DateField
        label={t('audit.to')}
        value={to}
        onChange={setTo}
        invalid={complete(to) && toAt === null}
        testId="date-to"
      />
    </>
  );
  return { window, inputs };
}
