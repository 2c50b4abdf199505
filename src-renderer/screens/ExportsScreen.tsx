import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BiExportSettings, ExportResult } from '../../src-shared/domain/bi';
import { useCan } from '../auth';
import { FormPanel } from '../components/crud';
import { Field, useFormErrors } from '../components/forms';
import { useClient, useQuery } from '../context';
import { formatDateTime, formatNumber } from '../format';

export function ExportsScreen() {
  const { t } = useTranslation();
  const client = useClient();
  const can = useCan();
  const status = useQuery('exports.status', {}, ['exports.finished', 'settings.changed']);
  const errors = useFormErrors();
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<ExportResult | null>(null);
  const mayRun = can('exports', 'edit');
  const shown = result ?? status.data?.last ?? null;

  const run = async () => {
    setRunning(true);
    try {
      setResult(await client.call('exports.run', {}));
      errors.clear();
    } catch (error) {
      errors.fromError(error);
    } finally {
      setRunning(false);
    }
  };

  return (
    <section className="screen" aria-labelledby="exports-title">
      <header className="screen__header">
        <h1 id="exports-title">{t('exports.title')}</h1>
        {mayRun && (
          <button
            type="button"
            className="primary"
            onClick={() => void run()}
            disabled={running}
            data-testid="export-now"
          >
            {running ? t('exports.running') : t('exports.now')}
          </button>
        )}
      </header>
      <p className="muted">{t('exports.intro')}</p>
      <p>
        {t('exports.folder')}:{' '}
        <span className="mono" data-testid="export-folder">
          {status.data?.folder}
        </span>
      </p>
      {(errors.errors.general || status.data?.lastError) && (
        <p className="error-banner" role="alert">
          {Object.values(errors.errors.fields)[0] ?? errors.errors.general ?? status.data?.lastError}
        </p>
      )}
      {shown && (
        <article className="card" data-testid="export-result">
          <h2>{t('exports.last', { at: formatDateTime(shown.at), ms: formatNumber(shown.durationMs) })}</h2>
          <table className="grid">
            <thead>
              <tr>
                <th>{t('exports.file')}</th>
                <th className="num">{t('exports.rows')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.files.map((file) => (
                <tr key={file.path}>
                  <td className="mono">{file.path}</td>
                  <td className="num">{formatNumber(file.rows)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </article>
      )}
      {can('settings') && <ExportSettingsForm mayEdit={can('settings', 'edit')} />}
    </section>
  );
}

function ExportSettingsForm({ mayEdit }: { mayEdit: boolean }) {
  const { t } = useTranslation();
  const client = useClient();
  const current = useQuery('settings.exports.get', {}, ['settings.changed']);
  const [draft, setDraft] = useState<BiExportSettings | null>(null);
  useEffect(() => setDraft(current.data ?? null), [current.data]);
  if (!draft) return null;
  return (
    <FormPanel
      name="export-settings"
      title={t('exports.settings')}
      save={() => client.call('settings.exports.update', draft)}
      onDone={() => undefined}
      onCancel={() => setDraft(current.data ?? null)}
    >
      {(errors) => (
        <fieldset disabled={!mayEdit} className="plain">
          <Field name="folder" label={t('exports.folderSetting')} error={errors.folder} hint={t('exports.folderHint')}>
            {(aria) => (
              <input
                {...aria}
                name="folder"
                value={draft.folder}
                onChange={(e) => setDraft({ ...draft, folder: e.target.value })}
              />
            )}
          </Field>
          <Field name="delimiter" label={t('exports.delimiter')} error={errors.delimiter}>
            {(aria) => (
              <select
                {...aria}
                name="delimiter"
                value={draft.delimiter}
                onChange={(e) => setDraft({ ...draft, delimiter: e.target.value as BiExportSettings['delimiter'] })}
              >
                <option value=",">{t('exports.comma')}</option>
                <option value=";">{t('exports.semicolon')}</option>
                <option value={'\t'}>{t('exports.tab')}</option>
              </select>
            )}
          </Field>
          <label className="check">
            <input
              type="checkbox"
              name="bom"
              checked={draft.bom}
              onChange={(e) => setDraft({ ...draft, bom: e.target.checked })}
            />{' '}
            {t('exports.bom')}
          </label>
          <label className="check">
            <input
              type="checkbox"
              name="decimalComma"
              checked={draft.decimalComma}
              onChange={(e) => setDraft({ ...draft, decimalComma: e.target.checked })}
            />{' '}
            {t('exports.decimalComma')}
          </label>
        </fieldset>
      )}
    </FormPanel>
  );
}
