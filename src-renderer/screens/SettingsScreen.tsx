import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { MonitorSettings, SecuritySettings } from '../../src-shared/domain/settings';
import { useCan } from '../auth';
import { CapacityWarning } from '../components/dashboard/SweepHealthCard';
import { Field, FormBanners, useFormErrors } from '../components/forms';
import { ProberChoiceNote, ProberProblemBanner } from '../components/ProberProblem';
import { useClient, useQuery } from '../context';
import { AlarmConditionsForm, DeliverySettingsForm } from './AlarmSettingsForms';
import { InstallationPanel } from './InstallationPanel';

/** A field shown in friendly units (seconds), stored in the units of its schema (milliseconds). */
interface NumberField<T> {
  readonly key: keyof T & string;
  readonly scale: number;
  readonly step: number;
}

const MONITOR_FIELDS: ReadonlyArray<NumberField<MonitorSettings>> = [
  { key: 'intervalMs', scale: 1000, step: 1 },
  { key: 'timeoutMs', scale: 1000, step: 0.1 },
  { key: 'concurrency', scale: 1, step: 1 },
  { key: 'downAfter', scale: 1, step: 1 },
  { key: 'upAfter', scale: 1, step: 1 },
  { key: 'gapCapMs', scale: 1000, step: 1 },
  { key: 'rawRetentionDays', scale: 1, step: 1 },
  { key: 'rollupRetentionDays', scale: 1, step: 1 },
  { key: 'hourlyRetentionDays', scale: 1, step: 1 },
  { key: 'targetPercent', scale: 1, step: 0.1 },
  { key: 'agentHeartbeatMs', scale: 1000, step: 1 },
  { key: 'agentSilenceMs', scale: 1000, step: 1 },
];

const SECURITY_FIELDS: ReadonlyArray<NumberField<SecuritySettings>> = [
  { key: 'maxFailedLogins', scale: 1, step: 1 },
  { key: 'lockoutMinutes', scale: 1, step: 1 },
  { key: 'idleLockMinutes', scale: 1, step: 1 },
];

export function SettingsScreen() {
  const { t } = useTranslation();
  const client = useClient();
  const monitor = useQuery('settings.monitor.get', {}, ['settings.changed']);
  const security = useQuery('settings.security.get', {}, ['settings.changed']);
  // What the monitor achieves with these settings, so an operator sees what a change would fix.
  const health = useQuery('dashboard.sweepHealth', {}, ['monitor.sweepFinished', 'settings.changed']);
  const last = health.data?.last;
  return (
    <section className="screen" aria-labelledby="settings-title">
      <header className="screen__header">
        <h1 id="settings-title">{t('settings.title')}</h1>
      </header>
      {last?.proberProblem && <ProberProblemBanner problem={last.proberProblem} prober={last.prober} />}
      {health.data && <CapacityWarning health={health.data} />}
      {health.data?.prober.active && (
        <div className="prober-in-use" data-testid="prober-in-use">
          <p>
            {t('settings.proberInUse', {
              name: t(`prober.names.${health.data.prober.active}`, { defaultValue: health.data.prober.active }),
            })}
          </p>
          <ProberChoiceNote choice={health.data.prober} />
        </div>
      )}
      <div className="settings-forms">
        <NumberSettingsForm
          testId="monitor-settings"
          title={t('settings.monitor')}
          hint={t('settings.monitorHint')}
          fields={MONITOR_FIELDS}
          current={monitor.data}
          save={(next) => client.call('settings.monitor.update', next)}
        />
        <NumberSettingsForm
          testId="security-settings"
          title={t('settings.security')}
          hint={t('settings.securityHint')}
          fields={SECURITY_FIELDS}
          current={security.data}
          save={(next) => client.call('settings.security.update', next)}
        />
        <AlarmConditionsForm />
        <DeliverySettingsForm />
        <InstallationPanel />
      </div>
    </section>
  );
}

function NumberSettingsForm<T extends object>({
  testId,
  title,
  hint,
  fields,
  current,
  save,
}: {
  testId: string;
  title: string;
  hint: string;
  fields: ReadonlyArray<NumberField<T>>;
  current: T | undefined;
  save: (next: T) => Promise<unknown>;
}) {
  const { t } = useTranslation();
  const mayEdit = useCan()('settings', 'edit');
  const { errors, fromError, clear } = useFormErrors();
  const [values, setValues] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (!current) return;
    setValues(Object.fromEntries(fields.map((f) => [f.key, String(Number(current[f.key]) / f.scale)])));
  }, [current, fields]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    // Text that is not a number goes to main as null, and main says which field is wrong.
    const next = Object.fromEntries(
      fields.map((f) => {
        const parsed = Number.parseFloat((values[f.key] ?? '').replace(',', '.'));
        return [f.key, Number.isFinite(parsed) ? Math.round(parsed * f.scale * 1000) / 1000 : null];
      }),
    ) as unknown as T;
    try {
      await save(next);
      clear();
      setSaved(true);
    } catch (error) {
      fromError(error);
    }
  };

  return (
    <form className="panel panel--wide" onSubmit={(e) => void submit(e)} noValidate data-testid={testId}>
      <h2>{title}</h2>
      <p className="muted">{hint}</p>
      <FormBanners general={errors.general} saved={saved} />
      <div className="form-grid">
        {fields.map((f) => (
          <Field key={f.key} name={f.key} label={t(`settings.fields.${String(f.key)}`)} error={errors.fields[f.key]}>
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
          <button type="submit" className="primary" data-testid={`save-${testId}`}>
            {t('common.save')}
          </button>
        </div>
      )}
    </form>
  );
}
