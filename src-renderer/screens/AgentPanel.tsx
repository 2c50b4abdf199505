import { useMemo, useState } from 'react';
import type { ChartConfiguration } from 'chart.js';
import { useTranslation } from 'react-i18next';
import { channels } from '../../src-shared/contract/channels';
import type { AgentListenerInfo } from '../../src-shared/contract/channels';
import type { Area } from '../../src-shared/domain/area';
import { CLOCK_WARNING_MS } from '../../src-shared/domain/agents';
import type { AgentHeartbeatPoint, AgentView, IssuedAgentKey } from '../../src-shared/domain/agents';
import { useAllowed } from '../auth';
import { ChartCanvas, cssColor } from '../components/Chart';
import { ConfirmDialog, useFormErrors } from '../components/forms';
import { useClient, useQuery } from '../context';
import { formatDateTime, formatNumber, formatTime } from '../format';

const GIB = 1024 ** 3;

/** What the Areas screen says about one area's agent, and where an administrator manages its key. */
export function AgentPanel({ area, agent, onClose }: { area: Area; agent: AgentView | null; onClose: () => void }) {
  const { t } = useTranslation();
  const listener = useQuery('agents.listener', {}, []);
  const mayManageKeys = useAllowed()(channels['agents.issueKey'].permission);
  return (
    <section className="agent-panel" aria-labelledby="agent-panel-title" data-testid="agent-panel">
      <header className="screen__header">
        <h2 id="agent-panel-title">{t('agents.panelTitle', { code: area.code })}</h2>
        <button type="button" onClick={onClose}>
          {t('agents.close')}
        </button>
      </header>
      <AgentDetails agent={agent} />
      {mayManageKeys && <AgentKeyActions area={area} agent={agent} listener={listener.data ?? null} />}
      <ListenerInfo listener={listener.data ?? null} />
      {agent && agent.link !== 'none' && <HeartbeatHistory areaId={area.id} />}
    </section>
  );
}

export function AgentLinkBadge({ agent }: { agent: AgentView | null }) {
  const { t } = useTranslation();
  const link = agent?.link ?? 'none';
  return (
    <span className={`agent-link agent-link--${link}`} data-testid="agent-link" data-link={link}>
      {t(`agents.links.${link}`)}
    </span>
  );
}

function AgentDetails({ agent }: { agent: AgentView | null }) {
  const { t } = useTranslation();
  const at = (value: number | null) => (value === null ? t('agents.never') : formatDateTime(value));
  const offsetSeconds = agent?.clockOffsetMs == null ? null : formatNumber(agent.clockOffsetMs / 1000, 1);
  const clockWrong = agent?.clockOffsetMs != null && Math.abs(agent.clockOffsetMs) > CLOCK_WARNING_MS;
  const host = agent?.host ?? null;
  const keyText = !agent?.keyPrefix
    ? t(agent?.revoked ? 'agents.keyRevoked' : 'agents.keyNone')
    : `${agent.keyPrefix} — ${t('agents.keyIssuedAt', { at: at(agent.keyCreatedAt) })}`;
  return (
    <dl data-testid="agent-details">
      <dt>{t('agents.details')}</dt>
      <dd>
        <AgentLinkBadge agent={agent} />
      </dd>
      <dt>{t('agents.key')}</dt>
      <dd data-testid="agent-key-state">{keyText}</dd>
      {agent && agent.lastHeartbeatAt !== null && (
        <>
          <dt>{t('agents.lastHeartbeat')}</dt>
          <dd>{at(agent.lastHeartbeatAt)}</dd>
          <dt>{t('agents.version')}</dt>
          <dd>{agent.agentVersion ?? '—'}</dd>
          <dt>{t('agents.host')}</dt>
          <dd>{agent.hostName ?? '—'}</dd>
          <dt>{t('agents.machine')}</dt>
          <dd className="mono">{agent.machineId ?? '—'}</dd>
          <dt>{t('agents.cpu')}</dt>
          <dd>{host?.cpuPercent == null ? '—' : `${formatNumber(host.cpuPercent)} %`}</dd>
          <dt>{t('agents.memory')}</dt>
          <dd>
            {host
              ? `${formatNumber(host.memoryUsedBytes / GIB, 1)} / ${formatNumber(host.memoryTotalBytes / GIB, 1)} GiB`
              : '—'}
          </dd>
          <dt>{t('agents.disk')}</dt>
          <dd>{host?.diskFreeBytes == null ? '—' : `${formatNumber(host.diskFreeBytes / GIB, 1)} GiB`}</dd>
          <dt>{t('agents.outbox')}</dt>
          <dd data-testid="agent-outbox">
            {t('agents.outboxValue', { batches: agent.outboxBatches ?? 0, rows: agent.outboxRows ?? 0 })}
          </dd>
          <dt>{t('agents.oldestUnsent')}</dt>
          <dd>{agent.oldestUnsentAt === null ? t('agents.nothingPending') : at(agent.oldestUnsentAt)}</dd>
          <dt>{t('agents.lastSweep')}</dt>
          <dd>{at(agent.lastSweepAt)}</dd>
          <dt>{t('agents.devicesOnline')}</dt>
          <dd>{agent.devicesOnline ?? '—'}</dd>
          <dt>{t('agents.clock')}</dt>
          <dd className={clockWrong ? 'warning' : undefined} data-testid="agent-clock">
            {offsetSeconds === null
              ? '—'
              : t(clockWrong ? 'agents.clockWarning' : 'agents.clockOk', { offset: offsetSeconds })}
          </dd>
          <dt>{t('agents.received')}</dt>
          <dd>{t('agents.receivedValue', { count: agent.observationsReceived, sequence: agent.lastSequence })}</dd>
        </>
      )}
    </dl>
  );
}

