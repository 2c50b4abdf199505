import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { AgentBatch, AgentHeartbeat, AgentVideoReport, FUTURE_TOLERANCE_MS } from '../../../src-shared/domain/agents';
import type {
  AgentConfig,
  AgentConfigResponse,
  AgentErrorCode,
  BatchResponse,
  HeartbeatResponse,
  VideoReportResponse,
} from '../../../src-shared/domain/agents';
import { isProbed } from '../../../src-shared/domain/status';
import { agentSource } from '../../../src-shared/domain/uptime';
import { DomainError } from '../errors';
import type { Clock, Logger } from '../runtime';
import type { SettingsService } from '../settings';
import type { AgentBatchResult, Store } from '../store/port';
import type { StoredCameraAccess } from '../store/ports/cameras';
import type { CredentialSeal } from '../video/credentials';
import { areaVideoConfig, cameraPasswords, recordVideoReport } from './video';
import { agentKeyMatches, agentKeyPrefix } from './keys';

/** A refusal of the listener: an HTTP status, a code the agent shows, and words. */
export class AgentSyncError extends Error {
  constructor(
    readonly status: number,
    readonly code: AgentErrorCode,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'AgentSyncError';
  }
}

/** Who is calling: an area's agent, proven by its key. */
export interface AgentIdentity {
  readonly agentId: number;
  readonly areaId: number;
  readonly areaCode: string;
  readonly keyPrefix: string;
}

export interface AgentSyncEvents {
  /** An agent was heard (a heartbeat): its area's link may have changed. */
  heard(areaId: number): void;
  /** A batch changed devices' statuses: one notice per batch, like a sweep's. */
  statusChanges(changes: AgentBatchResult['statusChanges']): void;
  /** An agent's report changed cameras' video health: one notice per report. */
  videoChanged(areaId: number, deviceIds: number[]): void;
}

function parse<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
  throw new AgentSyncError(422, 'invalid_body', `the body does not follow the agent protocol (${first})`);
}

/**
 * The central's side of the agent protocol, independent of HTTP: who is
 * calling, what it must probe, and applying what it saw. Every refusal
 * happens before anything is written.
 */
export class AgentSyncService {
  constructor(
    private readonly options: {
      readonly store: Store;
      readonly clock: Clock;
      readonly settings: SettingsService;
      readonly logger: Logger;
      readonly events: AgentSyncEvents;
      /** Opens the cameras' passwords handed to the agents; none: the agents ask cameras without one. */
      readonly credentials: CredentialSeal | null;
    },
  ) {}

  /** Checks the key and the area it claims; throws 401/403 without saying which part was wrong for a bad key. */
  async authenticate(key: string | null, claimedArea: string | null): Promise<AgentIdentity> {
    const prefix = key === null ? null : agentKeyPrefix(key);
    const credential = prefix === null ? undefined : await this.options.store.findAgentCredential(prefix);
    if (!credential || !agentKeyMatches(key!, credential.keyHash)) {
      throw new AgentSyncError(401, 'unauthorized', 'the agent key is wrong, revoked or missing');
    }
    if (claimedArea === null || claimedArea.toUpperCase() !== credential.areaCode) {
      throw new AgentSyncError(
        403,
        'wrong_area',
        `this key belongs to area ${credential.areaCode}, not ${claimedArea ?? '(none named)'}`,
      );
    }
    return {
      agentId: credential.agentId,
      areaId: credential.areaId,
      areaCode: credential.areaCode,
      keyPrefix: prefix!,
    };
  }

  async config(agent: AgentIdentity): Promise<AgentConfigResponse> {
    const { config, accesses } = await this.buildConfig(agent);
    const [record] = await this.options.store.listAgents({ areaIds: [agent.areaId] });
    return {
      centralTime: this.options.clock.now(),
      config,
      lastSequence: record?.lastSequence ?? 0,
      cameraPasswords: cameraPasswords(accesses, this.options.credentials, this.options.logger),
    };
  }

  async heartbeat(agent: AgentIdentity, body: unknown): Promise<HeartbeatResponse> {
    const heartbeat = parse(AgentHeartbeat, body);
    const at = this.options.clock.now();
    await this.options.store.recordAgentHeartbeat({
      agentId: agent.agentId,
      at,
      version: heartbeat.agentVersion,
      report: JSON.stringify(heartbeat),
      latencyMs: heartbeat.lastRoundTripMs,
      devicesOnline: heartbeat.devicesOnline,
      outboxRows: heartbeat.outbox.rows,
      clockOffsetMs: heartbeat.clockOffsetMs,
    });
    this.options.events.heard(agent.areaId);
    const { config } = await this.buildConfig(agent);
    return { centralTime: this.options.clock.now(), configVersion: config.version };
  }

