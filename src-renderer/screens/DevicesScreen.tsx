import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DEVICE_CONTEXTS, DEVICE_SORTS, DEVICE_TYPES, isBehindDownParent } from '../../src-shared/domain/device';
import type { Device, DeviceContext, DeviceFilter, DevicePageInput, DeviceType } from '../../src-shared/domain/device';
import { DEVICE_STATUSES } from '../../src-shared/domain/status';
import type { Area } from '../../src-shared/domain/area';
import { AreaOptions, EnumOptions, FormPanel, useEditAndDelete } from '../components/crud';
import type { Editing } from '../components/crud';
import { Field } from '../components/forms';
import { useCan } from '../auth';
import { StatusBadge } from '../components/StatusBadge';
import { useClient, useQuery } from '../context';
import { formatNumber } from '../format';
import { useHashParams } from '../hash-params';
import { DeviceCsvPanel } from './DeviceCsvPanel';

function useDebounced<T>(value: T, delayMs: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return debounced;
}

const PAGE_SIZE = 100;

/** Filters, sort and page as they sit in the address; anything unknown there is ignored. */
function pageInput(params: Record<string, string>, text: string): DevicePageInput {
  const pick = <T extends string>(value: string | undefined, allowed: readonly T[]) =>
    allowed.includes(value as T) ? (value as T) : undefined;
  const area = Number(params.area);
  const page = Math.max(0, Math.floor(Number(params.page) || 0));
  const type = pick(params.type, DEVICE_TYPES);
  const context = pick(params.context, DEVICE_CONTEXTS);
  const status = pick(params.status, DEVICE_STATUSES);
  return {
    ...(Number.isInteger(area) && area > 0 ? { areaId: area } : {}),
    ...(type ? { type } : {}),
    ...(context ? { context } : {}),
    ...(status ? { status } : {}),
    ...(text ? { text } : {}),
    sort: pick(params.sort, DEVICE_SORTS) ?? 'name',
    offset: page * PAGE_SIZE,
    limit: PAGE_SIZE,
  };
}

/** The export follows the list's filters, not its page or order. */
function csvFilter({ sort: _sort, offset: _offset, limit: _limit, ...filter }: DevicePageInput): DeviceFilter {
  return filter;
}

