import { AgentHeartbeat, agentLink } from '../../../src-shared/domain/agents';
import type { AgentView } from '../../../src-shared/domain/agents';
import type { MonitorSettings } from '../../../src-shared/domain/settings';
import type { AgentRecord } from '../store/port';

/** An area's agent as the screens show it: its link judged now, its last heartbeat read back through the schema. */
export function agentView(record: AgentRecord, now: number, monitor: MonitorSettings): AgentView {
  const parsed = record.lastReport === null ? null : AgentHeartbeat.safeParse(safeJson(record.lastReport));
  const report = parsed?.success ? parsed.data : null;
  const link =
    record.keyPrefix === null && record.lastHeartbeatAt === null
      ? 'none'
      : agentLink(record.lastHeartbeatAt, now, {
          heartbeatMs: monitor.agentHeartbeatMs,
          silenceMs: monitor.agentSilenceMs,
        });
  return {
    areaId: record.areaId,
    areaCode: record.areaCode,
    keyPrefix: record.keyPrefix,
    keyCreatedAt: record.keyCreatedAt,
    revoked: record.keyPrefix === null && record.revokedAt !== null,
    link,
    centralCovering: link === 'down',
    lastHeartbeatAt: record.lastHeartbeatAt,
    agentVersion: record.version,
    machineId: report?.machineId ?? null,
    hostName: report?.hostName ?? null,
    host: report?.host ?? null,
    outboxBatches: report?.outbox.batches ?? null,
    outboxRows: report?.outbox.rows ?? null,
    oldestUnsentAt: report?.outbox.oldestUnsentAt ?? null,
    lastSweepAt: report?.lastSweep?.startedAt ?? null,
    devicesOnline: report?.devicesOnline ?? null,
    clockOffsetMs: report?.clockOffsetMs ?? null,
    lastSequence: record.lastSequence,
    observationsReceived: record.observationsReceived,
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
