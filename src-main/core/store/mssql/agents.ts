import { and, desc, eq, gte, inArray, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import { isProbed } from '../../../../src-shared/domain/status';
import type { DeviceStatus } from '../../../../src-shared/domain/status';
import { CENTRAL_SOURCE } from '../../../../src-shared/domain/uptime';
import { conflict, notFound } from '../../errors';
import { groupMinutesByHour, keptByWorkflowRule, keyConflict } from '../agent-rows';
import type { AgentBatchResult, AgentBatchWrite, AgentKeyState, AgentStore } from '../port';
import { addMinutes } from '../rollup-codec';
import { writeAudit } from './audit';
import { forRows, query } from './bulk';
import { mergeRollups } from './rollups';
import { affected, inTransaction, isDuplicate } from './connection';
import type { MsDb, TxScope } from './connection';
import type { MssqlHandle } from './handle';
import { agentBatches, agentHeartbeats, agents, areas } from './schema';

async function keyState(db: MsDb, areaId: number): Promise<AgentKeyState | undefined> {
  const [row] = await db
    .select({
      areaId: areas.id,
      areaCode: areas.code,
      keyPrefix: agents.keyPrefix,
      keyCreatedAt: agents.keyCreatedAt,
      revokedAt: agents.revokedAt,
    })
    .from(areas)
    .leftJoin(agents, eq(agents.areaId, areas.id))
    .where(eq(areas.id, areaId));
  if (!row) return undefined;
  return {
    areaId: row.areaId,
    areaCode: row.areaCode,
    keyPrefix: row.revokedAt === null ? row.keyPrefix : null,
    keyCreatedAt: row.revokedAt === null ? row.keyCreatedAt : null,
    revokedAt: row.revokedAt,
  };
}

export function msAgents({ pool, db }: MssqlHandle): AgentStore {
  return {
    async listAgents(query) {
      const rows = await db
        .select({
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
        })
        .from(agents)
        .innerJoin(areas, eq(areas.id, agents.areaId))
        .where(query.areaIds === undefined ? undefined : inArray(agents.areaId, [...query.areaIds]))
        .orderBy(areas.code);
      return rows.map((row) => ({ ...row, keyPrefix: row.revokedAt === null ? row.keyPrefix : null }));
    },

    async findAgentCredential(keyPrefix) {
      const [row] = await db
        .select({ agentId: agents.id, areaId: agents.areaId, areaCode: areas.code, keyHash: agents.keyHash })
        .from(agents)
        .innerJoin(areas, eq(areas.id, agents.areaId))
        .where(and(eq(agents.keyPrefix, keyPrefix), isNull(agents.revokedAt)));
      return row;
    },

    async issueAgentKey(input, audit) {
      const fields = {
        keyHash: input.keyHash,
        keyPrefix: input.keyPrefix,
        keyCreatedAt: input.now,
        revokedAt: null,
        updatedAt: input.now,
      };
      try {
        return await inTransaction(pool, async (tx) => {
          const before = await keyState(tx.db, input.areaId);
          if (!before) throw notFound(`area ${input.areaId}`);
          if (before.keyPrefix !== input.replacing) throw keyConflict(before);
          // Compare-and-set on the key the caller saw: of two administrators rotating at once, one wins.
          const updated = await tx.db
            .update(agents)
            .set(fields)
            .where(
              and(
                eq(agents.areaId, input.areaId),
                input.replacing === null
                  ? isNotNull(agents.revokedAt)
                  : and(isNull(agents.revokedAt), eq(agents.keyPrefix, input.replacing)),
              ),
            );
          if (affected(updated) === 0) {
            const [exists] = await tx.db.select({ id: agents.id }).from(agents).where(eq(agents.areaId, input.areaId));
            if (exists || input.replacing !== null) throw keyConflict((await keyState(tx.db, input.areaId))!);
            await tx.db
              .insert(agents)
              .values({ areaId: input.areaId, ...fields, lastSequence: 0, createdAt: input.now });
          }
          const after = (await keyState(tx.db, input.areaId))!;
          await writeAudit(tx.db, audit({ before, after }));
          return after;
        });
      } catch (error) {
        // Two first keys at once: the area's unique index lets one in.
        if (isDuplicate(error)) throw keyConflict((await keyState(db, input.areaId))!);
        throw error;
      }
    },

    revokeAgentKey(input, audit) {
      return inTransaction(pool, async (tx) => {
        const before = await keyState(tx.db, input.areaId);
        if (!before) throw notFound(`area ${input.areaId}`);
        if (before.keyPrefix === null || before.keyPrefix !== input.keyPrefix) throw keyConflict(before);
        const updated = await tx.db
          .update(agents)
          .set({ revokedAt: input.now, updatedAt: input.now })
          .where(and(eq(agents.areaId, input.areaId), isNull(agents.revokedAt), eq(agents.keyPrefix, input.keyPrefix)));
        if (affected(updated) === 0) throw keyConflict((await keyState(tx.db, input.areaId))!);
        const after = (await keyState(tx.db, input.areaId))!;
        await writeAudit(tx.db, audit({ before, after }));
        return after;
      });
    },

    async recordAgentHeartbeat(heartbeat) {
      await inTransaction(pool, async (tx) => {
        await tx.db
          .update(agents)
          .set({
            lastHeartbeatAt: heartbeat.at,
            version: heartbeat.version,
            lastReport: heartbeat.report,
            updatedAt: heartbeat.at,
          })
          .where(eq(agents.id, heartbeat.agentId));
        await query(
          tx,
          `IF NOT EXISTS (SELECT 1 FROM agent_heartbeats WHERE agent_id = @agent AND at = @at)
           INSERT INTO agent_heartbeats (agent_id, at, latency_ms, devices_online, outbox_rows, clock_offset_ms)
           VALUES (@agent, @at, @latency, @online, @rows, @offset)`,
          {
            agent: heartbeat.agentId,
            at: heartbeat.at,
            latency: heartbeat.latencyMs,
            online: heartbeat.devicesOnline,
            rows: heartbeat.outboxRows,
            offset: heartbeat.clockOffsetMs,
          },
        );
      });
    },

    async agentHeartbeats(q) {
      const rows = await db
        .select({
          at: agentHeartbeats.at,
          latencyMs: agentHeartbeats.latencyMs,
          devicesOnline: agentHeartbeats.devicesOnline,
          outboxRows: agentHeartbeats.outboxRows,
          clockOffsetMs: agentHeartbeats.clockOffsetMs,
        })
        .top(q.limit)
        .from(agentHeartbeats)
        .where(and(eq(agentHeartbeats.agentId, q.agentId), gte(agentHeartbeats.at, q.since)))
        .orderBy(desc(agentHeartbeats.at));
      return rows.reverse();
    },

    async applyAgentBatch(batch) {
      try {
        return await inTransaction(pool, (tx) => applyBatch(tx, batch));
      } catch (error) {
        // The same batch applied at once on two connections: the key lets one in; the other is a resend.
        if (!isDuplicate(error)) throw error;
        const [seen] = await db
          .select({ digest: agentBatches.digest })
          .from(agentBatches)
          .where(and(eq(agentBatches.agentId, batch.agentId), eq(agentBatches.sequence, batch.sequence)));
        if (seen?.digest === batch.digest) return { outcome: 'duplicate', statusChanges: [] };
        throw conflict(`batch ${batch.sequence} was received before with other content`);
      }
    },

    async pruneAgentHistory(q) {
      await db.delete(agentHeartbeats).where(lt(agentHeartbeats.at, q.before));
      await db.delete(agentBatches).where(lt(agentBatches.receivedAt, q.before));
    },
  };
}

type DeviceNow = { id: number; status: DeviceStatus; status_since: number | string };

async function applyBatch(tx: TxScope, batch: AgentBatchWrite): Promise<AgentBatchResult> {
  const [agent] = await tx.db
    .select({ lastSequence: agents.lastSequence, areaId: agents.areaId })
    .from(agents)
    .where(eq(agents.id, batch.agentId));
  if (!agent) throw notFound(`agent ${batch.agentId}`);
  const [seen] = await tx.db
    .select({ digest: agentBatches.digest })
    .from(agentBatches)
    .where(and(eq(agentBatches.agentId, batch.agentId), eq(agentBatches.sequence, batch.sequence)));
  if (seen) {
    if (seen.digest === batch.digest) return { outcome: 'duplicate', statusChanges: [] };
    throw conflict(`batch ${batch.sequence} was received before with other content`);
  }
  if (batch.sequence <= agent.lastSequence) return { outcome: 'duplicate', statusChanges: [] };
  await tx.db.insert(agentBatches).values({
    agentId: batch.agentId,
    sequence: batch.sequence,
    receivedAt: batch.receivedAt,
    observations: batch.observations,
    digest: batch.digest,
  });
  await tx.db
    .update(agents)
    .set({
      lastSequence: batch.sequence,
      observationsReceived: sql`${agents.observationsReceived} + ${batch.observations}`,
    })
    .where(eq(agents.id, batch.agentId));

  // The area's devices as they are now, locked until commit: a workflow cannot move one meanwhile.
  const devicesNow = await query(
    tx,
    'SELECT id, status, status_since FROM devices WITH (UPDLOCK) WHERE area_id = @area',
    { area: agent.areaId },
  );
  const current = new Map(
    (devicesNow.recordset as DeviceNow[]).map((d) => [d.id, { status: d.status, statusSince: Number(d.status_since) }]),
  );
  await writeSegments(tx, batch, current);
  const notices: Array<AgentBatchResult['statusChanges'][number]> = [];
  const changes = batch.statusChanges.filter((c) => {
    const device = current.get(c.deviceId);
    return device !== undefined && keptByWorkflowRule(device, c.at);
  });
  await forRows(
    tx,
    [
      ['device_id', 'int'],
      ['from_status', 'nvarchar(20)'],
      ['to_status', 'nvarchar(20)'],
      ['at', 'bigint'],
    ],
    changes.map((c) => [c.deviceId, c.from, c.to, c.at]),
    (rows) => `INSERT INTO status_changes (device_id, from_status, to_status, at, source)
       SELECT n.device_id, n.from_status, n.to_status, n.at, @source FROM ${rows}`,
    { source: batch.source },
  );
  for (const change of changes) notices.push({ ...change, areaId: agent.areaId });
  await writeMinutes(tx, batch, current);
  const corrections = batch.statuses.flatMap((reported) => {
    const device = current.get(reported.deviceId);
    if (!device || !isProbed(device.status) || device.status === reported.status) return [];
    return [{ ...reported, from: device.status, since: reported.since ?? batch.receivedAt }];
  });
  await forRows(
    tx,
    [
      ['device_id', 'int'],
      ['status', 'nvarchar(20)'],
      ['since', 'bigint'],
    ],
    corrections.map((c) => [c.deviceId, c.status, c.since]),
    (rows) =>
      `UPDATE d SET d.status = n.status, d.status_since = n.since FROM devices d JOIN ${rows} ON n.device_id = d.id`,
  );
  for (const c of corrections) {
    notices.push({ deviceId: c.deviceId, areaId: agent.areaId, from: c.from, to: c.status, at: c.since });
  }
  return { outcome: 'applied', statusChanges: notices };
}

/** Upserts the agent's segments by natural key (end only forward) and marks the central's changes inside them superseded. */
async function writeSegments(
  tx: TxScope,
  batch: AgentBatchWrite,
  current: ReadonlyMap<number, unknown>,
): Promise<void> {
  await forRows(
    tx,
    [
      ['device_id', 'int'],
      ['state', 'nvarchar(20)'],
      ['start_at', 'bigint'],
      ['end_at', 'bigint'],
    ],
    batch.segments.filter((s) => current.has(s.deviceId)).map((s) => [s.deviceId, s.state, s.startAt, s.endAt]),
    (rows) => `UPDATE s SET s.state = n.state, s.end_at = CASE WHEN n.end_at > s.end_at THEN n.end_at ELSE s.end_at END
         FROM state_segments s JOIN ${rows}
         ON s.device_id = n.device_id AND s.source = @source AND s.start_at = n.start_at;
       INSERT INTO state_segments (device_id, state, source, start_at, end_at)
         SELECT n.device_id, n.state, @source, n.start_at, n.end_at FROM ${rows}
         WHERE NOT EXISTS (SELECT 1 FROM state_segments s
           WHERE s.device_id = n.device_id AND s.source = @source AND s.start_at = n.start_at);
       UPDATE c SET c.superseded = 1 FROM status_changes c JOIN ${rows}
         ON c.device_id = n.device_id AND c.source = @central AND c.at >= n.start_at AND c.at <= n.end_at;`,
    { source: batch.source, central: CENTRAL_SOURCE },
  );
}

/** The batch's minutes added to the agent source's hourly rollups. */
function writeMinutes(tx: TxScope, batch: AgentBatchWrite, current: ReadonlyMap<number, unknown>) {
  const groups = groupMinutesByHour(batch.minutes.filter((m) => current.has(m.deviceId)));
  return mergeRollups(
    tx,
    batch.source,
    groups.map((g) => ({ deviceId: g.deviceId, at: g.hourAt, merge: (before) => addMinutes(before, g.minutes) })),
  );
}
