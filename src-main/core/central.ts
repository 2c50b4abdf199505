import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { CENTRAL_SOURCE } from '../../src-shared/domain/uptime';
import type { AgentListenerInfo } from '../../src-shared/contract/channels';
import { startAgentSync } from './agent-sync/start';
import type { AgentSync, AgentSyncOptions } from './agent-sync/start';
import { Auditor } from './audit';
import { AuthService } from './auth/auth-service';
import type { ThrottleLimits } from './auth/throttle';
import { BiScheduler } from './bi/scheduler';
import { BiExportService } from './bi/service';
import type { ExportWorker } from './bi/service';
import { ContractServer } from './contract/server';
import type { HandlerMap } from './contract/server';
import { AlarmService } from './alarms/service';
import { alarmSettingsHandlers } from './handlers/alarm-settings';
import { alarmHandlers, shiftHandlers } from './handlers/alarms';
import { agentHandlers } from './handlers/agents';
import { configuredSetupHandlers } from './handlers/setup';
import { deviceCsvHandlers } from './handlers/device-csv';
import { cameraHandlers } from './handlers/cameras';
import { CredentialSeal } from './video/credentials';
import { VideoChecker } from './video/checker';
import { centralVideoPlan } from './video/central-plan';
import type { ChangeInstallation } from './handlers/setup';
import type { InstallationSummary } from '../../src-shared/domain/setup';
import { areaHandlers } from './handlers/areas';
import { authHandlers } from './handlers/auth';
import type { HandlerContext } from './handlers/context';
import { deviceHandlers } from './handlers/devices';
import {
  changesFor,
  dashboardHandlers,
  deviceMonitoringHandlers,
  exportHandlers,
  settingsHandlers,
  sweepFor,
  uptimeHandlers,
} from './handlers/monitoring';
import { auditHandlers, userHandlers } from './handlers/users';
import { workflowHandlers } from './handlers/workflows';
import { Monitor } from './monitor/engine';
import type { StatusChangeNotice } from './monitor/engine';
import { createProberRegistry, DEFAULT_PROBER } from './monitor/probers';
import type { Prober } from './monitor/probers';
import { consoleLogger, systemClock } from './runtime';
import type { Clock, Logger } from './runtime';
import { SettingsService } from './settings';
import type { Store } from './store/port';
import { WorkflowService } from './workflows';

/** Live sessions' tokens are kept fresh, and quiet login floods written, this often. */
const HOUSEKEEPING_EVERY_MS = 60_000;

export interface CentralOptions {
  readonly store: Store;
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** Replaces the registered default prober (tests, benchmarks). */
  readonly prober?: Prober;
  /** Run the sweep loop. Off for tests that only exercise the contract. */
  readonly monitor?: boolean;
  readonly defaultTimeZone?: string;
  /** Where exports go when no folder is configured (the data folder's `exports`). */
  readonly exportsFolder?: string;
  /** Rewrite the BI files every 20 minutes and at local midnight. */
  readonly scheduleExports?: boolean;
  /** Replaces the login rate limits (tests). */
  readonly loginThrottle?: ThrottleLimits;
  /** Runs BI exports in a worker thread with its own store connection (the shells); else in-process. */
  readonly exportWorker?: ExportWorker;
  /** What this copy was installed as (the wizard's answer); a central unless said otherwise. */
  readonly mode?: 'central' | 'console';
  /** Run the alarm desk without running the monitor (tests that feed statuses by hand); the monitor's holder runs it otherwise. */
  readonly alarms?: boolean;
  /** Listen for agents (a central); absent on a console and in tests of the screens alone. */
  readonly agentSync?: AgentSyncOptions;
  /** The key camera passwords are sealed with (see video/credentials.ts); none: no password can be saved. */
  readonly cameraKey?: Buffer;
  /** What Settings shows of this copy's installation; an embedded central when absent. */
  readonly installation?: InstallationSummary;
  /** How an administrator moves this copy to another mode from Settings; absent when the command line chose it. */
  readonly changeInstallation?: ChangeInstallation;
}

export interface Central {
  readonly server: ContractServer;
  readonly exports: BiExportService;
  readonly auth: AuthService;
  readonly store: Store;
  readonly settings: SettingsService;
  /** Present when the central runs the monitor. */
  readonly monitor: Monitor | null;
  readonly alarms: AlarmService;
  /** The agent-sync listener, when this instance runs one. */
  readonly agentSync: AgentSync | null;
  stop(): Promise<void>;
}

/**
 * The central's core, independent of its shell: the Electron main process and
 * the headless runner both build one of these and attach their transports.
 */
