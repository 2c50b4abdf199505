import { z } from 'zod';
import { VIDEO_HEALTHS } from './camera';
import { PROBED_STATUSES } from './status';

/**
 * Remote agents (DESIGN.md §4): what an agent and the central say to each
 * other over the agent-sync listener, and what the screens show about them.
 * Everything an agent sends is checked against these schemas before anything
 * is applied.
 */

export const AGENT_API = '/agent/v1';
/** The header an agent names its area in; its key must belong to that area. */
export const AGENT_AREA_HEADER = 'x-vigia-area';
/** Every answer of the listener carries the central's time here (ms since the epoch) and in its JSON. */
export const CENTRAL_TIME_HEADER = 'x-vigia-central-time';

/** An agent whose clock is further off than this is shown with a warning (its observations are still placed right). */
export const CLOCK_WARNING_MS = 5_000;
/** Observations dated further ahead of the central's clock than this are refused: the agent's clock estimate is broken. */
export const FUTURE_TOLERANCE_MS = 120_000;
/** Earliest instant an observation may carry (2020-01-01): older is a broken clock, not history. */
export const EARLIEST_OBSERVATION = Date.UTC(2020, 0, 1);

/** The compressed body of one request is capped here; more is refused with 413 before it is read further. */
export const MAX_BATCH_BODY_BYTES = 4 * 1024 * 1024;
/** …and its uncompressed JSON here (a small body that inflates enormously is refused the same way). */
export const MAX_BATCH_JSON_BYTES = 32 * 1024 * 1024;
/** An agent seals at most this many rows (segments, changes and minutes together) into one batch. */
export const MAX_BATCH_ROWS = 20_000;

const Instant = z.number().int().min(EARLIEST_OBSERVATION).max(8_640_000_000_000);
const DeviceId = z.number().int().positive();
const Count = z.number().int().min(0).max(100_000);

/** A segment of the agent's timeline for one device; sent again with a later end while it grows. */
export const AgentSegment = z
  .object({
    deviceId: DeviceId,
    state: z.enum(['online', 'offline']),
    startAt: Instant,
    endAt: Instant,
  })
  .strict()
  .refine((s) => s.endAt >= s.startAt, { error: 'end_before_start', path: ['endAt'] });
export type AgentSegment = z.output<typeof AgentSegment>;

export const AgentStatusChange = z
  .object({
    deviceId: DeviceId,
    from: z.enum(PROBED_STATUSES),
    to: z.enum(['ONLINE', 'OFFLINE']),
    at: Instant,
  })
  .strict();
export type AgentStatusChange = z.output<typeof AgentStatusChange>;

/**
 * One device's probes within one minute; RTTs in tenths of a millisecond
 * (the central's rollup unit). Added to what the central has for that minute,
 * which is why a batch must never be applied twice.
 */
export const AgentMinute = z
  .object({
    deviceId: DeviceId,
    minuteAt: Instant.refine((at) => at % 60_000 === 0, { error: 'not_a_minute' }),
    probes: z.number().int().min(1).max(255),
    failures: z.number().int().min(0).max(255),
    rttMin: z.number().int().min(0).max(65_534).nullable(),
    rttMax: z.number().int().min(0).max(65_534).nullable(),
    rttSum: z.number().int().min(0).max(0xffffffff),
  })
  .strict()
  .refine((m) => m.failures <= m.probes, { error: 'more_failures_than_probes', path: ['failures'] });
export type AgentMinute = z.output<typeof AgentMinute>;

/** What the agent believes each device is now; applied when the batch is the agent's newest. */
export const AgentDeviceStatus = z
  .object({ deviceId: DeviceId, status: z.enum(PROBED_STATUSES), since: Instant.nullable() })
  .strict();
export type AgentDeviceStatus = z.output<typeof AgentDeviceStatus>;

export const AgentBatch = z
  .object({
    sequence: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    sealedAt: Instant,
    /** Probes the batch's minutes hold: the count both ends compare. */
    observations: z.number().int().min(0),
    segments: z.array(AgentSegment).max(MAX_BATCH_ROWS),
    statusChanges: z.array(AgentStatusChange).max(MAX_BATCH_ROWS),
    minutes: z.array(AgentMinute).max(MAX_BATCH_ROWS),
    statuses: z.array(AgentDeviceStatus).max(MAX_BATCH_ROWS),
  })
  .strict()
  .refine((b) => b.minutes.reduce((sum, m) => sum + m.probes, 0) === b.observations, {
    error: 'observations_do_not_add_up',
    path: ['observations'],
  });
