import type { AgentBatch, AgentConfig, AgentVideoHealth } from '../../../../src-shared/domain/agents';
import type { ProbedStatus } from '../../../../src-shared/domain/status';
import type { SweepSummary } from '../../../../src-shared/domain/monitoring';
import type { MonitorStore } from '../../store/port';
import type { CameraLookStore } from '../../video/look';

export interface SealedBatch {
  readonly sequence: number;
  /** The batch's JSON exactly as it is sent every time until acknowledged. */
  readonly body: string;
  readonly observations: number;
  readonly rows: number;
}

export interface OutboxDepth {
  /** Sealed batches not acknowledged yet. */
  readonly batches: number;
  /** Rows (segments, changes, minutes) not sealed yet. */
  readonly rows: number;
  /** The oldest observation the central has not acknowledged; null when it has everything. */
  readonly oldestUnsentAt: number | null;
}

export interface OutboxCounters {
  /** Probes this agent recorded since its outbox was created. */
  readonly recorded: number;
  /** Of those, probes in batches the central acknowledged. */
  readonly acknowledged: number;
}

/** The area's cameras at the agent: what a look reads and writes, and what is still to be reported. */
export interface OutboxCameras extends CameraLookStore {
  /** The configuration's cameras, with their device's name, address and status here, and when each was last looked at. */
  listCameraChecks(): Promise<
    Array<{
      readonly deviceId: number;
      readonly name: string;
      readonly host: string;
      readonly status: ProbedStatus;
      readonly checkedAt: number | null;
    }>
  >;
  /** The latest look of each camera the central has not acknowledged, the oldest first. */
  unreportedVideoHealths(limit: number): Promise<AgentVideoHealth[]>;
  /** For the status page: the cameras, those whose last look was bad, and looks the central lacks. */
  cameraSummary(): Promise<{ readonly total: number; readonly bad: number; readonly unreported: number }>;
  /** The central has these looks; a newer one made meanwhile is still reported. */
  videoHealthsReported(looks: ReadonlyArray<{ readonly deviceId: number; readonly checkedAt: number }>): Promise<void>;
}

/**
 * An agent's local store (DESIGN.md §4): the monitor engine writes its sweeps
 * here exactly as the central's engine writes into the central's store, and
 * the sync client takes them out in sealed, numbered batches.
 */
export interface OutboxStore extends MonitorStore, OutboxCameras {
  /** The central's last configuration, kept so the agent works on through a cut link and a restart. */
  config(): Promise<AgentConfig | null>;
  /**
   * Takes a new configuration: new devices start with the central's status,
   * known ones keep what this agent saw; its cameras take the passwords given,
   * already sealed by this agent's key (never kept in clear).
   */
  replaceConfig(config: AgentConfig, sealedPasswords: ReadonlyMap<number, string>): Promise<void>;
  /**
   * The oldest sealed batch, else a new one sealed from what is pending (at
   * most `maxRows` rows, oldest minutes first, every device's status as of
   * now), numbered after the last; null when nothing is pending.
   */
  nextBatch(query: { readonly sealedAt: number; readonly maxRows: number }): Promise<SealedBatch | null>;
  /** The central has it: deleted, and counted as acknowledged. */
  acknowledge(sequence: number): Promise<void>;
  /** Batches are numbered after `lastSequence` (the central's last applied one): a new outbox never reuses a number. */
  numberAfter(lastSequence: number): Promise<void>;
  depth(): Promise<OutboxDepth>;
  counters(): Promise<OutboxCounters>;
  lastSweep(): Promise<SweepSummary | null>;
  devicesOnline(): Promise<number>;
  /** Small named values (machine id, clock offset) kept across restarts. */
  getValue(key: string): Promise<string | null>;
  setValue(key: string, value: string): Promise<void>;
  close(): Promise<void>;
}

export type { AgentBatch };
