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
