import { useCallback, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { ALARM_SEVERITIES } from '../../src-shared/domain/alarms';
import type { Alarm } from '../../src-shared/domain/alarms';
import alarmSoundUrl from '../../resources/sounds/alarm.wav?url';
import {
  notificationsUndecided,
  useAlarmNotifications,
  useAlarmSound,
  useFaviconBadge,
  useMuted,
  useTitleBadge,
} from '../alarm-signals';
import { useQuery } from '../context';
import { formatDateTime } from '../format';

/** "Área sem link — ITA", "Dispositivo fora do ar — CAM-03 (ITA)". */
export function useAlarmWords(): (alarm: Alarm) => string {
  const { t } = useTranslation();
  return useCallback(
    (alarm: Alarm) => {
      const kind = t(`alarms.kinds.${alarm.kind}`);
      if (alarm.deviceName) return `${kind} — ${alarm.deviceName}${alarm.areaCode ? ` (${alarm.areaCode})` : ''}`;
      return alarm.areaCode ? `${kind} — ${alarm.areaCode}` : kind;
    },
    [t],
  );
}

/**
 * On every screen, under the connection bar: how many alarms wait for
 * acknowledgement, in the colour of the worst; the sound, the title, the
 * favicon and the notifications follow it. A wall display shows one area's.
 */
export function AlarmBar({ areaId }: { areaId?: number }) {
  const { t } = useTranslation();
  const board = useQuery('alarms.board', areaId === undefined ? {} : { areaId }, ['alarms.changed']);
  const words = useAlarmWords();
  const waiting = (board.data?.alarms ?? []).filter((a) => a.acknowledgedAt === null);
  const count = board.data?.unacknowledged ?? 0;
  const worst = ALARM_SEVERITIES.find((s) => waiting.some((a) => a.severity === s && a.clearedAt === null));
  const [muted, setMuted] = useMuted();
  const audio = useRef<HTMLAudioElement>(null);
  const sound = useAlarmSound(audio, waiting.some((a) => a.clearedAt === null) && !muted);
  const describe = useCallback(
    (alarm: Alarm) => t('alarms.notification', { what: words(alarm), at: formatDateTime(alarm.openedAt) }),
    [t, words],
  );
  useTitleBadge(count);
  useFaviconBadge(count);
  useAlarmNotifications(board.data?.alarms, describe);
  const askOnce = sound.blocked || (count > 0 && notificationsUndecided());
  return (
    <div
      className={`alarm-bar alarm-bar--${count > 0 ? (worst ?? 'cleared') : 'none'}`}
      role={count > 0 ? 'alert' : 'status'}
      data-testid="alarm-bar"
      data-count={count}
    >
      <audio ref={audio} src={alarmSoundUrl} preload="auto" data-testid="alarm-sound" />
      <span className="alarm-bar__count" data-testid="alarm-count">
        {count > 0 ? t('alarms.bar.count', { count }) : t('alarms.bar.none')}
      </span>
      {count > 0 && waiting[0] && <span className="alarm-bar__latest">{words(waiting[0])}</span>}
      {count > 0 && areaId === undefined && (
        <a href="#/alarms" data-testid="alarm-bar-open">
          {t('alarms.bar.open')}
        </a>
      )}
      {askOnce && (
        <button type="button" onClick={sound.unlock} title={t('alarms.bar.enableHint')} data-testid="alarm-enable">
          {t('alarms.bar.enable')}
        </button>
      )}
      {muted && <span className="muted">{t('alarms.bar.muted')}</span>}
      <button type="button" onClick={() => setMuted(!muted)} aria-pressed={muted} data-testid="alarm-mute">
        {muted ? t('alarms.bar.unmute') : t('alarms.bar.mute')}
      </button>
    </div>
  );
}
