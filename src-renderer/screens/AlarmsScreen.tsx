import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { VIDEO_HEALTHS } from '../../src-shared/domain/camera';
import { alarmState } from '../../src-shared/domain/alarms';
import type { Alarm } from '../../src-shared/domain/alarms';
import { useCan } from '../auth';
import { useAlarmWords } from '../components/AlarmBar';
import { useNow } from '../components/dashboard/ProblemsCard';
import { TextAreaField, useFormErrors } from '../components/forms';
import { useClient, useQuery } from '../context';
import { formatDateTime, formatDuration } from '../format';

/** The alarm desk: what is open or waits for acknowledgement, most recent first, and what was sent out. */
export function AlarmsScreen() {
  const { t } = useTranslation();
  const board = useQuery('alarms.board', {}, ['alarms.changed']);
  const deliveries = useQuery('alarms.deliveries', { limit: 50 }, ['alarms.deliveriesChanged']);
  const now = useNow(10_000);
  const alarms = board.data?.alarms ?? [];
  return (
    <section className="screen" aria-labelledby="alarms-title">
      <header className="screen__header">
        <h1 id="alarms-title">{t('alarms.title')}</h1>
        <a href="#/shift">{t('nav.shift')}</a>
      </header>
      {board.data && alarms.length === 0 && <p className="muted">{t('alarms.empty')}</p>}
      {alarms.length > 0 && (
        <table className="grid" data-testid="alarms-table">
          <thead>
            <tr>
              <th>{t('alarms.severity')}</th>
              <th>{t('alarms.what')}</th>
              <th>{t('alarms.area')}</th>
              <th>{t('alarms.since')}</th>
              <th>{t('alarms.duration')}</th>
              <th>{t('alarms.state')}</th>
              <th>{t('alarms.acknowledged')}</th>
            </tr>
          </thead>
          <tbody>
            {alarms.map((alarm) => (
              <AlarmRow key={alarm.id} alarm={alarm} now={now} />
            ))}
          </tbody>
        </table>
      )}
      <article className="card card--wide" data-testid="deliveries">
        <h2>{t('alarms.deliveries.title')}</h2>
        {deliveries.data?.length === 0 && <p className="muted">{t('alarms.deliveries.empty')}</p>}
        {deliveries.data && deliveries.data.length > 0 && (
          <table className="grid grid--compact">
            <thead>
              <tr>
                <th>{t('alarms.deliveries.when')}</th>
                <th>{t('alarms.deliveries.rule')}</th>
                <th>{t('alarms.deliveries.target')}</th>
                <th>{t('alarms.deliveries.status')}</th>
                <th>{t('alarms.deliveries.attempts')}</th>
                <th>{t('alarms.deliveries.lastError')}</th>
              </tr>
            </thead>
            <tbody>
              {deliveries.data.map((d) => (
                <tr key={d.id} data-delivery-rule={d.ruleName} data-delivery-status={d.status}>
                  <td className="nowrap">{formatDateTime(d.createdAt)}</td>
                  <td>{d.ruleName}</td>
                  <td className="mono">{d.target}</td>
                  <td className={`delivery delivery--${d.status}`}>
                    {t(`alarms.deliveries.statuses.${d.status}`)}
                    {d.status === 'pending' && d.nextAttemptAt !== null && d.attempts > 0 && (
                      <span className="muted">
                        {' '}
                        ({t('alarms.deliveries.nextAt', { at: formatDateTime(d.nextAttemptAt) })})
                      </span>
                    )}
                  </td>
                  <td>{d.attempts}</td>
                  <td>{d.lastError ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </article>
    </section>
  );
}

function AlarmRow({ alarm, now }: { alarm: Alarm; now: number }) {
  const { t } = useTranslation();
  const words = useAlarmWords();
  const mayAcknowledge = useCan()('alarms', 'edit');
  const [acknowledging, setAcknowledging] = useState(false);
  const [showMembers, setShowMembers] = useState(false);
  const state = alarmState(alarm);
  const end = alarm.clearedAt ?? now;
  return (
    <>
      <tr
        className={`alarm-row alarm-row--${alarm.severity} alarm-row--${state}`}
        data-alarm-id={alarm.id}
        data-alarm-kind={alarm.kind}
      >
        <td>
          <span className={`severity severity--${alarm.severity}`}>{t(`alarms.severities.${alarm.severity}`)}</span>
        </td>
        <td>
          {alarm.deviceId !== null ? <a href={`#/devices/${alarm.deviceId}`}>{words(alarm)}</a> : words(alarm)}
          <AlarmDetail alarm={alarm} />
          {alarm.kind === 'area_link_lost' && (
            <button
              type="button"
              className="link"
              onClick={() => setShowMembers(!showMembers)}
              data-testid="alarm-members-toggle"
            >
              {showMembers ? t('alarms.hideMembers') : t('alarms.members')}
            </button>
          )}
        </td>
        <td className="mono">{alarm.areaCode ?? t('alarms.everywhere')}</td>
        <td className="nowrap">{formatDateTime(alarm.openedAt)}</td>
        <td className="nowrap">{formatDuration(Math.max(0, (end - alarm.openedAt) / 1000))}</td>
        <td data-testid="alarm-state">
          {t(`alarms.states.${state}`)}
          {alarm.clearedAt !== null && (
            <span className="muted"> ({t('alarms.clearedAt', { at: formatDateTime(alarm.clearedAt) })})</span>
          )}
        </td>
        <td data-testid="alarm-ack">
          {alarm.acknowledgedAt !== null ? (
            <>
              {t('alarms.acknowledgedBy', {
                by: alarm.acknowledgedBy ?? '—',
                at: formatDateTime(alarm.acknowledgedAt),
              })}
              {alarm.note && <q className="alarm-note">{alarm.note}</q>}
            </>
          ) : (
            mayAcknowledge &&
            !acknowledging && (
              <button
                type="button"
                className="primary"
                onClick={() => setAcknowledging(true)}
                data-testid="acknowledge"
              >
                {t('alarms.acknowledge')}
              </button>
            )
          )}
        </td>
      </tr>
      {acknowledging && alarm.acknowledgedAt === null && (
        <tr>
          <td colSpan={7}>
            <AcknowledgeForm alarm={alarm} onDone={() => setAcknowledging(false)} />
          </td>
        </tr>
      )}
      {showMembers && (
        <tr>
          <td colSpan={7}>
            <AlarmMembers alarmId={alarm.id} />
          </td>
        </tr>
      )}
    </>
  );
}

function AlarmDetail({ alarm }: { alarm: Alarm }) {
  const { t } = useTranslation();
  const d = alarm.detail;
  const text =
    d.down !== undefined
      ? t('alarms.detail.down', { down: d.down, watched: d.watched })
      : d.changes !== undefined
        ? t('alarms.detail.changes', { changes: d.changes, minutes: d.minutes })
        : d.sweeps !== undefined
          ? t('alarms.detail.sweeps', { sweeps: d.sweeps })
          : d.percent !== undefined
            ? t('alarms.detail.percent', { percent: d.percent })
            : d.health !== undefined && VIDEO_HEALTHS[d.health]
              ? t(`camera.health.${VIDEO_HEALTHS[d.health]}`)
              : null;
  return text ? <span className="muted alarm-detail"> · {text}</span> : null;
}

function AlarmMembers({ alarmId }: { alarmId: number }) {
  const members = useQuery('alarms.members', { id: alarmId }, ['devices.statusChanged']);
  return (
    <ul className="alarm-members" data-testid="alarm-members">
      {members.data?.map((m) => (
        <li key={m.deviceId}>
          <a href={`#/devices/${m.deviceId}`}>{m.deviceName}</a> <span className="mono">{m.host}</span>{' '}
          <span className="muted">{formatDateTime(m.statusSince)}</span>
        </li>
      ))}
    </ul>
  );
}

function AcknowledgeForm({ alarm, onDone }: { alarm: Alarm; onDone: () => void }) {
  const { t } = useTranslation();
  const client = useClient();
  const words = useAlarmWords();
  const { errors, fromError } = useFormErrors();
  const [note, setNote] = useState('');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await client.call('alarms.acknowledge', { id: alarm.id, ...(note.trim() ? { note } : {}) });
      onDone();
    } catch (error) {
      fromError(error);
    }
  };
  return (
    <form className="inline-form" onSubmit={(e) => void submit(e)} noValidate data-testid="acknowledge-form">
      <h3>{t('alarms.acknowledgeTitle', { what: words(alarm) })}</h3>
      {errors.general && (
        <p className="error-banner" role="alert">
          {errors.general}
        </p>
      )}
      <TextAreaField
        name="note"
        label={t('alarms.note')}
        value={note}
        onChange={setNote}
        error={errors.fields.note}
        rows={2}
        autoFocus
      />
      <div className="panel__actions">
        <button type="button" onClick={onDone}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="primary" data-testid="acknowledge-confirm">
          {t('alarms.acknowledge')}
        </button>
      </div>
    </form>
  );
}
