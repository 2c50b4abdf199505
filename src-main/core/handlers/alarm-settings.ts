import type { DeliverySettingsView, StoredDeliverySettings } from '../../../src-shared/domain/alarm-delivery';
import { testSmtp } from '../alarms/senders';
import type { AuditWrite } from '../audit';
import type { HandlersFor } from '../contract/server';
import type { Session } from '../contract/session';
import type { HandlerContext } from './context';

type AlarmSettingsHandlers = Pick<
  HandlersFor<'settings'>,
  `settings.${'alarms' | 'delivery'}.${'get' | 'update' | 'testSmtp'}` & keyof HandlersFor<'settings'>
>;

/** The screen never gets the SMTP password back: only whether one is stored. */
function view(stored: StoredDeliverySettings): DeliverySettingsView {
  const { password, ...smtp } = stored.smtp;
  return { language: stored.language, rules: stored.rules, smtp: { ...smtp, passwordSet: password.length > 0 } };
}

type Smtp = StoredDeliverySettings['smtp'];

/**
 * The stored password goes only to the server it was typed for: pointed at
 * another host, port or user, it is dropped unless typed again — otherwise
 * whoever may edit settings could send it to a server of their own.
 */
function keptPassword(typed: string | undefined, next: Omit<Smtp, 'password'>, stored: Smtp): string {
  if (typed !== undefined) return typed;
  const sameServer = next.host === stored.host && next.port === stored.port && next.username === stored.username;
  return sameServer ? stored.password : '';
}

export function alarmSettingsHandlers({ settings, emit, auditor }: HandlerContext): AlarmSettingsHandlers {
  const audit = (session: Session, key: string): AuditWrite<unknown> =>
    auditor.change(session, 'settings.update', () => ({ entityId: key, label: key, areaId: null }));
  return {
    'settings.alarms.get': () => Promise.resolve(settings.alarms()),
    'settings.alarms.update': async (next, { session }) => {
      const saved = await settings.updateAlarms(next, audit(session, 'alarms'));
      emit('settings.changed', { keys: ['alarms'] });
      return saved;
    },
    'settings.delivery.get': () => Promise.resolve(view(settings.delivery())),
    'settings.delivery.update': async ({ smtp: { password, ...smtp }, ...rest }, { session }) => {
      const stored = settings.delivery();
      const next: StoredDeliverySettings = {
        ...rest,
        smtp: { ...smtp, password: keptPassword(password, smtp, stored.smtp) },
      };
      const saved = await settings.updateDelivery(next, audit(session, 'alarmDelivery'));
      emit('settings.changed', { keys: ['alarmDelivery'] });
      return view(saved);
    },
    'settings.delivery.testSmtp': ({ smtp: { password, ...smtp }, to }) =>
      testSmtp({ ...smtp, password: keptPassword(password, smtp, settings.delivery().smtp) }, to),
  };
}
