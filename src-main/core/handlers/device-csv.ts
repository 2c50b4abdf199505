import type { DeviceCsvImported } from '../../../src-shared/domain/device-csv';
import { FORM_FIELD } from '../../../src-shared/domain/validation';
import type { HandlerMap } from '../contract/server';
import type { Session } from '../contract/session';
import { readDeviceCsv, writeDeviceCsv } from '../devices/csv-file';
import { planDeviceImport } from '../devices/csv-import';
import { invalidField } from '../errors';
import type { HandlerContext } from './context';
import { scopedDeviceQuery } from './scope';

type DeviceCsvHandlers = Pick<HandlerMap, 'devices.csvPreview' | 'devices.csvImport' | 'devices.csvExport'>;

/**
 * CSV import and export of devices. The plan is made against the store as
 * it is; the import writes the plan's new devices in one transaction with one
 * audit entry, and a name taken in between fails it whole.
 */
export function deviceCsvHandlers({ store, auditor, emit }: HandlerContext): DeviceCsvHandlers {
  const plan = async (file: string, session: Session) => {
    const read = readDeviceCsv(Buffer.from(file, 'base64'));
    const [areas, devices] = await Promise.all([store.listAreas(), store.listDevices({})]);
    return planDeviceImport(read, { areas, devices }, session.allowedAreaIds);
  };
  return {
    'devices.csvPreview': async ({ file }, { session }) => (await plan(file, session)).preview,
    'devices.csvImport': async ({ file, onlyValid }, { session }): Promise<DeviceCsvImported> => {
      const { preview, creates } = await plan(file, session);
      if (preview.invalidRows > 0 && !onlyValid) {
        throw invalidField(FORM_FIELD, 'csv_has_errors', `${preview.invalidRows} lines have errors`);
      }
      const counts = { unchanged: preview.unchanged, skipped: preview.invalidRows };
      const created = await store.importDevices(creates, (n) =>
        auditor.entry(session, {
          action: 'device.import',
          subject: { entityId: null, label: String(n), areaId: null },
          after: { created: n, ...counts },
        }),
      );
      if (created > 0) {
        const areaIds = [...new Set(creates.map((c) => c.fields.areaId))];
        emit('devices.changed', { ids: [] }, { areaIds });
        emit('areas.changed', { ids: areaIds }, { areaIds });
      }
      return { created, ...counts };
    },
    'devices.csvExport': async (filter, { session }) => {
      const query = scopedDeviceQuery(session, filter);
      const devices = query ? await store.listDevices(query) : [];
      return { csv: writeDeviceCsv(devices), rows: devices.length };
    },
  };
}
