/* eslint-disable @typescript-eslint/require-await -- see catalog.ts: async for the port, synchronous underneath. */
import { and, desc, eq, gte, inArray, isNull, lt, lte, sql } from 'drizzle-orm';
import { isProbed } from '../../../../src-shared/domain/status';
import type { DeviceStatus } from '../../../../src-shared/domain/status';
import { CENTRAL_SOURCE } from '../../../../src-shared/domain/uptime';
import { conflict, notFound } from '../../errors';
import type { AgentBatchResult, AgentKeyState, AgentStore } from '../port';
import { addMinutes } from '../rollup-codec';
import { groupMinutesByHour, keptByWorkflowRule, keyConflict } from '../agent-rows';
import { writeAudit } from './audit';
import type { SqliteDb, SqliteTx } from './connection';
import {
  agentBatches,
  agentHeartbeats,
  agents,
  areas,
  devices,
  probeRollups,
  stateSegments,
  statusChanges,
} from './schema';

const agentColumns = {
  agentId: agents.id,
  areaId: agents.areaId,
  areaCode: areas.code,
  keyPrefix: agents.keyPrefix,
  keyCreatedAt: agents.keyCreatedAt,
  revokedAt: agents.revokedAt,
  lastHeartbeatAt: agents.lastHeartbeatAt,
  lastSequence: agents.lastSequence,
  observationsReceived: agents.observationsReceived,
  version: agents.version,
  lastReport: agents.lastReport,
};

function keyState(tx: SqliteDb | SqliteTx, areaId: number): AgentKeyState | undefined {
  const row = tx
    .select({
      areaId: areas.id,
      areaCode: areas.code,
      keyPrefix: agents.keyPrefix,
      keyCreatedAt: agents.keyCreatedAt,
      revokedAt: agents.revokedAt,
    })
    .from(areas)
    .leftJoin(agents, eq(agents.areaId, areas.id))
    .where(eq(areas.id, areaId))
    .get();
  if (!row) return undefined;
  // A revoked key keeps its prefix for the record; only one not revoked is usable.
  return {
    areaId: row.areaId,
    areaCode: row.areaCode,
    keyPrefix: row.revokedAt === null ? row.keyPrefix : null,
    keyCreatedAt: row.revokedAt === null ? row.keyCreatedAt : null,
    revokedAt: row.revokedAt,
  };
}

