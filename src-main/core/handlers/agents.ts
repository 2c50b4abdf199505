import type { AgentListenerInfo } from '../../../src-shared/contract/channels';
import type { AgentKeyState } from '../store/port';
import type { AuditSubject } from '../audit';
import { generateAgentKey } from '../agent-sync/keys';
import { agentView } from '../agent-sync/views';
import type { HandlersFor } from '../contract/server';
import type { HandlerContext } from './context';
import { requireInScope } from './scope';

const HOUR = 3_600_000;
const keySubject = (k: AgentKeyState): AuditSubject => ({ entityId: k.areaId, label: k.areaCode, areaId: k.areaId });

export function agentHandlers(
  { store, clock, settings, auditor, emit }: HandlerContext,
  listener: () => AgentListenerInfo,
): HandlersFor<'agents'> {
  const changed = (areaId: number) => emit('agents.changed', { areaIds: [areaId] }, { areaIds: [areaId] });
  return {
    'agents.list': async (_input, { session }) => {
      const records = await store.listAgents(
        session.allowedAreaIds === null ? {} : { areaIds: session.allowedAreaIds },
      );
      const now = clock.now();
      return records.map((record) => agentView(record, now, settings.monitor()));
    },
    'agents.heartbeats': async ({ areaId, hours }, { session }) => {
      requireInScope(session, areaId, `area ${areaId}`);
      const [record] = await store.listAgents({ areaIds: [areaId] });
      if (!record) return [];
      return store.agentHeartbeats({ agentId: record.agentId, since: clock.now() - hours * HOUR, limit: 5000 });
    },
    'agents.listener': () => Promise.resolve(listener()),
    'agents.issueKey': async ({ areaId, replacing }, { session }) => {
      requireInScope(session, areaId, `area ${areaId}`);
      const issued = generateAgentKey();
      const action = replacing === null ? 'agent.key_issue' : 'agent.key_rotate';
      const state = await store.issueAgentKey(
        { areaId, replacing, keyHash: issued.hash, keyPrefix: issued.prefix, now: clock.now() },
        auditor.change(session, action, keySubject),
      );
      changed(areaId);
      const info = listener();
      return {
        areaId,
        key: issued.key,
        keyPrefix: state.keyPrefix!,
        fingerprint: info.fingerprint,
        listenerUrl: info.url,
      };
    },
    'agents.revokeKey': async ({ areaId, keyPrefix }, { session }) => {
      requireInScope(session, areaId, `area ${areaId}`);
      await store.revokeAgentKey(
        { areaId, keyPrefix, now: clock.now() },
        auditor.change(session, 'agent.key_revoke', keySubject),
      );
      changed(areaId);
      return { areaId };
    },
  };
}
