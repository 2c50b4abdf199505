import i18next from 'i18next';

export function formatDateTime(at: number): string {
  return new Intl.DateTimeFormat(i18next.language, { dateStyle: 'short', timeStyle: 'medium' }).format(at);
}

export function formatTime(at: number): string {
  return new Intl.DateTimeFormat(i18next.language, { timeStyle: 'short' }).format(at);
}

export function formatPercent(value: number | null): string {
  if (value === null) return '—';
  return `${new Intl.NumberFormat(i18next.language, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value)} %`;
}

export function formatNumber(value: number, digits = 0): string {
  return new Intl.NumberFormat(i18next.language, { maximumFractionDigits: digits }).format(value);
}

/** 3725 s -> "1 h 2 min"; short spans keep their seconds. */
export function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.round(seconds % 60);
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min ${s} s`;
  return `${s} s`;
}

/** 2234 ms -> "2,2 s" in Portuguese, "2.2 s" in English. */
export function formatSeconds(ms: number): string {
  return `${new Intl.NumberFormat(i18next.language, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(ms / 1000)} s`;
}

/** A local calendar day ('2026-11-02') as the operator writes it: 02/11 in Portuguese, 11/02 in English. */
export function formatDayMonth(isoDate: string): string {
  return new Intl.DateTimeFormat(i18next.language, { day: '2-digit', month: '2-digit', timeZone: 'UTC' }).format(
    Date.parse(`${isoDate}T00:00:00Z`),
  );
}

/** An instant as a date only, in the operator's language (dd/mm/aaaa in Portuguese). */
export function formatDate(at: number): string {
  return new Intl.DateTimeFormat(i18next.language, { dateStyle: 'short' }).format(at);
}
