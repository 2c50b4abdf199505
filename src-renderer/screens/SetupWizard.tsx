import { useEffect, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { InstallMode, SetupCheck, SetupInput } from '../../src-shared/domain/setup';
import { INSTALL_MODES } from '../../src-shared/domain/setup';
import { TextField, useFormErrors } from '../components/forms';
import { useClient, useQuery } from '../context';
import { BRIDGE_KEY } from '../../src-shared/contract/bridge';

/** Until the copy knows what it is, the wizard is all there is; then the rest of the app. */
export function SetupGate({ children }: { children: ReactNode }) {
  const status = useQuery('setup.status', {}, []);
  if (!status.data) return null;
  return status.data.needed ? <SetupWizard /> : <>{children}</>;
}

/**
 * After saving, the copy restarts in the chosen mode on this address (or
 * window) and the page loads it — unless the screens have already come back
 * by themselves over the reconnected socket (a central, a console), which
 * unmounts the form and cancels the reload: nobody's typing is wiped.
 */
const RELOAD_AFTER_MS = 2500;

/** On the desktop the preload bridge is there, and secrets are sealed by the OS instead of a 0600 file. */
const onDesktop = () => Boolean(window[BRIDGE_KEY]);

function SetupWizard() {
  const { t } = useTranslation();
  return (
    <main className="setup">
      <div className="panel panel--wide">
        <h1>{t('setup.title')}</h1>
        <p className="muted">{t('setup.intro')}</p>
        <InstallationForm channel="setup.save" />
      </div>
    </main>
  );
}

/**
 * What this copy is, chosen and tried: the first-run wizard saves it with
 * `setup.save`; Settings moves a running copy with `setup.change` (which
 * tries it the same way before keeping it). Either way the copy restarts in
 * it and the page reloads.
 */
export function InstallationForm({ channel }: { channel: 'setup.save' | 'setup.change' }) {
  const { t } = useTranslation();
  const client = useClient();
  const { errors, fromError, clear } = useFormErrors();
  const [mode, setMode] = useState<InstallMode>('central');
  const [store, setStore] = useState<'sqlite' | 'mssql'>('sqlite');
  const [fields, setFields] = useState({ url: '', password: '', central: '', area: '', key: '', fingerprint: '' });
  const [result, setResult] = useState<SetupCheck | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (!saved) return;
    const timer = window.setTimeout(() => location.reload(), RELOAD_AFTER_MS);
    return () => window.clearTimeout(timer);
  }, [saved]);
  const field = (name: keyof typeof fields, type = 'text', hint?: string) => (
    <div>
      <TextField
        name={name}
        type={type}
        label={t(`setup.${name}`)}
        value={fields[name]}
        onChange={(value) => setFields((f) => ({ ...f, [name]: value }))}
        error={errors.fields[name] ?? (result && !result.ok && result.field === name ? result.message : undefined)}
        autoComplete={type === 'password' ? 'new-password' : 'off'}
      />
      {hint && <p className="field__hint">{hint}</p>}
    </div>
  );
  const input = (): SetupInput => {
    if (mode === 'agent') {
      return { mode, central: fields.central, area: fields.area, key: fields.key, fingerprint: fields.fingerprint };
    }
    if (mode === 'central' && store === 'sqlite') return { mode, store };
    return { mode, store: 'mssql', url: fields.url, password: fields.password };
  };
  const run = async (call: 'setup.check' | 'setup.save' | 'setup.change') => {
    setResult(null);
    clear();
    try {
      const answer = await client.call(call, input());
      setResult(answer);
      if (answer.ok && call !== 'setup.check') {
        setSaved(true);
      }
    } catch (error) {
      fromError(error);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(channel);
  };
  const usesMssql = mode === 'console' || (mode === 'central' && store === 'mssql');
  // A running copy refuses the public test call: Settings' save tries the configuration itself.
  const mayTest = channel === 'setup.save' && (mode !== 'central' || store === 'mssql');
  return (
    <form onSubmit={submit} noValidate data-testid="setup-wizard">
      <fieldset>
        {INSTALL_MODES.map((m) => (
          <label key={m} className="checkbox">
            <input type="radio" name="mode" value={m} checked={mode === m} onChange={() => setMode(m)} />
            {t(`setup.modes.${m}`)}
          </label>
        ))}
      </fieldset>
      {mode === 'central' && (
        <fieldset>
          <legend>{t('setup.store')}</legend>
          {(['sqlite', 'mssql'] as const).map((s) => (
            <label key={s} className="checkbox">
              <input type="radio" name="store" value={s} checked={store === s} onChange={() => setStore(s)} />
              {t(`setup.stores.${s}`)}
            </label>
          ))}
        </fieldset>
      )}
      {usesMssql && (
        <>
          {field('url', 'text', t('setup.urlHint'))}
          {field('password', 'password')}
        </>
      )}
      {mode === 'agent' && (
        <>
          {field('central', 'text', t('setup.centralHint'))}
          {field('area')}
          {field('key', 'password')}
          {field('fingerprint')}
        </>
      )}
      {(usesMssql || mode === 'agent') && (
        <p className="muted">{t(onDesktop() ? 'setup.secretsNoteDesktop' : 'setup.secretsNote')}</p>
      )}
      {errors.general && !Object.keys(errors.fields).length && (
        <p className="error-banner" role="alert">
          {errors.general}
        </p>
      )}
      {result?.ok && (
        <p className="notice" role="status" data-testid="setup-result">
          {saved ? t('setup.saved') : t('setup.ok')}
        </p>
      )}
      {result && !result.ok && (
        <p className="error-banner" role="alert" data-testid="setup-result">
          {result.message}
        </p>
      )}
      <div className="panel__actions">
        {mayTest && (
          <button type="button" onClick={() => void run('setup.check')} data-testid="setup-test">
            {t('setup.test')}
          </button>
        )}
        <button type="submit" className="primary" disabled={saved} data-testid="setup-save">
          {t(channel === 'setup.save' ? 'setup.save' : 'setup.saveAndRestart')}
        </button>
      </div>
    </form>
  );
}
