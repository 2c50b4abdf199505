import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  DELIVERY_CHANNELS,
  MESSAGE_LANGUAGES,
  SMTP_SECURITY,
  WEBHOOK_FORMATS,
} from '../../src-shared/domain/alarm-delivery';
import type { DeliveryRule, DeliverySettingsView, SmtpTestResult } from '../../src-shared/domain/alarm-delivery';
import { ALARM_SEVERITIES } from '../../src-shared/domain/alarms';
import type { AlarmSettings } from '../../src-shared/domain/alarms';
import { useCan } from '../auth';
import { EnumOptions } from '../components/crud';
import { Field, FormBanners, TextField, useFormErrors } from '../components/forms';
import { useClient, useQuery } from '../context';

const NUMBER_FIELDS = [
  'areaLossPercent',
  'areaLossMinDevices',
  'flapChanges',
  'flapWindowMinutes',
  'overrunSweeps',
  'storeCapacityPercent',
  'storeCapacityGb',
  'videoCheckMinutes',
] as const satisfies ReadonlyArray<keyof AlarmSettings>;

/** When alarms open: thresholds of the area, flapping, overrun and capacity conditions. */
export function AlarmConditionsForm() {
  const { t } = useTranslation();
  const client = useClient();
  const mayEdit = useCan()('settings', 'edit');
  const current = useQuery('settings.alarms.get', {}, ['settings.changed']);
  const { errors, fromError, clear } = useFormErrors();
  const [values, setValues] = useState<Record<string, string>>({});
  const [keep, setKeep] = useState(true);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (!current.data) return;
    setValues(Object.fromEntries(NUMBER_FIELDS.map((f) => [f, String(current.data![f])])));
    setKeep(current.data.keepUnacknowledged);
  }, [current.data]);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const numbers = Object.fromEntries(
      NUMBER_FIELDS.map((f) => {
        const parsed = Number.parseFloat((values[f] ?? '').replace(',', '.'));
        return [f, Number.isFinite(parsed) ? parsed : null];
      }),
    );
    try {
      await client.call('settings.alarms.update', { ...numbers, keepUnacknowledged: keep } as AlarmSettings);
      clear();
      setSaved(true);
    } catch (error) {
      fromError(error);
    }
  };
  return (
    <form className="panel panel--wide" onSubmit={(e) => void submit(e)} noValidate data-testid="alarm-settings">
      <h2>{t('alarmSettings.title')}</h2>
      <p className="muted">{t('alarmSettings.hint')}</p>
      <FormBanners general={errors.general} saved={saved} />
      <div className="form-grid">
        {NUMBER_FIELDS.map((f) => (
          <Field key={f} name={f} label={t(`alarmSettings.fields.${f}`)} error={errors.fields[f]}>
            {(props) => (
              <input
                {...props}
                name={f}
                type="number"
                readOnly={!mayEdit}
                value={values[f] ?? ''}
                onChange={(e) => setValues((v) => ({ ...v, [f]: e.target.value }))}
              />
            )}
          </Field>
        ))}
        <label className="checkbox">
          <input type="checkbox" checked={keep} disabled={!mayEdit} onChange={(e) => setKeep(e.target.checked)} />
          {t('alarmSettings.fields.keepUnacknowledged')}
        </label>
      </div>
      {mayEdit && (
        <div className="panel__actions">
          <button type="submit" className="primary" data-testid="save-alarm-settings">
            {t('common.save')}
          </button>
        </div>
      )}
    </form>
  );
}

const NEW_RULE: DeliveryRule = {
  name: '',
  channel: 'email',
  target: '',
  format: 'json',
  chatId: '',
  areaIds: [],
  minSeverity: 'major',
  delayMinutes: 2,
  repeatMinutes: 0,
};

type SmtpForm = Omit<DeliverySettingsView['smtp'], 'passwordSet'> & { password: string };

