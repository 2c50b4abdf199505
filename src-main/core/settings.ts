import { DEFAULT_MONITOR_SETTINGS, MONITOR_SETTINGS_KEY, MonitorSettings } from '../../src-shared/domain/settings';
import type { Logger } from './contract/server';
import type { Store } from './store/port';

/**
 * Settings are read from the store once and cached: the monitor asks for them
 * every sweep. A stored value that no longer passes its schema (edited by
 * hand, written by an older version) is reported and replaced by defaults for
 * the fields that fail, never trusted.
 */
export class SettingsService {
  private monitorSettings: MonitorSettings = DEFAULT_MONITOR_SETTINGS;

  private constructor(private readonly store: Store) {}

  static async load(store: Store, logger: Logger): Promise<SettingsService> {
    const service = new SettingsService(store);
    const stored = await store.getSetting(MONITOR_SETTINGS_KEY);
    if (stored !== undefined) {
      const merged = MonitorSettings.safeParse({ ...DEFAULT_MONITOR_SETTINGS, ...(stored as object) });
      if (merged.success) service.monitorSettings = merged.data;
      else logger.error('stored monitor settings are invalid; using the defaults', merged.error.issues);
    }
    return service;
  }

  monitor(): MonitorSettings {
    return this.monitorSettings;
  }

  async updateMonitor(next: MonitorSettings): Promise<MonitorSettings> {
    await this.store.setSetting(MONITOR_SETTINGS_KEY, next);
    this.monitorSettings = next;
    return next;
  }
}
