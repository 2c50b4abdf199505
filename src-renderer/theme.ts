export type Theme = 'dark' | 'light';
const STORAGE_KEY = 'vigia.theme';

/** Control rooms run dark by default: less glare on a wall of monitors at night. */
export function initialTheme(): Theme {
  return localStorage.getItem(STORAGE_KEY) === 'light' ? 'light' : 'dark';
}

export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  localStorage.setItem(STORAGE_KEY, theme);
}