export async function createCentral(options: CentralOptions): Promise<Central> {
  const { store, logger = consoleLogger, clock = systemClock } = options;
  const settings = await SettingsService.load(store, logger);
  // A prober given by the caller is the caller's to close; the registered one is ours.
  const ownedProber = options.prober ? null : createProberRegistry(logger).get(DEFAULT_PROBER)!;
  const prober = options.prober ?? ownedProber!;
  const auditor = new Auditor(store, clock);
  const auth = new AuthService({
    store,
    clock,
    auditor,
    logger,
    ...(options.loginThrottle ? { throttle: options.loginThrottle } : {}),
    lockout: () => {
      const security = settings.security();
      return { maxFailedLogins: security.maxFailedLogins, lockoutMs: security.lockoutMinutes * 60_000 };
    },
  });
  const context: HandlerContext = {
    store,
    clock,
    settings,
    prober,
    defaultTimeZone: options.defaultTimeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
    source: CENTRAL_SOURCE,
    auth,
    auditor,
    credentials: options.cameraKey ? new CredentialSeal(options.cameraKey) : null,
    workflows: new WorkflowService(store, clock, auditor),
    exports: new BiExportService({
      store,
      clock,
      settings,
      defaultFolder: options.exportsFolder ?? null,
      onFinished: (status) => server.emit('exports.finished', status),
      ...(options.exportWorker ? { worker: options.exportWorker } : {}),
    }),
    emit: (name, payload, audience) => {
      server.emit(name, payload, audience);
      // A workflow step or a device edit (a new parent) may open or clear alarms.
      if (name === 'devices.statusChanged' || name === 'devices.changed') void alarms.evaluate();
    },
    refreshSessions: (userId, next, except) => server.refreshSessions(userId, next, except),
  };
  const handlers: HandlerMap = {
    ...areaHandlers(context),
    ...deviceHandlers(context),
    ...deviceCsvHandlers(context),
    ...cameraHandlers(context),
    ...deviceMonitoringHandlers(context),
    ...dashboardHandlers(context),
    ...uptimeHandlers(context),
    ...settingsHandlers(context),
    ...authHandlers(context),
    ...userHandlers(context),
    ...auditHandlers(context),
    ...workflowHandlers(context),
    ...exportHandlers(context),
    ...agentHandlers(context, () => listenerInfo()),
    ...alarmHandlers(context),
    ...shiftHandlers(context),
    ...alarmSettingsHandlers(context),
    ...configuredSetupHandlers(
      options.installation ?? { mode: options.mode ?? 'central', store: 'sqlite', where: null, changeable: false },
      auditor,
      options.changeInstallation ?? null,
    ),
  };
  const server = new ContractServer(handlers, {
    logger,
    clock,
    idleLockMs: () => settings.security().idleLockMinutes * 60_000,
  });

  const emitStatusChanges = (changes: readonly StatusChangeNotice[]) => {
    server.emit(
      'devices.statusChanged',
      { changes: [...changes] },
      { areaIds: [...new Set(changes.map((c) => c.areaId))], forScoped: changesFor },
    );
    void alarms.evaluate();
  };
  // A camera's picture went bad or came back: its screens (of its areas only) refresh, and the desk looks again.
  const emitVideoChanged = (ids: number[], areaIds: number[]) => {
    server.emit('devices.changed', { ids }, { areaIds: [...new Set(areaIds)] });
    void alarms.evaluate();
  };
  const alarms = new AlarmService({
    store,
    clock,
    logger,
    settings,
    timeZone: context.defaultTimeZone,
    // The instance that runs the sweeps runs the alarms; a console follows the store.
    leads: () => monitor?.holdsLease ?? options.alarms ?? false,
    onChanged: () => server.emit('alarms.changed', {}),
    onDeliveriesChanged: () => server.emit('alarms.deliveriesChanged', {}),
  });
  const agentSync = await startAgentSync({
    store,
    clock,
    logger,
    settings,
    listen: options.agentSync ?? null,
    onLinksChanged: (areaIds) => {
      server.emit('agents.changed', { areaIds }, { areaIds });
      void alarms.evaluate();
    },
    onStatusChanges: emitStatusChanges,
    onVideoChanged: (areaId, ids) => emitVideoChanged(ids, [areaId]),
    credentials: context.credentials,
  });
  const listenerInfo = (): AgentListenerInfo => ({
    url: agentSync.listener?.announcedUrl ?? null,
    fingerprint: agentSync.listener?.fingerprint ?? null,
    plainHttp: agentSync.listener !== null && agentSync.listener.fingerprint === null,
  });
  const monitor = options.monitor
    ? new Monitor({
        store,
        prober,
        clock,
        settings: () => settings.monitor(),
        source: CENTRAL_SOURCE,
        holder: `${hostname()}:${process.pid}:${randomUUID()}`,
        logger,
        onStatusChanges: (changes) => emitStatusChanges(changes),
        onSweep: (summary) => {
          server.emit('monitor.sweepFinished', summary, { forScoped: (s, session) => sweepFor(session, s) });
          alarms.noteSweep(summary);
        },
      })
    : null;
  monitor?.start();
  alarms.start();
  // Cameras' pictures, looked at by whoever runs the sweeps (a console standing by does not).
  const videoChecks = new VideoChecker({
    store,
    clock,
    credentials: context.credentials,
    plan: centralVideoPlan(store, settings),
    logger,
    leads: () => monitor?.holdsLease ?? false,
    onChanged: (cameras) =>
      emitVideoChanged(
        cameras.map((c) => c.id),
        cameras.map((c) => c.areaId),
      ),
  });
  if (monitor) videoChecks.start();
  const scheduler = options.scheduleExports
    ? new BiScheduler({
        clock,
        logger,
        zones: async () => [...new Set((await store.listAreas()).map((a) => a.timeZone))],
        run: () => context.exports.run(),
        enabled: () => monitor?.holdsLease ?? true,
      })
    : null;
  scheduler?.start();
  const housekeeping = setInterval(() => {
    void auth.keepAlive(server.connections()).catch((error: unknown) => logger.error('session upkeep failed', error));
    void auth.flushFloods().catch((error: unknown) => logger.error('login flood audit failed', error));
  }, HOUSEKEEPING_EVERY_MS);
  housekeeping.unref();

  return {
    server,
    auth,
    exports: context.exports,
    store,
    settings,
    monitor,
    alarms,
    agentSync,
    async stop() {
      clearInterval(housekeeping);
      await agentSync.stop();
      await scheduler?.stop();
      await monitor?.stop();
      await videoChecks.stop();
      await alarms.stop();
      ownedProber?.close?.();
      await auth.flushFloods(true);
      await store.close();
    },
  };
}
