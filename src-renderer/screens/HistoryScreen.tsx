import Papa from 'papaparse';
import { downloadText, today } from '../download';
import { useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { History } from '../../src-shared/contract/channels';
import { neutraliseRow } from '../../src-shared/domain/csv';
import { DEVICE_TYPES } from '../../src-shared/domain/device';
import type { DeviceType } from '../../src-shared/domain/device';
import { MAINTENANCE_CATEGORIES } from '../../src-shared/domain/workflow';
import type { MaintenanceCategory } from '../../src-shared/domain/workflow';
import { AreaOptions, EnumOptions } from '../components/crud';
import { useDateRange } from '../components/DateRange';
import { useQuery } from '../context';
import { formatDateTime } from '../format';

interface HistoryRow {
  readonly at: number;
  readonly kind: 'status' | 'maintenance' | 'shutdown';
  readonly device: string;
  readonly area: string;
  readonly what: string;
  readonly who: string;
  readonly details: string;
  /** A central observation the area's agent later contradicted: shown struck through, never counted. */
  readonly superseded: boolean;
}

/** Who made a change, as people call them: the person's name, or the monitor that observed it. */
function actor(source: string, userName: string | null, t: TFunction): string {
  if (userName) return userName;
  if (source.startsWith('agent:')) return t('history.byAgent', { area: source.slice('agent:'.length) });
  if (source === 'workflow') return t('history.bySystem');
  return t('history.byMonitor');
}

/** One or two people (who opened, who closed); nobody at all is the system. */
function people(first: string | null, second: string | null, t: TFunction): string {
  const name = (n: string | null) => n ?? t('history.bySystem');
  return second === null ? name(first) : `${name(first)} / ${name(second)}`;
}

/** Status changes, maintenance cases and shutdown requests as one timeline, newest first. */
function timeline(history: History, t: TFunction): HistoryRow[] {
  const rows: HistoryRow[] = [
    ...history.changes.map((c) => ({
      at: c.at,
      kind: 'status' as const,
      device: c.deviceName,
      area: c.areaCode,
      what: `${t(`status.${c.from}`)} → ${t(`status.${c.to}`)}`,
      who: actor(c.source, c.userName, t),
      details: c.superseded ? t('history.superseded') : '',
      superseded: c.superseded,
    })),
    ...history.cases.map((c) => ({
      at: c.openedAt,
      kind: 'maintenance' as const,
      device: c.deviceName,
      area: c.areaCode,
      what: `${t(`categories.${c.category}`)}${c.closedAt ? ` · ${t('maintenance.closed')}` : ` · ${t('maintenance.open')}`}`,
      who: people(c.openedBy, c.closedAt === null ? null : c.closedBy, t),
      details: c.solution ? `${c.description} → ${c.solution}` : c.description,
      superseded: false,
    })),
    ...history.requests.map((r) => ({
      at: r.requestedAt,
      kind: 'shutdown' as const,
      device: r.deviceName,
      area: r.areaCode,
      what: t(`shutdowns.statuses.${r.status}`),
      who: people(r.requestedBy, r.decidedAt === null ? null : r.decidedBy, t),
      details: r.decisionReason ? `${r.justification} → ${r.decisionReason}` : r.justification,
      superseded: false,
    })),
  ];
  return rows.sort((a, b) => b.at - a.at);
}

export function HistoryScreen() {
  const { t } = useTranslation();
  const [areaId, setAreaId] = useState('');
  const [type, setType] = useState('');
  const [category, setCategory] = useState('');
  const dates = useDateRange();
  const areas = useQuery('areas.list', {}, ['areas.changed']);
  const history = useQuery(
    'history.list',
    {
      limit: 2000,
      ...(areaId ? { areaId: Number(areaId) } : {}),
      ...(type ? { type: type as DeviceType } : {}),
      ...(category ? { category: category as MaintenanceCategory } : {}),
      ...dates.window,
    },
    ['devices.statusChanged', 'maintenance.changed', 'shutdowns.changed'],
  );
  const rows = history.data ? timeline(history.data, t) : [];

  const exportCsv = () => {
    const csv = Papa.unparse(
      rows.map((r) =>
        neutraliseRow({
          [t('history.at')]: new Date(r.at).toISOString(),
          [t('history.kind')]: t(`history.kinds.${r.kind}`),
          [t('workflow.device')]: r.device,
          [t('devices.area')]: r.area,
          [t('history.what')]: r.what,
          [t('history.who')]: r.who,
          [t('history.details')]: r.details,
        }),
      ),
    );
    // A BOM so that Excel opens the accents right.
    downloadText(`historico-${today()}.csv`, `\ufeff${csv}`);
  };

  return (
    <section className="screen" aria-labelledby="history-title">
      <header className="screen__header">
        <h1 id="history-title">{t('history.title')}</h1>
        <button type="button" onClick={exportCsv} disabled={rows.length === 0} data-testid="export-history">
          {t('history.export')}
        </button>
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
          {t('devices.type')}
          <select value={type} onChange={(e) => setType(e.target.value)}>
            <option value="">{t('common.all')}</option>
            <EnumOptions values={DEVICE_TYPES} label={(value) => t(`deviceType.${value}`)} />
          </select>
        </label>
        <label>
          {t('maintenance.category')}
          <select value={category} onChange={(e) => setCategory(e.target.value)}>
            <option value="">{t('common.all')}</option>
            <EnumOptions values={MAINTENANCE_CATEGORIES} label={(value) => t(`categories.${value}`)} />
          </select>
        </label>
        {dates.inputs}
      </div>
      <table className="grid" data-testid="history-table">
        <thead>
          <tr>
            <th>{t('history.at')}</th>
            <th>{t('history.kind')}</th>
            <th>{t('workflow.device')}</th>
            <th>{t('history.what')}</th>
            <th>{t('history.who')}</th>
            <th>{t('history.details')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr
              key={`${r.kind}-${r.at}-${i}`}
              data-kind={r.kind}
              data-superseded={r.superseded || undefined}
              className={r.superseded ? 'history-superseded' : undefined}
            >
              <td className="nowrap">{formatDateTime(r.at)}</td>
              <td>{t(`history.kinds.${r.kind}`)}</td>
              <td className="nowrap">
                {r.device} <span className="mono">{r.area}</span>
              </td>
              <td>{r.what}</td>
              <td data-testid="history-who">{r.who}</td>
              <td>{r.details}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
