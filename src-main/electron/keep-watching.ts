/**
 * A control room leaves Vigia running for months: closing the window hides
 * it (the tray keeps it), and quitting asks first, saying that a central's
 * monitoring stops with it. Kept apart from Electron's objects so the rules
 * are tested as they are.
 */
export class KeepWatching {
  private quitting = false;

  constructor(
    private readonly options: {
      /** Asks the person; true: quit. */
      readonly confirmQuit: () => Promise<boolean>;
      /** Quits for real (app.quit), once confirmed. */
      readonly quit: () => void;
    },
  ) {}

  /** The window's close button: hide, keep monitoring. */
  onWindowClose(event: { preventDefault(): void }, window: { hide(): void }): void {
    if (this.quitting) return;
    event.preventDefault();
    window.hide();
  }

  /** app 'before-quit' (the menu's Quit, the tray's, the OS): asks first; true when the quit goes on. */
  onBeforeQuit(event: { preventDefault(): void }): boolean {
    if (this.quitting) return true;
    event.preventDefault();
    void this.requestQuit();
    return false;
  }

  async requestQuit(): Promise<void> {
    if (this.quitting) return;
    if (!(await this.options.confirmQuit())) return;
    this.quitting = true;
    this.options.quit();
  }
}