export function sqliteAgents(db: SqliteDb): AgentStore {
  return {
    async listAgents(query) {
      return db
        .select(agentColumns)
        .from(agents)
        .innerJoin(areas, eq(areas.id, agents.areaId))
        .where(query.areaIds === undefined ? undefined : inArray(agents.areaId, [...query.areaIds]))
        .orderBy(areas.code)
        .all()
        .map((row) => ({ ...row, keyPrefix: row.revokedAt === null ? row.keyPrefix : null }));
    },

    async findAgentCredential(keyPrefix) {
      const row = db
        .select({ agentId: agents.id, areaId: agents.areaId, areaCode: areas.code, keyHash: agents.keyHash })
        .from(agents)
        .innerJoin(areas, eq(areas.id, agents.areaId))
        .where(and(eq(agents.keyPrefix, keyPrefix), isNull(agents.revokedAt)))
        .get();
      return row;
    },

    async issueAgentKey(input, audit) {
      return db.transaction((tx) => {
        const before = keyState(tx, input.areaId);
        if (!before) throw notFound(`area ${input.areaId}`);
        if (before.keyPrefix !== input.replacing) throw keyConflict(before);
        const fields = {
          keyHash: input.keyHash,
          keyPrefix: input.keyPrefix,
          keyCreatedAt: input.now,
          revokedAt: null,
          updatedAt: input.now,
        };
        tx.insert(agents)
          .values({ areaId: input.areaId, ...fields, lastSequence: 0, createdAt: input.now })
          .onConflictDoUpdate({ target: agents.areaId, set: fields })
          .run();
        const after = keyState(tx, input.areaId)!;
        writeAudit(tx, audit({ before, after }));
        return after;
      });
    },

    async revokeAgentKey(input, audit) {
      return db.transaction((tx) => {
        const before = keyState(tx, input.areaId);
        if (!before) throw notFound(`area ${input.areaId}`);
        if (before.keyPrefix === null || before.keyPrefix !== input.keyPrefix) throw keyConflict(before);
        tx.update(agents)
          .set({ revokedAt: input.now, updatedAt: input.now })
          .where(eq(agents.areaId, input.areaId))
          .run();
        const after = keyState(tx, input.areaId)!;
        writeAudit(tx, audit({ before, after }));
        return after;
      });
    },

    async recordAgentHeartbeat(heartbeat) {
      db.transaction((tx) => {
        tx.update(agents)
          .set({
            lastHeartbeatAt: heartbeat.at,
            version: heartbeat.version,
            lastReport: heartbeat.report,
            updatedAt: heartbeat.at,
          })
          .where(eq(agents.id, heartbeat.agentId))
          .run();
        tx.insert(agentHeartbeats)
          .values({
            agentId: heartbeat.agentId,
            at: heartbeat.at,
            latencyMs: heartbeat.latencyMs,
            devicesOnline: heartbeat.devicesOnline,
            outboxRows: heartbeat.outboxRows,
            clockOffsetMs: heartbeat.clockOffsetMs,
          })
          .onConflictDoNothing()
          .run();
      });
    },

    async agentHeartbeats(query) {
      return db
        .select({
          at: agentHeartbeats.at,
          latencyMs: agentHeartbeats.latencyMs,
          devicesOnline: agentHeartbeats.devicesOnline,
          outboxRows: agentHeartbeats.outboxRows,
          clockOffsetMs: agentHeartbeats.clockOffsetMs,
        })
        .from(agentHeartbeats)
        .where(and(eq(agentHeartbeats.agentId, query.agentId), gte(agentHeartbeats.at, query.since)))
        .orderBy(desc(agentHeartbeats.at))
        .limit(query.limit)
        .all()
        .reverse();
    },

    async applyAgentBatch(batch) {
      return db.transaction((tx): AgentBatchResult => {
        const agent = tx
          .select({ lastSequence: agents.lastSequence, areaId: agents.areaId })
          .from(agents)
          .where(eq(agents.id, batch.agentId))
          .get();
        if (!agent) throw notFound(`agent ${batch.agentId}`);
        const seen = tx
          .select({ digest: agentBatches.digest })
          .from(agentBatches)
          .where(and(eq(agentBatches.agentId, batch.agentId), eq(agentBatches.sequence, batch.sequence)))
          .get();
        if (seen) {
          if (seen.digest === batch.digest) return { outcome: 'duplicate', statusChanges: [] };
          throw conflict(`batch ${batch.sequence} was received before with other content`);
        }
        if (batch.sequence <= agent.lastSequence) return { outcome: 'duplicate', statusChanges: [] };

        tx.insert(agentBatches)
          .values({
            agentId: batch.agentId,
            sequence: batch.sequence,
            receivedAt: batch.receivedAt,
            observations: batch.observations,
            digest: batch.digest,
          })
          .run();
        tx.update(agents)
          .set({
            lastSequence: batch.sequence,
            observationsReceived: sql`${agents.observationsReceived} + ${batch.observations}`,
          })
          .where(eq(agents.id, batch.agentId))
          .run();

        const current = new Map(
          tx
            .select({ id: devices.id, status: devices.status, statusSince: devices.statusSince })
            .from(devices)
            .where(eq(devices.areaId, agent.areaId))
            .all()
            .map((d) => [d.id, d]),
        );
        writeSegments(tx, batch.source, batch.segments, current);
        const notices: Array<AgentBatchResult['statusChanges'][number]> = [];
        for (const change of batch.statusChanges) {
          const device = current.get(change.deviceId);
          if (!device || !keptByWorkflowRule(device, change.at)) continue;
          tx.insert(statusChanges)
            .values({
              deviceId: change.deviceId,
              fromStatus: change.from,
              toStatus: change.to,
              at: change.at,
              source: batch.source,
            })
            .run();
          notices.push({ ...change, areaId: agent.areaId });
        }
        writeMinutes(tx, batch.source, batch.minutes, current);
        for (const reported of batch.statuses) {
          const device = current.get(reported.deviceId);
          if (!device || !isProbed(device.status) || device.status === reported.status) continue;
          const since = reported.since ?? batch.receivedAt;
          tx.update(devices)
            .set({ status: reported.status, statusSince: since })
            .where(eq(devices.id, reported.deviceId))
            .run();
          notices.push({
            deviceId: reported.deviceId,
            areaId: agent.areaId,
            from: device.status,
            to: reported.status,
            at: since,
          });
        }
        return { outcome: 'applied', statusChanges: notices };
      });
    },

    async pruneAgentHistory(query) {
      db.delete(agentHeartbeats).where(lt(agentHeartbeats.at, query.before)).run();
      db.delete(agentBatches).where(lt(agentBatches.receivedAt, query.before)).run();
    },
  };
}

