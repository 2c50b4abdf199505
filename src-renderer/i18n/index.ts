import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { ValidationKey } from '../../src-shared/domain/validation';
import { en } from './en';
import { ptBR } from './pt-BR';

/** Portuguese is the source catalogue; every other language must have the same keys (the compiler checks). */
export type Messages = typeof ptBR;

export const LANGUAGES = [
  { code: 'pt-BR', label: 'Português (Brasil)' },
  { code: 'en', label: 'English' },
] as const;
export type LanguageCode = (typeof LANGUAGES)[number]['code'];

const STORAGE_KEY = 'vigia.language';

// Each validation key of src-shared must have a message in the catalogue.
export const validationMessagesComplete: Record<ValidationKey, string> = ptBR.validation;

export function initialLanguage(): LanguageCode {
  const saved = localStorage.getItem(STORAGE_KEY);
  return LANGUAGES.some((l) => l.code === saved) ? (saved as LanguageCode) : 'pt-BR';
}

export async function setupI18n(): Promise<typeof i18next> {
  await i18next.use(initReactI18next).init({
    resources: { 'pt-BR': { translation: ptBR }, en: { translation: en } },
    lng: initialLanguage(),
    fallbackLng: 'pt-BR',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = i18next.language;
  return i18next;
}

export async function changeLanguage(code: LanguageCode): Promise<void> {
  localStorage.setItem(STORAGE_KEY, code);
  await i18next.changeLanguage(code);
  document.documentElement.lang = code;
}
