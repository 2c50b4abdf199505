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
    open: 'Abrir o Vigia',
    muteAlarms: 'Silenciar alarmes nesta estação',
    autoStart: 'Iniciar com o Windows',
    quit: 'Sair',
    cancel: 'Cancelar',
    quitQuestion: 'Sair do Vigia?',
    quitCentral:
      'Esta estação é a central: o monitoramento para enquanto o Vigia estiver fechado, e esse tempo fica sem dados. Para só esconder a janela, feche-a: o Vigia continua na bandeja.',
    quitOther: 'Os alarmes deixam de aparecer e tocar nesta estação.',
    states: { ok: 'tudo normal', warning: 'alarmes em aberto', alarm: 'alarme sem reconhecimento' },
  },
  en: {
    file: 'File',
    exportBi: 'Export BI CSVs…',
    openExports: 'Open exports folder',
    view: 'View',
    window: 'Window',
    help: 'Help',
    about: 'About Vigia',
    open: 'Open Vigia',
    muteAlarms: 'Mute alarms on this workstation',
    autoStart: 'Start with Windows',
    quit: 'Quit',
    cancel: 'Cancel',
    quitQuestion: 'Quit Vigia?',
    quitCentral:
      'This workstation is the central: monitoring stops while Vigia is closed, and that time has no data. To only hide the window, close it: Vigia stays in the tray.',
    quitOther: 'Alarms will no longer show or sound on this workstation.',
    states: { ok: 'all normal', warning: 'alarms open', alarm: 'unacknowledged alarm' },
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