export type AgentBatch = z.output<typeof AgentBatch>;

export const AgentHostStats = z
  .object({
    cpuPercent: z.number().min(0).max(100).nullable(),
    memoryUsedBytes: z.number().int().min(0),
    memoryTotalBytes: z.number().int().min(0),
    diskFreeBytes: z.number().int().min(0).nullable(),
  })
  .strict();
export type AgentHostStats = z.output<typeof AgentHostStats>;

export const AgentHeartbeat = z
  .object({
    agentVersion: z.string().min(1).max(40),
    /** Stable per installation: two machines sending with one key show as two ids. */
    machineId: z.string().min(8).max(80),
    hostName: z.string().min(1).max(253),
    configVersion: z.string().max(80).nullable(),
    host: AgentHostStats,
    outbox: z
      .object({
        /** Batches sealed and not acknowledged, plus rows not sealed yet. */
        batches: Count,
        rows: z.number().int().min(0),
        /** When the oldest observation not yet acknowledged was made; null when everything is acknowledged. */
        oldestUnsentAt: Instant.nullable(),
      })
      .strict(),
    lastSweep: z
      .object({
        startedAt: Instant,
        durationMs: z.number().int().min(0),
        devicesProbed: Count,
        failures: Count,
      })
      .strict()
      .nullable(),
    devicesOnline: Count,
    /** The agent's wall clock minus the central's, as it last estimated it. */
    clockOffsetMs: z.number().int().nullable(),
    /** The round trip of its previous request: the link's latency as the field sees it. */
    lastRoundTripMs: z.number().int().min(0).max(600_000).nullable(),
  })
  .strict();
export type AgentHeartbeat = z.output<typeof AgentHeartbeat>;

/** Reports of cameras' video health per request; an agent with more sends them in turns. */
export const MAX_VIDEO_REPORTS = 2_000;

/** A camera's latest look, as its area's agent saw it: a state, so only the newest of each camera is sent. */
export const AgentVideoHealth = z
  .object({
    deviceId: DeviceId,
    health: z.enum(VIDEO_HEALTHS),
    detail: z.string().max(500),
    checkedAt: Instant,
    /** Since when it has been this health (the first look that found it). */
    since: Instant,
  })
  .strict()
  .refine((v) => v.since <= v.checkedAt, { error: 'since_after_check', path: ['since'] });
export type AgentVideoHealth = z.output<typeof AgentVideoHealth>;

export const AgentVideoReport = z
  .object({ healths: z.array(AgentVideoHealth).min(1).max(MAX_VIDEO_REPORTS) })
  .strict()
  .refine((r) => new Set(r.healths.map((h) => h.deviceId)).size === r.healths.length, {
    error: 'camera_named_twice',
    path: ['healths'],
  });
export type AgentVideoReport = z.output<typeof AgentVideoReport>;

/**
 * A camera of the area as the agent looks at it, its addresses on the
 * camera's own host. The password is not part of the configuration the agent
 * keeps: it travels beside it (see AgentConfigResponse) and the agent seals it
 * with its own key.
 */
export interface AgentCamera {
  readonly deviceId: number;
  readonly snapshotUrl: string;
  readonly rtspUrl: string;
  readonly username: string;
  readonly hasPassword: boolean;
  /** When the access was last saved: a new password makes a new configuration version. */
  readonly updatedAt: number;
}

/** What the central hands an agent: its area, the devices to probe and how. */
export interface AgentConfig {
  /** Changes whenever anything below changes; the agent asks again when a heartbeat says so. */
  readonly version: string;
  readonly area: { readonly id: number; readonly code: string; readonly name: string; readonly timeZone: string };
  readonly devices: ReadonlyArray<{
    readonly id: number;
    readonly name: string;
    readonly host: string;
    readonly status: (typeof PROBED_STATUSES)[number];
  }>;
  readonly monitor: {
    readonly intervalMs: number;
    readonly timeoutMs: number;
    readonly concurrency: number;
    readonly downAfter: number;
    readonly upAfter: number;
    readonly gapCapMs: number;
    readonly heartbeatMs: number;
  };
  /** The area's cameras with a picture address, looked at every `everyMinutes` (0: never) by the agent. */
  readonly video: { readonly everyMinutes: number; readonly cameras: readonly AgentCamera[] };
}

