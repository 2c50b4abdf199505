import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/** Local calendar dates (YYYY-MM-DD from date inputs) to the instants a query wants. */
const startOfDay = (date: string) => (date ? new Date(`${date}T00:00:00`).getTime() : undefined);

/**
 * A from/to pair of date inputs. `window` is the query filter: from the start
 * of the first day to the start of the day after the last, so "to" includes
 * its whole day.
 */
export function useDateRange() {
  const { t } = useTranslation();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const fromAt = startOfDay(from);
  const toAt = startOfDay(to);
  const window = {
    ...(fromAt !== undefined ? { from: fromAt } : {}),
    ...(toAt !== undefined ? { to: toAt + 86_400_000 } : {}),
  };
  const inputs = (
    <>
      <label>
        {t('audit.from')}
        <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
      </label>
      <label>
        {t('audit.to')}
        <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
      </label>
    </>
  );
  return { window, inputs };
}
