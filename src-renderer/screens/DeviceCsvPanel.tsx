import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Papa from 'papaparse';
import { DEVICE_CSV_COLUMNS, MAX_DEVICE_CSV_BYTES } from '../../src-shared/domain/device-csv';
import type { DeviceCsvImported, DeviceCsvPreview } from '../../src-shared/domain/device-csv';
import type { DeviceFilter } from '../../src-shared/domain/device';
import { useFormErrors } from '../components/forms';
import { useClient } from '../context';
import { downloadText, fileAsBase64, today } from '../download';

/**
 * Devices by the hundred: the template, the export of the list as filtered,
 * and an import that first shows what it would do — each bad row by its line
 * and reason — then imports every row or only the valid ones.
 */
export function DeviceCsvPanel({ filter, mayEdit }: { filter: DeviceFilter; mayEdit: boolean }) {
  const { t } = useTranslation();
  const client = useClient();
  const { errors, fromError, clear } = useFormErrors();
  const chooser = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<{ name: string; base64: string } | null>(null);
  const [preview, setPreview] = useState<DeviceCsvPreview | null>(null);
  const [imported, setImported] = useState<DeviceCsvImported | null>(null);
  const [busy, setBusy] = useState(false);
  const [tooLarge, setTooLarge] = useState(false);
  const maxMb = MAX_DEVICE_CSV_BYTES / 1024 / 1024;
  // A refused file is named by its field; anything else by the form's banner.
  const problem = tooLarge ? t('validation.file_too_large', { max: maxMb }) : (errors.fields.file ?? errors.general);

  const template = () => {
    const example = ['ITA', 'CAM-PORTAO-01', 'camera', 'normal', '192.168.10.21', 'Portão 1', '', ''];
    downloadText(
      'modelo-dispositivos.csv',
      `\ufeff${Papa.unparse([[...DEVICE_CSV_COLUMNS], example], { delimiter: ';' })}\r\n`,
    );
  };
  const exportList = async () => {
    clear();
    try {
      const { csv } = await client.call('devices.csvExport', filter);
      downloadText(`dispositivos-${today()}.csv`, csv);
    } catch (error) {
      fromError(error);
    }
  };
  const choose = async (chosen: File | undefined) => {
    clear();
    setPreview(null);
    setImported(null);
    setFile(null);
    setTooLarge(false);
    if (!chosen) return;
    // Refused before it is read: a 50 MB file never leaves the disk.
    if (chosen.size > MAX_DEVICE_CSV_BYTES) {
      setTooLarge(true);
      return;
    }
    setBusy(true);
    try {
      const base64 = await fileAsBase64(chosen);
      setPreview(await client.call('devices.csvPreview', { file: base64 }));
      setFile({ name: chosen.name, base64 });
    } catch (error) {
      fromError(error);
    } finally {
      setBusy(false);
      if (chooser.current) chooser.current.value = '';
    }
  };
  const run = async (onlyValid: boolean) => {
    if (!file) return;
    setBusy(true);
    clear();
    try {
      setImported(await client.call('devices.csvImport', { file: file.base64, onlyValid }));
      setPreview(null);
      setFile(null);
    } catch (error) {
      fromError(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel panel--wide device-csv" data-testid="device-csv">
      <div className="panel__actions">
        <button type="button" onClick={template} data-testid="csv-template">
          {t('deviceCsv.template')}
        </button>
        <button type="button" onClick={() => void exportList()} data-testid="csv-export">
          {t('deviceCsv.export')}
        </button>
        {mayEdit && (
          <label className="button">
            {t('deviceCsv.import')}
            <input
              ref={chooser}
              type="file"
              accept=".csv,text/csv"
              hidden
              disabled={busy}
              onChange={(e) => void choose(e.target.files?.[0])}
              data-testid="csv-file"
            />
          </label>
        )}
      </div>
      {problem && (
        <p className="error-banner" role="alert" data-testid="csv-error">
          {problem}
        </p>
      )}
      {imported && (
        <p className="notice" role="status" data-testid="csv-imported">
          {t('deviceCsv.imported', { ...imported })}
        </p>
      )}
      {preview && file && <ImportPreview preview={preview} name={file.name} busy={busy} onImport={run} />}
    </section>
  );
}

function ImportPreview(props: {
  preview: DeviceCsvPreview;
  name: string;
  busy: boolean;
  onImport: (onlyValid: boolean) => Promise<void>;
}) {
  const { t } = useTranslation();
  const { preview } = props;
  return (
    <div data-testid="csv-preview">
      <p>
        {t('deviceCsv.summary', {
          name: props.name,
          rows: preview.rows,
          valid: preview.valid,
          unchanged: preview.unchanged,
          invalid: preview.invalidRows,
        })}
      </p>
      {preview.encoding === 'windows-1252' && <p className="muted">{t('deviceCsv.latin1')}</p>}
      {preview.errors.length > 0 && (
        <table className="table" data-testid="csv-errors">
          <thead>
            <tr>
              <th>{t('deviceCsv.line')}</th>
              <th>{t('deviceCsv.column')}</th>
              <th>{t('deviceCsv.value')}</th>
              <th>{t('deviceCsv.problem')}</th>
            </tr>
          </thead>
          <tbody>
            {preview.errors.map((e, i) => (
              <tr key={`${e.line}-${e.column ?? ''}-${i}`} data-line={e.line}>
                <td>{e.line}</td>
                <td>{e.column ?? ''}</td>
                <td>{e.value}</td>
                <td>{t(`validation.${e.key}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="panel__actions">
        <button
          type="button"
          className="primary"
          disabled={props.busy || preview.invalidRows > 0 || preview.valid === 0}
          onClick={() => void props.onImport(false)}
          data-testid="csv-import-all"
        >
          {t('deviceCsv.importAll', { count: preview.valid })}
        </button>
        {preview.invalidRows > 0 && (
          <button
            type="button"
            disabled={props.busy || preview.valid === 0}
            onClick={() => void props.onImport(true)}
            data-testid="csv-import-valid"
          >
            {t('deviceCsv.importValid', { count: preview.valid })}
          </button>
        )}
      </div>
    </div>
  );
}