export function DevicesScreen() {
  const { t } = useTranslation();
  const client = useClient();
  const can = useCan();
  const [params, setParams] = useHashParams();
  const [text, setText] = useState(params.q ?? '');
  const debouncedText = useDebounced(text.trim(), 250);
  useEffect(() => {
    // The search box is typed into; it reaches the address (and the query) once the operator pauses.
    if ((params.q ?? '') !== debouncedText) setParams({ ...params, q: debouncedText, page: '' });
  }, [debouncedText, params, setParams]);
  const set = (key: string, value: string) => setParams({ ...params, [key]: value, page: '' });
  const input = pageInput(params, params.q ?? '');
  const page = useQuery('devices.page', input, ['devices.changed', 'devices.statusChanged']);
  const areas = useQuery('areas.list', {}, ['areas.changed']);
  const screen = useEditAndDelete(
    (device: Device) => client.call('devices.delete', { id: device.id }),
    can('devices', 'edit'),
  );
  const { editing } = screen;
  const total = page.data?.total ?? 0;
  // Beside the ping state, never mixed into it: the cameras of this page whose picture is bad.
  const cameraIds = (page.data?.rows ?? []).filter((d) => d.type === 'camera').map((d) => d.id);
  const problems = useQuery('cameras.videoProblems', { deviceIds: cameraIds }, ['devices.changed']);
  const videoProblem = new Map((problems.data ?? []).map((p) => [p.deviceId, p.health]));
  const pageIndex = Math.floor((input.offset ?? 0) / PAGE_SIZE);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));

  return (
    <section className="screen" aria-labelledby="devices-title">
      <header className="screen__header">
        <h1 id="devices-title">{t('devices.title')}</h1>
        {screen.mayEdit && (
          <button type="button" className="primary" onClick={screen.create} data-testid="new-device">
            {t('devices.new')}
          </button>
        )}
      </header>
      <DeviceCsvPanel filter={csvFilter(input)} mayEdit={screen.mayEdit} />
      <div className="filters" role="search">
        <label>
          {t('devices.area')}
          <select value={params.area ?? ''} onChange={(e) => set('area', e.target.value)} data-testid="filter-area">
            <option value="">{t('common.all')}</option>
            <AreaOptions areas={areas.data} />
          </select>
        </label>
        <label>
          {t('devices.type')}
          <select value={params.type ?? ''} onChange={(e) => set('type', e.target.value)} data-testid="filter-type">
            <option value="">{t('common.all')}</option>
            <EnumOptions values={DEVICE_TYPES} label={(value) => t(`deviceType.${value}`)} />
          </select>
        </label>
        <label>
          {t('devices.context')}
          <select
            value={params.context ?? ''}
            onChange={(e) => set('context', e.target.value)}
            data-testid="filter-context"
          >
            <option value="">{t('common.all')}</option>
            <EnumOptions values={DEVICE_CONTEXTS} label={(value) => t(`deviceContext.${value}`)} />
          </select>
        </label>
        <label>
          {t('devices.status')}
          <select
            value={params.status ?? ''}
            onChange={(e) => set('status', e.target.value)}
            data-testid="filter-status"
          >
            <option value="">{t('common.all')}</option>
            <EnumOptions values={DEVICE_STATUSES} label={(value) => t(`status.${value}`)} />
          </select>
        </label>
        <label>
          {t('devices.sort')}
          <select value={input.sort} onChange={(e) => set('sort', e.target.value)} data-testid="sort">
            <EnumOptions values={DEVICE_SORTS} label={(value) => t(`devices.sorts.${value}`)} />
          </select>
        </label>
        <label className="filters__text">
          {t('devices.search')}
          <input
            type="search"
            value={text}
            placeholder={t('devices.searchPlaceholder')}
            onChange={(e) => setText(e.target.value)}
            data-testid="filter-text"
          />
        </label>
        <span className="filters__count" data-testid="device-count">
          {t('devices.count', { count: total, formatted: formatNumber(total) })}
        </span>
      </div>
      {screen.banners}
      <div className="screen__body">
        <table className="grid" data-testid="devices-table">
          <thead>
            <tr>
              <th>{t('devices.status')}</th>
              <th>{t('devices.name')}</th>
              <th>{t('devices.type')}</th>
              <th>{t('devices.context')}</th>
              <th>{t('devices.host')}</th>
              <th>{t('devices.area')}</th>
              <th>{t('devices.location')}</th>
              {screen.mayEdit && <th>{t('common.actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {page.data?.rows.map((device) => (
              <tr key={device.id} data-device-name={device.name}>
                <td>
                  <StatusBadge status={device.status} since={device.statusSince} />
                  {videoProblem.get(device.id) && (
                    <span className={`badge badge--video-${videoProblem.get(device.id)}`} data-testid="video-problem">
                      {t(`camera.health.${videoProblem.get(device.id)}`)}
                    </span>
                  )}
                  {isBehindDownParent(device) && (
                    <span
                      className="badge badge--behind-parent"
                      title={device.parentName ?? ''}
                      data-testid="behind-parent"
                    >
                      {t('alarms.behindParent')}
                    </span>
                  )}
                </td>
                <td className="nowrap">
                  <a href={`#/devices/${device.id}`}>{device.name}</a>
                </td>
                <td className="nowrap">{t(`deviceType.${device.type}`)}</td>
                <td>{t(`deviceContext.${device.context}`)}</td>
                <td className="mono">{device.host}</td>
                <td className="mono">{device.areaCode}</td>
                <td>{device.location}</td>
                {screen.rowActions(device)}
              </tr>
            ))}
          </tbody>
        </table>
        {total === 0 && page.data && <p className="empty">{t('common.empty')}</p>}
        {pages > 1 && (
          <nav className="pager" aria-label={t('devices.pages')} data-testid="pager">
            <button
              type="button"
              disabled={pageIndex === 0}
              onClick={() => setParams({ ...params, page: String(pageIndex - 1) })}
              data-testid="page-previous"
            >
              {t('common.previous')}
            </button>
            <span data-testid="page-of">{t('devices.pageOf', { page: pageIndex + 1, pages })}</span>
            <button
              type="button"
              disabled={pageIndex + 1 >= pages}
              onClick={() => setParams({ ...params, page: String(pageIndex + 1) })}
              data-testid="page-next"
            >
              {t('common.next')}
            </button>
          </nav>
        )}
        {editing && (
          <DeviceForm
            key={editing.mode === 'edit' ? editing.item.id : 'new'}
            editing={editing}
            areas={areas.data ?? []}
            onDone={screen.saved}
            onCancel={screen.closeForm}
          />
        )}
      </div>
      {screen.confirmation((device) => t('devices.confirmDelete', { name: device.name, host: device.host }))}
    </section>
  );
}