type Pending = 'rotate' | 'revoke' | null;

/** Issue, rotate and revoke: each names the key the administrator saw, so two administrators never cross. */
function AgentKeyActions({
  area,
  agent,
  listener,
}: {
  area: Area;
  agent: AgentView | null;
  listener: AgentListenerInfo | null;
}) {
  const { t } = useTranslation();
  const client = useClient();
  const errors = useFormErrors();
  const [pending, setPending] = useState<Pending>(null);
  const [issued, setIssued] = useState<IssuedAgentKey | null>(null);
  const prefix = agent?.keyPrefix ?? null;

  const run = async (call: () => Promise<unknown>) => {
    setPending(null);
    errors.clear();
    try {
      await call();
    } catch (error) {
      errors.fromError(error);
    }
  };
  const issue = (replacing: string | null) =>
    run(async () => setIssued(await client.call('agents.issueKey', { areaId: area.id, replacing })));
  const revoke = (keyPrefix: string) =>
    run(async () => {
      setIssued(null);
      await client.call('agents.revokeKey', { areaId: area.id, keyPrefix });
    });

  return (
    <div data-testid="agent-key-actions">
      {errors.errors.general && (
        <p className="error-banner" role="alert">
          {errors.errors.general}
        </p>
      )}
      <div className="actions">
        {prefix === null ? (
          <button type="button" className="primary" onClick={() => void issue(null)} data-testid="agent-issue-key">
            {t('agents.issue')}
          </button>
        ) : (
          <>
            <button type="button" onClick={() => setPending('rotate')} data-testid="agent-rotate-key">
              {t('agents.rotate')}
            </button>
            <button
              type="button"
              className="danger"
              onClick={() => setPending('revoke')}
              data-testid="agent-revoke-key"
            >
              {t('agents.revoke')}
            </button>
          </>
        )}
      </div>
      {issued && <IssuedKey area={area} issued={issued} listener={listener} />}
      {pending && prefix && (
        <ConfirmDialog
          title={t('common.confirmTitle')}
          message={t(pending === 'rotate' ? 'agents.confirmRotate' : 'agents.confirmRevoke', {
            code: area.code,
            prefix,
          })}
          confirmLabel={t(pending === 'rotate' ? 'agents.rotate' : 'agents.revoke')}
          onConfirm={() => void (pending === 'rotate' ? issue(prefix) : revoke(prefix))}
          onCancel={() => setPending(null)}
        />
      )}
    </div>
  );
}

