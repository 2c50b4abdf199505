import { agentLink } from '../../../src-shared/domain/agents';
import type { AgentLink } from '../../../src-shared/domain/agents';
import type { Clock, Logger } from '../runtime';
import type { SettingsService } from '../settings';
import type { Store } from '../store/port';

const CHECK_EVERY_MS = 5_000;
const PRUNE_EVERY_MS = 3_600_000;
const DAY = 86_400_000;

/**
 * Follows every area's agent link (online, late, down) and says when one
 * changes: in the log, and to every open screen through `onChange`, so an
 * area whose agent fell silent is raised everywhere at once and not found by
 * someone opening the Areas screen. The central's takeover itself needs no
 * signal: its sweeps list the area as soon as the heartbeat is too old.
 */
export class AgentWatch {
  private links = new Map<number, AgentLink>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private lastPruneAt = 0;
  private checking: Promise<void> = Promise.resolve();

  constructor(
    private readonly options: {
      readonly store: Store;
      readonly clock: Clock;
      readonly settings: SettingsService;
      readonly logger: Logger;
      readonly onChange: (areaIds: number[]) => void;
    },
  ) {}

  async start(): Promise<void> {
    await this.check(false);
    this.timer = setInterval(() => void this.checkNow(), CHECK_EVERY_MS);
    this.timer.unref();
  }

  stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    return this.checking;
  }

  /** Looks again now (an agent was just heard, a key changed); checks never overlap. */
  checkNow(): Promise<void> {
    this.checking = this.checking
      .then(() => this.check(true))
      .catch((error: unknown) => this.options.logger.error('agent watch failed', error));
    return this.checking;
  }

  private async check(announce: boolean): Promise<void> {
    const { store, clock, settings, logger } = this.options;
    const now = clock.now();
    const monitor = settings.monitor();
    const timing = { heartbeatMs: monitor.agentHeartbeatMs, silenceMs: monitor.agentSilenceMs };
    const changed: number[] = [];
    const seen = new Set<number>();
    for (const agent of await store.listAgents({})) {
      seen.add(agent.areaId);
      const link =
        agent.keyPrefix === null && agent.lastHeartbeatAt === null
          ? 'none'
          : agentLink(agent.lastHeartbeatAt, now, timing);
      const before = this.links.get(agent.areaId);
      this.links.set(agent.areaId, link);
      if (before === link) continue;
      changed.push(agent.areaId);
      if (!announce) continue;
      if (link === 'down') {
        logger.warn(
          `the agent of ${agent.areaCode} has been silent for over ${Math.round(timing.silenceMs / 1000)} s: the central pings the area itself`,
        );
      } else if (before === 'down' && link === 'online') {
        logger.info(`the agent of ${agent.areaCode} is back: what it saw replaces the central's fallback`);
      }
    }
    for (const areaId of this.links.keys()) {
      if (!seen.has(areaId)) {
        this.links.delete(areaId);
        changed.push(areaId);
      }
    }
    if (announce && changed.length > 0) this.options.onChange(changed);
    if (now - this.lastPruneAt >= PRUNE_EVERY_MS) {
      this.lastPruneAt = now;
      await store.pruneAgentHistory({ before: now - monitor.rollupRetentionDays * DAY });
    }
  }
}
