import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_VIDEO_CHECK_MINUTES } from '../../src-shared/domain/area';
import type { Area } from '../../src-shared/domain/area';
import { FormPanel, useEditAndDelete } from '../components/crud';
import type { Editing } from '../components/crud';
import { Field } from '../components/forms';
import { useCan } from '../auth';
import { useClient, useQuery } from '../context';
import { AgentLinkBadge, AgentPanel } from './AgentPanel';

const timeZones = Intl.supportedValuesOf('timeZone');
const localTimeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

export function AreasScreen() {
  const { t } = useTranslation();
  const client = useClient();
  const can = useCan();
  const areas = useQuery('areas.list', {}, ['areas.changed']);
  const screen = useEditAndDelete((area: Area) => client.call('areas.delete', { id: area.id }), can('areas', 'edit'));
  const { editing } = screen;
  const mayViewAgents = can('agents');
  const agents = useQuery('agents.list', {}, ['agents.changed', 'areas.changed']);
  const agentOf = (areaId: number) => agents.data?.find((agent) => agent.areaId === areaId) ?? null;
  const [agentAreaId, setAgentAreaId] = useState<number | null>(null);
  const agentArea = areas.data?.find((area) => area.id === agentAreaId) ?? null;

  return (
    <section className="screen" aria-labelledby="areas-title">
      <header className="screen__header">
        <h1 id="areas-title">{t('areas.title')}</h1>
        {screen.mayEdit && (
          <button type="button" className="primary" onClick={screen.create} data-testid="new-area">
            {t('areas.new')}
          </button>
        )}
      </header>
      {screen.banners}
      <div className="screen__body">
        <table className="grid" data-testid="areas-table">
          <thead>
            <tr>
              <th>{t('areas.code')}</th>
              <th>{t('areas.name')}</th>
              <th>{t('areas.timeZone')}</th>
              <th className="num">{t('areas.devices')}</th>
              <th>{t('agents.column')}</th>
              {screen.mayEdit && <th>{t('common.actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {areas.data?.map((area) => (
              <tr key={area.id} data-area-code={area.code}>
                <td className="mono">{area.code}</td>
                <td>{area.name}</td>
                <td>{area.timeZone}</td>
                <td className="num">{area.deviceCount}</td>
                <td>
                  <AgentLinkBadge agent={agentOf(area.id)} />{' '}
                  {mayViewAgents && (
                    <button type="button" onClick={() => setAgentAreaId(area.id)} data-testid="open-agent">
                      {t('agents.open')}
                    </button>
                  )}
                </td>
                {screen.rowActions(area)}
              </tr>
            ))}
          </tbody>
        </table>
        {areas.data?.length === 0 && <p className="empty">{t('common.empty')}</p>}
        {mayViewAgents && agentArea && (
          <AgentPanel
            key={agentArea.id}
            area={agentArea}
            agent={agentOf(agentArea.id)}
            onClose={() => setAgentAreaId(null)}
          />
        )}
        {editing && (
          <AreaForm
            key={editing.mode === 'edit' ? editing.item.id : 'new'}
            editing={editing}
            onDone={screen.saved}
            onCancel={screen.closeForm}
          />
        )}
      </div>
      {screen.confirmation((area) => t('areas.confirmDelete', { code: area.code, name: area.name }))}
    </section>
  );
}

function AreaForm({
  editing,
  onDone,
  onCancel,
}: {
  editing: NonNullable<Editing<Area>>;
  onDone: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const client = useClient();
  const initial =
    editing.mode === 'edit' ? editing.item : { code: '', name: '', timeZone: localTimeZone, videoCheckMinutes: null };
  const [code, setCode] = useState(initial.code);
  const [name, setName] = useState(initial.name);
  const [timeZone, setTimeZone] = useState(initial.timeZone);
  // Empty: the area follows the installation's interval (Settings › Alarms).
  const [videoCheck, setVideoCheck] = useState(
    initial.videoCheckMinutes === null ? '' : String(initial.videoCheckMinutes),
  );
  const videoCheckMinutes = videoCheck.trim() === '' ? null : Number(videoCheck);

  return (
    <FormPanel
      name="area"
      title={editing.mode === 'edit' ? t('areas.editTitle', { code: editing.item.code }) : t('areas.new')}
      save={() =>
        editing.mode === 'edit'
          ? client.call('areas.update', { id: editing.item.id, code, name, timeZone, videoCheckMinutes })
          : client.call('areas.create', { code, name, timeZone, videoCheckMinutes })
      }
      onDone={onDone}
      onCancel={onCancel}
    >
      {(errors) => (
        <>
          <Field name="code" label={t('areas.code')} error={errors.code} hint={t('areas.codeHint')}>
            {(props) => (
              <input
                {...props}
                name="code"
                value={code}
                onChange={(e) => setCode(e.target.value)}
                maxLength={20}
                autoFocus
              />
            )}
          </Field>
          <Field name="name" label={t('areas.name')} error={errors.name}>
            {(props) => <input {...props} name="name" value={name} onChange={(e) => setName(e.target.value)} />}
          </Field>
          <Field name="timeZone" label={t('areas.timeZone')} error={errors.timeZone}>
            {(props) => (
              <input
                {...props}
                name="timeZone"
                list="time-zones"
                value={timeZone}
                onChange={(e) => setTimeZone(e.target.value)}
              />
            )}
          </Field>
          <Field
            name="videoCheckMinutes"
            label={t('areas.videoCheckMinutes')}
            error={errors.videoCheckMinutes}
            hint={t('areas.videoCheckHint')}
          >
            {(props) => (
              <input
                {...props}
                name="videoCheckMinutes"
                type="number"
                min={0}
                max={MAX_VIDEO_CHECK_MINUTES}
                value={videoCheck}
                onChange={(e) => setVideoCheck(e.target.value)}
              />
            )}
          </Field>
          <datalist id="time-zones">
            {timeZones.map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
        </>
      )}
    </FormPanel>
  );
}
