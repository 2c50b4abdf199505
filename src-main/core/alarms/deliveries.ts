import { splitAddresses } from '../../../src-shared/domain/alarm-delivery';
import type { DeliveryRule, StoredDeliverySettings } from '../../../src-shared/domain/alarm-delivery';
import { severityAtLeast } from '../../../src-shared/domain/alarms';
import type { Alarm } from '../../../src-shared/domain/alarms';
import type { Clock, Logger } from '../runtime';
import type { DueDelivery, NewDelivery, Store } from '../store/port';
import { alarmText, alarmTitle, webhookBody } from './messages';
import { describeSmtpFailure, postWebhook, sendEmail } from './senders';

const MINUTE = 60_000;
/** Attempts before a delivery is given up and shown as failed. */
export const MAX_ATTEMPTS = 8;
const FIRST_RETRY_MS = 30_000;
const LONGEST_RETRY_MS = 30 * MINUTE;
const BATCH = 20;

/** 30 s, 1 min, 2 min, … up to 30 min between attempts. */
export function retryDelay(attemptsMade: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attemptsMade - 1), LONGEST_RETRY_MS);
}

export interface DelivererOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly settings: () => StoredDeliverySettings;
  readonly timeZone: string;
  /** A delivery changed state: the alarms screen lists them. */
  readonly onChanged: () => void;
}

/**
 * Turns open, unacknowledged alarms into e-mails and webhook calls by the
 * rules (area, severity, delay, repeat), and sends them, retrying failures
 * with a growing pause and keeping every outcome in the store: a delivery is
 * sent, waiting for its next attempt, or shown as failed, never dropped.
 */
export class AlarmDeliverer {
  constructor(private readonly options: DelivererOptions) {}

  /** Queues what the rules ask for now, then sends what is due. */
  async run(openAlarms: readonly Alarm[]): Promise<void> {
    await this.queueDue(openAlarms);
    await this.sendDue();
  }

  async queueDue(openAlarms: readonly Alarm[]): Promise<void> {
    const { store, clock, settings } = this.options;
    const { rules, language } = settings();
    const waiting = openAlarms.filter((a) => a.clearedAt === null && a.acknowledgedAt === null);
    if (rules.length === 0 || waiting.length === 0) return;
    const now = clock.now();
    const last = await store.lastQueuedDeliveries(waiting.map((a) => a.id));
    const queue: NewDelivery[] = [];
    for (const alarm of waiting) {
      for (const rule of rules) {
        if (!ruleCovers(rule, alarm) || now - alarm.openedAt < rule.delayMinutes * MINUTE) continue;
        const previous = last.get(`${alarm.id}:${rule.name}`);
        const due = previous === undefined || (rule.repeatMinutes > 0 && now - previous >= rule.repeatMinutes * MINUTE);
        if (!due) continue;
        queue.push({
          alarmId: alarm.id,
          ruleName: rule.name,
          channel: rule.channel,
          target: rule.target,
          payload: JSON.stringify(this.payload(rule, alarm, language)),
          at: now,
        });
      }
    }
    if (queue.length === 0) return;
    await store.queueDeliveries(queue);
    this.options.onChanged();
  }

  async sendDue(): Promise<void> {
    const { store, clock } = this.options;
    const due = await store.listDueDeliveries(clock.now(), BATCH);
    for (const delivery of due) {
      const error = await this.attempt(delivery);
      const at = clock.now();
      const attempts = delivery.attempts + 1;
      const retryAt = error === null || attempts >= MAX_ATTEMPTS ? null : at + retryDelay(attempts);
      await store.finishDeliveryAttempt({ id: delivery.id, at, error, retryAt });
      if (error !== null) {
        this.options.logger.warn(
          `alarm ${delivery.channel} to ${delivery.target} failed (attempt ${attempts} of ${MAX_ATTEMPTS}): ${error}` +
            (retryAt === null ? '; given up, shown in the alarms screen' : ''),
        );
      }
    }
    if (due.length > 0) this.options.onChanged();
  }

  private payload(rule: DeliveryRule, alarm: Alarm, language: StoredDeliverySettings['language']) {
    const { timeZone } = this.options;
    if (rule.channel === 'email') {
      return { subject: `Vigia ${alarmTitle(alarm, language)}`, text: alarmText(alarm, language, timeZone) };
    }
    return webhookBody(alarm, rule.format, rule.chatId, language, timeZone);
  }

  /** Null when sent; else what failed, in words. */
  private async attempt(delivery: DueDelivery): Promise<string | null> {
    try {
      const payload = JSON.parse(delivery.payload) as unknown;
      if (delivery.channel === 'email') {
        const { subject, text } = payload as { subject: string; text: string };
        await sendEmail(this.options.settings().smtp, splitAddresses(delivery.target), subject, text);
      } else {
        await postWebhook(delivery.target, payload);
      }
      return null;
    } catch (error) {
      if (delivery.channel === 'email') {
        const { stage, message } = describeSmtpFailure(error);
        return `${stage}: ${message}`;
      }
      return inWords(error);
    }
  }
}

function ruleCovers(rule: DeliveryRule, alarm: Alarm): boolean {
  if (!severityAtLeast(alarm.severity, rule.minSeverity)) return false;
  return rule.areaIds.length === 0 || (alarm.areaId !== null && rule.areaIds.includes(alarm.areaId));
}

/** fetch says only "fetch failed"; the reason (refused, unknown host, timeout) is in its cause. */
function inWords(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}