  /** `text` is the batch's JSON as received: its digest tells a resend from a sequence reused for other content. */
  async batch(agent: AgentIdentity, body: unknown, text: string): Promise<BatchResponse> {
    const batch = parse(AgentBatch, body);
    const now = this.options.clock.now();
    await this.ownDevices(agent, [batch.segments, batch.statusChanges, batch.minutes, batch.statuses]);
    const latest = Math.max(
      batch.sealedAt,
      ...batch.segments.map((s) => s.endAt),
      ...batch.statusChanges.map((c) => c.at),
      ...batch.minutes.map((m) => m.minuteAt),
    );
    if (latest > now + FUTURE_TOLERANCE_MS) {
      throw new AgentSyncError(
        422,
        'clock_skew',
        `the batch holds times ${Math.round((latest - now) / 1000)} s ahead of the central's clock`,
      );
    }
    let result: AgentBatchResult;
    try {
      result = await this.options.store.applyAgentBatch({
        ...batch,
        agentId: agent.agentId,
        source: agentSource(agent.areaCode),
        digest: createHash('sha256').update(text, 'utf8').digest('hex'),
        receivedAt: now,
      });
    } catch (error) {
      if (error instanceof DomainError && error.kind === 'conflict') {
        throw new AgentSyncError(409, 'sequence_conflict', error.message);
      }
      throw error;
    }
    if (result.statusChanges.length > 0) this.options.events.statusChanges(result.statusChanges);
    return { centralTime: this.options.clock.now(), sequence: batch.sequence, outcome: result.outcome };
  }

  /** The latest looks at the area's cameras, as the agent saw them; each kept only if newer than the central's. */
  async videoHealth(agent: AgentIdentity, body: unknown): Promise<VideoReportResponse> {
    const report = parse(AgentVideoReport, body);
    const own = await this.ownDevices(agent, [report.healths]);
    const latest = Math.max(...report.healths.map((h) => h.checkedAt));
    if (latest > this.options.clock.now() + FUTURE_TOLERANCE_MS) {
      throw new AgentSyncError(422, 'clock_skew', "the report holds looks dated ahead of the central's clock");
    }
    const { recorded, changed } = await recordVideoReport(this.options.store, report, own);
    if (changed.length > 0) this.options.events.videoChanged(agent.areaId, changed);
    return { centralTime: this.options.clock.now(), recorded };
  }

  /**
   * Every device a batch names must be its area's. One of another area is
   * refused (a key must never write beyond its area); one that no longer
   * exists (deleted since the agent saw it) is let through and skipped.
   */
  private async ownDevices(
    agent: AgentIdentity,
    named: ReadonlyArray<ReadonlyArray<{ readonly deviceId: number }>>,
  ): Promise<Set<number>> {
    const ids = new Set(named.flatMap((rows) => rows.map((row) => row.deviceId)));
    const own = new Set((await this.options.store.listDevices({ areaId: agent.areaId })).map((d) => d.id));
    const foreign: number[] = [];
    for (const id of ids) {
      if (own.has(id)) continue;
      const device = await this.options.store.getDevice(id);
      if (device) foreign.push(id);
      if (foreign.length >= 5) break;
    }
    if (foreign.length > 0) {
      throw new AgentSyncError(
        403,
        'foreign_devices',
        `devices ${foreign.join(', ')} are not of area ${agent.areaCode}; nothing was applied`,
      );
    }
    return own;
  }

  private async buildConfig(agent: AgentIdentity): Promise<{ config: AgentConfig; accesses: StoredCameraAccess[] }> {
    const area = await this.options.store.getArea(agent.areaId);
    if (!area) throw new AgentSyncError(401, 'unauthorized', 'the area of this key no longer exists');
    const monitor = this.options.settings.monitor();
    const video = await areaVideoConfig(this.options.store, this.options.settings, area);
    const devices = (await this.options.store.listDevices({ areaId: agent.areaId }))
      .filter((d) => isProbed(d.status))
      .map((d) => ({ id: d.id, name: d.name, host: d.host, status: d.status as 'PENDING' | 'ONLINE' | 'OFFLINE' }))
      .sort((a, b) => a.id - b.id);
    const body = {
      area: { id: area.id, code: area.code, name: area.name, timeZone: area.timeZone },
      devices,
      monitor: {
        intervalMs: monitor.intervalMs,
        timeoutMs: monitor.timeoutMs,
        concurrency: monitor.concurrency,
        downAfter: monitor.downAfter,
        upAfter: monitor.upAfter,
        gapCapMs: monitor.gapCapMs,
        heartbeatMs: monitor.agentHeartbeatMs,
      },
      video: video.config,
    };
    // Statuses change with every outage; they are the agent's to know, so they do not make a new version.
    const versioned = { ...body, devices: devices.map(({ status: _status, ...d }) => d) };
    const version = createHash('sha256').update(JSON.stringify(versioned)).digest('hex').slice(0, 16);
    return { config: { version, ...body }, accesses: video.accesses };
  }
}
