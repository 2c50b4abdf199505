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

/**
 * http(s) only: a webhook is never file:, javascript: or anything else a URL
 * parser also accepts. (src-shared has no URL class: it runs in every layer.)
 */
const HTTP_URL =
  /^https?:\/\/(?:[^\s/?#@]+@)?(?:\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)(?::\d{1,5})?(?:[/?#]\S*)?$/i;
export function isHttpUrl(value: string): boolean {
  return value.length <= 2000 && HTTP_URL.test(value);
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

export const MESSAGE_LANGUAGES = ['pt-BR', 'en'] as const;

export const DeliverySettingsInput = z
  .object({
    /** The language of e-mails and webhook messages. */
    language: z.enum(MESSAGE_LANGUAGES, { error: 'invalid_choice' }),
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
  readonly language: (typeof MESSAGE_LANGUAGES)[number];
  readonly smtp: SmtpSettings & { readonly passwordSet: boolean };
  readonly rules: DeliveryRule[];
}

/** As stored: the password with it, until issue 14 moves secrets into the OS's keeping. */
export const StoredDeliverySettings = DeliverySettingsInput.extend({
  smtp: SmtpSettings.extend({ password: z.string().max(200, { error: 'too_long' }) }).strict(),
}).strict();
export type StoredDeliverySettings = z.output<typeof StoredDeliverySettings>;

export const DEFAULT_DELIVERY_SETTINGS: StoredDeliverySettings = {
  language: 'pt-BR',
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

/** Where an SMTP test stopped, so Settings can say what failed. */
export const SMTP_STAGES = ['connect', 'tls', 'auth', 'send', 'other'] as const;
export type SmtpStage = (typeof SMTP_STAGES)[number];

export type SmtpTestResult =
  { readonly ok: true } | { readonly ok: false; readonly stage: SmtpStage; readonly message: string };