/** SMTP, the test button, and the rules that send alarms out of the building. */
export function DeliverySettingsForm() {
  const { t } = useTranslation();
  const client = useClient();
  const mayEdit = useCan()('settings', 'edit');
  const current = useQuery('settings.delivery.get', {}, ['settings.changed']);
  const areas = useQuery('areas.list', {}, ['areas.changed']);
  const { errors, fromError, clear } = useFormErrors();
  const [language, setLanguage] = useState<DeliverySettingsView['language']>('pt-BR');
  const [smtp, setSmtp] = useState<SmtpForm | null>(null);
  const [rules, setRules] = useState<DeliveryRule[]>([]);
  const [saved, setSaved] = useState(false);
  const [testTo, setTestTo] = useState('');
  const [test, setTest] = useState<SmtpTestResult | null>(null);
  useEffect(() => {
    if (!current.data) return;
    const { passwordSet: _passwordSet, ...fields } = current.data.smtp;
    setSmtp({ ...fields, password: '' });
    setRules(current.data.rules);
    setLanguage(current.data.language);
  }, [current.data]);
  if (!smtp || !current.data) return null;

  // A blank password field keeps the stored one: it is never sent back to the screen.
  const smtpInput = () => {
    const { password, ...rest } = smtp;
    return { ...rest, port: Number(rest.port), ...(password ? { password } : {}) };
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    try {
      await client.call('settings.delivery.update', { language, smtp: smtpInput(), rules });
      clear();
      setSaved(true);
    } catch (error) {
      fromError(error);
    }
  };
  const runTest = async () => {
    setTest(null);
    try {
      setTest(await client.call('settings.delivery.testSmtp', { smtp: smtpInput(), to: testTo }));
      clear();
    } catch (error) {
      fromError(error);
    }
  };
  const setRule = (index: number, patch: Partial<DeliveryRule>) =>
    setRules((list) => list.map((r, i) => (i === index ? { ...r, ...patch } : r)));
  const smtpField = (key: 'host' | 'username' | 'from') => (
    <TextField
      name={`smtp.${key}`}
      label={t(`alarmSettings.delivery.${key}`)}
      value={smtp[key]}
      onChange={(value) => setSmtp({ ...smtp, [key]: value })}
      error={errors.fields[`smtp.${key}`]}
    />
  );
  return (
    <form className="panel panel--wide" onSubmit={(e) => void submit(e)} noValidate data-testid="delivery-settings">
      <h2>{t('alarmSettings.delivery.title')}</h2>
      <p className="muted">{t('alarmSettings.delivery.hint')}</p>
      <FormBanners general={errors.general} saved={saved} />
      <fieldset disabled={!mayEdit}>
        <label>
          {t('alarmSettings.delivery.language')}
          <select value={language} onChange={(e) => setLanguage(e.target.value as typeof language)}>
            {MESSAGE_LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <h3>{t('alarmSettings.delivery.smtp')}</h3>
        <div className="form-grid">
          {smtpField('host')}
          <TextField
            name="smtp.port"
            type="number"
            label={t('alarmSettings.delivery.port')}
            value={String(smtp.port)}
            onChange={(value) => setSmtp({ ...smtp, port: Number(value) })}
            error={errors.fields['smtp.port']}
          />
          <label>
            {t('alarmSettings.delivery.security')}
            <select
              value={smtp.security}
              onChange={(e) => setSmtp({ ...smtp, security: e.target.value as SmtpForm['security'] })}
              data-testid="smtp-security"
            >
              <EnumOptions values={SMTP_SECURITY} label={(v) => t(`alarmSettings.delivery.securities.${v}`)} />
            </select>
          </label>
          {smtpField('username')}
          <TextField
            name="smtp.password"
            type="password"
            autoComplete="new-password"
            label={`${t('alarmSettings.delivery.password')}${current.data.smtp.passwordSet ? ` (${t('alarmSettings.delivery.passwordKept')})` : ''}`}
            value={smtp.password}
            onChange={(value) => setSmtp({ ...smtp, password: value })}
            error={errors.fields['smtp.password']}
          />
          {smtpField('from')}
          <TextField
            name="to"
            label={t('alarmSettings.delivery.testTo')}
            value={testTo}
            onChange={setTestTo}
            error={errors.fields.to}
          />
        </div>
        <div className="panel__actions">
          <button type="button" onClick={() => void runTest()} data-testid="smtp-test">
            {t('alarmSettings.delivery.test')}
          </button>
        </div>
        {test && (
          <p
            className={test.ok ? 'notice' : 'error-banner'}
            role={test.ok ? 'status' : 'alert'}
            data-testid="smtp-test-result"
          >
            {test.ok
              ? t('alarmSettings.delivery.testOk')
              : t('alarmSettings.delivery.testFailed', {
                  stage: t(`alarmSettings.delivery.stages.${test.stage}`),
                  message: test.message,
                })}
          </p>
        )}
        <h3>{t('alarmSettings.delivery.rules')}</h3>
        {rules.length === 0 && <p className="muted">{t('alarmSettings.delivery.noRules')}</p>}
        {rules.map((rule, index) => (
          <RuleEditor
            key={index}
            index={index}
            rule={rule}
            areas={areas.data ?? []}
            errors={errors.fields}
            onChange={(patch) => setRule(index, patch)}
            onRemove={() => setRules((list) => list.filter((_, i) => i !== index))}
          />
        ))}
        <div className="panel__actions">
          <button type="button" onClick={() => setRules([...rules, NEW_RULE])} data-testid="add-rule">
            {t('alarmSettings.delivery.addRule')}
          </button>
          <button type="submit" className="primary" data-testid="save-delivery-settings">
            {t('common.save')}
          </button>
        </div>
      </fieldset>
    </form>
  );
}

function RuleEditor(props: {
  index: number;
  rule: DeliveryRule;
  areas: ReadonlyArray<{ id: number; code: string }>;
  errors: Readonly<Record<string, string>>;
  onChange: (patch: Partial<DeliveryRule>) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const { index, rule, onChange } = props;
  const error = (field: string) => props.errors[`rules.${index}.${field}`];
  const number = (field: 'delayMinutes' | 'repeatMinutes') => (
    <TextField
      name={`rules.${index}.${field}`}
      type="number"
      label={t(`alarmSettings.delivery.${field}`)}
      value={String(rule[field])}
      onChange={(value) => onChange({ [field]: Number(value) })}
      error={error(field)}
    />
  );
  return (
    <div className="rule-editor form-grid" data-testid={`rule-${index}`}>
      <TextField
        name={`rules.${index}.name`}
        label={t('alarmSettings.delivery.ruleName')}
        value={rule.name}
        onChange={(name) => onChange({ name })}
        error={error('name')}
      />
      <label>
        {t('alarmSettings.delivery.channel')}
        <select value={rule.channel} onChange={(e) => onChange({ channel: e.target.value as DeliveryRule['channel'] })}>
          <EnumOptions values={DELIVERY_CHANNELS} label={(v) => t(`alarmSettings.delivery.channels.${v}`)} />
        </select>
      </label>
      <TextField
        name={`rules.${index}.target`}
        label={t('alarmSettings.delivery.target')}
        value={rule.target}
        onChange={(target) => onChange({ target })}
        error={error('target')}
      />
      {rule.channel === 'webhook' && (
        <label>
          {t('alarmSettings.delivery.format')}
          <select value={rule.format} onChange={(e) => onChange({ format: e.target.value as DeliveryRule['format'] })}>
            <EnumOptions values={WEBHOOK_FORMATS} label={(v) => t(`alarmSettings.delivery.formats.${v}`)} />
          </select>
        </label>
      )}
      {rule.channel === 'webhook' && rule.format === 'telegram' && (
        <TextField
          name={`rules.${index}.chatId`}
          label={t('alarmSettings.delivery.chatId')}
          value={rule.chatId}
          onChange={(chatId) => onChange({ chatId })}
          error={error('chatId')}
        />
      )}
      <label>
        {t('alarmSettings.delivery.minSeverity')}
        <select
          value={rule.minSeverity}
          onChange={(e) => onChange({ minSeverity: e.target.value as DeliveryRule['minSeverity'] })}
        >
          <EnumOptions values={ALARM_SEVERITIES} label={(v) => t(`alarms.severities.${v}`)} />
        </select>
      </label>
      {number('delayMinutes')}
      {number('repeatMinutes')}
      <fieldset className="rule-editor__areas">
        <legend>{t('alarmSettings.delivery.areas')}</legend>
        {props.areas.map((area) => (
          <label key={area.id} className="checkbox">
            <input
              type="checkbox"
              checked={rule.areaIds.includes(area.id)}
              onChange={(e) =>
                onChange({
                  areaIds: e.target.checked ? [...rule.areaIds, area.id] : rule.areaIds.filter((id) => id !== area.id),
                })
              }
            />
            {area.code}
          </label>
        ))}
      </fieldset>
      <button type="button" className="danger" onClick={props.onRemove}>
        {t('alarmSettings.delivery.removeRule')}
      </button>
    </div>
  );
}
