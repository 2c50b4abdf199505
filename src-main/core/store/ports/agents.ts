import type { AgentBatch, AgentHeartbeatPoint } from '../../../../src-shared/domain/agents';
import type { DeviceStatus } from '../../../../src-shared/domain/status';
import type { AuditWrite } from '../../audit';

/** An area's agent as the store keeps it. */
export interface AgentRecord {
  readonly agentId: number;
  readonly areaId: number;
  readonly areaCode: string;
  /** Null when the area has no usable key (revoked). */
  readonly keyPrefix: string | null;
  readonly keyCreatedAt: number | null;
  readonly revokedAt: number | null;
  readonly lastHeartbeatAt: number | null;
  readonly lastSequence: number;
  readonly observationsReceived: number;
  readonly version: string | null;
  /** The last heartbeat's JSON, as received and checked; core parses it again before showing it. */
  readonly lastReport: string | null;
}

/** What the audit trail and the screens see of a key: never the key, never its hash. */
export interface AgentKeyState {
  readonly areaId: number;
  readonly areaCode: string;
  readonly keyPrefix: string | null;
  readonly keyCreatedAt: number | null;
  readonly revokedAt: number | null;
}

/** A key found by its prefix, for the listener to compare in constant time. */
export interface AgentCredential {
  readonly agentId: number;
  readonly areaId: number;
  readonly areaCode: string;
  readonly keyHash: string;
}

export interface AgentHeartbeatWrite {
  readonly agentId: number;
  readonly at: number;
  readonly version: string;
  readonly report: string;
  readonly latencyMs: number | null;
  readonly devicesOnline: number;
  readonly outboxRows: number;
  readonly clockOffsetMs: number | null;
}

/** A batch checked by core (its devices are the area's, its times plausible), ready to apply. */
export interface AgentBatchWrite extends Pick<
  AgentBatch,
  'sequence' | 'observations' | 'segments' | 'statusChanges' | 'minutes' | 'statuses'
> {
  readonly agentId: number;
  /** 'agent:<AREA>': what the agent's segments, changes and rollups are written as. */
  readonly source: string;
  /** SHA-256 of the batch's canonical JSON: a resend matches it, a reused sequence does not. */
  readonly digest: string;
  readonly receivedAt: number;
}

export interface AgentBatchResult {
  readonly outcome: 'applied' | 'duplicate';
  /** Devices whose status the batch changed (its own changes, and corrections of the central's fallback). */
  readonly statusChanges: ReadonlyArray<{
    readonly deviceId: number;
    readonly areaId: number;
    readonly from: DeviceStatus;
    readonly to: DeviceStatus;
    readonly at: number;
  }>;
}

/**
 * Remote agents (DESIGN.md §4): per-area keys, heartbeats and the batches of
 * observations they send.
 */
export interface AgentStore {
  listAgents(query: { readonly areaIds?: readonly number[] }): Promise<AgentRecord[]>;
  /** The usable key with this prefix; undefined when none (unknown or revoked). */
  findAgentCredential(keyPrefix: string): Promise<AgentCredential | undefined>;
  /**
   * Gives the area a new key: the first one when `replacing` is null, else a
   * rotation of the key with that prefix. Conditional: when the area's key is
   * no longer `replacing` (someone else rotated or revoked it meanwhile) the
   * call is refused with a conflict and nothing changes. The old key stops
   * working at once.
   */
  issueAgentKey(
    input: {
      readonly areaId: number;
      readonly replacing: string | null;
      readonly keyHash: string;
      readonly keyPrefix: string;
      readonly now: number;
    },
    audit: AuditWrite<AgentKeyState>,
  ): Promise<AgentKeyState>;
  /** Revokes the key with this prefix (conditional like `issueAgentKey`); the agent's history stays. */
  revokeAgentKey(
    input: { readonly areaId: number; readonly keyPrefix: string; readonly now: number },
    audit: AuditWrite<AgentKeyState>,
  ): Promise<AgentKeyState>;
  /** Marks the agent heard from and keeps the heartbeat in its history. */
  recordAgentHeartbeat(heartbeat: AgentHeartbeatWrite): Promise<void>;
  agentHeartbeats(query: {
    readonly agentId: number;
    readonly since: number;
    readonly limit: number;
  }): Promise<AgentHeartbeatPoint[]>;
  /**
   * Applies one batch in one transaction, exactly once per (agent, sequence):
   * a batch seen before with the same digest is a `duplicate` and changes
   * nothing; with another digest it is refused with a conflict. A sequence
   * at or below the agent's last one whose record was pruned is a duplicate.
   *
   * Applying: each segment is upserted by (device, source, start), its end
   * only moving forward; the central's own status changes that fall inside
   * it are marked superseded (the agent saw the device then; a cut link made
   * the central see it down). Status changes are added, except for a device
   * a workflow holds since before the change. Minutes are added to the
   * rollups of the agent's source. When the batch is the agent's newest, each
   * device still probed takes the status the agent reports. Rows of devices
   * that no longer exist are skipped.
   */
  applyAgentBatch(batch: AgentBatchWrite): Promise<AgentBatchResult>;
  /** Heartbeat history and batch records older than `before`. */
  pruneAgentHistory(query: { readonly before: number }): Promise<void>;
}
