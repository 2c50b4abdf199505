import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ShutdownRequest, ShutdownStatus } from '../../src-shared/domain/workflow';
import { useAuth, useCan } from '../auth';
import { FormPanel } from '../components/crud';
import { DeviceSelect, useProbedDevices } from '../components/DeviceSelect';
import { Field, TextAreaField, useFormErrors } from '../components/forms';
import { useClient, useQuery } from '../context';
import { formatDateTime } from '../format';

type Panel = { readonly mode: 'request' } | { readonly mode: 'reject'; readonly item: ShutdownRequest } | null;

export function ShutdownsScreen() {
  const { t } = useTranslation();
  const client = useClient();
  const can = useCan();
  const isAdmin = useAuth().status?.user?.isAdmin ?? false;
  const [status, setStatus] = useState('');
  const [panel, setPanel] = useState<Panel>(null);
  const actionErrors = useFormErrors();
  const requests = useQuery('shutdowns.list', status ? { status: status as ShutdownStatus } : {}, [
    'shutdowns.changed',
  ]);
  const mayEdit = can('shutdowns', 'edit');
  const decide = async (id: number, decision: 'approve' | 'reenable') => {
    try {
      await client.call('shutdowns.decide', { id, decision });
      actionErrors.clear();
    } catch (error) {
      actionErrors.fromError(error);
    }
  };
  return (
    <section className="screen" aria-labelledby="shutdowns-title">
      <header className="screen__header">
        <h1 id="shutdowns-title">{t('shutdowns.title')}</h1>
        {mayEdit && (
          <button
            type="button"
            className="primary"
            onClick={() => setPanel({ mode: 'request' })}
            data-testid="request-shutdown"
          >
            {t('shutdowns.new')}
          </button>
        )}
      </header>
      <div className="filters" role="search">
        <label>
          {t('shutdowns.status')}
          <select value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">{t('common.all')}</option>
            {(['pending', 'approved', 'rejected', 'reenabled'] as const).map((s) => (
              <option key={s} value={s}>
                {t(`shutdowns.statuses.${s}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {actionErrors.errors.general && (
        <p className="error-banner" role="alert">
          {actionErrors.errors.general}
        </p>
      )}
      <div className="screen__body">
        <table className="grid" data-testid="requests-table">
          <thead>
            <tr>
              <th>{t('workflow.device')}</th>
              <th>{t('shutdowns.justification')}</th>
              <th>{t('shutdowns.requested')}</th>
              <th>{t('shutdowns.status')}</th>
              <th>{t('shutdowns.decision')}</th>
              {mayEdit && isAdmin && <th>{t('common.actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {requests.data?.map((r) => (
              <tr key={r.id} data-request-device={r.deviceName} data-status={r.status}>
                <td className="nowrap">
                  <a href={`#/devices/${r.deviceId}`}>{r.deviceName}</a> <span className="mono">{r.areaCode}</span>
                </td>
                <td>{r.justification}</td>
                <td className="nowrap">
                  {formatDateTime(r.requestedAt)} · {r.requestedBy ?? t('history.bySystem')}
                </td>
                <td>{t(`shutdowns.statuses.${r.status}`)}</td>
                <td>
                  {r.decidedAt && `${formatDateTime(r.decidedAt)} · ${r.decidedBy ?? t('history.bySystem')}`}
                  {r.decisionReason && ` — ${r.decisionReason}`}
                  {r.reenabledAt &&
                    ` · ${t('shutdowns.reenabledAt', { at: formatDateTime(r.reenabledAt), by: r.reenabledBy ?? t('history.bySystem') })}`}
                </td>
                {mayEdit && isAdmin && (
                  <td>
                    <div className="actions">
                      {r.status === 'pending' && (
                        <>
                          <button
                            type="button"
                            className="primary"
                            onClick={() => void decide(r.id, 'approve')}
                            data-testid="approve"
                          >
                            {t('shutdowns.approve')}
                          </button>
                          <button
                            type="button"
                            className="danger"
                            onClick={() => setPanel({ mode: 'reject', item: r })}
                            data-testid="reject"
                          >
                            {t('shutdowns.reject')}
                          </button>
                        </>
                      )}
                      {r.status === 'approved' && (
                        <button type="button" onClick={() => void decide(r.id, 'reenable')} data-testid="reenable">
                          {t('shutdowns.reenable')}
                        </button>
                      )}
                    </div>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
        {panel?.mode === 'request' && <RequestForm onDone={() => setPanel(null)} />}
        {panel?.mode === 'reject' && <RejectForm key={panel.item.id} item={panel.item} onDone={() => setPanel(null)} />}
      </div>
    </section>
  );
}

function RequestForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const client = useClient();
  const eligible = useProbedDevices();
  const [deviceId, setDeviceId] = useState(0);
  const [justification, setJustification] = useState('');
  return (
    <FormPanel
      name="shutdown"
      title={t('shutdowns.new')}
      save={() => client.call('shutdowns.request', { deviceId, justification })}
      onDone={onDone}
      onCancel={onDone}
    >
      {(errors) => (
        <>
          <Field name="deviceId" label={t('workflow.device')} error={errors.deviceId}>
            {(aria) => <DeviceSelect devices={eligible} value={deviceId} onChange={setDeviceId} aria={aria} />}
          </Field>
          <TextAreaField
            name="justification"
            label={t('shutdowns.justification')}
            value={justification}
            onChange={setJustification}
            error={errors.justification}
            rows={4}
          />
        </>
      )}
    </FormPanel>
  );
}

function RejectForm({ item, onDone }: { item: ShutdownRequest; onDone: () => void }) {
  const { t } = useTranslation();
  const client = useClient();
  const [reason, setReason] = useState('');
  return (
    <FormPanel
      name="reject"
      title={t('shutdowns.rejectFor', { name: item.deviceName })}
      save={() => client.call('shutdowns.decide', { id: item.id, decision: 'reject', reason })}
      onDone={onDone}
      onCancel={onDone}
    >
      {(errors) => (
        <TextAreaField
          name="reason"
          label={t('shutdowns.reason')}
          value={reason}
          onChange={setReason}
          error={errors.reason}
          rows={3}
          autoFocus
        />
      )}
    </FormPanel>
  );
}

/** How many requests wait for an administrator: a badge in the menu, rendered for administrators only. */
export function PendingShutdownsBadge() {
  const pending = useQuery('shutdowns.list', { status: 'pending', limit: 500 }, ['shutdowns.changed']);
  const count = pending.data?.length ?? 0;
  return count > 0 ? (
    <span className="nav-badge" data-testid="pending-shutdowns">
      {count}
    </span>
  ) : null;
}
