import type { Area } from '../../../src-shared/domain/area';
import { DeviceInput } from '../../../src-shared/domain/device';
import type { Device, DeviceFields } from '../../../src-shared/domain/device';
import type { DeviceCsvColumn, DeviceCsvPreview, DeviceCsvRowError } from '../../../src-shared/domain/device-csv';
import { isValidationKey } from '../../../src-shared/domain/validation';
import type { ValidationKey } from '../../../src-shared/domain/validation';
import { deviceCsvCells } from './csv-file';
import type { CsvDeviceRow, ReadCsv } from './csv-file';
import type { ImportedDevice } from '../store/ports/catalog';

export interface ImportPlan {
  readonly preview: DeviceCsvPreview;
  /** The valid new devices, parents before their children. */
  readonly creates: readonly ImportedDevice[];
}

interface Candidate {
  readonly row: CsvDeviceRow;
  readonly fields: Omit<DeviceFields, 'parentId'>;
  parentName: string;
}

const MAX_ERRORS_LISTED = 1000;
const COLUMN_OF: Record<string, DeviceCsvColumn> = { areaId: 'area' };

/**
 * What importing the file would do, row by row, against the store as it is:
 * each row creates a device, is identical to one that exists (nothing to do:
 * an exported list imported back), or is refused with its reasons — bad
 * host, unknown area or one the user may not touch, a name or address that
 * exists or repeats in the file, a bad type or context, an unknown parent.
 */
export function planDeviceImport(
  read: ReadCsv,
  store: { readonly areas: readonly Area[]; readonly devices: readonly Device[] },
  allowedAreaIds: readonly number[] | null,
): ImportPlan {
  const errors: DeviceCsvRowError[] = [...read.errors];
  const fail = (row: CsvDeviceRow, column: DeviceCsvColumn | null, key: ValidationKey) =>
    errors.push({ line: row.line, column, key, value: column ? row.cells[column].slice(0, 80) : '' });
  const areaByCode = new Map(store.areas.map((a) => [a.code.toUpperCase(), a]));
  const existingByName = new Map(store.devices.map((d) => [`${d.areaId}:${d.name}`, d]));
  const existingHosts = new Map(store.devices.map((d) => [d.host.toLowerCase(), d]));
  const candidates: Candidate[] = [];
  let unchanged = 0;
  const seenNames = new Set<string>();
  const seenHosts = new Set<string>();
  for (const row of read.rows) {
    const before = errors.length;
    const area = areaByCode.get(row.cells.area.toUpperCase());
    if (!area) fail(row, 'area', row.cells.area ? 'unknown_area' : 'required');
    else if (allowedAreaIds && !allowedAreaIds.includes(area.id)) fail(row, 'area', 'areas_beyond_own');
    // The area is checked above; a stand-in id lets the other columns be checked too.
    const parsed = DeviceInput.safeParse({ ...row.cells, areaId: area?.id ?? 1 });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? '');
        fail(
          row,
          (COLUMN_OF[field] ?? field) as DeviceCsvColumn,
          isValidationKey(issue.message) ? issue.message : 'invalid',
        );
      }
    }
    if (errors.length > before || !parsed.success || !area) continue;
    const { parentId: _parent, ...fields } = parsed.data;
    const existing = existingByName.get(`${area.id}:${fields.name}`);
    if (existing) {
      if (sameAsStored(existing, row)) unchanged++;
      else fail(row, 'name', 'exists_different');
      continue;
    }
    const nameKey = `${area.id}:${fields.name}`;
    const hostKey = fields.host.toLowerCase();
    if (seenNames.has(nameKey)) fail(row, 'name', 'duplicate_in_file');
    if (existingHosts.has(hostKey)) fail(row, 'host', 'duplicate_host');
    else if (seenHosts.has(hostKey)) fail(row, 'host', 'duplicate_in_file');
    seenNames.add(nameKey);
    seenHosts.add(hostKey);
    if (errors.length > before) continue;
    candidates.push({ row, fields, parentName: row.cells.parent });
  }
  const creates = orderWithParents(candidates, existingByName, fail);
  errors.sort((a, b) => a.line - b.line);
  const invalidRows = new Set(errors.map((e) => e.line)).size;
  return {
    preview: {
      encoding: read.encoding,
      delimiter: read.delimiter,
      rows: read.rows.length + read.errors.filter((e) => e.key === 'csv_malformed').length,
      valid: creates.length,
      unchanged,
      invalidRows,
      errors: errors.slice(0, MAX_ERRORS_LISTED),
    },
    creates,
  };
}

function sameAsStored(device: Device, row: CsvDeviceRow): boolean {
  const stored = deviceCsvCells(device);
  return (['type', 'context', 'host', 'location', 'notes', 'parent'] as const).every(
    (column) => stored[column] === row.cells[column],
  );
}

/**
 * Resolves each parent (an existing device of the area, or another new row
 * of it), refuses unknown parents, self-parents and loops — and rows whose
 * parent row was refused — then puts parents before their children.
 */
function orderWithParents(
  candidates: Candidate[],
  existingByName: ReadonlyMap<string, Device>,
  fail: (row: CsvDeviceRow, column: DeviceCsvColumn | null, key: ValidationKey) => void,
): ImportedDevice[] {
  const byName = new Map(candidates.map((c) => [`${c.fields.areaId}:${c.fields.name}`, c]));
  const refused = new Set<Candidate>();
  const parentOf = (c: Candidate): Candidate | Device | null | undefined => {
    if (!c.parentName) return null;
    const key = `${c.fields.areaId}:${c.parentName}`;
    return existingByName.get(key) ?? byName.get(key);
  };
  for (const c of candidates) {
    if (c.parentName === c.fields.name) {
      fail(c.row, 'parent', 'parent_is_self');
      refused.add(c);
    } else if (parentOf(c) === undefined) {
      fail(c.row, 'parent', 'unknown_parent');
      refused.add(c);
    }
  }
  const ordered: Candidate[] = [];
  const state = new Map<Candidate, 'visiting' | 'ok' | 'cycle' | 'refused'>();
  // A row in a loop of parents, or below one, is refused as such; below a refused row, as an unknown parent.
  const visit = (c: Candidate): 'ok' | 'cycle' | 'refused' => {
    if (refused.has(c)) return 'refused';
    const seen = state.get(c);
    if (seen === 'visiting') return 'cycle';
    if (seen) return seen;
    state.set(c, 'visiting');
    const parent = parentOf(c);
    const result = parent && 'row' in parent ? visit(parent) : 'ok';
    if (result === 'ok') ordered.push(c);
    else fail(c.row, 'parent', result === 'cycle' ? 'parent_cycle' : 'unknown_parent');
    state.set(c, result);
    return result;
  };
  candidates.forEach(visit);
  const index = new Map(ordered.map((c, i) => [c, i]));
  return ordered.map((c) => {
    const parent = parentOf(c);
    return {
      fields: c.fields,
      parent: !parent ? null : 'row' in parent ? { index: index.get(parent)! } : { id: parent.id },
    };
  });
}
