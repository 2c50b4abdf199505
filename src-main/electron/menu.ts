import type { MenuItemConstructorOptions } from 'electron';

const LABELS = {
  'pt-BR': {
    file: 'Arquivo',
    exportBi: 'Exportar CSVs do BI…',
    openExports: 'Abrir pasta de exportações',
    view: 'Exibir',
    window: 'Janela',
    help: 'Ajuda',
    about: 'Sobre o Vigia',
  },
  en: {
    file: 'File',
    exportBi: 'Export BI CSVs…',
    openExports: 'Open exports folder',
    view: 'View',
    window: 'Window',
    help: 'Help',
    about: 'About Vigia',
  },
} as const;

export function menuLabels(locale: string) {
  return LABELS[menuLanguage(locale)];
}

/** Menus follow the operating system's language; roles give Electron's own localised labels. */
export function menuLanguage(locale: string): keyof typeof LABELS {
  return locale.toLowerCase().startsWith('pt') ? 'pt-BR' : 'en';
}

export function buildMenuTemplate(
  locale: string,
  options: { devTools: boolean; onExportBi: () => void; onOpenExports: () => void },
): MenuItemConstructorOptions[] {
  const labels = LABELS[menuLanguage(locale)];
  return [
    {
      label: labels.file,
      submenu: [
        { id: 'export-bi', label: labels.exportBi, click: options.onExportBi },
        { id: 'open-exports', label: labels.openExports, click: options.onOpenExports },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    {
      label: labels.view,
      submenu: [
        { role: 'reload' },
        ...(options.devTools ? [{ role: 'toggleDevTools' } as const] : []),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { label: labels.window, submenu: [{ role: 'minimize' }, { role: 'close' }] },
    { label: labels.help, submenu: [{ role: 'about', label: labels.about }] },
  ];
}