type DeviceNow = { readonly status: DeviceStatus; readonly statusSince: number };

/** Upserts the agent's segments by natural key (end only forward) and marks the central's changes inside them superseded. */
function writeSegments(
  tx: SqliteTx,
  source: string,
  segments: ReadonlyArray<{ deviceId: number; state: 'online' | 'offline'; startAt: number; endAt: number }>,
  current: ReadonlyMap<number, DeviceNow>,
): void {
  for (const segment of segments) {
    if (!current.has(segment.deviceId)) continue;
    const key = and(
      eq(stateSegments.deviceId, segment.deviceId),
      eq(stateSegments.source, source),
      eq(stateSegments.startAt, segment.startAt),
    );
    const existing = tx.select({ id: stateSegments.id }).from(stateSegments).where(key).get();
    if (existing) {
      tx.update(stateSegments)
        .set({ state: segment.state, endAt: sql`MAX(COALESCE(${stateSegments.endAt}, 0), ${segment.endAt})` })
        .where(eq(stateSegments.id, existing.id))
        .run();
    } else {
      tx.insert(stateSegments)
        .values({ ...segment, source })
        .run();
    }
    tx.update(statusChanges)
      .set({ superseded: true })
      .where(
        and(
          eq(statusChanges.deviceId, segment.deviceId),
          eq(statusChanges.source, CENTRAL_SOURCE),
          gte(statusChanges.at, segment.startAt),
          lte(statusChanges.at, segment.endAt),
        ),
      )
      .run();
  }
}

function writeMinutes(
  tx: SqliteTx,
  source: string,
  minutes: Parameters<typeof groupMinutesByHour>[0],
  current: ReadonlyMap<number, DeviceNow>,
): void {
  for (const group of groupMinutesByHour(minutes.filter((m) => current.has(m.deviceId)))) {
    const where = and(
      eq(probeRollups.deviceId, group.deviceId),
      eq(probeRollups.hourAt, group.hourAt),
      eq(probeRollups.source, source),
    );
    const stored = tx.select({ minutes: probeRollups.minutes }).from(probeRollups).where(where).get();
    const merged = Buffer.from(addMinutes(stored?.minutes ?? null, group.minutes));
    tx.insert(probeRollups)
      .values({ deviceId: group.deviceId, hourAt: group.hourAt, source, minutes: merged })
      .onConflictDoUpdate({
        target: [probeRollups.deviceId, probeRollups.hourAt, probeRollups.source],
        set: { minutes: merged },
      })
      .run();
  }
}
