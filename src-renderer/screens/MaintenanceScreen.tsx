import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAINTENANCE_CATEGORIES } from '../../src-shared/domain/workflow';
import type { MaintenanceCase, MaintenanceCategory } from '../../src-shared/domain/workflow';
import { useCan } from '../auth';
import { AreaOptions, EnumOptions, FormPanel } from '../components/crud';
import { DeviceSelect, useProbedDevices } from '../components/DeviceSelect';
import { Field, TextAreaField } from '../components/forms';
import { useClient, useQuery } from '../context';
import { formatDateTime } from '../format';

type Panel = { readonly mode: 'open' } | { readonly mode: 'close'; readonly item: MaintenanceCase } | null;

export function MaintenanceScreen() {
  const { t } = useTranslation();
  const can = useCan();
  const [areaId, setAreaId] = useState('');
  const [category, setCategory] = useState('');
  const [state, setState] = useState('open');
  const [panel, setPanel] = useState<Panel>(null);
  const areas = useQuery('areas.list', {}, ['areas.changed']);
  const cases = useQuery(
    'maintenance.list',
    {
      ...(areaId ? { areaId: Number(areaId) } : {}),
      ...(category ? { category: category as MaintenanceCategory } : {}),
      ...(state ? { open: state === 'open' } : {}),
    },
    ['maintenance.changed'],
  );
  const mayEdit = can('maintenance', 'edit');
  return (
    <section className="screen" aria-labelledby="maintenance-title">
      <header className="screen__header">
        <h1 id="maintenance-title">{t('maintenance.title')}</h1>
        {mayEdit && (
          <button type="button" className="primary" onClick={() => setPanel({ mode: 'open' })} data-testid="open-case">
            {t('maintenance.new')}
          </button>
        )}
      </header>
      <div className="filters" role="search">
        <label>
          {t('devices.area')}
          <select value={areaId} onChange={(e) => setAreaId(e.target.value)}>
            <option value="">{t('common.all')}</option>
            <AreaOptions areas={areas.data} />
          </select>
        </label>
        <label>
          {t('maintenance.category')}
          <select value={category} onChange={(e) => setCategory(e.target.value)} data-testid="filter-category">
            <option value="">{t('common.all')}</option>
            <EnumOptions values={MAINTENANCE_CATEGORIES} label={(value) => t(`categories.${value}`)} />
          </select>
        </label>
        <label>
          {t('maintenance.state')}
          <select value={state} onChange={(e) => setState(e.target.value)} data-testid="filter-open">
            <option value="">{t('common.all')}</option>
            <option value="open">{t('maintenance.open')}</option>
            <option value="closed">{t('maintenance.closed')}</option>
          </select>
        </label>
      </div>
      <div className="screen__body">
        <table className="grid" data-testid="cases-table">
          <thead>
            <tr>
              <th>{t('workflow.device')}</th>
              <th>{t('maintenance.category')}</th>
              <th>{t('maintenance.description')}</th>
              <th>{t('maintenance.opened')}</th>
              <th>{t('maintenance.solution')}</th>
              <th>{t('maintenance.closedAt')}</th>
              {mayEdit && <th>{t('common.actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {cases.data?.map((c) => (
              <tr key={c.id} data-case-device={c.deviceName}>
                <td className="nowrap">
                  <a href={`#/devices/${c.deviceId}`}>{c.deviceName}</a> <span className="mono">{c.areaCode}</span>
                </td>
                <td>{t(`categories.${c.category}`)}</td>
                <td>{c.description}</td>
                <td className="nowrap">
                  {formatDateTime(c.openedAt)} · {c.openedBy ?? t('history.bySystem')}
                </td>
                <td>{c.solution}</td>
                <td className="nowrap">
                  {c.closedAt && `${formatDateTime(c.closedAt)} · ${c.closedBy ?? t('history.bySystem')}`}
                </td>
                {mayEdit && (
                  <td>
                    {c.closedAt === null && (
                      <button
                        type="button"
                        onClick={() => setPanel({ mode: 'close', item: c })}
                        data-testid="close-case"
                      >
                        {t('maintenance.finalReport')}
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
        {panel?.mode === 'open' && <OpenCaseForm onDone={() => setPanel(null)} />}
        {panel?.mode === 'close' && (
          <CloseCaseForm key={panel.item.id} item={panel.item} onDone={() => setPanel(null)} />
        )}
      </div>
    </section>
  );
}

function OpenCaseForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const client = useClient();
  const eligible = useProbedDevices();
  const [deviceId, setDeviceId] = useState(0);
  const [category, setCategory] = useState<MaintenanceCategory>('Network');
  const [description, setDescription] = useState('');
  return (
    <FormPanel
      name="case"
      title={t('maintenance.new')}
      save={() => client.call('maintenance.open', { deviceId, category, description })}
      onDone={onDone}
      onCancel={onDone}
    >
      {(errors) => (
        <>
          <Field name="deviceId" label={t('workflow.device')} error={errors.deviceId}>
            {(aria) => <DeviceSelect devices={eligible} value={deviceId} onChange={setDeviceId} aria={aria} />}
          </Field>
          <Field name="category" label={t('maintenance.category')} error={errors.category}>
            {(aria) => (
              <select
                {...aria}
                name="category"
                value={category}
                onChange={(e) => setCategory(e.target.value as MaintenanceCategory)}
              >
                <EnumOptions values={MAINTENANCE_CATEGORIES} label={(value) => t(`categories.${value}`)} />
              </select>
            )}
          </Field>
          <TextAreaField
            name="description"
            label={t('maintenance.description')}
            value={description}
            onChange={setDescription}
            error={errors.description}
            rows={4}
          />
        </>
      )}
    </FormPanel>
  );
}

function CloseCaseForm({ item, onDone }: { item: MaintenanceCase; onDone: () => void }) {
  const { t } = useTranslation();
  const client = useClient();
  const [solution, setSolution] = useState('');
  return (
    <FormPanel
      name="close"
      title={t('maintenance.finalReportFor', { name: item.deviceName })}
      intro={<p className="muted">{item.description}</p>}
      save={() => client.call('maintenance.close', { caseId: item.id, solution })}
      onDone={onDone}
      onCancel={onDone}
    >
      {(errors) => (
        <TextAreaField
          name="solution"
          label={t('maintenance.solution')}
          value={solution}
          onChange={setSolution}
          error={errors.solution}
          rows={4}
          autoFocus
        />
      )}
    </FormPanel>
  );
}
