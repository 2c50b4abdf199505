import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { MonitorSettings } from '../../src-shared/domain/settings';
import { Field, useFormErrors } from '../components/forms';
import { useCan } from '../auth';
import { useClient, useQuery } from '../context';

/** Fields shown to the operator in friendly units; stored in the units of MonitorSettings. */
const FIELDS: ReadonlyArray<{ key: keyof MonitorSettings; scale: number; step: number }> = [
  { key: 'intervalMs', scale: 1000, step: 1 },
  { key: 'timeoutMs', scale: 1000, step: 0.1 },
  { key: 'concurrency', scale: 1, step: 1 },
  { key: 'downAfter', scale: 1, step: 1 },
  { key: 'upAfter', scale: 1, step: 1 },
  { key: 'gapCapMs', scale: 1000, step: 1 },
  { key: 'rawRetentionDays', scale: 1, step: 1 },
  { key: 'rollupRetentionDays', scale: 1, step: 1 },
  { key: 'targetPercent', scale: 1, step: 0.1 },
];

export function SettingsScreen() {
  const { t } = useTranslation();
  const client = useClient();
  const mayEdit = useCan()('settings', 'edit');
  const current = useQuery('settings.monitor.get', {}, ['settings.changed']);
  const { errors, fromError, clear } = useFormErrors();
  const [values, setValues] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (!current.data) return;
    const settings = current.data;
    setValues(Object.fromEntries(FIELDS.map((f) => [f.key, String(settings[f.key] / f.scale)])));
  }, [current.data]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    // Empty or non-numeric text goes to main as NaN-free nulls, and main says which field is wrong.
    const next = Object.fromEntries(
      FIELDS.map((f) => {
        const parsed = Number.parseFloat((values[f.key] ?? '').replace(',', '.'));
        return [f.key, Number.isFinite(parsed) ? Math.round(parsed * f.scale * 1000) / 1000 : null];
      }),
    ) as unknown as MonitorSettings;
    try {
      await client.call('settings.monitor.update', next);
      clear();
      setSaved(true);
    } catch (error) {
      fromError(error);
    }
  };

  return (
    <section className="screen" aria-labelledby="settings-title">
      <header className="screen__header">
        <h1 id="settings-title">{t('settings.title')}</h1>
      </header>
      <form className="panel panel--wide" onSubmit={(e) => void submit(e)} noValidate data-testid="monitor-settings">
        <h2>{t('settings.monitor')}</h2>
        <p className="muted">{t('settings.monitorHint')}</p>
        {errors.general && (
          <p className="error-banner" role="alert">
            {errors.general}
          </p>
        )}
        {saved && (
          <p className="notice" role="status">
            {t('common.saved')}
          </p>
        )}
        <div className="form-grid">
          {FIELDS.map((f) => (
            <Field key={f.key} name={f.key} label={t(`settings.fields.${f.key}`)} error={errors.fields[f.key]}>
              {(props) => (
                <input
                  {...props}
                  name={f.key}
                  type="number"
                  step={f.step}
                  readOnly={!mayEdit}
                  value={values[f.key] ?? ''}
                  onChange={(e) => setValues((v) => ({ ...v, [f.key]: e.target.value }))}
                />
              )}
            </Field>
          ))}
        </div>
        {mayEdit && (
          <div className="panel__actions">
            <button type="submit" className="primary" data-testid="save-settings">
              {t('common.save')}
            </button>
          </div>
        )}
      </form>
    </section>
  );
}