function DeviceForm({
  editing,
  areas,
  onDone,
  onCancel,
}: {
  editing: NonNullable<Editing<Device>>;
  areas: readonly Area[];
  onDone: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const client = useClient();
  const initial =
    editing.mode === 'edit'
      ? editing.item
      : {
          name: '',
          type: 'camera' as DeviceType,
          context: 'normal' as DeviceContext,
          host: '',
          areaId: 0,
          location: '',
          notes: '',
          parentId: null,
        };
  const [name, setName] = useState(initial.name);
  const [type, setType] = useState<DeviceType>(initial.type);
  const [context, setContext] = useState<DeviceContext>(initial.context);
  const [host, setHost] = useState(initial.host);
  const [areaId, setAreaId] = useState(initial.areaId);
  const [location, setLocation] = useState(initial.location);
  const [notes, setNotes] = useState(initial.notes);
  const [parentId, setParentId] = useState<number | null>(initial.parentId);
  // areaId 0 means "none chosen": main answers with a `required` error for that field.
  const fields = { name, type, context, host, areaId, location, notes, parentId };

  return (
    <FormPanel
      name="device"
      title={editing.mode === 'edit' ? t('devices.editTitle', { name: editing.item.name }) : t('devices.new')}
      intro={areas.length === 0 && <p className="notice">{t('devices.noAreas')}</p>}
      save={() =>
        editing.mode === 'edit'
          ? client.call('devices.update', { id: editing.item.id, ...fields })
          : client.call('devices.create', fields)
      }
      onDone={onDone}
      onCancel={onCancel}
    >
      {(errors) => (
        <>
          <Field name="name" label={t('devices.name')} error={errors.name}>
            {(props) => (
              <input {...props} name="name" value={name} onChange={(e) => setName(e.target.value)} autoFocus />
            )}
          </Field>
          <Field name="type" label={t('devices.type')} error={errors.type}>
            {(props) => (
              <select {...props} name="type" value={type} onChange={(e) => setType(e.target.value as DeviceType)}>
                <EnumOptions values={DEVICE_TYPES} label={(value) => t(`deviceType.${value}`)} />
              </select>
            )}
          </Field>
          <Field name="context" label={t('devices.context')} error={errors.context}>
            {(props) => (
              <select
                {...props}
                name="context"
                value={context}
                onChange={(e) => setContext(e.target.value as DeviceContext)}
              >
                <EnumOptions values={DEVICE_CONTEXTS} label={(value) => t(`deviceContext.${value}`)} />
              </select>
            )}
          </Field>
          <Field name="host" label={t('devices.host')} error={errors.host}>
            {(props) => (
              <input {...props} name="host" value={host} onChange={(e) => setHost(e.target.value)} spellCheck={false} />
            )}
          </Field>
          <Field name="areaId" label={t('devices.area')} error={errors.areaId}>
            {(props) => (
              <select {...props} name="areaId" value={areaId} onChange={(e) => setAreaId(Number(e.target.value))}>
                <option value={0}>{t('devices.chooseArea')}</option>
                <AreaOptions areas={areas} />
              </select>
            )}
          </Field>
          <Field name="parentId" label={t('devices.parent')} error={errors.parentId} hint={t('devices.parentHint')}>
            {(props) => (
              <ParentSelect
                aria={props}
                areaId={areaId}
                self={editing.mode === 'edit' ? editing.item.id : null}
                value={parentId}
                onChange={setParentId}
              />
            )}
          </Field>
          <Field name="location" label={t('devices.location')} error={errors.location}>
            {(props) => (
              <input {...props} name="location" value={location} onChange={(e) => setLocation(e.target.value)} />
            )}
          </Field>
          <Field name="notes" label={t('devices.notes')} error={errors.notes}>
            {(props) => (
              <textarea {...props} name="notes" value={notes} rows={3} onChange={(e) => setNotes(e.target.value)} />
            )}
          </Field>
        </>
      )}
    </FormPanel>
  );
}

/** A device's parent: a device of the same area (chosen first), never itself. */
function ParentSelect(props: {
  aria: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string };
  areaId: number;
  self: number | null;
  value: number | null;
  onChange: (id: number | null) => void;
}) {
  const { t } = useTranslation();
  return (
    <select
      {...props.aria}
      name="parentId"
      value={props.value ?? 0}
      onChange={(e) => props.onChange(Number(e.target.value) || null)}
    >
      <option value={0}>{t('devices.noParent')}</option>
      {props.areaId > 0 && <ParentOptions areaId={props.areaId} self={props.self} />}
    </select>
  );
}

function ParentOptions({ areaId, self }: { areaId: number; self: number | null }) {
  const candidates = useQuery('devices.list', { areaId }, ['devices.changed']);
  return (
    <>
      {candidates.data
        ?.filter((d) => d.id !== self)
        .map((d) => (
          <option key={d.id} value={d.id}>
            {d.name} ({d.host})
          </option>
        ))}
    </>
  );
}
