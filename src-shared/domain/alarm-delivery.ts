import { z } from 'zod';
import { ALARM_SEVERITIES } from './alarms';
import type { AlarmKind, AlarmSeverity } from './alarms';

/**
 * Alarms out of the building: e-mail over SMTP and a generic webhook, per
 * area and severity, with a delay ("only if still down after 2 min") and a
 * repeat interval while nobody acknowledges.
 */
export const DELIVERY_CHANNELS = ['email', 'webhook'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];

/** JSON of the alarm; Telegram's sendMessage body; a Teams incoming-webhook card. */
export const WEBHOOK_FORMATS = ['json', 'telegram', 'teams'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** http(s) only: a webhook is never file:, javascript: or anything a URL parser also accepts. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
  } catch {
    return false;
  }
}

const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;
export function isEmailAddress(value: string): boolean {
  return value.length <= 254 && EMAIL.test(value);
}

/** "a@x.com, b@y.com" → the addresses, trimmed. */
export function splitAddresses(list: string): string[] {
  return list
    .split(/[,;]/)
    .map((a) => a.trim())
    .filter((a) => a.length > 0);
}

const whole = (min: number, max: number) =>
  z
    .number({ error: 'required' })
    .int({ error: 'invalid' })
    .min(min, { error: 'out_of_range' })
    .max(max, { error: 'out_of_range' });

export const DeliveryRule = z
  .object({
    name: z.string({ error: 'required' }).trim().min(1, { error: 'required' }).max(100, { error: 'too_long' }),
    channel: z.enum(DELIVERY_CHANNELS, { error: 'invalid_choice' }),
    /** E-mail: addresses separated by commas; webhook: an http(s) URL. */
    target: z.string({ error: 'required' }).trim().min(1, { error: 'required' }).max(2000, { error: 'too_long' }),
    format: z.enum(WEBHOOK_FORMATS, { error: 'invalid_choice' }),
    /** Telegram needs the chat to post to; ignored by the other formats. */
    chatId: z.string().trim().max(100, { error: 'too_long' }),
    /** Empty: every area. */
    areaIds: z.array(z.number().int().positive()).max(1000),
    /** This severity or worse. */
    minSeverity: z.enum(ALARM_SEVERITIES, { error: 'invalid_choice' }),
    /** Sent only if the alarm is still open and unacknowledged after this long; 0: at once. */
    delayMinutes: whole(0, 1440),
    /** Sent again this often while it stays open and unacknowledged; 0: once. */
    repeatMinutes: whole(0, 10_080),
  })
  .strict()
  .superRefine((rule, ctx) => {
    if (rule.channel === 'webhook' && !isHttpUrl(rule.target)) {
      ctx.addIssue({ code: 'custom', message: 'invalid_url', path: ['target'] });
    }
    if (rule.channel === 'email' && !splitAddresses(rule.target).every(isEmailAddress)) {
      ctx.addIssue({ code: 'custom', message: 'invalid_email', path: ['target'] });
    }
  });
export type DeliveryRule = z.output<typeof DeliveryRule>;

export const SMTP_SECURITY = ['starttls', 'tls', 'none'] as const;

/** The password is write-only: the screen gets `passwordSet`, never the password. */
export const SmtpSettings = z
  .object({
    /** Empty: no e-mail is sent (e-mail rules fail with "SMTP not configured", shown, not dropped). */
    host: z.string().trim().max(253, { error: 'too_long' }),
    port: whole(1, 65_535),
    security: z.enum(SMTP_SECURITY, { error: 'invalid_choice' }),
    username: z.string().trim().max(200, { error: 'too_long' }),
    from: z
      .string()
      .trim()
      .max(254, { error: 'too_long' })
      .refine((v) => v === '' || isEmailAddress(v), { error: 'invalid_email' }),
  })
  .strict();
export type SmtpSettings = z.output<typeof SmtpSettings>;

export const DeliverySettingsInput = z
  .object({
    smtp: SmtpSettings.extend({
      /** Absent: keep the stored one; empty: remove it. */
      password: z.string().max(200, { error: 'too_long' }).optional(),
    }).strict(),
    rules: z.array(DeliveryRule).max(50, { error: 'out_of_range' }),
  })
  .strict();
export type DeliverySettingsInput = z.input<typeof DeliverySettingsInput>;

/** What Settings shows. */
export interface DeliverySettingsView {
  readonly smtp: SmtpSettings & { readonly passwordSet: boolean };
  readonly rules: DeliveryRule[];
}

/** As stored (the password with it, until issue 14 moves secrets to the OS's keeping). */
export interface StoredDeliverySettings {
  readonly smtp: SmtpSettings & { readonly password: string };
  readonly rules: DeliveryRule[];
}

export const DEFAULT_DELIVERY_SETTINGS: StoredDeliverySettings = {
  smtp: { host: '', port: 587, security: 'starttls', username: '', from: '', password: '' },
  rules: [],
};
export const DELIVERY_SETTINGS_KEY = 'alarmDelivery';

export type DeliveryStatus = 'pending' | 'sent' | 'failed';

/** One e-mail or webhook call, as the alarms screen lists it. */
export interface AlarmDelivery {
  readonly id: number;
  readonly alarmId: number;
  readonly alarmKind: AlarmKind;
  readonly severity: AlarmSeverity;
  readonly areaCode: string | null;
  readonly deviceName: string | null;
  readonly ruleName: string;
  readonly channel: DeliveryChannel;
  readonly target: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly createdAt: number;
  readonly nextAttemptAt: number | null;
  readonly sentAt: number | null;
}