export interface AgentConfigResponse {
  readonly centralTime: number;
  readonly config: AgentConfig;
  /**
   * The last batch sequence the central applied for this area: an agent with
   * a new outbox (reinstalled) numbers its batches after it, so they are never
   * taken for resends.
   */
  readonly lastSequence: number;
  /** The cameras' passwords, in clear over the pinned link only; none for a camera without one. */
  readonly cameraPasswords: ReadonlyArray<{ readonly deviceId: number; readonly password: string }>;
}
export interface HeartbeatResponse {
  readonly centralTime: number;
  readonly configVersion: string;
}
export interface BatchResponse {
  readonly centralTime: number;
  readonly sequence: number;
  /** A batch seen before is acknowledged again without being applied again. */
  readonly outcome: 'applied' | 'duplicate';
}

export interface VideoReportResponse {
  readonly centralTime: number;
  /** Looks kept; the others were older than what the central has, or of cameras deleted meanwhile. */
  readonly recorded: number;
}

/** Why the listener refused a request: the agent shows it and keeps its batch. */
export const AGENT_ERRORS = [
  'malformed_json',
  'invalid_body',
  'too_large',
  'unauthorized',
  'rate_limited',
  'wrong_area',
  'foreign_devices',
  'clock_skew',
  'sequence_conflict',
  'not_found',
  'internal',
] as const;
export type AgentErrorCode = (typeof AGENT_ERRORS)[number];
export interface AgentErrorBody {
  readonly centralTime: number;
  readonly error: { readonly code: AgentErrorCode; readonly message: string };
}

/** How the control room sees an area's agent. */
export type AgentLink =
  /** No key was ever created, or it was revoked and nothing heard since. */
  | 'none'
  /** Heard from within two heartbeats. */
  | 'online'
  /** Heartbeats missed, not yet long enough for the central to take over. */
  | 'late'
  /** Silent longer than the takeover delay: the central pings the area itself. */
  | 'down';

export function agentLink(
  lastHeartbeatAt: number | null,
  now: number,
  timing: { readonly heartbeatMs: number; readonly silenceMs: number },
): AgentLink {
  if (lastHeartbeatAt === null) return 'none';
  const silent = now - lastHeartbeatAt;
  if (silent > timing.silenceMs) return 'down';
  if (silent > 2 * timing.heartbeatMs) return 'late';
  return 'online';
}

export interface AgentView {
  readonly areaId: number;
  readonly areaCode: string;
  /** The key's public prefix (how it is recognised in logs and here); null when the area has no usable key. */
  readonly keyPrefix: string | null;
  readonly keyCreatedAt: number | null;
  readonly revoked: boolean;
  readonly link: AgentLink;
  /** True while the central sweeps the area itself because its agent is silent. */
  readonly centralCovering: boolean;
  readonly lastHeartbeatAt: number | null;
  readonly agentVersion: string | null;
  readonly machineId: string | null;
  readonly hostName: string | null;
  readonly host: AgentHostStats | null;
  readonly outboxBatches: number | null;
  readonly outboxRows: number | null;
  readonly oldestUnsentAt: number | null;
  readonly lastSweepAt: number | null;
  readonly devicesOnline: number | null;
  readonly clockOffsetMs: number | null;
  readonly lastSequence: number;
  readonly observationsReceived: number;
}

/** One heartbeat as kept in the history the Areas screen charts. */
export interface AgentHeartbeatPoint {
  readonly at: number;
  readonly latencyMs: number | null;
  readonly devicesOnline: number;
  readonly outboxRows: number;
  readonly clockOffsetMs: number | null;
}

/** A new or rotated key: shown once, never again. */
export interface IssuedAgentKey {
  readonly areaId: number;
  readonly key: string;
  readonly keyPrefix: string;
  /** The central's certificate fingerprint the agent pins; null when the listener is plain HTTP or off. */
  readonly fingerprint: string | null;
  /** Where agents reach the listener, as the central was told to announce it; null when it is off. */
  readonly listenerUrl: string | null;
}
