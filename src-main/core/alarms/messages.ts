import type { WebhookFormat } from '../../../src-shared/domain/alarm-delivery';
import type { Alarm, AlarmKind } from '../../../src-shared/domain/alarms';

/**
 * The words of an alarm sent out of the building. The control room speaks
 * Brazilian Portuguese; English for an installation that chose it.
 */
export type MessageLanguage = 'pt-BR' | 'en';

const KIND_WORDS: Record<MessageLanguage, Record<AlarmKind, string>> = {
  'pt-BR': {
    device_offline: 'Dispositivo fora do ar',
    device_unstable: 'Dispositivo instável',
    area_link_lost: 'Área sem link',
    agent_silent: 'Agente da área em silêncio',
    sweep_overrun: 'Varreduras atrasadas',
    store_capacity: 'Banco de dados perto do limite',
    video_bad: 'Câmera sem imagem boa',
  },
  en: {
    device_offline: 'Device down',
    device_unstable: 'Device unstable',
    area_link_lost: 'Area link lost',
    agent_silent: "Area's agent silent",
    sweep_overrun: 'Sweeps overrunning',
    store_capacity: 'Store near capacity',
    video_bad: 'Camera picture bad',
  },
};

const SINCE: Record<MessageLanguage, string> = { 'pt-BR': 'desde', en: 'since' };
const SEVERITY_WORDS: Record<MessageLanguage, Record<Alarm['severity'], string>> = {
  'pt-BR': { critical: 'CRÍTICO', major: 'ALTO', minor: 'BAIXO' },
  en: { critical: 'CRITICAL', major: 'MAJOR', minor: 'MINOR' },
};

/** "[CRÍTICO] Área sem link — ITA": the subject line, the chat line. */
export function alarmTitle(alarm: Alarm, language: MessageLanguage): string {
  const what = [alarm.areaCode, alarm.deviceName].filter((p) => p !== null).join(' / ');
  const kind = KIND_WORDS[language][alarm.kind];
  return `[${SEVERITY_WORDS[language][alarm.severity]}] ${kind}${what ? ` — ${what}` : ''}`;
}

export function alarmText(alarm: Alarm, language: MessageLanguage, timeZone: string): string {
  const since = new Date(alarm.openedAt).toLocaleString(language, { timeZone });
  const details = Object.entries(alarm.detail)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return `${alarmTitle(alarm, language)}\n${SINCE[language]} ${since}${details ? `\n${details}` : ''}`;
}

const THEME = { critical: 'C50F1F', major: 'E8590C', minor: 'F2C94C' } as const;

/** The body of a webhook call in the format its receiver reads. */
export function webhookBody(
  alarm: Alarm,
  format: WebhookFormat,
  chatId: string,
  language: MessageLanguage,
  timeZone: string,
): unknown {
  const text = alarmText(alarm, language, timeZone);
  switch (format) {
    case 'telegram':
      return { chat_id: chatId, text };
    case 'teams':
      return {
        '@type': 'MessageCard',
        '@context': 'https://schema.org/extensions',
        summary: alarmTitle(alarm, language),
        themeColor: THEME[alarm.severity],
        title: alarmTitle(alarm, language),
        text: text.replace(/\n/g, '<br>'),
      };
    case 'json':
      return { text, alarm };
  }
}
