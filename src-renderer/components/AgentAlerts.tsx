import { useTranslation } from 'react-i18next';
import { useQuery } from '../context';
import { formatDateTime } from '../format';

/**
 * Under the connection bar on every screen: an area whose agent is silent is
 * being watched through the WAN by the central, which an operator must know
 * whatever screen is open. Silent agents are alerts; late ones only a note.
 */
export function AgentAlerts() {
  const { t } = useTranslation();
  const agents = useQuery('agents.list', {}, ['agents.changed', 'areas.changed']);
  const troubled = (agents.data ?? []).filter((agent) => agent.link === 'late' || agent.link === 'down');
  if (troubled.length === 0) return null;
  return (
    <div className="agent-alerts" data-testid="agent-alerts">
      {troubled.map((agent) => {
        const at = agent.lastHeartbeatAt === null ? t('agents.never') : formatDateTime(agent.lastHeartbeatAt);
        const down = agent.link === 'down';
        return (
          <p
            key={agent.areaId}
            className={`agent-alert agent-alert--${agent.link}`}
            role={down ? 'alert' : 'status'}
            data-testid={`agent-alert-${agent.areaCode}`}
          >
            {t(down ? 'agents.banner.down' : 'agents.banner.late', { code: agent.areaCode, at })}
          </p>
        );
      })}
    </div>
  );
}
