import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { alarmState } from '../../src-shared/domain/alarms';
import { useAuth, useCan } from '../auth';
import { useAlarmWords } from '../components/AlarmBar';
import { TextAreaField, useFormErrors } from '../components/forms';
import { useClient, useQuery } from '../context';
import { formatDateTime } from '../format';

const LIVE = ['alarms.changed', 'shift.changed', 'devices.statusChanged', 'maintenance.changed'] as const;

/**
 * "Passagem de turno": what the outgoing shift hands over — what is down,
 * the open alarms and maintenance cases, and the notes — on one page that
 * prints cleanly (the menus, bars and buttons are left off the paper).
 */
export function ShiftScreen() {
  const { t } = useTranslation();
  const { status } = useAuth();
  const handover = useQuery('shift.handover', {}, LIVE);
  const words = useAlarmWords();
  const data = handover.data;
  return (
    <section className="screen shift" aria-labelledby="shift-title">
      <header className="screen__header">
        <h1 id="shift-title">{t('shift.title')}</h1>
        <button type="button" className="no-print" onClick={() => window.print()} data-testid="print">
          {t('shift.print')}
        </button>
      </header>
      {data && (
        <p className="muted" data-testid="generated">
          {t('shift.generatedAt', { at: formatDateTime(data.at), by: status?.user?.displayName ?? '' })}
        </p>
      )}
      <NoteForm />
      <article className="card card--wide" data-testid="shift-notes">
        <h2>{t('shift.notes')}</h2>
        {data?.notes.length === 0 && <p className="muted">{t('shift.noNotes')}</p>}
        <ul className="shift-notes">
          {data?.notes.map((note) => (
            <li key={note.id}>
              <time>{formatDateTime(note.at)}</time> <strong>{note.author}</strong>
              <p>{note.text}</p>
            </li>
          ))}
        </ul>
      </article>
      <article className="card card--wide" data-testid="shift-down">
        <h2>{t('shift.down', { count: data?.down.length ?? 0 })}</h2>
        {data?.down.length === 0 && <p className="muted">{t('shift.noneDown')}</p>}
        <ul>
          {data?.down.map((d) => (
            <li key={d.deviceId}>
              <span className="mono">{d.areaCode}</span> {d.deviceName} — {formatDateTime(d.since)}
              {d.behindDownParent && <span className="muted"> ({t('alarms.behindParent')})</span>}
            </li>
          ))}
        </ul>
      </article>
      <article className="card card--wide" data-testid="shift-alarms">
        <h2>{t('shift.openAlarms', { count: data?.alarms.length ?? 0 })}</h2>
        {data?.alarms.length === 0 && <p className="muted">{t('shift.noAlarms')}</p>}
        <ul>
          {data?.alarms.map((a) => (
            <li key={a.id}>
              [{t(`alarms.severities.${a.severity}`)}] {words(a)} — {formatDateTime(a.openedAt)} ·{' '}
              {t(`alarms.states.${alarmState(a)}`)}
              {a.acknowledgedBy && ` · ${a.acknowledgedBy}${a.note ? `: “${a.note}”` : ''}`}
            </li>
          ))}
        </ul>
      </article>
      <article className="card card--wide" data-testid="shift-cases">
        <h2>{t('shift.openCases', { count: data?.cases.length ?? 0 })}</h2>
        {data?.cases.length === 0 && <p className="muted">{t('shift.noCases')}</p>}
        <ul>
          {data?.cases.map((c) => (
            <li key={c.id}>
              <span className="mono">{c.areaCode}</span> {c.deviceName} — {t(`categories.${c.category}`)} —{' '}
              {formatDateTime(c.openedAt)}: {c.description}
            </li>
          ))}
        </ul>
      </article>
    </section>
  );
}

function NoteForm() {
  const { t } = useTranslation();
  const client = useClient();
  const mayWrite = useCan()('alarms', 'edit');
  const { errors, fromError, clear } = useFormErrors();
  const [text, setText] = useState('');
  if (!mayWrite) return null;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await client.call('shift.addNote', { text });
      setText('');
      clear();
    } catch (error) {
      fromError(error);
    }
  };
  return (
    <form
      className="panel panel--wide no-print"
      onSubmit={(e) => void submit(e)}
      noValidate
      data-testid="shift-note-form"
    >
      <TextAreaField
        name="text"
        label={t('shift.noteLabel')}
        value={text}
        onChange={setText}
        error={errors.fields.text}
        rows={3}
      />
      <div className="panel__actions">
        <button type="submit" className="primary" data-testid="shift-note-save">
          {t('shift.addNote')}
        </button>
      </div>
    </form>
  );
}
