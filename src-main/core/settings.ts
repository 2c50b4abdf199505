import type { z } from 'zod';
import {
  DEFAULT_DELIVERY_SETTINGS,
  DELIVERY_SETTINGS_KEY,
  StoredDeliverySettings,
} from '../../src-shared/domain/alarm-delivery';
import { ALARM_SETTINGS_KEY, AlarmSettings, DEFAULT_ALARM_SETTINGS } from '../../src-shared/domain/alarms';
import { BI_SETTINGS_KEY, BiExportSettings, DEFAULT_BI_SETTINGS } from '../../src-shared/domain/bi';
import {
  DEFAULT_MONITOR_SETTINGS,
  DEFAULT_SECURITY_SETTINGS,
  MONITOR_SETTINGS_KEY,
  MonitorSettings,
  SECURITY_SETTINGS_KEY,
  SecuritySettings,
} from '../../src-shared/domain/settings';
import type { Logger } from './runtime';
import type { AuditWrite } from './audit';
import type { Store } from './store/port';

/**
 * Settings are read from the store once and cached: the monitor asks for them
 * every sweep. A stored value that no longer passes its schema (edited by
 * hand, written by an older version) is reported and replaced by defaults for
 * the fields that fail, never trusted.
 */
export class SettingsService {
  private monitorSettings: MonitorSettings = DEFAULT_MONITOR_SETTINGS;
  private securitySettings: SecuritySettings = DEFAULT_SECURITY_SETTINGS;
  private biSettings: BiExportSettings = DEFAULT_BI_SETTINGS;
  private alarmSettings: AlarmSettings = DEFAULT_ALARM_SETTINGS;
  private deliverySettings: StoredDeliverySettings = DEFAULT_DELIVERY_SETTINGS;

  private constructor(private readonly store: Store) {}

  static async load(store: Store, logger: Logger): Promise<SettingsService> {
    const service = new SettingsService(store);
    service.monitorSettings = await loadOne(
      store,
      logger,
      MONITOR_SETTINGS_KEY,
      MonitorSettings,
      DEFAULT_MONITOR_SETTINGS,
    );
    service.securitySettings = await loadOne(
      store,
      logger,
      SECURITY_SETTINGS_KEY,
      SecuritySettings,
      DEFAULT_SECURITY_SETTINGS,
    );
    service.biSettings = await loadOne(store, logger, BI_SETTINGS_KEY, BiExportSettings, DEFAULT_BI_SETTINGS);
    service.alarmSettings = await loadOne(store, logger, ALARM_SETTINGS_KEY, AlarmSettings, DEFAULT_ALARM_SETTINGS);
    service.deliverySettings = await loadOne(
      store,
      logger,
      DELIVERY_SETTINGS_KEY,
      StoredDeliverySettings,
      DEFAULT_DELIVERY_SETTINGS,
    );
    return service;
  }

  monitor(): MonitorSettings {
    return this.monitorSettings;
  }

  security(): SecuritySettings {
    return this.securitySettings;
  }

  bi(): BiExportSettings {
    return this.biSettings;
  }

  alarms(): AlarmSettings {
    return this.alarmSettings;
  }

  delivery(): StoredDeliverySettings {
    return this.deliverySettings;
  }

  async updateAlarms(next: AlarmSettings, audit?: AuditWrite<unknown>): Promise<AlarmSettings> {
    await this.store.setSetting(ALARM_SETTINGS_KEY, next, audit);
    this.alarmSettings = next;
    return next;
  }

  async updateDelivery(next: StoredDeliverySettings, audit?: AuditWrite<unknown>): Promise<StoredDeliverySettings> {
    await this.store.setSetting(DELIVERY_SETTINGS_KEY, next, audit);
    this.deliverySettings = next;
    return next;
  }

  async updateBi(next: BiExportSettings, audit?: AuditWrite<unknown>): Promise<BiExportSettings> {
    await this.store.setSetting(BI_SETTINGS_KEY, next, audit);
    this.biSettings = next;
    return next;
  }

  async updateMonitor(next: MonitorSettings, audit?: AuditWrite<unknown>): Promise<MonitorSettings> {
    await this.store.setSetting(MONITOR_SETTINGS_KEY, next, audit);
    this.monitorSettings = next;
    return next;
  }

  async updateSecurity(next: SecuritySettings, audit?: AuditWrite<unknown>): Promise<SecuritySettings> {
    await this.store.setSetting(SECURITY_SETTINGS_KEY, next, audit);
    this.securitySettings = next;
    return next;
  }
}

async function loadOne<T extends object>(
  store: Store,
  logger: Logger,
  key: string,
  schema: z.ZodType<T>,
  defaults: T,
): Promise<T> {
  const stored = await store.getSetting(key);
  if (stored === undefined) return defaults;
  const merged = schema.safeParse({ ...defaults, ...(typeof stored === 'object' ? stored : {}) });
  if (merged.success) return merged.data;
  logger.error(`stored ${key} settings are invalid; using the defaults`, merged.error.issues);
  return defaults;
}
