import { Menu, nativeImage, Tray } from 'electron';
import type { MenuItemConstructorOptions, NativeImage } from 'electron';
import type { WatchState } from '../../src-shared/domain/alarms';

const COLOURS: Readonly<Record<WatchState, readonly [number, number, number]>> = {
  ok: [46, 160, 67],
  warning: [212, 167, 44],
  alarm: [229, 83, 75],
};
const SIZE = 16;

/** A disc in the state's colour, drawn in memory (BGRA): no icon file per state to ship. */
export function stateBitmap(state: WatchState): Buffer {
  const [r, g, b] = COLOURS[state];
  const pixels = Buffer.alloc(SIZE * SIZE * 4);
  const centre = (SIZE - 1) / 2;
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const inside = Math.hypot(x - centre, y - centre) <= SIZE / 2 - 0.5;
      pixels.set(inside ? [b, g, r, 255] : [0, 0, 0, 0], (y * SIZE + x) * 4);
    }
  }
  return pixels;
}

function stateIcon(state: WatchState): NativeImage {
  return nativeImage.createFromBitmap(stateBitmap(state), { width: SIZE, height: SIZE });
}

export interface TrayLabels {
  readonly open: string;
  readonly muteAlarms: string;
  readonly autoStart: string;
  readonly quit: string;
  readonly states: Readonly<Record<WatchState, string>>;
}

export interface TrayActions {
  readonly open: () => void;
  readonly setMuted: (muted: boolean) => void;
  readonly setAutoStart: (enabled: boolean) => void;
  readonly quit: () => void;
}

export function trayMenuTemplate(
  labels: TrayLabels,
  status: { muted: boolean; autoStart: boolean },
  actions: TrayActions,
): MenuItemConstructorOptions[] {
  return [
    { id: 'open', label: labels.open, click: actions.open },
    {
      id: 'mute',
      label: labels.muteAlarms,
      type: 'checkbox',
      checked: status.muted,
      click: () => actions.setMuted(!status.muted),
    },
    {
      id: 'auto-start',
      label: labels.autoStart,
      type: 'checkbox',
      checked: status.autoStart,
      click: () => actions.setAutoStart(!status.autoStart),
    },
    { type: 'separator' },
    { id: 'quit', label: labels.quit, click: actions.quit },
  ];
}

/** The tray icon: the worst current state at a glance, and the way back to the window. */
export class VigiaTray {
  private readonly tray: Tray;
  private state: WatchState = 'ok';
  private muted = false;

  constructor(
    private readonly labels: TrayLabels,
    private readonly actions: TrayActions,
    private autoStart: boolean,
  ) {
    this.tray = new Tray(stateIcon('ok'));
    this.tray.on('click', actions.open);
    this.refresh();
  }

  show(state: WatchState): void {
    if (state === this.state) return;
    this.state = state;
    this.refresh();
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
    this.refresh();
  }

  setAutoStart(enabled: boolean): void {
    this.autoStart = enabled;
    this.refresh();
  }

  destroy(): void {
    this.tray.destroy();
  }

  private refresh(): void {
    this.tray.setImage(stateIcon(this.state));
    this.tray.setToolTip(`Vigia — ${this.labels.states[this.state]}`);
    this.tray.setContextMenu(
      Menu.buildFromTemplate(
        trayMenuTemplate(this.labels, { muted: this.muted, autoStart: this.autoStart }, this.actions),
      ),
    );
  }
}