/** The new key, once: it lives only in this component's state and goes when the panel closes. */
function IssuedKey({
  area,
  issued,
  listener,
}: {
  area: Area;
  issued: IssuedAgentKey;
  listener: AgentListenerInfo | null;
}) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await navigator.clipboard.writeText(issued.key);
    setCopied(true);
  };
  const central = issued.listenerUrl ?? listener?.url ?? 'https://…';
  const pin = issued.fingerprint ? ` --central-fingerprint ${issued.fingerprint}` : ' --plain-http';
  const command = `npm run serve -- --agent --central ${central} --area ${area.code} --key-file "${t('agents.keyFilePlaceholder', { code: area.code })}"${pin}`;
  return (
    <div className="agent-key" role="status" data-testid="agent-issued-key">
      <strong>{t('agents.issuedTitle', { code: area.code })}</strong>
      <p>{t('agents.issuedOnce')}</p>
      <code data-testid="agent-key-value">{issued.key}</code>
      <div className="actions">
        <button type="button" onClick={() => void copy().catch(() => setCopied(false))} data-testid="agent-copy-key">
          {copied ? t('agents.copied') : t('agents.copy')}
        </button>
      </div>
      <p>{t('agents.command')}</p>
      <pre data-testid="agent-command">{command}</pre>
    </div>
  );
}

function ListenerInfo({ listener }: { listener: AgentListenerInfo | null }) {
  const { t } = useTranslation();
  if (!listener) return null;
  if (listener.url === null) return <p className="muted">{t('agents.listenerOff')}</p>;
  return (
    <dl data-testid="agent-listener">
      <dt>{t('agents.listener')}</dt>
      <dd className="mono">{listener.url}</dd>
      <dt>{t('agents.fingerprint')}</dt>
      <dd className="mono" data-testid="agent-fingerprint">
        {listener.fingerprint ?? t('agents.plainHttp')}
      </dd>
    </dl>
  );
}

function HeartbeatHistory({ areaId }: { areaId: number }) {
  const { t, i18n } = useTranslation();
  const history = useQuery('agents.heartbeats', { areaId, hours: 24 }, ['agents.changed']);
  const points = history.data;
  const config = useMemo(() => heartbeatChart(points ?? [], t, i18n.language), [points, t, i18n.language]);
  return (
    <div>
      <h3>{t('agents.history')}</h3>
      {!points || points.length === 0 ? (
        <p className="muted">{t('agents.noHistory')}</p>
      ) : (
        <ChartCanvas config={config} label={t('agents.history')} testId="agent-history-chart" />
      )}
    </div>
  );
}

function heartbeatChart(
  points: readonly AgentHeartbeatPoint[],
  t: (key: string) => string,
  // The language is part of the memo key: labels are formatted in it.
  _language: string,
): ChartConfiguration {
  return {
    type: 'line',
    data: {
      labels: points.map((p) => formatTime(p.at)),
      datasets: [
        {
          label: t('agents.latency'),
          data: points.map((p) => p.latencyMs),
          borderColor: cssColor('--accent'),
          backgroundColor: cssColor('--accent'),
          pointRadius: 0,
          spanGaps: false,
        },
        {
          label: t('agents.online'),
          data: points.map((p) => p.devicesOnline),
          borderColor: cssColor('--online'),
          backgroundColor: cssColor('--online'),
          pointRadius: 0,
          yAxisID: 'devices',
        },
      ],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      scales: {
        y: { beginAtZero: true, title: { display: true, text: 'ms' }, ticks: { color: cssColor('--muted') } },
        devices: {
          position: 'right',
          beginAtZero: true,
          grid: { display: false },
          ticks: { color: cssColor('--muted') },
        },
        x: { ticks: { color: cssColor('--muted'), maxTicksLimit: 12 } },
      },
      plugins: { legend: { labels: { color: cssColor('--text') } } },
    },
  };
}
